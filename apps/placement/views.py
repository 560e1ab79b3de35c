"""Pages that belong to no single actor: the contract PDF, which the participant, the
organisation and CLAIR download alike (anyone else: 404), and the placement export
(CLAIR, MOFA, missions and organisations, each of its own list; anyone else: 403)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import redirect
from django.views.decorators.http import require_POST

from apps.core.errors import DomainError
from apps.placement import documents, jobs, selectors


@login_required
def contract_pdf(request, pk):
    contract = selectors.contract_get(user=request.user, pk=pk)
    response = HttpResponse(documents.contract_pdf(contract), content_type="application/pdf")
    filename = documents.contract_pdf_filename(contract)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


@login_required
@require_POST
def placements_export(request):
    try:
        job = jobs.placements_export_start(
            by=request.user, file_format=request.POST.get("format", "csv")
        )
    except DomainError as exc:
        messages.error(request, exc.message)
        return redirect("home")
    return redirect(job.get_absolute_url())
