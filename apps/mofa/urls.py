from django.urls import include, path

from apps.mofa import views
from apps.recruitment.views import document_download, document_preview

app_name = "mofa"
urlpatterns = [
    path("hq/", views.HqWorkspaceView.as_view(), name="hq-workspace"),
    path("hq/", include("apps.mofa.urls_hq")),
    path("mission/", views.MissionWorkspaceView.as_view(), name="mission-workspace"),
    path("mission/", include("apps.mofa.urls_mission")),
    path("applicant/", views.ApplicantWorkspaceView.as_view(), name="applicant-workspace"),
    path("applicant/", include("apps.mofa.urls_applicant")),
    # Shared by the applicant and the mission's staff; the domain's page.
    path("documents/<int:pk>/", document_download, name="document-download"),
    path("documents/<int:pk>/preview/", document_preview, name="document-preview"),
]
