"""The safety pages for each actor: who sees which answers, the personal link without
signing in, CLAIR's actions, the organisation's answer on behalf, and query counts."""

import pytest
from django.test import Client

from apps.safety import rules, services
from apps.safety.models import SafetyAnswer
from tests.conftest import DEMO_PASSWORD
from tests.safety.conftest import answer_of, more_answers

pytestmark = pytest.mark.django_db
SAFE, NEED_HELP = SafetyAnswer.Status.SAFE, SafetyAnswer.Status.NEED_HELP


@pytest.fixture
def as_user(db):
    def _as(username: str) -> Client:
        client = Client()
        response = client.post(
            "/accounts/login/", {"username": username, "password": DEMO_PASSWORD}
        )
        assert response.status_code == 302
        return client

    return _as


# username -> (sees Sarah (US, co.hyogo), sees Thomas (UK, Kobe City))
NAME_READERS = {
    "clair": (True, True),
    "co.hyogo": (True, False),
    "co.kobe-city": (False, True),
    "embassy.us": (True, False),
    "embassy.uk": (False, True),
}


@pytest.mark.parametrize(("username", "sees"), NAME_READERS.items())
def test_each_reader_sees_the_answers_it_is_entitled_to(as_user, check, username, sees):
    rules.answer_by_link(token=answer_of(check, "participant").token, status=SAFE)
    client = as_user(username)
    for url in (f"/safety/{check.pk}/", f"/safety/{check.pk}/board/"):
        page = client.get(url).content.decode()
        assert ("Sarah O&#x27;Connor" in page) is sees[0], url
        assert ("Thomas" in page) is sees[1], url
    listing = client.get("/safety/").content.decode()
    assert f'data-testid="safety-check-{check.pk}"' in listing
    for username_, visible in (("participant", sees[0]), ("jet.thomas.whitfield", sees[1])):
        pk = answer_of(check, username_).pk
        assert client.get(f"/safety/answers/{pk}/").status_code == (200 if visible else 404)


def test_mofa_sees_counts_by_country_and_no_name(as_user, check):
    rules.answer_by_link(token=answer_of(check, "participant").token, status=NEED_HELP)
    page = as_user("mofa").get(f"/safety/{check.pk}/").content.decode()
    assert 'data-testid="safety-countries"' in page
    assert "O&#x27;Connor" not in page
    assert "Thomas" not in page
    assert 'data-testid="country-US"' in page
    assert 'data-testid="country-GB"' in page
    sarah = answer_of(check, "participant")
    assert as_user("mofa").get(f"/safety/answers/{sarah.pk}/").status_code == 403


@pytest.mark.parametrize("username", ["mic", "mext", "participant", "applicant"])
def test_others_are_refused(as_user, check, username):
    client = as_user(username)
    sarah = answer_of(check, "participant")
    for url in ("/safety/", f"/safety/{check.pk}/", f"/safety/answers/{sarah.pk}/"):
        assert client.get(url).status_code == 403, url


def test_an_organisation_with_nobody_in_the_check_gets_404(as_user, check):
    assert as_user("co.sapporo").get(f"/safety/{check.pk}/").status_code == 404
    assert f"safety-check-{check.pk}" not in as_user("co.sapporo").get("/safety/").content.decode()


def test_signed_out_visitors_are_sent_to_sign_in(client, check):
    assert client.get(f"/safety/{check.pk}/").status_code == 302


# --- the personal link -----------------------------------------------------------------------


def test_the_personal_link_answers_without_signing_in(client, check):
    sarah = answer_of(check, "participant")
    url = f"/safety/answer/{sarah.token}/"
    page = client.get(url)
    assert page.status_code == 200
    assert "A strong earthquake struck" in page.content.decode()
    assert "<legend>Are you safe?</legend>" in page.content.decode()
    response = client.post(url, {"status": NEED_HELP, "note": "Ankle", "location": "Himeji"})
    assert response.status_code == 302
    sarah.refresh_from_db()
    assert (sarah.status, sarah.location) == (NEED_HELP, "Himeji")
    assert "Your answer is recorded" in client.get(url).content.decode()


def test_the_link_is_in_the_participants_language(client, check, participant):
    participant.language = "ja"
    participant.save()
    page = client.get(f"/safety/answer/{answer_of(check, 'participant').token}/")
    content = page.content.decode()
    assert '<html lang="ja">' in content
    assert "兵庫県の地震" in content
    assert "強い地震が発生しました" in content


def test_a_bad_answer_on_the_link_page_shows_the_message_and_saves_nothing(client, check):
    sarah = answer_of(check, "participant")
    response = client.post(f"/safety/answer/{sarah.token}/", {"status": "", "note": "x"})
    assert response.status_code == 400
    assert "This field is required." in response.content.decode()
    sarah.refresh_from_db()
    assert sarah.status == ""


def test_a_wrong_token_is_a_clear_404(client, check):
    response = client.get("/safety/answer/nope/")
    assert response.status_code == 404
    assert "This safety check link is not valid" in response.content.decode()


