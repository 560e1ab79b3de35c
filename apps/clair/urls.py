from django.urls import path

from apps.clair import views

app_name = "clair"
urlpatterns = [
    path("", views.ClairWorkspaceView.as_view(), name="workspace"),
    path("alternates/", views.AlternateRequestView.as_view(), name="alternate-requests"),
]
