"""The applicant's pages and the referee's upload page, through the browser's requests:
the whole draft-to-submit journey, refused files and dates that keep what was typed,
missing parts, 404 for another applicant's application and documents, the single-use
referee link, letters the applicant never sees, names in any script."""

import datetime as dt
import re
import struct
import zlib

import pytest
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from apps.mofa.views_applicant import STEPS
from apps.recruitment import services
from apps.recruitment.models import Application, ApplicationDocument, Education, Referee, ReplyForm

from .conftest import PDF_BYTES

Kind = ApplicationDocument.Kind
Status = Application.Status
Verification = ApplicationDocument.Verification


def _png_bytes() -> bytes:
    """A real 1x1 white PNG."""

    def chunk(tag: bytes, data: bytes) -> bytes:
        body = tag + data
        return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body))

    header = struct.pack(">IIBBBBB", 1, 1, 8, 2, 0, 0, 0)
    pixels = zlib.compress(b"\x00\xff\xff\xff")
    return (
        b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", pixels) + chunk(b"IEND", b"")
    )


def _pdf(name="document.pdf"):
    return SimpleUploadedFile(name, PDF_BYTES, content_type="application/pdf")


def _png(name="scan.png"):
    return SimpleUploadedFile(name, _png_bytes(), content_type="image/png")


def _url(name: str, application, **kwargs) -> str:
    return reverse(f"mofa:applicant-{name}", kwargs={"pk": application.pk, **kwargs})


def _html(response) -> str:
    return response.content.decode()


@pytest.fixture
def as_applicant(client, make_applicant, open_year):
    """as_applicant(username, **names) -> (client signed in as a new applicant, user)."""

    def _as(username: str, **names):
        user = make_applicant(username, **names)
        client.force_login(user)
        return client, user

    return _as


@pytest.fixture
def started(as_applicant, us_mission, open_year):
    """(client, application): a new applicant signed in, with a draft just opened
    through the start page."""
    client, user = as_applicant("new.starter")
    response = client.post(
        reverse("mofa:applicant-start"), {"mission": us_mission.pk, "position": "ALT"}
    )
    assert response.status_code == 302
    application = Application.objects.get(applicant=user)
    return client, application


PERSONAL = {
    "family_name": "Ångström",
    "given_names": "Zoë",
    "name_japanese": "山田太郎",
    "date_of_birth": "1998-03-14",
    "citizenship": "US",
    "other_citizenship": "",
    "email": "zoe@example.com",
    "phone": "+1 202 555 0100",
    "address": "1 Example Street\nWashington, DC 20001",
}


# --- the journey -----------------------------------------------------------------------


