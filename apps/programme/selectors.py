"""Reads of the shared schema, always through the access rule. A page and its API
endpoint call the same function, so they cannot disagree about who sees what."""

from django.core.exceptions import ObjectDoesNotExist
from django.db.models import BooleanField, Count, ExpressionWrapper, Q, QuerySet
from django.http import Http404

from apps.core import access
from apps.core.models import Kind, ProgrammeYear, User
from apps.programme.matching import JAPANESE_LEVELS
from apps.programme.models import (
    AcceptanceNumber,
    AlternateRequest,
    Application,
    ApplicationDocument,
    Contract,
    InterviewSlot,
    MatchingLine,
    MatchingRun,
    Placement,
    PositionRequest,
)

Status = Application.Status
DocKind = ApplicationDocument.Kind

SORTS = {
    "number": ("number",),
    "-number": ("-number",),
    "name": ("family_name", "given_names", "id"),
    "-name": ("-family_name", "-given_names", "-id"),
    "score": ("screening_average", "id"),
    "-score": ("-screening_average", "-id"),
    "submitted": ("submitted_at", "id"),
    "-submitted": ("-submitted_at", "-id"),
    "-created": ("-created_at", "-id"),
}


def application_list(
    *,
    user: User,
    programme_year: ProgrammeYear | None = None,
    status: str | None = None,
    position: str | None = None,
    eligibility: str | None = None,
    score_min=None,
    score_max=None,
    reviewer: int | None = None,
    q: str | None = None,
    sort: str = "-created",
) -> QuerySet[Application]:
    qs = access.restrict(Application.objects.all(), user, "view")
    if user.kind in (Kind.APPLICANT, Kind.PARTICIPANT):
        # Filtering by a decision would reveal it before release.
        status = eligibility = score_min = score_max = reviewer = None
    if programme_year is not None:
        qs = qs.filter(programme_year=programme_year)
    if status:
        qs = qs.filter(status=status)
    if position:
        qs = qs.filter(position=position)
    if eligibility:
        qs = qs.filter(eligibility=eligibility)
    if score_min is not None:
        qs = qs.filter(screening_average__gte=score_min)
    if score_max is not None:
        qs = qs.filter(screening_average__lte=score_max)
    if reviewer:
        qs = qs.filter(reviewers__id=reviewer)
    if q:
        q = q.strip()
        qs = qs.filter(
            Q(number__iexact=q)
            | Q(family_name__icontains=q)
            | Q(given_names__icontains=q)
            | Q(name_japanese__icontains=q)
        )
    return qs.select_related("mission", "country").order_by(*SORTS.get(sort, SORTS["-created"]))


def application_get(*, user: User, pk, perm: str = "view") -> Application:
    """Visible and allowed: 404 if not visible, 403 if visible but `perm` is missing."""
    application = access.get_or_404(
        Application.objects.select_related(
            "mission", "country", "citizenship", "programme_year", "applicant", "partner"
        ),
        user,
        pk,
        "view",
    )
    if perm != "view":
        access.require(user, perm, application)
    return application


def application_own(*, user: User, programme_year: ProgrammeYear | None) -> Application | None:
    """The applicant's live application for the year, if any."""
    if programme_year is None or user.kind not in (Kind.APPLICANT, Kind.PARTICIPANT):
        return None
    return (
        Application.objects.filter(applicant=user, programme_year=programme_year)
        .exclude(status=Status.WITHDRAWN)
        .select_related("mission", "country", "programme_year")
        .first()
    )


def document_list(*, user: User, application: Application) -> list[ApplicationDocument]:
    """The documents `user` may see on an application they can already see: the medical
    self-report only with its own permission; reference letters never to the applicant."""
    qs = application.documents.all()
    if application.applicant_id == user.pk:
        # Their own medical self-report, yes; a referee's letter, never.
        qs = qs.exclude(kind=DocKind.REFERENCE)
    elif not access.can(user, "view_medical_application", application):
        qs = qs.exclude(kind=DocKind.MEDICAL)
    return list(qs.order_by("kind", "-uploaded_at"))


def document_get(*, user: User, pk) -> ApplicationDocument:
    try:
        document = ApplicationDocument.objects.select_related("application").get(pk=pk)
    except (ApplicationDocument.DoesNotExist, ValueError, TypeError):
        raise Http404 from None
    if not access.can(user, "view", document.application):
        raise Http404
    if document not in document_list(user=user, application=document.application):
        raise Http404
    return document


