"""Hostile input answers a clear 400, never a 500, and nothing is saved: each class of
input the fuzzing of issue 16 found answering 500, or silently ignored, at the address
where it was found (apps/core/input_checks.py, apps/core/api/parsers.py,
apps/core/api/pagination.py, apps/core/api/filters.py, apps/core/limits.py)."""

import json

import pytest

from apps.core.models import ProgrammeYear, User
from apps.events.models import Event

NUL = "a\x00b"


def _json(response) -> dict:
    assert response["Content-Type"].startswith("application/json"), response["Content-Type"]
    return response.json()


# --- a NUL character ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("username", "address", "parameter"),
    [
        ("embassy.us", "/api/v1/applications/", "q"),
        ("clair", "/api/v1/threads/", "q"),
        ("clair.counsellor", "/api/v1/support-cases/", "q"),
        ("co.hyogo", "/api/v1/library/", "q"),
        ("mic", "/api/v1/costs/", "organisation"),
        ("clair", "/api/v1/reappointment-cases/", "q"),
    ],
)
def test_a_nul_in_an_api_query_is_a_400_naming_the_parameter(api_as, username, address, parameter):
    response = api_as(username).get(address, {parameter: NUL})

    assert response.status_code == 400
    assert parameter in _json(response)


@pytest.mark.parametrize(
    ("username", "address"),
    [
        ("co.hyogo", "/library/"),
        ("clair", "/correspondence/"),
        ("clair.counsellor", "/support/"),
        ("mic", "/costs/"),
    ],
)
def test_a_nul_in_a_page_query_is_the_error_page(client_as, username, address):
    response = client_as(username).get(address, {"q": NUL})

    assert response.status_code == 400
    assert b"not allowed" in response.content


def test_a_nul_in_a_page_form_is_refused_in_the_person_s_language(client_as):
    User.objects.filter(username="clair").update(language="ja")
    events = Event.objects.count()

    response = client_as("clair").post("/programme/events/new/", {"title_en": NUL})

    assert response.status_code == 400
    assert "使用できない文字" in response.content.decode()
    assert Event.objects.count() == events


def test_a_nul_in_a_json_key_or_value_is_a_400(api_as):
    client = api_as("clair")

    key = client.post(
        "/api/v1/events/", data=json.dumps({NUL: "x"}), content_type="application/json"
    )
    value = client.post(
        "/api/v1/events/", data=json.dumps({"title_en": NUL}), content_type="application/json"
    )

    assert key.status_code == 400
    assert "detail" in _json(key)
    assert value.status_code == 400
    assert "title_en" in _json(value)


def test_a_nul_in_a_key_of_the_cost_preview_is_a_400(api_as):
    client = api_as("mic")
    year = ProgrammeYear.objects.order_by("-year").first().year
    body = client.get(f"/api/v1/costs/parameters/{year}/").json()
    body["scale"] = {**body["scale"], NUL: 1}

    response = client.post(
        f"/api/v1/costs/parameters/{year}/preview/",
        data=json.dumps(body),
        content_type="application/json",
    )

    assert response.status_code == 400


# --- deeply nested JSON ---------------------------------------------------------------------


def test_deeply_nested_json_is_a_400_even_before_sign_in(client):
    depth = 50_000
    body = "[" * depth + "]" * depth

    response = client.post("/api/v1/auth/token/", data=body, content_type="application/json")

    assert response.status_code == 400
    assert "nested" in _json(response)["detail"]


# --- a malformed cursor, page or page size ---------------------------------------------------


@pytest.mark.parametrize(
    ("username", "address"),
    [("embassy.us", "/api/v1/applications/"), ("participant", "/api/v1/notifications/")],
)
def test_a_malformed_cursor_is_a_400(api_as, username, address):
    response = api_as(username).get(address, {"cursor": "cD1hYmM="})

    assert response.status_code == 400
    assert "cursor" in _json(response)


