"""Reads of positions, placements, contracts and matching runs, always through the
access rule: a page, its API endpoint and its export call the same function.

Who sees what:
- positions: MIC all; a contracting organisation its own; CLAIR the approved ones;
  counts by prefecture and type also for MEXT;
- placements: CLAIR and MOFA headquarters all; a mission its own candidates'; an
  organisation those offered to it; a candidate their own once the organisation has
  accepted;
- contracts: CLAIR all; the organisation and the participant their own;
- suggestion runs and their lines: CLAIR only (to anyone else they do not exist).
Anything else asked for by id is a 404, the same as what does not exist.
"""

from dataclasses import dataclass

from django.db.models import BooleanField, Count, Exists, ExpressionWrapper, OuterRef, Q, QuerySet
from django.http import Http404
from django.utils import timezone

from apps.core import access
from apps.core.models import ProgrammeYear, User
from apps.placement import engine, matching
from apps.placement.matching import JAPANESE_LEVELS
from apps.placement.models import Contract, MatchingLine, MatchingRun, Placement, PositionRequest
from apps.recruitment.models import Application
from apps.recruitment.selectors import Status, application_list


def position_list(
    *,
    user: User,
    programme_year: ProgrammeYear | None = None,
    state: str | None = None,
    prefecture: str | None = None,
    type: str | None = None,
) -> QuerySet[PositionRequest]:
    """MIC sees every request; a contracting organisation its own; CLAIR the approved."""
    qs = access.restrict(PositionRequest.objects.all(), user, "view")
    if programme_year is not None:
        qs = qs.filter(programme_year=programme_year)
    if state:
        qs = qs.filter(state=state)
    if prefecture:
        qs = qs.filter(prefecture_id=prefecture)
    if type:
        qs = qs.filter(type=type)
    return qs.select_related("organisation", "prefecture").order_by(
        "prefecture_id", "organisation__name_en", "pk"
    )


def position_counts(*, user: User, programme_year: ProgrammeYear) -> list[dict]:
    """Positions by prefecture, type and state: numbers only (MIC, CLAIR and MEXT count
    every position, an organisation its own)."""
    base = PositionRequest.objects.filter(programme_year=programme_year)
    return list(
        access.restrict(base, user, "count")
        .order_by()
        .values("prefecture_id", "prefecture__name_en", "prefecture__name_ja", "type", "state")
        .annotate(n=Count("pk"))
        .order_by("prefecture_id", "type", "state")
    )


# --- placement -------------------------------------------------------------------------

ACTIVE = Placement.ACTIVE
LEVELS = list(JAPANESE_LEVELS)  # ascending, the engine's own order


def placement_list(
    *,
    user: User,
    programme_year: ProgrammeYear | None = None,
    status: str | None = None,
    active_only: bool = False,
) -> QuerySet[Placement]:
    """CLAIR and MOFA HQ read all; an organisation its own; a mission its candidates';
    a candidate their own once the organisation has accepted."""
    qs = access.restrict(Placement.objects.all(), user, "view")
    if programme_year is not None:
        qs = qs.filter(application__programme_year=programme_year)
    if status:
        qs = qs.filter(status=status)
    if active_only:
        qs = qs.filter(status__in=ACTIVE)
    return qs.select_related(
        "application__country",
        "application__mission",
        "position__organisation",
        "position__prefecture",
    ).order_by("-confirmed_at", "-pk")


def placement_get(*, user: User, pk, perm: str = "view") -> Placement:
    placement = access.get_or_404(
        Placement.objects.select_related(
            "application__country",
            "application__mission",
            "application__applicant",
            "application__programme_year",
            "position__organisation",
            "position__prefecture",
        ),
        user,
        pk,
        "view",
    )
    if perm != "view":
        access.require(user, perm, placement)
    return placement


def placement_own(*, user: User, related: tuple[str, ...] | None = None) -> Placement | None:
    """The person's current placement (active, else the latest they were told of).
    `related`: the relations to read with it, where a page shows fewer than the list's
    (each table more in the join costs PostgreSQL milliseconds of planning)."""
    qs = placement_list(user=user).filter(application__applicant=user)
    if related is not None:
        qs = qs.select_related(None).select_related(*related)
    return qs.filter(status__in=ACTIVE).first() or qs.first()


