"""factory_boy factories: one per model a test builds, minimal valid defaults, traits for
states (`ApplicationFactory(forwarded=True)`).

Rows come straight from the tables, as a test of a rule wants them; where who may see a
row is under test, build it through the domain's service (which grants what the path
grants) or grant it here with `access.grant` and say so. Organisations and staff are the
exception: they go through apps.core.services, since an organisation without its groups
and kind permissions is not one the application could have.

Programme years are far in the future (2090 on), so a test's rows never mix with the
demo world's years.
"""

import datetime as dt
import secrets

import factory
from django.utils import timezone
from factory.django import DjangoModelFactory

from apps.core import services as core_services
from apps.core.models import (
    ContractingType,
    Country,
    Kind,
    Organisation,
    Prefecture,
    ProgrammeYear,
    User,
)
from apps.demo.calendar import demo_calendar
from apps.events.models import Event, Registration
from apps.finance.models import AllocationTaxRate, TravelAllowance
from apps.learning.models import CourseIntake, LibraryDocument
from apps.outreach.models import AlumniConsent, PromotionActivity, Thread
from apps.placement.models import Contract, Placement, PositionRequest, SalaryStep
from apps.reappointment.models import ReappointmentCase, ReappointmentRound
from apps.recruitment.models import AcceptanceNumber, Application, InterviewSlot
from apps.safety.models import SafetyAnswer, SafetyCheck
from apps.support.models import SubsidyClaim, SupportCase


def _now() -> dt.datetime:
    return timezone.now()


# --- core -------------------------------------------------------------------------------------


class ProgrammeYearFactory(DjangoModelFactory):
    """A programme year with the JET calendar's dates (apps/demo/calendar.py)."""

    class Meta:
        model = ProgrammeYear
        django_get_or_create = ("year",)

    year = factory.Sequence(lambda n: 2090 + n)
    is_current = False

    @classmethod
    def _create(cls, model_class, *args, **kwargs):
        dates = demo_calendar().programme_year_dates(kwargs["year"])
        return super()._create(model_class, *args, **{**dates, **kwargs})


class OrganisationFactory(DjangoModelFactory):
    """A contracting organisation (a city's board of education) unless a trait says
    otherwise; made by the service, so it has its groups and its kind's permissions."""

    class Meta:
        model = Organisation

    kind = Kind.CONTRACTING
    name_en = factory.Sequence(lambda n: f"Test City Board of Education {n}")
    name_ja = factory.Sequence(lambda n: f"テスト市教育委員会{n}")
    prefecture = factory.LazyFunction(lambda: Prefecture.objects.get(code="28"))
    municipality = "Himeji"
    contracting_type = ContractingType.MUNICIPALITY

    class Params:
        mission = factory.Trait(
            kind=Kind.MISSION,
            name_en=factory.Sequence(lambda n: f"Test Consulate-General {n}"),
            country=factory.LazyFunction(lambda: Country.objects.get(code="US")),
            prefecture=None,
            municipality="",
            contracting_type="",
        )

    @classmethod
    def _create(cls, model_class, *args, **kwargs):
        fields = {k: v for k, v in kwargs.items() if v not in (None, "")}
        return core_services.organisation_create(**fields)


class PersonFactory(DjangoModelFactory):
    """An applicant (a private person with no organisation); `participant=True` for one
    who has been placed."""

    class Meta:
        model = User
        django_get_or_create = ("username",)

    username = factory.Sequence(lambda n: f"person{n}")
    first_name = "Alex"
    last_name = factory.Sequence(lambda n: f"Rivera{n}")
    email = factory.LazyAttribute(lambda person: f"{person.username}@example.com")
    password = factory.django.Password("a-test-Password-1")
    person_role = Kind.APPLICANT
    time_zone = "America/New_York"

    class Params:
        participant = factory.Trait(person_role=Kind.PARTICIPANT, time_zone="Asia/Tokyo")


