"""A room has a Japanese name too (issue 18, point 7): the organiser gives it on the form
and the API, and a reader in Japanese sees it on the event page."""

import pytest

from apps.events.models import Session
from tests.events.conftest import soon

pytestmark = pytest.mark.django_db

EVENTS = "/programme/events/"


def test_the_organiser_names_the_room_in_both_languages_and_readers_see_theirs(
    as_user, clair, conference
):
    client = as_user(clair)
    response = client.post(
        f"{EVENTS}{conference.pk}/sessions/new/",
        {
            "title_en": "Disaster preparedness",
            "title_ja": "防災研修",
            "starts_at": soon(30, 14).strftime("%Y-%m-%dT%H:%M"),
            "ends_at": soon(30, 15).strftime("%Y-%m-%dT%H:%M"),
            "room": "Sakura Room",
            "room_ja": "桜の間",
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    assert Session.objects.get(title_en="Disaster preparedness").room_ja == "桜の間"

    english = client.get(f"{EVENTS}{conference.pk}/").content.decode()
    clair.language = "ja"
    clair.save(update_fields=["language"])
    japanese = client.get(f"{EVENTS}{conference.pk}/").content.decode()
    assert "Sakura Room" in english
    assert "桜の間" not in english
    assert "桜の間" in japanese
    assert "Sakura Room" not in japanese


def test_the_api_takes_and_gives_the_japanese_room_name(api_as, conference):
    response = api_as("clair").post(
        "/api/v1/sessions/",
        {
            "event": conference.pk,
            "title_en": "Disaster preparedness",
            "starts_at": soon(30, 14).isoformat(),
            "ends_at": soon(30, 15).isoformat(),
            "room": "Sakura Room",
            "room_ja": "桜の間",
        },
        format="json",
    )
    assert response.status_code == 201, response.content
    assert response.json()["room_ja"] == "桜の間"
