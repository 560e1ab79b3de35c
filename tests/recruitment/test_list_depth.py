"""The mission's application list, as deep as the tools its staff know (issue 19): the
places left beside every decision, search by number and without accents, sort by any
column (a whitelist), clickable counts, saved filters, "Back" keeping the filters, and the
previous and next application, on the pages and in the API.

Who is who (tests/conftest.py and tests/recruitment/conftest.py):
- embassy_us: staff of the US embassy; reviews and decides its applications.
- us_manager: manager of the US embassy (another person of the same mission).
- embassy_uk: staff of the UK embassy; never sees a US application or anyone's filters.
"""

from urllib.parse import quote

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from apps.core import services as core_services
from apps.core.models import SavedFilter
from apps.recruitment import services
from apps.recruitment.models import Application
from tests.recruitment.test_mic_and_api import api_for

Status = Application.Status
LIST = "/mofa/mission/applications/"


def detail(application, back: str | None = None) -> str:
    url = f"/mofa/mission/applications/{application.pk}/"
    return f"{url}?back={quote(back, safe='')}" if back else url


def html(response) -> str:
    assert response.status_code == 200, response.status_code
    return response.content.decode()


@pytest.fixture
def us_app(fresh_round, make_applicant, submitted_application):
    """us_app(username, **fields) -> a submitted ALT application at the US embassy."""

    def _make(username: str, position: str = "ALT", **overrides):
        return submitted_application(make_applicant(username), position=position, **overrides)

    return _make


@pytest.fixture
def uk_app(fresh_round, make_applicant, submitted_application, uk_mission):
    def _make(username: str, **overrides):
        applicant = make_applicant(username, "GB")
        return submitted_application(applicant, mission=uk_mission, **overrides)

    return _make


# --- the places left, beside every decision ----------------------------------------------


def test_places_left_beside_the_decisions_on_the_pages_and_in_the_api(
    client, embassy_us, embassy_uk, us_app, uk_app, published_numbers
):
    published_numbers(places=3)
    ada, bea = us_app("ada"), us_app("bea")
    pemberton = uk_app("pemberton")
    services.applications_decide(by=embassy_us, applications=[ada], decision=Status.SHORTLISTED)
    # Another country's shortlist never counts against the US number.
    services.applications_decide(
        by=embassy_uk, applications=[pemberton], decision=Status.SHORTLISTED
    )
    client.force_login(embassy_us)
    line = "United States ALT: 3 places, 1 shortlisted, 2 left"

    page = html(client.get(LIST))
    assert line in page
    assert "United States CIR: 3 places, 0 shortlisted, 3 left" in page
    assert "United Kingdom" not in page
    page = html(client.get(detail(bea)))
    decision = page[page.index('id="decision"') :]
    assert line in decision

    answer = api_for(embassy_us).get("/api/v1/guidelines/remaining/")
    assert answer.status_code == 200, answer.content
    rows = {(row["country"], row["position"]): row for row in answer.json()}
    assert set(rows) == {("US", "ALT"), ("US", "CIR")}
    assert (rows["US", "ALT"]["places"], rows["US", "ALT"]["taken"]) == (3, 1)
    assert rows["US", "ALT"]["left"] == 2
    # The UK embassy reads its own country's, where its shortlist counts.
    uk_rows = api_for(embassy_uk).get("/api/v1/guidelines/remaining/").json()
    assert {(r["country"], r["position"], r["left"]) for r in uk_rows} == {
        ("GB", "ALT", 2),
        ("GB", "CIR", 3),
    }


def test_places_left_follow_the_decisions(client, embassy_us, us_app, published_numbers):
    published_numbers(places=2)
    ada, bea = us_app("ada"), us_app("bea")
    services.applications_decide(
        by=embassy_us, applications=[ada, bea], decision=Status.SHORTLISTED
    )
    client.force_login(embassy_us)
    assert "United States ALT: 2 places, 2 shortlisted, 0 left" in html(client.get(detail(ada)))
    services.applications_decide(by=embassy_us, applications=[bea], decision=Status.ALTERNATE)
    assert "United States ALT: 2 places, 1 shortlisted, 1 left" in html(client.get(detail(ada)))


# --- search: the number, and names without accents ----------------------------------------


