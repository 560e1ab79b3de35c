"""Reads on the guidance and curriculum libraries: who may read which document.

The rule (pages and API both come through here, so they cannot disagree):

- CLAIR reads every document (it runs the programme and answers questions on all of it).
- MEXT reads what it publishes, and what is meant for schools and for ALTs (the
  teaching side it is responsible for).
- A contracting organisation reads documents for contracting organisations and for
  schools (boards of education run the schools; a school is a contracting organisation).
- A participant reads documents for all participants, plus those for ALTs when placed
  as an ALT and those for CIRs when placed as a CIR (by their active placement).
- Applicants, MOFA, missions and MIC read none.

A reader who does not publish a document sees it only once it has a version; its
publisher sees its own drafts too. A document (or a file) the user may not read answers
404, the same as one that does not exist. Only the publishing organisation may change a
document or add a version (`can_edit`).
"""

from __future__ import annotations

from django.db.models import Count, Max, Q, QuerySet
from django.http import Http404

from apps.core.models import Kind, Organisation, User
from apps.learning.models import LibraryDocument, LibraryVersion
from apps.placement.models import Placement
from apps.recruitment.choices import Position

Audience = LibraryDocument.Audience
PUBLISHER_KINDS = (Kind.CLAIR, Kind.MEXT)
READER_KINDS = (Kind.CLAIR, Kind.MEXT, Kind.CONTRACTING, Kind.PARTICIPANT)


def participant_position(user: User) -> str | None:
    """ALT, CIR or SEA for a participant with an active placement, else None."""
    placement = (
        Placement.objects.filter(application__applicant=user, status__in=Placement.ACTIVE)
        .select_related("position")
        .order_by("-confirmed_at")
        .first()
    )
    return placement.position.type if placement else None


def audiences_for(user: User) -> tuple[str, ...]:
    """The audiences whose documents this user reads (besides their own publications)."""
    kind = user.kind
    if kind == Kind.CLAIR:
        return tuple(Audience.values)
    if kind == Kind.MEXT:
        return (Audience.SCHOOLS, Audience.ALT)
    if kind == Kind.CONTRACTING:
        return (Audience.CONTRACTING, Audience.SCHOOLS)
    if kind == Kind.PARTICIPANT:
        position = participant_position(user)
        audiences = [Audience.PARTICIPANTS]
        if position == Position.ALT:
            audiences.append(Audience.ALT)
        elif position == Position.CIR:
            audiences.append(Audience.CIR)
        return tuple(audiences)
    return ()


def _visible(user: User) -> Q:
    if not user.is_authenticated or user.kind not in READER_KINDS:
        return Q(pk__in=[])
    audiences = audiences_for(user)
    readable = Q(audience__in=audiences, versions__isnull=False)
    if user.kind in PUBLISHER_KINDS and user.organisation is not None:
        return Q(publisher=user.organisation) | readable
    return readable


def document_list(
    *,
    user: User,
    q: str = "",
    audience: str = "",
    kind: str = "",
    publisher: int | str | None = None,
) -> QuerySet[LibraryDocument]:
    """The documents the user may read, searched in both languages and filtered."""
    visible_ids = LibraryDocument.objects.filter(_visible(user)).values("pk")
    qs = LibraryDocument.objects.filter(pk__in=visible_ids)
    q = (q or "").strip()
    if q:
        for word in q.split():
            qs = qs.filter(
                Q(title_en__icontains=word)
                | Q(title_ja__icontains=word)
                | Q(summary_en__icontains=word)
                | Q(summary_ja__icontains=word)
            )
    if audience:
        qs = qs.filter(audience=audience)
    if kind:
        qs = qs.filter(kind=kind)
    if publisher:
        try:
            qs = qs.filter(publisher_id=int(publisher))
        except (TypeError, ValueError):
            qs = qs.none()
    return (
        qs.select_related("publisher")
        .annotate(version_count=Count("versions"), latest_at=Max("versions__published_at"))
        .order_by("-updated_at", "pk")
    )


def document_get(*, user: User, pk) -> LibraryDocument:
    try:
        return LibraryDocument.objects.select_related("publisher").get(
            pk=pk, pk__in=LibraryDocument.objects.filter(_visible(user)).values("pk")
        )
    except (LibraryDocument.DoesNotExist, ValueError, TypeError):
        raise Http404 from None


def versions(*, document: LibraryDocument) -> QuerySet[LibraryVersion]:
    """Newest first: the first is the current one, the rest are kept for the record."""
    return document.versions.select_related("published_by").order_by("-number")


def version_latest(*, document: LibraryDocument) -> LibraryVersion | None:
    return versions(document=document).first()


def version_get(*, user: User, pk) -> LibraryVersion:
    """A version whose document the user may read; anything else is 404."""
    try:
        return LibraryVersion.objects.select_related("document", "published_by").get(
            pk=pk,
            document__in=LibraryDocument.objects.filter(_visible(user)).values("pk"),
        )
    except (LibraryVersion.DoesNotExist, ValueError, TypeError):
        raise Http404 from None


def can_edit(user: User, document: LibraryDocument) -> bool:
    """Only staff of the publishing organisation change a document or add versions."""
    return (
        user.is_authenticated
        and user.kind in PUBLISHER_KINDS
        and user.organisation is not None
        and document.publisher_id == user.organisation.pk
    )


def can_publish(user: User) -> bool:
    return user.is_authenticated and user.kind in PUBLISHER_KINDS


def publishers() -> QuerySet[Organisation]:
    return Organisation.objects.filter(kind__in=PUBLISHER_KINDS).order_by("kind", "name_en")
