"""Positions: requested by contracting organisations, approved or returned by MIC."""

import pytest

from apps.placement import selectors, services
from apps.placement.models import PositionRequest

pytestmark = pytest.mark.django_db

FIELDS = {
    "type": "ALT",
    "school_level": "JUNIOR_HIGH",
    "base": "Kobe Municipal Junior High School",
    "city": "",
    "municipality": "Kobe",
    "location": "URBAN",
    "driving_licence_required": "",
    "min_japanese_level": "",
    "cir_language": "",
    "housing": "ASSISTED",
    "description": "Team teaching.",
}


def _request(user, seats=1, **overrides):
    return services.position_request_create(by=user, seats=seats, **(FIELDS | overrides))


def test_request_through_page_makes_one_row_per_seat(login, co_hyogo):
    client = login("co.hyogo")
    response = client.post("/contracting/positions/", FIELDS | {"seats": 3}, follow=True)
    assert response.status_code == 200
    assert b"3 positions requested." in response.content
    rows = PositionRequest.objects.filter(organisation=co_hyogo.organisation, base=FIELDS["base"])
    assert rows.count() == 3
    assert {r.state for r in rows} == {"REQUESTED"}
    assert response.content.count(b"Kobe Municipal Junior High School") == 3


def test_page_refuses_school_level_for_cir(login, co_hyogo):
    client = login("co.hyogo")
    response = client.post(
        "/contracting/positions/",
        FIELDS | {"type": "CIR", "cir_language": "English", "seats": 1},
    )
    assert response.status_code == 200
    assert b"A school level is given only for ALT positions." in response.content
    assert not PositionRequest.objects.filter(
        organisation=co_hyogo.organisation, base=FIELDS["base"]
    ).exists()


def test_request_through_api_makes_one_row_per_seat(api_as, co_hyogo):
    response = api_as("co.hyogo").post("/api/v1/positions/", FIELDS | {"seats": 2}, format="json")
    assert response.status_code == 201, response.content
    body = response.json()
    assert len(body) == 2
    assert body[0]["organisation"] == co_hyogo.organisation.pk
    assert body[0]["prefecture"] == co_hyogo.organisation.prefecture_id
    assert body[0]["state"] == "REQUESTED"
    assert (
        PositionRequest.objects.filter(
            organisation=co_hyogo.organisation, base=FIELDS["base"]
        ).count()
        == 2
    )


def test_only_contracting_organisations_request_through_api(api_as):
    response = api_as("mic").post("/api/v1/positions/", FIELDS | {"seats": 1}, format="json")
    assert response.status_code == 403


def test_sapporo_never_sees_hyogo(login, api_as, co_hyogo, co_sapporo):
    [position] = _request(co_hyogo)
    client = login("co.sapporo")
    page = client.get("/contracting/positions/")
    assert page.status_code == 200
    assert b"Kobe Municipal Junior High School" not in page.content
    assert client.get(f"/contracting/positions/{position.pk}/edit/").status_code == 404
    response = client.post(f"/contracting/positions/{position.pk}/edit/", FIELDS)
    assert response.status_code == 404
    api = api_as("co.sapporo")
    ids = [p["id"] for p in api.get("/api/v1/positions/").json()["results"]]
    assert position.pk not in ids
    assert api.get(f"/api/v1/positions/{position.pk}/").status_code == 404
    assert api.post(f"/api/v1/positions/{position.pk}/approve/").status_code == 404


def test_mic_sees_all_and_approves_then_clair_sees(login, co_hyogo, co_sapporo, clair):
    [hyogo] = _request(co_hyogo)
    [sapporo] = _request(co_sapporo, base="Sapporo North High School", school_level="SENIOR_HIGH")
    assert not selectors.position_list(user=clair).filter(pk=hyogo.pk).exists()
    client = login("mic")
    page = client.get("/mic/positions/")
    assert page.status_code == 200
    assert b"Kobe Municipal Junior High School" in page.content
    assert b"Sapporo North High School" in page.content
    response = client.post(
        "/mic/positions/review/", {"position": [hyogo.pk], "decision": "approve"}, follow=True
    )
    assert b"1 position approved." in response.content
    hyogo.refresh_from_db()
    sapporo.refresh_from_db()
    assert hyogo.state == "APPROVED"
    assert sapporo.state == "REQUESTED"
    assert selectors.position_list(user=clair).filter(pk=hyogo.pk).exists()
    assert not selectors.position_list(user=clair).filter(pk=sapporo.pk).exists()


