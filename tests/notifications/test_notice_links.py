"""Every kind of notice links to its object: in the inbox, and at the end of the email as
an absolute URL from SITE_URL, in the recipient's language; the link opens for them.

The kinds are read from the code (`KINDS`) and the email templates: a new kind without a
link, or without a scenario here, fails. Each scenario triggers the notice through the
service that sends it where that is a line or two on the demo world, and otherwise
records it through the notifications service with the real object and the context the
sending service builds.
"""

import datetime as dt
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from django.conf import settings
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone, translation

from apps.core import access
from apps.core import services as core_services
from apps.core.models import Organisation, User
from apps.events.models import Registration
from apps.events.services import event_context
from apps.learning.models import Enrolment, LibraryDocument
from apps.notifications.kinds import KINDS, SECRET_CONTEXT, subject_for
from apps.notifications.links import LINKS, notice_link
from apps.notifications.models import Notification
from apps.notifications.services import notifications_record
from apps.outreach.models import ThreadMember
from apps.outreach.services_correspondence import message_post
from apps.placement.models import Contract, Placement
from apps.placement.notices import contract_context, placement_context
from apps.reappointment.models import ReappointmentCase
from apps.reappointment.rules import case_context
from apps.recruitment.models import Application
from apps.recruitment.services import _mission_context, referee_add
from apps.safety import rules as safety_rules
from apps.safety.models import SafetyAnswer
from apps.support import services as support_services
from apps.support.models import SubsidyClaim, SupportCase
from apps.support.subsidy import claim_context
from tests.factories import ApplicationFactory, PersonFactory

TEMPLATES = Path(settings.BASE_DIR) / "templates" / "notifications" / "email"
ALL_KINDS = sorted(set(KINDS) | {p.stem for p in TEMPLATES.glob("*.txt")})


def _user(username: str) -> User:
    return User.objects.get(username=username)


def _record(kind: str, recipient: User, context: dict) -> None:
    notifications_record(recipients=[recipient], kind=kind, context=context, key=None)


# --- the demo world's objects -----------------------------------------------------------


def _application() -> Application:
    return Application.objects.get(applicant__username="applicant")


def _placement() -> Placement:
    return Placement.objects.get(
        application__applicant__username="participant", status=Placement.Status.ACCEPTED
    )


def _contract() -> Contract:
    return Contract.objects.filter(placement=_placement()).order_by("-version").first()


def _case() -> ReappointmentCase:
    return ReappointmentCase.objects.filter(participant__username="participant").first()


def _event_registration() -> Registration:
    return Registration.objects.filter(
        person__username="participant", state=Registration.State.REGISTERED
    ).first()


def _claim(state: str) -> SubsidyClaim:
    return SubsidyClaim.objects.filter(participant__username="participant", state=state).first()


def _support_case(**filters) -> SupportCase:
    return SupportCase.objects.filter(participant__username="participant", **filters).first()


def _open_safety_answer() -> SafetyAnswer:
    return SafetyAnswer.objects.get(participant__username="participant", safety_check__state="OPEN")


def _org(username: str) -> Organisation:
    return _user(username).organisation


# --- one scenario per kind: [(recipient, the page the link must open)], and the trigger ---
#
# Each scenario returns (recipients, expected paths, trigger). The trigger runs after the
# recipients' language is set to Japanese.


def s_membership_added():
    person = PersonFactory(person_role="")
    hyogo = _org("co.hyogo")

    def trigger():
        core_services.membership_add(by=None, user=person, organisation=hyogo, role="STAFF")

    return [(person, f"/organisations/{hyogo.pk}/")], trigger


def s_password_changed():
    person = _user("participant")
    return [(person, "/accounts/password/")], lambda: core_services.password_changed_notify(
        user=person
    )


def s_email_confirm():
    person = PersonFactory()
    return [(person, "/accounts/confirm/?token=")], lambda: core_services.email_confirm_send(
        user=person
    )


def _applicant_scenario(kind: str, path: str, **extra):
    person = _user("applicant")
    application = _application()
    return [(person, path.format(pk=application.pk))], lambda: _record(
        kind, person, _mission_context(application) | extra
    )


def s_application_submitted():
    return _applicant_scenario("application_submitted", "/mofa/applicant/application/{pk}/")


def s_application_forwarded():
    return _applicant_scenario("application_forwarded", "/mofa/applicant/application/{pk}/")


