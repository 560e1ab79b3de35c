"""MIC's acceptance-number pages and counts, and the recruitment API: guidelines,
applications and interview slots, read through the same selectors and written through
the same services as the pages.

Who may do what here (besides tests/conftest.py):
- mic: sets and publishes numbers (page and API); counts of applications, no rows.
- mofa: reads every number and application; writes nothing here.
- embassy.us / embassy.uk: read their own country's published numbers and their own
  jurisdiction's applications; review and decide those.
- a fresh US consulate (`consulate`, `consulate_manager`): used where results are
  released, so no demo application waits undecided at the same mission.
"""

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from rest_framework.test import APIClient

from apps.core import services as core_services
from apps.core.models import Country, Kind, Role
from apps.notifications.models import Notification
from apps.recruitment import services
from apps.recruitment.models import AcceptanceNumber, Application, RubricCriterion

Status = Application.Status


def api_for(user) -> APIClient:
    """An API client holding `user`'s token (for accounts made in a test, whose password
    is not the demo one; demo accounts get the same from `api_as`)."""
    client = APIClient()
    _token, key = core_services.api_token_create(user=user)
    client.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    return client


def ids(response) -> set[int]:
    assert response.status_code == 200, response.content
    return {row["id"] for row in response.json()["results"]}


def all_ids(client, url: str) -> set[int]:
    """Every id of a cursor-paginated list, page after page: where a row falls among the
    demo's rows depends on the date, not on what is under test."""
    found: set[int] = set()
    while url:
        response = client.get(url)
        found |= ids(response)
        url = response.json()["next"]
    return found


def make_room(mic, programme_year, country: str, position: str, free: int) -> AcceptanceNumber:
    """MIC publishes a number with exactly `free` places left, whatever else is held."""
    held = Application.objects.filter(
        programme_year=programme_year,
        country_id=country,
        position=position,
        status__in=Application.HOLDS_PLACE,
    ).count()
    number = services.acceptance_number_set(
        by=mic,
        programme_year=programme_year,
        country=Country.objects.get(code=country),
        position=position,
        places=held + free,
    )
    services.acceptance_numbers_publish(by=mic, numbers=[number])
    number.refresh_from_db()
    return number


@pytest.fixture
def consulate(db):
    return core_services.organisation_create(
        kind=Kind.MISSION,
        name_en="Consulate-General of Japan in Testville",
        name_ja="在テストヴィル日本国総領事館",
        country=Country.objects.get(code="US"),
    )


@pytest.fixture
def consulate_manager(consulate):
    user = core_services.person_create(
        username="testville.manager",
        email="testville.manager@example.jp",
        password="not-used-1",
        first_name="Ana",
        last_name="Silva",
    )
    core_services.membership_add(by=None, user=user, organisation=consulate, role=Role.MANAGER)
    return user


@pytest.fixture
def gb_sea_draft(mic, programme_year):
    """A draft GB SEA number (the demo publishes none for GB SEA)."""
    return services.acceptance_number_set(
        by=mic,
        programme_year=programme_year,
        country=Country.objects.get(code="GB"),
        position="SEA",
        places=2,
        guideline_en="Sports specialists.",
        guideline_ja="スポーツ専門家。",
    )


def _notified(user, kind: str) -> int:
    return Notification.objects.filter(recipient=user, kind=kind).count()


# --- MIC pages -------------------------------------------------------------------------


def test_mic_workspace_links_to_numbers_and_counts(login):
    html = login("mic").get("/mic/").content.decode()
    assert 'href="/mic/numbers/"' in html
    assert 'href="/mic/counts/"' in html


