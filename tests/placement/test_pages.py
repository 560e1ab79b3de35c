"""The placement pages end to end with the Django client: CLAIR's board and hand
placement, the organisation's answer and contract, the candidate's answer and signature,
the bilingual PDF; and who gets 404/403 on each page and on the PDF."""

import io
import re

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from pypdf import PdfReader

from apps.clair.views_placement import PAGE_SIZE
from apps.core import access
from apps.core.models import Kind, Organisation, Prefecture, ProgrammeYear, User
from apps.notifications.models import Notification
from apps.placement.models import Contract, Placement, PositionRequest
from apps.recruitment.models import Application

pytestmark = pytest.mark.django_db


def _client(username: str) -> Client:
    client = Client()
    client.force_login(User.objects.get(username=username))
    return client


@pytest.fixture
def candidate():
    mission = Organisation.objects.get(name_en="Embassy of Japan in the United States")
    person = User.objects.create_user(
        "pages.candidate", first_name="Avery", last_name="Quinn", person_role="APPLICANT"
    )
    application = Application.objects.create(
        number="PAGES-1",
        programme_year=ProgrammeYear.objects.get(is_current=True),
        applicant=person,
        mission=mission,
        country=mission.country,
        citizenship=mission.country,
        position="ALT",
        status=Application.Status.FORWARDED,
        given_names="Avery",
        family_name="Quinn",
        japanese_level="N3",
        driving_licence="AUTOMATIC",
        preference_1="28",
        location_preference="URBAN",
    )
    # As forwarding does: CLAIR sees the candidates missions forward to it; the mission
    # sees its own.
    access.grant("view", application, Organisation.objects.get(kind=Kind.CLAIR))
    access.grant("view", application, mission)
    return application


@pytest.fixture
def position():
    hyogo = Organisation.objects.get(name_en="Hyogo Prefectural Board of Education")
    position = PositionRequest.objects.create(
        programme_year=ProgrammeYear.objects.get(is_current=True),
        organisation=hyogo,
        type="ALT",
        school_level="SENIOR_HIGH",
        base="Kobe Pages High School",
        prefecture=Prefecture.objects.get(code="28"),
        municipality="Kobe",
        location="URBAN",
        housing="ASSISTED",
        state=PositionRequest.State.APPROVED,
    )
    # As MIC's approval does: the organisation sees its own, CLAIR the approved ones.
    access.grant("view", position, hyogo)
    access.grant("view", position, Organisation.objects.get(kind=Kind.CLAIR))
    return position


def _place(candidate, position) -> Placement:
    response = _client("clair").post(
        "/clair/placement/place/",
        {"application": candidate.pk, "position": position.pk, "arrival_group": "A"},
    )
    assert response.status_code == 302, response.content[:400]
    return Placement.objects.get(application=candidate, position=position)


def test_board_shows_the_fit_of_the_chosen_candidate(candidate, position):
    client = _client("clair")
    query = f"candidate={candidate.pk}&p-prefecture=28&p-school_level=SENIOR_HIGH"
    pages = [client.get(f"/clair/placement/?{query}&p_page={n}") for n in (1, 2, 3, 4)]
    assert pages[0].context["selected"] == candidate
    rows = [row for page in pages for row in page.context["position_rows"]]
    row = next(row for row in rows if row["position"] == position)
    assert row["acceptable"] is True
    assert "Meets preference 1 (Hyogo)." in row["notes"]


def test_the_board_reads_the_columns_its_candidates_show_in_queries_flat_in_their_number(
    candidate, position
):
    """A candidate's row reads the columns the board shows, not the whole application, and
    a column left out would cost a query a row: the count holds with five candidates more."""
    client = _client("clair")
    url = "/clair/placement/"

    def read():
        with CaptureQueriesContext(connection) as captured:
            page = client.get(url)
        assert page.status_code == 200
        return len(page.context["candidate_page"]), page, captured.captured_queries

    client.get(url)
    shown, _, before = read()
    for n in range(2, 7):
        more = Application.objects.get(pk=candidate.pk)
        more.pk = None
        more.number = f"PAGES-{n}"
        more.given_names = f"Avery{n}"
        more.applicant = User.objects.create_user(f"pages.candidate{n}", person_role="APPLICANT")
        more.save()
        access.grant("view", more, Organisation.objects.get(kind=Kind.CLAIR))
    shown_after, page, after = read()
    assert shown_after == min(shown + 5, PAGE_SIZE) > shown
    assert len(after) == len(before)
    html = page.content.decode()
    assert "<td>Hyogo<br>" in html  # a preference, named from its code
    rows = [query["sql"] for query in after]
    rows = [sql for sql in rows if sql.startswith('SELECT "programme_application"."id"')]
    assert len(rows) == 1, rows
    assert '"core_country"."name_en"' in rows[0]
    assert '"statement_of_purpose"' not in rows[0]
    assert '"core_organisation"' not in rows[0]


