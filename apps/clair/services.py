"""CLAIR's writes: alternates, placing candidates, and the suggestion runs."""

from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from apps.clair import engine
from apps.core import access
from apps.core.errors import DomainError
from apps.core.jobs import job_start
from apps.core.models import Kind, Organisation, User
from apps.core.selectors import organisation_staff, programme_year_current
from apps.notifications.services import notifications_record
from apps.placement.models import MatchingLine, MatchingRun, Placement, PositionRequest
from apps.placement.notes import note_text
from apps.placement.notices import placement_context
from apps.recruitment.choices import Position
from apps.recruitment.models import AlternateRequest, Application


@transaction.atomic
def alternate_request_create(
    *, by: User, mission: Organisation, position: str, note: str = ""
) -> AlternateRequest:
    """Ask a mission to upgrade an alternate (a placed candidate withdrew, a place must
    be filled). The mission's staff are told; their next upgrade answers it."""
    if by.kind != Kind.CLAIR:
        raise DomainError(_("Only CLAIR asks missions for alternates."))
    if mission.kind != Kind.MISSION:
        raise DomainError(_("Choose an embassy or consulate."), field="mission")
    if position not in Position.values:
        raise DomainError(_("Choose a position."), field="position")
    year = programme_year_current()
    if year is None:
        raise DomainError(_("There is no current programme year."))
    request = AlternateRequest.objects.create(
        mission=mission, programme_year=year, position=position, note=note, requested_by=by
    )
    staff = list(organisation_staff(organisation=mission))
    notifications_record(
        recipients=staff,
        kind="alternate_requested",
        context={"position": position, "note": note, "year": year.year},
        key=f"alternate_requested:{request.pk}",
    )
    return request


WARNING_CODES = {"no_preference_met", "no_preferences_given", "location_unmet"}


def placement_requirements_unmet(application, position) -> list[str]:
    """The hard requirements of `position` that the candidate does not meet, in words:
    the engine's own rule (`matching.fit`), so the board, a hand placement and a
    suggestion refuse the same pairs."""
    return [note_text(engine.as_dicts([n])[0]) for n in engine.fit(application, position).failures]


def placement_warnings(application, position) -> list[str]:
    """Soft mismatches a person should see before placing by hand."""
    notes = engine.as_dicts(engine.fit(application, position).notes)
    warnings = [note_text(n) for n in notes if n["code"] in WARNING_CODES]
    partner = application.partner
    if partner is not None:
        held = (
            Placement.objects.filter(application=partner, status__in=Placement.ACTIVE)
            .select_related("position")
            .first()
        )
        if held and held.position.prefecture_id != position.prefecture_id:
            warnings.append(
                _("The partner (%(number)s) is placed in another prefecture.")
                % {"number": partner.number}
            )
    return warnings


def _require_clair(by: User, *, manager: bool = False) -> None:
    if by.kind != Kind.CLAIR:
        raise DomainError(_("Only CLAIR places candidates."))
    if manager and not by.is_manager:
        raise DomainError(_("Only a CLAIR manager approves placements."))


@transaction.atomic
def placement_confirm(*, by: User, application, position, arrival_group: str = "A"):
    """Place a forwarded candidate in an approved position and tell the organisation.
    The database allows one active placement per candidate and per position, so of two
    staff placing at once exactly one succeeds and the other is told why."""
    _require_clair(by)
    if arrival_group not in Placement.ArrivalGroup.values:
        raise DomainError(_("Choose an arrival group."), field="arrival_group")
    if application.status != Application.Status.FORWARDED:
        raise DomainError(_("Only candidates forwarded by a mission can be placed."))
    if position.state != PositionRequest.State.APPROVED:
        raise DomainError(_("Only positions approved by MIC can be filled."))
    if position.programme_year_id != application.programme_year_id:
        raise DomainError(_("The position belongs to another programme year."))
    unmet = placement_requirements_unmet(application, position)
    if unmet:
        raise DomainError(" ".join(unmet))
    try:
        with transaction.atomic():
            placement = Placement.objects.create(
                application=application,
                position=position,
                arrival_group=arrival_group,
                confirmed_by=by,
            )
    except IntegrityError:
        raise DomainError(
            _("This candidate or this position has just been placed by someone else.")
        ) from None
    # The candidate hears of it only once the organisation has accepted.
    for organisation in (position.organisation, application.mission):
        access.grant("view", placement, organisation)
    access.grant("change", placement, position.organisation)
    notifications_record(
        recipients=list(organisation_staff(organisation=position.organisation)),
        kind="placement_offered",
        context=placement_context(placement),
        key=f"placement_offered:{placement.pk}",
    )
    return placement


# --- "Suggest placements" ---------------------------------------------------------------


