"""Writes of recruitment, each asking the access rule who may make it:

- MIC sets and publishes the acceptance numbers and guidelines (the missions of each
  country may then read theirs);
- an applicant opens, fills in, submits, withdraws their own application, books an
  interview and answers the offer;
- a mission (embassy or consulate) reviews, scores, interviews and decides the
  applications submitted to it, releases its results at once and hands the candidates
  who accepted to CLAIR.

A refusal by the access rule is a 403 with the message given here, the same on the
pages and in the API; a refusal by the rules of the flow is a DomainError.
"""

import datetime
import hashlib
import secrets
from datetime import date
from decimal import ROUND_HALF_UP, Decimal

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import Avg
from django.urls import reverse
from django.utils import formats, timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from apps.core import access
from apps.core.errors import DomainError
from apps.core.models import Country, Kind, Organisation, ProgrammeYear, User
from apps.core.selectors import organisation_staff
from apps.core.services import person_time_zone_default
from apps.core.uploads import EXTENSIONS, check_upload
from apps.notifications.models import Notification
from apps.notifications.services import (
    notification_email_record,
    notification_record,
    notifications_record,
)
from apps.recruitment import eligibility
from apps.recruitment.choices import Position
from apps.recruitment.models import (
    AcceptanceNumber,
    AlternateRequest,
    Application,
    ApplicationDocument,
    Education,
    InterviewBooking,
    InterviewSlot,
    Referee,
    ReplyForm,
    ResultRelease,
    RubricCriterion,
    Score,
    ScoreRevision,
)
from apps.recruitment.schedule import booking_uid

Status = Application.Status
DocKind = ApplicationDocument.Kind
Verification = ApplicationDocument.Verification

STATEMENT_MAX_CHARS = 6000  # about two pages
# After submission only contact details may change (reference/jet-facts.md).
CONTACT_FIELDS = {"email", "phone", "address"}
APPLICATION_FIELDS = {
    "family_name",
    "given_names",
    "name_japanese",
    "date_of_birth",
    "citizenship",
    "other_citizenship",
    "email",
    "phone",
    "address",
    "japanese_level",
    "teaching_experience",
    "qualifications",
    "driving_licence",
    "preference_1",
    "preference_2",
    "preference_3",
    "location_preference",
    "partner_number",
    "previous_jet",
    "previous_jet_years",
    "previous_jet_left_year",
    "declined_last_year",
    "years_in_japan_last_10",
    "statement_of_purpose",
}


# --- MIC: acceptance numbers and guidelines ----------------------------------------------


@transaction.atomic
def acceptance_number_set(
    *,
    by: User,
    programme_year: ProgrammeYear,
    country: Country,
    position: str,
    places: int,
    guideline_en: str | None = None,
    guideline_ja: str | None = None,
) -> AcceptanceNumber:
    """Create or change the number of places; a published number stays published.
    A guideline left out (None) keeps its text."""
    access.require_allowed(by, "change", AcceptanceNumber, _("Only MIC sets acceptance numbers."))
    if position not in Position.values:
        raise DomainError(_("Unknown position."), field="position")
    if places < 0:
        raise DomainError(_("The number of places cannot be negative."), field="places")
    number, _created = AcceptanceNumber.objects.select_for_update().get_or_create(
        programme_year=programme_year,
        country=country,
        position=position,
        defaults={
            "places": places,
            "guideline_en": guideline_en or "",
            "guideline_ja": guideline_ja or "",
        },
    )
    if not _created:
        held = Application.objects.filter(
            programme_year=programme_year,
            country=country,
            position=position,
            status__in=Application.HOLDS_PLACE,
        ).count()
        if places < held:
            raise DomainError(
                _(
                    "%(held)s candidates are already shortlisted for this country and "
                    "position; the number cannot be lower."
                )
                % {"held": held},
                field="places",
            )
        number.places = places
        if guideline_en is not None:
            number.guideline_en = guideline_en
        if guideline_ja is not None:
            number.guideline_ja = guideline_ja
        number.save()
    return number


@transaction.atomic
def acceptance_numbers_publish(*, by: User, numbers: list[AcceptanceNumber]) -> int:
    """Publish drafts: the missions of each country may then read them, and are told."""
    access.require_allowed(by, "change", AcceptanceNumber, _("Only MIC sets acceptance numbers."))
    published = 0
    by_country: dict[str, list[AcceptanceNumber]] = {}
    locked = AcceptanceNumber.objects.select_for_update().filter(pk__in=[n.pk for n in numbers])
    for number in locked.select_related("country", "programme_year"):
        if number.state == AcceptanceNumber.State.PUBLISHED:
            continue
        number.state = AcceptanceNumber.State.PUBLISHED
        number.published_at = timezone.now()
        number.save(update_fields=["state", "published_at", "updated_at"])
        published += 1
        by_country.setdefault(number.country_id, []).append(number)
    for country_code, country_numbers in by_country.items():
        missions = list(Organisation.objects.filter(kind=Kind.MISSION, country_id=country_code))
        for number in country_numbers:
            for mission in missions:
                access.grant("view", number, mission)
        staff = [u for mission in missions for u in organisation_staff(organisation=mission)]
        year = country_numbers[0].programme_year.year
        country = country_numbers[0].country
        notifications_record(
            recipients=staff,
            kind="numbers_published",
            context={
                "year": year,
                "country_en": country.name_en,
                "country_ja": country.name_ja,
                "places": {n.position: n.places for n in country_numbers},
            },
            key="numbers_published:" + ",".join(str(n.pk) for n in country_numbers),
        )
    return published


