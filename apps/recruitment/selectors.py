"""Reads of applications, documents, acceptance numbers and interview slots, always
through the access rule: a page and its API endpoint call the same function, so they
cannot disagree about who sees what.

Who sees what (apps/core/access.py: the grants the services give, and POLICY):
- an applicant: their own applications (never a stored decision before its release nor
  the eligibility reasons and scores: the pages and the API show the applicant's view),
  and, once invited, the interview slots of their mission (the meeting link only of the
  slot they booked);
- a mission (embassy or consulate): the applications submitted to it, its own slots,
  rubric, release and the alternate requests made to it, its country's published numbers;
- MOFA headquarters: every application and number; CLAIR: the candidates forwarded to it,
  every number and every alternate request it made;
- MIC: every number, and applications as counts only (MOFA HQ, CLAIR and a mission count
  too, each what it may count); a contracting organisation or MEXT: nothing here.
An application, slot or number one may not see answers 404, the same as a missing one.
"""

from django.db import connection
from django.db.models import (
    BooleanField,
    Case,
    Count,
    Exists,
    ExpressionWrapper,
    F,
    IntegerField,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Subquery,
    Value,
    When,
)
from django.db.models.expressions import RawSQL
from django.db.models.functions import Coalesce
from django.http import Http404

from apps.core import access
from apps.core.models import ProgrammeYear, User
from apps.recruitment.models import (
    AcceptanceNumber,
    AlternateRequest,
    Application,
    ApplicationDocument,
    InterviewBooking,
    InterviewSlot,
    ReplyForm,
    ResultRelease,
    RubricCriterion,
    Score,
    ScoreRevision,
)

Status = Application.Status
DocKind = ApplicationDocument.Kind

SORTS = {
    "number": ("number",),
    "-number": ("-number",),
    "name": ("family_name", "given_names", "id"),
    "-name": ("-family_name", "-given_names", "-id"),
    "score": ("readable_average", "id"),
    "-score": ("-readable_average", "-id"),
    "submitted": ("submitted_at", "id"),
    "-submitted": ("-submitted_at", "-id"),
    "-created": ("-created_at", "-id"),
    "position": ("position", "number"),
    "-position": ("-position", "-number"),
    "status": ("status", "number"),
    "-status": ("-status", "-number"),
    "eligibility": ("eligibility", "number"),
    "-eligibility": ("-eligibility", "-number"),
    "reviewers": ("reviewers_n", "number"),
    "-reviewers": ("-reviewers_n", "-number"),
}
# The list's columns one may sort by (each also descending, "-" first): the page's `?o=`
# and the API's. Anything else is refused (API, 400) or left out with a message (page).
SORT_COLUMNS = ("number", "name", "position", "status", "eligibility", "score", "reviewers")
SEARCH_TERMS = 5


def application_search(q: str) -> Q:
    """Who "q" finds: the application number (whole, or its serial: "303" finds
    JET27-0000303), or every word in a name, accents ignored ("Zoe" finds "Zoë")."""
    q = q.strip()
    by_number = Q(number__iexact=q)
    if q.isdigit() and len(q) <= 12:
        by_number |= Q(number__regex=rf"(^|[^0-9])0*{int(q)}$")
    words = q.split()[:SEARCH_TERMS]
    by_name = Q()
    for word in words:
        by_name &= (
            Q(family_name__unaccent__icontains=word)
            | Q(given_names__unaccent__icontains=word)
            | Q(name_japanese__icontains=word)
        )
    return by_number | by_name if words else by_number