def test_mic_sets_a_number_on_the_page_and_it_shows_as_draft(login, programme_year):
    client = login("mic")
    form = client.get("/mic/numbers/set/?country=GB&position=SEA")
    assert form.status_code == 200

    response = client.post(
        "/mic/numbers/set/",
        {
            "country": "GB",
            "position": "SEA",
            "places": "3",
            "guideline_en": "Sports specialists recommended by the national body.",
            "guideline_ja": "国の体育当局が推薦するスポーツ専門家。",
        },
    )

    assert response.status_code == 302
    assert response["Location"] == "/mic/numbers/"
    number = AcceptanceNumber.objects.get(
        programme_year=programme_year, country_id="GB", position="SEA"
    )
    assert (number.places, number.state) == (3, AcceptanceNumber.State.DRAFT)
    assert number.guideline_ja == "国の体育当局が推薦するスポーツ専門家。"
    page = client.get("/mic/numbers/")
    cell = page.context["rows"]
    gb = next(row for row in cell if row["country"].code == "GB")
    sea = next(c for c in gb["cells"] if c["position"] == "SEA")
    assert sea["number"] == number
    assert f'name="number" value="{number.pk}"' in page.content.decode()


def test_the_form_is_filled_with_the_existing_number(login, gb_sea_draft):
    response = login("mic").get("/mic/numbers/set/?country=GB&position=SEA")
    form = response.context["form"]
    assert form.initial["places"] == 2
    assert form.initial["guideline_ja"] == "スポーツ専門家。"


def test_the_form_shows_the_services_refusal_and_keeps_the_input(
    login, mic, make_applicant, submitted_application, consulate, consulate_manager, open_year
):
    make_room(mic, open_year, "US", "CIR", free=1)
    application = submitted_application(make_applicant("cir.held"), consulate, "CIR")
    services.applications_decide(
        by=consulate_manager, applications=[application], decision=Status.SHORTLISTED
    )
    held = Application.objects.filter(
        programme_year=open_year,
        country_id="US",
        position="CIR",
        status__in=Application.HOLDS_PLACE,
    ).count()

    response = login("mic").post(
        "/mic/numbers/set/",
        {"country": "US", "position": "CIR", "places": str(held - 1), "guideline_en": "Kept"},
    )

    assert response.status_code == 200
    assert response.context["form"].errors["places"] == [
        f"{held} candidates are already shortlisted for this country and position; "
        "the number cannot be lower."
    ]
    assert "Kept</textarea>" in response.content.decode()


def test_mic_publishes_selected_drafts_and_the_missions_are_told_once(
    login, gb_sea_draft, embassy_uk, embassy_us
):
    uk_before = _notified(embassy_uk, "numbers_published")
    us_before = _notified(embassy_us, "numbers_published")
    client = login("mic")

    response = client.post("/mic/numbers/publish/", {"number": [gb_sea_draft.pk]}, follow=True)

    assert "1 acceptance number published." in response.content.decode()
    gb_sea_draft.refresh_from_db()
    assert gb_sea_draft.state == AcceptanceNumber.State.PUBLISHED
    assert _notified(embassy_uk, "numbers_published") == uk_before + 1
    assert _notified(embassy_us, "numbers_published") == us_before

    # Publishing what is already published tells nobody again.
    client.post("/mic/numbers/publish/", {"number": [gb_sea_draft.pk]})
    assert _notified(embassy_uk, "numbers_published") == uk_before + 1


def test_publishing_nothing_says_so(login):
    response = login("mic").post("/mic/numbers/publish/", {}, follow=True)
    assert "Select at least one draft to publish." in response.content.decode()


@pytest.mark.parametrize("username", ["mofa", "embassy.uk", "co.hyogo"])
def test_only_mic_opens_the_number_pages(login, username, gb_sea_draft):
    client = login(username)
    for url in ("/mic/numbers/", "/mic/numbers/set/", "/mic/counts/"):
        assert client.get(url).status_code == 403, url
    assert (
        client.post(
            "/mic/numbers/set/", {"country": "GB", "position": "SEA", "places": "99"}
        ).status_code
        == 403
    )
    assert client.post("/mic/numbers/publish/", {"number": [gb_sea_draft.pk]}).status_code == 403
    gb_sea_draft.refresh_from_db()
    assert (gb_sea_draft.places, gb_sea_draft.state) == (2, AcceptanceNumber.State.DRAFT)


