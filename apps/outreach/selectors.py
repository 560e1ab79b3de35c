"""Reads of promotion and alumni (issue 7), shared by the pages, the API and the exports.

Who sees what (the access policy, apps/core/access.py):
- Promotional activities: MOFA headquarters and CLAIR every one; a mission (embassy or
  consulate) its own organisation's; nobody else any (an id they ask for is a 404).
- Counts by country and month: over the same rows the person may see. The country is
  the recording organisation's (a mission's); CLAIR's activities, which belong to no
  country, count under Japan (`country_code` "").
- Alumni consents: the mission of the participant's application sees the consents that
  stand (not withdrawn); the participant sees their own, withdrawn ones included; nobody
  else sees any. A withdrawn consent vanishes from the mission's list, API and exports.

Who may agree (decided for issue 7; see `alumni_eligibility`): a participant with an
accepted placement who is leaving the programme by their newest re-appointment case
(outcome LEAVES; or, before CLAIR confirms the round, they answered that they will
leave, their organisation does not offer re-appointment, or they may not continue).
A participant whom no re-appointment round has reached yet may agree as well, since the
system has nothing yet that says whether they stay. A participant re-appointed
(outcome CONTINUES) or still on course to continue may not.
"""

import datetime
from dataclasses import dataclass

from django.db.models import Count, Max, QuerySet, Sum
from django.db.models.functions import TruncMonth
from django.http import Http404
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from apps.core import access
from apps.events.models import Event
from apps.outreach.models import AlumniConsent, PromotionActivity
from apps.placement.models import Contract, Placement
from apps.reappointment.models import ReappointmentCase

# --- promotional activities ----------------------------------------------------------------


def promotion_list(
    *,
    user,
    starts_from: datetime.date | None = None,
    starts_before: datetime.date | None = None,
    kind: str | None = None,
) -> QuerySet[PromotionActivity]:
    """The activities `user` may see, newest first."""
    queryset = access.restrict(PromotionActivity.objects.all(), user, "view").select_related(
        "organisation", "organisation__country"
    )
    if starts_from:
        queryset = queryset.filter(starts_on__gte=starts_from)
    if starts_before:
        queryset = queryset.filter(starts_on__lt=starts_before)
    if kind:
        queryset = queryset.filter(kind=kind)
    return queryset


def promotion_get(*, user, pk) -> PromotionActivity:
    try:
        return promotion_list(user=user).prefetch_related("information_sessions").get(pk=pk)
    except (PromotionActivity.DoesNotExist, ValueError, TypeError):
        raise Http404 from None


def promotion_can_edit(user, promotion: PromotionActivity) -> bool:
    """Only the recording organisation changes its activity (CLAIR not a mission's)."""
    return access.can(user, "change", promotion)


def information_sessions_for(organisation) -> QuerySet[Event]:
    """The information sessions an activity of `organisation` may be linked to: its own."""
    if organisation is None:
        return Event.objects.none()
    return Event.objects.filter(
        organiser=organisation, kind=Event.Kind.INFORMATION_SESSION
    ).order_by("-starts_at")


def fiscal_year_of(day: datetime.date) -> int:
    """The Japanese fiscal year (April to March) a day falls in, by its starting year."""
    return day.year if day.month >= 4 else day.year - 1


def fiscal_year_bounds(fiscal_year: int) -> tuple[datetime.date, datetime.date]:
    return datetime.date(fiscal_year, 4, 1), datetime.date(fiscal_year + 1, 4, 1)


def months_between(start: datetime.date, end: datetime.date) -> list[datetime.date]:
    """The first days of the months from `start`'s to the one before `end` (exclusive)."""
    months, day = [], start.replace(day=1)
    while day < end:
        months.append(day)
        day = (day + datetime.timedelta(days=32)).replace(day=1)
    return months


def _country_name(code: str, name_en: str | None, name_ja: str | None) -> str:
    if not code:
        return _("Japan (CLAIR)")
    if (get_language() or "en").startswith("ja") and name_ja:
        return name_ja
    return name_en or code


def promotion_counts(
    *, user, starts_from: datetime.date | None = None, starts_before: datetime.date | None = None
) -> list[dict]:
    """Activities and people reached per country and month (by the day an activity
    starts), over what `user` may see: rows of `country_code` ("" for CLAIR's),
    `country`, `month` (its first day), `activities`, `reach`, ordered by country then
    month."""
    rows = (
        promotion_list(user=user, starts_from=starts_from, starts_before=starts_before)
        .order_by()
        .annotate(month=TruncMonth("starts_on"))
        .values(
            "organisation__country_id",
            "organisation__country__name_en",
            "organisation__country__name_ja",
            "month",
        )
        .annotate(activities=Count("pk"), reach=Sum("reach"))
    )
    result = []
    for row in rows:
        code = row["organisation__country_id"] or ""
        month = row["month"]
        if isinstance(month, datetime.datetime):
            month = month.date()
        result.append(
            {
                "country_code": code,
                "country": _country_name(
                    code,
                    row["organisation__country__name_en"],
                    row["organisation__country__name_ja"],
                ),
                "month": month,
                "activities": row["activities"],
                "reach": row["reach"] or 0,
            }
        )
    # Countries by name, Japan (CLAIR) last; months in order.
    result.sort(key=lambda r: (r["country_code"] == "", r["country"], r["month"]))
    return result