def test_an_applicant_goes_from_start_to_submitted_through_the_pages(
    as_applicant, us_mission, open_year, django_capture_on_commit_callbacks
):
    client, user = as_applicant("zoe.journey")
    # The workspace offers to start; the start page shows missions with their jurisdiction.
    assert "Start your application" in _html(client.get(reverse("mofa:applicant-workspace")))
    page = _html(client.get(reverse("mofa:applicant-start")))
    assert "Embassy of Japan in the United States" in page
    assert "District of Columbia, Maryland, Virginia, West Virginia" in page
    assert "Interview location: Embassy of Japan in the United States." in page

    response = client.post(
        reverse("mofa:applicant-start"), {"mission": us_mission.pk, "position": "ALT"}
    )
    application = Application.objects.get(applicant=user)
    assert response.status_code == 302
    assert response["Location"] == _url("personal", application)
    assert application.status == Status.DRAFT

    page = _html(client.get(_url("personal", application)))
    assert f'<a href="{_url("personal", application)}" aria-current="step">' in page
    assert page.count('aria-current="step"') == 1

    steps = [
        ("personal", PERSONAL, "mission"),
        ("mission", {"mission": us_mission.pk, "position": "ALT"}, "education"),
        (
            "education",
            {
                "institution": "Georgetown University",
                "degree": "BACHELOR",
                "field_of_study": "Linguistics",
                "graduation_date": "2025-05-20",
            },
            "education",
        ),
        (
            "qualifications",
            {
                "japanese_level": "N3",
                "teaching_experience": "Tutoring",
                "qualifications": "TEFL",
                "driving_licence": "AUTOMATIC",
            },
            "placement",
        ),
        (
            "placement",
            {
                "preference_1": "28-Kobe",
                "preference_2": "13",
                "preference_3": "47",
                "location_preference": "RURAL",
                "partner_number": "",
            },
            "history",
        ),
        (
            "history",
            {
                "previous_jet_years": "0",
                "previous_jet_left_year": "",
                "years_in_japan_last_10": "1",
            },
            "statement",
        ),
        ("statement", {"statement_of_purpose": "I want to teach and learn."}, "documents"),
    ]
    for step, data, following in steps:
        response = client.post(_url(step, application), data)
        assert response.status_code == 302, (step, _html(response)[:2000])
        assert response["Location"] == _url(following, application), step

    uploads = {
        Kind.TRANSCRIPT: _pdf("transcript.pdf"),
        Kind.GRADUATION_PROOF: _pdf("diploma.pdf"),
        Kind.CITIZENSHIP_PROOF: _png("passport.png"),
        Kind.MEDICAL: _pdf("medical.pdf"),
    }
    for kind, upload in uploads.items():
        response = client.post(_url("documents", application), {"kind": kind, "file": upload})
        assert response.status_code == 302, _html(response)[:2000]

    with django_capture_on_commit_callbacks(execute=True):
        for n in (1, 2):
            response = client.post(
                _url("referees", application),
                {"name": f"Prof. Referee {n}", "email": f"ref{n}@example.edu", "relationship": ""},
            )
            assert response.status_code == 302
    assert sorted(m.to[0] for m in mail.outbox if "/referee/" in m.body) == [
        "ref1@example.edu",
        "ref2@example.edu",
    ]

    page = _html(client.get(_url("review", application)))
    assert 'data-testid="missing"' not in page
    response = client.post(_url("review", application))
    assert response.status_code == 302
    assert response["Location"] == _url("status", application)

    application.refresh_from_db()
    assert application.status == Status.SUBMITTED
    assert application.preference_1 == "28-Kobe"
    assert application.years_in_japan_last_10 == 1
    assert application.citizenship_id == "US"
    assert application.education.get().institution == "Georgetown University"
    assert set(application.documents.values_list("kind", flat=True)) == set(uploads)
    assert application.documents.get(kind=Kind.CITIZENSHIP_PROOF).content_type == "image/png"
    page = _html(client.get(_url("status", application)))
    assert "<strong>Submitted</strong>" in page
    assert "Your JET Programme application was submitted" in page


def test_after_submission_steps_show_data_and_only_contact_details_change(
    as_applicant, submitted_application
):
    client, user = as_applicant("after.submit")
    application = submitted_application(user)

    page = _html(client.get(_url("qualifications", application)))
    assert "JLPT N3" in page
    assert 'name="japanese_level"' not in page
    response = client.post(_url("qualifications", application), {"japanese_level": "N1"})
    assert response.status_code == 400
    assert "After submission only your contact details" in _html(response)
    application.refresh_from_db()
    assert application.japanese_level == "N3"

    page = _html(client.get(_url("personal", application)))
    assert 'name="family_name"' not in page
    assert 'name="phone"' in page
    assert "Miller" in page
    response = client.post(
        _url("personal", application),
        {"email": "new@example.com", "phone": "+1 555 0199", "address": "2 New Road"},
    )
    assert response.status_code == 302
    application.refresh_from_db()
    assert (application.email, application.phone) == ("new@example.com", "+1 555 0199")

    page = _html(client.get(_url("education", application)))
    assert "Georgetown University" in page
    assert "applicant-education-remove" not in page
    assert "/remove/" not in page
    assert 'name="institution"' not in page


# --- bad input -------------------------------------------------------------------------


