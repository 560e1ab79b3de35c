from django.urls import path

from apps.contracting import views, views_placement, views_reappointment

app_name = "contracting"
urlpatterns = [
    path("", views.ContractingWorkspaceView.as_view(), name="workspace"),
    path("positions/", views.PositionListView.as_view(), name="positions"),
    path("positions/<int:pk>/edit/", views.PositionEditView.as_view(), name="position-edit"),
    path("placements/", views_placement.PlacementListView.as_view(), name="placements"),
    path(
        "placements/<int:pk>/answer/",
        views_placement.PlacementAnswerView.as_view(),
        name="placement-answer",
    ),
    path("contracts/<int:pk>/", views_placement.ContractView.as_view(), name="contract"),
    path(
        "reappointment/",
        views_reappointment.ReappointmentListView.as_view(),
        name="reappointment",
    ),
    path(
        "reappointment/<int:pk>/answer/",
        views_reappointment.ReappointmentAnswerView.as_view(),
        name="reappointment-answer",
    ),
    path(
        "reappointment/rounds/<int:pk>/answer/",
        views_reappointment.ReappointmentBulkAnswerView.as_view(),
        name="reappointment-bulk",
    ),
]
