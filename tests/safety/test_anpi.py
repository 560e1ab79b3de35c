"""Safety confirmation the way anpi-kakunin systems work (issue 18, items 3 and 6): a
banner on the participant's home while a check waits for them, answering inside the app
(page and API, their own answer only), one-tap "safe" and "need help" links in the email
that a link scanner's GET cannot trigger, the count of recipients before sending, and a
close that says how many have not answered and needs its confirmation."""

from urllib.parse import urlsplit

import pytest
from django.core import mail
from django.test import Client

from apps.core.models import User
from apps.notifications.models import Notification
from apps.notifications.services import render_email
from apps.safety import rules, selectors, services
from apps.safety.models import SafetyAnswer, SafetyCheck
from tests.browser.conftest import (
    app,
    axe_clean,
    browser,
    csp_violations,
    new_page,
    sign_in,
)
from tests.safety.conftest import HOKKAIDO, HYOGO, answer_of, more_answers, start

pytestmark = pytest.mark.django_db
# The browser tests' fixtures (tests/browser/conftest.py), for the two tests at the end.
BROWSER_FIXTURES = (app, axe_clean, browser, csp_violations, new_page, sign_in)
SAFE, NEED_HELP, UNANSWERED = (
    SafetyAnswer.Status.SAFE,
    SafetyAnswer.Status.NEED_HELP,
    SafetyAnswer.Status.UNANSWERED,
)
HOME = "/participant/"
MINE = "/safety/mine/"


def _waiting(username: str = "participant"):
    return SafetyAnswer.objects.filter(
        participant__username=username, safety_check__state="OPEN", status=UNANSWERED
    )


def _path(url: str) -> str:
    return urlsplit(url).path


def _started_notice(check: SafetyCheck, username: str = "participant") -> Notification:
    return Notification.objects.get(
        kind="safety_check_started", recipient__username=username, context__check=check.pk
    )


# --- the banner on the participant's home --------------------------------------------------


def test_the_banner_shows_while_a_check_waits_and_goes_once_answered(client_as, check):
    client = client_as("participant")
    waiting = list(_waiting())
    assert check.pk in {a.safety_check_id for a in waiting}  # the demo's open check too
    page = client.get(HOME).content.decode()
    assert 'data-testid="safety-banner"' in page
    for answer in waiting:
        assert f'data-testid="safety-banner-{answer.pk}"' in page
        assert f'action="/safety/mine/{answer.pk}/"' in page
    assert page.count('data-testid="tap-safe"') == len(waiting)
    assert 'data-testid="tap-need-help"' in page
    assert 'href="/safety/mine/"' in page
    assert "Earthquake in Hyogo" in page

    # One tap on the banner's button for each check: the banner is gone.
    for answer in waiting:
        response = client.post(
            f"/safety/mine/{answer.pk}/", {f"a{answer.pk}-status": SAFE, f"a{answer.pk}-tap": "1"}
        )
        assert response.status_code == 302
        assert response["Location"] == f"{MINE}#answer-{answer.pk}"
    assert not _waiting().exists()
    assert 'data-testid="safety-banner"' not in client.get(HOME).content.decode()


def test_no_banner_once_the_check_is_closed(client_as, clair):
    for answer in _waiting():
        services.safety_check_close(by=clair, check=answer.safety_check)
    assert 'data-testid="safety-banner"' not in client_as("participant").get(HOME).content.decode()


def test_the_home_page_with_the_banner_reads_a_fixed_number_of_queries(
    client_as, check, clair, django_assert_max_num_queries
):
    client = client_as("participant")
    client.get(HOME)  # the session, the permission ids
    with django_assert_max_num_queries(20) as one:
        page = client.get(HOME).content.decode()
    assert 'data-testid="safety-banner"' in page
    # More checks waiting: the same queries (the banner is one query, whatever it holds).
    start(clair, title_en="Aftershock in Hyogo")
    start(clair, codes=(HYOGO, HOKKAIDO), title_en="Typhoon")
    with django_assert_max_num_queries(len(one.captured_queries)):
        page = client.get(HOME).content.decode()
    assert page.count('data-testid="tap-safe"') == _waiting().count() >= 3


# --- answering inside the app ----------------------------------------------------------------


