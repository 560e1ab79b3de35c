import datetime as dt

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from apps.support import services_subsidy as services

PDF_BYTES = b"%PDF-1.4\n1 0 obj<</Type/Catalog>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n"
PNG_BYTES = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64
JPEG_BYTES = b"\xff\xd8\xff\xe0" + b"\x00" * 64


def pdf(name: str = "receipt.pdf") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, PDF_BYTES, content_type="application/pdf")


def png(name: str = "receipt.png") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, PNG_BYTES, content_type="image/png")


def jpeg(name: str = "receipt.jpg") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, JPEG_BYTES, content_type="image/jpeg")


def not_a_receipt(name: str = "receipt.pdf") -> SimpleUploadedFile:
    """Named like a PDF, but a Word document inside."""
    return SimpleUploadedFile(name, b"PK\x03\x04 word/document.xml", content_type="application/pdf")


def too_large(name: str = "scan.pdf") -> SimpleUploadedFile:
    return SimpleUploadedFile(
        name, PDF_BYTES + b"0" * (5 * 1024 * 1024 + 1), content_type="application/pdf"
    )


@pytest.fixture(autouse=True)
def _private_media(settings, tmp_path):
    settings.MEDIA_ROOT = str(tmp_path / "media")


@pytest.fixture
def claim_for():
    """A claim submitted by `person` through the service, with one PDF receipt."""

    def _claim(person, day: dt.date, cost: int, **kwargs):
        kwargs.setdefault("receipts", [pdf()])
        return services.subsidy_claim_submit(by=person, session_date=day, cost=cost, **kwargs)

    return _claim
