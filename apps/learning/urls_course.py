"""Pages of the Japanese language course (issue 7): participants enrol, read the month's
materials and hand in tests; CLAIR runs the intakes, marks and exports."""

from django.urls import path

from apps.learning import views_course as views

app_name = "course"
urlpatterns = [
    # participants (and CLAIR, who sees every intake)
    path("", views.IntakeListView.as_view(), name="intake-list"),
    path("intakes/<int:pk>/", views.IntakeDetailView.as_view(), name="intake-detail"),
    path("intakes/<int:pk>/enrol/", views.EnrolView.as_view(), name="enrol"),
    path("enrolments/<int:pk>/withdraw/", views.WithdrawView.as_view(), name="withdraw"),
    path("materials/<int:pk>/download/", views.material_download, name="material-download"),
    path("tests/<int:pk>/submit/", views.SubmitView.as_view(), name="submit"),
    path("submissions/<int:pk>/file/", views.submission_download, name="submission-download"),
    path(
        "enrolments/<int:pk>/certificate/",
        views.certificate_download,
        name="certificate-download",
    ),
    # CLAIR
    path("intakes/new/", views.IntakeCreateView.as_view(), name="intake-create"),
    path("intakes/<int:pk>/edit/", views.IntakeEditView.as_view(), name="intake-edit"),
    path(
        "intakes/<int:pk>/materials/new/",
        views.MaterialCreateView.as_view(),
        name="material-create",
    ),
    path("intakes/<int:pk>/tests/new/", views.TestCreateView.as_view(), name="test-create"),
    path("submissions/<int:pk>/mark/", views.MarkView.as_view(), name="mark"),
    path("intakes/<int:pk>/export/", views.ExportView.as_view(), name="export"),
]
