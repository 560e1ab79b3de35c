"""CLAIR's and MIC's re-appointment pages with the Django client: opening a round, who is
late, reopening (audited), confirming, the counts, the exports, and who is refused.

The world of these tests, on top of the demo's: three participants whose contracts are in
force today.
- tamsin (Penhaligon): contract year 1 with co.hyogo.
- sarah (the demo's `participant`, O'Connor): contract year 2 with co.hyogo.
- signe (Lindqvist): contract year 1 with co.sapporo (Sapporo City, Hokkaido).
CLAIR sees every case with names; an organisation its own participants; MIC counts only.
"""

import csv
import datetime
import io
import re
import zoneinfo

import pytest
from django.db import connection
from django.test import Client, TestCase
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from apps.core.errors import DomainError
from apps.core.models import Job, Organisation, PersonRole, ProgrammeYear, User
from apps.placement.contracts import contract_draft_create, one_year_from
from apps.placement.models import Contract, Placement, PositionRequest
from apps.reappointment import jobs
from apps.reappointment import services as reappointment_services
from apps.reappointment.models import ReappointmentCase, ReappointmentRound
from apps.recruitment.models import Application

pytestmark = pytest.mark.django_db

JAPAN = zoneinfo.ZoneInfo("Asia/Tokyo")
US_EMBASSY = "Embassy of Japan in the United States"


def _client(username: str) -> Client:
    client = Client()
    client.force_login(User.objects.get(username=username))
    return client


def _participant(n: int, staff: User, given: str, family: str) -> User:
    """A participant of the previous intake placed with the organisation of `staff`, in
    contract year 1 since about four months ago: accepted placement, contract in force."""
    organisation = staff.organisation
    intake = ProgrammeYear.objects.get(year=ProgrammeYear.objects.get(is_current=True).year - 1)
    mission = Organisation.objects.get(name_en=US_EMBASSY)
    person = User.objects.create_user(
        f"re.pages.{n}",
        email=f"re.pages.{n}@example.com",
        first_name=given,
        last_name=family,
        person_role=PersonRole.PARTICIPANT,
    )
    application = Application.objects.create(
        number=f"RE-PAGES-{n}",
        programme_year=intake,
        applicant=person,
        mission=mission,
        country=mission.country,
        citizenship=mission.country,
        position="ALT",
        status=Application.Status.FORWARDED,
        given_names=given,
        family_name=family,
        japanese_level="N3",
        driving_licence="AUTOMATIC",
        preference_1=organisation.prefecture_id,
        location_preference="URBAN",
    )
    position = PositionRequest.objects.create(
        programme_year=intake,
        organisation=organisation,
        type="ALT",
        school_level="SENIOR_HIGH",
        base=f"Re-appointment Test High School No. {n}",
        prefecture=organisation.prefecture,
        municipality="Test Town",
        location="URBAN",
        housing="ASSISTED",
        state=PositionRequest.State.APPROVED,
    )
    placement = Placement.objects.create(
        application=application,
        position=position,
        status=Placement.Status.ACCEPTED,
        confirmed_by=User.objects.get(username="clair"),
    )
    start = timezone.localdate() - datetime.timedelta(days=120)
    contract = contract_draft_create(
        placement,
        {
            "contract_year": 1,
            "start_date": start,
            "end_date": one_year_from(start),
            "remuneration": 3_360_000,
        },
    )
    signed = timezone.now() - datetime.timedelta(days=130)
    Contract.objects.filter(pk=contract.pk).update(
        status=Contract.Status.IN_FORCE,
        participant_signature=person.get_full_name(),
        participant_signed_at=signed,
        participant_address="203.0.113.7",
        countersigned_by=staff,
        countersigned_at=signed,
    )
    return person


@pytest.fixture
def world(co_hyogo, co_sapporo, participant):
    # Rounds from the demo, if any, would stand in the way of opening this year's.
    ReappointmentRound.objects.all().delete()
    return {
        "tamsin": _participant(1, co_hyogo, "Tamsin", "Penhaligon"),
        "sarah": participant,
        "signe": _participant(2, co_sapporo, "Signe", "Lindqvist"),
    }


def _deadlines(days: int = 10) -> dict:
    now = timezone.now()
    return {
        "organisation_deadline": now + datetime.timedelta(days=days),
        "participant_deadline": now + datetime.timedelta(days=days + 7),
        "confirmation_deadline": now + datetime.timedelta(days=days + 14),
    }


@pytest.fixture
def round_(world, clair):
    return reappointment_services.round_open(
        by=clair, programme_year=ProgrammeYear.objects.get(is_current=True), **_deadlines()
    )