def test_the_participant_answers_in_the_app_with_one_tap_then_adds_a_note(client_as, check):
    client = client_as("participant")
    sarah = answer_of(check, "participant")
    page = client.get(MINE)
    assert page.status_code == 200
    content = page.content.decode()
    assert f'data-testid="own-answer-{sarah.pk}"' in content
    assert "A strong earthquake struck" in content

    # One tap: the answer is given.
    url = f"/safety/mine/{sarah.pk}/"
    assert (
        client.post(url, {f"a{sarah.pk}-status": NEED_HELP, f"a{sarah.pk}-tap": "1"}).status_code
        == 302
    )
    sarah.refresh_from_db()
    assert (sarah.status, sarah.recorded_by.username) == (NEED_HELP, "participant")
    after = client.get(MINE).content.decode()
    assert "Thank you. Your answer is recorded." in after
    assert "Add a note or your location (optional)" in after
    # Her organisation hears that she needs help.
    assert Notification.objects.filter(
        kind="safety_need_help", recipient__username="co.hyogo", context__check=check.pk
    ).exists()

    # Then the note and location, the answer kept.
    response = client.post(
        url,
        {
            f"a{sarah.pk}-status": NEED_HELP,
            f"a{sarah.pk}-note": "Ankle hurt",
            f"a{sarah.pk}-location": "Himeji shelter",
        },
    )
    assert response.status_code == 302
    sarah.refresh_from_db()
    assert (sarah.status, sarah.note, sarah.location) == (NEED_HELP, "Ankle hurt", "Himeji shelter")

    # A later tap changes the answer and keeps the note and location.
    client.post(url, {f"a{sarah.pk}-status": SAFE, f"a{sarah.pk}-tap": "1"})
    sarah.refresh_from_db()
    assert (sarah.status, sarah.note, sarah.location) == (SAFE, "Ankle hurt", "Himeji shelter")


def test_a_participant_cannot_answer_for_another(client_as, check):
    thomas = answer_of(check, "jet.thomas.whitfield")
    client = client_as("participant")
    response = client.post(f"/safety/mine/{thomas.pk}/", {f"a{thomas.pk}-status": SAFE})
    assert response.status_code == 404
    assert client.get(f"/safety/mine/{thomas.pk}/").status_code == 404
    assert f'data-testid="own-answer-{thomas.pk}"' not in client.get(MINE).content.decode()
    thomas.refresh_from_db()
    assert thomas.status == UNANSWERED
    # The service refuses it too, whoever calls it.
    with pytest.raises(Exception, match="only for yourself"):
        services.safety_answer_own(
            by=User.objects.get(username="participant"), answer=thomas, status=SAFE
        )


@pytest.mark.parametrize("username", ["clair", "co.hyogo", "embassy.us", "applicant"])
def test_the_own_answers_page_is_the_participants_alone(client_as, check, username):
    sarah = answer_of(check, "participant")
    client = client_as(username)
    assert client.get(MINE).status_code == 403
    assert (
        client.post(f"/safety/mine/{sarah.pk}/", {f"a{sarah.pk}-status": SAFE}).status_code == 403
    )
    sarah.refresh_from_db()
    assert sarah.status == UNANSWERED


def test_an_empty_answer_in_the_app_is_refused_and_saves_nothing(client_as, check):
    sarah = answer_of(check, "participant")
    response = client_as("participant").post(
        f"/safety/mine/{sarah.pk}/", {f"a{sarah.pk}-note": "x"}
    )
    assert response.status_code == 400
    assert "This field is required." in response.content.decode()
    sarah.refresh_from_db()
    assert sarah.status == UNANSWERED


def test_a_closed_check_is_not_answered_in_the_app(client_as, check, clair):
    sarah = answer_of(check, "participant")
    services.safety_check_close(by=clair, check=check)
    client = client_as("participant")
    assert f'data-testid="own-answer-{sarah.pk}"' not in client.get(MINE).content.decode()
    response = client.post(
        f"/safety/mine/{sarah.pk}/", {f"a{sarah.pk}-status": SAFE, f"a{sarah.pk}-tap": "1"}
    )
    assert response.status_code == 302
    assert "This safety check is closed" in client.get(MINE).content.decode()
    sarah.refresh_from_db()
    assert sarah.status == UNANSWERED


