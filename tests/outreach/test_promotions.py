"""Promotional activities: who sees which (pages and API), who records and changes
them, linked information sessions, and the counts by country and month on a small
hand-built set (fiscal year 2031, which no demo activity touches)."""

import datetime as dt
import re

import pytest
from django.core.exceptions import PermissionDenied

from apps.core.errors import DomainError
from apps.events.models import Event
from apps.outreach import selectors, services
from apps.outreach.models import PromotionActivity

pytestmark = pytest.mark.django_db

FY = 2031
FROM, TO = dt.date(2031, 4, 1), dt.date(2032, 4, 1)


@pytest.fixture
def world(embassy_us, embassy_uk, clair):
    """US: two in October (reach 10 and 20), one in November (5); UK: one in October
    (7), one in March 2032 (3); CLAIR: one in January 2032 (100); one US activity before
    the fiscal year (April 2031 is in; 31 March 2031 is not)."""

    def add(by, title, day, reach, **extra):
        return services.promotion_create(
            by=by, kind="FAIR", title=title, starts_on=day, ends_on=day, reach=reach, **extra
        )

    return {
        "us1": add(embassy_us, "US fair A", dt.date(2031, 10, 3), 10),
        "us2": add(embassy_us, "US fair B", dt.date(2031, 10, 31), 20),
        "us3": add(embassy_us, "US visit", dt.date(2031, 11, 1), 5),
        "us_before": add(embassy_us, "US old", dt.date(2031, 3, 31), 99),
        "uk1": add(embassy_uk, "UK fair", dt.date(2031, 10, 15), 7),
        "uk2": add(embassy_uk, "UK spring", dt.date(2032, 3, 31), 3),
        "clair": add(clair, "CLAIR booth", dt.date(2032, 1, 24), 100),
    }


def _counts(user):
    return {
        (r["country_code"], r["month"].strftime("%Y-%m")): (r["activities"], r["reach"])
        for r in selectors.promotion_counts(user=user, starts_from=FROM, starts_before=TO)
    }


# --- who sees what ---------------------------------------------------------------------------


def test_a_mission_sees_only_its_own_activities(world, embassy_us):
    titles = set(selectors.promotion_list(user=embassy_us).values_list("title", flat=True))
    assert {"US fair A", "US fair B", "US visit", "US old"} <= titles
    assert not titles & {"UK fair", "UK spring", "CLAIR booth"}


@pytest.mark.parametrize("username", ["mofa", "clair"])
def test_mofa_and_clair_see_every_activity(world, username, client_as, token_client):
    page = client_as(username).get(f"/outreach/promotions/?fy={FY}")
    assert page.status_code == 200
    html = page.content.decode()
    for key in ("us1", "us2", "us3", "uk1", "uk2", "clair"):
        assert f'data-testid="promotion-{world[key].pk}"' in html
    api = token_client(username)
    ids = {
        row["id"]
        for row in api.get(
            "/api/v1/promotions/?from=2031-04-01&to=2032-04-01&page_size=200"
        ).json()["results"]
    }
    assert ids == {world[k].pk for k in ("us1", "us2", "us3", "uk1", "uk2", "clair")}
    assert api.get(f"/api/v1/promotions/{world['uk1'].pk}/").status_code == 200


def test_another_missions_activity_is_404_on_page_and_api(world, client_as, token_client):
    uk = world["uk1"].pk
    page = client_as("embassy.us")
    assert page.get(f"/outreach/promotions/{uk}/").status_code == 404
    assert page.get(f"/outreach/promotions/{uk}/edit/").status_code == 404
    html = page.get(f"/outreach/promotions/?fy={FY}").content.decode()
    assert f'data-testid="promotion-{uk}"' not in html
    assert "UK fair" not in html
    api = token_client("embassy.us")
    assert api.get(f"/api/v1/promotions/{uk}/").status_code == 404
    assert api.patch(f"/api/v1/promotions/{uk}/", {"reach": 1}, format="json").status_code == 404
    listed = {r["id"] for r in api.get("/api/v1/promotions/?page_size=200").json()["results"]}
    assert world["us1"].pk in listed
    assert uk not in listed


