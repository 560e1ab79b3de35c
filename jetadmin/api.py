"""The one API router."""

from django.urls import path
from rest_framework.routers import DefaultRouter

from apps.clair.api import MatchingLineViewSet, MatchingRunViewSet, PlacementConfirmView
from apps.contracting import api_placements as contracting_api
from apps.contracting.api import PositionViewSet
from apps.core.api.views import MeView, OrganisationViewSet, TokenObtainView
from apps.events import api as events_api
from apps.finance import api_costs, api_statistics
from apps.learning import api_course, api_library
from apps.mic import api_costs as mic_costs
from apps.core.api.notifications import NotificationViewSet
from apps.outreach import api as api_outreach
from apps.outreach import api_correspondence
from apps.participants import api as participants_api
from apps.placement.api import ContractViewSet, PlacementViewSet
from apps.reappointment import api as reappointment_api
from apps.recruitment.api import ApplicationViewSet, GuidelineViewSet, InterviewSlotViewSet
from apps.safety import api as api_safety
from apps.support import api as api_support
from apps.support import api_subsidy

router = DefaultRouter()
router.register("organisations", OrganisationViewSet, basename="organisation")
router.register("notifications", NotificationViewSet, basename="notification")
router.register("guidelines", GuidelineViewSet, basename="guideline")
router.register("applications", ApplicationViewSet, basename="application")
router.register("interview-slots", InterviewSlotViewSet, basename="interview-slot")
router.register("positions", PositionViewSet, basename="position")
router.register("placements", PlacementViewSet, basename="placement")
router.register("contracts", ContractViewSet, basename="contract")
router.register("placement-runs", MatchingRunViewSet, basename="placement-run")
router.register("placement-run-lines", MatchingLineViewSet, basename="placement-run-line")
router.register("events", events_api.EventViewSet, basename="event")
router.register("sessions", events_api.SessionViewSet, basename="session")
router.register("registrations", events_api.RegistrationViewSet, basename="registration")
router.register(
    "reappointment-rounds",
    reappointment_api.ReappointmentRoundViewSet,
    basename="reappointment-round",
)
router.register(
    "reappointment-cases", reappointment_api.ReappointmentCaseViewSet, basename="reappointment-case"
)

# Each actor's actions on the shared placements and contracts live in that actor's app;
# they come before the router so its read-only routes never shadow them.
actions = [
    # CLAIR
    path("placements/confirm/", PlacementConfirmView.as_view(), name="placement-confirm"),
    path(
        "reappointment-cases/<int:pk>/reopen/",
        reappointment_api.ReappointmentCaseReopenView.as_view(),
        name="reappointment-case-reopen",
    ),
    # MIC
    *mic_costs.urlpatterns,
    # the contracting organisation
    path(
        "placements/<int:pk>/accept/",
        contracting_api.PlacementAcceptView.as_view(),
        name="placement-accept",
    ),
    path(
        "placements/<int:pk>/decline/",
        contracting_api.PlacementDeclineView.as_view(),
        name="placement-decline",
    ),
    path(
        "contracts/<int:pk>/terms/",
        contracting_api.ContractTermsView.as_view(),
        name="contract-terms",
    ),
    path(
        "contracts/<int:pk>/issue/",
        contracting_api.ContractIssueView.as_view(),
        name="contract-issue",
    ),
    path(
        "contracts/<int:pk>/countersign/",
        contracting_api.ContractCountersignView.as_view(),
        name="contract-countersign",
    ),
    path(
        "contracts/<int:pk>/new-version/",
        contracting_api.ContractNewVersionView.as_view(),
        name="contract-new-version",
    ),
    path(
        "reappointment-cases/<int:pk>/organisation-answer/",
        reappointment_api.ReappointmentOrganisationAnswerView.as_view(),
        name="reappointment-case-organisation-answer",
    ),
    # the candidate or participant
    path(
        "placements/<int:pk>/candidate-accept/",
        participants_api.PlacementCandidateAcceptView.as_view(),
        name="placement-candidate-accept",
    ),
    path(
        "placements/<int:pk>/withdraw/",
        participants_api.PlacementWithdrawView.as_view(),
        name="placement-withdraw",
    ),
    path(
        "contracts/<int:pk>/sign/",
        participants_api.ContractSignView.as_view(),
        name="contract-sign",
    ),
    path(
        "reappointment-cases/<int:pk>/participant-answer/",
        reappointment_api.ReappointmentParticipantAnswerView.as_view(),
        name="reappointment-case-participant-answer",
    ),
]

# Issue 7's and 8's pieces register themselves (one module each, so they do not collide).
PART_APIS = [
    api_support,
    api_subsidy,
    api_course,
    api_library,
    api_correspondence,
    api_outreach,
    api_costs,
    api_statistics,
    api_safety,
]
for module in PART_APIS:
    module.register(router)

urlpatterns = [
    path("auth/token/", TokenObtainView.as_view(), name="token-obtain"),
    path("me/", MeView.as_view(), name="me"),
    path("me/schedule/", events_api.MyScheduleView.as_view(), name="me-schedule"),
    path("me/calendar-feed/", events_api.MyCalendarFeedView.as_view(), name="me-calendar-feed"),
    *actions,
    *(pattern for module in PART_APIS for pattern in module.urlpatterns),
    *router.urls,
]