def test_a_fake_pdf_is_refused_with_its_message_and_nothing_else_is_lost(started):
    client, application = started
    client.post(_url("personal", application), PERSONAL)
    client.post(_url("documents", application), {"kind": Kind.GRADUATION_PROOF, "file": _pdf()})

    fake = SimpleUploadedFile("transcript.pdf", b"Just some text, not a PDF at all.")
    response = client.post(_url("documents", application), {"kind": Kind.TRANSCRIPT, "file": fake})

    assert response.status_code == 400
    page = _html(response)
    message = "This file is not a PDF, JPEG or PNG document. Upload a scan or a PDF."
    transcript_section = page.split('data-testid="doc-transcript"')[1].split("</section>")[0]
    assert message in transcript_section
    assert 'aria-invalid="true"' in transcript_section
    # The other sections and what was already stored are all still there.
    assert 'data-testid="doc-citizenship_proof"' in page
    assert message not in page.split('data-testid="doc-graduation_proof"')[1].split("</section>")[0]
    assert list(application.documents.values_list("kind", flat=True)) == [Kind.GRADUATION_PROOF]
    application.refresh_from_db()
    assert (application.given_names, application.family_name) == ("Zoë", "Ångström")


def test_a_file_over_ten_megabytes_is_refused_with_its_size(started):
    client, application = started
    big = SimpleUploadedFile("big.pdf", b"%PDF-1.4\n" + b"0" * (10 * 1024 * 1024))

    response = client.post(_url("documents", application), {"kind": Kind.TRANSCRIPT, "file": big})

    assert response.status_code == 400
    assert "The file is 10.0 MB; the limit is 10 MB." in _html(response)
    assert not application.documents.exists()


def test_a_birth_date_in_the_future_is_refused_and_the_form_keeps_what_was_typed(started):
    client, application = started
    tomorrow = (timezone.localdate() + dt.timedelta(days=1)).isoformat()

    response = client.post(_url("personal", application), {**PERSONAL, "date_of_birth": tomorrow})

    assert response.status_code == 400
    page = _html(response)
    assert "The date of birth must be in the past." in page
    assert 'value="Ångström"' in page
    assert 'value="山田太郎"' in page
    assert f'value="{tomorrow}"' in page
    application.refresh_from_db()
    assert application.date_of_birth is None
    assert application.name_japanese == ""


def test_an_impossible_date_is_refused_by_the_form(started):
    client, application = started
    response = client.post(
        _url("personal", application), {**PERSONAL, "date_of_birth": "1999-02-30"}
    )
    assert response.status_code == 400
    assert "Enter a valid date." in _html(response)


def test_a_statement_over_the_limit_is_refused_with_its_length(started):
    client, application = started
    text = "x" * (services.STATEMENT_MAX_CHARS + 1)
    page = _html(client.get(_url("statement", application)))
    assert f"At most {services.STATEMENT_MAX_CHARS} characters." in page

    response = client.post(_url("statement", application), {"statement_of_purpose": text})

    assert response.status_code == 400
    assert (
        f"The statement of purpose is {len(text)} characters; the limit is "
        f"{services.STATEMENT_MAX_CHARS}." in _html(response)
    )
    assert text in _html(response)


@pytest.mark.parametrize(
    ("given", "family", "japanese"),
    [
        ("Zoë", "Ångström", ""),
        ("太郎", "山田", "山田太郎"),
        ("محمد", "عبد الله", ""),
        ("Nguyễn Thị", "Minh Khai", "グエン"),
    ],
)
def test_names_in_any_script_round_trip_unchanged(started, given, family, japanese):
    client, application = started
    data = {**PERSONAL, "given_names": given, "family_name": family, "name_japanese": japanese}

    assert client.post(_url("personal", application), data).status_code == 302

    application.refresh_from_db()
    assert (application.given_names, application.family_name) == (given, family)
    assert application.name_japanese == japanese
    page = _html(client.get(_url("personal", application)))
    assert f'value="{given}"' in page
    assert f'value="{family}"' in page
    assert 'dir="auto"' in page


def test_placement_choices_are_named_in_the_applicants_language(
    as_applicant, us_mission, open_year
):
    client, user = as_applicant("ja.applicant", language="ja")
    application = services.application_start(
        by=user, programme_year=open_year, mission=us_mission, position="ALT"
    )
    page = _html(client.get(_url("placement", application)))
    assert '<option value="28">兵庫県</option>' in page
    assert '<option value="28-Kobe">神戸市（兵庫県）</option>' in page  # noqa: RUF001 - Japanese brackets on purpose


# --- missing parts ---------------------------------------------------------------------