def test_search_finds_the_number_by_its_serial_alone(client, embassy_us, us_app):
    ada, bea = us_app("ada"), us_app("bea")
    serial = ada.number.rsplit("-", 1)[1].lstrip("0")
    assert ada.number.endswith(serial)
    assert not bea.number.endswith(serial)
    client.force_login(embassy_us)

    page = html(client.get(LIST, {"q": serial}))
    assert ada.number in page
    assert bea.number not in page
    # A part of the serial is not the number: "3" does not find 303.
    page = html(client.get(LIST, {"q": serial[1:] or "0"}))
    assert ada.number not in page

    answer = api_for(embassy_us).get("/api/v1/applications/", {"search": serial})
    assert [row["id"] for row in answer.json()["results"]] == [ada.pk]


def test_search_ignores_accents_on_the_page_and_in_the_api(client, embassy_us, us_app):
    zoe = us_app("zoe", given_names="Zoëlia", family_name="Brontëville")
    other = us_app("zola", given_names="Zolia", family_name="Bronteau")
    client.force_login(embassy_us)

    for query in ("Zoelia", "zoëlia", "brontevil", "Zoelia Bronte"):
        page = html(client.get(LIST, {"q": query}))
        assert zoe.number in page, query
        assert other.number not in page, query
    api = api_for(embassy_us)
    assert [r["id"] for r in api.get("/api/v1/applications/?search=Zoelia").json()["results"]] == [
        zoe.pk
    ]
    assert [r["id"] for r in api.get("/api/v1/applications/?q=BRONTEVILLE").json()["results"]] == [
        zoe.pk
    ]


def test_search_stays_within_the_mission(client, embassy_uk, us_app):
    zoe = us_app("zoe", given_names="Zoëlia")
    client.force_login(embassy_uk)
    assert zoe.number not in html(client.get(LIST, {"q": "Zoelia"}))
    answer = api_for(embassy_uk).get("/api/v1/applications/", {"search": "Zoelia"})
    assert zoe.pk not in {row["id"] for row in answer.json()["results"]}


# --- sort by any column: a whitelist ---------------------------------------------------------


def test_every_column_sorts_and_its_heading_turns_the_order(client, embassy_us, us_app):
    abe = us_app("abe", family_name="Abbott", given_names="Sortable", position="CIR")
    zed = us_app("zed", family_name="Zimmer", given_names="Sortable")
    client.force_login(embassy_us)

    page = html(client.get(LIST, {"o": "name", "q": "Sortable"}))
    assert page.index(abe.number) < page.index(zed.number)
    assert 'aria-sort="ascending"' in page
    assert "o=-name" in page  # the heading now sorts the other way
    page = html(client.get(LIST, {"o": "-name", "q": "Sortable"}))
    assert page.index(zed.number) < page.index(abe.number)
    page = html(client.get(LIST, {"o": "-position", "q": "Sortable"}))  # CIR last
    assert page.index(zed.number) > page.index(abe.number)
    for column in ("number", "status", "eligibility", "score", "reviewers"):
        for key in (column, f"-{column}"):
            assert client.get(LIST, {"o": key}).status_code == 200, key


def test_a_sort_not_offered_is_left_out_with_a_message(client, embassy_us, us_app):
    us_app("ada")
    client.force_login(embassy_us)
    response = client.get(LIST, {"o": "applicant__password"}, follow=True)
    page = html(response)
    assert "The list cannot be sorted that way; it is in its usual order." in page


def test_api_sorts_by_a_whitelisted_column_and_refuses_any_other(embassy_us, us_app):
    abe = us_app("abe", family_name="Abbott", given_names="Sortable")
    zed = us_app("zed", family_name="Zimmer", given_names="Sortable")
    api = api_for(embassy_us)
    order = [
        row["id"] for row in api.get("/api/v1/applications/?o=name&q=Sortable").json()["results"]
    ]
    assert order.index(abe.pk) < order.index(zed.pk)
    order = [
        row["id"] for row in api.get("/api/v1/applications/?o=-name&q=Sortable").json()["results"]
    ]
    assert order.index(zed.pk) < order.index(abe.pk)
    answer = api.get("/api/v1/applications/", {"o": "applicant__password"})
    assert answer.status_code == 400
    assert "o" in answer.json()


# --- clickable counts -----------------------------------------------------------------------


def test_status_counts_are_links_that_filter_the_list(client, embassy_us, us_app):
    ada, bea = us_app("ada"), us_app("bea")
    services.interviews_invite(by=embassy_us, applications=[ada])
    client.force_login(embassy_us)

    page = html(client.get(LIST))
    assert f'href="{LIST}?status=INTERVIEW"' in page
    page = html(client.get(LIST, {"status": "INTERVIEW"}))
    assert ada.number in page
    assert bea.number not in page
    counts = html(client.get(reverse("mofa:mission-counts"), HTTP_HX_REQUEST="true"))
    assert f'href="{LIST}?status=SUBMITTED"' in counts