def test_counts_page_shows_counts_against_places_and_no_name(
    login, make_applicant, submitted_application, programme_year
):
    applicant = make_applicant("xiomara", first_name="Xiomara", last_name="Quetzalli")
    application = submitted_application(
        applicant, family_name="Quetzalli", given_names="Xiomara", name_japanese="シオマラ"
    )

    response = login("mic").get("/mic/counts/")

    assert response.status_code == 200
    html = response.content.decode()
    for personal in ("Xiomara", "Quetzalli", "シオマラ", application.number, applicant.email):
        assert personal not in html
    us_alt = next(
        r for r in response.context["rows"] if (r["country_id"], r["position"]) == ("US", "ALT")
    )
    assert us_alt[Status.SUBMITTED] >= 1
    published = AcceptanceNumber.objects.get(
        programme_year=programme_year, country_id="US", position="ALT"
    )
    assert us_alt["places"] == published.places
    assert "<svg" in html


# --- /api/v1/guidelines/ ---------------------------------------------------------------


def test_mic_creates_changes_and_publishes_a_number_in_the_api(api_as, programme_year):
    client = api_as("mic")
    body = {
        "year": programme_year.year,
        "country": "gb",
        "position": "SEA",
        "places": 2,
        "guideline_en": "Sports specialists.",
        "guideline_ja": "スポーツ専門家。",
    }

    created = client.post("/api/v1/guidelines/", body, format="json")
    assert created.status_code == 201, created.content
    data = created.json()
    assert {k: data[k] for k in ("programme_year", "country", "position", "places", "state")} == {
        "programme_year": programme_year.year,
        "country": "GB",
        "position": "SEA",
        "places": 2,
        "state": "DRAFT",
    }
    assert data["guideline_ja"] == "スポーツ専門家。"

    again = client.post("/api/v1/guidelines/", {**body, "places": 4}, format="json")
    assert again.status_code == 200
    assert again.json()["id"] == data["id"]

    changed = client.put(
        f"/api/v1/guidelines/{data['id']}/",
        {"places": 5, "guideline_en": "Coaches.", "guideline_ja": "コーチ。"},
        format="json",
    )
    assert changed.status_code == 200
    assert (changed.json()["places"], changed.json()["guideline_en"]) == (5, "Coaches.")

    published = client.post(f"/api/v1/guidelines/{data['id']}/publish/")
    assert published.status_code == 200
    assert published.json()["state"] == "PUBLISHED"


@pytest.mark.parametrize("username", ["mofa", "embassy.uk"])
def test_nobody_but_mic_writes_numbers_in_the_api(api_as, username, mic, programme_year):
    number = make_room(mic, programme_year, "GB", "SEA", free=2)  # published: uk sees it
    client = api_as(username)
    assert client.get(f"/api/v1/guidelines/{number.pk}/").status_code == 200

    create = client.post(
        "/api/v1/guidelines/",
        {"year": programme_year.year, "country": "GB", "position": "SEA", "places": 99},
        format="json",
    )
    update = client.put(f"/api/v1/guidelines/{number.pk}/", {"places": 99}, format="json")
    publish = client.post(f"/api/v1/guidelines/{number.pk}/publish/")

    assert (create.status_code, update.status_code, publish.status_code) == (403, 403, 403)
    number.refresh_from_db()
    assert number.places != 99


def test_embassy_uk_sees_only_published_gb_numbers(api_as, mic, gb_sea_draft, programme_year):
    us_alt = make_room(mic, programme_year, "US", "ALT", free=5)
    client = api_as("embassy.uk")

    listed = client.get(f"/api/v1/guidelines/?year={programme_year.year}&page_size=200").json()
    assert listed["results"], "the demo publishes GB numbers"
    assert {row["country"] for row in listed["results"]} == {"GB"}
    assert {row["state"] for row in listed["results"]} == {"PUBLISHED"}
    assert gb_sea_draft.pk not in {row["id"] for row in listed["results"]}
    assert client.get(f"/api/v1/guidelines/{gb_sea_draft.pk}/").status_code == 404
    assert client.get(f"/api/v1/guidelines/{us_alt.pk}/").status_code == 404
    assert client.put(f"/api/v1/guidelines/{us_alt.pk}/", {"places": 1}).status_code == 404

    services.acceptance_numbers_publish(by=mic, numbers=[gb_sea_draft])

    assert client.get(f"/api/v1/guidelines/{gb_sea_draft.pk}/").status_code == 200


