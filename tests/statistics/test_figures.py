"""Each figure of the statistics against the hand-built programme of conftest.py, read
through the API as MIC (everything), and the same figures shaped for the page."""

import pytest

from apps.core.models import ProgrammeYear
from apps.finance import statistics

pytestmark = pytest.mark.django_db


def dims(rows) -> dict:
    return {row["code"]: row["n"] for row in rows}


def by(rows, *keys) -> dict:
    return {tuple(row[k] for k in keys): row for row in rows}


@pytest.fixture
def figures_2040(programme, token_client):
    response = token_client("mic").get("/api/v1/statistics/?year=2040")
    assert response.status_code == 200, response.content[:300]
    return response.json()


def test_participants_by_country_position_prefecture_contract_year_and_level(figures_2040):
    p = figures_2040["participants"]
    assert p["total"] == 5
    assert dims(p["by_country"]) == {"US": 4, "GB": 1}
    assert dims(p["by_position"]) == {"ALT": 4, "CIR": 1}
    assert dims(p["by_prefecture"]) == {"01": 2, "28": 3}
    assert dims(p["by_contract_year"]) == {"1": 4, "2": 1}
    assert dims(p["by_school_level"]) == {"ELEMENTARY": 1, "JUNIOR_HIGH": 1, "SENIOR_HIGH": 2}


def test_applications_against_published_acceptance_numbers(figures_2040):
    a = figures_2040["applications"]
    rows = by(a["rows"], "country", "position")
    assert set(rows) == {("US", "ALT"), ("US", "CIR"), ("GB", "ALT"), ("GB", "CIR")}
    us_alt = rows["US", "ALT"]
    assert (us_alt["places"], us_alt["applications"], us_alt["holding"]) == (10, 6, 4)
    assert (us_alt["forwarded"], us_alt["shortlisted"], us_alt["alternate"]) == (3, 1, 1)
    assert us_alt["not_selected"] == 1
    assert (rows["US", "CIR"]["places"], rows["US", "CIR"]["applications"]) == (2, 1)
    gb_alt = rows["GB", "ALT"]
    assert (gb_alt["places"], gb_alt["applications"], gb_alt["holding"]) == (5, 3, 1)
    assert (gb_alt["withdrawn"], gb_alt["submitted"]) == (1, 1)
    assert (rows["GB", "CIR"]["places"], rows["GB", "CIR"]["applications"]) == (1, 0)
    assert a["totals"]["places"] == 18
    assert a["totals"]["applications"] == 10
    assert a["totals"]["holding"] == 6


def test_first_second_and_third_preferences(figures_2040):
    prefs = figures_2040["preferences"]
    rows = by(prefs["rows"], "country", "position")
    counts = ("placed", "first", "second", "third", "none_met", "no_preference")
    assert [rows["US", "ALT"][k] for k in counts] == [3, 2, 1, 0, 0, 0]
    assert [rows["US", "CIR"][k] for k in counts] == [1, 0, 0, 1, 0, 0]
    assert [rows["GB", "ALT"][k] for k in counts] == [1, 0, 0, 0, 1, 0]
    assert [prefs["totals"][k] for k in counts] == [5, 2, 1, 1, 1, 0]


def test_no_preference_given_is_its_own_column(programme, mic):
    from tests.statistics.conftest import application, placement

    placement(application(2040, "GB", preferences=()), "co.hyogo", "MIXED")
    prefs = statistics.year_statistics(user=mic, year=programme["p1"].application.programme_year)
    gb = by(prefs["preferences"]["rows"], "country", "position")["GB", "ALT"]
    assert (gb["placed"], gb["none_met"], gb["no_preference"]) == (2, 1, 1)


def test_reappointment_rates_by_prefecture_and_position(programme, token_client):
    data = token_client("mic").get("/api/v1/statistics/?year=2041").json()
    r = data["reappointment"]
    rows = by(r["by_prefecture"], "prefecture", "position")
    assert set(rows) == {("28", "ALT"), ("01", "CIR"), ("01", "ALT")}
    cells = ("cases", "continuing", "leaving", "open", "rate")
    assert [rows["28", "ALT"][k] for k in cells] == [3, 1, 2, 0, 33.3]
    assert [rows["01", "CIR"][k] for k in cells] == [1, 0, 1, 0, 0.0]
    assert [rows["01", "ALT"][k] for k in cells] == [1, 0, 0, 1, None]
    positions = by(r["by_position"], "position")
    assert [positions["ALT",][k] for k in cells] == [4, 1, 2, 1, 33.3]
    assert [positions["CIR",][k] for k in cells] == [1, 0, 1, 0, 0.0]
    assert [r["totals"][k] for k in cells] == [5, 1, 3, 1, 25.0]