# --- saved filters --------------------------------------------------------------------------


def test_saved_filters_are_saved_listed_used_and_deleted(client, embassy_us, us_app):
    ada = us_app("ada", family_name="Lovelace")
    client.force_login(embassy_us)

    response = client.post(
        reverse("core:saved-filter-save"),
        {"path": LIST, "query": "q=Lovelace&page=3", "name": "Lovelaces"},
    )
    assert response.status_code == 302
    assert response.url == f"{LIST}?q=Lovelace"  # without the page
    saved = SavedFilter.objects.get(user=embassy_us, name="Lovelaces")
    page = html(client.get(LIST))
    assert f'href="{LIST}?q=Lovelace">Lovelaces</a>' in page
    assert ada.number in html(client.get(saved.url))

    # The same name again replaces the filters.
    client.post(
        reverse("core:saved-filter-save"), {"path": LIST, "query": "q=Ada", "name": "Lovelaces"}
    )
    assert list(SavedFilter.objects.filter(user=embassy_us).values_list("query", flat=True)) == [
        "q=Ada"
    ]

    response = client.post(reverse("core:saved-filter-delete", args=[saved.pk]))
    assert response.status_code == 302
    assert response.url == LIST
    assert not SavedFilter.objects.filter(pk=saved.pk).exists()


def test_a_saved_filter_must_name_a_list_of_this_site(client, embassy_us):
    client.force_login(embassy_us)
    for path in ("https://evil.example/", "//evil.example/", ""):
        response = client.post(
            reverse("core:saved-filter-save"), {"path": path, "query": "", "name": "x"}
        )
        assert response.status_code == 302
        assert "evil" not in response.url
    assert not SavedFilter.objects.filter(user=embassy_us).exists()
    answer = api_for(embassy_us).post(
        "/api/v1/saved-filters/", {"name": "x", "path": "https://evil.example/"}, format="json"
    )
    assert answer.status_code == 400


def test_anothers_saved_filter_is_404_on_the_page_and_in_the_api(
    client, embassy_us, embassy_uk, us_manager
):
    saved = core_services.saved_filter_save(
        by=embassy_us, path=LIST, query="status=SUBMITTED", name="To screen"
    )
    for other in (embassy_uk, us_manager):  # another mission, or a colleague
        client.force_login(other)
        assert client.post(reverse("core:saved-filter-delete", args=[saved.pk])).status_code == 404
        assert "To screen" not in html(client.get(LIST))
        api = api_for(other)
        assert api.get(f"/api/v1/saved-filters/{saved.pk}/").status_code == 404
        assert api.delete(f"/api/v1/saved-filters/{saved.pk}/").status_code == 404
        assert api.get("/api/v1/saved-filters/").json() == []
    assert SavedFilter.objects.filter(pk=saved.pk).exists()


def test_saved_filters_in_the_api(embassy_us):
    api = api_for(embassy_us)
    answer = api.post(
        "/api/v1/saved-filters/",
        {"name": "Shortlisted", "path": LIST, "query": "?status=SHORTLISTED&page=2"},
        format="json",
    )
    assert answer.status_code == 201, answer.content
    saved = answer.json()
    assert (saved["query"], saved["url"]) == ("status=SHORTLISTED", f"{LIST}?status=SHORTLISTED")
    assert [r["id"] for r in api.get("/api/v1/saved-filters/", {"path": LIST}).json()] == [
        saved["id"]
    ]
    assert api.get("/api/v1/saved-filters/", {"path": "/elsewhere/"}).json() == []
    assert api.delete(f"/api/v1/saved-filters/{saved['id']}/").status_code == 204
    assert api.get("/api/v1/saved-filters/").json() == []


# --- "Back" keeps the filters; previous and next ----------------------------------------------