def _case(round_, person: User) -> ReappointmentCase:
    return ReappointmentCase.objects.get(round=round_, participant=person)


def _deadlines_passed(round_, *, participant: bool = False) -> None:
    """Move the organisations' deadline (and the participants', if asked) into the past."""
    now = timezone.now()
    values = {"organisation_deadline": now - datetime.timedelta(hours=2)}
    if participant:
        values["participant_deadline"] = now - datetime.timedelta(hours=1)
    ReappointmentRound.objects.filter(pk=round_.pk).update(**values)
    round_.refresh_from_db()


def _row(html: str, testid: str) -> str:
    match = re.search(rf'<tr data-testid="{testid}">(.*?)</tr>', html, re.S)
    assert match, f"no row {testid}"
    return match.group(1)


def _cell(row: str, testid: str) -> str:
    match = re.search(rf'data-testid="{testid}">(.*?)</td>', row, re.S)
    assert match, f"no cell {testid}"
    return re.sub(r"<[^>]+>", "", match.group(1)).strip()


def _run_export(start) -> list[list[str]]:
    """Start an export and run its job as the worker would, after commit."""
    with TestCase.captureOnCommitCallbacks(execute=True):
        result = start()
    job = result if isinstance(result, Job) else None
    if job is None:
        assert result.status_code == 302, result.content[:300]
        job = Job.objects.filter(pk=int(result.url.strip("/").split("/")[-1])).get()
    job.refresh_from_db()
    assert job.state == Job.State.DONE, job.error
    text = job.result_file.open("rb").read().decode("utf-8-sig")
    return list(csv.reader(io.StringIO(text)))


# --- opening a round ---------------------------------------------------------------------


def test_clair_opens_a_round_for_everyone_with_a_contract_in_force(world):
    clair = _client("clair")
    page = clair.get("/clair/reappointment/")
    assert page.status_code == 200
    assert 'data-testid="round-open-form"' in page.content.decode()
    year = ProgrammeYear.objects.get(is_current=True)
    in_ten_days = timezone.localtime(timezone.now(), JAPAN).date() + datetime.timedelta(days=10)

    def typed(days: int) -> str:
        return f"{in_ten_days + datetime.timedelta(days=days):%Y-%m-%d}T17:00"

    response = clair.post(
        "/clair/reappointment/",
        {
            "programme_year": year.pk,
            "organisation_deadline": typed(0),
            "participant_deadline": typed(7),
            "confirmation_deadline": typed(14),
        },
    )

    round_ = ReappointmentRound.objects.get(programme_year=year)
    assert response.status_code == 302
    assert response.url == f"/clair/reappointment/{round_.pk}/"
    # Typed as Japan time, whatever zone the CLAIR user is in.
    assert round_.organisation_deadline == datetime.datetime.combine(
        in_ten_days, datetime.time(17), tzinfo=JAPAN
    )
    today = timezone.localdate()
    in_force = set(
        Contract.objects.filter(
            status=Contract.Status.IN_FORCE, start_date__lte=today, end_date__gte=today
        ).values_list("placement_id", flat=True)
    )
    assert set(round_.cases.values_list("placement_id", flat=True)) == in_force
    sarah = _case(round_, world["sarah"])
    assert (sarah.contract_year, sarah.organisation.name_en) == (
        2,
        "Hyogo Prefectural Board of Education",
    )
    html = clair.get(response.url).content.decode()
    for person in world.values():
        assert person.last_name.replace("'", "&#x27;") in html
    # A second round for the same year is not offered.
    assert (
        'data-testid="round-open-form"' not in clair.get("/clair/reappointment/").content.decode()
    )


def test_deadlines_out_of_order_are_refused_on_the_form(world):
    now = timezone.localtime(timezone.now(), JAPAN)
    response = _client("clair").post(
        "/clair/reappointment/",
        {
            "programme_year": ProgrammeYear.objects.get(is_current=True).pk,
            "organisation_deadline": f"{now + datetime.timedelta(days=20):%Y-%m-%dT%H:%M}",
            "participant_deadline": f"{now + datetime.timedelta(days=10):%Y-%m-%dT%H:%M}",
            "confirmation_deadline": f"{now + datetime.timedelta(days=30):%Y-%m-%dT%H:%M}",
        },
    )
    assert response.status_code == 200
    assert "The deadlines must be in the future and in order" in response.content.decode()
    assert not ReappointmentRound.objects.exists()


# --- who is late -------------------------------------------------------------------------


