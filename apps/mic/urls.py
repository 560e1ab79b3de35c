from django.urls import path

from apps.mic import views, views_costs, views_reappointment

app_name = "mic"
urlpatterns = [
    path("", views.MicWorkspaceView.as_view(), name="workspace"),
    path("numbers/", views.AcceptanceNumberListView.as_view(), name="numbers"),
    path("numbers/set/", views.AcceptanceNumberSetView.as_view(), name="number-set"),
    path("numbers/publish/", views.AcceptanceNumbersPublishView.as_view(), name="numbers-publish"),
    path("counts/", views.ApplicationCountsView.as_view(), name="counts"),
    path("positions/", views.PositionReviewListView.as_view(), name="positions"),
    path("positions/review/", views.PositionReviewView.as_view(), name="positions-review"),
    path("positions/counts/", views.PositionCountsView.as_view(), name="position-counts"),
    path("costs/", views_costs.CostParametersRedirectView.as_view(), name="costs"),
    path("costs/<int:year>/", views_costs.CostParametersView.as_view(), name="cost-parameters"),
    path("reappointment/", views_reappointment.RoundListView.as_view(), name="reappointment"),
    path(
        "reappointment/<int:pk>/",
        views_reappointment.RoundCountsView.as_view(),
        name="reappointment-round",
    ),
    path(
        "reappointment/<int:pk>/export/",
        views_reappointment.RoundExportView.as_view(),
        name="reappointment-export",
    ),
]