def acceptance_number_list(
    *, user: User, programme_year: ProgrammeYear | None = None
) -> QuerySet[AcceptanceNumber]:
    qs = access.restrict(AcceptanceNumber.objects.all(), user, "view")
    if programme_year is not None:
        qs = qs.filter(programme_year=programme_year)
    return qs.select_related("country", "programme_year").order_by("country__name_en", "position")


def interview_slot_list(*, user: User, programme_year: ProgrammeYear | None = None):
    """Mission staff see their mission's slots; an invited applicant sees the slots of
    the mission they are invited by."""
    if user.kind == Kind.APPLICANT:
        missions = Application.objects.filter(applicant=user, status=Status.INTERVIEW).values(
            "mission_id"
        )
        qs = InterviewSlot.objects.filter(mission_id__in=missions)
    else:
        qs = access.restrict(InterviewSlot.objects.all(), user, "view")
    if programme_year is not None:
        qs = qs.filter(programme_year=programme_year)
    return qs.annotate(booked=Count("bookings")).prefetch_related("panel").order_by("starts_at")


def interview_slot_get(*, user: User, pk) -> InterviewSlot:
    try:
        return interview_slot_list(user=user).get(pk=pk)
    except (InterviewSlot.DoesNotExist, ValueError, TypeError):
        raise Http404 from None


COUNTED = [
    Status.SUBMITTED,
    Status.INTERVIEW,
    Status.SHORTLISTED,
    Status.ALTERNATE,
    Status.NOT_SELECTED,
    Status.DECLINED,
    Status.WITHDRAWN,
    Status.FORWARDED,
]


def application_counts(*, user: User, programme_year: ProgrammeYear) -> list[dict]:
    """Applications by country, position and status against the acceptance numbers.

    Numbers only, never a person. MIC, MOFA HQ and CLAIR count every application (MIC
    sees counts but no rows); a mission counts only its own."""
    base = Application.objects.filter(programme_year=programme_year).exclude(status=Status.DRAFT)
    if user.kind in (Kind.MIC, Kind.MOFA, Kind.CLAIR):
        qs = base
    elif user.kind == Kind.MISSION:
        qs = access.restrict(base, user, "view")
    else:
        return []
    aggregates = {s: Count("pk", filter=Q(status=s)) for s in COUNTED}
    rows = (
        qs.order_by()
        .values("country_id", "country__name_en", "country__name_ja", "position")
        .annotate(total=Count("pk"), **aggregates)
        .order_by("country__name_en", "position")
    )
    places = {
        (n.country_id, n.position): n.places
        for n in AcceptanceNumber.objects.filter(
            programme_year=programme_year, state=AcceptanceNumber.State.PUBLISHED
        )
    }
    result = []
    for row in rows:
        row["places"] = places.get((row["country_id"], row["position"]))
        row["holding"] = row[Status.SHORTLISTED] + row[Status.FORWARDED]
        result.append(row)
    return result


def alternate_request_list(*, user: User, open_only: bool = False) -> QuerySet[AlternateRequest]:
    """CLAIR sees every request it made; a mission sees those made to it; nobody else
    any. No personal data until one is fulfilled (then the application's number)."""
    qs = AlternateRequest.objects.select_related("mission", "programme_year", "fulfilled_by")
    if user.kind == Kind.CLAIR:
        pass
    elif user.kind == Kind.MISSION:
        qs = qs.filter(mission=user.organisation)
    else:
        return qs.none()
    if open_only:
        qs = qs.filter(fulfilled_by__isnull=True)
    return qs.order_by("-created_at", "-pk")


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
    """Positions by prefecture, type and state: numbers only (MIC, CLAIR, MEXT)."""
    base = PositionRequest.objects.filter(programme_year=programme_year)
    if user.kind not in (Kind.MIC, Kind.CLAIR, Kind.MEXT):
        base = access.restrict(base, user, "view")
    return list(
        base.order_by()
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


def placement_own(*, user: User) -> Placement | None:
    """The person's current placement (active, else the latest they were told of)."""
    qs = placement_list(user=user).filter(application__applicant=user)
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


def matching_run_list(*, user: User) -> QuerySet[MatchingRun]:
    """Suggestion runs are CLAIR's working papers: nobody else sees them."""
    if user.kind != Kind.CLAIR:
        return MatchingRun.objects.none()
    return MatchingRun.objects.select_related("programme_year", "started_by", "job")


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
        )
        .annotate(unplaced=ExpressionWrapper(Q(position__isnull=True), output_field=BooleanField()))
        .order_by("unplaced", "application__family_name", "application_id")
    )