def test_round_page_shows_who_is_late_after_the_deadline(round_, world, co_hyogo):
    hyogo, sapporo = co_hyogo.organisation, User.objects.get(username="co.sapporo").organisation
    # Hyogo answers for all its participants; Sapporo for none.
    for case in round_.cases.filter(organisation=hyogo, may_continue=True):
        reappointment_services.organisation_answer(
            by=co_hyogo, case=case, offer=True, grounds="Leads the prefecture's ALT training."
        )
    sapporo_waiting = round_.cases.filter(organisation=sapporo, may_continue=True).count()
    url = f"/clair/reappointment/{round_.pk}/"

    before = _client("clair").get(url).content.decode()
    assert _cell(_row(before, f"progress-{sapporo.pk}"), "organisation-late") == "0"
    assert 'organisation-late"><strong' not in before

    _deadlines_passed(round_)
    html = _client("clair").get(url).content.decode()

    assert _cell(_row(html, f"progress-{sapporo.pk}"), "organisation-late") == str(sapporo_waiting)
    assert _cell(_row(html, f"progress-{hyogo.pk}"), "organisation-late") == "0"
    signe, tamsin = _case(round_, world["signe"]), _case(round_, world["tamsin"])
    assert 'data-testid="organisation-late"' in _row(html, f"case-{signe.pk}")
    assert 'data-testid="organisation-late"' not in _row(html, f"case-{tamsin.pk}")
    # Participants' deadline has not passed: nobody is late on their side.
    assert 'data-testid="participant-late"' not in _row(html, f"case-{signe.pk}")


def test_round_page_filters_by_prefecture_and_by_who_is_awaited(round_, world, co_hyogo):
    reappointment_services.organisation_answer(
        by=co_hyogo, case=_case(round_, world["tamsin"]), offer=True
    )
    tamsin, sarah, signe = (_case(round_, world[k]) for k in ("tamsin", "sarah", "signe"))
    url = f"/clair/reappointment/{round_.pk}/"
    clair = _client("clair")

    waiting = clair.get(url, {"waiting": "organisation"}).content.decode()
    assert f'data-testid="case-{sarah.pk}"' in waiting
    assert f'data-testid="case-{signe.pk}"' in waiting
    assert f'data-testid="case-{tamsin.pk}"' not in waiting

    hokkaido = clair.get(url, {"prefecture": "01"}).content.decode()
    assert f'data-testid="case-{signe.pk}"' in hokkaido
    assert f'data-testid="case-{tamsin.pk}"' not in hokkaido
    assert f'data-testid="progress-{co_hyogo.organisation.pk}"' not in hokkaido


def test_round_page_queries_do_not_grow_with_the_cases(world, clair, co_hyogo):
    def queries() -> int:
        round_ = ReappointmentRound.objects.get()
        client = _client("clair")
        with CaptureQueriesContext(connection) as captured:
            assert client.get(f"/clair/reappointment/{round_.pk}/").status_code == 200
        return len(captured)

    year = ProgrammeYear.objects.get(is_current=True)
    reappointment_services.round_open(by=clair, programme_year=year, **_deadlines())
    few = queries()
    ReappointmentRound.objects.all().delete()
    for n in range(3, 7):
        _participant(n, co_hyogo, "Extra", f"Participant{n}")
    reappointment_services.round_open(by=clair, programme_year=year, **_deadlines())
    assert queries() == few


# --- reopening ---------------------------------------------------------------------------


def test_reopening_a_case_lets_a_late_answer_in_and_is_audited(round_, world, clair):
    _deadlines_passed(round_, participant=True)
    signe = _case(round_, world["signe"])
    with pytest.raises(DomainError):
        reappointment_services.participant_answer(
            by=world["signe"], case=signe, wishes_to_continue=True
        )
    until = timezone.localtime(timezone.now(), JAPAN) + datetime.timedelta(days=3)
    reason = "Signe was in hospital during the answer period."
    url = f"/clair/reappointment/{round_.pk}/cases/{signe.pk}/"

    response = _client("clair").post(url, {"reason": reason, "until": f"{until:%Y-%m-%dT%H:%M}"})

    assert response.status_code == 302
    signe.refresh_from_db()
    assert (signe.reopen_reason, signe.reopened_by) == (reason, clair)
    latest = signe.history.latest()
    assert (latest.history_user, latest.reopen_reason) == (clair, reason)
    history = _client("clair").get(url).content.decode()
    assert reason in history
    assert clair.get_full_name() in history
    # The late answer is now accepted.
    reappointment_services.participant_answer(
        by=world["signe"], case=signe, wishes_to_continue=True
    )
    signe.refresh_from_db()
    assert signe.participant_answer == ReappointmentCase.ParticipantAnswer.CONTINUE


