from django.urls import path

from apps.mofa import views

app_name = "mofa"
urlpatterns = [
    path("hq/", views.HqWorkspaceView.as_view(), name="hq-workspace"),
    path("mission/", views.MissionWorkspaceView.as_view(), name="mission-workspace"),
    path("applicant/", views.ApplicantWorkspaceView.as_view(), name="applicant-workspace"),
]
