"""CLAIR's background job: "Suggest placements" (apps.core.jobs shows its progress)."""

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from apps.clair import engine
from apps.core.jobs import job_progress
from apps.core.models import Job
from apps.placement import matching
from apps.placement.models import MatchingLine, MatchingRun, Placement, PositionRequest
from apps.recruitment.models import Application

# Progress steps a person can follow: load, solve, store.
STEPS = 4


def matching_run_execute(job: Job) -> None:
    run = MatchingRun.objects.select_related("programme_year").get(pk=job.params["run"])
    try:
        _execute(job, run)
    except Exception:
        MatchingRun.objects.filter(pk=run.pk).update(
            state=MatchingRun.State.FAILED, finished_at=timezone.now()
        )
        raise


def _execute(job: Job, run: MatchingRun) -> None:
    year = run.programme_year
    job_progress(job, done=0, total=STEPS)
    pool = list(
        Application.objects.filter(programme_year=year, status=Application.Status.FORWARDED)
        .exclude(placements__status__in=Placement.ACTIVE)
        .only(
            "id",
            "position",
            "preference_1",
            "preference_2",
            "preference_3",
            "location_preference",
            "japanese_level",
            "driving_licence",
            "citizenship_id",
            "country_id",
            "partner_id",
        )
        .order_by("pk")
    )
    positions = list(
        PositionRequest.objects.filter(programme_year=year, state=PositionRequest.State.APPROVED)
        .exclude(placements__status__in=Placement.ACTIVE)
        .order_by("pk")
    )
    ids = {a.pk for a in pool}
    candidates = [engine.candidate(a, partner_ids=ids) for a in pool]
    job_progress(job, done=1)
    result = matching.suggest(candidates, [engine.position(p) for p in positions])
    job_progress(job, done=2)
    ranks = [s.preference_rank for s in result.suggestions]
    lines = [
        MatchingLine(
            run=run,
            application_id=s.candidate_id,
            proposed_position_id=s.position_id,
            position_id=s.position_id,
            preference_rank=s.preference_rank,
            cost=s.cost,
            notes=engine.as_dicts(s.notes),
        )
        for s in result.suggestions
    ] + [
        MatchingLine(
            run=run,
            application_id=u.candidate_id,
            notes=engine.as_dicts((u.reason, *u.notes)),
        )
        for u in result.unplaced
    ]
    with transaction.atomic():
        MatchingLine.objects.bulk_create(lines, batch_size=1000)
        run.stats = {
            "candidates": len(candidates),
            "positions": len(positions),
            "placed": len(result.suggestions),
            "rank_1": ranks.count(1),
            "rank_2": ranks.count(2),
            "rank_3": ranks.count(3),
            "rank_none": ranks.count(None),
            "couples": result.couples,
            "couples_together": result.couples_together,
            "objective": result.objective,
            "unconstrained_objective": result.unconstrained_objective,
            "seconds": round(result.seconds, 3),
        }
        run.position_ids = sorted(p.pk for p in positions)
        run.state = MatchingRun.State.READY
        run.finished_at = timezone.now()
        run.save()
    job_progress(job, done=3)
    job.result_message = (
        _("%(placed)s of %(candidates)s candidates placed on %(positions)s open positions.")
        % run.stats
    )