def test_the_participant_answers_through_the_api_their_own_answer_only(token_client, check):
    client = token_client("participant")
    sarah = answer_of(check, "participant")
    thomas = answer_of(check, "jet.thomas.whitfield")
    listed = client.get("/api/v1/my-safety-answers/")
    assert listed.status_code == 200
    ids = {row["id"] for row in listed.json()}
    assert sarah.pk in ids
    assert thomas.pk not in ids
    row = next(r for r in listed.json() if r["id"] == sarah.pk)
    assert (row["status"], row["open"], row["title"]) == ("", True, "Earthquake in Hyogo")

    # One tap, then the note: the note and location left out stay.
    url = f"/api/v1/my-safety-answers/{sarah.pk}/answer/"
    assert (
        client.post(url, {"status": NEED_HELP, "location": "Himeji"}, format="json").json()[
            "status"
        ]
        == NEED_HELP
    )
    answered = client.post(url, {"status": SAFE}, format="json")
    assert answered.status_code == 200
    assert (answered.json()["status"], answered.json()["location"]) == (SAFE, "Himeji")
    sarah.refresh_from_db()
    assert (sarah.status, sarah.location, sarah.recorded_by.username) == (
        SAFE,
        "Himeji",
        "participant",
    )

    # Someone else's answer: 404, and nothing changes.
    assert client.get(f"/api/v1/my-safety-answers/{thomas.pk}/").status_code == 404
    assert (
        client.post(
            f"/api/v1/my-safety-answers/{thomas.pk}/answer/", {"status": SAFE}, format="json"
        ).status_code
        == 404
    )
    thomas.refresh_from_db()
    assert thomas.status == UNANSWERED
    # Staff have no answers of their own here.
    assert token_client("clair").get("/api/v1/my-safety-answers/").json() == []
    assert token_client("clair").get(f"/api/v1/my-safety-answers/{sarah.pk}/").status_code == 404


def test_the_api_answer_of_a_closed_check_is_gone(token_client, check, clair):
    sarah = answer_of(check, "participant")
    services.safety_check_close(by=clair, check=check)
    response = token_client("participant").post(
        f"/api/v1/my-safety-answers/{sarah.pk}/answer/", {"status": SAFE}, format="json"
    )
    assert response.status_code == 410
    sarah.refresh_from_db()
    assert sarah.status == UNANSWERED


# --- one tap from the email ----------------------------------------------------------------


def test_the_email_carries_a_safe_and_a_need_help_link(check):
    notice = _started_notice(check)
    sarah = answer_of(check, "participant")
    assert notice.context["link_safe"].endswith(f"/safety/answer/{sarah.token}/safe/")
    assert notice.context["link_help"].endswith(f"/safety/answer/{sarah.token}/need-help/")
    _subject, body = render_email(notice)
    assert notice.context["link_safe"] in body
    assert notice.context["link_help"] in body
    assert notice.context["link"] in body
    # Each on a line of its own, as mail programs make a link of.
    lines = body.splitlines()
    assert notice.context["link_safe"] in lines
    assert notice.context["link_help"] in lines
    # The email as sent (after commit) carries them too.
    sent = [m for m in mail.outbox if sarah.participant.email in m.to]
    for message in sent:
        assert notice.context["link_safe"] in message.body


def test_the_reminder_carries_the_one_tap_links_too(check):
    sent = rules.reminders_send(check=check, tag="test")
    assert sent
    notice = Notification.objects.get(
        kind="safety_check_reminder", recipient__username="participant", context__check=check.pk
    )
    _subject, body = render_email(notice)
    assert notice.context["link_safe"] in body
    assert notice.context["link_help"] in body


@pytest.mark.parametrize(("choice", "status"), [("safe", SAFE), ("need-help", NEED_HELP)])
def test_a_one_tap_link_completes_the_answer_and_offers_the_note(check, choice, status):
    client = Client()
    sarah = answer_of(check, "participant")
    link = _path(_started_notice(check).context["link_safe" if choice == "safe" else "link_help"])
    page = client.get(link)
    assert page.status_code == 200
    content = page.content.decode()
    assert "data-one-tap" in content
    assert "/static/safety/one-tap.js" in content
    # The person's browser sends the page's form at once (one tap in all): a POST.
    response = client.post(link)
    assert response.status_code == 302
    assert response["Location"] == f"/safety/answer/{sarah.token}/#details"
    sarah.refresh_from_db()
    assert (sarah.status, sarah.recorded_by.username) == (status, "participant")
    # Then the answer page offers the note and location.
    after = client.get(response["Location"]).content.decode()
    assert "Thank you. Your answer is recorded." in after
    assert "Add a note or your location (optional)" in after
    assert 'name="note"' in after
    assert 'name="location"' in after


