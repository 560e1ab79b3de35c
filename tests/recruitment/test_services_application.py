"""The applicant's side of an application, through the services: deadline, missing
parts, eligibility, one application a year, uploads, corrections, referees, edits after
submission, names in any script, impossible dates."""

import datetime as dt
import unicodedata
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from django.core.exceptions import PermissionDenied
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import IntegrityError, transaction
from django.urls import resolve
from django.utils import timezone

from apps.core.errors import DomainError
from apps.core.models import Country
from apps.notifications.models import Notification
from apps.recruitment import selectors, services
from apps.recruitment.models import Application, ApplicationDocument, Education, Referee

from .conftest import COMPLETE_FIELDS, PDF_BYTES, pdf

Kind = ApplicationDocument.Kind
Verification = ApplicationDocument.Verification


def _close_deadline(programme_year) -> None:
    programme_year.application_deadline = timezone.now() - dt.timedelta(minutes=1)
    programme_year.save(update_fields=["application_deadline"])


def _start(applicant, programme_year, mission, position="ALT") -> Application:
    return services.application_start(
        by=applicant, programme_year=programme_year, mission=mission, position=position
    )


def _reference_token(referee: Referee) -> str:
    """The token the referee got by email: only the link in the notification holds it."""
    notification = Notification.objects.get(kind="reference_requested", email=referee.email)
    return resolve(urlsplit(notification.context["link"]).path).kwargs["token"]


# --- deadline --------------------------------------------------------------------------


def test_submit_after_the_deadline_is_refused(make_applicant, draft_application, open_year):
    applicant = make_applicant("late.submitter")
    application = draft_application(applicant)
    _close_deadline(open_year)

    with pytest.raises(DomainError) as refused:
        services.application_submit(by=applicant, application=application)

    assert refused.value.message == (
        "The application deadline has passed; it can no longer be submitted."
    )
    application.refresh_from_db()
    assert application.status == Application.Status.DRAFT
    assert application.submitted_at is None
    assert not Notification.objects.filter(recipient=applicant, kind="application_submitted")


def test_start_after_the_deadline_is_refused(make_applicant, open_year, us_mission):
    applicant = make_applicant("late.starter")
    _close_deadline(open_year)

    with pytest.raises(DomainError) as refused:
        _start(applicant, open_year, us_mission)

    assert refused.value.message == "The application deadline for this programme year has passed."
    assert not Application.objects.filter(applicant=applicant).exists()


def test_submit_before_the_deadline_is_accepted_and_opened_to_the_mission(
    make_applicant, submitted_application, embassy_us, embassy_uk
):
    applicant = make_applicant("on.time")
    application = submitted_application(applicant)

    assert application.status == Application.Status.SUBMITTED
    assert application.submitted_at is not None
    year = application.programme_year.year
    assert application.number == f"JET{year % 100:02d}-{application.pk:07d}"
    assert (
        Notification.objects.filter(recipient=applicant, kind="application_submitted").count() == 1
    )
    assert list(selectors.application_list(user=embassy_us, q=application.number)) == [application]
    assert not selectors.application_list(user=embassy_uk, q=application.number).exists()


# --- missing parts ---------------------------------------------------------------------


def test_every_missing_part_is_listed_by_name(make_applicant, open_year, us_mission):
    applicant = make_applicant("empty.draft", first_name="", last_name="")
    application = _start(applicant, open_year, us_mission)
    services.application_update(by=applicant, application=application, email="")

    with pytest.raises(DomainError) as refused:
        services.application_submit(by=applicant, application=application)

    message = refused.value.message
    assert message.startswith("The application is not complete. Missing: ")
    for part in [
        "Family name",
        "Given names",
        "Date of birth",
        "Citizenship",
        "Email",
        "Phone",
        "Postal address",
        "Japanese ability",
        "Driving licence",
        "First placement preference",
        "Urban or rural preference",
        "Statement of purpose",
        "Education: at least one institution",
        "Official transcript",
        "Proof of (expected) graduation",
        "Proof of citizenship",
        "Self-report of medical conditions",
        "Two referees",
    ]:
        assert part in message, part
    application.refresh_from_db()
    assert application.status == Application.Status.DRAFT