def test_reopening_needs_a_reason(round_, world):
    signe = _case(round_, world["signe"])
    until = timezone.localtime(timezone.now(), JAPAN) + datetime.timedelta(days=3)
    response = _client("clair").post(
        f"/clair/reappointment/{round_.pk}/cases/{signe.pk}/",
        {"reason": "", "until": f"{until:%Y-%m-%dT%H:%M}"},
    )
    assert response.status_code == 200
    signe.refresh_from_db()
    assert signe.reopened_until is None
    assert signe.history.count() == 1


# --- confirming --------------------------------------------------------------------------


def test_confirm_drafts_next_contracts_only_where_both_said_yes(round_, world, co_hyogo):
    co_sapporo = User.objects.get(username="co.sapporo")
    tamsin, sarah, signe = (_case(round_, world[k]) for k in ("tamsin", "sarah", "signe"))
    reappointment_services.organisation_answer(by=co_hyogo, case=tamsin, offer=True)
    reappointment_services.organisation_answer(by=co_hyogo, case=sarah, offer=True)
    reappointment_services.organisation_answer(
        by=co_sapporo, case=signe, offer=False, reason="The position is being cut."
    )
    reappointment_services.participant_answer(
        by=world["tamsin"], case=tamsin, wishes_to_continue=True
    )
    reappointment_services.participant_answer(
        by=world["sarah"], case=sarah, wishes_to_continue=False
    )
    reappointment_services.participant_answer(
        by=world["signe"], case=signe, wishes_to_continue=True
    )
    total = round_.cases.count()

    _deadlines_passed(round_, participant=True)
    response = _client("clair").post(
        f"/clair/reappointment/{round_.pk}/confirm/", {"confirm": "True"}, follow=True
    )

    html = response.content.decode()
    assert (
        f"The round is confirmed: 1 re-appointed (their next contracts are drafted), "
        f"{total - 1} leaving the programme."
    ) in html
    round_.refresh_from_db()
    assert round_.state == ReappointmentRound.State.CONFIRMED
    for case in (tamsin, sarah, signe):
        case.refresh_from_db()
    assert tamsin.outcome == ReappointmentCase.Outcome.CONTINUES
    following = tamsin.next_contract
    assert (following.contract_year, following.status) == (2, Contract.Status.DRAFT)
    assert following.start_date == tamsin.contract.end_date + datetime.timedelta(days=1)
    for case in (sarah, signe):
        assert (case.outcome, case.next_contract) == (ReappointmentCase.Outcome.LEAVES, None)
    assert Contract.objects.filter(placement=sarah.placement, contract_year=3).count() == 0
    # Confirmed: nothing to confirm, remind or reopen any more.
    assert 'data-testid="round-confirm"' not in html
    assert 'data-testid="reopen-form"' not in (
        _client("clair").get(f"/clair/reappointment/{round_.pk}/cases/{signe.pk}/").content.decode()
    )


# --- MIC: counts, never names ------------------------------------------------------------


def test_mic_sees_the_counts_but_no_names(round_, world, co_hyogo):
    tamsin = _case(round_, world["tamsin"])
    reappointment_services.organisation_answer(by=co_hyogo, case=tamsin, offer=True)
    mic = _client("mic")

    rounds = mic.get("/mic/reappointment/")
    page = mic.get(f"/mic/reappointment/{round_.pk}/")

    assert rounds.status_code == page.status_code == 200
    assert f'data-testid="round-{round_.pk}"' in rounds.content.decode()
    html = page.content.decode()
    assert 'data-testid="reappointment-chart"' in html
    assert "<svg" in html
    assert _cell(html, "counts-total") == str(round_.cases.count())
    hyogo_alt_year_1 = _row(html, "counts-28-ALT-1")
    n = round_.cases.filter(
        organisation__prefecture_id="28", placement__position__type="ALT", contract_year=1
    ).count()
    # Counts only: below 3 a cell is "fewer than 3" (tests/core/test_small_cells.py).
    assert _cell(hyogo_alt_year_1, "total") in (
        {str(n), "withheld"} if n >= 3 else {"fewer than 3"}
    )
    for person in world.values():
        for name in (person.first_name, person.last_name.replace("'", "&#x27;")):
            assert name not in html
    assert "RE-PAGES-" not in html