def _lock(application: Application) -> Application:
    return Application.objects.select_for_update().get(pk=application.pk)


def _mission_context(application: Application) -> dict:
    return {
        "application": application.pk,
        "number": application.number,
        # Whose notice it is: its own wording, if the mission has one (NoticeTemplate).
        "mission_id": application.mission_id,
        "mission_en": application.mission.name_en,
        "mission_ja": application.mission.name_ja,
        "year": application.programme_year.year,
    }


# --- the applicant ---------------------------------------------------------------------


@transaction.atomic
def application_start(
    *, by: User, programme_year: ProgrammeYear, mission: Organisation, position: str
) -> Application:
    """Open a draft. The applicant alone may see it until they submit."""
    access.require_allowed(by, "add", Application, _("Only an applicant account can apply."))
    if mission.kind != Kind.MISSION:
        raise DomainError(_("Choose the embassy or consulate you apply through."), field="mission")
    if position not in (Position.ALT, Position.CIR):
        raise DomainError(_("Apply as an ALT or a CIR."), field="position")
    if timezone.now() < programme_year.applications_open:
        raise DomainError(_("Applications for this programme year are not open yet."))
    if timezone.now() > programme_year.application_deadline:
        raise DomainError(_("The application deadline for this programme year has passed."))
    if (
        Application.objects.filter(applicant=by, programme_year=programme_year)
        .exclude(status=Status.WITHDRAWN)
        .exists()
    ):
        raise DomainError(_("You already have an application for this programme year."))
    application = Application.objects.create(
        number=f"TMP-{secrets.token_hex(6)}",
        programme_year=programme_year,
        applicant=by,
        mission=mission,
        country=mission.country,
        position=position,
        email=by.email,
        family_name=by.last_name,
        given_names=by.first_name,
    )
    application.number = f"JET{programme_year.year % 100:02d}-{application.pk:07d}"
    application.save(update_fields=["number"])
    # The mission's zone is the applicant's from now on, unless they chose their own.
    person_time_zone_default(user=by, organisation=mission)
    access.grant_user("view", application, by)
    access.grant_user("change", application, by)
    return application


def _require_owner(by: User, application: Application) -> None:
    """The applicant's own actions: they alone hold the change grant on it."""
    access.require(by, "change", application, _("Only the applicant may change this application."))


@transaction.atomic
def application_update(*, by: User, application: Application, **fields) -> Application:
    _require_owner(by, application)
    application = _lock(application)
    unknown = set(fields) - APPLICATION_FIELDS
    if unknown:
        raise DomainError(_("Unknown fields: %(fields)s") % {"fields": ", ".join(sorted(unknown))})
    if application.status != Status.DRAFT and set(fields) - CONTACT_FIELDS:
        raise DomainError(
            _("After submission only your contact details (email, phone, address) may change.")
        )
    statement = fields.get("statement_of_purpose")
    if statement is not None and len(statement) > STATEMENT_MAX_CHARS:
        raise DomainError(
            _("The statement of purpose is %(length)s characters; the limit is %(limit)s.")
            % {"length": len(statement), "limit": STATEMENT_MAX_CHARS},
            field="statement_of_purpose",
        )
    dob = fields.get("date_of_birth")
    if dob is not None and dob >= timezone.localdate():
        raise DomainError(_("The date of birth must be in the past."), field="date_of_birth")
    if dob is not None and dob.year < 1900:
        raise DomainError(_("Check the date of birth."), field="date_of_birth")
    prefs = [
        fields.get(f"preference_{i}", getattr(application, f"preference_{i}")) for i in (1, 2, 3)
    ]
    chosen = [p for p in prefs if p]
    if len(chosen) != len(set(chosen)):
        raise DomainError(_("Choose three different placement preferences."), field="preference_2")
    left = fields.get("previous_jet_left_year")
    if left is not None and left > timezone.localdate().year:
        raise DomainError(
            _("The year you left the programme cannot be in the future."),
            field="previous_jet_left_year",
        )
    for name, value in fields.items():
        setattr(application, name, value)
    application.save()
    return application


@transaction.atomic
def application_change_mission(
    *, by: User, application: Application, mission: Organisation, position: str
) -> Application:
    _require_owner(by, application)
    application = _lock(application)
    if application.status != Status.DRAFT:
        raise DomainError(_("The embassy or consulate cannot change after submission."))
    if mission.kind != Kind.MISSION or position not in (Position.ALT, Position.CIR):
        raise DomainError(_("Choose an embassy or consulate and a position."))
    application.mission = mission
    application.country = mission.country
    application.position = position
    application.save(update_fields=["mission", "country", "position", "updated_at"])
    return application


@transaction.atomic
def education_add(
    *,
    by: User,
    application: Application,
    institution: str,
    degree: str,
    graduation_date: date,
    field_of_study: str = "",
) -> Education:
    _require_owner(by, application)
    if application.status != Status.DRAFT:
        raise DomainError(_("Education cannot change after submission."))
    if not institution.strip():
        raise DomainError(_("Name the institution."), field="institution")
    if graduation_date.year < 1950 or graduation_date > date(timezone.now().year + 6, 12, 31):
        raise DomainError(_("Check the graduation date."), field="graduation_date")
    return Education.objects.create(
        application=application,
        institution=institution.strip(),
        degree=degree,
        graduation_date=graduation_date,
        field_of_study=field_of_study,
    )