def test_only_what_is_missing_is_listed(make_applicant, open_year, us_mission):
    applicant = make_applicant("almost.done")
    application = _start(applicant, open_year, us_mission)
    services.application_update(
        by=applicant,
        application=application,
        **COMPLETE_FIELDS,
        citizenship=Country.objects.get(code="US"),
    )
    services.education_add(
        by=applicant,
        application=application,
        institution="University of Maryland",
        degree=Education.Degree.BACHELOR,
        graduation_date=open_year.degree_deadline - dt.timedelta(days=400),
    )
    for kind in (Kind.TRANSCRIPT, Kind.GRADUATION_PROOF, Kind.CITIZENSHIP_PROOF):
        services.document_upload(by=applicant, application=application, kind=kind, uploaded=pdf())
    services.referee_add(
        by=applicant, application=application, name="Dr Ada Byron", email="ada@example.edu"
    )

    with pytest.raises(DomainError) as refused:
        services.application_submit(by=applicant, application=application)

    assert refused.value.message == (
        "The application is not complete. Missing: Self-report of medical conditions; Two referees."
    )


# --- eligibility -----------------------------------------------------------------------


def test_an_eligible_application_is_recorded_eligible(make_applicant, submitted_application):
    application = submitted_application(make_applicant("eligible.one"))

    assert application.eligibility == Application.Eligibility.ELIGIBLE
    assert application.eligibility_reasons == []


def test_another_citizenship_is_recorded_ineligible_with_its_reason(
    make_applicant, submitted_application
):
    canadian = make_applicant("canadian.in.dc", country="CA")
    application = submitted_application(canadian)

    assert application.status == Application.Status.SUBMITTED
    assert application.eligibility == Application.Eligibility.INELIGIBLE
    assert application.eligibility_reasons == [{"code": "citizenship", "country": "US"}]


RULES = {
    # rule: (the application's fields, the reason recorded), from the programme year
    "degree_too_late": (
        lambda y: {"graduation_date": y.degree_deadline + dt.timedelta(days=1)},
        lambda y: {"code": "degree_too_late"},
    ),
    "too_soon_after_jet": (
        lambda y: {
            "previous_jet": True,
            "previous_jet_years": 2,
            "previous_jet_left_year": y.year - 2,
        },
        lambda y: {"code": "too_soon_after_jet", "years": 3, "left": y.year - 2},
    ),
    "five_years_used": (
        lambda y: {
            "previous_jet": True,
            "previous_jet_years": 5,
            "previous_jet_left_year": y.year - 9,
        },
        lambda y: {"code": "five_years_used", "years": 5},
    ),
    "declined_last_year": (
        lambda y: {"declined_last_year": True},
        lambda y: {"code": "declined_last_year"},
    ),
    "lived_in_japan": (
        lambda y: {"years_in_japan_last_10": 6},
        lambda y: {"code": "lived_in_japan", "years": 6},
    ),
    "japanese_nationality": (
        lambda y: {"other_citizenship": "Japanese"},
        lambda y: {"code": "japanese_nationality"},
    ),
}


@pytest.mark.parametrize("rule", RULES)
def test_each_rule_is_recorded_on_submission(
    make_applicant, submitted_application, open_year, rule
):
    overrides, reason = (make(open_year) for make in RULES[rule])
    application = submitted_application(make_applicant("rule.check"), **overrides)

    assert application.eligibility == Application.Eligibility.INELIGIBLE
    assert len(application.eligibility_reasons) == 1
    assert reason.items() <= application.eligibility_reasons[0].items()


def test_several_reasons_are_all_recorded(make_applicant, submitted_application):
    application = submitted_application(
        make_applicant("two.reasons", country="GB"), declined_last_year=True
    )

    codes = [r["code"] for r in application.eligibility_reasons]
    assert codes == ["citizenship", "declined_last_year"]


# --- one application a year ------------------------------------------------------------


