# ruff: noqa: RUF001, RUF002  (Japanese labels use full-width brackets, as Japanese does)
"""Times in each person's own zone, labelled (issue 18, point 1).

A mission works in its city's zone, the default of its staff and of the applicants who
apply through it; anyone chooses their own zone on /account/settings/ or with
PATCH /api/v1/me/; every time shown carries its zone: "(EST)", "（米国東部時間）".
"""

import datetime as dt
import zoneinfo

import pytest
from django.utils import timezone, translation
from django.utils.formats import date_format

from apps.core import services, time_zones
from apps.core.errors import DomainError
from apps.core.models import Kind, Organisation, PersonRole, ProgrammeYear, User
from apps.core.templatetags.formats import when, when_span
from apps.notifications.services import notification_record, render_email
from apps.recruitment import services as recruitment
from apps.recruitment.models import Application, InterviewSlot

NEW_YORK = zoneinfo.ZoneInfo("America/New_York")
TOKYO = zoneinfo.ZoneInfo("Asia/Tokyo")
WASHINGTON = "Embassy of Japan in the United States"
LONDON = "Embassy of Japan in the United Kingdom"
SETTINGS = "/account/settings/"


def _mission(name: str) -> Organisation:
    return Organisation.objects.get(kind=Kind.MISSION, name_en=name)


def _person(username: str, **fields) -> User:
    return services.person_create(
        username=username, email=f"{username}@example.jp", password="x-Long-enough-1", **fields
    )


# --- a mission's zone is its people's default -----------------------------------------------


def test_every_demo_mission_has_its_own_zone(db):
    zones = dict(Organisation.objects.filter(kind=Kind.MISSION).values_list("name_en", "time_zone"))
    assert zones[WASHINGTON] == "America/New_York"
    assert zones["Consulate-General of Japan in New York"] == "America/New_York"
    assert zones[LONDON] == "Europe/London"
    assert zones["Embassy of Japan in China"] == "Asia/Shanghai"
    assert all(time_zones.is_valid(zone) for zone in zones.values())


def test_the_demo_accounts_live_in_their_missions_zone(db):
    zones = dict(User.objects.values_list("username", "time_zone"))
    assert zones["embassy.us"] == "America/New_York"
    assert zones["applicant"] == "America/New_York"
    assert zones["embassy.uk"] == "Europe/London"
    assert zones["clair"] == "Asia/Tokyo"
    assert zones["participant"] == "Asia/Tokyo"


def test_new_staff_take_their_missions_zone_unless_they_chose_one(db):
    london = _mission(LONDON)
    staff = _person("tz.staff")
    assert staff.time_zone == "Asia/Tokyo"
    services.membership_add(by=None, user=staff, organisation=london)
    staff.refresh_from_db()
    assert staff.time_zone == "Europe/London"

    chose = _person("tz.chose", time_zone="Asia/Tokyo")
    assert chose.time_zone_chosen
    services.membership_add(by=None, user=chose, organisation=london)
    chose.refresh_from_db()
    assert chose.time_zone == "Asia/Tokyo"


def test_an_account_made_for_a_mission_starts_in_its_zone(db):
    person = _person(
        "tz.new.applicant", person_role=PersonRole.APPLICANT, organisation=_mission(WASHINGTON)
    )
    assert person.time_zone == "America/New_York"
    assert not person.time_zone_chosen
    with pytest.raises(DomainError):
        _person("tz.bad", time_zone="Mars/Olympus_Mons")


@pytest.fixture
def open_year(db):
    year = ProgrammeYear.objects.get(is_current=True)
    now = timezone.now()
    ProgrammeYear.objects.filter(pk=year.pk).update(
        applications_open=now - dt.timedelta(days=5),
        application_deadline=now + dt.timedelta(days=5),
    )
    year.refresh_from_db()
    return year


def test_an_applicant_takes_the_zone_of_the_mission_they_apply_through(open_year):
    person = _person("tz.applicant", person_role=PersonRole.APPLICANT)
    assert person.time_zone == "Asia/Tokyo"
    recruitment.application_start(
        by=person, programme_year=open_year, mission=_mission(LONDON), position="ALT"
    )
    person.refresh_from_db()
    assert person.time_zone == "Europe/London"

    chose = _person("tz.applicant.chose", person_role=PersonRole.APPLICANT)
    services.user_settings_update(user=chose, time_zone="Pacific/Auckland")
    recruitment.application_start(
        by=chose, programme_year=open_year, mission=_mission(LONDON), position="ALT"
    )
    chose.refresh_from_db()
    assert chose.time_zone == "Pacific/Auckland"