def contract_list(*, user: User, placement: Placement | None = None) -> QuerySet[Contract]:
    """The organisation its own, the participant theirs, CLAIR all; nobody else."""
    qs = access.restrict(Contract.objects.all(), user, "view")
    if placement is not None:
        qs = qs.filter(placement=placement)
    return qs.select_related(
        "placement__application__applicant",
        "placement__application__programme_year",
        "placement__position__organisation",
        "placement__position__prefecture",
    ).order_by("placement_id", "-contract_year", "-version")


def contract_get(*, user: User, pk, perm: str = "view") -> Contract:
    contract = access.get_or_404(
        Contract.objects.select_related(
            "placement__application__applicant",
            "placement__application__country",
            "placement__application__programme_year",
            "placement__position__organisation",
            "placement__position__prefecture",
            "countersigned_by",
        ),
        user,
        pk,
        "view",
    )
    if perm != "view":
        access.require(user, perm, contract)
    return contract


def board_candidates(
    *,
    user: User,
    programme_year: ProgrammeYear,
    country: str | None = None,
    position: str | None = None,
    preference: str | None = None,
    japanese_level: str | None = None,
    driving_licence: str | None = None,
    partner: bool = False,
    q: str | None = None,
) -> QuerySet[Application]:
    """Forwarded candidates without an active placement: the placement pool."""
    qs = application_list(
        user=user, programme_year=programme_year, status=Status.FORWARDED, position=position
    ).exclude(placements__status__in=ACTIVE)
    if country:
        qs = qs.filter(country_id=country)
    if preference:
        qs = qs.filter(
            Q(preference_1__startswith=preference)
            | Q(preference_2__startswith=preference)
            | Q(preference_3__startswith=preference)
        )
    if japanese_level in LEVELS:
        qs = qs.filter(japanese_level__in=LEVELS[LEVELS.index(japanese_level) :])
    if driving_licence == "ANY":
        qs = qs.filter(driving_licence__in=["AUTOMATIC", "MANUAL"])
    elif driving_licence:
        qs = qs.filter(driving_licence=driving_licence)
    if partner:
        qs = qs.exclude(partner_number="")
    return qs.order_by("country_id", "family_name", "given_names", "id")


def board_positions(
    *,
    user: User,
    programme_year: ProgrammeYear,
    prefecture: str | None = None,
    type: str | None = None,
    school_level: str | None = None,
    requirement: str | None = None,
) -> QuerySet[PositionRequest]:
    """Approved positions nobody holds: open for placement."""
    qs = position_list(
        user=user,
        programme_year=programme_year,
        state=PositionRequest.State.APPROVED,
        prefecture=prefecture,
        type=type,
    ).exclude(placements__status__in=ACTIVE)
    if school_level:
        qs = qs.filter(school_level=school_level)
    if requirement == "licence":
        qs = qs.exclude(driving_licence_required="")
    elif requirement == "japanese":
        qs = qs.exclude(min_japanese_level="")
    elif requirement == "none":
        qs = qs.filter(driving_licence_required="", min_japanese_level="")
    return qs


def placement_declines(
    *, user: User | None, programme_year: ProgrammeYear, applications=None
) -> dict[tuple[int, int], dict]:
    """(candidate, position) pairs whose organisation declined the candidate, with what to
    say about it: {"position", "organisation", "date", "reason"}. The engine never
    proposes them again. `user=None` is the suggestion job's own read of the year."""
    qs = Placement.objects.filter(
        status=Placement.Status.DECLINED_BY_ORGANISATION,
        application__programme_year=programme_year,
    )
    if user is not None:
        qs = access.restrict(qs, user, "view")
    if applications is not None:
        qs = qs.filter(application__in=applications)
    declines = {}
    for placement in qs.select_related("position__organisation").order_by("decided_at", "pk"):
        decided = placement.decided_at or placement.confirmed_at
        declines[(placement.application_id, placement.position_id)] = {
            "position": placement.position_id,
            "organisation": placement.position.organisation.name,
            "date": timezone.localdate(decided).isoformat(),
            "reason": placement.decline_reason,
        }
    return declines


@dataclass(frozen=True)
class BoardFit:
    """How one open position fits the chosen candidate, for the board's ranking."""

    position_id: int
    fit: matching.Fit
    declined: dict | None  # placement_declines' entry when its organisation declined them

    @property
    def group(self) -> int:
        """0 acceptable, 1 declined by its organisation, 2 a hard requirement fails."""
        if not self.fit.acceptable:
            return 2
        return 1 if self.declined else 0


