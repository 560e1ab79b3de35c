"""Pages of placements and contracts that no single actor owns: the contract PDF (the
participant, the organisation and CLAIR alike) and the placement export."""

from django.urls import path

from apps.placement import views

app_name = "placement"
urlpatterns = [
    path("contracts/<int:pk>/pdf/", views.contract_pdf, name="contract-pdf"),
    path("placements/export/", views.placements_export, name="placements-export"),
]