def test_mofa_hq_reads_every_number_drafts_included(api_as, gb_sea_draft, programme_year):
    listed = api_as("mofa").get(f"/api/v1/guidelines/?year={programme_year.year}&page_size=200")
    rows = {row["id"]: row for row in listed.json()["results"]}
    assert rows[gb_sea_draft.pk]["state"] == "DRAFT"
    assert {"US", "GB"} <= {row["country"] for row in rows.values()}


def test_a_number_below_the_places_held_is_400_with_the_message(
    api_as, mic, make_applicant, submitted_application, consulate, consulate_manager, open_year
):
    number = make_room(mic, open_year, "US", "CIR", free=1)
    application = submitted_application(make_applicant("cir.holder"), consulate, "CIR")
    services.applications_decide(
        by=consulate_manager, applications=[application], decision=Status.SHORTLISTED
    )

    response = api_as("mic").put(
        f"/api/v1/guidelines/{number.pk}/", {"places": number.places - 1}, format="json"
    )

    assert response.status_code == 400
    assert response.json() == {
        "places": [
            f"{number.places} candidates are already shortlisted for this country and "
            "position; the number cannot be lower."
        ]
    }


# --- /api/v1/applications/: who sees what ------------------------------------------------


@pytest.fixture
def us_and_gb(make_applicant, submitted_application, uk_mission):
    """A submitted application at the US embassy and one at the UK embassy."""
    owner = make_applicant("matrix.us")
    us = submitted_application(owner)
    gb = submitted_application(make_applicant("matrix.gb", "GB"), uk_mission)
    return owner, us, gb


# who, sees the US application, sees the GB application
MATRIX = [
    ("embassy.us", True, False),
    ("embassy.uk", False, True),
    ("mofa", True, True),
    ("mic", False, False),  # counts only, on its own page
    ("clair", False, False),  # nothing forwarded yet
    ("co.hyogo", False, False),
    ("owner", True, False),  # the US applicant: their own only
]


@pytest.mark.parametrize(("who", "sees_us", "sees_gb"), MATRIX)
def test_application_visibility_matrix(api_as, us_and_gb, who, sees_us, sees_gb):
    owner, us, gb = us_and_gb
    client = api_for(owner) if who == "owner" else api_as(who)

    listed = ids(client.get("/api/v1/applications/?page_size=200"))

    assert (us.pk in listed, gb.pk in listed) == (sees_us, sees_gb)
    assert client.get(f"/api/v1/applications/{us.pk}/").status_code == (200 if sees_us else 404)
    assert client.get(f"/api/v1/applications/{gb.pk}/").status_code == (200 if sees_gb else 404)


@pytest.mark.parametrize("username", ["mic", "co.hyogo"])
def test_mic_and_a_contracting_organisation_list_no_application(api_as, us_and_gb, username):
    response = api_as(username).get("/api/v1/applications/")
    assert response.status_code == 200
    assert response.json()["results"] == []


def test_an_applicant_lists_only_their_own(api_as, us_and_gb, make_applicant, draft_application):
    owner, us, _gb = us_and_gb
    assert ids(api_for(owner).get("/api/v1/applications/")) == {us.pk}
    other = make_applicant("matrix.other")
    own_draft = draft_application(other)
    assert ids(api_for(other).get("/api/v1/applications/")) == {own_draft.pk}


def test_an_application_shows_iso_country_mission_id_and_position(api_as, us_and_gb, us_mission):
    _owner, us, _gb = us_and_gb
    data = api_as("embassy.us").get(f"/api/v1/applications/{us.pk}/").json()
    assert {k: data[k] for k in ("id", "number", "country", "mission", "position", "status")} == {
        "id": us.pk,
        "number": us.number,
        "country": "US",
        "mission": us_mission.pk,
        "position": "ALT",
        "status": "SUBMITTED",
    }
    assert data["eligibility"] == "ELIGIBLE"
    assert data["submitted_at"]