def board_fit(
    *, user: User, programme_year: ProgrammeYear, application: Application, **filters
) -> list[BoardFit]:
    """Every open position (the board's filters applied) with its fit for `application`,
    best first by the engine's own cost (the preference met, then the location wish);
    positions whose organisation declined the candidate come after, and those failing a
    hard requirement last. Two queries, whatever the number of positions."""
    positions = (
        board_positions(user=user, programme_year=programme_year, **filters)
        .select_related(None)
        .only(
            "id",
            "type",
            "prefecture_id",
            "city",
            "location",
            "driving_licence_required",
            "min_japanese_level",
            "cir_language",
        )
    )
    declines = placement_declines(
        user=user, programme_year=programme_year, applications=[application]
    )
    candidate = engine.candidate(application)
    ranked = [
        BoardFit(
            position_id=p.pk,
            fit=matching.fit(candidate, engine.position(p)),
            declined=declines.get((application.pk, p.pk)),
        )
        for p in positions
    ]
    ranked.sort(key=lambda r: (r.group, r.fit.cost, r.position_id))
    return ranked


def matching_run_list(*, user: User) -> QuerySet[MatchingRun]:
    """Suggestion runs are CLAIR's working papers: nobody else sees them."""
    return access.restrict(MatchingRun.objects.all(), user, "view").select_related(
        "programme_year", "started_by", "job"
    )


def matching_run_get(*, user: User, pk) -> MatchingRun:
    try:
        return matching_run_list(user=user).get(pk=pk)
    except (MatchingRun.DoesNotExist, ValueError, TypeError):
        raise Http404 from None


def matching_lines(*, run: MatchingRun) -> QuerySet[MatchingLine]:
    return (
        run.lines.select_related(
            "application__country",
            "position__organisation",
            "position__prefecture",
            "proposed_position",
            "overridden_by",
            "decided_by",
            "carried_from",
        )
        .annotate(unplaced=ExpressionWrapper(Q(position__isnull=True), output_field=BooleanField()))
        .order_by("unplaced", "application__family_name", "application_id")
    )


def matching_line_list(*, user: User) -> QuerySet[MatchingLine]:
    """The lines of the runs the user may see (CLAIR's only), one at a time."""
    return access.restrict(MatchingLine.objects.all(), user, "view").select_related(
        "run",
        "application__country",
        "position__organisation",
        "position__prefecture",
        "proposed_position",
        "carried_from",
    )


def matching_line_get(*, user: User, pk) -> MatchingLine:
    try:
        return matching_line_list(user=user).get(pk=pk)
    except (MatchingLine.DoesNotExist, ValueError, TypeError):
        raise Http404 from None


def matching_run_result(run: MatchingRun):
    """A stored run as the engine's `Result` (its final lines, overrides included), so
    two runs compare with `matching.compare`."""

    def notes(raw):
        return tuple(matching.Note(n["code"], n.get("params") or {}) for n in raw)

    suggestions, unplaced, candidates = [], [], set()
    for line in run.lines.only(
        "application_id", "position_id", "preference_rank", "cost", "notes"
    ).order_by("application_id"):
        candidates.add(line.application_id)
        if line.position_id:
            suggestions.append(
                matching.Suggestion(
                    candidate_id=line.application_id,
                    position_id=line.position_id,
                    preference_rank=line.preference_rank,
                    cost=line.cost,
                    notes=notes(line.notes),
                )
            )
        else:
            reason = line.notes[0] if line.notes else {"code": matching.NOW_UNPLACED}
            unplaced.append(
                matching.Unplaced(
                    candidate_id=line.application_id,
                    reason=matching.Note(reason["code"], reason.get("params") or {}),
                    notes=notes(line.notes[1:]),
                )
            )
    stats = run.stats or {}
    return matching.Result(
        suggestions=tuple(suggestions),
        unplaced=tuple(unplaced),
        candidate_ids=frozenset(candidates),
        position_ids=frozenset(run.position_ids or ()),
        objective=stats.get("objective", 0),
        unconstrained_objective=stats.get("unconstrained_objective", 0),
        couples=stats.get("couples", 0),
        couples_together=stats.get("couples_together", 0),
        seconds=stats.get("seconds", 0.0),
    )


def matching_run_compare(*, run: MatchingRun) -> list:
    """What moved between the previous run and this one (with overrides), and why."""
    if run.previous_id is None:
        return []
    changes = matching.compare(matching_run_result(run.previous), matching_run_result(run))
    overridden = dict(
        run.lines.filter(overridden_by__isnull=False, carried_from__isnull=True).values_list(
            "application_id", "override_reason"
        )
    )
    return [(change, overridden.get(change.candidate_id)) for change in changes]


