import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from apps.demo.documents import pdf_bytes
from apps.learning import services_library
from apps.learning.models import LibraryDocument
from tests.browser.conftest import (  # noqa: F401  (the browser fixtures, for the browser test)
    app,
    axe_clean,
    browser,
    csp_violations,
    new_page,
    sign_in,
)

Audience = LibraryDocument.Audience
Kind = LibraryDocument.Kind

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64


def pdf(name: str = "file.pdf", text: str = "A library file") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, pdf_bytes(text), content_type="application/pdf")


@pytest.fixture
def make_clair_document(clair):
    """A CLAIR document for `audience`, with one version unless `draft`."""

    def _make(
        audience: str, *, title: str = "Test document", kind: str = Kind.HANDBOOK, draft=False
    ):
        return services_library.document_publish(
            by=clair,
            kind=kind,
            audience=audience,
            title_en=title,
            title_ja="テスト文書",
            summary_en="A document made by a test.",
            file=None if draft else pdf(),
        )

    return _make