def test_a_second_application_in_the_same_year_is_refused(
    make_applicant, open_year, us_mission, uk_mission
):
    applicant = make_applicant("two.positions")
    first = _start(applicant, open_year, us_mission, "ALT")

    for mission, position in [(us_mission, "CIR"), (uk_mission, "ALT")]:
        with pytest.raises(DomainError) as refused:
            _start(applicant, open_year, mission, position)
        assert refused.value.message == "You already have an application for this programme year."
    assert list(Application.objects.filter(applicant=applicant)) == [first]


def test_the_database_holds_one_live_application_per_person_and_year(
    make_applicant, open_year, us_mission
):
    applicant = make_applicant("db.constraint")
    first = _start(applicant, open_year, us_mission, "ALT")

    with pytest.raises(IntegrityError), transaction.atomic():
        Application.objects.create(
            number="JET27-DUPLICATE",
            programme_year=open_year,
            applicant=applicant,
            mission=us_mission,
            country=us_mission.country,
            position="CIR",
        )

    assert list(Application.objects.filter(applicant=applicant)) == [first]


def test_after_withdrawal_a_new_application_may_be_started(make_applicant, open_year, us_mission):
    applicant = make_applicant("starts.again")
    first = _start(applicant, open_year, us_mission, "ALT")
    services.application_withdraw(by=applicant, application=first)

    second = _start(applicant, open_year, us_mission, "CIR")

    assert second.position == "CIR"
    first.refresh_from_db()
    assert first.status == Application.Status.WITHDRAWN


# --- uploads ---------------------------------------------------------------------------


def test_a_file_that_is_not_really_a_pdf_is_refused_and_nothing_is_saved(
    make_applicant, open_year, us_mission, settings
):
    applicant = make_applicant("fake.pdf")
    application = _start(applicant, open_year, us_mission)
    services.application_update(by=applicant, application=application, phone="+1 555 0100")
    fake = SimpleUploadedFile("transcript.pdf", b"MZ\x90\x00 not a pdf", "application/pdf")

    with pytest.raises(DomainError) as refused:
        services.document_upload(
            by=applicant, application=application, kind=Kind.TRANSCRIPT, uploaded=fake
        )

    assert refused.value.message == (
        "This file is not a PDF, JPEG or PNG document. Upload a scan or a PDF."
    )
    assert refused.value.field == "file"
    assert not ApplicationDocument.objects.filter(application=application).exists()
    assert not list(Path(settings.MEDIA_ROOT).rglob("*"))
    application.refresh_from_db()
    assert application.phone == "+1 555 0100"  # nothing else of the form is lost


def test_a_file_over_the_size_limit_is_refused_and_nothing_is_saved(
    make_applicant, open_year, us_mission, settings
):
    applicant = make_applicant("big.pdf")
    application = _start(applicant, open_year, us_mission)
    big = SimpleUploadedFile(
        "transcript.pdf", PDF_BYTES + b"\0" * (10 * 1024 * 1024), "application/pdf"
    )

    with pytest.raises(DomainError) as refused:
        services.document_upload(
            by=applicant, application=application, kind=Kind.TRANSCRIPT, uploaded=big
        )

    assert refused.value.message == "The file is 10.0 MB; the limit is 10 MB."
    assert not ApplicationDocument.objects.filter(application=application).exists()
    assert not list(Path(settings.MEDIA_ROOT).rglob("*"))


def test_the_type_comes_from_the_content_and_the_stored_name_from_neither(
    make_applicant, open_year, us_mission
):
    applicant = make_applicant("png.named.pdf")
    application = _start(applicant, open_year, us_mission)
    png = SimpleUploadedFile("passport.pdf", b"\x89PNG\r\n\x1a\n" + b"\0" * 64, "application/pdf")

    document = services.document_upload(
        by=applicant, application=application, kind=Kind.CITIZENSHIP_PROOF, uploaded=png
    )

    assert document.content_type == "image/png"
    assert document.original_name == "passport.pdf"
    assert "passport" not in document.file.name


# --- corrections -----------------------------------------------------------------------


