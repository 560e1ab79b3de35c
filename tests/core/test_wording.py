"""English that reads right and names instead of codes (issue 18): the matching notes'
articles and country names, a count of one, one full stop after "p.m.", the minus sign
before the yen sign, and prefecture preferences by name in the reader's language."""

import datetime as dt
import re
import zoneinfo

import pytest
from django.template import Context, Template
from django.test import Client
from django.utils import translation

from apps.core import access
from apps.core.models import Kind, Organisation, ProgrammeYear, User
from apps.core.reference_data import PREFECTURES
from apps.core.templatetags.formats import yen
from apps.outreach.models import Thread
from apps.placement import matching as m
from apps.placement.notes import note_text
from apps.recruitment.models import Application
from apps.safety import rules as safety_rules
from tests.factories import ApplicationFactory, PositionRequestFactory

TOKYO = zoneinfo.ZoneInfo("Asia/Tokyo")


def _client(username: str, language: str = "en") -> Client:
    user = User.objects.get(username=username)
    user.language = language
    user.save(update_fields=["language"])
    client = Client()
    client.force_login(user)
    return client


# --- the matching engine's notes ------------------------------------------------------------


def test_position_type_note_needs_no_article():
    text = note_text({"code": m.POSITION_TYPE, "params": {"required": "CIR", "candidate": "ALT"}})
    assert text == "The position type is CIR; the candidate applied for ALT."


def test_location_note_needs_no_article():
    text = note_text({"code": m.LOCATION_MET, "params": {"wish": "URBAN"}})
    assert text == "Matches the candidate's location wish (Urban)."


def test_country_note_names_the_country():
    note = {"code": m.COUNTRY, "params": {"required": "FR", "candidate": "US"}}
    assert note_text(note) == "The position seeks someone from France."
    with translation.override("ja"):
        assert "フランス" in note_text(note)


def test_preference_notes_name_the_place_in_the_readers_language():
    met = {"code": m.PREFERENCE_MET, "params": {"rank": 2, "place": "40-Fukuoka"}}
    unmet = {"code": m.NO_PREFERENCE_MET, "params": {"preferences": ["01", "20"]}}
    assert note_text(met) == "Meets preference 2 (Fukuoka (Fukuoka))."
    assert note_text(unmet) == "Meets none of the candidate's preferences (Hokkaido, Nagano)."
    with translation.override("ja"):
        assert "福岡市（福岡県）" in note_text(met)  # noqa: RUF001


# --- a count of one --------------------------------------------------------------------------


@pytest.mark.django_db
def test_a_safety_check_reaching_one_participant_says_participant():
    code = next(
        code
        for code, *_names in PREFECTURES
        if len(safety_rules.placed_participants(prefecture_codes=[code])) == 1
    )
    response = _client("clair").post(
        "/safety/new/",
        {
            "kind": "TYPHOON",
            "title_en": "Typhoon No. 10",
            "message_en": "Stay indoors.",
            "prefectures": [code],
            "remind_every_hours": 3,
        },
        follow=True,
    )
    page = response.content.decode()
    assert "The safety check is started: 1 participant is asked." in page
    assert "1 participants" not in page


# --- one full stop after a time --------------------------------------------------------------


def test_a_sentence_ending_with_a_time_keeps_one_full_stop():
    template = Template(
        "{% load i18n formats %}{% blocktranslate with when=t|date:'DATETIME_FORMAT' asvar text %}"
        "Started on {{ when }}.{% endblocktranslate %}{{ text|sentence }}"
    )
    at_five = dt.datetime(2026, 11, 20, 17, 0, tzinfo=TOKYO)
    assert template.render(Context({"t": at_five})) == "Started on Nov. 20, 2026, 5 p.m."
    at_nine = dt.datetime(2026, 11, 20, 9, 30, tzinfo=TOKYO)
    assert template.render(Context({"t": at_nine})) == "Started on Nov. 20, 2026, 9:30 a.m."


@pytest.mark.django_db
def test_thread_page_has_no_doubled_full_stop():
    thread = Thread.objects.filter(members__kind=Kind.CLAIR).first()
    Thread.objects.filter(pk=thread.pk).update(
        created_at=dt.datetime(2026, 11, 20, 17, 0, tzinfo=TOKYO)
    )
    page = _client("clair").get(f"/correspondence/{thread.pk}/").content.decode()
    assert "Started on Nov. 20, 2026, 5 p.m. (JST).<" in page
    assert "p.m.." not in page