@pytest.mark.parametrize("page_size", ["null", "0", "-1", "100000", ""])
def test_a_page_size_that_is_no_size_is_a_400(api_as, page_size):
    response = api_as("embassy.us").get("/api/v1/applications/", {"page_size": page_size})

    assert response.status_code == 400
    assert "page_size" in _json(response)


@pytest.mark.parametrize("page", ["", "last", "abc", "0"])
def test_a_page_that_is_no_page_is_a_400(api_as, page):
    response = api_as("clair").get("/api/v1/alumni/", {"page": page})

    assert response.status_code == 400
    assert "page" in _json(response)


# --- numbers out of range -------------------------------------------------------------------


def test_a_year_out_of_range_is_a_400(api_as):
    response = api_as("participant").get(
        "/api/v1/subsidy-claims/allowance/", {"fiscal_year": "100000000000"}
    )

    assert response.status_code == 400
    assert "fiscal_year" in _json(response)


def test_a_capacity_out_of_range_is_a_400_and_nothing_is_saved(api_as):
    client = api_as("clair")
    event = client.get("/api/v1/events/").json()["results"][0]

    response = client.patch(f"/api/v1/events/{event['id']}/", {"capacity": 2**40}, format="json")

    assert response.status_code == 400
    assert "capacity" in _json(response)
    assert Event.objects.get(pk=event["id"]).capacity != 2**40


def test_a_cost_parameter_out_of_range_is_a_400(api_as):
    client = api_as("mic")
    year = ProgrammeYear.objects.order_by("-year").first().year
    body = client.get(f"/api/v1/costs/parameters/{year}/").json()
    body["per_participant"] = 2**31

    response = client.post(
        f"/api/v1/costs/parameters/{year}/preview/",
        data=json.dumps(body),
        content_type="application/json",
    )

    assert response.status_code == 400
    assert "per_participant" in _json(response)


def test_a_date_of_another_age_is_a_400(api_as):
    response = api_as("clair").post(
        "/api/v1/courses/",
        {
            "level": "BEGINNER",
            "title_en": "Year 88",
            "enrol_opens": "0088-09-27T14:12:08+09:00",
            "enrol_closes": "2027-01-01T00:00:00+09:00",
            "capacity": 10,
            "starts_on": "2027-02-01",
            "ends_on": "2027-03-01",
        },
        format="json",
    )

    assert response.status_code == 400
    assert "enrol_opens" in _json(response)


# --- invalid filters ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("username", "address", "parameter", "value"),
    [
        ("co.hyogo", "/api/v1/library/", "audience", "EVERYONE_ELSE"),
        ("clair", "/api/v1/promotions/", "from", ""),
        ("clair", "/api/v1/promotions/", "from", "2027-02-30"),
        ("clair", "/api/v1/events/", "upcoming", "null"),
        ("mic", "/api/v1/statistics/", "year", ""),
    ],
)
def test_an_invalid_filter_is_a_400_naming_it(api_as, username, address, parameter, value):
    response = api_as(username).get(address, {parameter: value})

    assert response.status_code == 400
    assert parameter in _json(response)


def test_text_where_the_schema_says_text(api_as):
    response = api_as("clair").post(
        "/api/v1/promotions/",
        {"kind": "FAIR", "title": "Fair", "starts_on": "2027-01-10", "audience": 0},
        format="json",
    )

    assert response.status_code == 400
    assert "audience" in _json(response)


# --- refusals before any view ---------------------------------------------------------------


def test_too_many_form_fields_answer_json_under_the_api(api_as, settings):
    settings.DATA_UPLOAD_MAX_NUMBER_FIELDS = 5
    body = "&".join(f"f{n}=x" for n in range(10))

    response = api_as("clair").generic(
        "POST", "/api/v1/threads/", body, content_type="application/x-www-form-urlencoded"
    )

    assert response.status_code == 400
    assert "detail" in _json(response)
