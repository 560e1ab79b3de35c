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