def test_a_closed_checks_link_is_gone_and_answers_nothing(client, check, clair):
    sarah = answer_of(check, "participant")
    services.safety_check_close(by=clair, check=check)
    url = f"/safety/answer/{sarah.token}/"
    assert client.get(url).status_code == 410
    response = client.post(url, {"status": SAFE})
    assert response.status_code == 410
    assert "This safety check is closed" in response.content.decode()
    sarah.refresh_from_db()
    assert sarah.status == ""


# --- CLAIR's and the organisation's actions ------------------------------------------------


def test_clair_starts_a_check_from_the_page(as_user):
    client = as_user("clair")
    response = client.post(
        "/safety/new/",
        {
            "kind": "TYPHOON",
            "title_en": "Typhoon No. 10",
            "title_ja": "台風10号",
            "message_en": "Stay indoors.",
            "message_ja": "",
            "prefectures": ["28", "01"],
            "remind_every_hours": 3,
        },
    )
    assert response.status_code == 302
    page = client.get(response["Location"]).content.decode()
    assert "Typhoon No. 10" in page
    assert "Hannah" in page
    assert "Sarah" in page


def test_the_start_page_refuses_a_check_without_prefectures(as_user):
    from apps.safety.models import SafetyCheck

    before = SafetyCheck.objects.count()
    response = as_user("clair").post(
        "/safety/new/",
        {"kind": "TYPHOON", "title_en": "T", "message_en": "M", "remind_every_hours": 3},
    )
    assert response.status_code == 200
    assert "This field is required." in response.content.decode()
    assert SafetyCheck.objects.count() == before


def test_only_clair_may_start_close_or_remind(as_user, check):
    client = as_user("co.hyogo")
    assert client.get("/safety/new/").status_code == 403
    assert client.post(f"/safety/{check.pk}/close/").status_code == 403
    assert client.post(f"/safety/{check.pk}/remind/").status_code == 403
    check.refresh_from_db()
    assert check.is_open


def test_clair_closes_from_the_page_and_the_board_stops_polling(as_user, check):
    client = as_user("clair")
    assert client.post(f"/safety/{check.pk}/close/", {"confirm": "close"}).status_code == 302
    page = client.get(f"/safety/{check.pk}/").content.decode()
    assert "hx-trigger" not in page
    assert 'data-testid="safety-close"' not in page
    check.refresh_from_db()
    assert not check.is_open


def test_need_help_stands_out_and_clair_assigns_it(as_user, check, clair_manager):
    sarah = answer_of(check, "participant")
    rules.answer_by_link(token=sarah.token, status=NEED_HELP, note="Roof damaged")
    client = as_user("clair")
    board = client.get(f"/safety/{check.pk}/").content.decode()
    assert f'data-testid="need-help-{sarah.pk}"' in board
    assert "Roof damaged" in board
    response = client.post(
        f"/safety/answers/{sarah.pk}/", {"action": "assign", "assignee": clair_manager.pk}
    )
    assert response.status_code == 302
    sarah.refresh_from_db()
    assert sarah.assigned_to == clair_manager


def test_the_organisation_records_an_answer_on_behalf_from_the_page(as_user, check, co_hyogo):
    sarah = answer_of(check, "participant")
    client = as_user("co.hyogo")
    response = client.post(
        f"/safety/answers/{sarah.pk}/",
        {"action": "record", "record-status": SAFE, "record-note": "Phoned", "record-location": ""},
    )
    assert response.status_code == 302
    sarah.refresh_from_db()
    assert sarah.recorded_by == co_hyogo
    page = client.get(f"/safety/answers/{sarah.pk}/").content.decode()
    assert 'data-testid="recorded-by"' in page
    assert co_hyogo.get_full_name() in page


def test_a_mission_cannot_record_an_answer(as_user, check):
    sarah = answer_of(check, "participant")
    response = as_user("embassy.us").post(
        f"/safety/answers/{sarah.pk}/", {"action": "record", "record-status": SAFE}
    )
    assert response.status_code == 403
    sarah.refresh_from_db()
    assert sarah.status == ""


# --- query counts ----------------------------------------------------------------------------


@pytest.mark.parametrize("username", ["clair", "co.hyogo", "embassy.us", "mofa"])
def test_the_board_does_not_query_per_row(
    as_user, check, co_hyogo, username, django_assert_max_num_queries
):
    client = as_user(username)
    client.get(f"/safety/{check.pk}/board/")  # the session and permission ids are read
    # One of them is the access rule reading the user's groups and model permissions.
    with django_assert_max_num_queries(13) as small:
        assert client.get(f"/safety/{check.pk}/board/").status_code == 200
    more_answers(check, co_hyogo.organisation, 60)
    with django_assert_max_num_queries(len(small.captured_queries)):
        assert client.get(f"/safety/{check.pk}/board/").status_code == 200
    with django_assert_max_num_queries(len(small.captured_queries) + 2):
        assert client.get(f"/safety/{check.pk}/").status_code == 200
