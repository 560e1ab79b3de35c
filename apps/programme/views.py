"""Pages that belong to no single actor: the contract PDF, which the participant, the
organisation and CLAIR download alike (anyone else: 404)."""

from django.contrib.auth.decorators import login_required
from django.http import HttpResponse

from apps.programme import documents, selectors


@login_required
def contract_pdf(request, pk):
    contract = selectors.contract_get(user=request.user, pk=pk)
    response = HttpResponse(documents.contract_pdf(contract), content_type="application/pdf")
    filename = documents.contract_pdf_filename(contract)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response
