"""URLs of the mission pages, included into the mofa namespace (names start with "mission-")."""

from django.urls import path

from apps.mofa import views_mission as views
from apps.mofa import views_notices

urlpatterns = [
    path("applications/", views.ApplicationListView.as_view(), name="mission-applications"),
    path(
        "applications/export/",
        views.ApplicationExportView.as_view(),
        name="mission-applications-export",
    ),
    path(
        "applications/<int:pk>/",
        views.ApplicationDetailView.as_view(),
        name="mission-application-detail",
    ),
    path("interviews/", views.InterviewSlotListView.as_view(), name="mission-interviews"),
    path("rubric/", views.RubricView.as_view(), name="mission-rubric"),
    path("release/", views.ReleaseView.as_view(), name="mission-release"),
    path("counts/", views.StatusCountsView.as_view(), name="mission-counts"),
    path("placements/", views.PlacementListView.as_view(), name="mission-placements"),
    path("notices/", views_notices.NoticeListView.as_view(), name="mission-notices"),
    path(
        "notices/<slug:kind>/",
        views_notices.NoticeEditView.as_view(),
        name="mission-notice-edit",
    ),
    path(
        "notices/<slug:kind>/reset/",
        views_notices.NoticeResetView.as_view(),
        name="mission-notice-reset",
    ),
]
