"""Safety checks through /api/v1/: the same selectors and services as the pages."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from rest_framework.test import APIClient

from apps.safety import rules, services
from apps.safety.models import SafetyAnswer, SafetyCheck
from tests.safety.conftest import answer_of, more_answers, start

pytestmark = pytest.mark.django_db
CHECKS = "/api/v1/safety-checks/"
ANSWERS = "/api/v1/safety-answers/"
LINK = "/api/v1/safety-answer/"
SAFE, NEED_HELP = SafetyAnswer.Status.SAFE, SafetyAnswer.Status.NEED_HELP


@pytest.fixture
def as_user(token_client):
    return token_client


def _names(response) -> set[str]:
    assert response.status_code == 200, response.content
    return {row["participant_name"] for row in response.json()["results"]}


@pytest.mark.parametrize(
    ("username", "names"),
    [
        ("clair", {"Sarah O'Connor", "Thomas Whitfield"}),
        ("co.hyogo", {"Sarah O'Connor"}),
        ("embassy.us", {"Sarah O'Connor"}),
        ("embassy.uk", {"Thomas Whitfield"}),
        ("mofa", set()),
    ],
)
def test_each_reader_gets_the_answers_it_may_see(as_user, check, username, names):
    client = as_user(username)
    assert _names(client.get(f"{CHECKS}{check.pk}/answers/")) == names
    listed = {row["id"]: row for row in client.get(CHECKS).json()["results"]}
    # MOFA headquarters counts everyone but sees no name, so its 2 is "fewer than 3".
    expected = {"clair": 2, "mofa": "fewer_than_3"}.get(username, 1)
    assert listed[check.pk]["total"] == expected


@pytest.mark.parametrize("username", ["mic", "mext", "participant", "co.sapporo"])
def test_others_see_no_check(as_user, check, username):
    client = as_user(username)
    assert check.pk not in {row["id"] for row in client.get(CHECKS).json()["results"]}
    assert client.get(f"{CHECKS}{check.pk}/").status_code == 404
    assert client.get(f"{CHECKS}{check.pk}/answers/").status_code == 404
    sarah = answer_of(check, "participant")
    assert client.get(f"{ANSWERS}{sarah.pk}/").status_code == 404


def test_mofa_gets_counts_by_country(as_user, check):
    rules.answer_by_link(token=answer_of(check, "participant").token, status=NEED_HELP)
    rows = as_user("mofa").get(f"{CHECKS}{check.pk}/countries/").json()
    counts = {row["country"]: (row["total"], row["need_help"], row["unanswered"]) for row in rows}
    # Every count here is 0, 1 or 2: shown as "fewer than 3" (tests/core/test_small_cells.py).
    assert counts == {"US": ("fewer_than_3",) * 3, "GB": ("fewer_than_3",) * 3}
    assert "participant_name" not in str(rows)


def test_clair_starts_closes_and_reminds(as_user):
    client = as_user("clair")
    response = client.post(
        CHECKS,
        {
            "kind": "TYPHOON",
            "title_en": "Typhoon",
            "message_en": "Stay in",
            "prefectures": ["28"],
        },
        format="json",
    )
    assert response.status_code == 201, response.content
    body = response.json()
    assert (body["total"], body["state"], body["prefectures"]) == (2, "OPEN", ["28"])
    pk = body["id"]
    assert client.post(f"{CHECKS}{pk}/remind/").json() == {"sent": 2}
    closed = client.post(f"{CHECKS}{pk}/close/")
    assert closed.status_code == 200
    assert closed.json()["state"] == "CLOSED"
    again = client.post(f"{CHECKS}{pk}/close/")
    assert again.status_code == 400
    assert again.json() == {"detail": "This safety check is closed."}


def test_bad_input_to_start_is_400_and_saves_nothing(as_user):
    before = SafetyCheck.objects.count()
    client = as_user("clair")
    response = client.post(
        CHECKS,
        {"kind": "TYPHOON", "title_en": "T", "message_en": "M", "prefectures": ["99"]},
        format="json",
    )
    assert response.status_code == 400
    assert response.json() == {"prefectures": ["Unknown prefecture code."]}
    response = client.post(CHECKS, {"kind": "X"}, format="json")
    assert response.status_code == 400
    assert "kind" in response.json()
    assert SafetyCheck.objects.count() == before


@pytest.mark.parametrize("username", ["co.hyogo", "mofa", "embassy.us"])
def test_only_clair_starts_or_closes(as_user, check, username):
    client = as_user(username)
    assert client.post(CHECKS, {}, format="json").status_code == 403
    assert client.post(f"{CHECKS}{check.pk}/close/").status_code == 403
    assert client.post(f"{CHECKS}{check.pk}/remind/").status_code == 403


def test_assign_and_record_on_behalf(as_user, check, clair_manager, co_hyogo):
    sarah = answer_of(check, "participant")
    recorded = as_user("co.hyogo").post(
        f"{ANSWERS}{sarah.pk}/record/", {"status": NEED_HELP, "note": "Hurt"}, format="json"
    )
    assert recorded.status_code == 200, recorded.content
    assert recorded.json()["on_behalf"] is True
    assert recorded.json()["recorded_by"] == co_hyogo.pk
    assert (
        as_user("embassy.us")
        .post(f"{ANSWERS}{sarah.pk}/record/", {"status": SAFE}, format="json")
        .status_code
        == 403
    )
    assigned = as_user("clair").post(
        f"{ANSWERS}{sarah.pk}/assign/", {"assignee": clair_manager.pk}, format="json"
    )
    assert assigned.status_code == 200
    assert assigned.json()["assigned_to"] == clair_manager.pk
    wrong = as_user("clair").post(
        f"{ANSWERS}{sarah.pk}/assign/", {"assignee": co_hyogo.pk}, format="json"
    )
    assert wrong.status_code == 400
    assert wrong.json() == {"assignee": ["Assign to a member of CLAIR's staff."]}
    assert (
        as_user("co.hyogo")
        .post(f"{ANSWERS}{sarah.pk}/assign/", {"assignee": clair_manager.pk}, format="json")
        .status_code
        == 403
    )


# --- the personal link's endpoint ----------------------------------------------------------


def test_the_link_endpoint_needs_no_sign_in(check):
    client = APIClient()
    sarah = answer_of(check, "participant")
    shown = client.get(f"{LINK}{sarah.token}/")
    assert shown.status_code == 200
    assert shown.json()["message"].startswith("A strong earthquake")
    assert shown.json()["status"] == ""
    answered = client.post(
        f"{LINK}{sarah.token}/", {"status": SAFE, "location": "Kobe"}, format="json"
    )
    assert answered.status_code == 200, answered.content
    assert (answered.json()["status"], answered.json()["location"]) == (SAFE, "Kobe")
    sarah.refresh_from_db()
    assert sarah.status == SAFE
    assert sarah.recorded_by_id == sarah.participant_id


def test_the_link_endpoint_errors(check, clair):
    client = APIClient()
    sarah = answer_of(check, "participant")
    assert client.get(f"{LINK}wrong/").status_code == 404
    bad = client.post(f"{LINK}{sarah.token}/", {"status": "MAYBE"}, format="json")
    assert bad.status_code == 400
    assert "status" in bad.json()
    long_note = client.post(
        f"{LINK}{sarah.token}/", {"status": SAFE, "note": "x" * 2001}, format="json"
    )
    assert long_note.status_code == 400
    assert long_note.json() == {"note": ["Keep the note to 2000 characters."]}
    services.safety_check_close(by=clair, check=check)
    gone = client.post(f"{LINK}{sarah.token}/", {"status": SAFE}, format="json")
    assert gone.status_code == 410
    assert gone.json() == {"detail": "This safety check is closed; answers can no longer be given."}
    assert client.get(f"{LINK}{sarah.token}/").status_code == 410
    sarah.refresh_from_db()
    assert sarah.status == ""


# --- query counts ----------------------------------------------------------------------------


@pytest.mark.parametrize("username", ["clair", "co.hyogo", "embassy.us", "mofa"])
def test_lists_do_not_query_per_row(
    as_user, check, clair, co_hyogo, username, django_assert_max_num_queries
):
    client = as_user(username)
    client.get(CHECKS)
    with django_assert_max_num_queries(10) as small_list:
        assert client.get(CHECKS).status_code == 200
    with django_assert_max_num_queries(10) as small_answers:
        assert client.get(f"{CHECKS}{check.pk}/answers/").status_code == 200
    more_answers(check, co_hyogo.organisation, 40)
    start(clair)
    with django_assert_max_num_queries(len(small_list.captured_queries)):
        assert client.get(CHECKS).status_code == 200
    with django_assert_max_num_queries(len(small_answers.captured_queries)):
        assert client.get(f"{CHECKS}{check.pk}/answers/").status_code == 200


@pytest.mark.parametrize("username", ["clair", "co.hyogo", "embassy.us"])
def test_a_checks_answers_read_the_check_without_its_counts(as_user, check, username):
    """The counts of a check are over every answer of it; its page of answers shows none
    of them, and reads the check only to know the caller may see it."""
    client = as_user(username)
    with CaptureQueriesContext(connection) as queries:
        assert client.get(f"{CHECKS}{check.pk}/answers/").status_code == 200
    reads_of_the_check = [q["sql"] for q in queries if 'FROM "programme_safetycheck"' in q["sql"]]
    assert reads_of_the_check
    assert not [sql for sql in reads_of_the_check if "COUNT(" in sql]
    assert not [q for q in queries if "safetycheck_prefectures" in q["sql"]]
    # Its own address still shows them (CLAIR counts every answer).
    shown = client.get(f"{CHECKS}{check.pk}/").json()
    assert shown["total"] >= 1
    if username == "clair":
        assert shown["total"] == check.answers.count()


@pytest.mark.parametrize("username", ["clair", "co.hyogo", "embassy.us", "mofa"])
def test_the_list_counts_each_check_as_the_annotated_list_does(
    as_user, check, clair, co_hyogo, username
):
    """The API's page of checks counts them after it is cut (selectors.counts_attach);
    the page of the site counts them in the query (check_list): the same figures, the
    same small cells hidden for MOFA, and the same prefectures."""
    from apps.core.models import User
    from apps.safety import selectors

    more_answers(check, co_hyogo.organisation, 12)
    start(clair, codes=("28", "26"), title_en="Floods in Kyoto and Hyogo")
    user = User.objects.get(username=username)
    expected = list(selectors.check_list(user=user))
    selectors.counts_protect(expected, user=user)
    listed = as_user(username).get(CHECKS).json()["results"]
    fields = ("total", "safe", "need_help", "unanswered")
    assert [{"id": row["id"], **{f: row[f] for f in fields}} for row in listed] == [
        # A hidden cell is written as its reason ("fewer_than_3").
        {
            "id": check_.pk,
            **{f: getattr(getattr(check_, f), "reason", getattr(check_, f)) for f in fields},
        }
        for check_ in expected
    ]
    assert [row["prefectures"] for row in listed] == [
        sorted(p.pk for p in check_.prefectures.all()) for check_ in expected
    ]
    [ours] = [row for row in listed if row["id"] == check.pk]
    assert ours["total"] >= 1
    assert ours["prefectures"] == ["28"]
    if username == "clair":
        assert ours["total"] == check.answers.count()


def test_a_page_of_checks_counts_each_status_as_the_check_itself_does(as_user, check, co_hyogo):
    """The list counts a page's answers grouped by status after the page is read; the
    check's own address counts them as annotations: the same figures for each reader."""
    rules.answer_by_link(token=answer_of(check, "participant").token, status=SAFE)
    more_answers(check, co_hyogo.organisation, 7)  # 3 need help
    for username, figures in (
        ("clair", (9, 1, 3, 5)),
        ("embassy.us", (8, 1, 3, 4)),
        ("co.hyogo", (8, 1, 3, 4)),
    ):
        client = as_user(username)
        listed = {row["id"]: row for row in client.get(CHECKS).json()["results"]}[check.pk]
        fields = ("total", "safe", "need_help", "unanswered")
        assert tuple(listed[field] for field in fields) == figures, username
        detail = client.get(f"{CHECKS}{check.pk}/").json()
        assert {field: detail[field] for field in fields} == {f: listed[f] for f in fields}
