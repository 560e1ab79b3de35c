"""CLAIR's "Suggest placements": a run queued as a job after commit, its lines reviewed
and overridden by staff, approved by a manager, and compared with the next run.

Transactional: the job is dispatched on commit (Celery runs eagerly in tests)."""

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied

from apps.core import access
from apps.core.errors import DomainError
from apps.core.models import Job, Kind, Organisation, PersonRole, ProgrammeYear, User
from apps.placement import matching, services
from apps.placement.models import MatchingLine, MatchingRun, Placement
from apps.placement.selectors import matching_lines, matching_run_compare
from apps.recruitment.models import Application

pytestmark = pytest.mark.django_db(transaction=True)

MANUAL_NEEDED = "The position needs a manual licence; the candidate has an automatic licence."


def _user(username: str) -> User:
    return User.objects.get(username=username)


def _candidate(n: int, **fields) -> Application:
    mission = Organisation.objects.get(name_en="Embassy of Japan in the United States")
    person = User.objects.create_user(
        f"suggest.candidate.{n}",
        first_name="Sam",
        last_name=f"Suggest{n}",
        person_role=PersonRole.APPLICANT,
    )
    application = Application.objects.create(
        number=f"SUG-{n}",
        programme_year=ProgrammeYear.objects.get(is_current=True),
        applicant=person,
        mission=mission,
        country=mission.country,
        position="ALT",
        status=Application.Status.FORWARDED,
        given_names="Sam",
        family_name=f"Suggest{n}",
        **fields,
    )
    access.grant("view", application, Organisation.objects.get(kind=Kind.CLAIR))
    return application


def _position(username: str, base: str, **fields):
    [position] = services.position_request_create(
        by=_user(username),
        type="ALT",
        school_level="SENIOR_HIGH",
        base=base,
        municipality=base.split()[0],
        housing="ASSISTED",
        **fields,
    )
    services.positions_review(by=_user("mic"), positions=[position], approve=True)
    position.refresh_from_db()
    return position


def _fresh_year() -> ProgrammeYear:
    """A current programme year of this test's own: the first transactional test of a
    session still finds the demo's candidates and positions in the demo's year."""
    ProgrammeYear.objects.update(is_current=False)
    return ProgrammeYear.objects.create(
        year=2031,
        applications_open=dt.datetime(2030, 9, 23, tzinfo=dt.UTC),
        application_deadline=dt.datetime(2030, 11, 15, tzinfo=dt.UTC),
        degree_deadline=dt.date(2031, 6, 27),
        results_release=dt.date(2031, 3, 28),
        reply_deadline=dt.date(2031, 5, 9),
        departure_group_a=dt.date(2031, 7, 26),
        departure_group_b=dt.date(2031, 8, 2),
        is_current=True,
    )


def _world() -> dict:
    """Six open positions and six candidates; one candidate (no licence, no Japanese)
    meets no position's requirements, so five are placed and one seat stays open."""
    _fresh_year()
    hyogo_rural = {"location": "RURAL", "driving_licence_required": "MANUAL"}
    sapporo = {"location": "URBAN", "min_japanese_level": "N3"}
    positions = {
        "h1": _position("co.hyogo", "Sasayama High School", **hyogo_rural),
        "h2": _position("co.hyogo", "Tamba High School", **hyogo_rural),
        "h3": _position("co.hyogo", "Kami High School", **hyogo_rural),
        "s1": _position("co.sapporo", "Sapporo North High School", **sapporo),
        "s2": _position("co.sapporo", "Sapporo South High School", **sapporo),
        "kobe": _position(
            "co.hyogo", "Kobe High School", location="URBAN", min_japanese_level="N3"
        ),
    }
    candidates = {
        "rural": _candidate(
            1,
            driving_licence="MANUAL",
            japanese_level="N5",
            preference_1="28",
            location_preference="RURAL",
        ),
        "north": _candidate(
            2,
            driving_licence="MANUAL",
            japanese_level="N3",
            preference_1="01",
            preference_2="28",
        ),
        "city": _candidate(
            3,
            driving_licence="MANUAL",
            japanese_level="N2",
            preference_1="28",
            location_preference="URBAN",
        ),
        "north2": _candidate(
            4,
            driving_licence="AUTOMATIC",
            japanese_level="N3",
            preference_1="01",
        ),
        "rural2": _candidate(
            5,
            driving_licence="MANUAL",
            japanese_level="NONE",
            preference_1="28",
        ),
        "stuck": _candidate(
            6,
            driving_licence="NONE",
            japanese_level="NONE",
            preference_1="28",
        ),
    }
    return {"positions": positions, "candidates": candidates}