def application_list(
    *,
    user: User,
    programme_year: ProgrammeYear | int | None = None,
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
    if programme_year is not None:
        qs = qs.filter(programme_year=programme_year)
    if position:
        qs = qs.filter(position=position)
    assessed = Q()
    if status:
        assessed &= Q(status=status)
    if eligibility:
        assessed &= Q(eligibility=eligibility)
    order = SORTS.get(sort, SORTS["-created"])
    if score_min is not None or score_max is not None or "readable_average" in order[0]:
        # Sorting or filtering by the average would tell a blind reviewer the ranking
        # their own score is meant to be free of: they sort by what they may read.
        qs = qs.annotate(readable_average=_readable_average(user))
    if score_min is not None:
        assessed &= Q(readable_average__gte=score_min)
    if score_max is not None:
        assessed &= Q(readable_average__lte=score_max)
    if reviewer:
        reviewed = Application.reviewers.through.objects.filter(user_id=reviewer)
        assessed &= Q(pk__in=reviewed.values("application_id"))
    if assessed:
        # The filters on the assessment never narrow one's own applications: what they
        # returned would tell an applicant a decision before its release.
        qs = qs.filter(assessed | Q(applicant=user.pk))
    if q and q.strip():
        qs = qs.filter(application_search(q))
    if "reviewers_n" in order[0]:
        reviewers = (
            Application.reviewers.through.objects.filter(application_id=OuterRef("pk"))
            .order_by()
            .values("application_id")
            .annotate(n=Count("pk"))
            .values("n")
        )
        qs = qs.annotate(
            reviewers_n=Coalesce(Subquery(reviewers, output_field=IntegerField()), Value(0))
        )
    return qs.select_related("mission", "country").order_by(*order)


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
    if programme_year is None:
        return None
    own = Application.objects.filter(applicant=user.pk, programme_year=programme_year)
    return (
        access.restrict(own, user, "view")
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


# --- scores, blind until one's own is in -----------------------------------------------
#
# A reviewer who may still score a stage and has not sees how many have scored, never
# the scores or their average, so the first scores do not anchor theirs (Odoo and most
# panel tools hide them the same way). Whoever cannot score that stage sees them all:
# the mission's managers, who assign reviewers, decide and need the spread to chase
# disagreement; staff off the interview panel (for the interview); MOFA headquarters and
# CLAIR, who read and never score. The page, the API's score list and the averages in
# the application's API answer all follow this one rule.


def _blind_to(user: User) -> bool:
    return not (user.is_authenticated and getattr(user, "is_manager", False))


def _readable_average(user: User):
    """The screening average as `user` may read it: none while they are blind to it."""
    if not _blind_to(user):
        return F("screening_average")
    reviewable = Q(
        pk__in=access.restrict(Application.objects.all(), user, "review_application").values("pk")
    )
    own = Score.objects.filter(
        application=OuterRef("pk"), reviewer=user.pk, stage=Score.Stage.SCREENING
    )
    return Case(
        When(~reviewable | Exists(own), then=F("screening_average")),
        default=None,
        output_field=Application._meta.get_field("screening_average"),
    )


def with_score_visibility(qs: QuerySet[Application], *, user: User) -> QuerySet[Application]:
    """Annotate `screening_hidden` and `interview_hidden`: whether `user` is blind to
    that stage's scores and average (may score it and has not yet)."""
    if not _blind_to(user):
        return qs.annotate(
            screening_hidden=Value(False, output_field=BooleanField()),
            interview_hidden=Value(False, output_field=BooleanField()),
        )
    reviewable = Q(
        pk__in=access.restrict(Application.objects.all(), user, "review_application").values("pk")
    )
    own = Score.objects.filter(application=OuterRef("pk"), reviewer=user.pk)
    on_panel = InterviewBooking.objects.filter(application=OuterRef("pk"), slot__panel=user.pk)
    return qs.annotate(
        screening_hidden=ExpressionWrapper(
            reviewable & ~Exists(own.filter(stage=Score.Stage.SCREENING)),
            output_field=BooleanField(),
        ),
        interview_hidden=ExpressionWrapper(
            reviewable & Exists(on_panel) & ~Exists(own.filter(stage=Score.Stage.INTERVIEW)),
            output_field=BooleanField(),
        ),
    )


# The tags of score_visibility_attach's rows beside a score's stage (SCREENING, INTERVIEW).
_ON_PANEL = "on panel"
_REVIEWABLE = "reviewable"


def _review_marks(user: User, reviewable: str, params: list) -> set[tuple[int, str]]:
    """(application, _REVIEWABLE) for each key that the subquery `reviewable` gives,
    and for those only, (application, stage) for each the user has scored and
    (application, _ON_PANEL) for each whose interview panel they sit on.

    One plain statement: the grants and the marks were two round trips (1.7-2.0 ms for a
    mission's page of 50, 1.0-1.4 as one, in one process), and as querysets, a UNION
    took 1.8 ms to compile and run where plain SQL over the keys as one array took 0.5.
    The grants are read once (MATERIALIZED) for the three branches."""
    panel = InterviewSlot.panel.through._meta.db_table
    sql = (
        f"WITH reviewable AS MATERIALIZED ({reviewable}) "  # noqa: S608
        "SELECT id, %s FROM reviewable "
        f"UNION ALL SELECT application_id, stage FROM {Score._meta.db_table} "
        "WHERE reviewer_id = %s AND application_id IN (SELECT id FROM reviewable) "
        f"UNION ALL SELECT booking.application_id, %s FROM {InterviewBooking._meta.db_table} "
        f"booking JOIN {panel} panel ON panel.interviewslot_id = booking.slot_id "
        "WHERE panel.user_id = %s AND booking.application_id IN (SELECT id FROM reviewable)"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, [*params, _REVIEWABLE, user.pk, _ON_PANEL, user.pk])
        return set(cursor.fetchall())


def score_visibility_attach(applications, *, user: User) -> list[Application]:
    """`with_score_visibility`'s two flags set on a page of applications already read,
    by one query over the page's keys, the grants, and the reader's scores and panels:
    as annotations, the grants and the two EXISTS of every row of the list were compiled
    and run before the page was cut (half of a mission's list call, 11.5 ms to 5.9
    without them, in one process)."""
    applications = list(applications)
    if not _blind_to(user):
        for application in applications:
            application.screening_hidden = application.interview_hidden = False
        return applications
    keys = sorted(application.pk for application in applications)
    if not keys:
        return applications
    # Blind only where the reader may review: most readers (the applicant, CLAIR, a
    # mission's staff on others' rows) hold no review grant on the page.
    granted = access.grants_alone(user, "review_application", Application)
    found: set[tuple[int, str]] = set()
    if isinstance(granted, RawSQL):
        found = _review_marks(
            user,
            f"SELECT content_object_id AS id FROM ({granted.sql}) AS granted "  # noqa: S608
            "WHERE content_object_id = ANY(%s)",
            [*granted.params, keys],
        )
    elif granted is None:  # a policy line or a model-wide grant decides
        reviewable = access.holding(user, "review_application", Application, keys)
        if reviewable:
            found = _review_marks(user, "SELECT unnest(%s) AS id", [sorted(reviewable)])
    for application in applications:
        pk = application.pk
        blind = (pk, _REVIEWABLE) in found
        application.screening_hidden = blind and (pk, Score.Stage.SCREENING) not in found
        application.interview_hidden = (
            blind and (pk, _ON_PANEL) in found and (pk, Score.Stage.INTERVIEW) not in found
        )
    return applications


def score_board(*, user: User, application: Application) -> dict[str, dict]:
    """The scores of each stage as `user` may read them now, in two queries:
    {stage: {"hidden", "count", "scores" (each with its `revisions`), "own"}}."""
    scores = list(
        application.scores.select_related("reviewer").prefetch_related(
            Prefetch(
                "revisions",
                queryset=ScoreRevision.objects.select_related("changed_by").order_by(
                    "changed_at", "pk"
                ),
            )
        )
    )
    flags = (
        with_score_visibility(Application.objects.filter(pk=application.pk), user=user)
        .values("screening_hidden", "interview_hidden")
        .first()
    ) or {"screening_hidden": True, "interview_hidden": True}
    board = {}
    for stage in Score.Stage.values:
        of_stage = [s for s in scores if s.stage == stage]
        hidden = bool(flags[f"{stage.lower()}_hidden"])
        board[stage] = {
            "hidden": hidden,
            "count": len(of_stage),
            "scores": [] if hidden else of_stage,
            "own": next((s for s in of_stage if s.reviewer_id == user.pk), None),
        }
    return board


def acceptance_number_list(
    *, user: User, programme_year: ProgrammeYear | None = None
) -> QuerySet[AcceptanceNumber]:
    qs = access.restrict(AcceptanceNumber.objects.all(), user, "view")
    if programme_year is not None:
        qs = qs.filter(programme_year=programme_year)
    return qs.select_related("country", "programme_year").order_by("country__name_en", "position")


def places_remaining(*, user: User, programme_year: ProgrammeYear | None) -> list[AcceptanceNumber]:
    """The published numbers `user` may read for the year (a mission its own country's),
    each with `taken`: the applications holding a place against it (shortlisted or
    forwarded, through any mission of the country: the number is the country's), and
    `left`. One query. The numbers are MIC's published places, not people."""
    if programme_year is None:
        return []
    taken = (
        Application.objects.filter(
            programme_year=OuterRef("programme_year"),
            country=OuterRef("country"),
            position=OuterRef("position"),
            status__in=Application.HOLDS_PLACE,
        )
        .order_by()
        .values("programme_year")
        .annotate(n=Count("pk"))
        .values("n")
    )
    numbers = list(
        acceptance_number_list(user=user, programme_year=programme_year)
        .filter(state=AcceptanceNumber.State.PUBLISHED)
        .annotate(taken=Coalesce(Subquery(taken, output_field=IntegerField()), Value(0)))
    )
    for number in numbers:
        number.left = max(number.places - number.taken, 0)
    return numbers


def places_for(numbers: list[AcceptanceNumber], application: Application):
    """Of `places_remaining`, the number an application counts against, or None."""
    for number in numbers:
        if (number.country_id, number.position) == (
            application.country_id,
            application.position,
        ) and number.programme_year_id == application.programme_year_id:
            return number
    return None


def interview_slot_list(
    *, user: User, programme_year: ProgrammeYear | None = None
) -> QuerySet[InterviewSlot]:
    """Mission staff see their mission's slots; an invited applicant sees the slots of
    the mission they are invited by. Each slot says how many are booked in it and
    whether the user may read its online meeting link (`link_visible`: the mission's
    staff, and an applicant only for the slot they booked)."""
    qs = access.restrict(InterviewSlot.objects.all(), user, "view")
    if programme_year is not None:
        qs = qs.filter(programme_year=programme_year)
    joinable = access.restrict(InterviewSlot.objects.all(), user, "join")
    return (
        qs.annotate(
            booked=Count("bookings"),
            link_visible=Exists(joinable.filter(pk=OuterRef("pk"))),
        )
        .prefetch_related("panel")
        .order_by("starts_at")
    )


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


def application_status_counts(*, user: User, programme_year: ProgrammeYear | None) -> dict:
    """The applications `user` may count for the year by status (the list's clickable
    counts), in one query; a status with none is 0."""
    counts = dict.fromkeys(COUNTED, 0)
    if programme_year is None or not access.allowed(user, "count", Application):
        return counts
    base = Application.objects.filter(programme_year=programme_year, status__in=COUNTED)
    rows = access.restrict(base, user, "count").order_by().values("status").annotate(n=Count("pk"))
    counts.update({row["status"]: row["n"] for row in rows})
    return counts


def application_counts(*, user: User, programme_year: ProgrammeYear) -> list[dict]:
    """Applications by country, position and status against the acceptance numbers.

    Numbers only, never a person. MIC, MOFA HQ and CLAIR count every application (MIC
    sees counts but no rows); a mission counts only its own."""
    if not access.allowed(user, "count", Application):
        return []
    base = Application.objects.filter(programme_year=programme_year).exclude(status=Status.DRAFT)
    qs = access.restrict(base, user, "count")
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
    qs = access.restrict(
        AlternateRequest.objects.select_related("mission", "programme_year", "fulfilled_by"),
        user,
        "view",
    )
    if open_only:
        qs = qs.filter(fulfilled_by__isnull=True)
    return qs.order_by("-created_at", "-pk")


def rubric_criterion_list(
    *, user: User, programme_year: ProgrammeYear | None
) -> QuerySet[RubricCriterion]:
    """The screening rubric of the user's own mission for the year."""
    if programme_year is None:
        return RubricCriterion.objects.none()
    return access.restrict(RubricCriterion.objects.all(), user, "view").filter(
        programme_year=programme_year
    )


def result_release_get(*, user: User, programme_year: ProgrammeYear | None) -> ResultRelease | None:
    """The user's own mission's release of its results for the year, if it has released."""
    if programme_year is None:
        return None
    return (
        access.restrict(ResultRelease.objects.all(), user, "view")
        .filter(programme_year=programme_year)
        .select_related("released_by")
        .first()
    )


# --- what waits on the user (the to-do panel of their workspace) -------------------------


def applications_to_decide_counts(*, user: User, programme_year: ProgrammeYear | None) -> dict:
    """The year's applications the user's mission still has to decide before it releases
    its results, in one query: `screen` (submitted) and `interviewed` (at interview).
    Zero for anyone who decides none."""
    counts = {"screen": 0, "interviewed": 0}
    if programme_year is None:
        return counts
    undecided = access.restrict(
        Application.objects.filter(
            programme_year=programme_year,
            results_released_at__isnull=True,
            status__in=(Status.SUBMITTED, Status.INTERVIEW),
        ),
        user,
        "decide",
    )
    counts.update(
        undecided.order_by().aggregate(
            screen=Count("pk", filter=Q(status=Status.SUBMITTED)),
            interviewed=Count("pk", filter=Q(status=Status.INTERVIEW)),
        )
    )
    return counts


def applicant_waiting(*, user: User, programme_year: ProgrammeYear | None) -> dict:
    """What the applicant's own application of the year waits for from them, in one
    query: `draft` (not submitted yet), `book` (invited to interview, no slot booked),
    `reply` (an offer released and not answered), each 0 or 1, and the application's
    `pk` for the links."""
    waiting = {"pk": None, "draft": 0, "book": 0, "reply": 0}
    if programme_year is None:
        return waiting
    own = (
        access.restrict(
            Application.objects.filter(applicant=user.pk, programme_year=programme_year),
            user,
            "view",
        )
        .exclude(status=Status.WITHDRAWN)
        .annotate(
            booked=Exists(InterviewBooking.objects.filter(application=OuterRef("pk"))),
            replied=Exists(ReplyForm.objects.filter(application=OuterRef("pk"))),
        )
        .values("pk", "status", "results_released_at", "booked", "replied")
        .first()
    )
    if own is None:
        return waiting
    released = own["results_released_at"] is not None
    waiting.update(
        pk=own["pk"],
        draft=int(own["status"] == Status.DRAFT),
        book=int(own["status"] == Status.INTERVIEW and not own["booked"]),
        reply=int(own["status"] == Status.SHORTLISTED and released and not own["replied"]),
    )
    return waiting