def test_back_returns_to_the_filtered_list_and_next_and_previous_follow_it(
    client, embassy_us, us_app
):
    apps = [us_app(f"walk.{i}", family_name=f"Quillwalker{'abc'[i]}") for i in range(3)]
    other = us_app("other", family_name="Elsewhere")
    client.force_login(embassy_us)
    back = f"{LIST}?q=Quillwalker&o=-name"

    listing = html(client.get(back))
    assert f"?back={quote(back, safe='')}" in listing  # each row's link keeps the list
    page = html(client.get(detail(apps[1], back)))
    assert f'href="{back.replace("&", "&amp;")}" data-testid="back-to-list"' in page
    # Sorted Z to A: Walkerc, Walkerb, Walkera.
    assert f"/applications/{apps[2].pk}/?back=" in page.split('rel="prev"')[0].rsplit("<a", 1)[1]
    assert f"/applications/{apps[0].pk}/?back=" in page.split('rel="next"')[0].rsplit("<a", 1)[1]
    assert "2 of 3" in page
    assert f"/applications/{other.pk}/" not in page

    first = html(client.get(detail(apps[2], back)))
    assert 'rel="prev"' not in first
    assert 'rel="next"' in first


def test_back_never_leads_off_the_list(client, embassy_us, us_app):
    ada = us_app("ada")
    client.force_login(embassy_us)
    for bad in ("https://evil.example/", "//evil.example/", "/admin/", f"{LIST}../admin/"):
        page = html(client.get(detail(ada, bad)))
        assert f'href="{LIST}" data-testid="back-to-list"' in page, bad


def test_an_action_keeps_the_list_it_came_from(client, embassy_us, us_app):
    ada = us_app("ada")
    client.force_login(embassy_us)
    back = f"{LIST}?status=SUBMITTED"
    response = client.post(detail(ada, back), {"action": "invite"})
    assert response.status_code == 302
    assert response.url.startswith(detail(ada, back))


# --- cheap: the list's queries do not grow with its rows ------------------------------------


def _queries(client, url, query) -> int:
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url, query)
    assert response.status_code == 200
    return len(ctx.captured_queries)


def test_list_query_count_is_flat_with_places_counts_and_saved_filters(
    client, embassy_us, us_app, published_numbers, django_assert_max_num_queries
):
    published_numbers(places=50)
    solo = us_app("solo", given_names="Sölomonia", family_name="Solorow")
    many = [us_app(f"many.{i}", given_names="Zoëlia", family_name="Manyrow") for i in range(20)]
    services.applications_decide(by=embassy_us, applications=many[:3], decision="SHORTLISTED")
    core_services.saved_filter_save(by=embassy_us, path=LIST, query="q=Manyrow", name="Many")
    client.force_login(embassy_us)
    _queries(client, LIST, {})  # warm the caches

    one = _queries(client, LIST, {"q": "Solomonia", "o": "-reviewers"})
    twenty = _queries(client, LIST, {"q": "Zoelia", "o": "-reviewers"})
    assert one == twenty
    # The filters' and the bulk action's reviewer selects share one read of the staff,
    # and no select opens a server-side cursor for its few options.
    with CaptureQueriesContext(connection) as ctx:
        client.get(LIST, {"reviewer": str(embassy_us.pk), "year": "", "o": "-reviewers"})
    sql = [query["sql"] for query in ctx.captured_queries]
    staff_reads = [s for s in sql if s.startswith('SELECT "core_user"') and "core_membership" in s]
    assert len(staff_reads) == 1, staff_reads
    # The year: the current one, and the year select's choices (the chosen one among
    # them); the rows are narrowed by its key, with no read of their own.
    year_reads = [s for s in sql if 'FROM "core_programmeyear"' in s]
    assert len(year_reads) == 2, year_reads
    assert not [s for s in sql if s.startswith("DECLARE")], sql
    # The rows read the columns the page shows, not the whole application.
    rows_read = [s for s in sql if s.startswith('SELECT "programme_application"."id"')]
    assert len(rows_read) == 1, rows_read
    assert '"programme_application"."given_names"' in rows_read[0]
    assert '"statement_of_purpose"' not in rows_read[0]
    assert '"core_organisation"' not in rows_read[0]
    page = html(client.get(LIST, {"q": "Zoelia"}))
    assert page.count('data-testid="application-row"') == 20
    assert solo.number not in page

    api = api_for(embassy_us)
    api.get("/api/v1/applications/")
    with CaptureQueriesContext(connection) as few:
        api.get("/api/v1/applications/", {"search": "Solomonia", "o": "name"})
    with CaptureQueriesContext(connection) as lots:
        api.get("/api/v1/applications/", {"search": "Zoelia", "o": "name"})
    assert len(few.captured_queries) == len(lots.captured_queries)
    with django_assert_max_num_queries(12):
        assert api.get("/api/v1/guidelines/remaining/").status_code == 200