@transaction.atomic
def education_remove(*, by: User, education: Education) -> None:
    _require_owner(by, education.application)
    if education.application.status != Status.DRAFT:
        raise DomainError(_("Education cannot change after submission."))
    education.delete()


@transaction.atomic
def document_upload(
    *, by: User, application: Application, kind: str, uploaded
) -> ApplicationDocument:
    """Store a document checked by content. Replacing one whose correction was asked for
    keeps the old one as history."""
    _require_owner(by, application)
    if kind not in DocKind.values or kind == DocKind.REFERENCE:
        raise DomainError(_("Choose which document this is."), field="kind")
    content_type = check_upload(uploaded)
    application = _lock(application)
    current = (
        application.documents.filter(kind=kind)
        .exclude(verification=Verification.REPLACED)
        .order_by("-uploaded_at")
    )
    replaces = None
    if kind in ApplicationDocument.FOLLOW_UP:
        if application.status not in (Status.SHORTLISTED, Status.FORWARDED) or not (
            application.results_visible
        ):
            raise DomainError(_("Follow-up documents are asked for after shortlisting."))
    elif application.status != Status.DRAFT:
        replaces = current.filter(verification=Verification.CORRECTION_REQUESTED).first()
        if replaces is None:
            raise DomainError(
                _("After submission a document can only be replaced when the mission asks for it.")
            )
    elif kind != DocKind.CERTIFICATE:
        replaces = current.first()
    document = ApplicationDocument(
        application=application,
        kind=kind,
        original_name=(uploaded.name or "document")[-200:],
        content_type=content_type,
        size=uploaded.size,
        uploaded_by=by,
    )
    document.file.save(f"upload.{EXTENSIONS[content_type]}", uploaded, save=False)
    document.save()
    if replaces is not None:
        replaces.verification = Verification.REPLACED
        replaces.save(update_fields=["verification"])
        document.replaces = replaces
        document.save(update_fields=["replaces"])
    return document


def _token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


@transaction.atomic
def referee_add(
    *, by: User, application: Application, name: str, email: str, relationship: str = ""
) -> Referee:
    """Name a referee; they get a private single-use link by email."""
    _require_owner(by, application)
    if application.status != Status.DRAFT:
        raise DomainError(_("Referees are named before submission."))
    if application.referees.count() >= 2:
        raise DomainError(_("Name two referees, no more."))
    if not name.strip() or "@" not in email:
        raise DomainError(_("Give the referee's name and email address."))
    token = secrets.token_urlsafe(32)
    referee = Referee.objects.create(
        application=application,
        name=name.strip(),
        email=email.strip(),
        relationship=relationship,
        token_hash=_token_hash(token),
        invited_at=timezone.now(),
    )
    notification_email_record(
        email=referee.email,
        language=application.applicant.language,
        kind="reference_requested",
        context={
            "referee": referee.name,
            "applicant": application.full_name or application.applicant.get_full_name(),
            "link": settings.SITE_URL + reverse("mofa:referee-upload", kwargs={"token": token}),
        },
        key=f"reference_requested:{referee.pk}",
    )
    return referee


def referee_for_token(token: str) -> Referee | None:
    return (
        Referee.objects.select_related("application")
        .filter(token_hash=_token_hash(token), submitted_at__isnull=True)
        .first()
    )


@transaction.atomic
def referee_letter_submit(*, token: str, uploaded) -> Referee:
    referee = referee_for_token(token)
    if referee is None:
        raise DomainError(_("This link has been used or is not valid."))
    referee = Referee.objects.select_for_update().get(pk=referee.pk)
    if referee.submitted_at is not None:
        raise DomainError(_("This link has been used or is not valid."))
    content_type = check_upload(uploaded)
    document = ApplicationDocument(
        application=referee.application,
        kind=DocKind.REFERENCE,
        original_name=(uploaded.name or "reference")[-200:],
        content_type=content_type,
        size=uploaded.size,
    )
    document.file.save(f"reference.{EXTENSIONS[content_type]}", uploaded, save=False)
    document.save()
    referee.letter = document
    referee.submitted_at = timezone.now()
    referee.save(update_fields=["letter", "submitted_at"])
    return referee


def missing_parts(application: Application) -> list[str]:
    """Every part still missing before the application can be submitted."""
    missing = []
    required = {
        "family_name": _("Family name"),
        "given_names": _("Given names"),
        "date_of_birth": _("Date of birth"),
        "citizenship": _("Citizenship"),
        "email": _("Email"),
        "phone": _("Phone"),
        "address": _("Postal address"),
        "japanese_level": _("Japanese ability"),
        "driving_licence": _("Driving licence"),
        "preference_1": _("First placement preference"),
        "location_preference": _("Urban or rural preference"),
        "statement_of_purpose": _("Statement of purpose"),
    }
    for name, label in required.items():
        if not getattr(application, name if name != "citizenship" else "citizenship_id"):
            missing.append(str(label))
    if not application.education.exists():
        missing.append(_("Education: at least one institution"))
    present = set(
        application.documents.exclude(verification=Verification.REPLACED).values_list(
            "kind", flat=True
        )
    )
    for kind in ApplicationDocument.REQUIRED:
        if kind not in present:
            missing.append(str(DocKind(kind).label))
    if application.referees.count() < 2:
        missing.append(_("Two referees"))
    if application.partner_number and application.partner_id is None:
        missing.append(_("Partner's application number (not found)"))
    return missing


