"""The one API router."""

from django.urls import path
from rest_framework.routers import DefaultRouter

from apps.core.api.views import MeView, OrganisationViewSet, TokenObtainView
from apps.notifications.api import NotificationViewSet

router = DefaultRouter()
router.register("organisations", OrganisationViewSet, basename="organisation")
router.register("notifications", NotificationViewSet, basename="notification")

urlpatterns = [
    path("auth/token/", TokenObtainView.as_view(), name="token-obtain"),
    path("me/", MeView.as_view(), name="me"),
    *router.urls,
]
