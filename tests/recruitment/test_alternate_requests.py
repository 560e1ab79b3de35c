"""CLAIR asks a mission for an alternate; the mission's upgrade answers it."""

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied
from django.test import Client
from django.utils import timezone

from apps.clair import services as clair_services
from apps.core.models import User
from apps.notifications.models import Notification
from apps.recruitment import selectors, services
from apps.recruitment.models import AlternateRequest, Application

SHORTLISTED = Application.Status.SHORTLISTED
ALTERNATE = Application.Status.ALTERNATE


@pytest.fixture
def released_alternate(
    fresh_round, make_applicant, submitted_application, published_numbers, embassy_us, open_year
):
    published_numbers(places=5)
    application = submitted_application(make_applicant("alt.for.clair"))
    services.applications_decide(by=embassy_us, applications=[application], decision=ALTERNATE)
    services.results_release(by=embassy_us, programme_year=open_year)
    application.refresh_from_db()
    return application


def test_clair_asks_and_the_mission_staff_are_told(clair, embassy_us, us_mission):
    request = clair_services.alternate_request_create(
        by=clair, mission=us_mission, position="ALT", note="Kobe: a candidate withdrew."
    )
    assert (
        Notification.objects.filter(recipient=embassy_us, kind="alternate_requested").count() == 1
    )
    assert list(selectors.alternate_request_list(user=embassy_us, open_only=True)) == [request]


def test_only_clair_may_ask(embassy_us, mofa, us_mission):
    for user in (embassy_us, mofa):
        with pytest.raises(PermissionDenied, match=r"Only CLAIR asks missions for alternates\."):
            clair_services.alternate_request_create(by=user, mission=us_mission, position="ALT")
    assert not AlternateRequest.objects.exists()


def test_other_missions_and_organisations_see_no_request(clair, embassy_uk, co_hyogo, us_mission):
    clair_services.alternate_request_create(by=clair, mission=us_mission, position="ALT")
    assert not selectors.alternate_request_list(user=embassy_uk).exists()
    assert not selectors.alternate_request_list(user=co_hyogo).exists()


def test_the_upgrade_answers_the_oldest_request_and_tells_clair(
    clair, embassy_us, us_mission, released_alternate
):
    first = clair_services.alternate_request_create(by=clair, mission=us_mission, position="ALT")
    second = clair_services.alternate_request_create(by=clair, mission=us_mission, position="ALT")
    services.alternate_upgrade(
        by=embassy_us,
        application=released_alternate,
        reply_due=timezone.localdate() + dt.timedelta(days=7),
    )
    first.refresh_from_db()
    second.refresh_from_db()
    assert first.fulfilled_by == released_alternate
    assert second.fulfilled_by is None
    assert (
        Notification.objects.filter(recipient=clair, kind="alternate_request_fulfilled").count()
        == 1
    )


def test_clair_page_sends_a_request_and_the_mission_sees_it(login, us_mission):
    page = login("clair").post(
        "/clair/alternates/", {"mission": us_mission.pk, "position": "CIR", "note": "Sapporo"}
    )
    assert page.status_code == 302, page.content.decode()[:3000]
    assert page["Location"] == "/clair/alternates/"
    assert AlternateRequest.objects.filter(mission=us_mission, position="CIR").exists()
    embassy = Client()
    embassy.force_login(User.objects.get(username="embassy.us"))
    release = embassy.get("/mofa/mission/release/").content.decode()
    assert 'data-testid="alternate-requests"' in release
    assert "Sapporo" in release


@pytest.mark.parametrize("username", ["embassy.us", "co.hyogo", "mofa", "applicant"])
def test_clair_page_is_forbidden_to_others(login, username):
    assert login(username).get("/clair/alternates/").status_code == 403