def test_staff_filters_by_status_position_eligibility_and_search(
    api_as, make_applicant, submitted_application
):
    alt = submitted_application(make_applicant("filter.alt"), family_name="Filterberg")
    cir = submitted_application(
        make_applicant("filter.cir"), position="CIR", family_name="Filterberg"
    )
    ineligible = submitted_application(make_applicant("filter.ca", "CA"), family_name="Filterberg")
    client = api_as("embassy.us")

    assert ids(client.get("/api/v1/applications/?q=filterberg")) == {alt.pk, cir.pk, ineligible.pk}
    assert ids(client.get("/api/v1/applications/?q=filterberg&position=CIR")) == {cir.pk}
    assert ids(client.get("/api/v1/applications/?q=filterberg&eligibility=INELIGIBLE")) == {
        ineligible.pk
    }
    assert ids(client.get("/api/v1/applications/?q=filterberg&status=INTERVIEW")) == set()
    assert ids(client.get(f"/api/v1/applications/?q={alt.number}")) == {alt.pk}


def test_an_applications_address_ignores_the_lists_filters(api_as, us_and_gb):
    _owner, us, _gb = us_and_gb
    response = api_as("embassy.us").get(f"/api/v1/applications/{us.pk}/?status=INTERVIEW&q=zz")
    assert response.status_code == 200
    assert response.json()["status"] == "SUBMITTED"


def test_a_bad_id_is_404(api_as):
    client = api_as("embassy.us")
    assert client.get("/api/v1/applications/999999999/").status_code == 404
    assert client.get("/api/v1/applications/abc/").status_code == 404


# --- results held until release --------------------------------------------------------


def test_a_decision_is_not_revealed_to_the_applicant_before_release(
    make_applicant, submitted_application, consulate, consulate_manager, open_year
):
    applicant = make_applicant("held.result")
    application = submitted_application(applicant, consulate)
    staff = api_for(consulate_manager)
    own = api_for(applicant)

    decided = staff.post(
        f"/api/v1/applications/{application.pk}/decide/",
        {"decision": "NOT_SELECTED"},
        format="json",
    )
    assert decided.status_code == 200, decided.content
    assert decided.json()["status"] == "NOT_SELECTED"

    detail = own.get(f"/api/v1/applications/{application.pk}/").json()
    assert detail["status"] == "UNDER_REVIEW"
    assert "screening_average" not in detail
    assert "eligibility" not in detail
    assert own.get("/api/v1/applications/").json()["results"][0]["status"] == "UNDER_REVIEW"
    # A status filter must not give the decision away by what it returns.
    assert ids(own.get("/api/v1/applications/?status=NOT_SELECTED")) == {application.pk}
    assert ids(own.get("/api/v1/applications/?status=SHORTLISTED")) == {application.pk}

    released = staff.post("/api/v1/applications/release/", {"year": open_year.year}, format="json")
    assert released.status_code == 200, released.content
    assert released.json() == {"released": 1}

    assert own.get(f"/api/v1/applications/{application.pk}/").json()["status"] == "NOT_SELECTED"


def test_releasing_twice_is_400_with_the_message(consulate_manager, open_year):
    staff = api_for(consulate_manager)
    assert staff.post("/api/v1/applications/release/", {"year": open_year.year}).status_code == 200
    again = staff.post("/api/v1/applications/release/", {"year": open_year.year})
    assert again.status_code == 400
    assert again.json() == {"detail": "Results for this year have already been released."}


# --- actions ---------------------------------------------------------------------------


def full_marks(mission, programme_year) -> dict[str, int]:
    """Every criterion of the mission's rubric (the demo's and the test's) at its top."""
    criteria = RubricCriterion.objects.filter(mission=mission, programme_year=programme_year)
    return {str(c.pk): c.max_score for c in criteria}


def test_scoring_twice_is_400_with_the_message(
    api_as, rubric, us_mission, programme_year, make_applicant, submitted_application
):
    application = submitted_application(make_applicant("scored.twice"))
    client = api_as("embassy.us")
    body = {
        "stage": "SCREENING",
        "points": full_marks(us_mission, programme_year),
        "comment": "Clear motivation.",
    }

    first = client.post(f"/api/v1/applications/{application.pk}/score/", body, format="json")
    assert first.status_code == 201, first.content
    assert first.json()["total"] == "100.00"
    assert client.get(f"/api/v1/applications/{application.pk}/").json()["screening_average"] == (
        "100.00"
    )

    second = client.post(f"/api/v1/applications/{application.pk}/score/", body, format="json")
    assert second.status_code == 400
    assert second.json() == {"detail": "You have already scored this application at this stage."}


