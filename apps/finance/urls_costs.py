from django.urls import path

from apps.finance import views_costs

app_name = "costs"
urlpatterns = [
    path("", views_costs.CostsView.as_view(), name="overview"),
    path("export/", views_costs.CostsExportView.as_view(), name="export"),
]