# --- money -----------------------------------------------------------------------------------


def test_yen_puts_the_sign_first_in_english():
    assert yen(2221640) == "¥2,221,640"
    assert yen(-2221640) == "-¥2,221,640"
    assert yen(0) == "¥0"


def test_yen_in_japanese():
    with translation.override("ja"):
        assert yen(2221640) == "2,221,640円"
        assert yen(-2221640) == "-2,221,640円"


def _cost_preview(client: Client) -> str:
    """MIC's preview of halving every airfare: the travel cost falls."""
    url = f"/mic/costs/{ProgrammeYear.objects.get(is_current=True).year}/"
    form = client.get(url).content.decode()
    data = dict(re.findall(r'<input type="number" name="([a-z_0-9A-Z]+)" value="(\d+)"', form))
    for name in [n for n in data if n.startswith("travel_")]:
        data[name] = str(int(data[name]) // 2)
    page = client.post(url, {**data, "action": "preview"}).content.decode()
    return re.search(r'data-testid="delta-travel">([^<]*)<', page)[1]


@pytest.mark.django_db
def test_cost_preview_shows_a_fall_with_the_sign_first():
    assert re.fullmatch(r"-¥\d[\d,]*", _cost_preview(_client("mic")))
    assert re.fullmatch(r"-\d[\d,]*円", _cost_preview(_client("mic", "ja")))


# --- names instead of codes ------------------------------------------------------------------


@pytest.fixture
def candidate(db):
    """A forwarded US candidate who prefers Hokkaido, Fukuoka City and Nagano."""
    mission = Organisation.objects.get(name_en="Embassy of Japan in the United States")
    application = ApplicationFactory(
        forwarded=True,
        programme_year=ProgrammeYear.objects.get(is_current=True),
        mission=mission,
        citizenship=mission.country,
        position="CIR",
        japanese_level="N1",
        driving_licence="AUTOMATIC",
        preference_1="01",
        preference_2="40-Fukuoka",
        preference_3="20",
    )
    access.grant("view", application, Organisation.objects.get(kind=Kind.CLAIR))
    access.grant("view", application, mission)
    return application


@pytest.fixture
def french_post(db):
    """An approved CIR post in Hyogo that seeks someone from France."""
    hyogo = Organisation.objects.get(name_en="Hyogo Prefectural Board of Education")
    position = PositionRequestFactory(
        approved=True,
        programme_year=ProgrammeYear.objects.get(is_current=True),
        organisation=hyogo,
        type="CIR",
        school_level="",
        base="Hyogo International Office",
        municipality="Kobe",
        location="URBAN",
        cir_language="FR",
    )
    access.grant("view", position, Organisation.objects.get(kind=Kind.CLAIR))
    return position


def _candidate_row(page: str, application: Application) -> str:
    return re.search(rf'data-testid="candidate-{application.pk}".*?</tr>', page, re.S)[0]


def test_board_names_the_preferred_prefectures(candidate):
    query = f"?c-preference=01&c-position=CIR&c-japanese_level=N1&candidate={candidate.pk}"
    row = _candidate_row(
        _client("clair").get(f"/clair/placement/{query}").content.decode(), candidate
    )
    assert "Hokkaido, Fukuoka (Fukuoka), Nagano" in row
    japanese = _client("clair", "ja").get(f"/clair/placement/{query}").content.decode()
    assert "北海道、福岡市（福岡県）、長野県" in _candidate_row(japanese, candidate)  # noqa: RUF001


def test_mission_application_page_names_the_preferred_prefectures(candidate):
    url = f"/mofa/mission/applications/{candidate.pk}/"
    page = _client("embassy.us").get(url).content.decode()
    assert "Hokkaido, Fukuoka (Fukuoka), Nagano" in page
    assert "40-Fukuoka" not in page
    japanese = _client("embassy.us", "ja").get(url).content.decode()
    assert "北海道、福岡市（福岡県）、長野県" in japanese  # noqa: RUF001


def test_board_names_the_country_a_cir_post_seeks(candidate, french_post):
    query = f"?candidate={candidate.pk}&p-prefecture=28&p-type=CIR"
    page = _client("clair").get(f"/clair/placement/{query}").content.decode()
    row = re.search(rf'data-testid="position-{french_post.pk}".*?</tr>', page, re.S)[0]
    assert "France" in row
    assert "seeks someone from France" in row
    assert ">FR<" not in row
    assert " FR<" not in row
