"""Reads of the counselling subsidy. Pages and API alike go through these, so they agree
on who sees what: the participant their own claims, their contracting organisation its
participants' claims, CLAIR every claim, nobody else any (an id they may not see is 404,
and lists leave such claims out)."""

from django.db.models import QuerySet
from django.http import Http404

from apps.core import access
from apps.core.models import User
from apps.support.models import SubsidyClaim, SubsidyReceipt


def claim_list(*, user: User, state: str | None = None) -> QuerySet[SubsidyClaim]:
    claims = access.restrict(
        SubsidyClaim.objects.select_related("participant", "organisation").prefetch_related(
            "receipts"
        ),
        user,
        "view",
    )
    if state in SubsidyClaim.State.values:
        claims = claims.filter(state=state)
    return claims


def claim_get(*, user: User, pk) -> SubsidyClaim:
    try:
        return claim_list(user=user).get(pk=pk)
    except (SubsidyClaim.DoesNotExist, ValueError, TypeError):
        raise Http404 from None


def receipt_get(*, user: User, pk) -> SubsidyReceipt:
    """A receipt of a claim the user may see, else 404."""
    try:
        return SubsidyReceipt.objects.select_related("claim").get(
            pk=pk, claim__in=claim_list(user=user).order_by().values("pk")
        )
    except (SubsidyReceipt.DoesNotExist, ValueError, TypeError):
        raise Http404 from None


def claim_counts(*, user: User) -> dict[str, int]:
    """How many visible claims are in each state (for the list's heading)."""
    from django.db.models import Count

    rows = claim_list(user=user).order_by().values("state").annotate(n=Count("pk"))
    counts = dict.fromkeys(SubsidyClaim.State.values, 0)
    counts.update({row["state"]: row["n"] for row in rows})
    return counts


# Which claims wait on whom: the action the access rule gives for them, and their state.
CLAIM_WAITING = {
    "check": SubsidyClaim.State.SUBMITTED,  # the participant's organisation
    "decide": SubsidyClaim.State.FORWARDED,  # CLAIR
    "resubmit": SubsidyClaim.State.RETURNED,  # the participant
}


def claims_waiting_counts(*, user: User) -> dict[str, int]:
    """How many claims wait for the user's step (`check`, `decide`, `resubmit`), in one
    query; zero for a step the user never takes."""
    from django.db.models import Count, Q

    counts = dict.fromkeys(CLAIM_WAITING, 0)
    aggregates = {
        action: Count(
            "pk",
            filter=Q(state=state)
            & Q(pk__in=access.restrict(SubsidyClaim.objects.all(), user, action).values("pk")),
        )
        for action, state in CLAIM_WAITING.items()
        if access.allowed(user, action, SubsidyClaim)
    }
    if aggregates:
        counts.update(SubsidyClaim.objects.aggregate(**aggregates))
    return counts
