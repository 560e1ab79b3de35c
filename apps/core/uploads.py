"""Uploaded files are judged by their bytes, never by their name."""

import uuid

from django.utils.translation import gettext as _

from apps.core.errors import DomainError

MAX_UPLOAD_BYTES = 10 * 1024 * 1024

SIGNATURES = {
    "application/pdf": [b"%PDF-"],
    "image/jpeg": [b"\xff\xd8\xff"],
    "image/png": [b"\x89PNG\r\n\x1a\n"],
}
EXTENSIONS = {"application/pdf": "pdf", "image/jpeg": "jpg", "image/png": "png"}


def sniff(head: bytes) -> str | None:
    for content_type, magics in SIGNATURES.items():
        if any(head.startswith(m) for m in magics):
            return content_type
    return None


def check_upload(uploaded, *, max_bytes: int = MAX_UPLOAD_BYTES) -> str:
    """The file's real content type, or a DomainError saying what is wrong with it."""
    if uploaded is None:
        raise DomainError(_("Choose a file to upload."), field="file")
    if uploaded.size == 0:
        raise DomainError(_("The file is empty."), field="file")
    if uploaded.size > max_bytes:
        raise DomainError(
            _("The file is %(size)s MB; the limit is %(limit)s MB.")
            % {
                "size": f"{uploaded.size / 1024 / 1024:.1f}",
                "limit": f"{max_bytes / 1024 / 1024:.0f}",
            },
            field="file",
        )
    uploaded.seek(0)
    head = uploaded.read(16)
    uploaded.seek(0)
    content_type = sniff(head)
    if content_type is None:
        raise DomainError(
            _("This file is not a PDF, JPEG or PNG document. Upload a scan or a PDF."),
            field="file",
        )
    return content_type


def private_path(instance, filename: str) -> str:
    """Where a private upload is stored. Random names: a file's address says nothing about
    whose it is (there is deliberately no MEDIA_URL route; views check access first)."""
    return f"private/{type(instance).__name__.lower()}/{uuid.uuid4().hex}"
