"""The permission matrix (tests/permissions/matrix.py) against the demo world.

Two promises: every URL pattern of the project has a row (so nobody adds a page or an
endpoint without saying who may use it), and every row holds: each demo account, and an
anonymous visitor, gets the stated answer for each method. One test per URL name, each
in its own rolled-back transaction; every request in it runs in a savepoint rolled back
after it, so one role's write never changes what the next role finds.

The objects in URLs are picked from the demo world by meaning (OBJECTS below), never by
id; the few the demo does not hold (a finished export, a suggestion run, attachments, a
referee's link, a calendar address) are made through the services, as their users would.
"""

from __future__ import annotations

from collections.abc import Callable

import pytest
from django.contrib.admin.sites import site as admin_site
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.test import Client, TestCase
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.utils import timezone
from django.views.generic import RedirectView
from django.views.generic.edit import ProcessFormView

from apps.core.models import Organisation, ProgrammeYear, User
from tests.conftest import DEMO_PASSWORD
from tests.permissions.matrix import (
    ADMIN,
    ADMIN_LOGIN,
    ADMIN_MANAGER,
    ALLOWED,
    LOGIN,
    ROLES,
    ROUTES,
    UPLOAD,
    Ref,
    Route,
)

PDF = b"%PDF-1.4\n1 0 obj << >> endobj\ntrailer << >>\n%%EOF\n"


# --- the objects in URLs, by meaning -------------------------------------------------------


def _user(username: str) -> User:
    return User.objects.get(username=username)


def _organisation(username: str) -> Organisation:
    return _user(username).organisation


def _run_on_commit(start: Callable):
    """A service whose work a worker does after commit: run that work now."""
    with TestCase.captureOnCommitCallbacks(execute=True):
        return start()


def organisation_of_hyogo():
    return {"pk": _organisation("co.hyogo").pk}


def prefecture_of_hyogo():
    return {"pk": "28"}


def job_of_hyogo():
    """Hyogo's finished export of its placements: only the one who asked sees it."""
    from apps.placement.jobs import placements_export_start

    job = _run_on_commit(lambda: placements_export_start(by=_user("co.hyogo"), file_format="csv"))
    return {"pk": job.pk}


def notification_of_applicant():
    """One of the applicant's notices in their inbox."""
    from apps.notifications.models import Notification

    notice = Notification.objects.filter(recipient=_user("applicant")).order_by("pk").first()
    return {"pk": notice.pk}


def _suggestion_run():
    from apps.placement.services import matching_run_start

    run = _run_on_commit(lambda: matching_run_start(by=_user("clair")))
    run.refresh_from_db()
    return run


def suggestion_run():
    return {"pk": _suggestion_run().pk}


def line_of_suggestion_run():
    run = _suggestion_run()
    return {"pk": run.pk, "line": run.lines.order_by("pk").first().pk}


def line_of_suggestion_run_by_pk():
    return {"pk": _suggestion_run().lines.order_by("pk").first().pk}


def _open_round():
    from apps.reappointment.models import ReappointmentRound

    return ReappointmentRound.objects.get(state=ReappointmentRound.State.OPEN)


def open_round():
    return {"pk": _open_round().pk}


def _case_of_participant():
    return _open_round().cases.get(participant=_user("participant"))


def case_of_participant():
    return {"pk": _case_of_participant().pk}


def case_of_participant_in_round():
    case = _case_of_participant()
    return {"pk": case.round_id, "case": case.pk}


def current_year():
    return {"year": ProgrammeYear.objects.get(is_current=True).year}


def _application_of_applicant():
    return _user("applicant").applications.get()


def application_of_applicant():
    """The applicant's application with the US embassy, invited to interview."""
    return {"pk": _application_of_applicant().pk}


def education_of_applicant():
    application = _application_of_applicant()
    return {"pk": application.pk, "education_pk": application.education.first().pk}


def document_of_applicant():
    """Their transcript (not the medical report, which only a mission's managers open)."""
    return {"pk": _application_of_applicant().documents.get(kind="TRANSCRIPT").pk}


