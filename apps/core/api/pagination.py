"""The API's two pagers. Both refuse what they cannot use with a 400 naming the parameter,
where DRF's silently ignore a bad page size, answer 404 for a bad cursor or page, and pass
a cursor's position to the database unchecked (a 500 for `?cursor=cD1hYmM%3D`, "p=abc")."""

from django.core.exceptions import FieldDoesNotExist
from django.core.exceptions import ValidationError as DjangoValidationError
from django.core.paginator import Paginator
from django.utils.translation import gettext_lazy as _
from rest_framework import pagination
from rest_framework.exceptions import NotFound, ValidationError

from apps.core import input_checks

PAGE_SIZE_INVALID = _("Give a whole number from 1 to %(maximum)d.")
CURSOR_INVALID = _("This cursor is not valid: use the next or previous address of a page.")
PAGE_INVALID = _("There is no such page.")
PAGE_MAX = 2**31 - 1


class StrictPageSizeMixin:
    page_size_query_param = "page_size"
    max_page_size = 200

    def get_page_size(self, request):
        value = request.query_params.get(self.page_size_query_param)
        if value is None:
            return self.page_size
        if not (value.isascii() and value.isdigit()) or not 1 <= int(value) <= self.max_page_size:
            raise ValidationError(
                {self.page_size_query_param: [PAGE_SIZE_INVALID % {"maximum": self.max_page_size}]}
            )
        return int(value)

    def get_schema_operation_parameters(self, view):
        parameters = super().get_schema_operation_parameters(view)
        for parameter in parameters:
            if parameter["name"] == self.page_size_query_param:
                parameter["schema"].update(minimum=1, maximum=self.max_page_size)
        return parameters


class CursorPagination(StrictPageSizeMixin, pagination.CursorPagination):
    """For lists that grow large: no COUNT(*), stable under inserts."""

    ordering = ("-id",)
    page_size = 50
    # The cursors this pager writes are a few dozen characters.
    max_cursor_length = 200

    def decode_cursor(self, request):
        encoded = request.query_params.get(self.cursor_query_param)
        if encoded is not None and len(encoded) > self.max_cursor_length:
            raise ValidationError({self.cursor_query_param: [CURSOR_INVALID]})
        try:
            cursor = super().decode_cursor(request)
        except NotFound:
            raise ValidationError({self.cursor_query_param: [CURSOR_INVALID]}) from None
        return cursor

    def paginate_queryset(self, queryset, request, view=None):
        self._check_position(queryset, request, view)
        return super().paginate_queryset(queryset, request, view)

    def _check_position(self, queryset, request, view) -> None:
        """A cursor's position is the first ordering field's value: it must be one."""
        cursor = self.decode_cursor(request)
        if cursor is None or cursor.position is None:
            return
        if input_checks.unstorable(cursor.position):
            raise ValidationError({self.cursor_query_param: [CURSOR_INVALID]})
        field = _field(queryset.model, self.get_ordering(request, queryset, view)[0].lstrip("-"))
        if field is None:
            return
        try:
            field.run_validators(field.to_python(cursor.position))
        except DjangoValidationError:
            raise ValidationError({self.cursor_query_param: [CURSOR_INVALID]}) from None

    def get_schema_operation_parameters(self, view):
        parameters = super().get_schema_operation_parameters(view)
        for parameter in parameters:
            if parameter["name"] == self.cursor_query_param:
                parameter["schema"]["maxLength"] = self.max_cursor_length
        return parameters


def _field(model, path: str):
    *relations, name = path.split("__")
    try:
        for relation in relations:
            model = model._meta.get_field(relation).related_model
        return model._meta.get_field(name)
    except (FieldDoesNotExist, AttributeError):
        return None


class FirstPageCounts(Paginator):
    """A first page that holds the whole list counts it: one row more than a page is read,
    and the COUNT query is run only when it is there. Most scoped lists (a participant's
    contracts, an organisation's cases) are shorter than a page."""

    def page(self, number):
        if number != 1 or "count" in self.__dict__:
            return super().page(number)
        rows = list(self.object_list[: self.per_page + 1])
        if len(rows) <= self.per_page:
            self.count = len(rows)
        return self._get_page(rows[: self.per_page], 1, self)


class CountedPagination(StrictPageSizeMixin, pagination.PageNumberPagination):
    """For short lists where a count is cheap."""

    page_size = 50
    django_paginator_class = FirstPageCounts

    def get_page_number(self, request, paginator):
        """A page given must be a whole number, as the schema says: DRF reads an empty one
        as the first page and accepts "last", both invisible to a client of the schema."""
        value = request.query_params.get(self.page_query_param)
        if value is None:
            return 1
        if not (value.isascii() and value.isdigit()) or not 1 <= int(value) <= PAGE_MAX:
            raise ValidationError({self.page_query_param: [PAGE_INVALID]})
        return int(value)

    def paginate_queryset(self, queryset, request, view=None):
        try:
            return super().paginate_queryset(queryset, request, view)
        except NotFound:
            raise ValidationError({self.page_query_param: [PAGE_INVALID]}) from None

    def get_schema_operation_parameters(self, view):
        parameters = super().get_schema_operation_parameters(view)
        for parameter in parameters:
            if parameter["name"] == self.page_query_param:
                parameter["schema"].update(minimum=1, maximum=PAGE_MAX)
        return parameters
