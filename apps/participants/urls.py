from django.urls import path

from apps.participants import views

app_name = "participants"
urlpatterns = [path("", views.ParticipantWorkspaceView.as_view(), name="workspace")]
