"""The one API router."""

from django.urls import path
from rest_framework.routers import DefaultRouter

from apps.contracting.api import PositionViewSet
from apps.core.api.views import MeView, OrganisationViewSet, TokenObtainView
from apps.mic.api import GuidelineViewSet
from apps.mofa.api import ApplicationViewSet, InterviewSlotViewSet
from apps.notifications.api import NotificationViewSet

router = DefaultRouter()
router.register("organisations", OrganisationViewSet, basename="organisation")
router.register("notifications", NotificationViewSet, basename="notification")
router.register("guidelines", GuidelineViewSet, basename="guideline")
router.register("applications", ApplicationViewSet, basename="application")
router.register("interview-slots", InterviewSlotViewSet, basename="interview-slot")
router.register("positions", PositionViewSet, basename="position")

urlpatterns = [
    path("auth/token/", TokenObtainView.as_view(), name="token-obtain"),
    path("me/", MeView.as_view(), name="me"),
    *router.urls,
]
