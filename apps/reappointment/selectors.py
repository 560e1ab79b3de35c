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
