"""Demo data of the re-appointment round: CLAIR's round for the current programme year,
open, with its deadlines ahead (in the demo calendar's story: organisations 15 January,
participants 29 January, CLAIR's confirmation 12 February, Japan time).

Its cases are the participants with a contract in force today: the demo account
`participant` (contract year 2 with Hyogo) and ten more, placed in earlier programme
years with other organisations (added here the way `seed_participant` in demo.py adds
hers: as their history would stand today, with the grants the services give). The
round is opened and answered through the services, each as the person who would act:
- `participant` and co.hyogo both still have their answer to give;
- co.sapporo has four participants waiting for its answer (the bulk answer) beside
  jet.hannah.price, whom it has answered;
- elsewhere every state is on show: offered and accepted, offered and declined by the
  participant, not offered (with the organisation's reason), a fourth year offered on
  recorded grounds, a participant at five years in all who may not continue, a case
  CLAIR reopened with its reason, and cases still waiting for one side or both.
Nobody is notified but the new participants (of their organisation's answer).

Idempotent: people are added when their account is missing, the round when the
current year has none.
"""

import datetime as dt
from dataclasses import dataclass

from django.conf import settings
from django.contrib.auth.hashers import make_password

from apps.core import access
from apps.core import services as core_services
from apps.core.models import (
    Country,
    Kind,
    Membership,
    Organisation,
    PersonRole,
    ProgrammeYear,
    User,
)
from apps.demo.calendar import HAWAII, DemoCalendar, demo_calendar
from apps.demo.placements import (
    HYOGO,
    _at,
    _description,
    alt,
    cir,
    conditions,
    earlier_programme_year,
    sea,
)
from apps.demo.places_ja import BASE_JA, MUNICIPALITY_JA
from apps.placement.contracts import contract_grant, one_year_from, remuneration_for
from apps.placement.models import Contract, Placement, PositionRequest
from apps.reappointment import services as reappointment_services
from apps.reappointment.models import ReappointmentCase, ReappointmentRound
from apps.recruitment.models import Application

# The round's deadlines (Japan time, as (month, day) of the programme year): CLAIR
# publishes the procedure in the autumn and participants decide by about early February
# (reference/jet-facts.md).
ORGANISATION_DEADLINE = (1, 15)
PARTICIPANT_DEADLINE = (1, 29)
CONFIRMATION_DEADLINE = (2, 12)
KYOTO_COMMITTEE = (1, 22)

# What each side says in the demo round.
OFFER, NO_OFFER = "offer", "no-offer"
CONTINUE, LEAVE = "continue", "leave"
REOPEN = "reopen"

SH, JH, EL = "SENIOR_HIGH", "JUNIOR_HIGH", "ELEMENTARY"


@dataclass(frozen=True)
class Person:
    username: str
    first: str
    last: str
    country: str
    mission: str
    organisation: str
    post: object  # a demo.Post
    arrived_years_ago: int  # programme years before the current one that they arrived
    previous_jet_years: int = 0
    organisation_says: str = ""  # OFFER, NO_OFFER, REOPEN or "" (not yet)
    reason: str = ""  # the organisation's reason (no offer), or CLAIR's (reopen)
    grounds: str = ""  # for a fourth or fifth year
    participant_says: str = ""  # CONTINUE, LEAVE or "" (not yet)
    participant_reason: str = ""

    @property
    def arrival_group(self) -> str:
        return "B" if self.country in ("GB", "IE", "AU", "NZ") else "A"


US, NY = "Embassy of Japan in the United States", "Consulate-General of Japan in New York"