def matching_line_get(*, user: User, pk) -> MatchingLine:
    """One line of a run the user may see (CLAIR's only), as `matching_lines` gives it."""
    try:
        return (
            MatchingLine.objects.filter(run__in=matching_run_list(user=user))
            .select_related(
                "run",
                "application__country",
                "position__organisation",
                "position__prefecture",
                "proposed_position",
            )
            .get(pk=pk)
        )
    except (MatchingLine.DoesNotExist, ValueError, TypeError):
        raise Http404 from None


def matching_run_result(run: MatchingRun):
    """A stored run as the engine's `Result` (its final lines, overrides included), so
    two runs compare with `matching.compare`."""
    from apps.programme import matching

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
    from apps.programme import matching

    if run.previous_id is None:
        return []
    changes = matching.compare(matching_run_result(run.previous), matching_run_result(run))
    overridden = dict(
        run.lines.filter(overridden_by__isnull=False).values_list(
            "application_id", "override_reason"
        )
    )
    return [(change, overridden.get(change.candidate_id)) for change in changes]


# --- events ----------------------------------------------------------------------------


def event_list(
    *,
    user: User,
    programme_year: ProgrammeYear | None = None,
    kind: str | None = None,
    upcoming: bool = False,
) -> QuerySet:
    """Events are not secret, but each reader sees those meant for them: CLAIR and MOFA
    all; an organisation the events it runs, presents in or (a prefecture) hosts; MEXT
    also every conference it may add workshops to; a person those whose audience they are
    in, plus any they are registered for."""
    from django.utils import timezone

    from apps.programme.events import CONFERENCES, audience_q
    from apps.programme.models import Event, Registration

    qs = Event.objects.select_related("organiser", "programme_year", "audience_prefecture")
    if programme_year is not None:
        qs = qs.filter(programme_year=programme_year)
    if kind:
        qs = qs.filter(kind=kind)
    if upcoming:
        qs = qs.filter(ends_at__gte=timezone.now())
    kind_of_user = user.kind
    if kind_of_user in (Kind.CLAIR, Kind.MOFA):
        return qs
    organisation = user.organisation
    if organisation is not None:
        mine = Q(organiser=organisation) | Q(sessions__presenter=organisation)
        if kind_of_user == Kind.MEXT:
            mine |= Q(kind__in=CONFERENCES)
        if kind_of_user == Kind.CONTRACTING and organisation.prefecture_id:
            mine |= Q(audience_prefecture_id=organisation.prefecture_id)
        return qs.filter(mine).distinct()
    if kind_of_user in (Kind.APPLICANT, Kind.PARTICIPANT):
        registered = Registration.objects.filter(person=user).values("event")
        return qs.filter(audience_q(user) | Q(pk__in=registered))
    return qs.none()


def event_get(*, user: User, pk):
    try:
        return event_list(user=user).get(pk=pk)
    except (ObjectDoesNotExist, ValueError, TypeError):
        raise Http404 from None


def session_list(*, user: User, event=None) -> QuerySet:
    from apps.programme.models import Session

    events = event_list(user=user)
    qs = Session.objects.filter(event__in=events).select_related("event", "presenter")
    if event is not None:
        qs = qs.filter(event=event)
    return qs.order_by("starts_at", "track", "pk")


def registration_list(*, user: User, event=None, state: str | None = None) -> QuerySet:
    """An organiser sees its events' registrations, a mission its applicants', a person
    their own; nobody else any."""
    from apps.programme.models import Registration

    qs = access.restrict(Registration.objects.all(), user, "view")
    if event is not None:
        qs = qs.filter(event=event)
    if state:
        qs = qs.filter(state=state)
    return qs.select_related("event", "person").order_by("event_id", "created_at", "pk")


def registration_get(*, user: User, pk, perm: str = "view"):
    from apps.programme.models import Registration

    registration = access.get_or_404(
        Registration.objects.select_related("event", "person"), user, pk, "view"
    )
    if perm != "view":
        access.require(user, perm, registration)
    return registration


