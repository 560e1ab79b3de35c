"""URLs of the applicant pages, included into the mofa namespace (names start with "applicant-")."""

from django.urls import path

from apps.mofa import views_applicant as views

STEP_VIEWS = {
    "personal": views.PersonalStepView,
    "mission": views.MissionStepView,
    "education": views.EducationStepView,
    "qualifications": views.QualificationsStepView,
    "placement": views.PlacementStepView,
    "history": views.HistoryStepView,
    "statement": views.StatementStepView,
    "documents": views.DocumentsStepView,
    "referees": views.RefereesStepView,
    "review": views.ReviewStepView,
}

urlpatterns = [
    path("start/", views.StartView.as_view(), name="applicant-start"),
    path("application/<int:pk>/", views.StatusView.as_view(), name="applicant-status"),
    *[
        path(f"application/<int:pk>/{slug}/", STEP_VIEWS[slug].as_view(), name=f"applicant-{slug}")
        for slug, _title in views.STEPS
    ],
    path(
        "application/<int:pk>/education/<int:education_pk>/remove/",
        views.EducationRemoveView.as_view(),
        name="applicant-education-remove",
    ),
    path("application/<int:pk>/withdraw/", views.WithdrawView.as_view(), name="applicant-withdraw"),
    path(
        "application/<int:pk>/interview/",
        views.InterviewView.as_view(),
        name="applicant-interview",
    ),
    path("application/<int:pk>/reply/", views.ReplyView.as_view(), name="applicant-reply"),
    path(
        "application/<int:pk>/follow-up/",
        views.FollowUpUploadView.as_view(),
        name="applicant-follow-up",
    ),
    # The referee has no account: the single-use token in the link is the key.
    path("referee/done/", views.referee_done, name="referee-done"),
    path("referee/<str:token>/", views.RefereeUploadView.as_view(), name="referee-upload"),
]
