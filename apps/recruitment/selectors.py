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

from django.db.models import Count, Exists, OuterRef, Q, QuerySet
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
    if programme_year is not None:
        qs = qs.filter(programme_year=programme_year)
    if position:
        qs = qs.filter(position=position)
    assessed = Q()
    if status:
        assessed &= Q(status=status)
    if eligibility:
        assessed &= Q(eligibility=eligibility)
    if score_min is not None:
        assessed &= Q(screening_average__gte=score_min)
    if score_max is not None:
        assessed &= Q(screening_average__lte=score_max)
    if reviewer:
        reviewed = Application.reviewers.through.objects.filter(user_id=reviewer)
        assessed &= Q(pk__in=reviewed.values("application_id"))
    if assessed:
        # The filters on the assessment never narrow one's own applications: what they
        # returned would tell an applicant a decision before its release.
        qs = qs.filter(assessed | Q(applicant=user.pk))
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


def acceptance_number_list(
    *, user: User, programme_year: ProgrammeYear | None = None
) -> QuerySet[AcceptanceNumber]:
    qs = access.restrict(AcceptanceNumber.objects.all(), user, "view")
    if programme_year is not None:
        qs = qs.filter(programme_year=programme_year)
    return qs.select_related("country", "programme_year").order_by("country__name_en", "position")


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
