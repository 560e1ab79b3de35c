from django.urls import path

from apps.contracting import views

app_name = "contracting"
urlpatterns = [
    path("", views.ContractingWorkspaceView.as_view(), name="workspace"),
    path("positions/", views.PositionListView.as_view(), name="positions"),
    path("positions/<int:pk>/edit/", views.PositionEditView.as_view(), name="position-edit"),
]