def s_interview_invited():
    return _applicant_scenario("interview_invited", "/mofa/applicant/application/{pk}/interview/")


def s_interview_booked():
    return _applicant_scenario(
        "interview_booked",
        "/mofa/applicant/application/{pk}/",
        starts_at=(timezone.now() + dt.timedelta(days=3)).isoformat(),
        location="Embassy, room 2",
        online_url="",
    )


def s_document_correction():
    return _applicant_scenario(
        "document_correction",
        "/mofa/applicant/application/{pk}/documents/",
        document="DEGREE",
        message="The scan is cut off.",
        due=(timezone.localdate() + dt.timedelta(days=7)).isoformat(),
    )


def _result(kind: str):
    return _applicant_scenario(
        kind,
        "/mofa/applicant/application/{pk}/",
        reply_due=(timezone.localdate() + dt.timedelta(days=14)).isoformat(),
        rank=None,
    )


def s_result_shortlisted():
    return _result("result_shortlisted")


def s_result_alternate():
    return _result("result_alternate")


def s_result_not_selected():
    return _result("result_not_selected")


def s_alternate_upgraded():
    return _result("alternate_upgraded")


def s_reference_requested():
    application = ApplicationFactory()
    # The applicant's own grant, as `application_start` gives it.
    access.grant_user("change", application, application.applicant)
    application.applicant.language = "ja"
    application.applicant.save(update_fields=["language"])

    def trigger():
        referee_add(
            by=application.applicant,
            application=application,
            name="Dr Jane Moss",
            email="moss.referee@example.org",
        )

    return [("moss.referee@example.org", "/mofa/applicant/referee/")], trigger


def s_numbers_published():
    staff = _user("embassy.us")
    context = {"year": 2027, "country_en": "United States", "country_ja": "アメリカ合衆国"}
    return [(staff, "/mofa/mission/")], lambda: _record(
        "numbers_published", staff, context | {"places": {"ALT": 10}}
    )


def s_place_freed():
    staff = _user("embassy.us")
    application = _application()
    return [(staff, f"/mofa/mission/applications/{application.pk}/")], lambda: _record(
        "place_freed", staff, _mission_context(application) | {"position": "ALT"}
    )


def s_alternate_requested():
    staff = _user("embassy.us")
    return [(staff, "/mofa/mission/applications/")], lambda: _record(
        "alternate_requested", staff, {"position": "ALT", "note": "", "year": 2027}
    )


def s_alternate_request_fulfilled():
    staff = _user("clair")
    return [(staff, "/clair/alternates/")], lambda: _record(
        "alternate_request_fulfilled",
        staff,
        _mission_context(_application()) | {"position": "ALT"},
    )


def s_placement_offered():
    staff = _user("co.hyogo")
    return [(staff, "/contracting/placements/")], lambda: _record(
        "placement_offered", staff, placement_context(_placement())
    )


def s_placement_declined():
    staff = _user("clair")
    return [(staff, "/clair/placement/")], lambda: _record(
        "placement_declined", staff, placement_context(_placement()) | {"reason": "No housing."}
    )


def s_placement_notice():
    candidate, mission = _user("participant"), _user("embassy.us")

    def trigger():
        notifications_record(
            recipients=[candidate, mission],
            kind="placement_notice",
            context=placement_context(_placement()),
            key=None,
        )

    return [(candidate, "/participant/placement/"), (mission, "/mofa/mission/placements/")], trigger


def s_placement_accepted():
    staff = _user("co.hyogo")
    contract = _contract()
    return [(staff, f"/contracting/contracts/{contract.pk}/")], lambda: _record(
        "placement_accepted", staff, placement_context(_placement()) | {"contract": contract.pk}
    )


def s_placement_withdrawn():
    mission, organisation = _user("embassy.us"), _user("co.hyogo")

    def trigger():
        notifications_record(
            recipients=[mission, organisation],
            kind="placement_withdrawn",
            context=placement_context(_placement()) | {"reason": ""},
            key=None,
        )

    return [
        (mission, "/mofa/mission/placements/"),
        (organisation, "/contracting/placements/"),
    ], trigger


def _contract_scenario(kind: str, username: str, path: str):
    person = _user(username)
    contract = _contract()
    return [(person, path.format(pk=contract.pk))], lambda: _record(
        kind, person, contract_context(contract)
    )


