"""Pages of the guidance and curriculum libraries (issue 7)."""

from django.urls import path

from apps.learning import views_library as views

app_name = "library"
urlpatterns = [
    path("", views.LibraryListView.as_view(), name="document-list"),
    path("new/", views.DocumentCreateView.as_view(), name="document-create"),
    path("<int:pk>/", views.DocumentDetailView.as_view(), name="document-detail"),
    path("<int:pk>/edit/", views.DocumentEditView.as_view(), name="document-edit"),
    path("<int:pk>/versions/new/", views.VersionAddView.as_view(), name="version-add"),
    path("versions/<int:pk>/file/", views.VersionFileView.as_view(), name="version-file"),
]
