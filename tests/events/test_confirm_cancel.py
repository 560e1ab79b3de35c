"""Cancelling a registration is a step in two: the first post says what cancelling
does (the seat goes to the next person on the waitlist, and how many wait) and cancels
nothing; only the post with the confirmation cancels. Who may not cancel is refused at
the first step already."""

import re

import pytest

from apps.core.models import Kind
from apps.events import services as events
from apps.events.models import Event, Registration
from tests.events.conftest import soon

pytestmark = pytest.mark.django_db


@pytest.fixture
def full_session(info_session, make_person):
    """The US embassy's session with one seat: `first` holds it, two people wait."""
    Event.objects.filter(pk=info_session.pk).update(capacity=1)
    people = [make_person(f"confirm.{n}", kind=Kind.APPLICANT) for n in ("a", "b", "c")]
    for person in people:
        events.registration_create(by=person, event=info_session)
    return people


def _page(response) -> str:
    assert response.status_code == 200, response.status_code
    return re.sub(r"\s+", " ", response.content.decode())


def _state(person) -> str:
    return Registration.objects.get(person=person).state


def test_cancelling_a_seat_says_it_goes_to_the_next_person_and_waits(as_user, full_session):
    first, second, _third = full_session
    mine = Registration.objects.get(person=first)
    cancel = f"/programme/registrations/{mine.pk}/cancel/"
    page = _page(as_user(first).post(cancel, {"next": "/programme/events/"}))
    assert (
        "Cancelling gives your seat to the next person on the waiting list (2 people are waiting)."
    ) in page
    assert 'name="confirm" value="yes"' in page
    assert (_state(first), _state(second)) == ("REGISTERED", "WAITLISTED")

    response = as_user(first).post(cancel, {"confirm": "yes", "next": "/programme/events/"})
    assert response.status_code == 302
    assert response["Location"] == "/programme/events/"
    assert (_state(first), _state(second)) == ("CANCELLED", "REGISTERED")


def test_leaving_the_waitlist_says_the_place_is_lost(as_user, full_session):
    _first, _second, third = full_session
    theirs = Registration.objects.get(person=third)
    page = _page(as_user(third).post(f"/programme/registrations/{theirs.pk}/cancel/"))
    assert "You leave the waitlist and lose your place in it." in page
    assert _state(third) == "WAITLISTED"


def test_who_may_not_cancel_is_refused_before_the_confirmation(
    as_user, full_session, applicant, embassy_us, embassy_uk, year
):
    mine = Registration.objects.get(person=full_session[0])
    assert (
        as_user(full_session[1]).post(f"/programme/registrations/{mine.pk}/cancel/").status_code
        == 404
    )
    # The applicant's mission sees their registration for another mission's event, but
    # does not cancel it.
    event = events.event_create(
        by=embassy_uk,
        programme_year=year,
        kind=Event.Kind.INFORMATION_SESSION,
        title_en="JET information evening, London",
        starts_at=soon(21, 18),
        ends_at=soon(21, 20),
        audience=Event.Audience.APPLICANTS,
    )
    registration = events.registration_create(by=applicant, event=event)
    cancel = f"/programme/registrations/{registration.pk}/cancel/"
    assert as_user(embassy_us).post(cancel).status_code == 403
    assert _state(full_session[0]) == "REGISTERED"
    registration.refresh_from_db()
    assert registration.state == "REGISTERED"
