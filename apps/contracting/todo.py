"""What waits on a contracting organisation's staff (its workspace's to-do panel): the
placements CLAIR confirmed, contracts to issue and countersign, re-appointment answers,
returned position requests, subsidy claims to check, its participants' safety answers
asking for help and, for the prefectural advisor, the support summaries shared."""

from django.utils.translation import ngettext_lazy

from apps.core.todo import Todo, item, safety_items, todo_list
from apps.placement import selectors as placement_selectors
from apps.reappointment import selectors as reappointment_selectors
from apps.safety import selectors as safety_selectors
from apps.support import selectors as support_selectors
from apps.support import selectors_subsidy

PLACEMENTS = ngettext_lazy(
    "%(count)s placement waits for your answer",
    "%(count)s placements wait for your answer",
    "count",
)
ISSUE = ngettext_lazy(
    "%(count)s draft contract to complete and issue",
    "%(count)s draft contracts to complete and issue",
    "count",
)
COUNTERSIGN = ngettext_lazy(
    "%(count)s signed contract to countersign",
    "%(count)s signed contracts to countersign",
    "count",
)
REAPPOINTMENT = ngettext_lazy(
    "%(count)s re-appointment answer due",
    "%(count)s re-appointment answers due",
    "count",
)
POSITIONS = ngettext_lazy(
    "%(count)s position request returned to you to correct",
    "%(count)s position requests returned to you to correct",
    "count",
)
CLAIMS = ngettext_lazy(
    "%(count)s subsidy claim to check",
    "%(count)s subsidy claims to check",
    "count",
)
SHARED = ngettext_lazy(
    "%(count)s support summary shared with you is open",
    "%(count)s support summaries shared with you are open",
    "count",
)


def contracting_todo(*, user, programme_year) -> list[Todo]:
    contracts = placement_selectors.contract_waiting_counts(user=user)
    positions = placement_selectors.positions_waiting_counts(
        user=user, programme_year=programme_year
    )
    claims = selectors_subsidy.claims_waiting_counts(user=user)
    support = support_selectors.support_waiting_counts(user=user)
    return todo_list(
        item(
            "placements",
            placement_selectors.placements_to_answer_count(user=user),
            PLACEMENTS,
            "contracting:placements",
        ),
        item("contracts-issue", contracts["issue"], ISSUE, "contracting:placements"),
        item(
            "contracts-countersign",
            contracts["countersign"],
            COUNTERSIGN,
            "contracting:placements",
        ),
        item(
            "reappointment",
            reappointment_selectors.reappointment_answers_due_count(user=user, side="organisation"),
            REAPPOINTMENT,
            "contracting:reappointment",
        ),
        item("positions-returned", positions["correct"], POSITIONS, "contracting:positions"),
        item(
            "claims-check",
            claims["check"],
            CLAIMS,
            "subsidy:claim-list",
            query={"state": selectors_subsidy.CLAIM_WAITING["check"]},
        ),
        *safety_items(safety_selectors.checks_needing_help(user=user)),
        item("support-shared", support["shared"], SHARED, "support:list"),
    )