def s_contract_issued():
    return _contract_scenario("contract_issued", "participant", "/participant/contracts/{pk}/")


def s_contract_signed():
    return _contract_scenario("contract_signed", "co.hyogo", "/contracting/contracts/{pk}/")


def s_contract_in_force():
    return _contract_scenario("contract_in_force", "participant", "/participant/contracts/{pk}/")


def _event_scenario(kind: str):
    registration = _event_registration()
    person = registration.person
    return [(person, f"/programme/events/{registration.event_id}/")], lambda: _record(
        kind, person, event_context(registration.event)
    )


def s_event_changed():
    return _event_scenario("event_changed")


def s_event_waitlist_moved_up():
    return _event_scenario("event_waitlist_moved_up")


def s_event_reminder_week():
    return _event_scenario("event_reminder_week")


def s_event_reminder_day():
    return _event_scenario("event_reminder_day")


def s_reappointment_organisation_answered():
    person = _user("participant")
    return [(person, "/participant/reappointment/")], lambda: _record(
        "reappointment_organisation_answered", person, case_context(_case()) | {"offer": True}
    )


def s_reappointment_confirmed():
    person, staff = _user("participant"), _user("co.hyogo")

    def trigger():
        notifications_record(
            recipients=[person, staff],
            kind="reappointment_confirmed",
            context=case_context(_case()),
            key=None,
        )

    return [
        (person, "/participant/reappointment/"),
        (staff, "/contracting/reappointment/"),
    ], trigger


def s_reappointment_leaving():
    person = _user("participant")
    return [(person, "/programme/schedule/")], lambda: _record(
        "reappointment_leaving", person, case_context(_case())
    )


def s_reappointment_leaver():
    staff = _user("embassy.us")
    return [(staff, "/mofa/mission/placements/")], lambda: _record(
        "reappointment_leaver", staff, case_context(_case())
    )


def _deadline() -> dict:
    return {"year": 2027, "deadline": (timezone.now() + dt.timedelta(days=7)).isoformat()}


def s_reappointment_reminder_organisation():
    staff = _user("co.hyogo")
    return [(staff, "/contracting/reappointment/")], lambda: _record(
        "reappointment_reminder_organisation", staff, _deadline()
    )


def s_reappointment_reminder_participant():
    person = _user("participant")
    return [(person, "/participant/reappointment/")], lambda: _record(
        "reappointment_reminder_participant", person, _deadline()
    )


def s_support_case_opened():
    counsellor = _user("clair.counsellor")
    case = _support_case(assigned_to__isnull=True)
    return [(counsellor, f"/support/{case.pk}/")], lambda: _record(
        "support_case_opened", counsellor, {"case": case.pk}
    )


def s_support_case_assigned():
    counsellor = _user("clair.counsellor")
    case = _support_case(assigned_to=counsellor)
    return [(counsellor, f"/support/{case.pk}/")], lambda: _record(
        "support_case_assigned", counsellor, {"case": case.pk}
    )


def s_support_message_participant():
    counsellor = _user("clair.counsellor")
    case = _support_case(assigned_to=counsellor, status__in=["NEW", "IN_PROGRESS", "WAITING"])
    return [(counsellor, f"/support/{case.pk}/")], lambda: support_services.support_message_add(
        by=case.participant, case=case, body="One more thing."
    )


def s_support_reply():
    counsellor = _user("clair.counsellor")
    case = _support_case(assigned_to=counsellor, status__in=["NEW", "IN_PROGRESS", "WAITING"])
    return [
        (case.participant, f"/support/{case.pk}/")
    ], lambda: support_services.support_message_add(by=counsellor, case=case, body="Here is how.")


def s_support_shared():
    case = _support_case(host_organisation__isnull=True, status__in=["NEW", "IN_PROGRESS"])
    advisor = _user("co.hyogo.advisor")
    return [(advisor, f"/support/{case.pk}/")], lambda: support_services.support_case_share(
        by=case.participant, case=case, summary="Overtime at the base school."
    )


def _claim_scenario(kind: str, username: str, state: str):
    person = _user(username)
    claim = _claim(state)
    return [(person, f"/subsidy/{claim.pk}/")], lambda: _record(kind, person, claim_context(claim))


def s_subsidy_claim_submitted():
    return _claim_scenario("subsidy_claim_submitted", "co.hyogo", "SUBMITTED")


