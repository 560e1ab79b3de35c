"""Issue 19's application list in a real browser: embassy.us searches "Zoe" and finds
"Zoë", filters by clicking a count, sorts by a column heading, selects all, walks to the
next and previous application and comes "Back" to the list as it was filtered."""

import datetime as dt
import re

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from apps.core import services as core_services
from apps.core.models import Organisation, PersonRole, ProgrammeYear, User
from apps.recruitment import services as recruitment_services
from apps.recruitment.models import Application
from tests.recruitment.conftest import _build_application

pytestmark = pytest.mark.browser

US_EMBASSY = "Embassy of Japan in the United States"


@pytest.fixture
def quillfeathers(app):
    """Three submitted applications at the US embassy, all of the Quillfeather family
    (Adam, Bella and Zoë); Adam is invited to interview."""
    year = ProgrammeYear.objects.get(is_current=True)
    ProgrammeYear.objects.filter(pk=year.pk).update(
        application_deadline=timezone.now() + dt.timedelta(days=30)
    )
    year.refresh_from_db()
    embassy = Organisation.objects.get(name_en=US_EMBASSY)
    # The demo's own applications of the year are set aside, so counts are ours.
    Application.objects.filter(
        mission=embassy, programme_year=year, status__in=("SUBMITTED", "INTERVIEW")
    ).update(status="WITHDRAWN")
    made = {}
    for given in ("Adam", "Bella", "Zoë"):
        username = f"quill.{given.lower()[:3]}"
        person = core_services.person_create(
            username=username,
            email=f"{username}@example.com",
            password="x-Long-pass-1",
            person_role=PersonRole.APPLICANT,
        )
        made[given] = _build_application(
            person,
            embassy,
            "ALT",
            year,
            True,
            {"given_names": given, "family_name": "Quillfeather"},
        )
    recruitment_services.interviews_invite(
        by=User.objects.get(username="embassy.us"), applications=[made["Adam"]]
    )
    return made


def _rows(page):
    return page.get_by_test_id("application-row")


def test_search_counts_sort_select_all_next_previous_and_back(
    app, page, sign_in, axe_clean, quillfeathers
):
    adam, bella, zoe = (quillfeathers[name] for name in ("Adam", "Bella", "Zoë"))
    sign_in(page, "embassy.us")
    page.goto(f"{app}/mofa/mission/applications/")

    # Search without the accent: "Zoe" finds Zoë, and no other Quillfeather.
    page.get_by_label("Name or application number").fill("Zoe")
    page.get_by_role("button", name="Filter", exact=True).click()
    expect(page).to_have_url(re.compile(r"q=Zoe"))
    expect(page.get_by_role("row", name=re.compile(zoe.number))).to_be_visible()
    expect(page.get_by_role("row", name=re.compile(bella.number))).to_have_count(0)
    expect(page.get_by_role("row", name=re.compile(r"Zoë Quillfeather"))).to_be_visible()

    # A count is a link that filters the list: one at interview, Adam.
    page.get_by_test_id("status-link-INTERVIEW").click()
    expect(page).to_have_url(re.compile(r"status=INTERVIEW"))
    expect(page.get_by_role("row", name=re.compile(adam.number))).to_be_visible()
    expect(_rows(page)).to_have_count(1)
    axe_clean(page)

    # Sort by a column heading, then the other way round.
    page.goto(f"{app}/mofa/mission/applications/?q=Quillfeather")
    expect(_rows(page)).to_have_count(3)
    page.get_by_test_id("sort-name").click()
    expect(page).to_have_url(re.compile(r"o=name"))
    expect(_rows(page).first).to_contain_text(adam.number)
    page.get_by_test_id("sort-name").click()
    expect(page).to_have_url(re.compile(r"o=-name"))
    expect(_rows(page).first).to_contain_text(zoe.number)
    expect(_rows(page).last).to_contain_text(adam.number)

    # Select all ticks every row; unticking one leaves "some".
    select_all = page.get_by_label("Select all applications on this page")
    select_all.check()
    for number in (adam.number, bella.number, zoe.number):
        expect(page.get_by_label(f"Select {number}")).to_be_checked()
    page.get_by_label(f"Select {bella.number}").uncheck()
    expect(select_all).not_to_be_checked()

    # The middle one: previous and next follow the list as sorted (Zoë, Bella, Adam).
    page.get_by_role("link", name=bella.number, exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_contain_text(bella.number)
    expect(page.get_by_text("2 of 3")).to_be_visible()
    axe_clean(page)
    page.get_by_role("link", name="Next application").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text(adam.number)
    expect(page.get_by_role("link", name="Next application")).to_have_count(0)
    page.get_by_role("link", name="Previous application").click()
    page.get_by_role("link", name="Previous application").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text(zoe.number)

    # "Back" returns to the list as it was filtered and sorted.
    page.get_by_role("link", name="Back to the applications").click()
    expect(page).to_have_url(re.compile(r"/mofa/mission/applications/\?q=Quillfeather&o=-name$"))
    expect(page.get_by_label("Name or application number")).to_have_value("Quillfeather")
    expect(_rows(page)).to_have_count(3)
    expect(_rows(page).first).to_contain_text(zoe.number)