def test_review_lists_every_missing_part_and_submit_is_refused_with_them(started):
    client, application = started

    page = _html(client.get(_url("review", application)))
    missing = page.split('data-testid="missing"')[1].split("</section>")[0]
    for part in (
        "Date of birth",
        "Citizenship",
        "Education: at least one institution",
        "Official transcript",
        "Self-report of medical conditions",
        "Two referees",
    ):
        assert f"<li>{part}</li>" in missing

    response = client.post(_url("review", application))

    assert response.status_code == 400
    page = _html(response)
    assert "The application is not complete. Missing: " in page
    assert "Two referees" in page.split('data-testid="error-summary"')[1]
    application.refresh_from_db()
    assert application.status == Status.DRAFT


# --- whose is it -----------------------------------------------------------------------


def test_another_applicants_application_and_documents_answer_404(
    client, make_applicant, draft_application
):
    owner = make_applicant("owner.one")
    application = draft_application(owner)
    document = application.documents.get(kind=Kind.TRANSCRIPT)
    outsider = make_applicant("outsider.two")
    client.force_login(outsider)

    for name in [slug for slug, _title in STEPS] + [
        "status",
        "withdraw",
        "interview",
        "reply",
    ]:
        assert client.get(_url(name, application)).status_code == 404, name
    response = client.post(_url("personal", application), {**PERSONAL, "family_name": "Hacker"})
    assert response.status_code == 404
    assert client.post(_url("withdraw", application)).status_code == 404
    assert client.post(_url("review", application)).status_code == 404
    assert client.get(reverse("mofa:document-download", args=[document.pk])).status_code == 404
    application.refresh_from_db()
    assert (application.family_name, application.status) == ("Miller", Status.DRAFT)

    client.force_login(owner)
    assert client.get(_url("status", application)).status_code == 200
    assert client.get(reverse("mofa:document-download", args=[document.pk])).status_code == 200


def test_applicant_pages_are_for_applicants_only(client, embassy_us, login):
    login("embassy.us")
    assert client.get(reverse("mofa:applicant-start")).status_code == 403
    client.logout()
    response = client.get(reverse("mofa:applicant-start"))
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")


# --- referees --------------------------------------------------------------------------


def _referee_links() -> dict[str, str]:
    links = {}
    for message in mail.outbox:
        found = re.search(r"https?://[^\s]+(/mofa/applicant/referee/[^/\s]+/)", message.body)
        if found:
            links[message.to[0]] = found.group(1)
    return links


def test_the_referee_link_works_once_then_answers_404(
    client, make_applicant, draft_application, django_capture_on_commit_callbacks
):
    owner = make_applicant("refereed", first_name="Zoë", last_name="Ångström")
    with django_capture_on_commit_callbacks(execute=True):
        application = draft_application(owner, given_names="Zoë", family_name="Ångström")
    referee = application.referees.first()
    link = _referee_links()[referee.email]

    page = client.get(link)
    assert page.status_code == 200
    assert "Zoë Ångström has named you as a referee" in _html(page)
    assert page["Cache-Control"] == "private, no-store"

    fake = SimpleUploadedFile("letter.pdf", b"plain words")
    response = client.post(link, {"file": fake})
    assert response.status_code == 400
    assert "This file is not a PDF, JPEG or PNG document." in _html(response)

    response = client.post(link, {"file": _pdf("letter-for-zoe.pdf")})
    assert response.status_code == 302
    assert response["Location"] == reverse("mofa:referee-done")
    referee.refresh_from_db()
    assert referee.submitted_at is not None
    assert referee.letter.kind == Kind.REFERENCE

    again = client.get(link)
    assert again.status_code == 404
    assert "This link has been used already or is not valid." in _html(again)
    assert client.post(link, {"file": _pdf()}).status_code == 404
    assert Referee.objects.get(pk=referee.pk).letter_id == referee.letter_id
    invalid = client.get(reverse("mofa:referee-upload", kwargs={"token": "not-a-real-token"}))
    assert invalid.status_code == 404


