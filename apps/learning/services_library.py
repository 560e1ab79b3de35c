"""Writes of the guidance and curriculum libraries, each asking the access rule who may
make it (pages and API call these alike).

Who publishes is the access policy (CLAIR and MEXT); the publisher of a new document is
the acting user's organisation, and only its staff change the document or add versions.
Kept here: the kinds of document each publishing organisation issues, versions numbered
one after another, and files that are PDFs by their content.
"""

from __future__ import annotations

import os

from django.db import transaction
from django.db.models import Max
from django.utils.translation import gettext as _

from apps.core import access
from apps.core.errors import DomainError
from apps.core.models import Kind, Organisation, User
from apps.core.uploads import check_upload
from apps.learning.models import LibraryDocument, LibraryVersion
from apps.notifications.services import notifications_record

MAX_FILE_BYTES = 20 * 1024 * 1024
DocKind = LibraryDocument.Kind
Audience = LibraryDocument.Audience

# What each kind of publishing organisation issues: CLAIR its guidance, MEXT curriculum,
# standards and texts.
KINDS_BY_PUBLISHER = {
    Kind.CLAIR: (DocKind.HANDBOOK, DocKind.MANUAL, DocKind.QA, DocKind.GENERAL_INFORMATION),
    Kind.MEXT: (DocKind.CURRICULUM, DocKind.STANDARD, DocKind.TEXT),
}
TEXT_FIELDS = ("title_en", "title_ja", "summary_en", "summary_ja")


def document_kinds(publisher: Organisation | None) -> tuple[str, ...]:
    """The kinds of document `publisher` issues (none for an organisation that does not
    publish)."""
    return KINDS_BY_PUBLISHER.get(publisher.kind, ()) if publisher is not None else ()


def _check_fields(publisher: Organisation, *, kind: str, audience: str, title_en: str) -> None:
    if kind not in document_kinds(publisher):
        raise DomainError(
            _("Your organisation does not publish this kind of document."), field="kind"
        )
    if audience not in LibraryDocument.Audience.values:
        raise DomainError(_("Choose who the document is for."), field="audience")
    if not (title_en or "").strip():
        raise DomainError(_("Give the document an English title."), field="title_en")


def _filename(uploaded) -> str:
    base = os.path.basename(getattr(uploaded, "name", "") or "").strip() or "document.pdf"
    stem, _ext = os.path.splitext(base)
    return f"{stem[:190] or 'document'}.pdf"


def _version_add(*, by: User, document: LibraryDocument, file, note: str) -> LibraryVersion:
    content_type = check_upload(file, max_bytes=MAX_FILE_BYTES)
    if content_type != "application/pdf":
        raise DomainError(
            _("Library documents are PDF files; this file is not a PDF."), field="file"
        )
    # Lock the document so two versions never get the same number.
    LibraryDocument.objects.select_for_update().get(pk=document.pk)
    number = (document.versions.aggregate(n=Max("number"))["n"] or 0) + 1
    version = LibraryVersion(
        document=document,
        number=number,
        filename=_filename(file),
        note=(note or "").strip(),
        published_by=by,
    )
    version.file.save(version.filename, file, save=False)
    version.save()
    document.save(update_fields=["updated_at"])
    _tell_organisations(document, version)
    return version


def _tell_organisations(document: LibraryDocument, version: LibraryVersion) -> None:
    """Staff of the contracting organisations hear of each new version of guidance meant
    for them (or for their schools). Participants are not written to: a handbook goes to
    thousands of them, and they find it in the library."""
    if document.audience not in (Audience.CONTRACTING, Audience.SCHOOLS):
        return
    recipients = User.objects.filter(
        membership__organisation__kind=Kind.CONTRACTING, is_active=True
    ).order_by("pk")
    publisher = document.publisher
    notifications_record(
        recipients=recipients,
        kind="library_published",
        context={
            "document_id": document.pk,
            "number": version.number,
            "title_en": document.title_en,
            "title_ja": document.title_ja or document.title_en,
            "publisher_en": publisher.name_en,
            "publisher_ja": publisher.name_ja or publisher.name_en,
        },
        key=f"library_published:{version.pk}",
    )


def document_publish(
    *,
    by: User,
    kind: str,
    audience: str,
    title_en: str,
    title_ja: str = "",
    summary_en: str = "",
    summary_ja: str = "",
    file=None,
    note: str = "",
) -> LibraryDocument:
    """A new document of the acting user's organisation; with a file, its first version
    too."""
    access.require_allowed(
        by, "add", LibraryDocument, _("Only the publishing organisation's staff may do this.")
    )
    publisher = by.organisation
    _check_fields(publisher, kind=kind, audience=audience, title_en=title_en)
    with transaction.atomic():
        document = LibraryDocument.objects.create(
            publisher=publisher,
            kind=kind,
            audience=audience,
            title_en=title_en.strip(),
            title_ja=(title_ja or "").strip(),
            summary_en=(summary_en or "").strip(),
            summary_ja=(summary_ja or "").strip(),
        )
        if file is not None:
            _version_add(by=by, document=document, file=file, note=note)
    return document


def _require_publisher(by: User, document: LibraryDocument) -> None:
    access.require(
        by,
        "change",
        document,
        _("Only the organisation that published this document may change it."),
    )


def document_update(*, by: User, document: LibraryDocument, **fields) -> LibraryDocument:
    """Change titles, summaries, kind or audience of one's own document."""
    _require_publisher(by, document)
    unknown = set(fields) - {*TEXT_FIELDS, "kind", "audience"}
    if unknown:
        raise DomainError(_("These fields cannot be changed: %s") % ", ".join(sorted(unknown)))
    values = {
        "kind": fields.get("kind", document.kind),
        "audience": fields.get("audience", document.audience),
        "title_en": fields.get("title_en", document.title_en),
    }
    _check_fields(document.publisher, **values)
    with transaction.atomic():
        for name, value in fields.items():
            setattr(document, name, (value or "").strip() if name in TEXT_FIELDS else value)
        document.save()
    return document


def version_add(*, by: User, document: LibraryDocument, file, note: str = "") -> LibraryVersion:
    """A new version of one's own document; the older ones are kept."""
    _require_publisher(by, document)
    with transaction.atomic():
        return _version_add(by=by, document=document, file=file, note=note)