@pytest.mark.parametrize("username", ["mic", "mext", "co.hyogo", "participant", "applicant"])
def test_others_see_no_activity(world, username, client_as, token_client):
    assert client_as(username).get("/outreach/promotions/").status_code == 403
    assert client_as(username).get(f"/outreach/promotions/{world['us1'].pk}/").status_code == 403
    api = token_client(username)
    assert api.get("/api/v1/promotions/").json()["count"] == 0
    assert api.get(f"/api/v1/promotions/{world['us1'].pk}/").status_code == 404
    assert api.get("/api/v1/promotions/counts/").json() == []


# --- the counts ---------------------------------------------------------------------------------


def test_counts_by_country_and_month_for_mofa(world, mofa):
    assert _counts(mofa) == {
        ("US", "2031-10"): (2, 30),
        ("US", "2031-11"): (1, 5),
        ("GB", "2031-10"): (1, 7),
        ("GB", "2032-03"): (1, 3),
        ("", "2032-01"): (1, 100),
    }


def test_counts_of_a_mission_hold_only_its_own(world, embassy_uk, clair):
    assert _counts(embassy_uk) == {("GB", "2031-10"): (1, 7), ("GB", "2032-03"): (1, 3)}
    assert _counts(clair) == _counts(selectors_user("mofa"))


def selectors_user(username):
    from apps.core.models import User

    return User.objects.get(username=username)


def test_counts_table_on_the_page(world, client_as):
    html = client_as("mofa").get(f"/outreach/promotions/?fy={FY}").content.decode()
    row = re.search(r'<tr data-testid="counts-US">(.*?)</tr>', html, re.S).group(1)
    cells = [
        re.sub(r"<[^>]+>", "", c).split() for c in re.findall(r"<td[^>]*>(.*?)</td>", row, re.S)
    ]
    # April .. March, then the total; October is the seventh month of the fiscal year.
    assert cells[6] == ["2", "(30)"]
    assert cells[7] == ["1", "(5)"]
    assert cells[0] == ["—"]
    assert cells[12] == ["3", "(35)"]
    japan = re.search(r'<tr data-testid="counts-JP">(.*?)</tr>', html, re.S).group(1)
    assert "Japan (CLAIR)" in japan
    total = re.search(r'<tr data-testid="counts-total">(.*?)</tr>', html, re.S).group(1)
    assert "6" in re.sub(r"<[^>]+>", " ", total).split()
    assert 'data-testid="promotion-chart"' in html
    # A mission's page shows only its own country.
    uk = client_as("embassy.uk").get(f"/outreach/promotions/?fy={FY}").content.decode()
    assert 'data-testid="counts-GB"' in uk
    assert 'data-testid="counts-US"' not in uk
    assert 'data-testid="counts-JP"' not in uk


def test_counts_in_the_api(world, token_client):
    rows = (
        token_client("mofa").get("/api/v1/promotions/counts/?from=2031-04-01&to=2032-04-01").json()
    )
    assert {(r["country_code"], r["month"], r["activities"], r["reach"]) for r in rows} == {
        ("US", "2031-10-01", 2, 30),
        ("US", "2031-11-01", 1, 5),
        ("GB", "2031-10-01", 1, 7),
        ("GB", "2032-03-01", 1, 3),
        ("", "2032-01-01", 1, 100),
    }
    rows = (
        token_client("embassy.us")
        .get("/api/v1/promotions/counts/?from=2031-04-01&to=2032-04-01")
        .json()
    )
    assert {r["country_code"] for r in rows} == {"US"}


# --- recording and changing ------------------------------------------------------------------