def referee_link():
    """A referee's private link, named by an applicant still drafting with the US embassy."""
    from django.db.models import Count

    from apps.notifications.models import Notification
    from apps.recruitment.models import Application
    from apps.recruitment.services import referee_add

    application = (
        Application.objects.annotate(referees_named=Count("referees"))
        .filter(
            status=Application.Status.DRAFT,
            mission=_organisation("embassy.us"),
            referees_named__lt=2,
        )
        .order_by("pk")
        .first()
    )
    referee = referee_add(
        by=application.applicant,
        application=application,
        name="Pat Referee",
        email="pat.referee@example.org",
    )
    link = Notification.objects.get(key=f"reference_requested:{referee.pk}").context["link"]
    return {"token": link.rstrip("/").rsplit("/", 1)[-1]}


def _hyogo_positions():
    from apps.placement.models import PositionRequest

    return PositionRequest.objects.filter(organisation=_organisation("co.hyogo"))


def position_requested_by_hyogo():
    """Not yet reviewed by MIC (so CLAIR, who sees approved positions, does not see it)."""
    return {"pk": _hyogo_positions().filter(state="REQUESTED").order_by("pk").first().pk}


def placement_awaiting_hyogo():
    """A candidate CLAIR placed with Hyogo, waiting for Hyogo's answer."""
    from apps.placement.models import Placement

    placement = (
        Placement.objects.filter(
            position__organisation=_organisation("co.hyogo"),
            status=Placement.Status.CONFIRMED,
        )
        .order_by("pk")
        .first()
    )
    return {"pk": placement.pk}


def placement_of_participant():
    from apps.placement.models import Placement

    return {"pk": Placement.objects.get(application__applicant=_user("participant")).pk}


def contract_of_participant():
    """The participant's contract with Hyogo in force today (their second year)."""
    from apps.placement.models import Contract

    contract = (
        Contract.objects.filter(placement__application__applicant=_user("participant"))
        .order_by("-contract_year", "-version")
        .first()
    )
    return {"pk": contract.pk}


def _conference_of_clair():
    from apps.events.models import Event

    return Event.objects.get(kind="SKILL_DEV", organiser=_organisation("clair"))


def conference_of_clair():
    """CLAIR's Skill Development Conference for Hyogo, where MEXT presents workshops and
    the participant is registered."""
    return {"pk": _conference_of_clair().pk}


def session_of_mext():
    """MEXT's workshop at that conference."""
    session = _conference_of_clair().sessions.filter(presenter=_organisation("mext")).first()
    return {"pk": session.pk}


def registration_of_participant():
    return {"pk": _conference_of_clair().registrations.get(person=_user("participant")).pk}


def _support_case_of_participant():
    from apps.support.models import SupportCase

    return SupportCase.objects.get(participant=_user("participant"), shared_at__isnull=False)


def support_case_of_participant():
    """The participant's case in the counsellor's hands, whose summary they shared with
    Hyogo's prefectural advisor."""
    return {"pk": _support_case_of_participant().pk}


def new_case_of_participant():
    """The participant's new request, in the counsellors' queue (nobody has taken it)."""
    from apps.support.models import SupportCase

    case = SupportCase.objects.get(
        participant=_user("participant"), status="NEW", assigned_to__isnull=True
    )
    return {"pk": case.pk}


def counsellor():
    return {"pk": _user("clair.counsellor").pk}


def attachment_in_support_case():
    from apps.support.services import support_message_add

    case = _support_case_of_participant()
    message = support_message_add(
        by=_user("participant"),
        case=case,
        body="The letter from my school.",
        attachment=SimpleUploadedFile("letter.pdf", PDF, content_type="application/pdf"),
    )
    return {"pk": case.pk, "message_pk": message.pk}


def _claim_of_participant():
    from apps.support.models import SubsidyClaim

    return SubsidyClaim.objects.get(participant=_user("participant"), state="SUBMITTED")


def claim_of_participant():
    """The participant's counselling subsidy claim, waiting for Hyogo's check."""
    return {"pk": _claim_of_participant().pk}


def claim_returned_to_participant():
    """A claim returned to the participant for correction."""
    from apps.support.models import SubsidyClaim

    claim = SubsidyClaim.objects.get(participant=_user("participant"), state="RETURNED")
    return {"pk": claim.pk}


def receipt_of_participant():
    return {"pk": _claim_of_participant().receipts.first().pk}