def _eligibility(application: Application) -> list[dict]:
    year = application.programme_year
    others = list(
        Application.objects.filter(applicant=application.applicant, programme_year=year)
        .exclude(pk=application.pk)
        .exclude(status__in=(Status.WITHDRAWN, Status.DRAFT))
        .exclude(position=application.position)
        .values_list("position", flat=True)
    )
    degrees = [
        e.graduation_date for e in application.education.all() if e.degree != Education.Degree.OTHER
    ]
    return eligibility.check(
        eligibility.Applicant(
            mission_country=application.country_id,
            citizenship=application.citizenship_id,
            other_citizenship=application.other_citizenship,
            degree_dates=degrees,
            previous_jet=application.previous_jet,
            previous_jet_years=application.previous_jet_years,
            previous_jet_left_year=application.previous_jet_left_year,
            declined_last_year=application.declined_last_year,
            years_in_japan_last_10=application.years_in_japan_last_10,
            other_positions_this_year=others,
        ),
        eligibility.Rules(programme_year=year.year, degree_deadline=year.degree_deadline),
    )


@transaction.atomic
def application_submit(*, by: User, application: Application) -> Application:
    """Submit before the deadline with nothing missing; the eligibility check runs and
    records each reason; the mission may now see and review the application."""
    _require_owner(by, application)
    application = _lock(application)
    if application.status != Status.DRAFT:
        raise DomainError(_("This application has already been submitted."))
    if timezone.now() > application.programme_year.application_deadline:
        raise DomainError(_("The application deadline has passed; it can no longer be submitted."))
    if application.partner_number:
        application.partner = (
            Application.objects.filter(
                number=application.partner_number, programme_year=application.programme_year
            )
            .exclude(pk=application.pk)
            .first()
        )
    missing = missing_parts(application)
    if missing:
        raise DomainError(
            _("The application is not complete. Missing: %(parts)s.")
            % {"parts": "; ".join(missing)}
        )
    reasons = _eligibility(application)
    application.eligibility_reasons = reasons
    application.eligibility = (
        Application.Eligibility.INELIGIBLE if reasons else Application.Eligibility.ELIGIBLE
    )
    application.status = Status.SUBMITTED
    application.submitted_at = timezone.now()
    application.save()
    mission = application.mission
    for perm in ("view", "review_application", "decide_application"):
        access.grant(perm, application, mission)
    access.grant("view_medical_application", application, mission, managers_only=True)
    notification_record(
        recipient=application.applicant,
        kind="application_submitted",
        context=_mission_context(application),
        key=f"application_submitted:{application.pk}",
    )
    return application


@transaction.atomic
def application_withdraw(*, by: User, application: Application) -> Application:
    _require_owner(by, application)
    application = _lock(application)
    if not application.withdrawable:
        raise DomainError(_("This application can no longer be withdrawn."))
    was_holding = application.status in Application.HOLDS_PLACE
    application.status = Status.WITHDRAWN
    application.alternate_rank = None
    application.withdrawn_at = timezone.now()
    application.save()
    if was_holding:
        _tell_mission_a_place_is_free(application)
    return application


def _tell_mission_a_place_is_free(application: Application) -> None:
    staff = list(organisation_staff(organisation=application.mission))
    notifications_record(
        recipients=staff,
        kind="place_freed",
        context={**_mission_context(application), "position": application.position},
        key=f"place_freed:{application.pk}:{application.status}",
    )


@transaction.atomic
def reply_submit(
    *,
    by: User,
    application: Application,
    answer: str,
    departure_airport: str = "",
    dependants: int = 0,
    passport_number: str = "",
    passport_expiry: date | None = None,
) -> ReplyForm:
    """The shortlisted candidate accepts or declines the offer by the reply deadline."""
    _require_owner(by, application)
    application = _lock(application)
    if application.status != Status.SHORTLISTED or not application.results_visible:
        raise DomainError(_("There is no offer to answer."))
    if hasattr(application, "reply"):
        raise DomainError(_("You have already answered."))
    due = application.reply_due or application.programme_year.reply_deadline
    if timezone.localdate() > due:
        raise DomainError(_("The reply deadline has passed; contact your embassy or consulate."))
    if answer == ReplyForm.Answer.ACCEPT:
        if not departure_airport.strip():
            raise DomainError(_("Name your departure airport."), field="departure_airport")
        if not passport_number.strip():
            raise DomainError(_("Give your passport number."), field="passport_number")
        if passport_expiry is None or passport_expiry <= timezone.localdate():
            raise DomainError(
                _("The passport must still be valid; check its expiry date."),
                field="passport_expiry",
            )
    elif answer != ReplyForm.Answer.DECLINE:
        raise DomainError(_("Accept or decline the offer."), field="answer")
    reply = ReplyForm.objects.create(
        application=application,
        answer=answer,
        departure_airport=departure_airport,
        dependants=dependants,
        passport_number=passport_number,
        passport_expiry=passport_expiry,
    )
    if answer == ReplyForm.Answer.DECLINE:
        application.status = Status.DECLINED
        application.save(update_fields=["status", "updated_at"])
        _tell_mission_a_place_is_free(application)
    return reply


