"""The database keeps a candidate to one active placement and a position to one
participant, even when several CLAIR staff place at the same moment."""

import threading

import pytest
from django.db import connection

from apps.core.errors import DomainError
from apps.core.models import Organisation, Prefecture, ProgrammeYear, User
from apps.placement import services
from apps.placement.models import Placement, PositionRequest
from apps.recruitment.models import Application

pytestmark = pytest.mark.django_db(transaction=True)


def _candidate(n: int) -> Application:
    mission = Organisation.objects.get(name_en="Embassy of Japan in the United States")
    person = User.objects.create_user(f"race.candidate.{n}", person_role="APPLICANT")
    return Application.objects.create(
        number=f"RACE-{n}",
        programme_year=ProgrammeYear.objects.get(is_current=True),
        applicant=person,
        mission=mission,
        country=mission.country,
        position="ALT",
        status=Application.Status.FORWARDED,
        japanese_level="N3",
        driving_licence="MANUAL",
    )


def _position(n: int) -> PositionRequest:
    hyogo = Organisation.objects.get(name_en="Hyogo Prefectural Board of Education")
    return PositionRequest.objects.create(
        programme_year=ProgrammeYear.objects.get(is_current=True),
        organisation=hyogo,
        type="ALT",
        school_level="SENIOR_HIGH",
        base=f"Hyogo Prefectural High School No. {n}",
        prefecture=Prefecture.objects.get(code="28"),
        municipality="Kobe",
        location="URBAN",
        housing="ASSISTED",
        state=PositionRequest.State.APPROVED,
    )


def _race(pairs) -> tuple[int, list[str]]:
    """Run placement_confirm for every (application, position) at once, each in its own
    thread and database connection; count the winners and collect the refusals."""
    barrier = threading.Barrier(len(pairs))
    won, refused = [], []

    def attempt(application_id, position_id):
        try:
            clair = User.objects.get(username="clair")
            application = Application.objects.get(pk=application_id)
            position = PositionRequest.objects.get(pk=position_id)
            barrier.wait()
            services.placement_confirm(by=clair, application=application, position=position)
            won.append(position_id)
        except DomainError as exc:
            refused.append(exc.message)
        finally:
            connection.close()

    threads = [threading.Thread(target=attempt, args=(a.pk, p.pk)) for a, p in pairs]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return len(won), refused


def test_one_candidate_raced_into_several_positions_gets_exactly_one(committed_world):
    candidate = _candidate(1)
    positions = [_position(n) for n in range(4)]
    won, refused = _race([(candidate, p) for p in positions])
    assert won == 1
    assert refused == ["This candidate or this position has just been placed by someone else."] * 3
    assert Placement.objects.filter(application=candidate).count() == 1


def test_one_position_raced_by_several_candidates_takes_exactly_one(committed_world):
    position = _position(9)
    candidates = [_candidate(n) for n in range(10, 14)]
    won, refused = _race([(c, position) for c in candidates])
    assert won == 1
    assert len(refused) == 3
    assert Placement.objects.filter(position=position).count() == 1


def test_a_declined_placement_frees_candidate_and_position(committed_world):
    candidate = _candidate(20)
    first, second = _position(21), _position(22)
    clair = User.objects.get(username="clair")
    placement = services.placement_confirm(by=clair, application=candidate, position=first)
    Placement.objects.filter(pk=placement.pk).update(
        status=Placement.Status.DECLINED_BY_ORGANISATION, decline_reason="No housing this year"
    )
    again = services.placement_confirm(by=clair, application=candidate, position=second)
    assert again.status == Placement.Status.CONFIRMED
    other = _candidate(23)
    assert services.placement_confirm(by=clair, application=other, position=first)


@pytest.mark.parametrize(
    ("licence", "level", "message"),
    [
        (
            "AUTOMATIC",
            "N3",
            "The position needs a manual licence; the candidate has an automatic licence.",
        ),
        (
            "MANUAL",
            "N5",
            "The position needs Japanese at JLPT N3; the candidate has JLPT N5.",
        ),
    ],
)
def test_a_hard_requirement_that_fails_is_refused_with_the_reason(
    committed_world, licence, level, message
):
    candidate = _candidate(30)
    Application.objects.filter(pk=candidate.pk).update(
        driving_licence=licence, japanese_level=level
    )
    candidate.refresh_from_db()
    position = _position(31)
    PositionRequest.objects.filter(pk=position.pk).update(
        driving_licence_required="MANUAL", min_japanese_level="N3"
    )
    position.refresh_from_db()
    with pytest.raises(DomainError) as refused:
        services.placement_confirm(
            by=User.objects.get(username="clair"), application=candidate, position=position
        )
    assert refused.value.message == message
    assert not Placement.objects.exists()


def test_demo_salary_scale_follows_the_programme_rules(committed_world):
    from apps.demo import scale as demo
    from apps.placement.models import SalaryStep

    demo.seed(stdout=None)
    year = ProgrammeYear.objects.get(is_current=True)
    scale = dict(
        SalaryStep.objects.filter(programme_year=year).values_list("contract_year", "annual_yen")
    )
    assert scale == {1: 3_360_000, 2: 3_600_000, 3: 3_900_000, 4: 3_960_000, 5: 3_960_000}
