"""Response headers (issue 16, item 7): a strict Content-Security-Policy on every answer,
relaxed for styles only on the Swagger UI; `Cache-Control: no-store` on the API's
answers, the token endpoint among them. The browser check that htmx and the Swagger UI
still work under the policy is tests/browser/test_content_security_policy.py."""

import re

import pytest

from tests.conftest import DEMO_PASSWORD

STRICT = {
    "default-src": ["'self'"],
    "script-src": ["'self'"],
    "style-src": ["'self'"],
    "img-src": ["'self'"],
    "object-src": ["'none'"],
    "base-uri": ["'none'"],
    "form-action": ["'self'"],
    "frame-ancestors": ["'none'"],
}


def policy(response) -> dict[str, list[str]]:
    header = response.headers["Content-Security-Policy"]
    directives = {}
    for part in header.split(";"):
        name, *values = part.split()
        directives[name] = sorted(values)
    return directives


def test_a_page_has_the_strict_policy(client, db):
    response = client.get("/accounts/login/")

    assert response.status_code == 200
    assert policy(response) == STRICT


def test_a_signed_in_page_has_the_strict_policy(client_as):
    response = client_as("embassy.us").get("/mofa/mission/")

    assert response.status_code == 200
    assert policy(response) == STRICT


def test_an_api_answer_has_the_strict_policy(token_client):
    response = token_client("participant").get("/api/v1/me/")

    assert response.status_code == 200
    assert policy(response) == STRICT


def test_the_swagger_ui_may_use_inline_styles_and_data_images_but_no_inline_script(client, db):
    response = client.get("/api/docs/")

    assert response.status_code == 200
    directives = policy(response)
    assert directives["style-src"] == ["'self'", "'unsafe-inline'"]
    assert directives["img-src"] == ["'self'", "data:"]
    assert directives["script-src"] == ["'self'"]
    # Every script is a file: the start-up script too (the split view's ?script).
    scripts = re.findall(r"<script([^>]*)>", response.content.decode())
    assert scripts
    assert all("src=" in attributes for attributes in scripts)
    start_up = client.get("/api/docs/?script=")
    assert start_up.status_code == 200
    assert start_up["Content-Type"].startswith("application/javascript")
    assert "SwaggerUIBundle" in start_up.content.decode()


# Inline scripts, event handler attributes, style attributes and javascript: links are
# what the policy refuses; no page may carry one.
INLINE = re.compile(
    r"<script(?![^>]*\bsrc=)[^>]*>|\son[a-z]+\s*=|\sstyle\s*=|javascript:", re.IGNORECASE
)


@pytest.mark.parametrize(
    "username",
    ["clair", "mofa", "embassy.us", "mic", "mext", "co.hyogo", "applicant", "participant"],
)
def test_no_page_in_the_navigation_has_inline_script_or_style(client_as, username):
    client = client_as(username)
    home = client.get("/", follow=True)
    assert home.status_code == 200
    urls = [home.request["PATH_INFO"]] + [item["url"] for item in home.context["nav_items"]]
    for url in urls:
        response = client.get(url, follow=True)
        assert response.status_code == 200, url
        found = INLINE.search(response.content.decode())
        assert found is None, f"{url}: {found.group(0)!r}"


# --- Cache-Control: no-store ----------------------------------------------------------------


def test_the_token_endpoint_answer_is_not_stored(api_client, db):
    response = api_client.post(
        "/api/v1/auth/token/", {"username": "participant", "password": DEMO_PASSWORD}
    )

    assert response.status_code == 200
    assert response["Cache-Control"] == "no-store"


def test_a_refused_sign_in_on_the_token_endpoint_is_not_stored_either(api_client, db):
    response = api_client.post(
        "/api/v1/auth/token/", {"username": "participant", "password": "wrong"}
    )

    assert response.status_code == 400
    assert response["Cache-Control"] == "no-store"


def test_a_personal_api_answer_is_not_stored(token_client):
    response = token_client("participant").get("/api/v1/me/")

    assert response.status_code == 200
    assert response["Cache-Control"] == "no-store"


def test_a_personal_api_answer_by_session_is_not_stored(client_as):
    response = client_as("embassy.us").get("/api/v1/applications/")

    assert response.status_code == 200
    assert response["Cache-Control"] == "no-store"


def test_an_api_error_is_not_stored(token_client):
    response = token_client("participant").get("/api/v1/applications/999999999/")

    assert response.status_code == 404
    assert response["Cache-Control"] == "no-store"