def _run(by: User) -> MatchingRun:
    run = services.matching_run_start(by=by)
    run.refresh_from_db()
    return run


def _line(run: MatchingRun, application: Application) -> MatchingLine:
    return run.lines.get(application=application)


def test_a_run_proposes_a_line_for_every_candidate_within_the_hard_requirements(
    committed_world,
):
    world = _world()
    clair = _user("clair")

    run = _run(clair)

    assert run.state == MatchingRun.State.READY
    assert run.finished_at is not None
    job = Job.objects.get(pk=run.job_id)
    assert job.state == Job.State.DONE
    assert job.total == 4
    assert job.done == job.total
    assert "5 of 6 candidates placed on 6 open positions" in job.result_message
    assert run.stats["candidates"] == 6
    assert run.stats["positions"] == 6
    assert run.stats["placed"] == 5
    assert run.stats["rank_1"] == 5
    assert sorted(run.position_ids) == sorted(p.pk for p in world["positions"].values())

    lines = list(matching_lines(run=run))
    assert {line.application_id for line in lines} == {c.pk for c in world["candidates"].values()}
    placed = [line for line in lines if line.position_id]
    assert len(placed) == 5
    assert len({line.position_id for line in placed}) == 5
    for line in placed:
        assert line.proposed_position_id == line.position_id
        assert services.placement_requirements_unmet(line.application, line.position) == []
        assert line.preference_rank == 1
    stuck = _line(run, world["candidates"]["stuck"])
    assert stuck.position_id is None
    assert stuck.notes[0]["code"] == matching.NO_ACCEPTABLE_POSITION
    assert stuck.notes[0]["params"]["open_of_type"] == 6
    # The Sapporo seats need Japanese at N3: only those with it go there.
    city = _line(run, world["candidates"]["city"])
    assert city.position_id == world["positions"]["kobe"].pk
    for key in ("north", "north2"):
        assert _line(run, world["candidates"][key]).position.prefecture_id == "01"
    # Nothing is placed until a manager approves.
    assert not Placement.objects.filter(application__programme_year=run.programme_year).exists()


def test_overriding_a_line_needs_a_reason_and_a_free_acceptable_position(committed_world):
    world = _world()
    clair = _user("clair")
    run = _run(clair)
    rural = _line(run, world["candidates"]["rural"])
    rural2 = _line(run, world["candidates"]["rural2"])
    north2 = _line(run, world["candidates"]["north2"])
    taken = {line.position_id for line in run.lines.exclude(position=None)}
    [free] = [p for p in world["positions"].values() if p.pk not in taken]
    assert free.driving_licence_required == "MANUAL"

    with pytest.raises(DomainError) as no_reason:
        services.matching_line_override(by=clair, line=rural, position=free, reason="  ")
    assert no_reason.value.field == "reason"
    with pytest.raises(DomainError, match="Another line of this proposal \\(SUG-5\\)"):
        services.matching_line_override(
            by=clair, line=rural, position=rural2.position, reason="Swap"
        )
    with pytest.raises(DomainError) as hard:
        services.matching_line_override(by=clair, line=north2, position=free, reason="Closer")
    assert hard.value.message == MANUAL_NEEDED
    north2.refresh_from_db()
    assert north2.position_id == north2.proposed_position_id
    assert not north2.overridden

    moved = services.matching_line_override(
        by=clair, line=rural, position=free, reason="The school asked for this candidate"
    )
    moved.refresh_from_db()
    assert moved.position_id == free.pk
    assert moved.proposed_position_id != free.pk
    assert moved.override_reason == "The school asked for this candidate"
    assert moved.overridden_by == clair
    assert moved.overridden_at is not None
    assert moved.preference_rank == 1

    emptied = services.matching_line_override(
        by=clair, line=north2, position=None, reason="Interview the candidate again"
    )
    emptied.refresh_from_db()
    assert emptied.position_id is None
    assert emptied.notes == [
        {
            "code": "override",
            "params": {"by": "Aiko Tanaka", "reason": "Interview the candidate again"},
        }
    ]