def schedule(*, user: User, include_past: bool = False) -> list[dict]:
    """The person's schedule, soonest first: each live registration's event and the
    sessions they chose (or all sessions, where they chose none)."""
    from django.db.models import Prefetch
    from django.utils import timezone

    from apps.programme.models import Registration, Session

    qs = (
        Registration.objects.filter(person=user, state__in=Registration.LIVE)
        .select_related("event__organiser", "event__audience_prefecture")
        .prefetch_related(
            Prefetch("sessions", queryset=Session.objects.select_related("presenter")),
            Prefetch("event__sessions", queryset=Session.objects.select_related("presenter")),
        )
        .order_by("event__starts_at", "event_id")
    )
    if not include_past:
        qs = qs.filter(event__ends_at__gte=timezone.now())
    return [
        {
            "registration": registration,
            "event": registration.event,
            "sessions": list(registration.sessions.all())
            or list(registration.event.sessions.all()),
            "chosen": bool(registration.sessions.all()),
        }
        for registration in qs
    ]


def schedule_for_feed(*, token: str):
    """The person behind a calendar feed's secret address and their schedule; 404 for an
    unknown (or reset) address."""
    from apps.programme.models import CalendarFeed

    feed = CalendarFeed.objects.select_related("person").filter(token=token).first()
    if feed is None or not feed.person.is_active:
        raise Http404
    return feed.person, schedule(user=feed.person, include_past=True)


# --- re-appointment --------------------------------------------------------------------


def reappointment_round_list(*, user: User) -> QuerySet:
    """CLAIR and MIC see every round (MIC only its counts); an organisation or a
    participant the rounds they have cases in."""
    from apps.programme.models import ReappointmentRound

    qs = ReappointmentRound.objects.select_related("programme_year")
    if user.kind in (Kind.CLAIR, Kind.MIC):
        return qs
    cases = reappointment_case_list(user=user).values("round")
    return qs.filter(pk__in=cases)


def reappointment_round_get(*, user: User, pk):
    try:
        return reappointment_round_list(user=user).get(pk=pk)
    except (ObjectDoesNotExist, ValueError, TypeError):
        raise Http404 from None


def reappointment_case_list(
    *,
    user: User,
    round=None,
    organisation=None,
    prefecture: str | None = None,
    waiting: str | None = None,
) -> QuerySet:
    """CLAIR all; an organisation its participants; a participant their own; MIC none
    (counts only). `waiting`: "organisation" or "participant" to list who has not answered."""
    from apps.programme.models import ReappointmentCase

    qs = access.restrict(ReappointmentCase.objects.all(), user, "view")
    if round is not None:
        qs = qs.filter(round=round)
    if organisation is not None:
        qs = qs.filter(organisation=organisation)
    if prefecture:
        qs = qs.filter(organisation__prefecture_id=prefecture)
    if waiting == "organisation":
        qs = qs.filter(organisation_answer="", may_continue=True)
    elif waiting == "participant":
        qs = qs.filter(participant_answer="", may_continue=True)
    return qs.select_related(
        "round__programme_year",
        "participant",
        "organisation__prefecture",
        "placement__position",
        "placement__application__country",
        "contract",
        "next_contract",
    ).order_by(
        "organisation__prefecture_id", "organisation__name_en", "participant__last_name", "pk"
    )


def reappointment_case_get(*, user: User, pk, perm: str = "view"):
    from apps.programme.models import ReappointmentCase

    case = access.get_or_404(
        ReappointmentCase.objects.select_related(
            "round__programme_year", "participant", "organisation", "contract", "next_contract"
        ),
        user,
        pk,
        "view",
    )
    if perm != "view":
        access.require(user, perm, case)
    return case


def reappointment_counts(*, user: User, round) -> list[dict]:
    """The round in numbers, without names: by prefecture, position type, contract year,
    each side's answer and the outcome. CLAIR and MIC see the whole round; an
    organisation its own participants only."""
    from apps.programme.models import ReappointmentCase

    base = ReappointmentCase.objects.filter(round=round)
    if user.kind not in (Kind.CLAIR, Kind.MIC):
        base = access.restrict(base, user, "view")
    return list(
        base.order_by()
        .values(
            "organisation__prefecture_id",
            "organisation__prefecture__name_en",
            "organisation__prefecture__name_ja",
            "placement__position__type",
            "contract_year",
            "organisation_answer",
            "participant_answer",
            "outcome",
        )
        .annotate(n=Count("pk"))
        .order_by("organisation__prefecture_id", "placement__position__type", "contract_year")
    )