def matching_run_moves(*, run: MatchingRun) -> list[dict]:
    """What moved since the previous run, for people: each change with its candidate,
    the positions before and now (organisation and place), and the preference rank each
    candidate holds now (to say the seat went to someone it suits better). Four queries."""
    changes = matching_run_compare(run=run)
    people, places = set(), set()
    for change, _override in changes:
        people.add(change.candidate_id)
        places.update((change.previous_position, change.current_position))
        for reason in change.reasons:
            people.update(
                v for k, v in reason.params.items() if k in ("by", "previous_holder") and v
            )
            if reason.params.get("position"):
                places.add(reason.params["position"])
    applications = Application.objects.filter(pk__in=people).only(
        "id", "number", "given_names", "family_name"
    )
    positions = PositionRequest.objects.filter(pk__in=places - {None}).select_related(
        "organisation", "prefecture"
    )
    ranks = dict(
        run.lines.filter(position__isnull=False).values_list("application_id", "preference_rank")
    )
    applications = {a.pk: a for a in applications}
    positions = {p.pk: p for p in positions}
    return [
        {
            "change": change,
            "override_reason": override,
            "application": applications.get(change.candidate_id),
            "previous": positions.get(change.previous_position),
            "current": positions.get(change.current_position),
            "applications": applications,
            "positions": positions,
            "ranks": ranks,
        }
        for change, override in changes
    ]


# --- what waits on the user (the to-do panel of their workspace) -------------------------


def placements_to_answer_count(*, user: User) -> int:
    """Placements CLAIR confirmed that wait for the answer of an organisation the user
    answers for (those they may change): none for anyone else."""
    return access.restrict(
        Placement.objects.filter(status=Placement.Status.CONFIRMED), user, "change"
    ).count()


def placements_offered_count(*, user: User) -> int:
    """The candidate's placements an organisation accepted, waiting for their own answer."""
    return access.restrict(
        Placement.objects.filter(status=Placement.Status.ACCEPTED_BY_ORGANISATION), user, "answer"
    ).count()


def contract_waiting_counts(*, user: User) -> dict[str, int]:
    """Contract versions that wait on the user, in one query: `issue` (drafts their
    organisation completes and issues), `countersign` (versions the participant signed)
    and `sign` (versions issued to the user to sign)."""
    drafts, signed, issued = Contract.Status.DRAFT, Contract.Status.SIGNED, Contract.Status.ISSUED
    changeable = access.restrict(
        Contract.objects.filter(status__in=(drafts, signed)), user, "change"
    ).values("pk")
    signable = access.restrict(Contract.objects.filter(status=issued), user, "sign").values("pk")
    counts = Contract.objects.filter(Q(pk__in=changeable) | Q(pk__in=signable)).aggregate(
        issue=Count("pk", filter=Q(status=drafts)),
        countersign=Count("pk", filter=Q(status=signed)),
        sign=Count("pk", filter=Q(status=issued)),
    )
    return {key: counts[key] or 0 for key in ("issue", "countersign", "sign")}


def positions_waiting_counts(*, user: User, programme_year: ProgrammeYear | None) -> dict[str, int]:
    """The year's position requests that wait on the user, in one query: `review`
    (requested, for whoever reviews them) and `correct` (returned to the organisation
    that may change them)."""
    requested, returned = PositionRequest.State.REQUESTED, PositionRequest.State.RETURNED
    if programme_year is None:
        return {"review": 0, "correct": 0}
    year = PositionRequest.objects.filter(programme_year=programme_year)
    reviewable = access.restrict(year.filter(state=requested), user, "review").values("pk")
    changeable = access.restrict(year.filter(state=returned), user, "change").values("pk")
    counts = PositionRequest.objects.filter(Q(pk__in=reviewable) | Q(pk__in=changeable)).aggregate(
        review=Count("pk", filter=Q(state=requested)),
        correct=Count("pk", filter=Q(state=returned)),
    )
    return {key: counts[key] or 0 for key in ("review", "correct")}


def matching_runs_to_approve_count(*, user: User) -> int:
    """Finished suggestion runs with proposed lines still to decide, for whoever may
    approve them (CLAIR's managers); zero for anyone else."""
    pending = MatchingLine.objects.filter(
        run=OuterRef("pk"), decision=MatchingLine.Decision.PROPOSED, position__isnull=False
    )
    return (
        access.restrict(MatchingRun.objects.filter(state=MatchingRun.State.READY), user, "approve")
        .filter(Exists(pending))
        .count()
    )