def test_shortlisting_beyond_the_number_is_400_with_the_message(
    mic, make_applicant, submitted_application, consulate, consulate_manager, open_year
):
    number = make_room(mic, open_year, "US", "CIR", free=1)
    first = submitted_application(make_applicant("quota.first"), consulate, "CIR")
    second = submitted_application(make_applicant("quota.second"), consulate, "CIR")
    staff = api_for(consulate_manager)

    ok = staff.post(
        f"/api/v1/applications/{first.pk}/decide/", {"decision": "SHORTLISTED"}, format="json"
    )
    refused = staff.post(
        f"/api/v1/applications/{second.pk}/decide/", {"decision": "SHORTLISTED"}, format="json"
    )

    assert ok.status_code == 200
    assert refused.status_code == 400
    us = Country.objects.get(code="US")
    assert refused.json() == {
        "detail": (
            f"Shortlisting would exceed the acceptance number: {number.places} places for "
            f"{us.name_en} (CIR), {number.places} already shortlisted, 1 more asked."
        )
    }
    second.refresh_from_db()
    assert second.status == Status.SUBMITTED


def test_actions_are_403_when_visible_but_not_allowed_and_404_when_invisible(
    api_as, us_and_gb, rubric, us_mission, programme_year
):
    owner, us, _gb = us_and_gb
    body = {"stage": "SCREENING", "points": full_marks(us_mission, programme_year)}

    # The applicant sees their application but may not score or decide it.
    own = api_for(owner)
    assert own.post(f"/api/v1/applications/{us.pk}/score/", body, format="json").status_code == 403
    assert (
        own.post(
            f"/api/v1/applications/{us.pk}/decide/", {"decision": "SHORTLISTED"}, format="json"
        ).status_code
        == 403
    )
    # MOFA HQ reads it but does not review it.
    assert (
        api_as("mofa").post(f"/api/v1/applications/{us.pk}/score/", body, format="json").status_code
        == 403
    )
    # Mission staff review it but cannot withdraw it for the applicant.
    assert api_as("embassy.us").post(f"/api/v1/applications/{us.pk}/withdraw/").status_code == 403
    # Another mission does not see it at all.
    assert (
        api_as("embassy.uk")
        .post(f"/api/v1/applications/{us.pk}/score/", body, format="json")
        .status_code
        == 404
    )
    us.refresh_from_db()
    assert us.status == Status.SUBMITTED
    assert not us.scores.exists()


def test_the_applicant_submits_and_withdraws_through_the_api(
    api_as, make_applicant, draft_application
):
    applicant = make_applicant("api.submitter")
    application = draft_application(applicant)
    own = api_for(applicant)
    assert api_as("embassy.us").get(f"/api/v1/applications/{application.pk}/").status_code == 404

    submitted = own.post(f"/api/v1/applications/{application.pk}/submit/")
    assert submitted.status_code == 200, submitted.content
    assert submitted.json()["status"] == "SUBMITTED"
    assert api_as("embassy.us").get(f"/api/v1/applications/{application.pk}/").status_code == 200

    again = own.post(f"/api/v1/applications/{application.pk}/submit/")
    assert again.status_code == 400
    assert again.json() == {"detail": "This application has already been submitted."}

    withdrawn = own.post(f"/api/v1/applications/{application.pk}/withdraw/")
    assert withdrawn.status_code == 200
    assert withdrawn.json()["status"] == "WITHDRAWN"


