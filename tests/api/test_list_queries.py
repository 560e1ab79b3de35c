"""Every scoped API list, as every kind of account that reads it: a page costs the same
number of queries whatever its number of rows, and each row says what the object's own
address says of every field the row shows.

Lists read only the columns their serializer shows (apps/core/api/columns.py), while an
object's own address reads it whole: a row that differed from its detail would be a
column the narrowing missed, and a count that grew with the rows a relation it left
unjoined.
"""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

LISTS = [
    "applications",
    "contracts",
    "placements",
    "positions",
    "registrations",
    "events",
    "reappointment-cases",
    "safety-checks",
    "support-cases",
    "subsidy-claims",
    "notifications",
    "organisations",
    "prefectures",
]
ACCOUNTS = ["clair", "mofa", "embassy.us", "mic", "mext", "co.hyogo", "applicant", "participant"]


def _queries(client, url: str):
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200, response.content[:500]
    return len(captured), response.json()


def _rows(answer) -> list:
    return answer["results"] if isinstance(answer, dict) else answer


@pytest.mark.parametrize("name", LISTS)
def test_a_page_costs_the_same_queries_as_one_row(name, token_client):
    checked = []
    for username in ACCOUNTS:
        client = token_client(username)
        url = f"/api/v1/{name}/"
        _queries(client, f"{url}?page_size=1")  # content types and permission ids cached
        one, _ = _queries(client, f"{url}?page_size=1")
        many, answer = _queries(client, f"{url}?page_size=200")
        rows = _rows(answer)
        if len(rows) < 2:
            continue
        assert one >= 2  # the token and the page, at least: the queries were counted
        assert many == one, f"{username}: {many} queries for {len(rows)} rows, {one} for 1"
        checked.append(username)
    assert checked, f"no account reads two rows of {name} in the demo world"


@pytest.mark.parametrize("name", LISTS)
def test_each_row_agrees_with_its_own_address(name, token_client):
    for username in ACCOUNTS:
        client = token_client(username)
        url = f"/api/v1/{name}/"
        rows = _rows(client.get(f"{url}?page_size=200").json())
        key = "code" if name == "prefectures" else "id"
        for row in rows[:25]:
            detail = client.get(f"{url}{row[key]}/")
            assert detail.status_code == 200
            # A detail may show more (a thread's messages); never other values.
            shown = {field: detail.json().get(field) for field in row}
            assert shown == row, f"{username}: {name} {row[key]}"


def test_safety_answers_of_a_check_cost_the_same_queries_as_one_row(token_client):
    client = token_client("clair")
    checks = _rows(client.get("/api/v1/safety-checks/?page_size=200").json())
    assert checks
    url = f"/api/v1/safety-checks/{checks[0]['id']}/answers/"
    _queries(client, f"{url}?page_size=1")
    one, _ = _queries(client, f"{url}?page_size=1")
    many, answer = _queries(client, f"{url}?page_size=200")
    assert len(_rows(answer)) >= 2
    assert many == one
