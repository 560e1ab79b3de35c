"""Reads on the guidance and curriculum libraries: who may read which document.

The rule is the access policy (apps/core/access.py); pages and API both come through
here, so they cannot disagree:

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

from django.db.models import Count, Exists, Max, OuterRef, Q, QuerySet
from django.http import Http404

from apps.core import access
from apps.core.models import Organisation, User
from apps.learning.models import LibraryDocument, LibraryVersion
from apps.learning.services_library import KINDS_BY_PUBLISHER


def _readable(user: User) -> QuerySet[LibraryDocument]:
    return access.restrict(LibraryDocument.objects.all(), user, "view")


def document_list(
    *,
    user: User,
    q: str = "",
    audience: str = "",
    kind: str = "",
    publisher: int | str | None = None,
) -> QuerySet[LibraryDocument]:
    """The documents the user may read, searched in both languages and filtered, each
    with `version_count`, `latest_at` and `can_edit` (whether the user changes it)."""
    qs = LibraryDocument.objects.filter(pk__in=_readable(user).values("pk"))
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
    editable = access.restrict(LibraryDocument.objects.filter(pk=OuterRef("pk")), user, "change")
    return (
        qs.select_related("publisher")
        .annotate(
            version_count=Count("versions"),
            latest_at=Max("versions__published_at"),
            can_edit=Exists(editable),
        )
        .order_by("-updated_at", "pk")
    )


def document_get(*, user: User, pk) -> LibraryDocument:
    try:
        return LibraryDocument.objects.select_related("publisher").get(
            pk=pk, pk__in=_readable(user).values("pk")
        )
    except (LibraryDocument.DoesNotExist, ValueError, TypeError):
        raise Http404 from None


def versions(*, document: LibraryDocument) -> QuerySet[LibraryVersion]:
    """Newest first: the first is the current one, the rest are kept for the record."""
    return document.versions.select_related("published_by").order_by("-number")


def version_latest(*, document: LibraryDocument) -> LibraryVersion | None:
    return versions(document=document).first()


def version_list(*, user: User) -> QuerySet[LibraryVersion]:
    """The versions of the documents the user may read."""
    return LibraryVersion.objects.select_related("document", "published_by").filter(
        document__in=_readable(user).values("pk")
    )


def version_get(*, user: User, pk) -> LibraryVersion:
    """A version whose document the user may read; anything else is 404."""
    try:
        return version_list(user=user).get(pk=pk)
    except (LibraryVersion.DoesNotExist, ValueError, TypeError):
        raise Http404 from None


def can_edit(user: User, document: LibraryDocument) -> bool:
    """Only staff of the publishing organisation change a document or add versions."""
    annotated = getattr(document, "can_edit", None)
    if annotated is not None:
        return annotated
    return access.can(user, "change", document)


def can_publish(user: User) -> bool:
    return access.allowed(user, "add", LibraryDocument)


def publishers() -> QuerySet[Organisation]:
    return Organisation.objects.filter(kind__in=KINDS_BY_PUBLISHER).order_by("kind", "name_en")
