from django.urls import path

from apps.mext import views

app_name = "mext"
urlpatterns = [path("", views.MextWorkspaceView.as_view(), name="workspace")]