def test_a_mission_records_an_activity_on_the_page_with_its_information_session(
    client_as, embassy_us
):
    session = selectors.information_sessions_for(embassy_us.organisation).first()
    assert session is not None
    client = client_as("embassy.us")
    form = client.get("/outreach/promotions/new/").content.decode()
    assert f'value="{session.pk}"' in form
    response = client.post(
        "/outreach/promotions/new/",
        {
            "kind": "UNIVERSITY",
            "title": "Visit to Georgetown",
            "starts_on": "2031-09-10",
            "ends_on": "",
            "place": "Georgetown University",
            "audience": "Students",
            "reach": "35",
            "information_sessions": [session.pk],
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    promotion = PromotionActivity.objects.get(title="Visit to Georgetown")
    assert promotion.organisation == embassy_us.organisation
    assert promotion.ends_on == promotion.starts_on
    assert list(promotion.information_sessions.all()) == [session]
    detail = client.get(response.url).content.decode()
    assert session.title in detail
    assert 'data-testid="promotion-edit"' in detail
    # MOFA reads it but may not change it.
    mofa = client_as("mofa")
    assert 'data-testid="promotion-edit"' not in mofa.get(response.url).content.decode()
    assert mofa.get(f"/outreach/promotions/{promotion.pk}/edit/").status_code == 403


def test_another_organisations_information_session_cannot_be_linked(embassy_us, embassy_uk):
    uk_session = selectors.information_sessions_for(embassy_uk.organisation).first()
    with pytest.raises(DomainError) as refused:
        services.promotion_create(
            by=embassy_us,
            kind="FAIR",
            title="x",
            starts_on=dt.date(2031, 5, 1),
            information_sessions=[uk_session.pk],
        )
    assert refused.value.field == "information_sessions"
    other = (
        Event.objects.exclude(kind=Event.Kind.INFORMATION_SESSION)
        .filter(organiser=embassy_us.organisation)
        .first()
    )
    if other is not None:
        with pytest.raises(DomainError):
            services.promotion_create(
                by=embassy_us,
                kind="FAIR",
                title="x",
                starts_on=dt.date(2031, 5, 1),
                information_sessions=[other.pk],
            )


@pytest.mark.parametrize("username", ["mofa", "mic", "co.hyogo", "participant"])
def test_only_missions_and_clair_record_activities(username):
    from apps.core.models import User

    with pytest.raises(PermissionDenied, match="Only embassies, consulates and CLAIR"):
        services.promotion_create(
            by=User.objects.get(username=username),
            kind="FAIR",
            title="x",
            starts_on=dt.date(2031, 5, 1),
        )


def test_dates_in_order_and_each_records_for_its_own_organisation(embassy_us, clair):
    with pytest.raises(DomainError) as refused:
        services.promotion_create(
            by=embassy_us,
            kind="FAIR",
            title="x",
            starts_on=dt.date(2031, 5, 2),
            ends_on=dt.date(2031, 5, 1),
        )
    assert refused.value.field == "ends_on"
    for user in (embassy_us, clair):
        promotion = services.promotion_create(
            by=user, kind="FAIR", title="x", starts_on=dt.date(2031, 5, 1)
        )
        assert promotion.organisation == user.organisation


def test_api_create_and_change(world, token_client, clair):
    us = token_client("embassy.us")
    created = us.post(
        "/api/v1/promotions/",
        {"kind": "ONLINE", "title": "Webinar", "starts_on": "2031-06-01", "reach": 80},
        format="json",
    )
    assert created.status_code == 201, created.content
    body = created.json()
    assert body["country"] == "US"
    assert body["ends_on"] == "2031-06-01"
    changed = us.patch(f"/api/v1/promotions/{body['id']}/", {"reach": 95}, format="json")
    assert changed.status_code == 200
    assert changed.json()["reach"] == 95
    bad = us.patch(f"/api/v1/promotions/{body['id']}/", {"ends_on": "2031-05-01"}, format="json")
    assert bad.status_code == 400
    assert "ends_on" in bad.json()
    # CLAIR sees it but does not change a mission's activity; MOFA does not record.
    assert (
        token_client("clair")
        .patch(f"/api/v1/promotions/{body['id']}/", {"reach": 1}, format="json")
        .status_code
        == 403
    )
    refused = token_client("mofa").post(
        "/api/v1/promotions/",
        {"kind": "FAIR", "title": "x", "starts_on": "2031-06-01"},
        format="json",
    )
    assert refused.status_code == 403
    with pytest.raises(PermissionDenied, match="Only the organisation that recorded"):
        services.promotion_update(by=clair, promotion=world["us1"], reach=1)