def test_mic_filters_by_prefecture_and_type(login, co_hyogo, co_sapporo):
    _request(co_hyogo)
    _request(co_sapporo, base="Sapporo North High School", school_level="SENIOR_HIGH")
    client = login("mic")
    prefecture = co_hyogo.organisation.prefecture_id
    page = client.get("/mic/positions/", {"prefecture": prefecture, "type": "ALT"})
    assert b"Kobe Municipal Junior High School" in page.content
    assert b"Sapporo North High School" not in page.content
    page = client.get("/mic/positions/", {"type": "CIR"})
    assert b"Kobe Municipal Junior High School" not in page.content


def test_return_without_reason_is_refused(login, co_hyogo):
    [position] = _request(co_hyogo)
    client = login("mic")
    response = client.post(
        "/mic/positions/review/",
        {"position": [position.pk], "decision": "return", "reason": "  "},
        follow=True,
    )
    assert b"Say why the positions are returned." in response.content
    position.refresh_from_db()
    assert position.state == "REQUESTED"


def test_return_with_reason_then_organisation_edits(login, co_hyogo):
    [position] = _request(co_hyogo)
    client = login("mic")
    response = client.post(
        "/mic/positions/review/",
        {"position": [position.pk], "decision": "return", "reason": "Name the school in full."},
        follow=True,
    )
    assert b"1 position returned." in response.content
    position.refresh_from_db()
    assert position.state == "RETURNED"

    client.logout()
    client = login("co.hyogo")
    page = client.get("/contracting/positions/")
    assert b"Name the school in full." in page.content
    edit = client.get(f"/contracting/positions/{position.pk}/edit/")
    assert edit.status_code == 200
    assert b"Name the school in full." in edit.content
    response = client.post(
        f"/contracting/positions/{position.pk}/edit/",
        FIELDS | {"base": "Kobe Municipal Suma Junior High School"},
        follow=True,
    )
    assert b"The position was changed and sent to MIC again." in response.content
    position.refresh_from_db()
    assert position.state == "REQUESTED"
    assert position.return_reason == ""
    assert position.base == "Kobe Municipal Suma Junior High School"


def test_approved_position_cannot_be_edited(login, co_hyogo, mic):
    from apps.placement.services import positions_review

    [position] = _request(co_hyogo)
    positions_review(by=mic, positions=[position], approve=True)
    client = login("co.hyogo")
    response = client.post(
        f"/contracting/positions/{position.pk}/edit/", FIELDS | {"base": "Elsewhere"}
    )
    assert response.status_code == 200
    assert b"An approved position cannot be changed; ask MIC." in response.content
    position.refresh_from_db()
    assert position.base == FIELDS["base"]
    assert position.state == "APPROVED"


def test_contracting_organisation_cannot_approve(login, api_as, co_hyogo):
    [position] = _request(co_hyogo)
    api = api_as("co.hyogo")
    assert api.get(f"/api/v1/positions/{position.pk}/").status_code == 200
    assert api.post(f"/api/v1/positions/{position.pk}/approve/").status_code == 403
    response = api.post(f"/api/v1/positions/{position.pk}/return/", {"reason": "x"})
    assert response.status_code == 403
    client = login("co.hyogo")
    assert client.get("/mic/positions/").status_code == 403
    response = client.post(
        "/mic/positions/review/", {"position": [position.pk], "decision": "approve"}
    )
    assert response.status_code == 403
    position.refresh_from_db()
    assert position.state == "REQUESTED"


