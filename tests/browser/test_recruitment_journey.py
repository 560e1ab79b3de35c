"""Issue 3's journey in a real browser: embassy.us reviews an application from list to
release, and the applicant then sees the result."""

import datetime as dt
import re

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from apps.core import services as core_services
from apps.core.models import Country, Organisation, ProgrammeYear, Role, User
from apps.recruitment import services as recruitment_services
from apps.recruitment.models import Application
from tests.recruitment.conftest import _build_application

pytestmark = pytest.mark.browser


@pytest.fixture
def us_round(app):
    """A submitted application of the demo `applicant` at the US embassy, MIC's
    published numbers and the embassy's rubric, all through the services."""
    year = ProgrammeYear.objects.get(is_current=True)
    ProgrammeYear.objects.filter(pk=year.pk).update(
        application_deadline=timezone.now() + dt.timedelta(days=30)
    )
    year.refresh_from_db()
    mic = User.objects.get(username="mic")
    us = Country.objects.get(code="US")
    # The session's demo data may still be here (the flush comes after this test).
    held = Application.objects.filter(
        programme_year=year, country=us, position="ALT", status__in=Application.HOLDS_PLACE
    ).count()
    number = recruitment_services.acceptance_number_set(
        by=mic, programme_year=year, country=us, position="ALT", places=held + 3
    )
    recruitment_services.acceptance_numbers_publish(by=mic, numbers=[number])
    embassy = Organisation.objects.get(name_en="Embassy of Japan in the United States")
    manager = core_services.person_create(
        username="us.desk.manager", email="desk@example.jp", password="x-Long-pass-1"
    )
    core_services.membership_add(by=None, user=manager, organisation=embassy, role=Role.MANAGER)
    from apps.recruitment.models import ResultRelease, RubricCriterion

    # Whatever the demo data left for this embassy and year: a fresh rubric, no release.
    RubricCriterion.objects.filter(mission=embassy, programme_year=year).delete()
    ResultRelease.objects.filter(mission=embassy, programme_year=year).delete()
    Application.objects.filter(
        mission=embassy, programme_year=year, status__in=("SUBMITTED", "INTERVIEW")
    ).update(status="WITHDRAWN")
    Application.objects.filter(applicant__username="applicant").update(status="WITHDRAWN")
    for name, weight in (("Motivation", 2), ("Communication", 1)):
        recruitment_services.rubric_criterion_add(
            by=manager, mission=embassy, programme_year=year, name_en=name, weight=weight
        )
    applicant = User.objects.get(username="applicant")
    return _build_application(applicant, embassy, "ALT", year, True, {})


def test_embassy_reviews_shortlists_and_releases_and_applicant_sees_it(
    app, new_page, sign_in, axe_clean, us_round
):
    application = us_round
    staff = new_page()
    sign_in(staff, "embassy.us")

    staff.goto(f"{app}/mofa/mission/applications/")
    expect(staff.get_by_role("heading", level=1)).to_contain_text("Applications")
    axe_clean(staff)
    staff.get_by_label("Status").select_option("SUBMITTED")
    staff.get_by_role("button", name="Filter").click()
    row = staff.get_by_role("row", name=re.compile(application.number))
    expect(row).to_be_visible()
    row.get_by_role("link", name=re.compile(application.number)).click()

    expect(staff.get_by_role("heading", level=1)).to_contain_text(application.number)
    axe_clean(staff)
    staff.get_by_label("Motivation").fill("5")
    staff.get_by_label("Communication").fill("4")
    staff.get_by_label("Comment").fill("Clear, warm statement; strong classroom experience.")
    staff.get_by_role("button", name="Record score").click()
    # (5/5*2 + 4/5*1) / 3 * 100 = 93.33
    expect(staff.locator("#scores")).to_contain_text("93.33")

    staff.locator("#id_decision").select_option("SHORTLISTED")
    staff.get_by_role("button", name="Record decision").click()
    expect(staff.get_by_text("Shortlisted").first).to_be_visible()

    # Held until release: the applicant still reads "Under review".
    applicant = new_page()
    sign_in(applicant, "applicant")
    expect(applicant.get_by_text("Under review").first).to_be_visible()
    expect(applicant.get_by_text("Shortlisted")).to_have_count(0)

    staff.goto(f"{app}/mofa/mission/release/")
    axe_clean(staff)
    staff.get_by_label(re.compile("I have checked every decision")).check()
    staff.get_by_role("button", name="Release the results").click()
    expect(staff.locator("main")).to_contain_text(re.compile("[Rr]eleased"))

    application.refresh_from_db()
    assert application.results_released_at is not None
    applicant.reload()
    expect(applicant.get_by_text("Shortlisted").first).to_be_visible()
    axe_clean(applicant)
    assert Application.objects.get(pk=application.pk).status == Application.Status.SHORTLISTED