@transaction.atomic
def interview_book(*, by: User, application: Application, slot: InterviewSlot) -> InterviewBooking:
    """The applicant (or mission staff for them) takes a place in an interview slot."""
    access.require(by, "book", application, _("You cannot book an interview for this application."))
    application = _lock(application)
    is_owner = application.applicant_id == by.pk
    if application.status != Status.INTERVIEW:
        raise DomainError(_("Only applicants invited to interview can book a slot."))
    if slot.mission_id != application.mission_id:
        raise DomainError(_("That slot belongs to another embassy or consulate."))
    slot = InterviewSlot.objects.select_for_update().get(pk=slot.pk)
    if is_owner and slot.starts_at <= timezone.now():
        raise DomainError(_("That interview time has passed."))
    taken = slot.bookings.exclude(application=application).count()
    if taken >= slot.capacity:
        raise DomainError(_("That slot is full. Choose another time."))
    booking, _created = InterviewBooking.objects.update_or_create(
        application=application, defaults={"slot": slot, "booked_by": by}
    )
    # The email carries a calendar invitation (.ics); a change of time updates the same
    # calendar entry (one UID per booking, each invitation one SEQUENCE later).
    sent = Notification.objects.filter(
        recipient=application.applicant,
        kind="interview_booked",
        context__invitation__uid=booking_uid(booking),
    ).count()
    notification_record(
        recipient=application.applicant,
        kind="interview_booked",
        context={
            **_mission_context(application),
            "starts_at": slot.starts_at.isoformat(),
            "location": slot.location,
            "online_url": slot.online_url,
            "invitation": {
                "uid": booking_uid(booking),
                "sequence": sent,
                "starts_at": slot.starts_at.isoformat(),
                "ends_at": slot.ends_at.isoformat(),
                "location": slot.location,
                "online_url": slot.online_url,
            },
        },
        key=f"interview_booked:{booking.pk}:{slot.pk}",
    )
    return booking


# --- the mission -----------------------------------------------------------------------


def _require(by: User, perm: str, application: Application) -> None:
    access.require(by, perm, application, _("You are not allowed to do this for this application."))


@transaction.atomic
def rubric_criterion_add(
    *,
    by: User,
    mission: Organisation,
    programme_year: ProgrammeYear,
    name_en: str,
    name_ja: str = "",
    weight: int = 1,
    max_score: int = 5,
) -> RubricCriterion:
    """A manager of `mission` adds a criterion to its rubric for the year."""
    refusal = _("Only the mission's managers set its rubric.")
    access.require_allowed(by, "add", RubricCriterion, refusal)
    if weight < 1 or max_score < 1:
        raise DomainError(_("Weight and highest score must be at least 1."))
    order = RubricCriterion.objects.filter(mission=mission, programme_year=programme_year).count()
    criterion = RubricCriterion.objects.create(
        mission=mission,
        programme_year=programme_year,
        name_en=name_en,
        name_ja=name_ja,
        weight=weight,
        max_score=max_score,
        order=order,
    )
    # Checked again once written: it must be a rubric of the manager's own mission (the
    # refusal undoes the row with the transaction).
    access.require(by, "add", criterion, refusal)
    return criterion


@transaction.atomic
def reviewers_assign(*, by: User, applications: list[Application], reviewer: User) -> int:
    """Give applications to a reviewer, who must be able to review each of them."""
    count = 0
    for application in applications:
        _require(by, "review_application", application)
        if not access.can(reviewer, "review_application", application):
            raise DomainError(_("Reviewers are staff of the embassy or consulate."))
        application.reviewers.add(reviewer)
        count += 1
    return count


def _weighted_total(criteria: list[RubricCriterion], points: dict) -> Decimal:
    weights = sum(c.weight for c in criteria)
    total = Decimal(0)
    for criterion in criteria:
        value = points.get(str(criterion.pk))
        if value is None:
            raise DomainError(
                _("Score every criterion: %(name)s is missing.") % {"name": criterion.name}
            )
        value = int(value)
        if not 0 <= value <= criterion.max_score:
            raise DomainError(
                _("%(name)s is scored from 0 to %(max)s.")
                % {"name": criterion.name, "max": criterion.max_score}
            )
        total += Decimal(value) / criterion.max_score * criterion.weight
    return (total / weights * 100).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)


@transaction.atomic
def score_record(
    *, by: User, application: Application, stage: str, points: dict, comment: str = ""
) -> Score:
    """A reviewer scores an application once per stage on the mission's rubric."""
    _require(by, "review_application", application)
    application = _lock(application)
    if application.status in (Status.DRAFT, Status.WITHDRAWN):
        raise DomainError(_("This application is not open for review."))
    if stage == Score.Stage.INTERVIEW:
        booking = getattr(application, "interview", None)
        if booking is None:
            raise DomainError(_("The applicant has no interview booked."))
        if not booking.slot.panel.filter(pk=by.pk).exists():
            raise DomainError(_("Only members of the interview panel score the interview."))
    criteria = list(
        RubricCriterion.objects.filter(
            mission=application.mission, programme_year=application.programme_year
        )
    )
    if not criteria:
        raise DomainError(_("The mission has no rubric for this year yet."))
    total = _weighted_total(criteria, {str(k): v for k, v in points.items()})
    try:
        with transaction.atomic():
            score = Score.objects.create(
                application=application,
                reviewer=by,
                stage=stage,
                points={str(k): int(v) for k, v in points.items()},
                total=total,
                comment=comment,
            )
    except IntegrityError:
        raise DomainError(_("You have already scored this application at this stage.")) from None
    _update_average(application, stage)
    return score


def _update_average(application: Application, stage: str) -> None:
    average = application.scores.filter(stage=stage).aggregate(avg=Avg("total"))["avg"]
    field = "screening_average" if stage == Score.Stage.SCREENING else "interview_average"
    setattr(application, field, Decimal(average).quantize(Decimal("0.01")))
    application.save(update_fields=[field, "updated_at"])


