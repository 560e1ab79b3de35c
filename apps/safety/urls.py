"""Pages of safety confirmation (issue 8), mounted at /safety/."""

from django.urls import path

from apps.safety import views

app_name = "safety"
urlpatterns = [
    path("", views.CheckListView.as_view(), name="check-list"),
    path("new/", views.CheckStartView.as_view(), name="check-start"),
    path("new/recipients/", views.CheckRecipientsView.as_view(), name="check-recipients"),
    path("mine/", views.OwnAnswersView.as_view(), name="own-answers"),
    path("mine/<int:pk>/", views.OwnAnswersView.as_view(), name="own-answer"),
    path("<int:pk>/", views.CheckDetailView.as_view(), name="check-detail"),
    path("<int:pk>/board/", views.CheckBoardView.as_view(), name="check-board"),
    path("<int:pk>/close/", views.CheckCloseView.as_view(), name="check-close"),
    path("<int:pk>/remind/", views.CheckRemindView.as_view(), name="check-remind"),
    path("<int:pk>/export/", views.CheckExportView.as_view(), name="check-export"),
    path("answers/<int:pk>/", views.AnswerDetailView.as_view(), name="answer-detail"),
    path("answer/<str:token>/", views.PersonalAnswerView.as_view(), name="answer"),
    path(
        "answer/<str:token>/<str:choice>/",
        views.OneTapAnswerView.as_view(),
        name="answer-tap",
    ),
]
