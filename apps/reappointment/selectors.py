"""Reads of re-appointment rounds and cases, always through the access rule."""

from django.core.exceptions import ObjectDoesNotExist
from django.db.models import Count, QuerySet
from django.http import Http404

from apps.core import access
from apps.core.models import User

# --- re-appointment --------------------------------------------------------------------


def reappointment_round_list(*, user: User) -> QuerySet:
    """CLAIR and MIC see every round (MIC only its counts); an organisation or a
    participant the rounds they have cases in."""
    from apps.reappointment.models import ReappointmentRound

    return access.restrict(
        ReappointmentRound.objects.select_related("programme_year"), user, "view"
    )


def reappointment_round_get(*, user: User, pk):
    try:
        return reappointment_round_list(user=user).get(pk=pk)
    except (ObjectDoesNotExist, ValueError, TypeError):
        raise Http404 from None


def reappointment_case_list(
    *,
    user: User,
    round=None,
    organisation=None,
    prefecture: str | None = None,
    waiting: str | None = None,
) -> QuerySet:
    """CLAIR all; an organisation its participants; a participant their own; MIC none
    (counts only). `waiting`: "organisation" or "participant" to list who has not answered."""
    from apps.reappointment.models import ReappointmentCase

    qs = access.restrict(ReappointmentCase.objects.all(), user, "view")
    if round is not None:
        qs = qs.filter(round=round)
    if organisation is not None:
        qs = qs.filter(organisation=organisation)
    if prefecture:
        qs = qs.filter(organisation__prefecture_id=prefecture)
    if waiting == "organisation":
        qs = qs.filter(organisation_answer="", may_continue=True)
    elif waiting == "participant":
        qs = qs.filter(participant_answer="", may_continue=True)
    return qs.select_related(
        "round__programme_year",
        "participant",
        "organisation__prefecture",
        "placement__position",
        "placement__application__country",
        "contract",
        "next_contract",
    ).order_by(
        "organisation__prefecture_id", "organisation__name_en", "participant__last_name", "pk"
    )


def reappointment_case_get(*, user: User, pk, perm: str = "view"):
    from apps.reappointment.models import ReappointmentCase

    case = access.get_or_404(
        ReappointmentCase.objects.select_related(
            "round__programme_year", "participant", "organisation", "contract", "next_contract"
        ),
        user,
        pk,
        "view",
    )
    if perm != "view":
        access.require(user, perm, case)
    return case


def reappointment_counts(*, user: User, round) -> list[dict]:
    """The round in numbers, without names: by prefecture, position type, contract year,
    each side's answer and the outcome. CLAIR and MIC see the whole round; an
    organisation its own participants only."""
    from apps.reappointment.models import ReappointmentCase

    base = access.restrict(ReappointmentCase.objects.filter(round=round), user, "count")
    return list(
        base.order_by()
        .values(
            "organisation__prefecture_id",
            "organisation__prefecture__name_en",
            "organisation__prefecture__name_ja",
            "placement__position__type",
            "contract_year",
            "organisation_answer",
            "participant_answer",
            "outcome",
        )
        .annotate(n=Count("pk"))
        .order_by("organisation__prefecture_id", "placement__position__type", "contract_year")
    )


def reappointment_counts_only(*, user: User, round) -> bool:
    """Whether `user` reads the round only in numbers (MIC): they may count its cases but
    see none of them, so their counts hide the small cells. CLAIR and an organisation
    read the same cases by name, and their counts stay exact."""
    return not reappointment_case_list(user=user, round=round).exists()


def reappointment_answers_due_count(*, user: User, side: str, now=None) -> int:
    """Cases of an open round still waiting for the user's answer, while they may still
    give it: `side` "organisation" (an organisation's staff for its participants) or
    "participant" (the participant for themselves). Zero for anyone who answers for
    neither."""
    from django.db.models import Q
    from django.utils import timezone

    from apps.reappointment.models import ReappointmentCase, ReappointmentRound

    if side not in ("organisation", "participant"):
        raise ValueError(side)
    now = now or timezone.now()
    deadline = f"round__{side}_deadline__gte"
    cases = ReappointmentCase.objects.filter(
        Q(**{deadline: now}) | Q(reopened_until__gte=now),
        round__state=ReappointmentRound.State.OPEN,
        may_continue=True,
        **{f"{side}_answer": ""},
    )
    return access.restrict(cases, user, f"{side}_answer").count()


def round_confirm_preview(*, user: User, round) -> dict:
    """What confirming the round now would do, in numbers: who stays (both sides said
    yes), who leaves (everyone else), and how many of those leaving have not answered
    yet; with the last answer deadline, before which only a CLAIR manager confirms."""
    from django.db.models import Q
    from django.utils import timezone

    from apps.reappointment import rules

    both = Q(organisation_answer="OFFER", participant_answer="CONTINUE", may_continue=True)
    unanswered = Q(may_continue=True) & (Q(organisation_answer="") | Q(participant_answer=""))
    figures = (
        reappointment_case_list(user=user, round=round)
        .filter(outcome="")
        .order_by()
        .aggregate(
            total=Count("pk"),
            stay=Count("pk", filter=both),
            unanswered=Count("pk", filter=unanswered),
        )
    )
    closes = rules.answers_close_at(round)
    return figures | {
        "leave": figures["total"] - figures["stay"],
        "answers_close_at": closes,
        "early": timezone.now() < closes,
    }