@transaction.atomic
def score_correct(
    *, by: User, score: Score, points: dict, comment: str | None = None, reason: str
) -> Score:
    """A reviewer corrects their own recorded score, saying why. The previous points,
    total and comment are kept as a ScoreRevision, shown with the scores; the average
    follows. Closed once the results are released: the decision stands on them."""
    application = score.application
    _require(by, "review_application", application)
    if score.reviewer_id != by.pk:
        raise DomainError(_("Only the reviewer who recorded a score may correct it."))
    reason = (reason or "").strip()
    if not reason:
        raise DomainError(_("Say why the score changes."), field="reason")
    application = _lock(application)
    score = Score.objects.select_for_update().get(pk=score.pk)
    if application.status in (Status.DRAFT, Status.WITHDRAWN) or application.results_visible:
        raise DomainError(_("Scores of this application can no longer be corrected."))
    criteria = list(
        RubricCriterion.objects.filter(
            mission=application.mission, programme_year=application.programme_year
        )
    )
    if not criteria:
        raise DomainError(_("The mission has no rubric for this year yet."))
    total = _weighted_total(criteria, {str(k): v for k, v in points.items()})
    new_points = {str(k): int(v) for k, v in points.items()}
    new_comment = score.comment if comment is None else comment
    if new_points == score.points and new_comment == score.comment:
        raise DomainError(_("Nothing changed: the score is as recorded."))
    ScoreRevision.objects.create(
        score=score,
        previous_points=score.points,
        previous_total=score.total,
        previous_comment=score.comment,
        new_total=total,
        reason=reason,
        changed_by=by,
    )
    score.points = new_points
    score.total = total
    score.comment = new_comment
    score.save(update_fields=["points", "total", "comment"])
    _update_average(application, score.stage)
    return score


@transaction.atomic
def document_verify(*, by: User, document: ApplicationDocument) -> ApplicationDocument:
    _require(by, "review_application", document.application)
    document.verification = Verification.VERIFIED
    document.correction_message = ""
    document.correction_due = None
    document.save(update_fields=["verification", "correction_message", "correction_due"])
    return document


@transaction.atomic
def document_request_correction(
    *, by: User, document: ApplicationDocument, message: str, due: date
) -> ApplicationDocument:
    """Ask for a corrected document instead of dropping the application."""
    _require(by, "review_application", document.application)
    if not message.strip():
        raise DomainError(_("Say what must be corrected."), field="message")
    if due <= timezone.localdate():
        raise DomainError(_("The due date must be in the future."), field="due")
    if document.kind == DocKind.REFERENCE:
        raise DomainError(_("A reference letter is corrected by its referee, not the applicant."))
    if document.verification == Verification.REPLACED:
        raise DomainError(_("This document has been replaced; review the newer one."))
    document.verification = Verification.CORRECTION_REQUESTED
    document.correction_message = message.strip()
    document.correction_due = due
    document.save(update_fields=["verification", "correction_message", "correction_due"])
    application = document.application
    notification_record(
        recipient=application.applicant,
        kind="document_correction",
        context={
            **_mission_context(application),
            "document": document.kind,
            "message": document.correction_message,
            "due": due.isoformat(),
        },
        key=f"document_correction:{document.pk}:{timezone.now().timestamp()}",
    )
    return document


@transaction.atomic
def interview_slot_create(
    *,
    by: User,
    programme_year: ProgrammeYear,
    starts_at,
    ends_at,
    location: str = "",
    online_url: str = "",
    capacity: int = 1,
    panel: list[User] | None = None,
) -> InterviewSlot:
    """The acting mission publishes a time its panel interviews applicants."""
    access.require_allowed(
        by, "add", InterviewSlot, _("Interview slots are published by an embassy or consulate.")
    )
    mission = by.organisation
    if ends_at <= starts_at:
        raise DomainError(_("The slot must end after it starts."), field="ends_at")
    if starts_at <= timezone.now():
        raise DomainError(_("An interview slot must be in the future."), field="starts_at")
    if not location.strip() and not online_url.strip():
        raise DomainError(_("Give a place or an online meeting link."), field="location")
    if capacity < 1:
        raise DomainError(_("Capacity must be at least 1."), field="capacity")
    slot = InterviewSlot.objects.create(
        mission=mission,
        programme_year=programme_year,
        starts_at=starts_at,
        ends_at=ends_at,
        location=location,
        online_url=online_url,
        capacity=capacity,
    )
    for member in panel or []:
        if member.organisation != mission:
            raise DomainError(_("The panel is made of the mission's own staff."))
    slot.panel.set(panel or [])
    access.grant("view", slot, mission)
    access.grant("change", slot, mission)
    return slot


# A day of slots is at most this many (a 5-minute slot from 00:00 to 24:00 is 288).
SLOTS_PER_DAY_MAX = 96


