from django.urls import path

from apps.finance import views_statistics as views

app_name = "statistics"
urlpatterns = [
    path("", views.StatisticsView.as_view(), name="overview"),
    path("export/", views.StatisticsExportView.as_view(), name="export"),
]
