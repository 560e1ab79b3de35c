"""MEXT's writes on the libraries: publish its documents, change them, add versions.

The rules common to both publishers live in `apps.learning.library`; this module
acts only as MEXT (anyone else is refused)."""

from apps.core.models import Kind, User
from apps.learning import library
from apps.learning.models import LibraryDocument, LibraryVersion

PUBLISHER_KIND = Kind.MEXT


def document_publish(*, by: User, **fields) -> LibraryDocument:
    return library.document_publish(by=by, publisher_kind=PUBLISHER_KIND, **fields)


def document_update(*, by: User, document: LibraryDocument, **fields) -> LibraryDocument:
    return library.document_update(
        by=by, publisher_kind=PUBLISHER_KIND, document=document, **fields
    )


def version_add(*, by: User, document: LibraryDocument, file, note: str = "") -> LibraryVersion:
    return library.version_add(
        by=by, publisher_kind=PUBLISHER_KIND, document=document, file=file, note=note
    )
