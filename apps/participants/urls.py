from django.urls import path

from apps.participants import views

app_name = "participants"
urlpatterns = [
    path("", views.ParticipantWorkspaceView.as_view(), name="workspace"),
    path("placement/", views.PlacementView.as_view(), name="placement"),
    path("contracts/<int:pk>/", views.ContractView.as_view(), name="contract"),
    path("reappointment/", views.ReappointmentView.as_view(), name="reappointment"),
    path(
        "reappointment/<int:pk>/answer/",
        views.ReappointmentAnswerView.as_view(),
        name="reappointment-answer",
    ),
]
