import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from apps.core.models import Kind, Organisation
from apps.outreach import services_correspondence as services
from tests.conftest import DEMO_PASSWORD

PDF_BYTES = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
PNG_BYTES = b"\x89PNG\r\n\x1a\n" + b"\x00" * 32


def pdf(name: str = "note.pdf", content: bytes = PDF_BYTES) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content, content_type="application/pdf")


def org(kind: str) -> Organisation:
    return Organisation.objects.filter(kind=kind).order_by("pk").first()


@pytest.fixture
def client_as(db):
    """A separate signed-in browser per account, so several can act in one test."""

    def _as(username: str) -> Client:
        client = Client()
        response = client.post(
            "/accounts/login/", {"username": username, "password": DEMO_PASSWORD}
        )
        assert response.status_code == 302
        return client

    return _as


@pytest.fixture
def clair_mic_thread(clair):
    """A thread between CLAIR and MIC, started by CLAIR with a PDF attached."""
    return services.thread_start(
        by=clair,
        subject="Allocation tax share for the coming year",
        members=[org(Kind.MIC)],
        body="Please find our estimate attached.",
        attachment=pdf(),
    )