def test_mic_export_holds_counts_and_no_names(round_, world):
    rows = _run_export(
        lambda: _client("mic").post(f"/mic/reappointment/{round_.pk}/export/", {"format": "csv"})
    )
    assert rows[0] == [
        "Prefecture",
        "Position",
        "Contract year",
        "Organisation's answer",
        "Participant's answer",
        "Outcome",
        "Participants",
    ]
    # Counts only: the rows hide cells below 3; the total row below them is exact.
    assert rows[-1][0] == "Total"
    assert rows[-1][-1] == str(round_.cases.count())
    for row in rows[1:-1]:
        assert row[-1] in {"fewer than 3", "withheld"} or int(row[-1]) >= 3
    text = repr(rows)
    for person in world.values():
        assert person.first_name not in text
        assert person.last_name not in text


# --- exports of the cases ----------------------------------------------------------------


def test_clair_export_lists_every_case(round_, world, co_hyogo):
    reappointment_services.organisation_answer(
        by=co_hyogo,
        case=_case(round_, world["tamsin"]),
        offer=False,
        reason="=HYPERLINK(1)",
    )
    rows = _run_export(
        lambda: _client("clair").post(
            f"/clair/reappointment/{round_.pk}/export/", {"format": "csv"}
        )
    )
    header, body = rows[0], rows[1:]
    assert header[:3] == ["Application number", "Family name", "Given names"]
    numbers = {row[0] for row in body}
    assert numbers == set(round_.cases.values_list("placement__application__number", flat=True))
    tamsin = next(row for row in body if row[0] == "RE-PAGES-1")
    assert tamsin[header.index("Organisation's reason")] == "'=HYPERLINK(1)"


def test_an_organisation_exports_only_its_own_participants(round_, world, co_hyogo):
    rows = _run_export(
        lambda: jobs.reappointment_export_start(by=co_hyogo, round_=round_, file_format="csv")
    )
    families = {row[1] for row in rows[1:]}
    assert {"Penhaligon", world["sarah"].last_name} <= families
    assert "Lindqvist" not in families
    assert {row[5] for row in rows[1:]} == {"Hyogo Prefectural Board of Education"}


def test_the_export_is_also_an_excel_workbook(round_):
    with TestCase.captureOnCommitCallbacks(execute=True):
        job = jobs.reappointment_export_start(
            by=User.objects.get(username="clair"), round_=round_, file_format="xlsx"
        )
    job.refresh_from_db()
    assert job.state == Job.State.DONE, job.error
    assert job.result_filename.endswith(".xlsx")
    assert job.result_file.open("rb").read(2) == b"PK"


def test_a_mission_cannot_export_the_round(round_):
    with pytest.raises(DomainError):
        jobs.reappointment_export_start(
            by=User.objects.get(username="embassy.us"), round_=round_, file_format="csv"
        )


# --- who is refused ----------------------------------------------------------------------


@pytest.mark.parametrize("username", ["co.sapporo", "embassy.us", "mext", "mic"])
def test_others_get_403_on_clair_pages(round_, world, username):
    client = _client(username)
    case = _case(round_, world["signe"])
    assert client.get("/clair/reappointment/").status_code == 403
    assert client.get(f"/clair/reappointment/{round_.pk}/").status_code == 403
    assert client.get(f"/clair/reappointment/{round_.pk}/cases/{case.pk}/").status_code == 403
    assert client.post(f"/clair/reappointment/{round_.pk}/confirm/").status_code == 403
    assert client.post(f"/clair/reappointment/{round_.pk}/remind/").status_code == 403
    round_.refresh_from_db()
    assert round_.state == ReappointmentRound.State.OPEN


@pytest.mark.parametrize("username", ["co.sapporo", "embassy.us", "mext", "clair"])
def test_others_get_403_on_mic_pages(round_, username):
    client = _client(username)
    assert client.get("/mic/reappointment/").status_code == 403
    assert client.get(f"/mic/reappointment/{round_.pk}/").status_code == 403
    assert client.post(f"/mic/reappointment/{round_.pk}/export/").status_code == 403


def test_missing_rounds_and_cases_are_404(round_, world):
    other = ReappointmentCase.objects.filter(round=round_).order_by("-pk").first().pk + 1000
    assert _client("clair").get("/clair/reappointment/999999/").status_code == 404
    assert _client("mic").get("/mic/reappointment/999999/").status_code == 404
    assert (
        _client("clair").get(f"/clair/reappointment/{round_.pk}/cases/{other}/").status_code == 404
    )
    # A case exists but under another round's address.
    case = _case(round_, world["signe"])
    assert (
        _client("clair").get(f"/clair/reappointment/{round_.pk + 1}/cases/{case.pk}/").status_code
        == 404
    )