def test_the_applicant_never_sees_a_referees_letter(
    client, make_applicant, draft_application, django_capture_on_commit_callbacks
):
    owner = make_applicant("letter.owner")
    with django_capture_on_commit_callbacks(execute=True):
        application = draft_application(owner)
    referee = application.referees.first()
    client.post(_referee_links()[referee.email], {"file": _pdf("confidential-letter.pdf")})
    letter = Referee.objects.get(pk=referee.pk).letter

    client.force_login(owner)
    documents = _html(client.get(_url("documents", application)))
    assert "confidential-letter.pdf" not in documents
    assert reverse("mofa:document-download", args=[letter.pk]) not in documents
    referees = _html(client.get(_url("referees", application)))
    assert "Letter received on" in referees
    assert "confidential-letter.pdf" not in referees
    assert client.get(reverse("mofa:document-download", args=[letter.pk])).status_code == 404


# --- after submission ------------------------------------------------------------------


def test_status_shows_notices_but_never_eligibility_reasons(
    client, make_applicant, submitted_application
):
    # A British citizen applying through the US embassy is ineligible (citizenship).
    applicant = make_applicant("brit.in.us", country="GB")
    application = submitted_application(applicant)
    assert application.eligibility == Application.Eligibility.INELIGIBLE
    client.force_login(applicant)

    page = _html(client.get(_url("status", application)))

    assert "<strong>Submitted</strong>" in page
    assert "Your JET Programme application was submitted" in page
    assert "citizens of the country" not in page
    assert "Ineligible" not in page
    assert reverse("notifications:inbox") in page


def test_a_correction_request_shows_its_message_and_the_document_is_replaced(
    client, make_applicant, submitted_application, embassy_us
):
    applicant = make_applicant("corrected")
    application = submitted_application(applicant)
    transcript = application.documents.get(kind=Kind.TRANSCRIPT)
    due = timezone.localdate() + dt.timedelta(days=14)
    services.document_request_correction(
        by=embassy_us, document=transcript, message="The scan is unreadable.", due=due
    )
    client.force_login(applicant)

    page = _html(client.get(_url("documents", application)))
    section = page.split('data-testid="doc-transcript"')[1].split("</section>")[0]
    assert "Correction requested" in section
    assert "The scan is unreadable." in section
    assert "Upload the corrected document" in section
    other = page.split('data-testid="doc-graduation_proof"')[1].split("</section>")[0]
    assert 'type="file"' not in other

    response = client.post(
        _url("documents", application), {"kind": Kind.TRANSCRIPT, "file": _png("rescan.png")}
    )

    assert response.status_code == 302
    transcript.refresh_from_db()
    assert transcript.verification == Verification.REPLACED
    assert transcript.replaced_by.original_name == "rescan.png"
    response = client.post(
        _url("documents", application), {"kind": Kind.GRADUATION_PROOF, "file": _pdf()}
    )
    assert response.status_code == 400
    assert "can only be replaced when the mission asks for it" in _html(response)


def test_withdrawal_asks_for_confirmation_then_withdraws(
    client, make_applicant, submitted_application
):
    applicant = make_applicant("leaving")
    application = submitted_application(applicant)
    client.force_login(applicant)

    assert _url("withdraw", application) in _html(client.get(_url("status", application)))
    page = _html(client.get(_url("withdraw", application)))
    assert "This cannot be undone." in page
    application.refresh_from_db()
    assert application.status == Status.SUBMITTED

    response = client.post(_url("withdraw", application))

    assert response.status_code == 302
    application.refresh_from_db()
    assert application.status == Status.WITHDRAWN
    page = _html(client.get(_url("status", application)))
    assert "<strong>Withdrawn</strong>" in page
    assert _url("withdraw", application) not in page


def test_an_invited_applicant_books_an_interview_slot(
    client, make_applicant, submitted_application, embassy_us, open_year
):
    applicant = make_applicant("interviewee")
    application = submitted_application(applicant)
    services.interviews_invite(by=embassy_us, applications=[application])
    starts = timezone.now() + dt.timedelta(days=10)
    slot = services.interview_slot_create(
        by=embassy_us,
        programme_year=open_year,
        starts_at=starts,
        ends_at=starts + dt.timedelta(minutes=30),
        location="Embassy, Room 3",
        capacity=2,
    )
    client.force_login(applicant)

    page = _html(client.get(_url("interview", application)))
    assert "Embassy, Room 3" in page
    assert '<td class="num">2</td>' in page

    response = client.post(_url("interview", application), {"slot": slot.pk})

    assert response.status_code == 302
    assert Application.objects.get(pk=application.pk).interview.slot == slot
    page = _html(client.get(_url("interview", application)))
    assert 'data-testid="booking"' in page
    assert '<td class="num">1</td>' in page