def test_clair_sees_only_the_candidates_forwarded_to_it(
    api_as, mic, make_applicant, submitted_application, consulate, consulate_manager, open_year
):
    make_room(mic, open_year, "US", "ALT", free=2)
    accepted_by = make_applicant("forward.yes")
    accepting = submitted_application(accepted_by, consulate)
    waiting = submitted_application(make_applicant("forward.wait"), consulate)
    staff = api_for(consulate_manager)
    for application in (accepting, waiting):
        response = staff.post(
            f"/api/v1/applications/{application.pk}/decide/",
            {"decision": "SHORTLISTED"},
            format="json",
        )
        assert response.status_code == 200, response.content
    assert staff.post("/api/v1/applications/release/", {"year": open_year.year}).status_code == 200
    services.reply_submit(
        by=accepted_by,
        application=accepting,
        answer="ACCEPT",
        departure_airport="Washington Dulles (IAD)",
        passport_number="X1234567",
        passport_expiry=timezone.localdate() + dt.timedelta(days=3 * 365),
    )
    not_yet = staff.post(f"/api/v1/applications/{waiting.pk}/forward/")
    assert not_yet.status_code == 400
    assert not_yet.json() == {"detail": f"{waiting.number} has not accepted the offer yet."}

    forwarded = staff.post(f"/api/v1/applications/{accepting.pk}/forward/")
    assert forwarded.status_code == 200, forwarded.content
    assert forwarded.json()["status"] == "FORWARDED"

    clair = api_as("clair")
    listed = ids(clair.get("/api/v1/applications/?page_size=200"))
    assert accepting.pk in listed
    assert waiting.pk not in listed
    assert clair.get(f"/api/v1/applications/{waiting.pk}/").status_code == 404
    # CLAIR reads the candidate; deciding stays with the mission.
    assert (
        clair.post(
            f"/api/v1/applications/{accepting.pk}/decide/",
            {"decision": "NOT_SELECTED"},
            format="json",
        ).status_code
        == 403
    )


def test_an_alternate_is_upgraded_through_the_api(
    mic, make_applicant, submitted_application, consulate, consulate_manager, open_year
):
    make_room(mic, open_year, "US", "ALT", free=1)
    applicant = make_applicant("alt.upgraded")
    application = submitted_application(applicant, consulate)
    staff = api_for(consulate_manager)
    staff.post(
        f"/api/v1/applications/{application.pk}/decide/", {"decision": "ALTERNATE"}, format="json"
    )
    staff.post("/api/v1/applications/release/", {"year": open_year.year})
    due = timezone.localdate() + dt.timedelta(days=7)

    response = staff.post(
        f"/api/v1/applications/{application.pk}/upgrade/",
        {"reply_due": due.isoformat()},
        format="json",
    )

    assert response.status_code == 200, response.content
    assert response.json()["status"] == "SHORTLISTED"
    assert _notified(applicant, "alternate_upgraded") == 1


# --- /api/v1/interview-slots/ ----------------------------------------------------------


def test_interview_slots_are_published_seen_and_booked(
    api_as, us_mission, make_applicant, submitted_application
):
    applicant = make_applicant("slot.booker")
    application = submitted_application(applicant)
    own = api_for(applicant)
    starts = timezone.now() + dt.timedelta(days=10)
    staff = api_as("embassy.us")

    created = staff.post(
        "/api/v1/interview-slots/",
        {
            "starts_at": starts.isoformat(),
            "ends_at": (starts + dt.timedelta(minutes=30)).isoformat(),
            "location": "Embassy of Japan, 2520 Massachusetts Avenue NW",
            "capacity": 2,
        },
        format="json",
    )
    assert created.status_code == 201, created.content
    slot = created.json()
    assert (slot["mission"], slot["capacity"], slot["booked"]) == (us_mission.pk, 2, 0)

    # Not invited yet: the applicant sees no slot and cannot book.
    assert own.get("/api/v1/interview-slots/").json()["results"] == []
    invited = staff.post(f"/api/v1/applications/{application.pk}/invite/")
    assert invited.status_code == 200
    assert own.get(f"/api/v1/applications/{application.pk}/").json()["status"] == "INTERVIEW"
    assert slot["id"] in all_ids(own, "/api/v1/interview-slots/")

    booked = own.post(
        f"/api/v1/applications/{application.pk}/book/", {"slot": slot["id"]}, format="json"
    )
    assert booked.status_code == 201, booked.content
    assert booked.json()["slot"] == slot["id"]
    assert staff.get(f"/api/v1/interview-slots/{slot['id']}/").json()["booked"] == 1

    uk = api_as("embassy.uk")
    assert slot["id"] not in {
        row["id"] for row in uk.get("/api/v1/interview-slots/").json()["results"]
    }
    assert uk.get(f"/api/v1/interview-slots/{slot['id']}/").status_code == 404


