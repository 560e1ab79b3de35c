"""Pages of confidential counselling (issue 7, support)."""

from django.urls import path

from apps.support import views

app_name = "support"
urlpatterns = [
    path("", views.SupportListView.as_view(), name="list"),
    path("new/", views.SupportCreateView.as_view(), name="case-create"),
    path("<int:pk>/", views.SupportDetailView.as_view(), name="case-detail"),
    path("<int:pk>/messages/", views.MessageView.as_view(), name="case-message"),
    path("<int:pk>/take/", views.TakeView.as_view(), name="case-take"),
    path("<int:pk>/status/", views.StatusView.as_view(), name="case-status"),
    path("<int:pk>/reassign/", views.ReassignView.as_view(), name="case-reassign"),
    path("<int:pk>/share/", views.ShareView.as_view(), name="case-share"),
    path(
        "<int:pk>/attachments/<int:message_pk>/",
        views.attachment_download,
        name="attachment",
    ),
]
