"""Pages of issue 7 (correspondence): threads between CLAIR, the ministries and, where
they take part, missions and contracting organisations."""

from django.urls import path

from apps.outreach import views_correspondence as views

app_name = "correspondence"
urlpatterns = [
    path("", views.ThreadListView.as_view(), name="thread-list"),
    path("new/", views.ThreadCreateView.as_view(), name="thread-create"),
    path("<int:pk>/", views.ThreadDetailView.as_view(), name="thread-detail"),
    path(
        "<int:pk>/messages/<int:message_pk>/attachment/",
        views.AttachmentView.as_view(),
        name="attachment",
    ),
]