class StaffFactory(DjangoModelFactory):
    """A staff member of `organisation` (a new contracting organisation by default),
    through the membership service; `manager=True` for a manager."""

    class Meta:
        model = User
        django_get_or_create = ("username",)

    username = factory.Sequence(lambda n: f"staff{n}")
    first_name = "Haruka"
    last_name = factory.Sequence(lambda n: f"Nakamura{n}")
    email = factory.LazyAttribute(lambda person: f"{person.username}@example.jp")
    password = factory.django.Password("a-test-Password-1")
    # Not fields of the user: taken off in _create and given to the membership service.
    organisation = factory.SubFactory(OrganisationFactory)
    manager = False

    @classmethod
    def _create(cls, model_class, *args, **kwargs):
        organisation = kwargs.pop("organisation")
        manager = kwargs.pop("manager")
        user = super()._create(model_class, *args, **kwargs)
        core_services.membership_add(
            by=None, user=user, organisation=organisation, role="MANAGER" if manager else "STAFF"
        )
        return User.objects.get(pk=user.pk)  # fresh: its membership is read per object


# --- recruitment ------------------------------------------------------------------------------


class AcceptanceNumberFactory(DjangoModelFactory):
    class Meta:
        model = AcceptanceNumber

    programme_year = factory.SubFactory(ProgrammeYearFactory)
    country = factory.LazyFunction(lambda: Country.objects.get(code="US"))
    position = "ALT"
    places = 10

    class Params:
        published = factory.Trait(state=AcceptanceNumber.State.PUBLISHED)


class ApplicationFactory(DjangoModelFactory):
    """A draft application by a new applicant to a new mission; traits `submitted` and
    `forwarded` (to CLAIR) set the state and its times."""

    class Meta:
        model = Application

    number = factory.Sequence(lambda n: f"TEST-{n:07d}")
    programme_year = factory.SubFactory(ProgrammeYearFactory)
    applicant = factory.SubFactory(PersonFactory)
    mission = factory.SubFactory(OrganisationFactory, mission=True)
    country = factory.LazyAttribute(lambda application: application.mission.country)
    position = "ALT"
    family_name = factory.LazyAttribute(lambda application: application.applicant.last_name)
    given_names = factory.LazyAttribute(lambda application: application.applicant.first_name)
    email = factory.LazyAttribute(lambda application: application.applicant.email)

    class Params:
        submitted = factory.Trait(
            status=Application.Status.SUBMITTED,
            submitted_at=factory.LazyFunction(_now),
            eligibility=Application.Eligibility.ELIGIBLE,
        )
        forwarded = factory.Trait(
            status=Application.Status.FORWARDED,
            submitted_at=factory.LazyFunction(_now),
            eligibility=Application.Eligibility.ELIGIBLE,
            forwarded_at=factory.LazyFunction(_now),
        )


class InterviewSlotFactory(DjangoModelFactory):
    class Meta:
        model = InterviewSlot

    mission = factory.SubFactory(OrganisationFactory, mission=True)
    programme_year = factory.SubFactory(ProgrammeYearFactory)
    starts_at = factory.LazyFunction(lambda: _now() + dt.timedelta(days=7))
    ends_at = factory.LazyAttribute(lambda slot: slot.starts_at + dt.timedelta(minutes=30))
    location = "Embassy of Japan, meeting room 2"


# --- placement --------------------------------------------------------------------------------


class SalaryStepFactory(DjangoModelFactory):
    class Meta:
        model = SalaryStep
        django_get_or_create = ("programme_year", "contract_year")

    programme_year = factory.SubFactory(ProgrammeYearFactory)
    contract_year = 1
    annual_yen = 3_360_000


class PositionRequestFactory(DjangoModelFactory):
    """A requested ALT seat at a senior high school; `approved=True` once MIC approved."""

    class Meta:
        model = PositionRequest

    programme_year = factory.SubFactory(ProgrammeYearFactory)
    organisation = factory.SubFactory(OrganisationFactory)
    prefecture = factory.LazyAttribute(lambda position: position.organisation.prefecture)
    type = "ALT"
    school_level = PositionRequest.SchoolLevel.SENIOR_HIGH
    base = factory.Sequence(lambda n: f"Test Senior High School {n}")
    municipality = "Himeji"
    location = "SEMI_URBAN"
    housing = PositionRequest.Housing.PROVIDED

    class Params:
        approved = factory.Trait(
            state=PositionRequest.State.APPROVED, reviewed_at=factory.LazyFunction(_now)
        )


