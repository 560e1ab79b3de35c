"""The one API router."""

import re

from django.urls import URLPattern, include, path, re_path
from django.urls.resolvers import RegexPattern, RoutePattern
from rest_framework.routers import DefaultRouter

from apps.core.api.notifications import NotificationViewSet
from apps.core.api.views import (
    ApiTokenViewSet,
    MeView,
    OrganisationViewSet,
    PrefectureViewSet,
    SavedFilterViewSet,
    TokenLogoutView,
    TokenObtainView,
)
from apps.events import api as events_api
from apps.finance import api_costs, api_statistics
from apps.learning import api_course, api_library
from apps.mic import api_costs as mic_costs
from apps.mofa import api_applicant, api_notices
from apps.outreach import api as api_outreach
from apps.outreach import api_correspondence
from apps.placement.api import (
    ContractViewSet,
    MatchingLineViewSet,
    MatchingRunViewSet,
    PlacementViewSet,
    PositionViewSet,
)
from apps.reappointment import api as reappointment_api
from apps.recruitment.api import ApplicationViewSet, GuidelineViewSet, InterviewSlotViewSet
from apps.safety import api as api_safety
from apps.support import api as api_support
from apps.support import api_subsidy

router = DefaultRouter()
router.register("auth/tokens", ApiTokenViewSet, basename="token")
router.register("organisations", OrganisationViewSet, basename="organisation")
router.register("prefectures", PrefectureViewSet, basename="prefecture")
router.register("notifications", NotificationViewSet, basename="notification")
router.register("saved-filters", SavedFilterViewSet, basename="saved-filter")
router.register("guidelines", GuidelineViewSet, basename="guideline")
router.register("applications", ApplicationViewSet, basename="application")
router.register("interview-slots", InterviewSlotViewSet, basename="interview-slot")
router.register("notice-templates", api_notices.NoticeTemplateViewSet, basename="notice-template")
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

# Actions mounted apart from a viewset; they come before the router so its read-only
# routes never shadow them.
actions = [
    # CLAIR
    path(
        "reappointment-cases/<int:pk>/reopen/",
        reappointment_api.ReappointmentCaseReopenView.as_view(),
        name="reappointment-case-reopen",
    ),
    # MIC
    *mic_costs.urlpatterns,
    # the contracting organisation
    path(
        "reappointment-cases/<int:pk>/organisation-answer/",
        reappointment_api.ReappointmentOrganisationAnswerView.as_view(),
        name="reappointment-case-organisation-answer",
    ),
    # the candidate or participant
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


def by_first_segment(patterns: list) -> list:
    """`patterns`, each under an include of its path's first segment ("contracts/"), in
    their order within it; the few with no such segment (the root, a format suffix such
    as "contracts.json", which no segment's path can match) after them.

    Django tries a path against each pattern in turn: at 300 patterns, mostly regular
    expressions, that took a list of re-appointment cases or safety checks 0.1 to 0.2 ms
    of every call (a tenth of the floor's whole request); an include is passed by with a
    string comparison of its prefix. The names, and so every reverse(), are unchanged."""
    groups: dict[str, list] = {}
    rest = []
    for pattern in patterns:
        split = _first_segment(pattern)
        if split is None:
            rest.append(pattern)
        else:
            groups.setdefault(split[0], []).append(split[1])
    return [*(path(f"{segment}/", include(inner)) for segment, inner in groups.items()), *rest]


_SEGMENT = re.compile(r"([a-z0-9-]+)/(.*)", re.DOTALL)


def _first_segment(pattern) -> tuple[str, URLPattern] | None:
    if not isinstance(pattern, URLPattern):
        return None
    if isinstance(pattern.pattern, RoutePattern):
        found = _SEGMENT.fullmatch(str(pattern.pattern))
        make = path
    elif isinstance(pattern.pattern, RegexPattern) and pattern.pattern._regex.startswith("^"):
        found = _SEGMENT.fullmatch(pattern.pattern._regex[1:])
        make = re_path
    else:
        return None
    if found is None:
        return None
    inner = found[2] if make is path else f"^{found[2]}"
    return found[1], make(inner, pattern.callback, pattern.default_args, pattern.name)


flat_urlpatterns = [
    path("auth/token/", TokenObtainView.as_view(), name="token-obtain"),
    path("auth/logout/", TokenLogoutView.as_view(), name="token-logout"),
    path("me/", MeView.as_view(), name="me"),
    path("me/schedule/", events_api.MyScheduleView.as_view(), name="me-schedule"),
    path(
        "me/schedule/items/",
        events_api.MyScheduleItemsView.as_view(),
        name="me-schedule-items",
    ),
    path("me/next-step/", api_applicant.NextStepView.as_view(), name="me-next-step"),
    path("me/calendar-feed/", events_api.MyCalendarFeedView.as_view(), name="me-calendar-feed"),
    *actions,
    *(pattern for module in PART_APIS for pattern in module.urlpatterns),
    *router.urls,
]
urlpatterns = by_first_segment(flat_urlpatterns)