def test_an_applicant_reads_the_meeting_link_only_of_the_slot_they_booked(
    client, api_as, make_applicant, submitted_application, embassy_us, open_year
):
    """A slot's online link is the mission's and its booked applicant's: another
    applicant invited by the same mission reads it neither in the API nor on the page."""
    mine = submitted_application(make_applicant("link.mine"))
    theirs = submitted_application(make_applicant("link.theirs"))
    services.interviews_invite(by=embassy_us, applications=[mine, theirs])
    starts = timezone.now() + dt.timedelta(days=10)

    def online_slot(n: int):
        return services.interview_slot_create(
            by=embassy_us,
            programme_year=open_year,
            starts_at=starts + dt.timedelta(hours=n),
            ends_at=starts + dt.timedelta(hours=n, minutes=30),
            online_url=f"https://meet.example.jp/jet-link-test-{n}",
            capacity=2,
        )

    booked_by_them, booked_by_me, not_booked = online_slot(1), online_slot(2), online_slot(3)
    services.interview_book(by=theirs.applicant, application=theirs, slot=booked_by_them)
    services.interview_book(by=mine.applicant, application=mine, slot=booked_by_me)

    own = api_for(mine.applicant)
    staff = api_as("embassy.us")
    for slot, seen_by_me in ((booked_by_them, ""), (booked_by_me, booked_by_me.online_url)):
        mine_read = own.get(f"/api/v1/interview-slots/{slot.pk}/")
        assert mine_read.status_code == 200
        assert mine_read.json()["online_url"] == seen_by_me
        assert staff.get(f"/api/v1/interview-slots/{slot.pk}/").json()["online_url"] == (
            slot.online_url
        )
    assert own.get(f"/api/v1/interview-slots/{not_booked.pk}/").json()["online_url"] == ""
    listed = {
        row["id"]: row["online_url"]
        for row in own.get("/api/v1/interview-slots/").json()["results"]
    }
    assert booked_by_them.online_url not in listed.values()

    client.force_login(mine.applicant)
    page = client.get(f"/mofa/applicant/application/{mine.pk}/interview/")
    assert page.status_code == 200
    html = page.content.decode()
    assert booked_by_me.online_url in html
    assert booked_by_them.online_url not in html
    assert not_booked.online_url not in html


def test_only_a_mission_publishes_interview_slots(api_as):
    """Visible but not allowed: 403, with the service's message (it was a 400)."""
    starts = timezone.now() + dt.timedelta(days=10)
    response = api_as("mofa").post(
        "/api/v1/interview-slots/",
        {
            "starts_at": starts.isoformat(),
            "ends_at": (starts + dt.timedelta(minutes=30)).isoformat(),
            "location": "Tokyo",
        },
        format="json",
    )
    assert response.status_code == 403
    assert response.json() == {
        "detail": "Interview slots are published by an embassy or consulate."
    }


def test_a_slot_panel_is_made_of_the_missions_own_staff(api_as, embassy_uk):
    starts = timezone.now() + dt.timedelta(days=10)
    response = api_as("embassy.us").post(
        "/api/v1/interview-slots/",
        {
            "starts_at": starts.isoformat(),
            "ends_at": (starts + dt.timedelta(minutes=30)).isoformat(),
            "online_url": "https://meet.example.jp/jet",
            "panel": [embassy_uk.pk],
        },
        format="json",
    )
    assert response.status_code == 400
    assert response.json() == {"panel": ["The panel is made of the mission's own staff."]}


# --- query counts ----------------------------------------------------------------------


def _list_queries(client, url) -> tuple[int, int]:
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == 200
    return len(ctx.captured_queries), len(response.json()["results"])


def test_application_list_query_count_does_not_grow_with_rows(
    api_as, make_applicant, submitted_application
):
    url = "/api/v1/applications/?q=Countwell"
    submitted_application(make_applicant("count.0"), family_name="Countwell")
    client = api_as("embassy.us")
    _list_queries(client, url)  # warm Django's content-type cache
    one, rows = _list_queries(client, url)
    assert rows == 1

    for n in range(1, 20):
        submitted_application(make_applicant(f"count.{n}"), family_name="Countwell")
    many, rows = _list_queries(client, url)

    assert rows == 20
    assert many == one