def promotion_counts_table(counts: list[dict], months: list[datetime.date]) -> dict:
    """The counts pivoted for a page: one row per country with a cell per month, the
    totals per month and in all."""
    by_country: dict[str, dict] = {}
    for row in counts:
        entry = by_country.setdefault(
            row["country_code"],
            {"code": row["country_code"], "country": row["country"], "cells": {}},
        )
        entry["cells"][row["month"]] = (row["activities"], row["reach"])
    table_rows = []
    for entry in by_country.values():
        cells = [entry["cells"].get(month, (0, 0)) for month in months]
        table_rows.append(
            {
                "code": entry["code"],
                "country": entry["country"],
                "cells": cells,
                "activities": sum(c[0] for c in cells),
                "reach": sum(c[1] for c in cells),
            }
        )
    totals = [
        (sum(r["cells"][i][0] for r in table_rows), sum(r["cells"][i][1] for r in table_rows))
        for i in range(len(months))
    ]
    return {
        "months": months,
        "rows": table_rows,
        "totals": totals,
        "activities": sum(t[0] for t in totals),
        "reach": sum(t[1] for t in totals),
    }


# --- alumni ----------------------------------------------------------------------------------


def alumni_list(*, user) -> QuerySet[AlumniConsent]:
    """Consents `user` may see: a mission those standing for its own participants, by
    name; a participant their own (withdrawn ones too), newest first; anybody else
    none."""
    return (
        access.restrict(AlumniConsent.objects.all(), user, "view")
        .select_related("participant", "mission")
        .order_by("participant__last_name", "participant__first_name", "-given_at", "-pk")
    )


def alumni_get(*, user, pk) -> AlumniConsent:
    try:
        return alumni_list(user=user).get(pk=pk)
    except (AlumniConsent.DoesNotExist, ValueError, TypeError):
        raise Http404 from None


def alumni_consent_current(*, user) -> AlumniConsent | None:
    """The participant's standing consent, if any."""
    return alumni_list(user=user).filter(participant=user, withdrawn_at__isnull=True).first()


@dataclass
class Eligibility:
    allowed: bool
    reason: str = ""
    placement: Placement | None = None
    years: int = 0

    @property
    def mission(self):
        return self.placement.application.mission if self.placement else None

    @property
    def prefecture(self):
        return self.placement.position.prefecture if self.placement else None


def _leaving(case: ReappointmentCase) -> bool:
    case_type = ReappointmentCase
    if case.outcome == case_type.Outcome.LEAVES:
        return True
    if case.outcome == case_type.Outcome.CONTINUES:
        return False
    return (
        case.participant_answer == case_type.ParticipantAnswer.LEAVE
        or case.organisation_answer == case_type.OrganisationAnswer.NO_OFFER
        or not case.may_continue
    )


def alumni_eligibility(user) -> Eligibility:
    """Whether `user` may agree to alumni contact now, and the placement their mission,
    prefecture and years come from (rule in this module's docstring)."""
    if not access.allowed(user, "add", AlumniConsent):
        return Eligibility(False, _("Only participants agree to alumni contact."))
    placement = (
        Placement.objects.filter(application__applicant=user, status=Placement.Status.ACCEPTED)
        .select_related("application__mission", "position__prefecture")
        .order_by("-application__programme_year__year", "-pk")
        .first()
    )
    if placement is None:
        return Eligibility(False, _("You have no placement on the programme."))
    case = (
        ReappointmentCase.objects.filter(participant=user)
        .order_by("-round__programme_year__year", "-pk")
        .first()
    )
    if case is not None:
        if not _leaving(case):
            return Eligibility(
                False,
                _(
                    "You can agree to alumni contact once you are leaving the programme "
                    "(after your answer in the re-appointment round)."
                ),
                placement,
            )
        years = case.years_so_far
    else:
        contract_years = (
            Contract.objects.filter(placement=placement, status__in=Contract.SIGNED_STATES)
            .aggregate(n=Max("contract_year"))
            .get("n")
        )
        years = (contract_years or 1) + (placement.application.previous_jet_years or 0)
    return Eligibility(True, "", placement, max(1, years))
