"""The placement domain's Celery jobs (apps.core.jobs shows their progress):

- placements as CSV or Excel: the selector runs for the person who asked, so the file
  holds exactly their list (a limited profile: no scores, no health);
- CLAIR's "Suggest placements": the engine's proposal over the year's pool, stored as a
  run for CLAIR's staff to review.
"""

from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from apps.core import access
from apps.core import jobs as core_jobs
from apps.core.jobs import export_write, job_progress
from apps.core.models import Job, User
from apps.core.selectors import programme_year_current
from apps.placement import engine, matching, selectors
from apps.placement.models import MatchingLine, MatchingRun, Placement, PositionRequest
from apps.recruitment.models import Application


def placements_export_start(*, by: User, file_format: str) -> Job:
    """403 for whoever may not export placements (MIC, MEXT, people)."""
    access.require_allowed(by, "export", Placement, _("You cannot export placements."))
    return core_jobs.export_start(
        by=by,
        file_format=file_format,
        handler="apps.placement.jobs.placements_export",
        title=_("Export of placements (%(format)s)") % {"format": file_format.upper()},
    )


def header() -> list[str]:
    return [
        _("Application number"),
        _("Family name"),
        _("Given names"),
        _("Country"),
        _("Embassy or consulate"),
        _("Contracting organisation"),
        _("Prefecture"),
        _("Municipality"),
        _("Position"),
        _("School level"),
        _("Arrival group"),
        _("Status"),
        _("Confirmed"),
    ]


def row(placement) -> list:
    application, position = placement.application, placement.position
    return [
        application.number,
        application.family_name,
        application.given_names,
        application.country.name,
        application.mission.name,
        position.organisation.name,
        position.prefecture.name,
        position.municipality,
        position.type,
        position.get_school_level_display(),
        placement.get_arrival_group_display(),
        placement.get_status_display(),
        timezone.localtime(placement.confirmed_at).strftime("%Y-%m-%d"),
    ]


def placements_export(job: Job) -> None:
    user = job.requested_by
    file_format = job.params.get("format")
    with translation.override(user.language):
        placements = selectors.placement_list(user=user, programme_year=programme_year_current())
        stamp = timezone.localtime().strftime("%Y%m%d-%H%M")
        total = export_write(
            job,
            header=header(),
            items=placements,
            row=row,
            filename=f"placements-{stamp}.{file_format}",
            sheet_title=_("Placements"),
        )
        job.result_message = ngettext(
            "%(count)s placement exported.", "%(count)s placements exported.", total
        ) % {"count": total}


# --- "Suggest placements" ---------------------------------------------------------------

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
    # History: pairs an organisation declined are never proposed again; changes by hand
    # on the previous run's lines are kept unless the staff removed them.
    declines = selectors.placement_declines(user=None, programme_year=year)
    carried = {}
    if run.previous_id:
        carried = {
            line.application_id: line
            for line in MatchingLine.objects.filter(
                run_id=run.previous_id,
                overridden_by__isnull=False,
                decision=MatchingLine.Decision.PROPOSED,
            ).select_related("overridden_by")
        }
    job_progress(job, done=1)
    result = matching.suggest(
        candidates,
        [engine.position(p) for p in positions],
        declined=declines.keys(),
        fixed={cid: line.position_id for cid, line in carried.items()},
    )
    job_progress(job, done=2)
    ranks = [s.preference_rank for s in result.suggestions]

    def line(candidate_id, notes, **fields) -> MatchingLine:
        notes = [_said(candidate_id, n, declines, carried) for n in engine.as_dicts(notes)]
        kept = carried.get(candidate_id)
        if kept is None or not any(n["code"] == matching.FIXED_BY_HAND for n in notes):
            return MatchingLine(run=run, application_id=candidate_id, notes=notes, **fields)
        return MatchingLine(
            run=run,
            application_id=candidate_id,
            notes=notes,
            carried_from=kept,
            override_reason=kept.override_reason,
            overridden_by=kept.overridden_by,
            overridden_at=kept.overridden_at,
            **fields,
        )

    lines = [
        line(
            s.candidate_id,
            s.notes,
            proposed_position_id=s.position_id,
            position_id=s.position_id,
            preference_rank=s.preference_rank,
            cost=s.cost,
        )
        for s in result.suggestions
    ] + [line(u.candidate_id, (u.reason, *u.notes)) for u in result.unplaced]
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
        run.stats["kept_by_hand"] = sum(1 for x in lines if x.carried_from is not None)
        run.stats["declined_pairs"] = len(declines)
        run.position_ids = sorted(p.pk for p in positions)
        run.state = MatchingRun.State.READY
        run.finished_at = timezone.now()
        run.save()
    job_progress(job, done=3)
    job.result_message = (
        _("%(placed)s of %(candidates)s candidates placed on %(positions)s open positions.")
        % run.stats
    )


def _said(candidate_id: int, note: dict, declines: dict, carried: dict) -> dict:
    """The engine's history notes with what a person needs to read them: who declined,
    when and why; which run's change by hand is kept, by whom and why."""
    params = note["params"]
    if note["code"] == matching.DECLINED:
        params |= declines.get((candidate_id, params.get("position")), {})
    elif note["code"] == matching.FIXED_BY_HAND and candidate_id in carried:
        kept = carried[candidate_id]
        origin = next(
            (n["params"].get("run") for n in kept.notes if n.get("code") == matching.FIXED_BY_HAND),
            None,
        )
        params |= {
            "run": origin or kept.run_id,
            "reason": kept.override_reason,
            "by": kept.overridden_by.get_full_name() if kept.overridden_by else "",
        }
    return note
