"""Programme statistics (issue 8): one aggregate query per figure, counts only.

Every selector takes the viewer and a programme year (`None` for every year, when the
rows also carry `year`) and returns grouped rows with no person in them: no name, no id
of a person or an application, only codes of countries, prefectures and positions and
the number of rows behind them. A page, its API endpoint and any export call the same
functions, so they cannot disagree, and each is one query (two for the applications
against the acceptance numbers) whatever the size of the programme.

Who sees what is the access rule's (POLICY: core.country), read by `statistics_scope`:
- MIC, MOFA headquarters and CLAIR: every figure.
- MEXT: the education side only, ALTs (by school level, prefecture and contract year).
  No application, preference, re-appointment or leaver figures: DESIGN.md gives MEXT
  none of those rows, and counts of them say nothing about teaching.
- An embassy or consulate: every figure, restricted to its own country (the country of
  the application, which is the recruiting mission's).
- Anyone else: nothing (the pages answer 403).

What is counted:
- Participants of a programme year: accepted placements with a contract term of that
  year that is not cancelled. A term's programme year is the year the participant
  arrived plus the contract year less one, the same rule the re-appointment round uses
  (the round of year Y writes the contracts of year Y), so a re-appointed participant
  counts in every year they serve, each time in their contract year of it.
- Applications: submitted ones (drafts are not applications yet) by status, against the
  published acceptance numbers.
- Preferences: active placements of the year's candidates by the best of their three
  preferences whose prefecture is the position's. A designated-city preference
  ("28-Kobe") counts as its prefecture: the figure is about prefectures.
- Re-appointment: the cases of the round that fills the year's terms, by prefecture and
  position, continuing or leaving by `reappointment_counts.decision` (the outcome once
  CLAIR confirms, the two answers before).
- Leavers: the same round's cases that leave, with how many of those people agreed to be
  contacted by the alumni association (a consent that stands, not withdrawn).
"""

from dataclasses import dataclass

from django.db.models import Case, Count, F, IntegerField, Q, QuerySet, Value, When

from apps.core import access
from apps.core.models import Country, ProgrammeYear, User
from apps.placement.models import Contract, Placement
from apps.reappointment.models import ReappointmentCase
from apps.recruitment import selectors
from apps.recruitment.choices import Position
from apps.recruitment.models import AcceptanceNumber, Application

APPLICATION_STATUSES = selectors.COUNTED


@dataclass(frozen=True)
class Scope:
    """What one viewer's figures cover."""

    countries: tuple[str, ...] | None = None  # every row limited to these; None: all
    education_only: bool = False  # MEXT: ALT figures only

    @property
    def country(self) -> str | None:
        """The one country the figures are limited to (a mission's), if there is one."""
        return self.countries[0] if self.countries and len(self.countries) == 1 else None

    @property
    def everything(self) -> bool:
        return not self.education_only


def statistics_scope(user: User | None) -> Scope | None:
    """The viewer's scope, or None when they may see no statistics at all (nor a mission
    without a country, which has no rows of its own). Read once per request."""
    if user is None or not user.is_authenticated or not user.is_active:
        return None
    if "_statistics_scope" not in user.__dict__:
        user._statistics_scope = _scope(user)
    return user._statistics_scope


def _scope(user: User) -> Scope | None:
    if not access.allowed(user, "statistics", Country):
        return None
    counted = access.restrict(Country.objects.all(), user, "statistics")
    countries = None
    # The rows are limited only when some country is left out (a mission sees its own).
    if Country.objects.exclude(pk__in=counted.values("pk")).exists():
        countries = tuple(counted.order_by("pk").values_list("pk", flat=True))
        if not countries:
            return None
    return Scope(
        countries=countries,
        education_only=not access.allowed(user, "statistics_full", Country),
    )


def _in_countries(queryset: QuerySet, field: str, scope: Scope) -> QuerySet:
    if scope.countries is None:
        return queryset
    return queryset.filter(**{f"{field}__in": scope.countries})


def _year_filter(queryset: QuerySet, field: str, year: ProgrammeYear | None) -> QuerySet:
    return queryset if year is None else queryset.filter(**{field: year.year})


def _grouped(queryset: QuerySet, year_field: str, year, *fields: str) -> QuerySet:
    """GROUP BY `fields`, and by the year as `year` when every year is asked for."""
    if year is None:
        queryset = queryset.annotate(year=F(year_field))
        return queryset.order_by().values("year", *fields)
    return queryset.order_by().values(*fields)


def participant_counts(*, user: User, year: ProgrammeYear | None) -> list[dict]:
    """Participants by country, position, prefecture, contract year and school level;
    a placement is in exactly one group of a year, so the groups add up."""
    scope = statistics_scope(user)
    if scope is None:
        return []
    contracts = (
        Contract.objects.filter(placement__status=Placement.Status.ACCEPTED)
        .exclude(status=Contract.Status.CANCELLED)
        .annotate(
            term_year=F("placement__application__programme_year__year") + F("contract_year") - 1
        )
    )
    contracts = _year_filter(contracts, "term_year", year)
    contracts = _in_countries(contracts, "placement__application__country_id", scope)
    if scope.education_only:
        contracts = contracts.filter(placement__position__type=Position.ALT)
    return list(
        _grouped(
            contracts,
            "term_year",
            year,
            "placement__application__country_id",
            "placement__application__country__name_en",
            "placement__application__country__name_ja",
            "placement__position__type",
            "placement__position__prefecture_id",
            "placement__position__prefecture__name_en",
            "placement__position__prefecture__name_ja",
            "placement__position__school_level",
            "contract_year",
        ).annotate(n=Count("placement", distinct=True))
    )