def test_a_manager_approves_lines_and_a_line_taken_meanwhile_fails(committed_world):
    world = _world()
    clair, manager = _user("clair"), _user("clair.manager")
    run = _run(clair)
    city = _line(run, world["candidates"]["city"])

    with pytest.raises(PermissionDenied, match="Only a CLAIR manager"):
        services.matching_lines_approve(by=clair, run=run)
    assert not Placement.objects.filter(application__programme_year=run.programme_year).exists()

    outcome = services.matching_lines_approve(by=manager, run=run, lines=[city])
    assert outcome == {"approved": 1, "failed": 0}
    city.refresh_from_db()
    assert city.decision == MatchingLine.Decision.APPROVED
    assert city.decided_by == manager
    placement = Placement.objects.get(application=city.application_id)
    assert city.placement == placement
    assert placement.position_id == city.position_id
    assert placement.status == Placement.Status.CONFIRMED

    # Meanwhile someone places another candidate by hand in a proposed position.
    rural2 = _line(run, world["candidates"]["rural2"])
    latecomer = _candidate(7, driving_licence="MANUAL", japanese_level="N3")
    services.placement_confirm(by=clair, application=latecomer, position=rural2.position)

    outcome = services.matching_lines_approve(by=manager, run=run)

    assert outcome == {"approved": 3, "failed": 1}
    rural2.refresh_from_db()
    assert rural2.decision == MatchingLine.Decision.FAILED
    assert rural2.decision_note == (
        "This candidate or this position has just been placed by someone else."
    )
    assert rural2.placement is None
    decided = dict(run.lines.values_list("application__number", "decision"))
    assert decided == {
        "SUG-1": "APPROVED",
        "SUG-2": "APPROVED",
        "SUG-3": "APPROVED",
        "SUG-4": "APPROVED",
        "SUG-5": "FAILED",
        "SUG-6": "PROPOSED",  # no position proposed: nothing to approve
    }
    for line in run.lines.filter(decision="APPROVED"):
        assert Placement.objects.filter(
            application=line.application_id, position=line.position_id, status="CONFIRMED"
        ).exists()
    this_year = Placement.objects.filter(application__programme_year=run.programme_year)
    assert this_year.filter(status="CONFIRMED").count() == 5  # 4 lines + by hand
    with pytest.raises(DomainError, match="already been decided"):
        services.matching_line_override(by=clair, line=city, position=None, reason="Too late")


def test_a_second_run_explains_what_moved_since_the_first(committed_world):
    world = _world()
    clair = _user("clair")
    first = _run(clair)
    rural = _line(first, world["candidates"]["rural"])
    north = _line(first, world["candidates"]["north"])
    closed = rural.position

    # Between the runs a position is filled by hand and a candidate leaves the pool.
    latecomer = _candidate(7, driving_licence="MANUAL", japanese_level="N3")
    services.placement_confirm(by=clair, application=latecomer, position=closed)
    Application.objects.filter(pk=north.application_id).update(status=Application.Status.WITHDRAWN)

    second = _run(clair)

    assert second.state == MatchingRun.State.READY
    assert second.previous_id == first.pk
    assert second.stats["candidates"] == 5
    assert second.stats["positions"] == 5
    assert closed.pk not in second.position_ids
    changes = {
        change.candidate_id: (change, why) for change, why in matching_run_compare(run=second)
    }
    moved, override = changes[rural.application_id]
    assert moved.kind == "moved"
    assert moved.previous_position == closed.pk
    assert moved.current_position not in (None, closed.pk)
    assert matching.Note(matching.POSITION_CLOSED, {"position": closed.pk}) in moved.reasons
    assert override is None
    gone, _ = changes[north.application_id]
    assert gone.kind == "unplaced"
    assert gone.previous_position == north.position_id
    assert gone.current_position is None
    assert matching.CANDIDATE_GONE in [note.code for note in gone.reasons]
    # Everyone the first run proposed and the second keeps in place is not reported.
    city = _line(first, world["candidates"]["city"])
    assert _line(second, world["candidates"]["city"]).position_id == city.position_id
    assert city.application_id not in changes
    assert all(change.reasons for change, _why in changes.values())
    # The first run has no previous run to compare with.
    assert matching_run_compare(run=first) == []
