"""Recruitment pages shared by several actors. The applicant's and the mission's own
pages live in apps.mofa; they link here."""

from django.contrib.auth.views import redirect_to_login
from django.http import FileResponse, Http404

from apps.core.uploads import sniff
from apps.recruitment import selectors

# What an inline document may do in the browser: nothing of its own. No script, no
# form, no frame around it; its own images and styles only. An image also gets
# `sandbox` (a unique origin: even a crafted file could reach no cookie or page of the
# site). A PDF does not: a sandboxed document may load no plugin, and to the browsers
# their PDF viewer is one (Chromium shows "This page has been blocked"); it is checked
# as a PDF by its bytes and served with nosniff, so it can never be read as a page.
PREVIEW_CSP = (
    "default-src 'none'; img-src 'self'; style-src 'unsafe-inline'; frame-ancestors 'none'"
)
PREVIEW_CSP_PDF = f"{PREVIEW_CSP}; object-src 'self'"
PREVIEW_CSP_IMAGE = f"{PREVIEW_CSP}; sandbox"


def document_download(request, pk):
    """A document only through this permission-checked view, never a public media URL:
    the applicant their own (no reference letter), the mission staff who see the
    application (the medical report only its managers), CLAIR once it is forwarded."""
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    document = selectors.document_get(user=request.user, pk=pk)
    response = FileResponse(
        document.file.open("rb"),
        content_type=document.content_type,
        # Shown in the browser only through the preview, with its headers.
        as_attachment=True,
        filename=document.original_name,
    )
    response["Cache-Control"] = "private, no-store"
    return response


def document_preview(request, pk):
    """The same document shown in the browser (a PDF or an image), through the same
    check as its download. The type is read again from the file's first bytes, never
    from its name or the stored value: anything else is not previewed (404)."""
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    document = selectors.document_get(user=request.user, pk=pk)
    handle = document.file.open("rb")
    content_type = sniff(handle.read(16))
    handle.seek(0)
    if content_type is None:
        handle.close()
        raise Http404
    response = FileResponse(
        handle, content_type=content_type, as_attachment=False, filename=document.original_name
    )
    response["Cache-Control"] = "private, no-store"
    response["X-Content-Type-Options"] = "nosniff"
    policy = PREVIEW_CSP_PDF if content_type == "application/pdf" else PREVIEW_CSP_IMAGE
    # Set here, django-csp leaves it as it is rather than the site's policy for pages.
    response["Content-Security-Policy"] = policy
    return response
