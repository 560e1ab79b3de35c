"""Recruitment pages shared by several actors. The applicant's and the mission's own
pages live in apps.mofa; they link here."""

from django.contrib.auth.views import redirect_to_login
from django.http import FileResponse

from apps.recruitment import selectors


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
        as_attachment=request.GET.get("inline") != "1",
        filename=document.original_name,
    )
    response["Cache-Control"] = "private, no-store"
    return response