def application_counts(*, user: User, year: ProgrammeYear | None) -> list[dict]:
    """Submitted applications by country and position and by status, with the published
    places of the same country and position; a slot with places and no application yet
    is a row too (two queries, merged here)."""
    scope = statistics_scope(user)
    if scope is None or not scope.everything:
        return []
    applications = Application.objects.exclude(status=Application.Status.DRAFT)
    numbers = AcceptanceNumber.objects.filter(state=AcceptanceNumber.State.PUBLISHED)
    applications = _year_filter(applications, "programme_year__year", year)
    numbers = _year_filter(numbers, "programme_year__year", year)
    applications = _in_countries(applications, "country_id", scope)
    numbers = _in_countries(numbers, "country_id", scope)
    fields = ("country_id", "country__name_en", "country__name_ja", "position")
    by_status = {s: Count("pk", filter=Q(status=s)) for s in APPLICATION_STATUSES}
    rows: dict[tuple, dict] = {}
    empty = {"places": None, "total": 0} | dict.fromkeys(APPLICATION_STATUSES, 0)
    # One acceptance number per year, country and position: its rows need no GROUP BY.
    for row in _grouped(numbers, "programme_year__year", year, *fields, "places"):
        key = tuple(row.get(f) for f in ("year", *fields))
        rows[key] = empty | row
    for row in _grouped(applications, "programme_year__year", year, *fields).annotate(
        total=Count("pk"), **by_status
    ):
        key = tuple(row.get(f) for f in ("year", *fields))
        rows[key] = rows.get(key, empty) | row
    for row in rows.values():
        row["holding"] = sum(row[s] for s in Application.HOLDS_PLACE)
    return sorted(
        rows.values(),
        key=lambda r: (r.get("year") or 0, r["country__name_en"], r["position"]),
    )


def preference_counts(*, user: User, year: ProgrammeYear | None) -> list[dict]:
    """Active placements of the year's candidates by country and position, and how many
    of them are in the prefecture of their first, second or third preference."""
    scope = statistics_scope(user)
    if scope is None or not scope.everything:
        return []
    prefecture = F("position__prefecture_id")
    placements = Placement.objects.filter(status__in=Placement.ACTIVE).annotate(
        # Prefecture codes are two digits and a city preference is "28-Kobe", so
        # "starts with the position's code" is "names the position's prefecture".
        rank=Case(
            When(application__preference_1__startswith=prefecture, then=Value(1)),
            When(application__preference_2__startswith=prefecture, then=Value(2)),
            When(application__preference_3__startswith=prefecture, then=Value(3)),
            default=Value(0),
            output_field=IntegerField(),
        )
    )
    placements = _year_filter(placements, "application__programme_year__year", year)
    placements = _in_countries(placements, "application__country_id", scope)
    no_preference = Q(
        application__preference_1="", application__preference_2="", application__preference_3=""
    )
    return list(
        _grouped(
            placements,
            "application__programme_year__year",
            year,
            "application__country_id",
            "application__country__name_en",
            "application__country__name_ja",
            "application__position",
        )
        .annotate(
            placed=Count("pk"),
            first=Count("pk", filter=Q(rank=1)),
            second=Count("pk", filter=Q(rank=2)),
            third=Count("pk", filter=Q(rank=3)),
            no_preference=Count("pk", filter=no_preference),
        )
        .order_by()
    )


def _cases(scope: Scope, year: ProgrammeYear | None) -> QuerySet[ReappointmentCase]:
    cases = _year_filter(ReappointmentCase.objects.all(), "round__programme_year__year", year)
    return _in_countries(cases, "placement__application__country_id", scope)


def reappointment_counts(*, user: User, year: ProgrammeYear | None) -> list[dict]:
    """The round's cases by prefecture and position, with both answers and the outcome,
    so `reappointment_counts.decision` can say continuing, leaving or open."""
    scope = statistics_scope(user)
    if scope is None or not scope.everything:
        return []
    return list(
        _grouped(
            _cases(scope, year),
            "round__programme_year__year",
            year,
            "placement__position__prefecture_id",
            "placement__position__prefecture__name_en",
            "placement__position__prefecture__name_ja",
            "placement__position__type",
            "organisation_answer",
            "participant_answer",
            "outcome",
        ).annotate(n=Count("pk"))
    )


Answer = ReappointmentCase
# The cases `reappointment_counts.decision` calls leaving, as a query.
LEAVING = Q(outcome=Answer.Outcome.LEAVES) | (
    Q(outcome=Answer.Outcome.PENDING)
    & (
        Q(organisation_answer=Answer.OrganisationAnswer.NO_OFFER)
        | Q(participant_answer=Answer.ParticipantAnswer.LEAVE)
    )
)


def leaver_counts(*, user: User, year: ProgrammeYear | None) -> list[dict]:
    """Leavers of the year's round by country and position, how many of them CLAIR has
    confirmed, and how many have a standing alumni consent."""
    scope = statistics_scope(user)
    if scope is None or not scope.everything:
        return []
    # The consent join can repeat a case (withdrawn consents beside a standing one),
    # hence the distinct counts.
    return list(
        _grouped(
            _cases(scope, year).filter(LEAVING),
            "round__programme_year__year",
            year,
            "placement__application__country_id",
            "placement__application__country__name_en",
            "placement__application__country__name_ja",
            "placement__position__type",
        ).annotate(
            leavers=Count("pk", distinct=True),
            confirmed=Count("pk", distinct=True, filter=Q(outcome=Answer.Outcome.LEAVES)),
            alumni_consent=Count(
                "participant__alumni_consents",
                distinct=True,
                filter=Q(participant__alumni_consents__withdrawn_at__isnull=True),
            ),
        )
    )


def programme_years() -> list[ProgrammeYear]:
    """The years to choose from, newest first (no people in them)."""
    return list(ProgrammeYear.objects.order_by("-year"))