def test_a_requested_correction_replaces_just_that_document(
    make_applicant, submitted_application, embassy_us
):
    applicant = make_applicant("corrects.passport")
    application = submitted_application(applicant)
    old = application.documents.get(kind=Kind.CITIZENSHIP_PROOF)
    others = set(application.documents.exclude(pk=old.pk).values_list("pk", "verification"))
    due = timezone.localdate() + dt.timedelta(days=14)

    services.document_request_correction(
        by=embassy_us, document=old, message="The passport page is cut off.", due=due
    )
    new = services.document_upload(
        by=applicant, application=application, kind=Kind.CITIZENSHIP_PROOF, uploaded=pdf("p.pdf")
    )

    old.refresh_from_db()
    assert old.verification == Verification.REPLACED
    assert new.replaces_id == old.pk
    assert new.verification == Verification.PENDING
    assert (
        set(
            application.documents.exclude(pk__in=[old.pk, new.pk]).values_list("pk", "verification")
        )
        == others
    )
    note = Notification.objects.get(recipient=applicant, kind="document_correction")
    assert note.context["message"] == "The passport page is cut off."
    assert note.context["due"] == due.isoformat()
    application.refresh_from_db()
    assert application.status == Application.Status.SUBMITTED
    assert services.missing_parts(application) == []


def test_after_submission_a_document_cannot_be_replaced_without_a_request(
    make_applicant, submitted_application, embassy_us
):
    applicant = make_applicant("no.request")
    application = submitted_application(applicant)
    message = "After submission a document can only be replaced when the mission asks for it."

    with pytest.raises(DomainError) as refused:
        services.document_upload(
            by=applicant, application=application, kind=Kind.TRANSCRIPT, uploaded=pdf()
        )
    assert refused.value.message == message

    # A request for one document does not open another, nor the same one twice.
    services.document_request_correction(
        by=embassy_us,
        document=application.documents.get(kind=Kind.GRADUATION_PROOF),
        message="Unsigned.",
        due=timezone.localdate() + dt.timedelta(days=7),
    )
    with pytest.raises(DomainError):
        services.document_upload(
            by=applicant, application=application, kind=Kind.TRANSCRIPT, uploaded=pdf()
        )
    services.document_upload(
        by=applicant, application=application, kind=Kind.GRADUATION_PROOF, uploaded=pdf()
    )
    with pytest.raises(DomainError) as again:
        services.document_upload(
            by=applicant, application=application, kind=Kind.GRADUATION_PROOF, uploaded=pdf()
        )
    assert again.value.message == message
    assert application.documents.filter(kind=Kind.TRANSCRIPT).count() == 1
    assert application.documents.filter(kind=Kind.GRADUATION_PROOF).count() == 2


def test_a_correction_cannot_be_asked_for_a_replaced_document(
    make_applicant, submitted_application, embassy_us
):
    applicant = make_applicant("twice.corrected")
    application = submitted_application(applicant)
    old = application.documents.get(kind=Kind.TRANSCRIPT)
    due = timezone.localdate() + dt.timedelta(days=5)
    services.document_request_correction(by=embassy_us, document=old, message="Blurred.", due=due)
    services.document_upload(
        by=applicant, application=application, kind=Kind.TRANSCRIPT, uploaded=pdf()
    )
    old.refresh_from_db()

    with pytest.raises(DomainError):
        services.document_request_correction(
            by=embassy_us, document=old, message="Still blurred.", due=due
        )

    old.refresh_from_db()
    assert old.verification == Verification.REPLACED


def test_a_correction_needs_a_message_and_a_future_date(
    make_applicant, submitted_application, embassy_us, embassy_uk
):
    application = submitted_application(make_applicant("bad.request"))
    document = application.documents.get(kind=Kind.TRANSCRIPT)

    with pytest.raises(DomainError) as no_message:
        services.document_request_correction(
            by=embassy_us, document=document, message="  ", due=timezone.localdate()
        )
    assert no_message.value.message == "Say what must be corrected."
    with pytest.raises(DomainError) as past:
        services.document_request_correction(
            by=embassy_us, document=document, message="Blurred.", due=timezone.localdate()
        )
    assert past.value.message == "The due date must be in the future."
    with pytest.raises(PermissionDenied):
        services.document_request_correction(
            by=embassy_uk,
            document=document,
            message="Blurred.",
            due=timezone.localdate() + dt.timedelta(days=3),
        )
    document.refresh_from_db()
    assert document.verification == Verification.PENDING


