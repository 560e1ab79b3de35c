from django.urls import path

from apps.contracting import views

app_name = "contracting"
urlpatterns = [path("", views.ContractingWorkspaceView.as_view(), name="workspace")]
