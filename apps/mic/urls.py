from django.urls import path

from apps.mic import views

app_name = "mic"
urlpatterns = [path("", views.MicWorkspaceView.as_view(), name="workspace")]
