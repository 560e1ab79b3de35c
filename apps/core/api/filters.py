"""The query parameters of the API's lists.

Each list declares its parameters once, as a django-filter `FilterSet` (`filterset_class`):
django-filter's form validates them, so a bad value answers 400 naming the parameter (as
django-filter's DRF backend does), and drf-spectacular describes them in the schema from
the same declaration. The filtering itself stays with the list's selector, the one its page
calls too: `get_queryset` passes it `list_filters(self)`, the cleaned values, so a page and
its API cannot filter differently, and a rule a selector keeps (an applicant's own
application is never filtered by an unreleased status) holds for both.

Stricter than django-filter's defaults where leniency hid mistakes: a parameter given
empty (`?from=`) or a yes/no that is neither (`?past=null`) is refused rather than ignored,
and every number is bounded so that it reaches the database as a value it can compare.
"""

import django_filters
from django import forms
from django.core.validators import RegexValidator
from django.utils.translation import gettext_lazy as _
from django_filters import rest_framework as drf_filters
from django_filters.utils import translate_validation
from drf_spectacular.contrib.django_filters import DjangoFilterExtension
from drf_spectacular.drainage import set_override

from apps.core import limits
from apps.core.reference_data import PREFECTURES

EMPTY_REFUSED = _("Give a value, or leave the parameter out.")
YES_NO_INVALID = _("Give true or false.")


class BlankChoiceField(forms.ChoiceField):
    """A choice whose set holds "" as a real value (a safety answer not given yet)."""


class ListFilterForm(forms.Form):
    """Refuses a parameter given with no value, except free text (an empty search) and a
    choice of which "" is one; a word of a set form (a pattern) is not free text."""

    def clean(self):
        cleaned = super().clean()
        for name, field in self.fields.items():
            free_text = isinstance(field, forms.CharField) and not any(
                isinstance(validator, RegexValidator) for validator in field.validators
            )
            if (
                self.data.get(name) == ""
                and not (free_text or isinstance(field, BlankChoiceField))
                and name not in self.errors
            ):
                self.add_error(name, EMPTY_REFUSED)
        return cleaned


class ListFilters(drf_filters.FilterSet):
    """The parameters of one list (see the module's docstring). Its `Meta.model` is the
    list's model; the selector, not this class, filters."""

    class Meta:
        form = ListFilterForm
        fields = []


class BlankChoiceFilter(django_filters.ChoiceFilter):
    """A choice filter whose choices include "": given empty, it filters by "" (where a
    plain filter given nothing filters nothing)."""

    field_class = BlankChoiceField


class YesNoField(forms.Field):
    TRUE = ("true", "1", "yes")
    FALSE = ("false", "0", "no")
    default_error_messages = {"invalid": YES_NO_INVALID}

    def to_python(self, value):
        if value in (None, ""):
            return None
        value = str(value).lower()
        if value in self.TRUE:
            return True
        if value in self.FALSE:
            return False
        raise forms.ValidationError(self.error_messages["invalid"], code="invalid")


class YesNoFilter(django_filters.Filter):
    """A yes/no parameter: true, false, 1, 0, yes or no; anything else is a 400."""

    field_class = YesNoField

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        set_override(self, "field", {"type": "boolean"})


class TextFilter(django_filters.CharFilter):
    """Free text (a search), no longer than a search box's; or, given a `pattern`, a word
    of that form."""

    def __init__(self, *args, max_length: int = limits.SEARCH, pattern: str = "", **kwargs):
        schema = {"type": "string", "maxLength": max_length}
        if pattern:
            kwargs["validators"] = [RegexValidator(pattern)]
            schema["pattern"] = pattern
        super().__init__(*args, max_length=max_length, **kwargs)
        set_override(self, "field", schema)


class IntegerFilter(django_filters.Filter):
    """A whole number within bounds (an id by default: 1 to the largest primary key)."""

    field_class = forms.IntegerField

    def __init__(self, *args, min_value: int = 1, max_value: int = limits.ID_MAX, **kwargs):
        super().__init__(*args, min_value=min_value, max_value=max_value, **kwargs)
        set_override(self, "field", {"type": "integer", "minimum": min_value, "maximum": max_value})


class YearFilter(IntegerFilter):
    """A programme or fiscal year."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, min_value=limits.YEAR_MIN, max_value=limits.YEAR_MAX, **kwargs)


class PrefectureFilter(django_filters.ChoiceFilter):
    """A prefecture by its JIS code ("01" to "47")."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("help_text", "JIS code")
        super().__init__(
            *args, choices=[(code, name_en) for code, name_en, *_ in PREFECTURES], **kwargs
        )


class ListFilterBackend(drf_filters.DjangoFilterBackend):
    """Puts a list's `filterset_class` in the schema (drf-spectacular's django-filter
    extension reads it from the view's filter backends). The queryset is the selector's,
    already filtered by `get_queryset`, so it is returned as it is."""

    def filter_queryset(self, request, queryset, view):
        return queryset


class ListFilterExtension(DjangoFilterExtension):
    """drf-spectacular's reading of the filters, with the model taken from the FilterSet:
    a list's selector cannot run without a signed-in user, as the schema is made."""

    target_class = ListFilterBackend
    priority = 1

    def get_schema_operation_parameters(self, auto_schema, *args, **kwargs):
        filterset_class = auto_schema.view.filterset_class
        model = filterset_class._meta.model
        return [
            parameter
            for name, filter_field in filterset_class.base_filters.items()
            for parameter in self.resolve_filter_field(
                auto_schema, model, filterset_class, name, filter_field
            )
        ]


class FilteredListMixin:
    """For a list with query parameters: declare `filterset_class`, and call the selector
    with `**list_filters(self)` (or pick from it) in `get_queryset`."""

    filterset_class: type[ListFilters]
    filter_backends = [ListFilterBackend]


# Query parameters the pagers read (apps/core/api/pagination.py), never a filter's.
PAGER_PARAMETERS = frozenset({"cursor", "page", "page_size"})
# The FilterSets whose form, given no parameter of theirs, cleans to nothing: most calls
# of a list give none, and building and cleaning the form was a tenth of such a call.
_NOTHING_GIVEN: set[type] = set()


def list_filters(view) -> dict:
    """The list's parameters, cleaned, those not given left out; a 400 naming each bad one."""
    if not hasattr(view, "_list_filters"):
        filterset_class = view.filterset_class
        unfiltered = PAGER_PARAMETERS.issuperset(view.request.query_params)
        if unfiltered and filterset_class in _NOTHING_GIVEN:
            view._list_filters = {}
            return view._list_filters
        filterset = filterset_class(
            data=view.request.query_params,
            queryset=filterset_class._meta.model._default_manager.none(),
            request=view.request,
        )
        if not filterset.is_valid():
            raise translate_validation(filterset.errors)
        given = view.request.query_params
        view._list_filters = {
            name: value
            for name, value in filterset.form.cleaned_data.items()
            if value not in (None, "")
            or (
                value == ""
                and name in given
                and isinstance(filterset.filters[name], BlankChoiceFilter)
            )
        }
        if unfiltered and not view._list_filters:
            _NOTHING_GIVEN.add(filterset_class)
    return view._list_filters
