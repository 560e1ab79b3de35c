"""Releasing the results is refused, on the page as in the service, while any
application is undecided: the page says so once, with the real count, and its button is
disabled; once every application has a decision, the page says how many applicants
will be told what, and releases only with the confirmation ticked."""

import re

import pytest

from apps.recruitment import services
from apps.recruitment.models import Application, ResultRelease

pytestmark = pytest.mark.django_db

RELEASE = "/mofa/mission/release/"
UNDECIDED = "applications are undecided: release is not possible until each has a decision."


@pytest.fixture
def us_app(fresh_round, make_applicant, submitted_application):
    """us_app(username) -> a submitted ALT application at the US embassy."""

    def _make(username: str):
        return submitted_application(make_applicant(username), position="ALT")

    return _make


def _page(response) -> str:
    assert response.status_code == 200, response.status_code
    return re.sub(r"\s+", " ", response.content.decode())


def test_undecided_applications_block_the_release_said_once_with_the_count(
    client, us_manager, us_app, published_numbers, us_mission
):
    published_numbers(places=2)
    for name in ("ada", "ben", "cy"):
        us_app(name)
    client.force_login(us_manager)

    page = _page(client.get(RELEASE))
    assert page.count(f"3 {UNDECIDED}") == 1
    button = re.search(r'<button [^>]*data-testid="release-submit"[^>]*>', page)[0]
    assert "disabled" in button

    page = _page(client.post(RELEASE, {"confirm": "on"}))
    assert page.count(f"3 {UNDECIDED}") == 1  # the service's refusal is not repeated
    assert not ResultRelease.objects.filter(mission=us_mission).exists()


def test_the_release_says_who_is_told_and_waits_for_the_confirmation(
    client, embassy_us, us_manager, us_app, published_numbers, us_mission
):
    published_numbers(places=2)
    first, second, third = us_app("ada"), us_app("ben"), us_app("cy")
    services.applications_decide(by=embassy_us, applications=[first], decision="SHORTLISTED")
    services.applications_decide(by=embassy_us, applications=[second], decision="ALTERNATE")
    services.applications_decide(by=embassy_us, applications=[third], decision="NOT_SELECTED")
    client.force_login(us_manager)

    page = _page(client.get(RELEASE))
    assert (
        "Releasing tells 3 applicants their results now: 1 shortlisted, 1 alternate, "
        "1 not selected."
    ) in page
    assert UNDECIDED not in page

    page = _page(client.post(RELEASE, {}))
    assert "Tick the box to confirm the release." in page
    assert not ResultRelease.objects.filter(mission=us_mission).exists()
    assert not Application.objects.filter(
        pk__in=[first.pk, second.pk, third.pk], results_released_at__isnull=False
    ).exists()

    response = client.post(RELEASE, {"confirm": "on"})
    assert response.status_code == 302
    assert ResultRelease.objects.filter(mission=us_mission).count() == 1