class PlacementFactory(DjangoModelFactory):
    """A forwarded candidate placed in an approved position of the same year;
    `accepted=True` once both the organisation and the candidate said yes."""

    class Meta:
        model = Placement

    application = factory.SubFactory(ApplicationFactory, forwarded=True)
    position = factory.SubFactory(
        PositionRequestFactory,
        approved=True,
        programme_year=factory.SelfAttribute("..application.programme_year"),
    )
    confirmed_by = factory.SubFactory(StaffFactory)

    class Params:
        accepted = factory.Trait(
            status=Placement.Status.ACCEPTED, decided_at=factory.LazyFunction(_now)
        )


class ContractFactory(DjangoModelFactory):
    """Contract year 1 of an accepted placement, from Group A's departure for a year;
    `in_force=True` when signed and countersigned."""

    class Meta:
        model = Contract

    placement = factory.SubFactory(PlacementFactory, accepted=True)
    version = 1
    contract_year = 1
    start_date = factory.LazyAttribute(
        lambda contract: contract.placement.application.programme_year.departure_group_a
    )
    end_date = factory.LazyAttribute(
        lambda contract: (
            contract.start_date.replace(year=contract.start_date.year + 1) - dt.timedelta(days=1)
        )
    )
    remuneration = 3_360_000

    class Params:
        in_force = factory.Trait(
            status=Contract.Status.IN_FORCE,
            participant_signature="Alex Rivera",
            participant_signed_at=factory.LazyFunction(_now),
            countersigned_at=factory.LazyFunction(_now),
        )


# --- events, re-appointment -------------------------------------------------------------------


class EventFactory(DjangoModelFactory):
    """An information session of a new mission, a month ahead, for applicants."""

    class Meta:
        model = Event

    programme_year = factory.SubFactory(ProgrammeYearFactory)
    kind = Event.Kind.INFORMATION_SESSION
    organiser = factory.SubFactory(OrganisationFactory, mission=True)
    title_en = factory.Sequence(lambda n: f"Information session {n}")
    title_ja = factory.Sequence(lambda n: f"説明会{n}")
    time_zone = "America/New_York"
    starts_at = factory.LazyFunction(lambda: _now() + dt.timedelta(days=30))
    ends_at = factory.LazyAttribute(lambda event: event.starts_at + dt.timedelta(hours=2))
    audience = Event.Audience.APPLICANTS


class RegistrationFactory(DjangoModelFactory):
    class Meta:
        model = Registration

    event = factory.SubFactory(EventFactory)
    person = factory.SubFactory(PersonFactory)
    state = Registration.State.REGISTERED


class ReappointmentRoundFactory(DjangoModelFactory):
    """An open round with its three deadlines ahead, in order."""

    class Meta:
        model = ReappointmentRound

    programme_year = factory.SubFactory(ProgrammeYearFactory)
    organisation_deadline = factory.LazyFunction(lambda: _now() + dt.timedelta(days=14))
    participant_deadline = factory.LazyFunction(lambda: _now() + dt.timedelta(days=28))
    confirmation_deadline = factory.LazyFunction(lambda: _now() + dt.timedelta(days=42))
    opened_by = factory.SubFactory(StaffFactory)


class ReappointmentCaseFactory(DjangoModelFactory):
    """The case of an in-force contract in an open round: nobody has answered yet."""

    class Meta:
        model = ReappointmentCase

    round = factory.SubFactory(ReappointmentRoundFactory)
    contract = factory.SubFactory(ContractFactory, in_force=True)
    placement = factory.SelfAttribute("contract.placement")
    participant = factory.SelfAttribute("contract.placement.application.applicant")
    organisation = factory.SelfAttribute("contract.placement.position.organisation")
    contract_year = factory.SelfAttribute("contract.contract_year")
    years_so_far = factory.SelfAttribute("contract.contract_year")
    may_continue = True


# --- support, learning, outreach --------------------------------------------------------------


class SupportCaseFactory(DjangoModelFactory):
    class Meta:
        model = SupportCase

    participant = factory.SubFactory(PersonFactory, participant=True)
    category = SupportCase.Category.WORK
    subject = "Overtime at the base school"


class SubsidyClaimFactory(DjangoModelFactory):
    """Half of an ¥8,000 session, in the session's fiscal year."""

    class Meta:
        model = SubsidyClaim

    participant = factory.SubFactory(PersonFactory, participant=True)
    organisation = factory.SubFactory(OrganisationFactory)
    session_date = factory.LazyFunction(lambda: timezone.localdate() - dt.timedelta(days=7))
    fiscal_year = factory.LazyAttribute(
        lambda claim: claim.session_date.year - (claim.session_date.month < 4)
    )
    cost = 8000
    amount = 4000


