"""What waits on CLAIR's staff (its workspace's to-do panel): suggestion runs to approve
(its managers), forwarded subsidy claims to decide, safety checks with people needing
help and, for a counsellor, the support queue and their own open cases."""

from django.utils.translation import ngettext_lazy

from apps.core.todo import Todo, item, safety_items, todo_list
from apps.placement import selectors as placement_selectors
from apps.safety import selectors as safety_selectors
from apps.support import selectors as support_selectors
from apps.support import selectors_subsidy

RUNS = ngettext_lazy(
    "%(count)s suggestion run to approve",
    "%(count)s suggestion runs to approve",
    "count",
)
CLAIMS = ngettext_lazy(
    "%(count)s subsidy claim to decide",
    "%(count)s subsidy claims to decide",
    "count",
)
QUEUE = ngettext_lazy(
    "%(count)s new support request nobody has taken",
    "%(count)s new support requests nobody has taken",
    "count",
)
MINE = ngettext_lazy(
    "%(count)s of your support cases waits for you",
    "%(count)s of your support cases wait for you",
    "count",
)


def clair_todo(*, user) -> list[Todo]:
    claims = selectors_subsidy.claims_waiting_counts(user=user)
    support = support_selectors.support_waiting_counts(user=user)
    return todo_list(
        *safety_items(safety_selectors.checks_needing_help(user=user)),
        item(
            "runs",
            placement_selectors.matching_runs_to_approve_count(user=user),
            RUNS,
            "clair:runs",
        ),
        item(
            "claims-decide",
            claims["decide"],
            CLAIMS,
            "subsidy:claim-list",
            query={"state": selectors_subsidy.CLAIM_WAITING["decide"]},
        ),
        item("support-queue", support["queue"], QUEUE, "support:list"),
        item("support-mine", support["mine"], MINE, "support:list"),
    )