# --- referees --------------------------------------------------------------------------


def test_a_referee_link_works_once(make_applicant, submitted_application, embassy_us):
    applicant = make_applicant("has.referees")
    application = submitted_application(applicant)
    referee = application.referees.first()
    token = _reference_token(referee)
    assert referee.token_hash != token
    assert token not in referee.token_hash

    services.referee_letter_submit(token=token, uploaded=pdf("letter.pdf"))

    referee.refresh_from_db()
    assert referee.submitted_at is not None
    assert referee.letter.kind == Kind.REFERENCE
    with pytest.raises(DomainError) as reused:
        services.referee_letter_submit(token=token, uploaded=pdf("letter2.pdf"))
    assert reused.value.message == "This link has been used or is not valid."
    assert application.documents.filter(kind=Kind.REFERENCE).count() == 1
    # The applicant never sees the letter; the mission does.
    assert referee.letter not in selectors.document_list(user=applicant, application=application)
    assert referee.letter in selectors.document_list(user=embassy_us, application=application)


def test_a_failed_upload_does_not_use_up_the_referee_link(make_applicant, submitted_application):
    application = submitted_application(make_applicant("referee.retry"))
    referee = application.referees.last()
    token = _reference_token(referee)

    with pytest.raises(DomainError):
        services.referee_letter_submit(
            token=token, uploaded=SimpleUploadedFile("l.pdf", b"GIF89a....", "application/pdf")
        )
    services.referee_letter_submit(token=token, uploaded=pdf())

    referee.refresh_from_db()
    assert referee.letter is not None
    assert application.documents.filter(kind=Kind.REFERENCE).count() == 1


def test_an_unknown_referee_token_is_refused(make_applicant, submitted_application):
    submitted_application(make_applicant("referee.guess"))
    letters = ApplicationDocument.objects.filter(kind=Kind.REFERENCE)
    before = letters.count()

    with pytest.raises(DomainError) as refused:
        services.referee_letter_submit(token="not-a-real-token", uploaded=pdf())

    assert refused.value.message == "This link has been used or is not valid."
    assert letters.count() == before


# --- after submission ------------------------------------------------------------------


def test_after_submission_only_contact_details_may_change(make_applicant, submitted_application):
    applicant = make_applicant("moves.house")
    application = submitted_application(applicant)

    services.application_update(
        by=applicant,
        application=application,
        email="new.address@example.com",
        phone="+1 202 555 0199",
        address="2 New Street, Arlington, VA",
    )
    with pytest.raises(DomainError) as refused:
        services.application_update(
            by=applicant, application=application, phone="+1 000", family_name="Smith"
        )

    assert refused.value.message == (
        "After submission only your contact details (email, phone, address) may change."
    )
    application.refresh_from_db()
    assert application.email == "new.address@example.com"
    assert application.phone == "+1 202 555 0199"
    assert application.address == "2 New Street, Arlington, VA"
    assert application.family_name == "Miller"
    with pytest.raises(DomainError):
        services.education_add(
            by=applicant,
            application=application,
            institution="Late College",
            degree=Education.Degree.MASTER,
            graduation_date=timezone.localdate() - dt.timedelta(days=300),
        )
    with pytest.raises(DomainError):
        services.referee_add(
            by=applicant, application=application, name="Third", email="third@example.edu"
        )


def test_nobody_else_may_edit_an_application(make_applicant, submitted_application, embassy_us):
    application = submitted_application(make_applicant("owner.only"))
    other = make_applicant("someone.else")

    for user in (other, embassy_us):
        with pytest.raises(PermissionDenied) as refused:
            services.application_update(by=user, application=application, phone="0")
        assert str(refused.value) == "Only the applicant may change this application."
    application.refresh_from_db()
    assert application.phone == COMPLETE_FIELDS["phone"]


# --- names in any script ---------------------------------------------------------------

