"""A choice among a few rows (years, an office's staff) is read once per request: the
forms of a page handed one queryset share one read of it, render without a server-side
cursor, and check a value against the rows they read."""

import pytest
from django import forms
from django.db import connection
from django.test.utils import CaptureQueriesContext

from apps.core.forms import ShortListChoiceField
from apps.core.models import ProgrammeYear, User
from tests.factories import OrganisationFactory, ProgrammeYearFactory, StaffFactory

pytestmark = pytest.mark.django_db


class StaffForm(forms.Form):
    year = ShortListChoiceField(
        queryset=ProgrammeYear.objects.order_by("-year"), to_field_name="year", required=False
    )
    reviewer = ShortListChoiceField(queryset=User.objects.none(), required=False)

    def __init__(self, *args, staff, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["reviewer"].queryset = staff


@pytest.fixture
def office():
    organisation = OrganisationFactory()
    staff = [StaffFactory(organisation=organisation) for _ in range(3)]
    outsider = StaffFactory()
    ProgrammeYearFactory(year=2091)
    ProgrammeYearFactory(year=2092)
    return organisation, staff, outsider


def _staff(organisation):
    return User.objects.filter(membership__organisation=organisation).order_by("pk")


def test_two_forms_of_a_page_read_their_shared_staff_once(office):
    organisation, staff, outsider = office
    shared = _staff(organisation)
    with CaptureQueriesContext(connection) as ctx:
        first = StaffForm({"reviewer": str(staff[1].pk), "year": "2092"}, staff=shared)
        second = StaffForm(staff=shared, prefix="bulk")
        assert first.is_valid(), first.errors
        html = str(first["reviewer"]) + str(second["reviewer"]) + str(first["year"])
    sql = [query["sql"] for query in ctx.captured_queries]
    assert len([s for s in sql if '"core_user"' in s]) == 1, sql
    assert len([s for s in sql if '"core_programmeyear"' in s]) == 1, sql
    assert not [s for s in sql if s.startswith("DECLARE")], sql
    assert first.cleaned_data["reviewer"] == staff[1]
    assert first.cleaned_data["year"].year == 2092
    for member in staff:
        assert html.count(f'value="{member.pk}"') == 2
    assert f'value="{staff[1].pk}" selected' in html
    assert f'value="{outsider.pk}"' not in html
    assert 'value="2092" selected' in html


@pytest.mark.parametrize("value", ["outsider", "abc", "1.5", "9" * 30, "\x00"])
def test_a_value_outside_the_rows_is_refused(office, value):
    organisation, _, outsider = office
    value = str(outsider.pk) if value == "outsider" else value
    form = StaffForm({"reviewer": value, "year": "2091"}, staff=_staff(organisation))
    assert not form.is_valid()
    assert "reviewer" in form.errors
    assert "year" not in form.errors


def test_a_year_not_in_the_list_is_refused_and_an_empty_one_is_none(office):
    organisation, _, _ = office
    refused = StaffForm({"year": "1999"}, staff=_staff(organisation))
    assert not refused.is_valid()
    assert "year" in refused.errors
    empty = StaffForm({"year": "", "reviewer": ""}, staff=_staff(organisation))
    assert empty.is_valid()
    assert empty.cleaned_data == {"year": None, "reviewer": None}


def test_each_form_reads_its_own_copy_of_the_class_field(office):
    first, second = StaffForm(staff=User.objects.none()), StaffForm(staff=User.objects.none())
    assert first.fields["year"].queryset is not second.fields["year"].queryset
    assert StaffForm.base_fields["year"].queryset._result_cache is None
    list(first.fields["year"].choices)
    ProgrammeYearFactory(year=2093)
    assert 'value="2093"' in str(StaffForm(staff=User.objects.none())["year"])