def test_a_shortlisted_candidate_answers_after_release_then_uploads_follow_ups(
    client,
    fresh_round,
    make_applicant,
    submitted_application,
    embassy_us,
    us_manager,
    published_numbers,
    open_year,
):
    applicant = make_applicant("chosen")
    application = submitted_application(applicant)
    published_numbers(places=2)
    services.applications_decide(by=embassy_us, applications=[application], decision="SHORTLISTED")
    client.force_login(applicant)

    # Before release the decision does not show through.
    page = _html(client.get(_url("status", application)))
    assert "<strong>Under review</strong>" in page
    assert "Shortlisted" not in page
    assert "There is no offer to answer." in _html(client.get(_url("reply", application)))

    services.results_release(by=us_manager, programme_year=open_year)
    page = _html(client.get(_url("reply", application)))
    assert 'name="answer"' in page
    response = client.post(
        _url("reply", application),
        {"answer": "ACCEPT", "departure_airport": "", "dependants": "0", "passport_number": ""},
    )
    assert response.status_code == 400
    assert "Name your departure airport." in _html(response)

    expiry = (timezone.localdate() + dt.timedelta(days=900)).isoformat()
    response = client.post(
        _url("reply", application),
        {
            "answer": "ACCEPT",
            "departure_airport": "Washington Dulles",
            "dependants": "0",
            "passport_number": "X1234567",
            "passport_expiry": expiry,
        },
    )
    assert response.status_code == 302
    assert ReplyForm.objects.get(application=application).answer == "ACCEPT"

    response = client.post(
        _url("follow-up", application), {"kind": Kind.CRIMINAL_RECORD, "file": _pdf("fbi.pdf")}
    )
    assert response.status_code == 302
    page = _html(client.get(_url("reply", application)))
    assert "I accept" in page
    assert "fbi.pdf" in page


def test_education_is_added_and_removed_while_a_draft(started):
    client, application = started
    client.post(
        _url("education", application),
        {
            "institution": "Université de Montréal",
            "degree": "MASTER",
            "graduation_date": "2024-06-01",
        },
    )
    education = Education.objects.get(application=application)
    assert "Université de Montréal" in _html(client.get(_url("education", application)))

    response = client.post(_url("education-remove", application, education_pk=education.pk))

    assert response.status_code == 302
    assert not Education.objects.filter(application=application).exists()


def test_a_second_start_leads_to_the_application_already_open(started, us_mission):
    client, application = started

    response = client.get(reverse("mofa:applicant-start"))
    assert response.status_code == 302
    assert response["Location"] == _url("status", application)

    response = client.post(
        reverse("mofa:applicant-start"), {"mission": us_mission.pk, "position": "CIR"}
    )
    assert response.status_code == 400
    assert "You already have an application for this programme year." in _html(response)
    assert Application.objects.filter(applicant=application.applicant).count() == 1


def test_every_applicant_page_renders_in_japanese(as_applicant, submitted_application):
    client, user = as_applicant("nihongo", language="ja")
    application = submitted_application(user)
    for name in [slug for slug, _title in STEPS] + ["status", "withdraw", "interview", "reply"]:
        response = client.get(_url(name, application))
        assert response.status_code == 200, name
        assert '<html lang="ja">' in _html(response), name


def test_workspace_shows_the_application_card(started):
    client, application = started
    page = _html(client.get(reverse("mofa:applicant-workspace")))
    assert 'data-testid="application-card"' in page, (
        "ApplicantWorkspaceView must add views_applicant.workspace_context() to its context"
    )
    card = page.split('data-testid="application-card"')[1].split("</section>")[0]
    assert "<strong>Draft</strong>" in card
    assert application.number in card
    assert "Embassy of Japan in the United States" in card
    assert _url("personal", application) in card
    assert 'data-testid="start-application"' not in page