def test_a_link_scanners_get_answers_nothing(client, check):
    sarah = answer_of(check, "participant")
    notice = _started_notice(check)
    for key in ("link_safe", "link_help", "link"):
        for _ in range(2):
            assert client.get(_path(notice.context[key])).status_code == 200
            assert client.head(_path(notice.context[key])).status_code == 200
    sarah.refresh_from_db()
    assert (sarah.status, sarah.answered_at) == (UNANSWERED, None)
    assert not sarah.history.exclude(history_type="+").exists()


def test_a_one_tap_answer_keeps_the_note_given_before(client, check):
    sarah = answer_of(check, "participant")
    rules.answer_by_link(token=sarah.token, status=NEED_HELP, note="Roof", location="Kobe")
    client.post(f"/safety/answer/{sarah.token}/safe/")
    sarah.refresh_from_db()
    assert (sarah.status, sarah.note, sarah.location) == (SAFE, "Roof", "Kobe")


def test_the_answer_page_answers_with_one_tap_too(client, check):
    sarah = answer_of(check, "participant")
    url = f"/safety/answer/{sarah.token}/"
    page = client.get(url).content.decode()
    assert 'data-testid="tap-safe"' in page
    assert 'data-testid="tap-need-help"' in page
    assert client.post(url, {"status": SAFE, "tap": "1"}).status_code == 302
    sarah.refresh_from_db()
    assert sarah.status == SAFE


@pytest.mark.parametrize(
    "path",
    [
        "/safety/answer/{forged}/safe/",
        "/safety/answer/{token}/maybe/",
        "/safety/answer/{token}x/safe/",
        "/safety/answer/{token_cut}/need-help/",
    ],
)
def test_a_forged_one_tap_link_fails(client, check, path):
    sarah = answer_of(check, "participant")
    url = path.format(forged=rules.new_token(), token=sarah.token, token_cut=sarah.token[:-1])
    assert client.get(url).status_code == 404
    response = client.post(url)
    assert response.status_code == 404
    assert "This safety check link is not valid" in response.content.decode()
    assert not SafetyAnswer.objects.filter(safety_check=check).exclude(status="").exists()


def test_one_persons_link_answers_for_that_person_alone(client, check):
    """Thomas's link, opened in Sarah's signed-in browser, answers for Thomas only: the
    link is its person's key, whoever is signed in."""
    sarah = answer_of(check, "participant")
    thomas = answer_of(check, "jet.thomas.whitfield")
    client.force_login(sarah.participant)
    client.post(_path(_started_notice(check, "jet.thomas.whitfield").context["link_help"]))
    sarah.refresh_from_db()
    thomas.refresh_from_db()
    assert (sarah.status, thomas.status) == (UNANSWERED, NEED_HELP)
    assert thomas.recorded_by == thomas.participant


def test_a_one_tap_link_of_a_closed_check_is_gone(client, check, clair):
    sarah = answer_of(check, "participant")
    services.safety_check_close(by=clair, check=check)
    url = f"/safety/answer/{sarah.token}/safe/"
    assert client.get(url).status_code == 410
    response = client.post(url)
    assert response.status_code == 410
    assert "This safety check is closed" in response.content.decode()
    sarah.refresh_from_db()
    assert sarah.status == UNANSWERED


# --- the count before sending --------------------------------------------------------------


@pytest.mark.parametrize("codes", [(HYOGO,), (HOKKAIDO,), (HYOGO, HOKKAIDO), ("13",)])
def test_the_recipient_count_is_the_number_of_answers_the_start_makes(clair, codes):
    counted = selectors.recipients(prefecture_codes=codes)
    assert counted["total"] == sum(row["count"] for row in counted["prefectures"])
    assert [row["prefecture"].pk for row in counted["prefectures"]] == sorted(codes)
    check = start(clair, codes=codes)
    assert check.answers.count() == counted["total"]
    for row in counted["prefectures"]:
        assert check.answers.filter(prefecture=row["prefecture"]).count() == row["count"]
    assert (
        Notification.objects.filter(kind="safety_check_started", context__check=check.pk).count()
        == counted["total"]
    )