PEOPLE = [
    Person(
        "jet.hannah.price",
        "Hannah",
        "Price",
        "US",
        US,
        "Sapporo City Board of Education",
        alt(JH, "Sapporo Municipal Hassamu Junior High School", "Sapporo", "URBAN", city="Sapporo"),
        1,
        organisation_says=OFFER,
        participant_says=CONTINUE,
    ),
    Person(
        "jet.thomas.whitfield",
        "Thomas",
        "Whitfield",
        "GB",
        "Embassy of Japan in the United Kingdom",
        "Kobe City Board of Education",
        alt(JH, "Kobe Municipal Suma Junior High School", "Kobe", "URBAN", city="Kobe"),
        2,
        organisation_says=OFFER,
        participant_says=LEAVE,
        participant_reason="I have a place on a master's course in Edinburgh from September.",
    ),
    Person(
        "jet.chloe.tremblay",
        "Chloé",
        "Tremblay",
        "CA",
        "Embassy of Japan in Canada",
        "Sendai City Board of Education",
        alt(EL, "Sendai Municipal Nishitaga Elementary School", "Sendai", "URBAN", city="Sendai"),
        1,
        organisation_says=NO_OFFER,
        reason=(
            "From next April the city staffs its elementary English classes through its own "
            "teacher programme, so this post ends with the current term."
        ),
        participant_says=CONTINUE,
    ),
    Person(
        "jet.jack.morrison",
        "Jack",
        "Morrison",
        "AU",
        "Embassy of Japan in Australia",
        "Nagano Prefectural Board of Education",
        alt(
            SH, "Nagano Prefectural Matsumoto Fukashi Senior High School", "Matsumoto", "SEMI_URBAN"
        ),
        3,
        organisation_says=OFFER,
        grounds=(
            "Built the school's English debate team, which reached the national finals last "
            "year, and leads the prefecture's training for new ALTs; the school asks to keep "
            "him for the debate programme's next year."
        ),
        participant_says=CONTINUE,
    ),
    Person(
        "jet.maria.santos",
        "Maria",
        "Santos",
        "PH",
        "Embassy of Japan in the Philippines",
        "Fukuoka City Board of Education",
        alt(JH, "Fukuoka Municipal Momochi Junior High School", "Fukuoka", "URBAN", city="Fukuoka"),
        3,
        # An ALT in Kumamoto for two years before: five years in all with this one.
        previous_jet_years=2,
    ),
    Person(
        "jet.aroha.walker",
        "Aroha",
        "Walker",
        "NZ",
        "Embassy of Japan in New Zealand",
        "Kyoto City International Relations Office",
        cir("Kyoto City Hall, International Relations Office (exchange events)", "Kyoto", "URBAN"),
        2,
        organisation_says=REOPEN,
        reason=(
            "The city's personnel committee decides on {committee}, after the organisations' "
            "deadline; CLAIR takes Kyoto's answer until {participant_deadline}."
        ),
    ),
    Person(
        "jet.ryan.obrien",
        "Ryan",
        "O'Brien",
        "IE",
        "Embassy of Japan in Ireland",
        "Yokohama City Board of Education",
        alt(
            JH,
            "Yokohama Municipal Kohoku Junior High School",
            "Yokohama",
            "URBAN",
            city="Yokohama",
            housing="ASSISTED",
        ),
        1,
        organisation_says=OFFER,
    ),
    Person(
        "jet.li.na",
        "Na",
        "Li",
        "CN",
        "Embassy of Japan in China",
        "Okayama Prefectural Government International Affairs Division",
        cir(
            "Okayama Prefectural Government (sister province Jiangxi, exchange desk)",
            "Okayama",
            "URBAN",
            cir_language="CN",
            japanese="N1",
        ),
        2,
    ),
    Person(
        "jet.daniel.kim",
        "Daniel",
        "Kim",
        "US",
        NY,
        "Hiroshima Prefectural Board of Education",
        alt(SH, "Hiroshima Prefectural Kure Miyahara Senior High School", "Kure", "SEMI_URBAN"),
        1,
        organisation_says=OFFER,
        participant_says=CONTINUE,
    ),
    Person(
        "jet.liam.parata",
        "Liam",
        "Parata",
        "NZ",
        "Embassy of Japan in New Zealand",
        "Niseko Town Office",
        sea("Niseko Town Office, Sports Promotion (cross-country skiing)", "Niseko", "RURAL"),
        2,
        organisation_says=OFFER,
        participant_says=CONTINUE,
        participant_reason="I would like to coach the junior ski club through one more season.",
    ),
    # Sapporo's other participants, beside jet.hannah.price: none has an answer yet, so
    # co.sapporo can answer for several at once (the bulk answer).
    Person(
        "jet.emily.carter",
        "Emily",
        "Carter",
        "US",
        US,
        "Sapporo City Board of Education",
        alt(JH, "Sapporo Municipal Hokuei Junior High School", "Sapporo", "URBAN", city="Sapporo"),
        1,
    ),
    Person(
        "jet.oliver.hughes",
        "Oliver",
        "Hughes",
        "GB",
        "Embassy of Japan in the United Kingdom",
        "Sapporo City Board of Education",
        alt(
            JH, "Sapporo Municipal Shiroishi Junior High School", "Sapporo", "URBAN", city="Sapporo"
        ),
        2,
    ),
    Person(
        "jet.sophie.martin",
        "Sophie",
        "Martin",
        "CA",
        "Embassy of Japan in Canada",
        "Sapporo City Board of Education",
        alt(EL, "Sapporo Municipal Asabu Elementary School", "Sapporo", "URBAN", city="Sapporo"),
        1,
    ),
    Person(
        "jet.noah.williams",
        "Noah",
        "Williams",
        "AU",
        "Embassy of Japan in Australia",
        "Sapporo City Board of Education",
        alt(
            JH, "Sapporo Municipal Makomanai Junior High School", "Sapporo", "URBAN", city="Sapporo"
        ),
        2,
    ),
]


