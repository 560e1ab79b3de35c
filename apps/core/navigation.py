"""What each user finds in the navigation. Pages check access themselves; this only keeps
people from being shown what they cannot use, asking the same access rule."""

from dataclasses import dataclass

from django.apps import apps
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from apps.core import access
from apps.core.models import Kind

WORKSPACE_URLS = {
    Kind.CLAIR: "clair:workspace",
    Kind.MOFA: "mofa:hq-workspace",
    Kind.MISSION: "mofa:mission-workspace",
    Kind.MIC: "mic:workspace",
    Kind.MEXT: "mext:workspace",
    Kind.CONTRACTING: "contracting:workspace",
    Kind.APPLICANT: "mofa:applicant-workspace",
    Kind.PARTICIPANT: "participants:workspace",
}


@dataclass(frozen=True)
class NavItem:
    """A link for the users acting as one of `kinds` (an actor's own page), or, for a page
    shared by several actors, for whoever the access rule lets do `permission` =
    (action, "app_label.model") at all: the link shows exactly when the page opens."""

    key: str
    label: str
    url_name: str
    kinds: frozenset = frozenset()
    managers_only: bool = False
    permission: tuple[str, str] | None = None


STAFF_KINDS = frozenset(
    {Kind.CLAIR, Kind.MOFA, Kind.MISSION, Kind.MIC, Kind.MEXT, Kind.CONTRACTING}
)

NAV_ITEMS = [
    NavItem(
        "organisations",
        _("Organisations"),
        "core:organisation-list",
        frozenset({Kind.CLAIR, Kind.MIC, Kind.MOFA}),
    ),
    NavItem(
        "my-organisation",
        _("My organisation"),
        "core:my-organisation",
        frozenset({Kind.MISSION, Kind.MEXT, Kind.CONTRACTING}),
    ),
    NavItem("placement-board", _("Placement board"), "clair:board", frozenset({Kind.CLAIR})),
    NavItem("placement-runs", _("Placement suggestions"), "clair:runs", frozenset({Kind.CLAIR})),
    NavItem(
        "placements",
        _("Placements and contracts"),
        "contracting:placements",
        frozenset({Kind.CONTRACTING}),
    ),
    NavItem(
        "mission-applications",
        _("Applications"),
        "mofa:mission-applications",
        frozenset({Kind.MISSION}),
    ),
    NavItem(
        "mission-placements", _("Placements"), "mofa:mission-placements", frozenset({Kind.MISSION})
    ),
    NavItem(
        "my-placement",
        _("Placement and contract"),
        "participants:placement",
        frozenset({Kind.PARTICIPANT}),
    ),
    NavItem(
        "events",
        _("Events"),
        "events:event-list",
        frozenset({Kind.CLAIR, Kind.MISSION, Kind.CONTRACTING, Kind.MEXT, Kind.MOFA}),
    ),
    NavItem(
        "schedule",
        _("My schedule"),
        "events:schedule",
        frozenset({Kind.APPLICANT, Kind.PARTICIPANT, Kind.MISSION}),
    ),
    NavItem(
        "reappointment",
        _("Re-appointment"),
        "clair:reappointment",
        frozenset({Kind.CLAIR}),
    ),
    NavItem("mic-reappointment", _("Re-appointment"), "mic:reappointment", frozenset({Kind.MIC})),
    NavItem(
        "contracting-reappointment",
        _("Re-appointment"),
        "contracting:reappointment",
        frozenset({Kind.CONTRACTING}),
    ),
    NavItem(
        "my-reappointment",
        _("Re-appointment"),
        "participants:reappointment",
        frozenset({Kind.PARTICIPANT}),
    ),
    NavItem("support", _("Support"), "support:list", frozenset({Kind.PARTICIPANT})),
    NavItem("counselling", _("Counselling"), "support:list", frozenset({Kind.CLAIR})),
    # The prefectural advisor's one part of support: the summaries shared with them.
    NavItem(
        "shared-summaries",
        _("Shared support summaries"),
        "support:list",
        permission=("read_shared", "support.supportcase"),
    ),
    NavItem(
        "subsidy",
        _("Counselling subsidy"),
        "subsidy:claim-list",
        frozenset({Kind.PARTICIPANT, Kind.CONTRACTING, Kind.CLAIR}),
    ),
    NavItem(
        "course",
        _("Japanese course"),
        "course:intake-list",
        frozenset({Kind.CLAIR, Kind.PARTICIPANT}),
    ),
    NavItem(
        "library",
        _("Library"),
        "library:document-list",
        frozenset({Kind.CLAIR, Kind.MEXT, Kind.CONTRACTING, Kind.PARTICIPANT}),
    ),
    NavItem(
        "correspondence",
        _("Correspondence"),
        "correspondence:thread-list",
        frozenset({Kind.CLAIR, Kind.MIC, Kind.MOFA, Kind.MEXT, Kind.MISSION, Kind.CONTRACTING}),
    ),
    NavItem(
        "promotions",
        _("Promotion"),
        "outreach:promotion-list",
        frozenset({Kind.CLAIR, Kind.MOFA, Kind.MISSION}),
    ),
    NavItem("alumni", _("Alumni"), "outreach:alumni-list", frozenset({Kind.MISSION})),
    NavItem(
        "alumni-contact", _("Alumni contact"), "outreach:alumni-mine", frozenset({Kind.PARTICIPANT})
    ),
    NavItem(
        "safety",
        _("Safety checks"),
        "safety:check-list",
        frozenset({Kind.CLAIR, Kind.CONTRACTING, Kind.MISSION, Kind.MOFA}),
    ),
    # The participant answers their own checks (anpi kakunin) from the menu too.
    NavItem("my-safety", _("Safety checks"), "safety:own-answers", frozenset({Kind.PARTICIPANT})),
    NavItem(
        "costs",
        _("Programme costs"),
        "costs:overview",
        frozenset({Kind.CLAIR, Kind.MIC, Kind.CONTRACTING}),
    ),
    NavItem(
        "statistics",
        _("Programme statistics"),
        "statistics:overview",
        frozenset({Kind.MIC, Kind.MOFA, Kind.CLAIR, Kind.MEXT, Kind.MISSION}),
    ),
    NavItem("audit", _("Audit trail"), "admin:index", frozenset({Kind.CLAIR}), managers_only=True),
]


def workspace_url_name(user) -> str | None:
    """The URL name of the workspace of the actor the user acts as (None for an account
    with no role yet)."""
    for kind, url_name in WORKSPACE_URLS.items():
        if access.acts_as(user, kind):
            return url_name
    return None


def _shown(user, item: NavItem) -> bool:
    if item.permission is not None:
        action, label = item.permission
        return access.allowed(user, action, apps.get_model(label))
    return access.acts_as(user, *item.kinds) and (not item.managers_only or user.is_manager)


def navigation_for(user) -> list[dict]:
    """The menu's links. The inbox is not among them: the header links to it, with the
    unread count."""
    workspace = workspace_url_name(user)
    if workspace is None:
        return []
    items = [{"key": "workspace", "label": _("Workspace"), "url": reverse(workspace)}]
    for item in NAV_ITEMS:
        if _shown(user, item):
            items.append({"key": item.key, "label": item.label, "url": reverse(item.url_name)})
    return items