def s_subsidy_claim_resubmitted():
    return _claim_scenario("subsidy_claim_resubmitted", "co.hyogo", "SUBMITTED")


def s_subsidy_claim_forwarded():
    return _claim_scenario("subsidy_claim_forwarded", "clair", "FORWARDED")


def s_subsidy_claim_approved():
    return _claim_scenario("subsidy_claim_approved", "participant", "APPROVED")


def s_subsidy_claim_returned():
    return _claim_scenario("subsidy_claim_returned", "participant", "RETURNED")


def _course_scenario(kind: str, extra: dict):
    enrolment = Enrolment.objects.filter(participant__username="participant").first()
    person = enrolment.participant
    context = {"intake_id": enrolment.intake_id, "intake": enrolment.intake.title_en} | extra
    return [(person, f"/course/intakes/{enrolment.intake_id}/")], lambda: _record(
        kind, person, context
    )


def s_course_submission_marked():
    return _course_scenario("course_submission_marked", {"test": "Test 1", "score": 80})


def s_course_certificate_issued():
    return _course_scenario("course_certificate_issued", {"number": "JLC-0001-000001"})


def s_library_published():
    staff = _user("co.hyogo")
    document = LibraryDocument.objects.filter(audience="CONTRACTING").first()
    context = {
        "document_id": document.pk,
        "number": 1,
        "title_en": document.title_en,
        "title_ja": document.title_ja or document.title_en,
        "publisher_en": "CLAIR",
        "publisher_ja": "自治体国際化協会",
    }
    return [(staff, f"/library/{document.pk}/")], lambda: _record(
        "library_published", staff, context
    )


def s_correspondence_message():
    clair, mic = _user("clair"), _user("mic")
    theirs = ThreadMember.objects.filter(organisation=mic.organisation).values("thread")
    thread = ThreadMember.objects.filter(organisation=clair.organisation, thread__in=theirs)
    thread = thread.first().thread
    return [(mic, f"/correspondence/{thread.pk}/")], lambda: message_post(
        by=clair, thread=thread, body="The timetable is attached."
    )


def _safety_message(kind: str):
    answer = _open_safety_answer()

    def trigger():
        safety_rules.notify_participants(
            check=answer.safety_check,
            answers=SafetyAnswer.objects.filter(pk=answer.pk),
            kind=kind,
            key=f"test-links:{kind}",
        )

    return [(answer.participant, f"/safety/answer/{answer.token}/")], trigger


def s_safety_check_started():
    return _safety_message("safety_check_started")


def s_safety_check_reminder():
    return _safety_message("safety_check_reminder")


def s_safety_need_help():
    answer = _open_safety_answer()
    staff = _user("co.hyogo")
    return [(staff, f"/safety/answers/{answer.pk}/")], lambda: safety_rules.answer_by_link(
        token=answer.token, status=SafetyAnswer.Status.NEED_HELP
    )


def s_safety_help_assigned():
    staff = _user("clair")
    answer = SafetyAnswer.objects.filter(status="NEED_HELP", safety_check__state="OPEN").first()
    check = answer.safety_check
    context = {
        "check": check.pk,
        "title_en": check.title_en,
        "title_ja": check.title_ja,
        "participant": answer.participant.get_full_name(),
        "answer": answer.pk,
    }
    return [(staff, f"/safety/answers/{answer.pk}/")], lambda: _record(
        "safety_help_assigned", staff, context
    )


SCENARIOS = {
    name.removeprefix("s_"): function
    for name, function in globals().copy().items()
    if name.startswith("s_")
}


# --- the tests ------------------------------------------------------------------------------


def test_every_kind_has_a_template_a_link_and_a_scenario():
    templates = {p.stem for p in TEMPLATES.glob("*.txt")}
    assert set(KINDS) == templates
    assert len(KINDS) == 53
    assert set(LINKS) == set(KINDS), "a kind without a link"
    assert set(SCENARIOS) == set(KINDS), "a kind without a scenario in this file"


def _client(user: User) -> Client:
    client = Client()
    client.force_login(user)
    return client


def _path(url: str) -> str:
    parts = urlsplit(url)
    return parts.path + (f"?{parts.query}" if parts.query else "")