def test_the_start_page_shows_the_count_before_sending(client_as):
    client = client_as("clair")
    expected = selectors.recipients(prefecture_codes=[HYOGO, HOKKAIDO])["total"]
    assert expected > 1
    # As the prefectures are chosen (htmx), and without script (the count button).
    fragment = client.get("/safety/new/recipients/", {"prefectures": [HYOGO, HOKKAIDO]})
    assert fragment.status_code == 200
    assert f"This check will ask {expected} participants." in fragment.content.decode()
    before = SafetyCheck.objects.count()
    counted = client.post(
        "/safety/new/",
        {
            "kind": "TYPHOON",
            "title_en": "Typhoon",
            "message_en": "Stay indoors.",
            "prefectures": [HYOGO, HOKKAIDO],
            "remind_every_hours": 3,
            "action": "count",
        },
    )
    assert counted.status_code == 200
    content = counted.content.decode()
    assert f"This check will ask {expected} participants." in content
    assert 'value="Typhoon"' in content  # the form comes back as filled in
    assert SafetyCheck.objects.count() == before
    # The page before anything is chosen says how the count comes.
    assert 'data-testid="safety-recipients"' in client.get("/safety/new/").content.decode()
    # The start then asks exactly that many.
    response = client.post(
        "/safety/new/",
        {
            "kind": "TYPHOON",
            "title_en": "Typhoon",
            "message_en": "Stay indoors.",
            "prefectures": [HYOGO, HOKKAIDO],
            "remind_every_hours": 3,
        },
    )
    assert response.status_code == 302
    assert SafetyCheck.objects.get(title_en="Typhoon").answers.count() == expected


def test_only_clair_counts_recipients(client_as, token_client):
    for username in ("co.hyogo", "mofa", "participant"):
        assert client_as(username).get("/safety/new/recipients/").status_code == 403
        api = token_client(username).get(
            "/api/v1/safety-checks/recipients/", {"prefectures": HYOGO}
        )
        assert api.status_code == 403


def test_the_api_previews_the_recipients_and_the_start_answers_the_same(token_client):
    client = token_client("clair")
    preview = client.get("/api/v1/safety-checks/recipients/?prefectures=28&prefectures=01")
    assert preview.status_code == 200, preview.content
    data = preview.json()
    assert data["total"] == sum(row["count"] for row in data["prefectures"]) > 1
    assert [row["prefecture"] for row in data["prefectures"]] == ["01", "28"]
    assert client.get("/api/v1/safety-checks/recipients/?prefectures=28,01").json() == data
    assert client.get("/api/v1/safety-checks/recipients/?prefectures=99").status_code == 400
    created = client.post(
        "/api/v1/safety-checks/",
        {"kind": "FLOOD", "title_en": "Flood", "message_en": "M", "prefectures": ["28", "01"]},
        format="json",
    )
    assert created.status_code == 201
    assert created.json()["total"] == data["total"]
    assert SafetyCheck.objects.get(pk=created.json()["id"]).answers.count() == data["total"]


# --- closing ---------------------------------------------------------------------------------


def test_close_asks_first_with_the_unanswered_count(client_as, check, co_hyogo):
    more_answers(check, co_hyogo.organisation, 12)  # 8 of them have not answered
    rules.answer_by_link(token=answer_of(check, "participant").token, status=SAFE)
    unanswered = check.answers.filter(status=UNANSWERED).count()
    assert unanswered > 1
    client = client_as("clair")
    detail = client.get(f"/safety/{check.pk}/").content.decode()
    assert f'href="/safety/{check.pk}/close/"' in detail
    page = client.get(f"/safety/{check.pk}/close/")
    assert page.status_code == 200
    content = page.content.decode()
    assert f"{unanswered} people have not answered." in content
    assert 'name="confirm" value="close"' in content
    check.refresh_from_db()
    assert check.is_open


def test_close_without_the_confirmation_changes_nothing(client_as, check):
    client = client_as("clair")
    for data in ({}, {"confirm": ""}, {"confirm": "yes"}):
        response = client.post(f"/safety/{check.pk}/close/", data)
        assert response.status_code == 302
        assert response["Location"] == f"/safety/{check.pk}/close/"
        check.refresh_from_db()
        assert check.is_open
        assert check.closed_at is None
    response = client.post(f"/safety/{check.pk}/close/", {"confirm": "close"})
    assert response.status_code == 302
    assert response["Location"] == f"/safety/{check.pk}/"
    check.refresh_from_db()
    assert not check.is_open