def _enrolment_of_participant():
    from apps.learning.models import Enrolment

    return Enrolment.objects.select_related("intake").get(participant=_user("participant"))


def current_intake():
    """The course intake the participant is enrolled in."""
    return {"pk": _enrolment_of_participant().intake_id}


def enrolment_of_participant():
    return {"pk": _enrolment_of_participant().pk}


def enrolment_with_certificate():
    """The participant's enrolment once they hand in one more test and CLAIR marks it:
    the certificate is issued."""
    from apps.learning import services_course

    enrolment = _enrolment_of_participant()
    test = enrolment.intake.tests.exclude(submissions__enrolment=enrolment).order_by("number")[0]
    submission = services_course.submit(
        by=_user("participant"),
        test=test,
        uploaded=SimpleUploadedFile("test.pdf", PDF, content_type="application/pdf"),
    )
    services_course.submission_mark(by=_user("clair"), submission=submission, score=90)
    enrolment.refresh_from_db()
    assert enrolment.certificate_number, "the demo's participant should now complete the course"
    return {"pk": enrolment.pk}


def released_material():
    intake = _enrolment_of_participant().intake
    material = intake.materials.filter(release_on__lte=timezone.localdate()).first()
    return {"pk": material.pk}


def open_test():
    """A test of that intake the participant has not handed in yet."""
    enrolment = _enrolment_of_participant()
    test = (
        enrolment.intake.tests.exclude(submissions__enrolment=enrolment).order_by("number").first()
    )
    return {"pk": test.pk}


def submission_of_participant():
    return {"pk": _enrolment_of_participant().submissions.order_by("pk").first().pk}


def _document_of_mext():
    from apps.learning.models import LibraryDocument

    return (
        LibraryDocument.objects.filter(
            publisher=_organisation("mext"), audience="ALT", versions__isnull=False
        )
        .distinct()
        .order_by("pk")
        .first()
    )


def document_of_mext():
    """MEXT's curriculum document for ALTs."""
    return {"pk": _document_of_mext().pk}


def version_of_mext_document():
    return {"pk": _document_of_mext().versions.order_by("-number").first().pk}


def _thread_of_clair_and_mic():
    from apps.outreach.models import Thread

    return (
        Thread.objects.filter(members=_organisation("clair"))
        .filter(members=_organisation("mic"))
        .get()
    )


def thread_of_clair_and_mic():
    return {"pk": _thread_of_clair_and_mic().pk}


def attachment_in_thread():
    from apps.outreach.services_correspondence import message_post

    thread = _thread_of_clair_and_mic()
    message = message_post(
        by=_user("clair"),
        thread=thread,
        body="The timetable, attached.",
        attachment=SimpleUploadedFile("timetable.pdf", PDF, content_type="application/pdf"),
    )
    return {"pk": thread.pk, "message_pk": message.pk}


def promotion_of_embassy_us():
    from apps.outreach.models import PromotionActivity

    promotion = (
        PromotionActivity.objects.filter(organisation=_organisation("embassy.us"))
        .order_by("pk")
        .first()
    )
    return {"pk": promotion.pk}


def consent_on_uk_roll():
    """A former participant's standing consent to alumni contact, on the UK roll."""
    from apps.outreach.models import AlumniConsent

    consent = AlumniConsent.objects.get(
        mission=_organisation("embassy.uk"), withdrawn_at__isnull=True
    )
    return {"pk": consent.pk}


def calendar_of_participant():
    from apps.events.services import calendar_feed_get

    return {"token": calendar_feed_get(person=_user("participant")).token}


def _answer_of_participant():
    from apps.safety.models import SafetyAnswer

    return SafetyAnswer.objects.get(safety_check__state="OPEN", participant=_user("participant"))


def open_safety_check():
    """The open check for Hyogo (the participant) and Kobe (a UK national)."""
    return {"pk": _answer_of_participant().safety_check_id}


def answer_of_participant():
    return {"pk": _answer_of_participant().pk}


def answer_link_of_participant():
    return {"token": _answer_of_participant().token}


def answer_tap_of_participant():
    return {"token": _answer_of_participant().token, "choice": "safe"}