@pytest.mark.parametrize("kind", ALL_KINDS)
def test_notice_links_to_its_object(kind, db, mailoutbox, django_capture_on_commit_callbacks):
    if kind not in SCENARIOS:
        pytest.fail(f"No scenario for the notice kind {kind!r}: add one, with its link.")
    targets, trigger = SCENARIOS[kind]()
    for person, _expected in targets:
        if isinstance(person, User):
            person.language = "ja"
            person.save(update_fields=["language"])
    with django_capture_on_commit_callbacks(execute=True):
        trigger()
    link_ja = LINKS[kind].label("ja")
    with translation.override("ja"):
        subject_ja = str(subject_for(kind))
    personal = kind in SECRET_CONTEXT or kind.startswith(("safety_check_",))

    for person, expected in targets:
        address = person.email if isinstance(person, User) else person
        if isinstance(person, User):
            notification = Notification.objects.filter(recipient=person, kind=kind).latest("pk")
        else:
            notification = Notification.objects.filter(email=person, kind=kind).latest("pk")
        assert notification.language == "ja"

        # The email: in Japanese, ending with the absolute URL of the object's page.
        mail = [m for m in mailoutbox if address in m.to and m.subject == subject_ja]
        assert mail, f"no email in Japanese to {address}"
        body = mail[-1].body
        urls = [w for w in body.split() if w.startswith(settings.SITE_URL)]
        assert urls, body
        if personal:
            # The notice's own personal link, wherever the text gives it.
            url = min((u for u in urls if _path(u).startswith(expected)), key=len)
        else:
            url = urls[-1]
            assert body.rstrip().endswith(url), body
            assert link_ja in body
        assert _path(url).startswith(expected), (url, expected)
        for alternative, mimetype in getattr(mail[-1], "alternatives", []):
            if mimetype == "text/html":
                assert url in alternative

        # The link opens for the recipient (a personal link without signing in too).
        client = _client(person) if isinstance(person, User) else Client()
        response = client.get(_path(url))
        assert response.status_code == 200, (kind, url, response.status_code)
        if not isinstance(person, User):
            continue

        # The inbox item links to the same page, in the reader's language.
        page = client.get("/inbox/").content.decode()
        link = notice_link(notification, user=person, language="ja")
        assert link is not None
        assert f'href="{link.url}"' in page or f'href="{link.url.replace("&", "&amp;")}"' in page
        assert link_ja in page
        if kind not in SECRET_CONTEXT:
            assert link.url == url
        else:
            # The email's single-use link is not kept: the inbox offers a page instead.
            assert client.get(_path(link.url), follow=True).status_code == 200


def test_inbox_stays_flat_in_queries(db, django_assert_max_num_queries):
    """Thirty notices of every kind cost no more queries than one."""
    participant = _user("participant")
    placement, contract, claim = _placement(), _contract(), _claim("APPROVED")
    contexts = [
        ("contract_in_force", contract_context(contract)),
        ("placement_notice", placement_context(placement)),
        ("subsidy_claim_approved", claim_context(claim)),
        ("reappointment_confirmed", case_context(_case())),
        ("event_changed", event_context(_event_registration().event)),
        ("password_changed", {}),
    ]
    kind, context = contexts[0]
    _record(kind, participant, context)
    client = _client(participant)
    client.get("/inbox/")  # the session and the menu's own first reads
    with CaptureQueriesContext(connection) as one:
        assert client.get("/inbox/").status_code == 200
    for i in range(29):
        kind, context = contexts[i % len(contexts)]
        _record(kind, participant, context)
    with django_assert_max_num_queries(len(one.captured_queries)):
        page = client.get("/inbox/").content.decode()
    assert page.count('class="inbox__link"') == 30


def test_the_api_inbox_gives_each_notice_its_link(db, api_as, django_assert_max_num_queries):
    participant = _user("participant")
    _record("password_changed", participant, {})
    api = api_as("participant")
    api.get("/api/v1/notifications/")
    with CaptureQueriesContext(connection) as one:
        api.get("/api/v1/notifications/")
    for _ in range(9):
        _record("password_changed", participant, {})
    _record("contract_in_force", participant, contract_context(_contract()))
    with django_assert_max_num_queries(len(one.captured_queries)):
        rows = api.get("/api/v1/notifications/").json()["results"]

    item = rows[0]  # the newest
    assert item["kind"] == "contract_in_force"
    expected = notice_link(Notification.objects.get(pk=item["id"]), user=participant)
    assert item["link"] == expected.url
    assert item["link"].startswith(settings.SITE_URL)
    assert item["link_label"] == "Open the contract"