def test_board_filters_candidates_and_positions(candidate, position):
    client = _client("clair")

    def candidates(query):
        page = client.get(f"/clair/placement/?{query}").context["candidate_page"]
        return list(page.paginator.object_list)

    def positions(query):
        page = client.get(f"/clair/placement/?{query}").context["position_page"]
        return list(page.paginator.object_list)

    assert candidate in candidates("c-country=US&c-position=ALT&c-preference=28")
    assert candidate in candidates("c-japanese_level=N3&c-driving_licence=ANY")
    assert candidate not in candidates("c-country=GB")
    assert candidate not in candidates("c-japanese_level=N2")
    assert candidate not in candidates("c-partner=on")
    assert position in positions("p-prefecture=28&p-type=ALT&p-school_level=SENIOR_HIGH")
    assert position in positions("p-requirement=none")
    assert position not in positions("p-prefecture=01")
    assert position not in positions("p-requirement=licence")


def test_a_failing_requirement_is_refused_with_its_reason(candidate, position):
    PositionRequest.objects.filter(pk=position.pk).update(driving_licence_required="MANUAL")
    response = _client("clair").post(
        "/clair/placement/place/",
        {"application": candidate.pk, "position": position.pk, "arrival_group": "A"},
        follow=True,
    )
    assert "The position needs a manual licence" in response.content.decode()
    assert not Placement.objects.filter(application=candidate).exists()


def test_a_soft_mismatch_warns_before_placing(candidate, position):
    PositionRequest.objects.filter(pk=position.pk).update(location="RURAL")
    client = _client("clair")
    data = {"application": candidate.pk, "position": position.pk, "arrival_group": "A"}
    response = client.post("/clair/placement/place/", data)
    assert response.status_code == 200
    assert 'data-testid="place-warnings"' in response.content.decode()
    assert not Placement.objects.filter(application=candidate).exists()
    response = client.post("/clair/placement/place/", data | {"accept_warnings": "on"})
    assert response.status_code == 302
    assert Placement.objects.filter(application=candidate, status="CONFIRMED").exists()


def test_the_whole_flow_on_the_pages(candidate, position):
    placement = _place(candidate, position)
    assert Notification.objects.filter(kind="placement_offered").exists()

    # The candidate does not see it until the organisation has accepted.
    person = Client()
    person.force_login(candidate.applicant)
    assert 'data-testid="placement-card"' not in person.get("/mofa/applicant/").content.decode()

    hyogo = _client("co.hyogo")
    page = hyogo.get("/contracting/placements/").content.decode()
    assert f'data-testid="placement-{placement.pk}"' in page
    assert "screening" not in page.lower()  # a limited profile, no scores
    response = hyogo.post(f"/contracting/placements/{placement.pk}/answer/", {"action": "accept"})
    assert response.status_code == 302
    placement.refresh_from_db()
    assert placement.status == Placement.Status.ACCEPTED_BY_ORGANISATION

    assert 'data-testid="placement-card"' in person.get("/mofa/applicant/").content.decode()
    response = person.post("/participant/placement/", {"action": "accept"})
    assert response.status_code == 302
    contract = Contract.objects.get(placement=placement)
    assert contract.status == Contract.Status.DRAFT
    assert contract.remuneration == 3_360_000

    response = hyogo.post(
        f"/contracting/contracts/{contract.pk}/",
        {
            "action": "save",
            "hours_per_week": "35",
            "paid_leave_days": "20",
            "conditions_en": "Housing is assisted by the board.",
            "conditions_ja": "住居は教育委員会が支援します。",
        },
    )
    assert response.status_code == 302
    step = hyogo.post(f"/contracting/contracts/{contract.pk}/", {"action": "issue"})
    assert step.status_code == 200  # the confirmation step (tests/placement/test_confirm_issue.py)
    stamp = re.search(r'name="stamp" value="([0-9a-f]+)"', step.content.decode())[1]
    hyogo.post(
        f"/contracting/contracts/{contract.pk}/",
        {"action": "issue", "confirm": "True", "stamp": stamp},
    )
    contract.refresh_from_db()
    assert contract.status == Contract.Status.ISSUED

    person = Client()  # the role is now PARTICIPANT: sign in again
    person.force_login(User.objects.get(pk=candidate.applicant_id))
    wrong = person.post(
        f"/participant/contracts/{contract.pk}/", {"typed_name": "Someone Else", "agree": "on"}
    )
    assert wrong.status_code == 200
    assert "Type your full name exactly" in wrong.content.decode()
    response = person.post(
        f"/participant/contracts/{contract.pk}/",
        {"typed_name": "Avery Quinn", "agree": "on"},
        REMOTE_ADDR="198.51.100.7",
    )
    assert response.status_code == 302
    contract.refresh_from_db()
    assert contract.status == Contract.Status.SIGNED
    assert contract.participant_address == "198.51.100.7"

    hyogo.post(f"/contracting/contracts/{contract.pk}/", {"action": "countersign"})
    contract.refresh_from_db()
    assert contract.status == Contract.Status.IN_FORCE

    response = person.get(f"/programme/contracts/{contract.pk}/pdf/")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    text = "".join(page.extract_text() for page in PdfReader(io.BytesIO(response.content)).pages)
    assert "Contract of employment" in text
    assert "雇用契約書" in text
    assert "住居は教育委員会が支援します。" in text
    assert "3,360,000" in text

    page = person.get("/participant/placement/").content.decode()
    assert "Hyogo Prefectural Board of Education" in page


