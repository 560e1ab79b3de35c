"""The API's half of the access rule: the same `restrict` the pages use."""

import contextlib

from django.conf import settings
from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.http import Http404
from rest_framework import exceptions, permissions, status
from rest_framework.mixins import ListModelMixin
from rest_framework.views import exception_handler

from apps.core import access
from apps.core.api.columns import narrow
from apps.core.errors import DomainError

METHOD_ACTIONS = {
    "GET": "view",
    "HEAD": "view",
    "OPTIONS": "view",
    "PUT": "change",
    "PATCH": "change",
    "DELETE": "delete",
}


class ObjectActionPermission(permissions.IsAuthenticated):
    """Objects reach a view only through a restricted queryset, so one the user cannot
    see is already 404. Here a visible object is checked for the method's action; a view
    declares custom verbs in `action_perms` (e.g. {"decide": "decide_application"}), or,
    for a view of one action (a GenericAPIView), in `object_action` ("accept"); and
    actions on no object in `model_action_perms` (e.g. {"create": "add"}: may this user
    start one at all) or `model_action`, asked of the access rule for `access_model`. A
    refusal says `action_messages[action]` (or `denied_message`) when the view gives one."""

    def _deny(self, view) -> bool:
        message = getattr(view, "action_messages", {}).get(
            getattr(view, "action", None)
        ) or getattr(view, "denied_message", "")
        if message:
            self.message = message
        return False

    def has_permission(self, request, view):
        if not super().has_permission(request, view):
            return False
        perm = getattr(view, "model_action_perms", {}).get(
            getattr(view, "action", None)
        ) or getattr(view, "model_action", None)
        if perm is None:
            return True
        model = getattr(view, "access_model", None) or view.get_queryset().model
        return access.allowed(request.user, perm, model) or self._deny(view)

    def has_object_permission(self, request, view, obj):
        action_perms = getattr(view, "action_perms", {})
        perm = (
            action_perms.get(getattr(view, "action", None))
            or getattr(view, "object_action", None)
            or METHOD_ACTIONS.get(request.method, "change")
        )
        if perm == "view":
            return True
        return access.can(request.user, perm, obj) or self._deny(view)


class RestrictedQuerysetMixin:
    """`get_queryset` must be a selector; a bad id answers 404 like a missing one."""

    permission_classes = [ObjectActionPermission]

    def get_object(self):
        try:
            return super().get_object()
        except (ValueError, TypeError):
            raise Http404 from None

    def paginate_queryset(self, queryset):
        # A page of a list reads the columns its rows show (apps/core/api/columns.py),
        # where the rows are the serializer's (not a `list` of the view's own).
        if self.action != "list" or getattr(type(self), "list", None) is not ListModelMixin.list:
            return super().paginate_queryset(queryset)
        key = self._list_key()
        queryset = narrow(
            queryset, self.get_serializer_class(), long=LIST_SIZES.get(key, 0) > long_list_rows()
        )
        page = super().paginate_queryset(queryset)
        counted = getattr(getattr(self.paginator, "page", None), "paginator", None)
        if counted is not None and "count" in counted.__dict__:
            LIST_SIZES.remember(key, counted.count)
        return page

    def _list_key(self) -> tuple:
        """A list as one caller asks for it: its view, the caller and the filters (not the
        page, which does not change how long the list is)."""
        params = self.request.query_params
        pager = self.paginator
        paging = {
            getattr(pager, "page_query_param", None),
            getattr(pager, "cursor_query_param", None),
        }
        filters = tuple(sorted((k, tuple(params.getlist(k))) for k in params if k not in paging))
        return (type(self), self.request.user.pk, filters)


def long_list_rows() -> int:
    return settings.API_LONG_LIST_ROWS


class _ListSizes:
    """How many rows each list had when it was last counted, in this process: a page of a
    long list is read keys first (apps/core/api/columns.py, _KeysFirst), which only pays
    where the list is long, and a page is read before it is counted. A size out of date
    changes how a page is read, never what it holds."""

    def __init__(self, kept: int):
        self.kept = kept
        self.sizes: dict = {}

    def get(self, key, default=None):
        return self.sizes.get(key, default)

    def remember(self, key, size: int) -> None:
        if key not in self.sizes and len(self.sizes) >= self.kept:
            # The oldest (dicts keep their order); another thread may be at it too.
            with contextlib.suppress(KeyError, RuntimeError, StopIteration):
                self.sizes.pop(next(iter(self.sizes)))
        self.sizes[key] = size

    def clear(self) -> None:
        self.sizes.clear()


LIST_SIZES = _ListSizes(kept=10_000)


def api_exception_handler(exc, context):
    if isinstance(exc, DomainError):
        data = {"detail": exc.message}
        if exc.field:
            data = {exc.field: [exc.message]}
        exc = exceptions.ValidationError(data)
    if isinstance(exc, DjangoPermissionDenied):
        # A service's refusal (access.require with a message): the caller reads why.
        exc = exceptions.PermissionDenied(str(exc) or None)
    response = exception_handler(exc, context)
    if response is not None and response.status_code == status.HTTP_403_FORBIDDEN:
        response.data = {"detail": str(exc.detail) if hasattr(exc, "detail") else ""}
    return response
