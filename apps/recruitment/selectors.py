"""Reads of applications, documents, acceptance numbers and interview slots, always
through the access rule: a page and its API endpoint call the same function, so they
cannot disagree about who sees what."""

from django.db.models import Count, Q, QuerySet
from django.http import Http404

from apps.core import access
from apps.core.models import Kind, ProgrammeYear, User
from apps.recruitment.models import (
    AcceptanceNumber,
    AlternateRequest,
    Application,
    ApplicationDocument,
    InterviewSlot,
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
