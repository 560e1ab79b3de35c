from django.urls import path

from apps.clair import views, views_placement, views_reappointment

app_name = "clair"
urlpatterns = [
    path("", views.ClairWorkspaceView.as_view(), name="workspace"),
    path("alternates/", views.AlternateRequestView.as_view(), name="alternate-requests"),
    path("placement/", views_placement.PlacementBoardView.as_view(), name="board"),
    path("placement/place/", views_placement.PlaceView.as_view(), name="place"),
    path("placements/", views_placement.PlacementListView.as_view(), name="placements"),
    path("placement/runs/", views_placement.RunListView.as_view(), name="runs"),
    path("placement/runs/<int:pk>/", views_placement.RunDetailView.as_view(), name="run-detail"),
    path(
        "placement/runs/<int:pk>/approve/",
        views_placement.RunApproveView.as_view(),
        name="run-approve",
    ),
    path(
        "placement/runs/<int:pk>/compare/",
        views_placement.RunCompareView.as_view(),
        name="run-compare",
    ),
    path(
        "placement/runs/<int:pk>/lines/<int:line>/",
        views_placement.LineView.as_view(),
        name="run-line",
    ),
    path("reappointment/", views_reappointment.RoundListView.as_view(), name="reappointment"),
    path(
        "reappointment/<int:pk>/",
        views_reappointment.RoundView.as_view(),
        name="reappointment-round",
    ),
    path(
        "reappointment/<int:pk>/remind/",
        views_reappointment.RoundRemindView.as_view(),
        name="reappointment-remind",
    ),
    path(
        "reappointment/<int:pk>/confirm/",
        views_reappointment.RoundConfirmView.as_view(),
        name="reappointment-confirm",
    ),
    path(
        "reappointment/<int:pk>/export/",
        views_reappointment.RoundExportView.as_view(),
        name="reappointment-export",
    ),
    path(
        "reappointment/<int:pk>/cases/<int:case>/",
        views_reappointment.CaseView.as_view(),
        name="reappointment-case",
    ),
]
