"""What waits on a participant (their workspace's to-do panel): a contract to sign, a
placement to answer, their re-appointment answer, a subsidy claim returned to correct
and a support case waiting for their reply. (An open safety check has the banner.)"""

from django.utils.translation import ngettext_lazy

from apps.core.todo import Todo, item, todo_list
from apps.placement import selectors as placement_selectors
from apps.reappointment import selectors as reappointment_selectors
from apps.support import selectors as support_selectors
from apps.support import selectors_subsidy

SIGN = ngettext_lazy(
    "%(count)s contract to sign",
    "%(count)s contracts to sign",
    "count",
)
PLACEMENT = ngettext_lazy(
    "%(count)s placement to answer",
    "%(count)s placements to answer",
    "count",
)
REAPPOINTMENT = ngettext_lazy(
    "%(count)s re-appointment answer due",
    "%(count)s re-appointment answers due",
    "count",
)
CLAIMS = ngettext_lazy(
    "%(count)s subsidy claim returned to you to correct",
    "%(count)s subsidy claims returned to you to correct",
    "count",
)
SUPPORT = ngettext_lazy(
    "%(count)s support request waits for your reply",
    "%(count)s support requests wait for your reply",
    "count",
)


def participant_todo(*, user) -> list[Todo]:
    contracts = placement_selectors.contract_waiting_counts(user=user)
    claims = selectors_subsidy.claims_waiting_counts(user=user)
    support = support_selectors.support_waiting_counts(user=user)
    return todo_list(
        item("contracts-sign", contracts["sign"], SIGN, "participants:placement"),
        item(
            "placement-answer",
            placement_selectors.placements_offered_count(user=user),
            PLACEMENT,
            "participants:placement",
        ),
        item(
            "reappointment",
            reappointment_selectors.reappointment_answers_due_count(user=user, side="participant"),
            REAPPOINTMENT,
            "participants:reappointment",
        ),
        item(
            "claims-resubmit",
            claims["resubmit"],
            CLAIMS,
            "subsidy:claim-list",
            query={"state": selectors_subsidy.CLAIM_WAITING["resubmit"]},
        ),
        item("support-reply", support["reply"], SUPPORT, "support:list"),
    )