def test_the_close_confirmation_is_clairs_alone(client_as, check):
    for username in ("co.hyogo", "embassy.us", "mofa"):
        client = client_as(username)
        assert client.get(f"/safety/{check.pk}/close/").status_code == 403
        assert client.post(f"/safety/{check.pk}/close/", {"confirm": "close"}).status_code == 403
    assert client_as("co.sapporo").get(f"/safety/{check.pk}/close/").status_code == 404
    check.refresh_from_db()
    assert check.is_open


# --- in a real browser -----------------------------------------------------------------------


@pytest.fixture
def placed_and_asked(app):
    """`participant` placed with co.hyogo, her contract in force today (as the demo builds
    her), and an open check for Hyogo asking her."""
    from apps.demo import placements as clair_demo
    from apps.demo import scale as programme_demo

    programme_demo.seed(stdout=None)
    clair_demo.seed_participant(User.objects.get(username="co.hyogo"))
    return start(User.objects.get(username="clair"))


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_the_participant_taps_i_am_safe_on_the_home_banner(
    app, placed_and_asked, new_page, sign_in, axe_clean
):
    from playwright.sync_api import expect

    page = new_page()
    sign_in(page, "participant")
    expect(page).to_have_url(f"{app}{HOME}")
    sarah = answer_of(placed_and_asked, "participant")
    banner = page.get_by_test_id(f"safety-banner-{sarah.pk}")
    expect(banner).to_contain_text("Earthquake in Hyogo")
    axe_clean(page)

    banner.get_by_role("button", name="I am safe").click()

    expect(page.get_by_text("Thank you. Your answer is recorded.")).to_be_visible()
    card = page.get_by_test_id(f"own-answer-{sarah.pk}")
    expect(card.get_by_test_id("current-answer")).to_contain_text("I am safe")
    location = card.get_by_label("Where you are now (optional)", exact=True)
    expect(location).to_be_visible()
    axe_clean(page)
    sarah.refresh_from_db()
    assert sarah.status == SAFE

    # Then the optional location, the answer kept.
    location.fill("At school in Kobe")
    card.get_by_test_id(f"own-answer-submit-{sarah.pk}").click()
    expect(page.get_by_text("Thank you. Your answer is recorded.")).to_be_visible()
    sarah.refresh_from_db()
    assert (sarah.status, sarah.location) == (SAFE, "At school in Kobe")

    page.goto(f"{app}{HOME}")
    expect(page.get_by_test_id("workspace-title")).to_be_visible()
    expect(page.get_by_test_id(f"safety-banner-{sarah.pk}")).to_have_count(0)


# A person's browser, not an automated one: what the one-tap page's script looks for.
AS_A_PERSON = """
Object.defineProperty(Navigator.prototype, "webdriver", {get: () => false});
Object.defineProperty(Navigator.prototype, "userAgent",
  {get: () => "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 Chrome/120 Safari/537.36"});
"""


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_a_one_tap_email_link_answers_in_a_persons_browser_not_a_scanners(
    app, placed_and_asked, new_page, axe_clean
):
    from playwright.sync_api import expect

    sarah = answer_of(placed_and_asked, "participant")
    link = app + _path(_started_notice(placed_and_asked).context["link_help"])

    # A scanner that runs scripts (an automated browser) opens the link: nothing is sent.
    scanner = new_page()
    scanner.goto(link)
    expect(scanner.get_by_test_id("one-tap-send")).to_be_visible()
    axe_clean(scanner)
    scanner.wait_for_timeout(500)
    sarah.refresh_from_db()
    assert sarah.status == UNANSWERED

    # The person taps the link in the email: the answer is sent at once.
    person = new_page()
    person.context.add_init_script(AS_A_PERSON)
    person.goto(link)
    expect(person.get_by_text("Thank you. Your answer is recorded.")).to_be_visible()
    expect(person.get_by_test_id("current-answer")).to_contain_text("I need help")
    expect(person.get_by_label("Where you are now (optional)", exact=True)).to_be_visible()
    sarah.refresh_from_db()
    assert sarah.status == NEED_HELP