# --- earlier programme years -------------------------------------------------------------


def _staff(organisation: Organisation) -> User:
    membership = (
        Membership.objects.filter(organisation=organisation)
        .select_related("user")
        .order_by("role", "user__username")
        .first()
    )
    return membership.user


# --- one participant's history -----------------------------------------------------------


def seed_person(
    spec: Person, n: int, password: str, current: ProgrammeYear, cal: DemoCalendar
) -> bool:
    """Applied in `arrival_year`, placed and accepted, and re-appointed every year since:
    one contract per year, the one of this term in force today."""
    if User.objects.filter(username=spec.username).exists():
        return False
    organisation = Organisation.objects.filter(
        kind=Kind.CONTRACTING, name_en=spec.organisation
    ).first()
    if organisation is None:
        return False
    year = earlier_programme_year(current.year - spec.arrived_years_ago)
    mission = Organisation.objects.get(kind=Kind.MISSION, name_en=spec.mission)
    clair = Organisation.objects.get(kind=Kind.CLAIR)
    country = Country.objects.get(code=spec.country)
    staff = _staff(organisation)
    person = core_services.person_create(
        username=spec.username,
        email=f"{spec.username}@example.com",
        password=None,
        person_role=PersonRole.PARTICIPANT,
        first_name=spec.first,
        last_name=spec.last,
    )
    User.objects.filter(pk=person.pk).update(password=password)
    previous = spec.previous_jet_years
    application = Application.objects.create(
        number=f"JET{year.year % 100:02d}-RE{person.pk}",
        programme_year=year,
        applicant=person,
        mission=mission,
        country=country,
        position=spec.post.type,
        status=Application.Status.FORWARDED,
        family_name=spec.last,
        given_names=spec.first,
        date_of_birth=dt.date(year.year - 24 - previous, 3 + n % 9, 5 + n),
        citizenship=country,
        email=person.email,
        japanese_level=spec.post.japanese or "N4",
        driving_licence="AUTOMATIC" if spec.post.licence else "",
        preference_1=organisation.prefecture_id,
        location_preference=spec.post.location,
        previous_jet=bool(previous),
        previous_jet_years=previous,
        previous_jet_left_year=(year.year - 3) if previous else None,
        eligibility=Application.Eligibility.ELIGIBLE,
        decided_at=_at(year.results_release - dt.timedelta(days=14), tz=HAWAII),
        results_released_at=_at(year.results_release, tz=HAWAII),
        forwarded_at=_at(year.reply_deadline + dt.timedelta(days=11), tz=HAWAII),
        submitted_at=_at(year.application_deadline.date() - dt.timedelta(days=7), tz=HAWAII),
    )
    Application.objects.filter(pk=application.pk).update(
        number=f"JET{year.year % 100:02d}-{application.pk:07d}",
        created_at=_at(year.applications_open.date() + dt.timedelta(days=9), tz=HAWAII),
    )
    access.grant_user("view", application, person)
    access.grant_user("change", application, person)
    for perm in ("view", "review_application", "decide_application"):
        access.grant(perm, application, mission)
    access.grant("view_medical_application", application, mission, managers_only=True)
    access.grant("view", application, clair)
    access.grant("view_medical_application", application, clair)

    post = spec.post
    position = PositionRequest.objects.create(
        programme_year=year,
        organisation=organisation,
        prefecture=organisation.prefecture,
        type=post.type,
        school_level=post.school_level,
        base=post.base,
        base_ja=BASE_JA.get(post.base, ""),
        city=post.city,
        municipality=post.municipality,
        municipality_ja=MUNICIPALITY_JA.get(post.municipality, ""),
        location=post.location,
        driving_licence_required=post.licence,
        min_japanese_level=post.japanese,
        cir_language=post.cir_language,
        housing=post.housing,
        description=_description(post),
        state=PositionRequest.State.APPROVED,
        reviewed_by=User.objects.get(username="mic"),
        reviewed_at=_at(cal.date(year.year, 2, 18)),
    )
    PositionRequest.objects.filter(pk=position.pk).update(
        created_at=_at(cal.date(year.year - 1, 12, 6))
    )
    access.grant("view", position, organisation)
    access.grant("change", position, organisation)
    access.grant("view", position, clair)

    placement = Placement.objects.create(
        application=application,
        position=position,
        status=Placement.Status.ACCEPTED,
        arrival_group=spec.arrival_group,
        confirmed_by=User.objects.get(username="clair"),
        decided_at=_at(cal.date(year.year, 6, 3)),
    )
    Placement.objects.filter(pk=placement.pk).update(confirmed_at=_at(cal.date(year.year, 5, 27)))
    for party in (organisation, mission):
        access.grant("view", placement, party)
    access.grant("change", placement, organisation)
    access.grant_user("view", placement, person)

    terms = conditions(position)
    start = year.departure_group_b if spec.arrival_group == "B" else year.departure_group_a
    signature = person.get_full_name()
    for contract_year in range(1, current.year - year.year + 1):
        scale = ProgrammeYear.objects.get(year=year.year + contract_year - 1)
        drafted = start - dt.timedelta(days=50)
        contract = Contract.objects.create(
            placement=placement,
            version=contract_year,
            contract_year=contract_year,
            start_date=start,
            end_date=one_year_from(start),
            remuneration=remuneration_for(scale, contract_year),
            status=Contract.Status.IN_FORCE,
            participant_signature=signature,
            participant_signed_at=_at(drafted + dt.timedelta(days=12), 21),
            participant_address=f"203.0.113.{60 + n}",
            countersigned_by=staff,
            countersigned_at=_at(drafted + dt.timedelta(days=19), 14),
            **terms,
        )
        Contract.objects.filter(pk=contract.pk).update(created_at=_at(drafted, 9))
        contract_grant(contract)
        start = one_year_from(start) + dt.timedelta(days=1)
    return True


