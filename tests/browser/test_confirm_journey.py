"""Safe steps in a real browser: co.hyogo changes a draft contract's hours and issues it
through the confirmation step (the change is kept: 36 hours stays 36), and leaving a
changed long form warns first (beforeunload), while submitting it does not."""

import datetime
import re

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from apps.core.models import PersonRole, ProgrammeYear, User
from apps.demo import placements as clair_demo
from apps.demo import scale as programme_demo
from apps.events import services as events
from apps.events.models import Event, Registration
from apps.placement import services as placement_services
from apps.placement.models import Contract

pytestmark = pytest.mark.browser


@pytest.fixture
def draft(app):
    """`participant` with Hyogo as the demo builds her (year 2 in force), and a new
    draft version of that contract started by co.hyogo (35 hours a week)."""
    programme_demo.seed(stdout=None)  # the salary scale (the committed world is core only)
    hyogo = User.objects.get(username="co.hyogo")
    clair_demo.seed_participant(hyogo)
    in_force = (
        Contract.objects.filter(
            placement__application__applicant__username="participant",
            status=Contract.Status.IN_FORCE,
        )
        .order_by("-contract_year", "-version")
        .first()
    )
    draft = placement_services.contract_new_version(by=hyogo, contract=in_force)
    return placement_services.contract_update(by=hyogo, contract=draft, hours_per_week=35)


def test_issuing_confirms_first_and_keeps_the_unsaved_change(app, draft, page, sign_in, axe_clean):
    sign_in(page, "co.hyogo")
    page.goto(f"{app}/contracting/contracts/{draft.pk}/")
    page.get_by_label("Working hours a week").fill("36")
    page.get_by_test_id("contract-issue").click()

    summary = page.get_by_test_id("contract-issue-summary")
    expect(summary).to_contain_text(
        f"Issuing sends version {draft.version} of the contract to Sarah O'Connor for "
        "signature; it cannot be edited afterwards."
    )
    expect(page.get_by_test_id("contract-saved-before-issue")).to_be_visible()
    expect(page.get_by_test_id("contract-terms")).to_contain_text("36 hours a week")
    expect(page.get_by_test_id("contract-status")).to_have_text(re.compile("Draft"))
    axe_clean(page)

    page.get_by_test_id("contract-issue-yes").click()
    expect(page.get_by_text("The contract is issued; the participant can sign it.")).to_be_visible()
    expect(page.get_by_test_id("contract-status")).to_have_text("Issued by the organisation")
    expect(page.get_by_test_id("contract-terms")).to_contain_text("36 hours a week")
    stored = Contract.objects.get(pk=draft.pk)
    assert (stored.status, float(stored.hours_per_week)) == (Contract.Status.ISSUED, 36.0)


def test_leaving_a_changed_form_warns_and_submitting_it_does_not(app, draft, page, sign_in):
    dialogs: list[str] = []

    def _on_dialog(dialog) -> None:
        dialogs.append(dialog.type)
        dialog.dismiss()  # stay on the page

    page.on("dialog", _on_dialog)
    sign_in(page, "co.hyogo")
    url = f"{app}/contracting/contracts/{draft.pk}/"
    back = page.get_by_role("link", name="All placements and contracts")

    # Unchanged: leaving asks nothing.
    page.goto(url)
    back.click()
    expect(page).to_have_url(f"{app}/contracting/placements/")
    assert dialogs == []

    # Changed: leaving asks first; staying keeps what was typed.
    page.goto(url)
    hours = page.get_by_label("Working hours a week")
    original = hours.input_value()
    hours.fill("36")
    back.click(no_wait_after=True)
    page.wait_for_timeout(500)
    assert dialogs == ["beforeunload"]
    expect(page).to_have_url(url)
    expect(page.get_by_label("Working hours a week")).to_have_value("36")

    # Put back as it was: leaving asks nothing again.
    hours.fill(original)
    back.click()
    expect(page).to_have_url(f"{app}/contracting/placements/")
    assert dialogs == ["beforeunload"]

    # Submitting the changed form does not ask.
    page.goto(url)
    page.get_by_label("Working hours a week").fill("37")
    page.get_by_test_id("contract-save").click()
    expect(page.get_by_text("The draft is saved.")).to_be_visible()
    assert dialogs == ["beforeunload"]
    assert float(Contract.objects.get(pk=draft.pk).hours_per_week) == 37.0


def test_cancelling_a_seat_asks_inline_first(app, page, sign_in):
    """The cancel button opens the confirmation in place (htmx); only its second button
    cancels, and the seat goes to the person waiting."""
    programme_demo.seed(stdout=None)
    clair_demo.seed_participant(User.objects.get(username="co.hyogo"))
    starts = timezone.now() + datetime.timedelta(days=20)
    event = events.event_create(
        by=User.objects.get(username="clair"),
        programme_year=ProgrammeYear.objects.get(is_current=True),
        kind=Event.Kind.SKILL_DEVELOPMENT,
        title_en="Skill Development Conference",
        starts_at=starts,
        ends_at=starts + datetime.timedelta(hours=6),
        capacity=1,
        audience=Event.Audience.ALL_PARTICIPANTS,
    )
    participant = User.objects.get(username="participant")
    waiting = User.objects.create_user(
        "confirm.waiting",
        first_name="Wren",
        last_name="Waiting",
        person_role=PersonRole.PARTICIPANT,
    )
    mine = events.registration_create(by=participant, event=event)
    theirs = events.registration_create(by=waiting, event=event)
    assert (mine.state, theirs.state) == ("REGISTERED", "WAITLISTED")

    sign_in(page, "participant")
    page.goto(f"{app}/programme/events/")
    page.get_by_test_id(f"cancel-{event.pk}").click()
    panel = page.get_by_test_id("cancel-confirm")
    expect(panel).to_contain_text(
        "Cancelling gives your seat to the next person on the waiting list (1 person is waiting)."
    )
    expect(page).to_have_url(f"{app}/programme/events/")  # in place, no new page
    assert Registration.objects.get(pk=mine.pk).state == "REGISTERED"

    panel.get_by_test_id("cancel-yes").click()
    expect(page.get_by_text("The registration is cancelled.")).to_be_visible()
    assert Registration.objects.get(pk=mine.pk).state == "CANCELLED"
    assert Registration.objects.get(pk=theirs.pk).state == "REGISTERED"