@transaction.atomic
def interview_slots_create_day(
    *,
    by: User,
    programme_year: ProgrammeYear,
    day: datetime.date,
    first_start: datetime.time,
    last_end: datetime.time,
    length_minutes: int,
    location: str = "",
    online_url: str = "",
    capacity: int = 1,
    panel: list[User] | None = None,
) -> list[InterviewSlot]:
    """The acting mission publishes a day of back-to-back slots at once, in the acting
    person's time zone: from `first_start`, each `length_minutes` long, the last ending
    by `last_end`. All or nothing: a slot that overlaps one of the mission's slots
    refuses the whole day."""
    access.require_allowed(
        by, "add", InterviewSlot, _("Interview slots are published by an embassy or consulate.")
    )
    if length_minutes < 5:
        raise DomainError(_("A slot lasts at least 5 minutes."), field="length")
    zone = timezone.get_current_timezone()
    start = datetime.datetime.combine(day, first_start, tzinfo=zone)
    end = datetime.datetime.combine(day, last_end, tzinfo=zone)
    step = datetime.timedelta(minutes=length_minutes)
    if start + step > end:
        raise DomainError(_("No slot fits between these times."), field="last_end")
    times = []
    while start + step <= end:
        times.append((start, start + step))
        start += step
    if len(times) > SLOTS_PER_DAY_MAX:
        raise DomainError(
            _("That makes more than %(max)s slots; use longer slots or a shorter day.")
            % {"max": SLOTS_PER_DAY_MAX},
            field="length",
        )
    mission = by.organisation
    clash = (
        InterviewSlot.objects.select_for_update()
        .filter(mission=mission, starts_at__lt=times[-1][1], ends_at__gt=times[0][0])
        .order_by("starts_at")
        .first()
    )
    if clash is not None:
        raise DomainError(
            _(
                "These slots overlap the slot of %(start)s to %(end)s already published. "
                "Choose other times."
            )
            % {
                "start": formats.date_format(
                    timezone.localtime(clash.starts_at, zone), "SHORT_DATETIME_FORMAT"
                ),
                "end": formats.time_format(timezone.localtime(clash.ends_at, zone), "TIME_FORMAT"),
            },
            field="first_start",
        )
    return [
        interview_slot_create(
            by=by,
            programme_year=programme_year,
            starts_at=slot_start,
            ends_at=slot_end,
            location=location,
            online_url=online_url,
            capacity=capacity,
            panel=panel,
        )
        for slot_start, slot_end in times
    ]


@transaction.atomic
def interviews_invite(*, by: User, applications: list[Application]) -> int:
    invited = []
    for application in applications:
        _require(by, "review_application", application)
        application = _lock(application)
        if application.status != Status.SUBMITTED:
            continue
        if application.eligibility == Application.Eligibility.INELIGIBLE:
            raise DomainError(
                _("%(number)s is not eligible and cannot be invited.")
                % {"number": application.number}
            )
        application.status = Status.INTERVIEW
        application.save(update_fields=["status", "updated_at"])
        invited.append(application)
        notification_record(
            recipient=application.applicant,
            kind="interview_invited",
            context=_mission_context(application),
            key=f"interview_invited:{application.pk}",
        )
    return len(invited)


def _acceptance_number(application: Application) -> AcceptanceNumber:
    number = (
        AcceptanceNumber.objects.select_for_update()
        .filter(
            programme_year=application.programme_year,
            country=application.country,
            position=application.position,
            state=AcceptanceNumber.State.PUBLISHED,
        )
        .first()
    )
    if number is None:
        raise DomainError(
            _("MIC has not published the acceptance number for %(country)s (%(position)s) yet.")
            % {"country": application.country.name, "position": application.position}
        )
    return number


def _check_quota(applications: list[Application]) -> None:
    """Shortlisting must stay within MIC's number for the country and position.
    The number's row is locked, so two missions of one country cannot both take the
    last place."""
    groups: dict[tuple, list[Application]] = {}
    for application in applications:
        key = (application.programme_year_id, application.country_id, application.position)
        groups.setdefault(key, []).append(application)
    for (year_id, country_id, position), group in sorted(groups.items()):
        number = _acceptance_number(group[0])
        held = (
            Application.objects.filter(
                programme_year_id=year_id,
                country_id=country_id,
                position=position,
                status__in=Application.HOLDS_PLACE,
            )
            .exclude(pk__in=[a.pk for a in group])
            .count()
        )
        if held + len(group) > number.places:
            raise DomainError(
                _(
                    "Shortlisting would exceed the acceptance number: %(places)s places for "
                    "%(country)s (%(position)s), %(held)s already shortlisted, %(adding)s more "
                    "asked."
                )
                % {
                    "places": number.places,
                    "country": group[0].country.name,
                    "position": position,
                    "held": held,
                    "adding": len(group),
                }
            )


@transaction.atomic
def applications_decide(
    *, by: User, applications: list[Application], decision: str, alternate_rank: int | None = None
) -> int:
    """Record a decision for each application. The applicant hears nothing until release."""
    if decision not in Application.DECISIONS:
        raise DomainError(_("Choose shortlisted, alternate or not selected."), field="decision")
    locked = []
    for application in applications:
        _require(by, "decide_application", application)
        application = _lock(application)
        if application.results_released_at is not None:
            raise DomainError(
                _("Results for %(number)s are released; it can no longer be changed here.")
                % {"number": application.number}
            )
        if application.status not in (Status.SUBMITTED, Status.INTERVIEW, *Application.DECISIONS):
            raise DomainError(
                _("%(number)s cannot be decided in its state (%(status)s).")
                % {"number": application.number, "status": application.get_status_display()}
            )
        if (
            decision != Status.NOT_SELECTED
            and application.eligibility == Application.Eligibility.INELIGIBLE
        ):
            raise DomainError(_("%(number)s is not eligible.") % {"number": application.number})
        locked.append(application)
    if decision == Status.SHORTLISTED:
        _check_quota([a for a in locked if a.status != Status.SHORTLISTED])
    now = timezone.now()
    next_rank = alternate_rank
    if decision == Status.ALTERNATE and next_rank is None and locked:
        last = (
            Application.objects.filter(
                mission=locked[0].mission,
                programme_year=locked[0].programme_year,
                status=Status.ALTERNATE,
            )
            .exclude(pk__in=[a.pk for a in locked])
            .order_by("-alternate_rank")
            .values_list("alternate_rank", flat=True)
            .first()
        )
        next_rank = (last or 0) + 1
    for application in locked:
        application.status = decision
        application.alternate_rank = next_rank if decision == Status.ALTERNATE else None
        if decision == Status.ALTERNATE:
            next_rank += 1
        application.decided_by = by
        application.decided_at = now
        application.save()
    return len(locked)