def test_leavers_and_alumni_consent(programme, token_client):
    data = token_client("mic").get("/api/v1/statistics/?year=2041").json()
    rows = by(data["leavers"]["rows"], "country", "position")
    assert set(rows) == {("US", "ALT"), ("US", "CIR")}
    cells = ("leavers", "confirmed", "alumni_consent")
    assert [rows["US", "ALT"][k] for k in cells] == [2, 1, 1]
    assert [rows["US", "CIR"][k] for k in cells] == [1, 1, 1]
    assert data["leavers"]["totals"] == {"leavers": 3, "confirmed": 2, "alumni_consent": 2}
    # The re-appointed participant's next (draft) contract makes them a 2041 participant.
    assert data["participants"]["total"] == 1
    assert dims(data["participants"]["by_contract_year"]) == {"2": 1}


def test_across_years_table(programme, token_client):
    data = token_client("mic").get("/api/v1/statistics/?year=all").json()
    assert data["year"] is None
    assert data["participants"] is None
    years = {row["year"]: row for row in data["years"]}
    assert {2039, 2040, 2041} <= set(years)
    measures = (
        "participants",
        "alt",
        "cir",
        "places",
        "applications",
        "holding",
        "placed",
        "first",
        "second",
        "third",
        "reappointment_cases",
        "continuing",
        "leaving",
        "reappointment_open",
        "rate",
        "leavers",
        "alumni_consent",
        "contract_year_1",
        "contract_year_2",
    )
    assert [years[2039][k] for k in measures] == [
        *(1, 1, 0, 0, 1, 1, 1, 1, 0, 0, 0, 0, 0, 0, None, 0, 0, 1, 0)
    ]
    assert [years[2040][k] for k in measures] == [
        *(5, 4, 1, 18, 10, 6, 5, 2, 1, 1, 0, 0, 0, 0, None, 0, 0, 4, 1)
    ]
    assert [years[2041][k] for k in measures] == [
        *(1, 1, 0, 0, 0, 0, 0, 0, 0, 0, 5, 1, 3, 1, 25.0, 3, 2, 0, 1)
    ]


def test_mext_sees_the_alts_only(programme, token_client):
    data = token_client("mext").get("/api/v1/statistics/?year=2040").json()
    p = data["participants"]
    assert p["total"] == 4
    assert p["by_country"] is None
    assert p["by_position"] is None
    assert dims(p["by_prefecture"]) == {"01": 1, "28": 3}
    assert dims(p["by_contract_year"]) == {"1": 3, "2": 1}
    assert dims(p["by_school_level"]) == {"ELEMENTARY": 1, "JUNIOR_HIGH": 1, "SENIOR_HIGH": 2}
    for section in ("applications", "preferences", "reappointment", "leavers"):
        assert data[section] is None
    years = {
        row["year"]: row
        for row in token_client("mext").get("/api/v1/statistics/?year=all").json()["years"]
    }
    assert (years[2040]["participants"], years[2040]["contract_year_2"]) == (4, 1)
    assert years[2040]["applications"] is None
    assert years[2041]["leavers"] is None


def test_page_shows_the_same_figures(programme, client_as):
    response = client_as("mic").get("/statistics/?year=2040")
    assert response.status_code == 200
    page = response.content.decode()
    assert 'data-testid="participants-total">5<' in page
    assert 'data-testid="by-country-US"' in page
    assert 'data-testid="applications-GB-CIR"' in page
    assert 'data-testid="preferences-US-ALT"' in page
    assert "<svg" in page
    assert 'role="img" aria-label="United States: 4"' in page
    response = client_as("mic").get("/statistics/?year=all")
    assert 'data-testid="year-2040"' in response.content.decode()


def test_unknown_year_is_404(programme, client_as, token_client):
    assert client_as("mic").get("/statistics/?year=1901").status_code == 404
    assert client_as("mic").get("/statistics/?year=soon").status_code == 404
    assert token_client("mic").get("/api/v1/statistics/?year=1901").status_code == 404


def test_without_a_year_the_current_one(programme, token_client):
    data = token_client("mic").get("/api/v1/statistics/").json()
    assert data["year"] == ProgrammeYear.objects.get(is_current=True).year
