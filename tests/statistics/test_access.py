"""Who sees the statistics: missions only their own country's rows, contracting
organisations and private persons nothing (403 on page and API), nobody a person; and
the number of queries does not grow with the programme."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests.statistics.conftest import SURNAME, leaver

pytestmark = pytest.mark.django_db

SECTIONS = ("applications", "preferences", "leavers")


def countries(data: dict) -> set[str]:
    found = {row["code"] for row in data["participants"]["by_country"]}
    for section in SECTIONS:
        found |= {row["country"] for row in data[section]["rows"]}
    return found


def test_uk_mission_sees_only_uk_rows_in_the_api(programme, token_client):
    data = token_client("embassy.uk").get("/api/v1/statistics/?year=2040").json()
    assert data["country"] == "GB"
    assert countries(data) == {"GB"}
    assert data["participants"]["total"] == 1
    assert {r["country"] for r in data["applications"]["rows"]} == {"GB"}
    assert data["applications"]["totals"]["places"] == 6
    rounds = token_client("embassy.uk").get("/api/v1/statistics/?year=2041").json()
    prefectures = rounds["reappointment"]["by_prefecture"]
    assert [(r["prefecture"], r["cases"], r["open"]) for r in prefectures] == [("01", 1, 1)]
    assert rounds["leavers"]["rows"] == []


def test_us_mission_sees_only_us_rows(programme, token_client):
    data = token_client("embassy.us").get("/api/v1/statistics/?year=2040").json()
    assert countries(data) == {"US"}
    assert data["participants"]["total"] == 4
    years = {
        r["year"]: r
        for r in token_client("embassy.us").get("/api/v1/statistics/?year=all").json()["years"]
    }
    assert (years[2040]["participants"], years[2040]["applications"]) == (4, 7)
    assert years[2041]["leavers"] == 3


def test_uk_mission_page_has_no_us_row(programme, client_as):
    for year in ("2040", "2041", "all"):
        response = client_as("embassy.uk").get(f"/statistics/?year={year}")
        assert response.status_code == 200
        page = response.content.decode()
        assert "United States" not in page
        assert "-US-" not in page
    page = client_as("embassy.uk").get("/statistics/?year=2040").content.decode()
    assert 'data-testid="by-country-GB"' in page
    assert 'data-testid="scope-country"' in page


@pytest.mark.parametrize("username", ["co.hyogo", "co.sapporo", "applicant", "participant"])
def test_others_are_refused_on_page_and_api(programme, client_as, token_client, username):
    assert client_as(username).get("/statistics/").status_code == 403
    assert client_as(username).get("/statistics/?year=all").status_code == 403
    response = token_client(username).get("/api/v1/statistics/?year=2040")
    assert response.status_code == 403
    assert "participants" not in response.json()


def test_anonymous_is_sent_to_sign_in(client, api_client):
    assert client.get("/statistics/").status_code == 302
    assert api_client.get("/api/v1/statistics/").status_code in (401, 403)


@pytest.mark.parametrize("username", ["mic", "mofa", "clair", "mext", "embassy.us"])
def test_no_person_in_any_output(programme, client_as, token_client, username, participant):
    application = programme["p1"].application
    forbidden = (SURNAME, "Zebedee", application.number, participant.last_name)
    for year in ("2040", "2041", "all"):
        outputs = (
            client_as(username).get(f"/statistics/?year={year}").content.decode(),
            token_client(username).get(f"/api/v1/statistics/?year={year}").content.decode(),
        )
        for output in outputs:
            for text in forbidden:
                assert text not in output, (username, year, text)


def _queries(client, url: str) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


@pytest.mark.parametrize(
    "url",
    [
        "/statistics/?year=2040",
        "/statistics/?year=2041",
        "/statistics/?year=all",
        "/api/v1/statistics/?year=2040",
        "/api/v1/statistics/?year=2041",
        "/api/v1/statistics/?year=all",
    ],
)
def test_queries_do_not_grow_with_the_data(
    programme, client_as, token_client, url, django_assert_max_num_queries
):
    client = token_client("mic") if url.startswith("/api/") else client_as("mic")
    for _ in range(3):
        leaver(2040)
    _queries(client, url)  # an API token is checked once, then remembered
    small = _queries(client, url)
    for _ in range(6):
        leaver(2040, "GB")
    with django_assert_max_num_queries(20):
        assert _queries(client, url) == small