# --- the settings page and the API ----------------------------------------------------------


def test_the_header_links_to_the_settings(client_as):
    page = client_as("clair").get("/inbox/").content.decode()
    assert f'href="{SETTINGS}"' in page


def test_the_settings_page_changes_the_zone_and_language(client_as):
    client = client_as("clair")
    page = client.get(SETTINGS).content.decode()
    assert '<option value="Asia/Tokyo" selected>Japan (Tokyo)</option>' in page
    assert "US Eastern (Washington, New York)" in page
    response = client.post(SETTINGS, {"time_zone": "America/New_York", "language": "ja"})
    assert response.status_code == 302
    user = User.objects.get(username="clair")
    assert (user.time_zone, user.time_zone_chosen, user.language) == (
        "America/New_York",
        True,
        "ja",
    )
    page = client.get(SETTINGS).content.decode()
    assert '<html lang="ja"' in page
    eastern = "米国東部時間（ワシントン、ニューヨーク）"
    assert f'<option value="America/New_York" selected>{eastern}</option>' in page
    assert "日本時間（東京）" in page
    assert "設定を保存しました。" in page


def test_the_settings_page_refuses_a_zone_in_the_persons_language(client_as):
    client = client_as("clair")
    response = client.post(SETTINGS, {"time_zone": "Mars/Olympus_Mons", "language": "en"})
    assert response.status_code == 200
    assert "Choose a valid time zone." in response.content.decode()
    assert User.objects.get(username="clair").time_zone == "Asia/Tokyo"

    User.objects.filter(username="clair").update(language="ja")
    response = client_as("clair").post(SETTINGS, {"time_zone": "Nowhere", "language": "ja"})
    assert response.status_code == 200
    assert "有効なタイムゾーンを選択してください。" in response.content.decode()


def test_the_settings_page_reads_few_queries(client_as, django_assert_max_num_queries):
    client = client_as("embassy.us")
    client.get(SETTINGS)
    with django_assert_max_num_queries(6):
        assert client.get(SETTINGS).status_code == 200


def test_the_api_reads_and_changes_the_zone(api_as):
    api = api_as("embassy.us")
    me = api.get("/api/v1/me/").json()
    assert me["time_zone"] == "America/New_York"
    assert me["time_zone_label"] == "US Eastern (Washington, New York)"
    response = api.patch("/api/v1/me/", {"time_zone": "Europe/London"}, format="json")
    assert response.status_code == 200, response.content
    assert response.json()["time_zone"] == "Europe/London"
    user = User.objects.get(username="embassy.us")
    assert (user.time_zone, user.time_zone_chosen) == ("Europe/London", True)


def test_the_api_refuses_a_bad_zone(api_as):
    api = api_as("applicant")
    response = api.patch("/api/v1/me/", {"time_zone": "Mars/Olympus_Mons"}, format="json")
    assert response.status_code == 400
    assert "time_zone" in response.json()
    assert User.objects.get(username="applicant").time_zone == "America/New_York"


# --- every time carries its zone ------------------------------------------------------------


def _washington_slot() -> InterviewSlot:
    slot = (
        InterviewSlot.objects.filter(mission__name_en=WASHINGTON, programme_year__is_current=True)
        .order_by("starts_at")
        .first()
    )
    assert slot is not None
    return slot


def _english_span(slot: InterviewSlot, zone: zoneinfo.ZoneInfo, label: str) -> str:
    start = timezone.localtime(slot.starts_at, zone)
    end = timezone.localtime(slot.ends_at, zone)
    with translation.override("en"):
        return (
            f"{date_format(start, 'DATETIME_FORMAT')} – {date_format(end, 'TIME_FORMAT')} ({label})"
        )


def test_washington_staff_see_their_slots_in_washington_time(client_as):
    slot = _washington_slot()
    page = client_as("embassy.us").get("/mofa/mission/interviews/").content.decode()
    label = timezone.localtime(slot.starts_at, NEW_YORK).tzname()
    assert label in ("EST", "EDT")
    assert _english_span(slot, NEW_YORK, label) in page

    # A colleague who lives on Tokyo time sees the same slot in JST.
    User.objects.filter(username="embassy.us.reviewer").update(time_zone="Asia/Tokyo")
    page = client_as("embassy.us.reviewer").get("/mofa/mission/interviews/").content.decode()
    assert _english_span(slot, TOKYO, "JST") in page