def saved_filter_of_embassy_us():
    """The US embassy's saved filter of its application list."""
    from apps.core.services import saved_filter_save

    saved = saved_filter_save(
        by=_user("embassy.us"),
        path=reverse("mofa:mission-applications"),
        query="status=SUBMITTED",
        name="To screen",
    )
    return {"pk": saved.pk}


def guideline_us_alt():
    from apps.recruitment.models import AcceptanceNumber

    number = AcceptanceNumber.objects.get(
        programme_year__is_current=True, country__code="US", position="ALT"
    )
    return {"pk": number.pk}


def slot_of_embassy_us():
    """One of the US embassy's interview slots, which the invited applicant may see."""
    from apps.recruitment.models import InterviewSlot

    slot = (
        InterviewSlot.objects.filter(mission=_organisation("embassy.us"))
        .order_by("starts_at", "pk")
        .last()
    )
    return {"pk": slot.pk}


def notice_kind():
    """A notice a mission may word itself (each mission reads and changes its own)."""
    return {"kind": "result_not_selected"}


def token_of_applicant():
    from apps.core.services import api_token_create

    token, _key = api_token_create(user=_user("applicant"))
    return {"token_key": token.token_key}


OBJECTS: dict[str, Callable[[], dict]] = {
    function.__name__: function
    for function in (
        organisation_of_hyogo,
        saved_filter_of_embassy_us,
        prefecture_of_hyogo,
        job_of_hyogo,
        notification_of_applicant,
        suggestion_run,
        line_of_suggestion_run,
        line_of_suggestion_run_by_pk,
        open_round,
        case_of_participant,
        case_of_participant_in_round,
        current_year,
        application_of_applicant,
        education_of_applicant,
        document_of_applicant,
        referee_link,
        position_requested_by_hyogo,
        placement_awaiting_hyogo,
        placement_of_participant,
        contract_of_participant,
        conference_of_clair,
        session_of_mext,
        registration_of_participant,
        support_case_of_participant,
        new_case_of_participant,
        counsellor,
        attachment_in_support_case,
        claim_of_participant,
        claim_returned_to_participant,
        receipt_of_participant,
        current_intake,
        enrolment_of_participant,
        enrolment_with_certificate,
        released_material,
        open_test,
        submission_of_participant,
        document_of_mext,
        version_of_mext_document,
        thread_of_clair_and_mic,
        attachment_in_thread,
        promotion_of_embassy_us,
        consent_on_uk_roll,
        calendar_of_participant,
        open_safety_check,
        answer_of_participant,
        answer_link_of_participant,
        answer_tap_of_participant,
        guideline_us_alt,
        slot_of_embassy_us,
        token_of_applicant,
        notice_kind,
    )
}


# --- the URL patterns ----------------------------------------------------------------------


def _patterns(patterns=None, namespace=""):
    """(name, pattern, namespace) of every URL pattern, names with their namespaces
    ("api:contract-detail"), None for a pattern without a name."""
    for pattern in get_resolver().url_patterns if patterns is None else patterns:
        if isinstance(pattern, URLResolver):
            inner = f"{namespace}{pattern.namespace}:" if pattern.namespace else namespace
            yield from _patterns(pattern.url_patterns, inner)
        elif isinstance(pattern, URLPattern):
            name = f"{namespace}{pattern.name}" if pattern.name else None
            yield name, pattern, namespace


def _is_format_variant(pattern: URLPattern) -> bool:
    """DRF's `.json` twin of a route (format_suffix_patterns, the router's): the same view
    and the same rule as the route it doubles."""
    return "format" in pattern.pattern.regex.groupindex


def url_names() -> set[str]:
    return {name for name, pattern, _ in _patterns() if name and not _is_format_variant(pattern)}


def _view_methods(pattern: URLPattern) -> set[str] | None:
    """The methods a class-based view or viewset route answers (None: a function view,
    whose methods only its row can say)."""
    view = pattern.callback
    actions = getattr(view, "actions", None)
    if actions:  # DRF adds HEAD to a viewset's map once a GET has been served
        return {method.upper() for method in actions} - {"HEAD", "OPTIONS"}
    cls = getattr(view, "cls", None) or getattr(view, "view_class", None)
    if cls is None:
        return None
    if issubclass(cls, RedirectView):
        return {"GET"}
    methods = set()
    for method in ("get", "post", "put", "patch", "delete"):
        handler = getattr(cls, method, None)
        if handler is None or method not in cls.http_method_names:
            continue
        if handler is ProcessFormView.put:  # a form's PUT is its POST, never used
            continue
        methods.add(method.upper())
    return methods


