from django.urls import path

from apps.clair import views, views_placement

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
]
