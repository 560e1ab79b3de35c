"""URLs of the hq pages, included into the mofa namespace (names start with "hq-")."""

from django.urls import path

from apps.mofa import views_hq as views

urlpatterns = [
    path("overview/", views.OverviewView.as_view(), name="hq-overview"),
]
