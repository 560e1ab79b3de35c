"""Pages of the counselling subsidy (issue 7), mounted at /subsidy/."""

from django.urls import path

from apps.support import views_subsidy as views

app_name = "subsidy"
urlpatterns = [
    path("", views.ClaimListView.as_view(), name="claim-list"),
    path("new/", views.ClaimCreateView.as_view(), name="claim-create"),
    path("<int:pk>/", views.ClaimDetailView.as_view(), name="claim-detail"),
    path("<int:pk>/fix/", views.ClaimFixView.as_view(), name="claim-fix"),
    path("<int:pk>/decide/", views.ClaimDecideView.as_view(), name="claim-decide"),
    path("receipts/<int:pk>/", views.receipt_download, name="receipt-download"),
]
