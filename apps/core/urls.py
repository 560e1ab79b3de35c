from django.urls import path

from apps.core import views

app_name = "core"

urlpatterns = [
    path("organisations/", views.OrganisationListView.as_view(), name="organisation-list"),
    path(
        "organisations/<int:pk>/",
        views.OrganisationDetailView.as_view(),
        name="organisation-detail",
    ),
    path("organisations/mine/", views.my_organisation, name="my-organisation"),
    path("account/settings/", views.AccountSettingsView.as_view(), name="account-settings"),
    path("jobs/<int:pk>/", views.JobDetailView.as_view(), name="job-detail"),
    path("jobs/<int:pk>/download/", views.job_download, name="job-download"),
    path("saved-filters/", views.SavedFilterSaveView.as_view(), name="saved-filter-save"),
    path(
        "saved-filters/<int:pk>/delete/",
        views.SavedFilterDeleteView.as_view(),
        name="saved-filter-delete",
    ),
]