# --- the round ---------------------------------------------------------------------------


def _deadline(cal: DemoCalendar, month_day: tuple[int, int]) -> dt.datetime:
    return cal.at(cal.year, *month_day, "17:00")


def seed_round(current: ProgrammeYear, cal: DemoCalendar) -> ReappointmentRound | None:
    if ReappointmentRound.objects.filter(programme_year=current).exists():
        return None
    clair = User.objects.get(username="clair")
    organisation_deadline = _deadline(cal, ORGANISATION_DEADLINE)
    participant_deadline = _deadline(cal, PARTICIPANT_DEADLINE)
    confirmation_deadline = _deadline(cal, CONFIRMATION_DEADLINE)
    dates = {
        "committee": f"{cal.date(cal.year, *KYOTO_COMMITTEE):%-d %B}",
        "participant_deadline": f"{participant_deadline:%-d %B}",
    }
    round_ = reappointment_services.round_open(
        by=clair,
        programme_year=current,
        organisation_deadline=organisation_deadline,
        participant_deadline=participant_deadline,
        confirmation_deadline=confirmation_deadline,
    )
    cases = {
        case.participant.username: case
        for case in ReappointmentCase.objects.filter(round=round_).select_related("participant")
    }
    for spec in PEOPLE:
        case = cases.get(spec.username)
        if case is None:
            continue
        if spec.organisation_says in (OFFER, NO_OFFER):
            reappointment_services.organisation_answer(
                by=_staff(case.organisation),
                case=case,
                offer=spec.organisation_says == OFFER,
                reason=spec.reason,
                grounds=spec.grounds,
            )
        elif spec.organisation_says == REOPEN:
            reappointment_services.case_reopen(
                by=clair,
                case=case,
                reason=spec.reason.format(**dates),
                until=participant_deadline,
            )
        if spec.participant_says:
            reappointment_services.participant_answer(
                by=case.participant,
                case=case,
                wishes_to_continue=spec.participant_says == CONTINUE,
                reason=spec.participant_reason,
            )
    return round_


def seed(stdout) -> None:
    current = ProgrammeYear.objects.get(is_current=True)
    cal = demo_calendar()
    password = make_password(settings.DEMO_PASSWORD)
    added = sum(seed_person(spec, n, password, current, cal) for n, spec in enumerate(PEOPLE))
    round_ = seed_round(current, cal)
    if added or round_:
        cases = ReappointmentCase.objects.filter(round__programme_year=current).count()
        stdout.write(
            f"CLAIR: the re-appointment round for {current.year} is open with {cases} cases "
            f"({added} participants from earlier years added); `participant` and co.hyogo "
            f"({HYOGO}) still have their answers to give; jet.<first>.<last> accounts "
            "(e.g. jet.hannah.price) are participants elsewhere."
        )
