"""Each demo account signs in, lands on its own workspace and sees only its own navigation."""

import pytest

# username -> (workspace URL, kind, nav keys it must show)
EXPECTED = {
    "clair": ("/clair/", "CLAIR", {"workspace", "organisations", "costs"}),
    "clair.manager": (
        "/clair/",
        "CLAIR",
        {"workspace", "organisations", "costs", "audit"},
    ),
    "mofa": ("/mofa/hq/", "MOFA", {"workspace", "organisations"}),
    "embassy.us": ("/mofa/mission/", "MISSION", {"workspace", "my-organisation"}),
    "embassy.uk": ("/mofa/mission/", "MISSION", {"workspace", "my-organisation"}),
    "mic": ("/mic/", "MIC", {"workspace", "organisations", "costs"}),
    "mext": ("/mext/", "MEXT", {"workspace", "my-organisation"}),
    "co.hyogo": (
        "/contracting/",
        "CONTRACTING",
        {"workspace", "my-organisation", "costs"},
    ),
    "co.sapporo": (
        "/contracting/",
        "CONTRACTING",
        {"workspace", "my-organisation", "costs"},
    ),
    "applicant": ("/mofa/applicant/", "APPLICANT", {"workspace"}),
    "participant": ("/participant/", "PARTICIPANT", {"workspace"}),
}
ALL_NAV = {"workspace", "organisations", "my-organisation", "audit", "costs", "inbox"}
WORKSPACES = {url for url, _, _ in EXPECTED.values()}


@pytest.mark.parametrize("username", EXPECTED)
def test_demo_account_lands_on_its_own_workspace(login, username):
    url, _kind, nav = EXPECTED[username]
    client = login(username)
    response = client.get("/", follow=True)
    assert response.redirect_chain[-1][0] == url
    html = response.content.decode()
    assert 'data-testid="workspace-title"' in html
    for key in nav:
        assert f'data-nav="{key}"' in html
    for key in ALL_NAV - nav:
        assert f'data-nav="{key}"' not in html


@pytest.mark.parametrize("username", EXPECTED)
def test_other_actors_workspaces_are_forbidden(login, username):
    own = EXPECTED[username][0]
    client = login(username)
    for url in WORKSPACES - {own}:
        assert client.get(url).status_code == 403, url


@pytest.mark.parametrize("username", EXPECTED)
def test_api_me_tells_who_the_user_is(api_as, username):
    data = api_as(username).get("/api/v1/me/").json()
    assert data["username"] == username
    assert data["kind"] == EXPECTED[username][1]
    if EXPECTED[username][1] in ("APPLICANT", "PARTICIPANT"):
        assert data["organisation"] is None
        assert data["role"] is None
    else:
        assert data["organisation"]
        assert data["role"] in ("STAFF", "MANAGER")


def test_header_shows_organisation_and_role(login):
    html = login("embassy.us").get("/mofa/mission/").content.decode()
    assert "Embassy of Japan in the United States" in html
    assert '<span class="identity__role">Staff</span>' in html


def test_workspace_shows_real_counts(login):
    from apps.core.models import Organisation

    html = login("clair").get("/clair/").content.decode()
    contracting = Organisation.objects.filter(kind="CONTRACTING").count()
    assert f'data-testid="count-contracting">{contracting}<' in html
    assert "Hyogo" in html


def test_mofa_workspace_lists_every_mission(login):
    html = login("mofa").get("/mofa/hq/").content.decode()
    assert "Embassy of Japan in the Philippines" in html
    assert "Hyogo Prefectural Board of Education" not in html


def test_anonymous_is_sent_to_login(client):
    for url in ["/", *WORKSPACES, "/inbox/", "/organisations/"]:
        response = client.get(url)
        assert response.status_code == 302, url
        assert response["Location"].startswith("/accounts/login/"), url


def test_logout_ends_the_session(login):
    client = login("clair")
    assert client.post("/accounts/logout/").status_code == 302
    assert client.get("/clair/").status_code == 302