def matching_run_start(*, by: User) -> MatchingRun:
    """Queue a suggestion run over the current year's pool; the page shows its progress."""
    _require_clair(by)
    year = programme_year_current()
    if year is None:
        raise DomainError(_("There is no current programme year."))
    with transaction.atomic():
        previous = (
            MatchingRun.objects.filter(programme_year=year, state=MatchingRun.State.READY)
            .order_by("-created_at", "-pk")
            .first()
        )
        run = MatchingRun.objects.create(programme_year=year, started_by=by, previous=previous)
        run.job = job_start(
            by=by,
            handler="apps.clair.jobs.matching_run_execute",
            title=_("Placement suggestions for %(year)s") % {"year": year.year},
            params={
                "run": run.pk,
                "result_url": reverse("clair:run-detail", kwargs={"pk": run.pk}),
            },
        )
        run.save(update_fields=["job"])
    return run


def _editable_line(by: User, line: MatchingLine) -> MatchingLine:
    _require_clair(by)
    line = MatchingLine.objects.select_for_update().select_related("run").get(pk=line.pk)
    if line.run.state != MatchingRun.State.READY:
        raise DomainError(_("This suggestion is not ready for review."))
    if line.decision != MatchingLine.Decision.PROPOSED:
        raise DomainError(_("This line has already been decided."))
    return line


@transaction.atomic
def matching_line_override(*, by: User, line: MatchingLine, position, reason: str) -> MatchingLine:
    """Change one line of a proposal (another position, or none); the reason is kept."""
    line = _editable_line(by, line)
    reason = (reason or "").strip()
    if not reason:
        raise DomainError(_("Give the reason for the change."), field="reason")
    if position is not None:
        if position.state != PositionRequest.State.APPROVED or position.programme_year_id != (
            line.run.programme_year_id
        ):
            raise DomainError(_("Only positions approved by MIC can be filled."), field="position")
        if Placement.objects.filter(position=position, status__in=Placement.ACTIVE).exists():
            raise DomainError(_("This position is already filled."), field="position")
        unmet = placement_requirements_unmet(line.application, position)
        if unmet:
            raise DomainError(" ".join(unmet), field="position")
        taken = line.run.lines.filter(position=position).exclude(pk=line.pk).first()
        if taken:
            raise DomainError(
                _("Another line of this proposal (%(number)s) already has this position.")
                % {"number": taken.application.number},
                field="position",
            )
        fit = engine.fit(line.application, position)
        line.preference_rank, line.cost = fit.preference_rank, fit.cost
        line.notes = engine.as_dicts(fit.notes)
    else:
        line.preference_rank, line.cost = None, 0
        line.notes = [{"code": "override", "params": {"by": by.get_full_name(), "reason": reason}}]
    line.position = position
    line.override_reason = reason
    line.overridden_by = by
    line.overridden_at = timezone.now()
    line.save()
    return line


def matching_lines_approve(*, by: User, run: MatchingRun, lines=None) -> dict:
    """A CLAIR manager (for the placement committee) approves the proposal as a whole or
    the chosen lines. Each line is placed in its own transaction: a line whose candidate
    or position was taken meanwhile fails with its reason, and the others still go."""
    _require_clair(by, manager=True)
    if run.state != MatchingRun.State.READY:
        raise DomainError(_("This suggestion is not ready for review."))
    pending = run.lines.filter(decision=MatchingLine.Decision.PROPOSED, position__isnull=False)
    if lines is not None:
        pending = pending.filter(pk__in=[getattr(line, "pk", line) for line in lines])
    outcome = {"approved": 0, "failed": 0}
    for line in pending.select_related("application__partner", "position__prefecture"):
        try:
            with transaction.atomic():
                placement = placement_confirm(
                    by=by, application=line.application, position=line.position
                )
                MatchingLine.objects.filter(pk=line.pk).update(
                    decision=MatchingLine.Decision.APPROVED,
                    placement=placement,
                    decided_by=by,
                    decided_at=timezone.now(),
                )
            outcome["approved"] += 1
        except DomainError as exc:
            MatchingLine.objects.filter(pk=line.pk).update(
                decision=MatchingLine.Decision.FAILED,
                decision_note=exc.message,
                decided_by=by,
                decided_at=timezone.now(),
            )
            outcome["failed"] += 1
    return outcome


@transaction.atomic
def matching_line_reject(*, by: User, line: MatchingLine, reason: str) -> MatchingLine:
    _require_clair(by, manager=True)
    line = _editable_line(by, line)
    if not (reason or "").strip():
        raise DomainError(_("Give the reason for the change."), field="reason")
    line.decision = MatchingLine.Decision.REJECTED
    line.decision_note = reason.strip()
    line.decided_by = by
    line.decided_at = timezone.now()
    line.save()
    return line