ROUTES_BY_NAME = {route.name: route for route in ROUTES}


def test_every_url_pattern_has_a_row_and_every_row_a_pattern():
    assert len(ROUTES_BY_NAME) == len(ROUTES), "a URL name has two rows"
    names = {name for name in url_names() if not name.startswith("admin:")}
    # The admin's own unnamed redirects (an object's bare address to its change page,
    # the catch-all) fall under its one rule.
    unnamed = sorted(
        str(pattern.pattern)
        for name, pattern, namespace in _patterns()
        if name is None and namespace != "admin:"
    )
    missing = sorted(names - set(ROUTES_BY_NAME))
    gone = sorted(set(ROUTES_BY_NAME) - names)
    assert not missing, "URL names with no row in tests/permissions/matrix.py: " + ", ".join(
        missing
    )
    assert not gone, "rows for URL names that no longer exist: " + ", ".join(gone)
    assert not unnamed, "URL patterns without a name (the matrix cannot state them): " + (
        ", ".join(unnamed)
    )


def test_every_row_states_each_method_its_view_answers():
    wrong = []
    for name, pattern, _ in _patterns():
        route = ROUTES_BY_NAME.get(name)
        if route is None or _is_format_variant(pattern):
            continue
        methods = _view_methods(pattern)
        if methods is not None and methods != set(route.methods):
            wrong.append(
                f"{name}: the view answers {sorted(methods)}, the row states {route.methods}"
            )
    assert not wrong, "\n".join(wrong)


def test_every_object_a_row_names_is_picked_here():
    assert {route.kwargs for route in ROUTES if route.kwargs} <= set(OBJECTS)


# --- walking the table ---------------------------------------------------------------------


def _client(role: str, *, api: bool):
    from rest_framework.test import APIClient

    from apps.core.services import api_token_create

    client = APIClient() if api else Client()
    client.raise_request_exception = False  # a 500 is an answer to report, not a crash
    if role == "anonymous":
        return client
    user = _user(role)
    if api:
        _token, key = api_token_create(user=user)
        client.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    else:
        client.force_login(user)
    return client


def _body(route: Route) -> dict:
    """The route's body with its references resolved (a fresh file for each request)."""
    body = {}
    for key, value in (route.body or {}).items():
        if isinstance(value, Ref):
            value = OBJECTS[value.meaning]()["pk"]
        body[key] = value
    return body


def _send(client, method: str, url: str, *, api: bool, body: dict | None = None):
    """One request in a savepoint rolled back after it: every role finds the same world."""
    body = dict(body or {})
    upload = any(value == UPLOAD for value in body.values())
    for key, value in body.items():
        if value == UPLOAD:
            body[key] = SimpleUploadedFile("scan.pdf", PDF, content_type="application/pdf")
    with transaction.atomic():
        if method == "GET":
            response = client.get(url)
        elif method == "DELETE":
            response = client.delete(url)
        elif api:
            send = getattr(client, method.lower())
            response = send(url, body, format="multipart" if upload else "json")
        else:
            response = client.post(url, body)
        transaction.set_rollback(True)
    return response


def _got(response) -> int | str:
    if response.status_code == 302:
        location = response.url
        if location.startswith(reverse("admin:login")):
            return ADMIN_LOGIN
        if location.startswith(reverse("login")):
            return LOGIN
    return response.status_code


def _matches(expected, got) -> bool:
    if isinstance(expected, frozenset):
        return got in expected
    if expected == 302:  # a redirect that is not to a sign-in page
        return got == 302
    return expected == got


def _shown(expected) -> str:
    if expected == ALLOWED:
        return "allowed (2xx, 302 or 400)"
    return str(expected)