def test_mic_reviews_through_api(api_as, co_hyogo):
    first, second = _request(co_hyogo, seats=2)
    api = api_as("mic")
    response = api.post(f"/api/v1/positions/{first.pk}/approve/")
    assert response.status_code == 200, response.content
    assert response.json()["state"] == "APPROVED"
    response = api.post(f"/api/v1/positions/{second.pk}/return/", {"reason": ""}, format="json")
    assert response.status_code == 400
    assert "Say why the positions are returned." in str(response.json())
    response = api.post(
        f"/api/v1/positions/{second.pk}/return/", {"reason": "Too vague."}, format="json"
    )
    assert response.status_code == 200
    assert response.json()["state"] == "RETURNED"
    assert response.json()["return_reason"] == "Too vague."
    # Reviewed once: a second review is refused.
    assert api.post(f"/api/v1/positions/{first.pk}/approve/").status_code == 400


def test_embassy_sees_no_positions(api_as, co_hyogo):
    [position] = _request(co_hyogo)
    api = api_as("embassy.us")
    body = api.get("/api/v1/positions/").json()
    assert body["count"] == 0
    assert api.get(f"/api/v1/positions/{position.pk}/").status_code == 404


def test_counts_page_shows_numbers(login, co_hyogo, co_sapporo, mic):
    from apps.core.models import ProgrammeYear
    from apps.placement.services import positions_review

    # The demo's own positions move to another year, so the figures are this test's.
    other, _created = ProgrammeYear.objects.get_or_create(
        year=1999,
        defaults={
            "applications_open": "1998-09-01T00:00:00Z",
            "application_deadline": "1998-11-01T00:00:00Z",
            "degree_deadline": "1999-06-30",
            "results_release": "1999-02-01",
            "reply_deadline": "1999-03-01",
            "departure_group_a": "1999-07-26",
            "departure_group_b": "1999-08-02",
        },
    )
    PositionRequest.objects.update(programme_year=other)
    created = _request(co_hyogo, seats=3)
    _request(co_hyogo, type="CIR", school_level="", cir_language="English")
    _request(co_sapporo, base="Sapporo North High School", school_level="SENIOR_HIGH")
    positions_review(by=mic, positions=created[:1], approve=True)
    client = login("mic")
    page = client.get("/mic/positions/counts/")
    assert page.status_code == 200
    content = page.content.decode()
    hyogo = co_hyogo.organisation.prefecture_id
    sapporo = co_sapporo.organisation.prefecture_id
    # Counts only: a cell below 3 is "fewer than 3" (tests/core/test_small_cells.py), and
    # Hyogo's 3 ALTs and 4 in all are withheld, or Sapporo's hidden 1 would follow from
    # the exact totals.
    assert f'data-testid="count-{hyogo}-ALT">withheld (fewer than 3)<' in content
    assert f'data-testid="count-{hyogo}-CIR">fewer than 3 (fewer than 3)<' in content
    assert f'data-testid="count-{hyogo}-total">withheld (fewer than 3)<' in content
    assert f'data-testid="count-{sapporo}-ALT">fewer than 3 (0)<' in content
    assert 'data-testid="count-total">5<' in content
    assert "<svg" in content


def test_who_counts_positions(co_hyogo, co_sapporo, mic, mext, clair, embassy_us, mofa):
    """MIC, CLAIR and MEXT count every position, requested or not; an organisation its
    own; a mission and MOFA headquarters none."""
    from apps.core.models import ProgrammeYear

    year = ProgrammeYear.objects.get(is_current=True)
    _request(co_hyogo, seats=2)
    _request(co_sapporo, base="Sapporo North High School", school_level="SENIOR_HIGH")

    def total(user) -> int:
        return sum(row["n"] for row in selectors.position_counts(user=user, programme_year=year))

    every = PositionRequest.objects.filter(programme_year=year).count()
    assert total(mic) == total(clair) == total(mext) == every
    assert (
        total(co_hyogo)
        == PositionRequest.objects.filter(
            programme_year=year, organisation=co_hyogo.organisation
        ).count()
    )
    assert total(co_hyogo) < every
    assert total(embassy_us) == total(mofa) == 0


def test_workspaces_link_to_positions(login):
    client = login("co.hyogo")
    assert b"/contracting/positions/" in client.get("/contracting/").content
    client.logout()
    assert b"/mic/positions/" in login("mic").get("/mic/").content