RESULT_KINDS = {
    Status.SHORTLISTED: "result_shortlisted",
    Status.ALTERNATE: "result_alternate",
    Status.NOT_SELECTED: "result_not_selected",
}


@transaction.atomic
def results_release(*, by: User, programme_year: ProgrammeYear) -> int:
    """Release the mission's results all at once: every decided applicant is told, in
    their own language, in the same moment."""
    access.require_allowed(
        by, "add", ResultRelease, _("Only the embassy or consulate releases its results.")
    )
    mission = by.organisation
    try:
        with transaction.atomic():
            ResultRelease.objects.create(
                mission=mission, programme_year=programme_year, released_by=by
            )
    except IntegrityError:
        raise DomainError(_("Results for this year have already been released.")) from None
    undecided = Application.objects.filter(
        mission=mission,
        programme_year=programme_year,
        status__in=(Status.SUBMITTED, Status.INTERVIEW),
    ).count()
    if undecided:
        raise DomainError(
            ngettext(
                "%(count)s application is undecided: release is not possible until it has "
                "a decision.",
                "%(count)s applications are undecided: release is not possible until each "
                "has a decision.",
                undecided,
            )
            % {"count": undecided}
        )
    now = timezone.now()
    decided = Application.objects.filter(
        mission=mission, programme_year=programme_year, status__in=Application.DECISIONS
    ).select_related("applicant")
    released = 0
    for decision, kind in RESULT_KINDS.items():
        group = [a for a in decided if a.status == decision]
        for application in group:
            notification_record(
                recipient=application.applicant,
                kind=kind,
                context={
                    **_mission_context(application),
                    "reply_due": programme_year.reply_deadline.isoformat(),
                    "rank": application.alternate_rank,
                },
                key=f"result:{application.pk}",
            )
        released += len(group)
    decided.update(results_released_at=now)
    return released


@transaction.atomic
def alternate_upgrade(*, by: User, application: Application, reply_due: date) -> Application:
    """Offer a freed place to an alternate, who must answer by `reply_due`."""
    _require(by, "decide_application", application)
    application = _lock(application)
    if application.status != Status.ALTERNATE or not application.results_visible:
        raise DomainError(_("Only a released alternate can be upgraded."))
    if reply_due <= timezone.localdate():
        raise DomainError(_("Give the alternate a reply date in the future."), field="reply_due")
    _check_quota([application])
    application.status = Status.SHORTLISTED
    application.alternate_rank = None
    application.upgraded_at = timezone.now()
    application.reply_due = reply_due
    application.decided_by = by
    application.decided_at = timezone.now()
    application.save()
    _fulfil_alternate_request(application)
    notification_record(
        recipient=application.applicant,
        kind="alternate_upgraded",
        context={**_mission_context(application), "reply_due": reply_due.isoformat()},
        key=f"alternate_upgraded:{application.pk}",
    )
    return application


def _fulfil_alternate_request(application: Application) -> None:
    """An upgrade answers CLAIR's oldest open request for that mission and position."""
    request = (
        AlternateRequest.objects.select_for_update()
        .filter(
            mission=application.mission,
            programme_year=application.programme_year,
            position=application.position,
            fulfilled_by__isnull=True,
        )
        .order_by("created_at", "pk")
        .first()
    )
    if request is None:
        return
    request.fulfilled_by = application
    request.fulfilled_at = timezone.now()
    request.save(update_fields=["fulfilled_by", "fulfilled_at"])
    notification_record(
        recipient=request.requested_by,
        kind="alternate_request_fulfilled",
        context={**_mission_context(application), "position": application.position},
        key=f"alternate_request_fulfilled:{request.pk}",
    )


@transaction.atomic
def applications_forward(*, by: User, applications: list[Application]) -> int:
    """Hand shortlisted candidates who accepted to CLAIR, which may then see them."""
    clair = Organisation.objects.filter(kind=Kind.CLAIR).first()
    if clair is None:
        raise DomainError(_("CLAIR is not set up in jetadmin."))
    forwarded = 0
    for application in applications:
        _require(by, "decide_application", application)
        application = _lock(application)
        if application.status != Status.SHORTLISTED or not application.results_visible:
            raise DomainError(
                _("%(number)s is not a released shortlisted candidate.")
                % {"number": application.number}
            )
        reply = getattr(application, "reply", None)
        if reply is None or reply.answer != ReplyForm.Answer.ACCEPT:
            raise DomainError(
                _("%(number)s has not accepted the offer yet.") % {"number": application.number}
            )
        application.status = Status.FORWARDED
        application.forwarded_at = timezone.now()
        application.save(update_fields=["status", "forwarded_at", "updated_at"])
        access.grant("view", application, clair)
        access.grant("view_medical_application", application, clair)
        notification_record(
            recipient=application.applicant,
            kind="application_forwarded",
            context=_mission_context(application),
            key=f"application_forwarded:{application.pk}",
        )
        forwarded += 1
    return forwarded