def walk(
    name: str,
    url: str,
    answers: Callable[[str, str], object],
    methods,
    *,
    api: bool,
    body: dict | None = None,
):
    """Every role, every method; the list of what differed."""
    clients = {role: _client(role, api=api) for role in ROLES}
    mismatches = []
    for method in methods:
        for role in ROLES:
            expected = answers(role, method)
            got = _got(_send(clients[role], method, url, api=api, body=body))
            if not _matches(expected, got):
                mismatches.append(
                    f"{name} {method} as {role}: expected {_shown(expected)}, got {got}"
                )
    return mismatches


@pytest.mark.django_db
@pytest.mark.parametrize("route", ROUTES, ids=lambda route: route.name)
def test_who_may_use(route: Route):
    kwargs = OBJECTS[route.kwargs]() if route.kwargs else {}
    url = reverse(route.name, kwargs=kwargs)
    mismatches = walk(
        route.name, url, route.expected, route.methods, api=route.is_api, body=_body(route)
    )
    assert not mismatches, f"{url}\n" + "\n".join(mismatches)


# --- the admin -----------------------------------------------------------------------------


def _admin_model(name: str):
    """The model an admin URL name belongs to, and the view ("admin:core_user_change" ->
    (User, "change")); (None, the name) for the admin's own pages."""
    for model in admin_site._registry:
        prefix = f"admin:{model._meta.app_label}_{model._meta.model_name}_"
        if name.startswith(prefix):
            return model, name[len(prefix) :]
    return None, name.removeprefix("admin:")


def _admin_rows() -> None:
    """Rows for the admin's models the demo leaves empty: a token, and the sign-in
    records of a successful sign-in and then a failed one (a success clears failures)."""
    from apps.core.services import api_token_create

    api_token_create(user=_user("participant"))
    Client().post(reverse("login"), {"username": "participant", "password": DEMO_PASSWORD})
    Client().post(reverse("login"), {"username": "participant", "password": "not this one"})
    # django-axes writes its failure log only with AXES_ENABLE_ACCESS_FAILURE_LOG, off here.
    from axes.models import AccessFailureLog

    if not AccessFailureLog.objects.exists():
        AccessFailureLog.objects.create(
            username="participant", ip_address="127.0.0.1", user_agent="test", path_info="/"
        )


def _admin_url(name: str) -> str:
    from django.contrib.contenttypes.models import ContentType

    model, view = _admin_model(name)
    if model is None:
        if view == "app_list":
            return reverse(name, kwargs={"app_label": "core"})
        if view == "auth_user_password_change":  # the user admin's password form
            return reverse(name, kwargs={"id": _user("participant").pk})
        if view == "view_on_site":
            content_type = ContentType.objects.get_for_model(Organisation)
            return reverse(
                name,
                kwargs={
                    "content_type_id": content_type.pk,
                    "object_id": _organisation("co.hyogo").pk,
                },
            )
        return reverse(name)
    if view in ("changelist", "add"):
        return reverse(name)
    row = model._default_manager.order_by("pk").first()
    if view == "simple_history":
        record = row.history.order_by("history_id").first()
        return reverse(name, args=[row.pk, record.history_id])
    if view.startswith("permissions"):
        kwargs = {"object_pk": row.pk}
        if view.endswith("manage_user"):
            kwargs["user_id"] = _user(ADMIN_MANAGER).pk
        if view.endswith("manage_group"):
            kwargs["group_id"] = _organisation("clair").group_id
        return reverse(name, kwargs=kwargs)
    return reverse(name, kwargs={"object_id": row.pk})


ADMIN_NAMES = sorted(name for name in url_names() if name.startswith("admin:"))


@pytest.mark.django_db
@pytest.mark.parametrize("name", ADMIN_NAMES)
def test_who_may_use_the_admin(name: str):
    _admin_rows()
    model, view = _admin_model(name)
    mismatches = walk(
        name,
        _admin_url(name),
        lambda role, method: ADMIN.expected(role, method, model, view),
        ADMIN.methods(view),
        api=False,
    )
    assert not mismatches, "\n".join(mismatches)


def test_the_admin_is_walked_whole():
    """Every model the admin registers has its changelist among the names walked."""
    changelists = {name for name in ADMIN_NAMES if name.endswith("_changelist")}
    assert changelists == {
        f"admin:{model._meta.app_label}_{model._meta.model_name}_changelist"
        for model in admin_site._registry
    }