def test_the_applicant_sees_the_embassys_slots_in_washington_time(client_as):
    slot = _washington_slot()
    application = Application.objects.get(
        applicant__username="applicant", programme_year__is_current=True
    )
    url = f"/mofa/applicant/application/{application.pk}/interview/"
    page = client_as("applicant").get(url).content.decode()
    label = timezone.localtime(slot.starts_at, NEW_YORK).tzname()
    assert _english_span(slot, NEW_YORK, label) in page

    User.objects.filter(username="applicant").update(language="ja")
    page = client_as("applicant").get(url).content.decode()
    start = timezone.localtime(slot.starts_at, NEW_YORK)
    end = timezone.localtime(slot.ends_at, NEW_YORK)
    expected = (
        f"{start.year}年{start.month}月{start.day}日 {start.hour}:{start.minute:02d}"
        f"〜{end.hour}:{end.minute:02d}（米国東部時間）"
    )
    assert expected in page


def test_the_filters_label_every_time(db):
    moment = dt.datetime(2026, 12, 7, 14, 0, tzinfo=dt.UTC)
    with translation.override("en"), timezone.override(NEW_YORK):
        assert when(moment) == "Dec. 7, 2026, 9 a.m. (EST)"
        assert when(moment, "Asia/Tokyo") == "Dec. 7, 2026, 11 p.m. (JST)"
        assert when_span(moment, moment + dt.timedelta(minutes=30)) == (
            "Dec. 7, 2026, 9 a.m. – 9:30 a.m. (EST)"
        )
    with translation.override("ja"), timezone.override(NEW_YORK):
        assert when(moment) == "2026年12月7日 9:00（米国東部時間）"
        assert when_span(moment, moment + dt.timedelta(minutes=30)) == (
            "2026年12月7日 9:00〜9:30（米国東部時間）"
        )
    with translation.override("ja"), timezone.override(TOKYO):
        assert when(moment) == "2026年12月7日 23:00（日本時間）"
    with translation.override("en"):
        assert when(dt.datetime(2026, 7, 1, 12, tzinfo=dt.UTC), "Europe/London").endswith("(BST)")
        assert when(None) == ""


def test_every_listed_zone_is_real_and_named_in_both_languages():
    for name, (english, japanese, short) in time_zones.ZONES.items():
        assert time_zones.is_valid(name), name
        assert all((english, japanese, short))
    with translation.override("ja"):
        assert time_zones.label("Asia/Tokyo") == "日本時間（東京）"
        assert time_zones.label("America/Bogota") == "America/Bogota"


def test_an_event_shows_the_readers_time_and_its_own_beside_it(client_as):
    from apps.events.models import Event

    event = Event.objects.get(title_en="JET Programme information session, Washington, DC")
    assert event.time_zone == "America/New_York"
    page = client_as("clair").get(f"/programme/events/{event.pk}/").content.decode()
    tokyo = timezone.localtime(event.starts_at, TOKYO)
    there = timezone.localtime(event.starts_at, NEW_YORK)
    assert f'<time datetime="{tokyo.isoformat()}">' in page
    assert '<span class="zone" title="Asia/Tokyo"> (JST)</span>' in page
    assert 'data-testid="event-local-time"' in page
    assert f'<time datetime="{there.isoformat()}">' in page
    assert f"> ({there.tzname()})</span>" in page

    # Washington's own staff read it in their zone, with nothing beside it.
    page = client_as("embassy.us").get(f"/programme/events/{event.pk}/").content.decode()
    assert f'<time datetime="{there.isoformat()}">' in page
    assert 'data-testid="event-local-time"' not in page

    User.objects.filter(username="clair").update(language="ja")
    page = client_as("clair").get(f"/programme/events/{event.pk}/").content.decode()
    assert "（日本時間）" in page
    assert "（米国東部時間）" in page


def test_an_email_gives_its_times_in_the_recipients_zone(db):
    starts = dt.datetime(2027, 1, 12, 0, 30, tzinfo=dt.UTC)
    context = {"number": "303", "starts_at": starts.isoformat(), "location": "", "online_url": ""}
    for username, zone, label in (
        ("applicant", NEW_YORK, "EST"),
        ("participant", TOKYO, "JST"),
    ):
        person = User.objects.get(username=username)
        notice = notification_record(
            recipient=person, kind="interview_booked", context=context, key=f"tz-{username}"
        )
        _subject, body = render_email(notice)
        local = starts.astimezone(zone)
        with translation.override("en"):
            expected = date_format(local, "DATETIME_FORMAT")
        assert f"{expected} ({label})" in body, body
