"""Issue 6's journey in a real browser: co.hyogo offers `participant` another year on its
re-appointment page, the participant accepts on theirs, CLAIR confirms the round, and
the next year's draft contract (contract year 3) appears for both."""

import datetime
import re

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from apps.core.models import ProgrammeYear, User
from apps.demo import placements as clair_demo
from apps.demo import scale as programme_demo
from apps.reappointment import services as reappointment_services
from apps.reappointment.models import ReappointmentRound

pytestmark = pytest.mark.browser


@pytest.fixture
def round_(app):
    """`participant` placed with co.hyogo, in contract year 2 in force today (built as the
    demo builds her: placement, year 1 and year 2 contracts, the grants), and CLAIR's
    round for the current programme year opened through its service. The session's demo
    data may still be here (the flush comes after this test): its own round for the year
    is removed first, so every answer in this one is given here."""
    programme_demo.seed(stdout=None)  # the salary scale (the committed world is core only)
    clair_demo.seed_participant(User.objects.get(username="co.hyogo"))
    year = ProgrammeYear.objects.get(is_current=True)
    ReappointmentRound.objects.filter(programme_year=year).delete()
    now = timezone.now()
    round_ = reappointment_services.round_open(
        by=User.objects.get(username="clair"),
        programme_year=year,
        organisation_deadline=now + datetime.timedelta(days=3),
        participant_deadline=now + datetime.timedelta(days=5),
        confirmation_deadline=now + datetime.timedelta(days=7),
    )
    return round_.cases.get(participant__username="participant")


def test_offer_accept_confirm_and_the_next_draft_contract(
    app, round_, new_page, sign_in, axe_clean
):
    case = round_

    # co.hyogo offers re-appointment on its page.
    hyogo = new_page()
    sign_in(hyogo, "co.hyogo")
    hyogo.goto(f"{app}/contracting/reappointment/")
    expect(hyogo.get_by_test_id("organisation-deadline")).to_contain_text("Answer for each")
    card = hyogo.get_by_test_id(f"case-{case.pk}")
    expect(card.get_by_test_id("contract-year")).to_have_text("2")
    expect(card.get_by_test_id("participant-answer")).to_have_text("Not answered yet")
    axe_clean(hyogo)
    card.get_by_label("Offer re-appointment", exact=True).check()
    card.get_by_test_id(f"answer-{case.pk}").click()
    expect(hyogo.get_by_text("Your answer for Sarah O'Connor is recorded")).to_be_visible()
    card = hyogo.get_by_test_id(f"case-{case.pk}")
    expect(card.get_by_test_id("organisation-answer")).to_have_text("Offers re-appointment")
    axe_clean(hyogo)

    # The participant sees the offer from their workspace and accepts.
    person = new_page()
    sign_in(person, "participant")
    person.get_by_test_id("reappointment-link").click()
    expect(person.get_by_test_id("question")).to_contain_text("(contract year 3)?")
    expect(person.get_by_test_id("organisation-answer")).to_have_text("Offers re-appointment")
    axe_clean(person)
    person.get_by_label("I wish to continue for another year").check()
    person.get_by_test_id("reappointment-answer").click()
    expect(person.get_by_text("Your answer is recorded: Wishes to continue.")).to_be_visible()
    expect(person.get_by_test_id("participant-answer")).to_have_text("Wishes to continue")
    axe_clean(person)

    # co.hyogo sees the participant's answer.
    hyogo.reload()
    card = hyogo.get_by_test_id(f"case-{case.pk}")
    expect(card.get_by_test_id("participant-answer")).to_have_text("Wishes to continue")

    # A CLAIR manager confirms the round on its round page: before the participants'
    # deadline, so early, with a reason.
    clair = new_page()
    sign_in(clair, "clair.manager")
    clair.goto(f"{app}/clair/reappointment/")
    clair.get_by_test_id(f"round-{case.round_id}").get_by_role(
        "link", name=re.compile(r"^\d{4}$")
    ).click()
    clair.get_by_test_id("round-confirm").click()
    expect(clair.get_by_test_id("round-confirm-stay")).to_contain_text("1 person will stay")
    clair.get_by_label("Reason for confirming before the deadline").fill(
        "Everyone in the round has answered."
    )
    clair.get_by_test_id("round-confirm-yes").click()
    expect(clair.get_by_test_id("round-state")).to_have_text("Confirmed by CLAIR")
    expect(clair.get_by_test_id("round-early-reason")).to_have_text(
        "Everyone in the round has answered."
    )

    # co.hyogo finds the draft contract for year 3 from its re-appointment page.
    hyogo.reload()
    card = hyogo.get_by_test_id(f"case-{case.pk}")
    expect(card.get_by_test_id("outcome")).to_have_text("Re-appointed")
    expect(card.get_by_test_id(f"answer-{case.pk}")).to_have_count(0)
    axe_clean(hyogo)
    card.get_by_test_id(f"next-contract-{case.pk}").click()
    expect(hyogo.get_by_test_id("contract-status")).to_have_text("Draft")
    expect(hyogo.get_by_test_id("contract-terms")).to_contain_text("Year 3 on the programme")

    # The participant sees the outcome, and the draft among their contract's versions.
    person.reload()
    expect(person.get_by_test_id("outcome")).to_have_text("Re-appointed")
    expect(person.get_by_test_id("next-contract")).to_contain_text("Contract year 3")
    axe_clean(person)
    person.goto(f"{app}/participant/placement/")
    versions = person.get_by_test_id("contract-versions")
    row = versions.get_by_role("row").filter(has_text="Draft")
    expect(row).to_have_count(1)
    expect(row.get_by_role("cell").nth(0)).to_have_text("3")
