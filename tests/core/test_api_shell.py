import yaml
from drf_spectacular.validation import validate_schema


def test_token_is_issued_for_a_valid_password(api_client, db):
    response = api_client.post(
        "/api/v1/auth/token/", {"username": "mic", "password": "jet-demo-2027"}, format="json"
    )
    assert response.status_code == 200
    token = response.json()["token"]
    api_client.credentials(HTTP_AUTHORIZATION=f"Token {token}")
    assert api_client.get("/api/v1/me/").json()["kind"] == "MIC"


def test_token_is_refused_for_a_wrong_password(api_client, db):
    response = api_client.post(
        "/api/v1/auth/token/", {"username": "mic", "password": "wrong"}, format="json"
    )
    assert response.status_code == 400
    assert "token" not in response.json()


def test_api_needs_authentication(api_client, db):
    assert api_client.get("/api/v1/me/").status_code == 401
    assert api_client.get("/api/v1/organisations/").status_code == 401


def test_session_authentication_works_for_the_browser(login):
    assert login("mext").get("/api/v1/me/").json()["kind"] == "MEXT"


def test_list_is_paginated_with_results_next_previous(api_as):
    data = api_as("clair").get("/api/v1/organisations/?page_size=10").json()
    assert len(data["results"]) == 10
    assert data["next"]
    assert data["previous"] is None
    assert data["count"] > 40


def test_schema_is_valid_openapi_3(client, db):
    response = client.get("/api/schema/")
    assert response.status_code == 200
    schema = yaml.safe_load(response.content)
    assert schema["openapi"].startswith("3.")
    validate_schema(schema)
    assert "/api/v1/me/" in schema["paths"]
    assert "/api/v1/auth/token/" in schema["paths"]


def test_swagger_ui_is_served_locally(client, db):
    html = client.get("/api/docs/").content.decode()
    assert "swagger-ui" in html
    assert "cdn" not in html.lower()
    assert "/static/drf_spectacular_sidecar/swagger-ui-dist/" in html