NAMES = [
    ("山田", "太郎", "山田 太郎"),
    ("Ångström-Núñez", "Zoë", ""),
    ("Ångström-Núñez", unicodedata.normalize("NFD", "Zoë"), ""),
    ("عبد الله", "محمد", ""),
    ("O'Brien-Ní Dhomhnaill", "Siobhán Máire", ""),
]


@pytest.mark.parametrize(("family", "given", "japanese"), NAMES)
def test_names_round_trip_unchanged(make_applicant, open_year, us_mission, family, given, japanese):
    applicant = make_applicant("any.script")
    application = _start(applicant, open_year, us_mission)

    services.application_update(
        by=applicant,
        application=application,
        family_name=family,
        given_names=given,
        name_japanese=japanese,
        address="東京都千代田区霞が関2-2-1 / شارع / Straße 5",
    )

    stored = Application.objects.get(pk=application.pk)
    assert stored.family_name == family
    assert stored.given_names == given
    assert stored.name_japanese == japanese
    assert stored.address == "東京都千代田区霞が関2-2-1 / شارع / Straße 5"
    assert stored.full_name == f"{given} {family}"
    assert list(selectors.application_list(user=applicant, q=family)) == [stored]


def test_a_submitted_japanese_name_is_found_by_the_mission(
    make_applicant, submitted_application, embassy_us
):
    application = submitted_application(
        make_applicant("yamada"), family_name="山田", given_names="太郎", name_japanese="山田 太郎"
    )

    assert list(selectors.application_list(user=embassy_us, q="山田 太郎")) == [application]
    assert Application.objects.get(pk=application.pk).name_japanese == "山田 太郎"


# --- impossible values -----------------------------------------------------------------


@pytest.mark.parametrize(
    ("date_of_birth", "message"),
    [
        ("tomorrow", "The date of birth must be in the past."),
        ("today", "The date of birth must be in the past."),
        (dt.date(1899, 12, 31), "Check the date of birth."),
    ],
)
def test_an_impossible_date_of_birth_is_refused(
    make_applicant, open_year, us_mission, date_of_birth, message
):
    applicant = make_applicant("time.traveller")
    application = _start(applicant, open_year, us_mission)
    services.application_update(
        by=applicant, application=application, date_of_birth=dt.date(1998, 1, 1)
    )
    if date_of_birth == "tomorrow":
        date_of_birth = timezone.localdate() + dt.timedelta(days=1)
    elif date_of_birth == "today":
        date_of_birth = timezone.localdate()

    with pytest.raises(DomainError) as refused:
        services.application_update(
            by=applicant, application=application, date_of_birth=date_of_birth, phone="+1 1"
        )

    assert refused.value.message == message
    assert refused.value.field == "date_of_birth"
    application.refresh_from_db()
    assert application.date_of_birth == dt.date(1998, 1, 1)
    assert application.phone == ""


def test_an_impossible_graduation_date_is_refused(make_applicant, open_year, us_mission):
    applicant = make_applicant("old.graduate")
    application = _start(applicant, open_year, us_mission)

    with pytest.raises(DomainError) as refused:
        services.education_add(
            by=applicant,
            application=application,
            institution="Ancient University",
            degree=Education.Degree.BACHELOR,
            graduation_date=dt.date(1900, 6, 1),
        )

    assert refused.value.message == "Check the graduation date."
    assert not application.education.exists()


def test_a_year_of_leaving_jet_in_the_future_is_refused(make_applicant, open_year, us_mission):
    applicant = make_applicant("future.alumnus")
    application = _start(applicant, open_year, us_mission)

    with pytest.raises(DomainError):
        services.application_update(
            by=applicant,
            application=application,
            previous_jet=True,
            previous_jet_years=1,
            previous_jet_left_year=timezone.localdate().year + 9,
        )


def test_a_statement_over_the_limit_is_refused(make_applicant, open_year, us_mission):
    applicant = make_applicant("long.statement")
    application = _start(applicant, open_year, us_mission)

    with pytest.raises(DomainError) as refused:
        services.application_update(
            by=applicant, application=application, statement_of_purpose="あ" * 6001
        )

    assert refused.value.message == (
        "The statement of purpose is 6001 characters; the limit is 6000."
    )
    application.refresh_from_db()
    assert application.statement_of_purpose == ""