def test_the_participant_portal_speaks_japanese(candidate, position):
    placement = _place(candidate, position)
    _client("co.hyogo").post(
        f"/contracting/placements/{placement.pk}/answer/", {"action": "accept"}
    )
    person = candidate.applicant
    person.language = "ja"
    person.save()
    client = Client()
    client.force_login(person)
    page = client.get("/participant/placement/").content.decode()
    assert "配置" in page
    assert 'lang="ja"' in page


@pytest.mark.parametrize(
    ("username", "expected"),
    [
        ("co.sapporo", 404),
        ("embassy.uk", 404),
        ("mic", 404),
        ("mext", 404),
        ("mofa", 404),
        ("applicant", 404),
        ("embassy.us", 404),
        ("clair", 200),
        ("co.hyogo", 200),
    ],
)
def test_who_may_download_the_contract_pdf(candidate, position, username, expected):
    placement = _place(candidate, position)
    _client("co.hyogo").post(
        f"/contracting/placements/{placement.pk}/answer/", {"action": "accept"}
    )
    person = Client()
    person.force_login(candidate.applicant)
    person.post("/participant/placement/", {"action": "accept"})
    contract = Contract.objects.get(placement=placement)
    assert _client(username).get(f"/programme/contracts/{contract.pk}/pdf/").status_code == expected


@pytest.mark.parametrize(
    ("username", "board", "org_contract"),
    [
        ("co.sapporo", 403, 404),
        ("embassy.us", 403, 403),
        ("mic", 403, 403),
        ("mext", 403, 403),
        ("applicant", 403, 403),
        ("participant", 403, 403),
    ],
)
def test_pages_refuse_other_actors(candidate, position, username, board, org_contract):
    placement = _place(candidate, position)
    _client("co.hyogo").post(
        f"/contracting/placements/{placement.pk}/answer/", {"action": "accept"}
    )
    person = Client()
    person.force_login(candidate.applicant)
    person.post("/participant/placement/", {"action": "accept"})
    contract = Contract.objects.get(placement=placement)
    client = _client(username)
    assert client.get("/clair/placement/").status_code == board
    assert client.get("/clair/placement/runs/").status_code == board
    assert client.get(f"/contracting/contracts/{contract.pk}/").status_code == org_contract
    # Lists: nothing of it.
    if username == "co.sapporo":
        page = client.get("/contracting/placements/").content.decode()
        assert candidate.number not in page


def test_a_mission_sees_its_own_candidates_placements_only(candidate, position):
    placement = _place(candidate, position)
    assert (
        candidate.number in _client("embassy.us").get("/mofa/mission/placements/").content.decode()
    )
    assert (
        candidate.number
        not in _client("embassy.uk").get("/mofa/mission/placements/").content.decode()
    )
    assert placement.pk


def _export_rows(username: str) -> list[list[str]]:
    import csv

    from django.test import TestCase

    from apps.core.models import Job

    client = _client(username)
    # The job is queued on commit; run it as the worker would.
    with TestCase.captureOnCommitCallbacks(execute=True):
        response = client.post("/programme/placements/export/", {"format": "csv"})
    assert response.status_code == 302
    job = Job.objects.filter(requested_by__username=username).latest("pk")
    assert job.state == Job.State.DONE, job.error
    text = job.result_file.open("rb").read().decode("utf-8-sig")
    return list(csv.reader(io.StringIO(text)))


def test_placement_exports_hold_exactly_what_each_actor_may_see(candidate, position):
    placement = _place(candidate, position)
    Application.objects.filter(pk=candidate.pk).update(family_name="=HYPERLINK(1)")
    numbers = {
        who: {row[0] for row in _export_rows(who)[1:]}
        for who in ("clair", "co.hyogo", "co.sapporo", "embassy.us", "embassy.uk", "mofa")
    }
    for who in ("clair", "co.hyogo", "embassy.us", "mofa"):
        assert candidate.number in numbers[who], who
    for who in ("co.sapporo", "embassy.uk"):
        assert candidate.number not in numbers[who], who
    # Each list is exactly that actor's placements of the year, no more.
    from apps.placement import selectors

    for who in ("co.sapporo", "embassy.uk", "co.hyogo"):
        user = User.objects.get(username=who)
        expected = {
            p.application.number
            for p in selectors.placement_list(
                user=user, programme_year=placement.position.programme_year
            )
        }
        assert numbers[who] == expected, who
    row = next(r for r in _export_rows("clair") if r[0] == candidate.number)
    assert row[1] == "'=HYPERLINK(1)"  # a formula is never exported as one


@pytest.mark.parametrize("username", ["mic", "mext", "applicant", "participant"])
def test_others_cannot_export_placements(username):
    response = _client(username).post("/programme/placements/export/", {"format": "csv"})
    assert response.status_code == 403
