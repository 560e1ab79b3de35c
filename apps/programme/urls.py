from django.urls import path

from apps.programme import views

app_name = "programme"
urlpatterns = [
    path("contracts/<int:pk>/pdf/", views.contract_pdf, name="contract-pdf"),
    path("placements/export/", views.placements_export, name="placements-export"),
]