class CourseIntakeFactory(DjangoModelFactory):
    """A beginners' intake taking enrolments now."""

    class Meta:
        model = CourseIntake

    level = CourseIntake.Level.BEGINNER
    title_en = factory.Sequence(lambda n: f"Beginner Japanese {n}")
    enrol_opens = factory.LazyFunction(lambda: _now() - dt.timedelta(days=7))
    enrol_closes = factory.LazyFunction(lambda: _now() + dt.timedelta(days=21))
    capacity = 30
    starts_on = factory.LazyFunction(lambda: timezone.localdate() + dt.timedelta(days=30))
    ends_on = factory.LazyAttribute(lambda intake: intake.starts_on + dt.timedelta(days=180))


class LibraryDocumentFactory(DjangoModelFactory):
    class Meta:
        model = LibraryDocument

    publisher = factory.LazyFunction(lambda: Organisation.objects.get(kind=Kind.CLAIR))
    kind = LibraryDocument.Kind.HANDBOOK
    audience = LibraryDocument.Audience.CONTRACTING
    title_en = factory.Sequence(lambda n: f"Handbook {n}")


class ThreadFactory(DjangoModelFactory):
    class Meta:
        model = Thread

    subject = factory.Sequence(lambda n: f"Placement timetable {n}")
    created_by = factory.SubFactory(StaffFactory)


class PromotionActivityFactory(DjangoModelFactory):
    class Meta:
        model = PromotionActivity

    organisation = factory.SubFactory(OrganisationFactory, mission=True)
    kind = PromotionActivity.Kind.FAIR
    title = factory.Sequence(lambda n: f"Study abroad fair {n}")
    starts_on = factory.LazyFunction(timezone.localdate)
    ends_on = factory.SelfAttribute("starts_on")
    created_by = factory.SubFactory(StaffFactory)


class AlumniConsentFactory(DjangoModelFactory):
    """A leaving participant's standing consent to alumni contact, seen by their mission."""

    class Meta:
        model = AlumniConsent

    participant = factory.SubFactory(PersonFactory, participant=True)
    mission = factory.SubFactory(OrganisationFactory, mission=True)
    contact_email = factory.LazyAttribute(lambda consent: consent.participant.email)
    years = 1
    prefecture_en = "Hyogo"
    prefecture_ja = "兵庫県"

    class Params:
        withdrawn = factory.Trait(withdrawn_at=factory.LazyFunction(_now))


# --- safety, finance --------------------------------------------------------------------------


class SafetyCheckFactory(DjangoModelFactory):
    """An open earthquake check started an hour ago; `closed=True` once closed."""

    class Meta:
        model = SafetyCheck

    kind = SafetyCheck.Kind.EARTHQUAKE
    title_en = "Earthquake in northern Hyogo"
    message_en = "Tell us you are safe."
    started_by = factory.SubFactory(StaffFactory)
    started_at = factory.LazyFunction(lambda: _now() - dt.timedelta(hours=1))

    class Params:
        closed = factory.Trait(state=SafetyCheck.State.CLOSED, closed_at=factory.LazyFunction(_now))


class SafetyAnswerFactory(DjangoModelFactory):
    """A participant's unanswered place in a check, with their organisation."""

    class Meta:
        model = SafetyAnswer

    safety_check = factory.SubFactory(SafetyCheckFactory)
    participant = factory.SubFactory(PersonFactory, participant=True)
    organisation = factory.SubFactory(OrganisationFactory)
    prefecture = factory.LazyAttribute(lambda answer: answer.organisation.prefecture)
    country = factory.LazyFunction(lambda: Country.objects.get(code="US"))
    token = factory.LazyFunction(lambda: secrets.token_urlsafe(32))


class TravelAllowanceFactory(DjangoModelFactory):
    class Meta:
        model = TravelAllowance

    programme_year = factory.SubFactory(ProgrammeYearFactory)
    country = factory.LazyFunction(lambda: Country.objects.get(code="US"))
    return_airfare_yen = 240_000


class AllocationTaxRateFactory(DjangoModelFactory):
    class Meta:
        model = AllocationTaxRate

    programme_year = factory.SubFactory(ProgrammeYearFactory)
    base_per_organisation = 1_200_000
    per_participant = 4_820_000
