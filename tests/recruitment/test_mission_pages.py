"""The embassy and consulate pages and MOFA HQ's overview, through the browser's door.

Who is who (tests/conftest.py and tests/recruitment/conftest.py):
- embassy_us: staff of the US embassy; reviews and decides its applications, but may
  not open a health self-report.
- us_manager: manager of the US embassy; also opens health self-reports, sets the rubric.
- embassy_uk: staff of the UK embassy; must never see a US application, anywhere.
- mofa: MOFA headquarters; reads the overview, not the mission pages.
"""

import csv
import datetime as dt
import io

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from openpyxl import load_workbook

from apps.core import access
from apps.core.models import Job
from apps.mofa import jobs
from apps.notifications.models import Notification
from apps.recruitment import services
from apps.recruitment.models import (
    Application,
    ApplicationDocument,
    ReplyForm,
    RubricCriterion,
    Score,
)

Status = Application.Status
LIST = "/mofa/mission/applications/"
EXPORT = "/mofa/mission/applications/export/"
RELEASE = "/mofa/mission/release/"


def detail(application) -> str:
    return f"/mofa/mission/applications/{application.pk}/"


def as_user(client, user):
    client.force_login(user)
    return client


def html(response) -> str:
    assert response.status_code == 200, response.status_code
    return response.content.decode()


@pytest.fixture
def us_app(fresh_round, make_applicant, submitted_application):
    """us_app(username, **fields) -> a submitted ALT application at the US embassy."""

    def _make(username: str, position: str = "ALT", **overrides):
        return submitted_application(make_applicant(username), position=position, **overrides)

    return _make


@pytest.fixture
def uk_app(fresh_round, make_applicant, submitted_application, uk_mission):
    def _make(username: str, **overrides):
        applicant = make_applicant(username, "GB")
        return submitted_application(applicant, mission=uk_mission, **overrides)

    return _make


def _bulk(client, applications, action, **fields):
    data = {"bulk-action": action, "bulk-applications": [a.pk for a in applications]}
    data.update({f"bulk-{k}": v for k, v in fields.items()})
    return client.post(LIST, data, follow=True)


def _export(client, django_capture_on_commit_callbacks, file_format: str, **filters) -> Job:
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(EXPORT, {"format": file_format, **filters})
    assert response.status_code == 302
    job = Job.objects.get(pk=response["Location"].rstrip("/").split("/")[-1])
    assert job.state == Job.State.DONE, job.error
    return job


def _csv_rows(job: Job) -> list[list[str]]:
    content = job.result_file.open("rb").read()
    assert content.startswith(b"\xef\xbb\xbf")  # UTF-8 byte-order mark, for Excel
    return list(csv.reader(io.StringIO(content.decode("utf-8-sig"))))


# --- only the mission's own ----------------------------------------------------------


def test_list_shows_only_the_missions_own_applications(
    client, embassy_us, embassy_uk, us_app, uk_app
):
    mine = us_app("whitfield", family_name="Whitfield")
    theirs = uk_app("pemberton", family_name="Pemberton")

    page = html(as_user(client, embassy_uk).get(LIST))
    assert theirs.number in page
    assert mine.number not in page
    assert "Whitfield" not in page

    page = html(as_user(client, embassy_us).get(LIST))
    assert mine.number in page
    assert theirs.number not in page


def test_another_missions_application_answers_404_on_page_and_actions(client, embassy_uk, us_app):
    application = us_app("whitfield")
    client = as_user(client, embassy_uk)

    assert client.get(detail(application)).status_code == 404
    response = client.post(detail(application), {"action": "decide", "decision": "SHORTLISTED"})
    assert response.status_code == 404
    response = _bulk(client, [application], "decide", decision="SHORTLISTED")
    assert "Select a valid choice" in html(response)
    application.refresh_from_db()
    assert application.status == Status.SUBMITTED


def test_status_counts_are_the_missions_own(client, embassy_uk, us_app, uk_app):
    us_app("us.one")
    us_app("us.two")
    uk_app("uk.one")

    page = html(as_user(client, embassy_uk).get("/mofa/mission/counts/"))
    # fresh_round set the demo applications aside: only ours wait for a decision.
    assert 'data-testid="count-SUBMITTED">1<' in page


def test_workspace_loads_the_counts_with_htmx(client, embassy_us, us_app):
    us_app("us.one")
    client = as_user(client, embassy_us)
    workspace = html(client.get("/mofa/mission/"))
    assert 'hx-get="/mofa/mission/counts/"' in workspace
    assert 'href="/mofa/mission/applications/"' in workspace

    fragment = html(client.get("/mofa/mission/counts/", HTTP_HX_REQUEST="true"))
    assert "<html" not in fragment
    assert 'data-testid="count-SUBMITTED">1<' in fragment


def test_other_kinds_are_refused_the_mission_pages(client, mofa, applicant):
    for user in (mofa, applicant):
        as_user(client, user)
        for url in (LIST, "/mofa/mission/interviews/", "/mofa/mission/rubric/", RELEASE):
            assert client.get(url).status_code == 403, (user, url)


# --- filters, search, sort -----------------------------------------------------------


def test_filters_and_search(client, embassy_us, us_manager, us_app, rubric):
    ada = us_app("ada", family_name="Lovelace", given_names="Ada")
    grace = us_app("grace", position="CIR", family_name="Hopper", given_names="Grace")
    alan = us_app("alan", family_name="Turing", given_names="Alan", citizenship="GB")
    services.score_record(
        by=embassy_us, application=ada, stage="SCREENING", points={rubric[0].pk: 5, rubric[1].pk: 5}
    )
    services.score_record(
        by=embassy_us,
        application=grace,
        stage="SCREENING",
        points={rubric[0].pk: 1, rubric[1].pk: 1},
    )
    services.reviewers_assign(by=embassy_us, applications=[grace], reviewer=us_manager)
    client = as_user(client, embassy_us)

    def shown(**query):
        page = html(client.get(LIST, query))
        return {a.number for a in (ada, grace, alan) if a.number in page}

    assert shown() == {ada.number, grace.number, alan.number}
    assert shown(q="lovelace") == {ada.number}
    assert shown(q=grace.number) == {grace.number}
    assert shown(position="CIR") == {grace.number}
    assert shown(eligibility="INELIGIBLE") == {alan.number}
    assert shown(score_min="50") == {ada.number}
    assert shown(score_max="50") == {grace.number}
    assert shown(reviewer=us_manager.pk) == {grace.number}
    assert shown(status="INTERVIEW") == set()


def test_sort_by_name_and_score(client, embassy_us, us_app, rubric):
    zed = us_app("zed", family_name="Zimmer")
    abe = us_app("abe", family_name="Abbott")
    services.score_record(
        by=embassy_us, application=zed, stage="SCREENING", points={rubric[0].pk: 5, rubric[1].pk: 5}
    )
    services.score_record(
        by=embassy_us, application=abe, stage="SCREENING", points={rubric[0].pk: 1, rubric[1].pk: 1}
    )
    client = as_user(client, embassy_us)

    page = html(client.get(LIST, {"sort": "name", "status": "SUBMITTED"}))
    assert page.index(abe.number) < page.index(zed.number)
    page = html(client.get(LIST, {"sort": "-score", "status": "SUBMITTED"}))
    assert page.index(zed.number) < page.index(abe.number)


def test_htmx_filter_answers_only_the_results(client, embassy_us, us_app):
    application = us_app("ada", family_name="Lovelace")
    fragment = html(
        as_user(client, embassy_us).get(LIST, {"q": "Lovelace"}, HTTP_HX_REQUEST="true")
    )
    assert fragment.lstrip().startswith('<div id="application-results">')
    assert application.number in fragment
    assert "<html" not in fragment


def test_an_unanswered_upgrade_stands_out(
    client, embassy_us, us_manager, us_app, published_numbers, open_year
):
    published_numbers(places=2)
    first, alternate = us_app("first"), us_app("alternate")
    services.applications_decide(by=embassy_us, applications=[first], decision="SHORTLISTED")
    services.applications_decide(by=embassy_us, applications=[alternate], decision="ALTERNATE")
    services.results_release(by=us_manager, programme_year=open_year)
    services.alternate_upgrade(
        by=embassy_us, application=alternate, reply_due=timezone.localdate() + dt.timedelta(days=7)
    )
    client = as_user(client, embassy_us)
    assert 'data-testid="no-answer"' not in html(client.get(LIST))

    # A week later the date has passed and no reply came.
    Application.objects.filter(pk=alternate.pk).update(
        reply_due=timezone.localdate() - dt.timedelta(days=1)
    )
    page = html(client.get(LIST))
    assert page.count('data-testid="no-answer"') == 1
    row = page[page.index(alternate.number) :]
    assert row.index('data-testid="no-answer"') < row.index("</tr>")
    assert 'data-testid="no-answer"' in html(client.get(detail(alternate)))


# --- bulk actions ----------------------------------------------------------------------


def test_bulk_assign_invite_and_decide(client, embassy_us, us_manager, us_app):
    one, two = us_app("one"), us_app("two")
    client = as_user(client, embassy_us)

    page = html(_bulk(client, [one, two], "assign", reviewer=us_manager.pk))
    assert "2 applications assigned to Grace Lee." in page
    assert set(one.reviewers.all()) == {us_manager}

    page = html(_bulk(client, [one], "invite"))
    assert "1 applicant invited to interview." in page

    page = html(_bulk(client, [one, two], "decide", decision="NOT_SELECTED"))
    assert "2 applications marked “Not selected”." in page
    assert set(
        Application.objects.filter(pk__in=[one.pk, two.pk]).values_list("status", flat=True)
    ) == {Status.NOT_SELECTED}


def test_bulk_action_needs_its_choice(client, embassy_us, us_app):
    one = us_app("one")
    page = html(_bulk(as_user(client, embassy_us), [one], "assign"))
    assert "Choose the reviewer to assign." in page
    page = html(_bulk(client, [], "invite"))
    assert "Select at least one application." in page


def test_quota_refusal_is_shown(client, embassy_us, us_app, published_numbers):
    published_numbers(places=1)
    one, two = us_app("one"), us_app("two")

    page = html(_bulk(as_user(client, embassy_us), [one, two], "decide", decision="SHORTLISTED"))

    assert (
        "Shortlisting would exceed the acceptance number: 1 places for United States (ALT), "
        "0 already shortlisted, 2 more asked."
    ) in page.replace("&quot;", '"')
    assert set(
        Application.objects.filter(pk__in=[one.pk, two.pk]).values_list("status", flat=True)
    ) == {Status.SUBMITTED}


def test_bulk_forward_refusal_names_the_application(client, embassy_us, us_app):
    one = us_app("one")
    page = html(_bulk(as_user(client, embassy_us), [one], "forward"))
    assert f"{one.number} is not a released shortlisted candidate." in page


# --- the detail page ------------------------------------------------------------------


def test_detail_shows_every_section(client, embassy_us, us_app):
    application = us_app("ada", family_name="Lovelace", name_japanese="ラブレス", citizenship="GB")
    page = html(as_user(client, embassy_us).get(detail(application)))
    for heading in (
        "Personal details",
        "Qualifications",
        "Education",
        "Placement wishes and history",
        "Statement of purpose",
        "Eligibility",
        "Documents and references",
        "Referees",
        "Screening",
        "Interview",
        "Decision",
    ):
        assert heading in page, heading
    assert "ラブレス" in page
    assert "Georgetown University" in page
    assert "Referee 1" in page
    # The eligibility reason in words, not its code.
    assert "Applicants must be citizens of the country of the embassy or consulate." in page


def test_scoring_twice_is_refused_with_the_message(client, embassy_us, us_app, rubric):
    application = us_app("ada")
    client = as_user(client, embassy_us)
    points = {f"screening-c{rubric[0].pk}": "4", f"screening-c{rubric[1].pk}": "3"}
    data = {"action": "score", "stage": "SCREENING", **points, "screening-comment": "Clear."}

    response = client.post(detail(application), data)
    assert response.status_code == 302
    page = html(client.get(detail(application)))
    assert "Your score is recorded." in page
    assert "Clear." in page
    assert "Record score" not in page  # the form is gone once scored

    page = html(client.post(detail(application), data))
    assert "You have already scored this application at this stage." in page
    assert Score.objects.filter(application=application).count() == 1


def test_score_out_of_range_keeps_the_form(client, embassy_us, us_app, rubric):
    application = us_app("ada")
    data = {
        "action": "score",
        "stage": "SCREENING",
        f"screening-c{rubric[0].pk}": "9",
        f"screening-c{rubric[1].pk}": "3",
        "screening-comment": "Kept.",
    }
    page = html(as_user(client, embassy_us).post(detail(application), data))
    assert "Ensure this value is less than or equal to 5." in page
    assert "Kept." in page
    assert not Score.objects.filter(application=application).exists()


def test_spread_of_the_reviewers_scores(client, embassy_us, us_manager, us_app, rubric):
    application = us_app("ada")
    for reviewer, value in ((embassy_us, 5), (us_manager, 2)):
        services.score_record(
            by=reviewer,
            application=application,
            stage="SCREENING",
            points={rubric[0].pk: value, rubric[1].pk: value},
        )
    page = html(as_user(client, embassy_us).get(detail(application)))
    # 100 and 40: average 70, range 40 to 100, population standard deviation 30.
    assert "<dd>70.00</dd>" in page
    assert "<dd>40.00 \u2013 100.00</dd>" in page
    assert "<dd>30.00</dd>" in page


def test_verify_and_request_correction(client, embassy_us, us_app):
    application = us_app("ada")
    transcript, proof = (
        application.documents.get(kind=kind) for kind in ("TRANSCRIPT", "CITIZENSHIP_PROOF")
    )
    client = as_user(client, embassy_us)

    client.post(detail(application), {"action": "verify", "document": transcript.pk})
    transcript.refresh_from_db()
    assert transcript.verification == ApplicationDocument.Verification.VERIFIED

    past = {
        "action": "correct",
        "document": proof.pk,
        f"doc{proof.pk}-message": "The scan is cut off.",
        f"doc{proof.pk}-due": timezone.localdate().isoformat(),
    }
    page = html(client.post(detail(application), past))
    assert "The due date must be in the future." in page
    assert "The scan is cut off." in page

    due = timezone.localdate() + dt.timedelta(days=10)
    response = client.post(detail(application), {**past, f"doc{proof.pk}-due": due.isoformat()})
    assert response.status_code == 302
    proof.refresh_from_db()
    assert proof.verification == ApplicationDocument.Verification.CORRECTION_REQUESTED
    assert (
        Notification.objects.filter(
            recipient=application.applicant, kind="document_correction"
        ).count()
        == 1
    )


def test_medical_report_only_for_managers(client, embassy_us, us_manager, us_app):
    application = us_app("ada")
    medical = application.documents.get(kind=ApplicationDocument.Kind.MEDICAL)
    download = f"/mofa/documents/{medical.pk}/"

    client = as_user(client, embassy_us)
    assert download not in html(client.get(detail(application)))
    assert client.get(download).status_code == 404

    client = as_user(client, us_manager)
    assert download in html(client.get(detail(application)))
    response = client.get(download)
    assert response.status_code == 200
    assert b"".join(response.streaming_content).startswith(b"%PDF-")


def test_staff_without_the_decide_permission_gets_403(client, embassy_us, us_mission, us_app):
    application = us_app("ada")
    access.revoke("decide_application", application, us_mission)
    client = as_user(client, embassy_us)

    assert client.get(detail(application)).status_code == 200
    response = client.post(detail(application), {"action": "decide", "decision": "NOT_SELECTED"})
    assert response.status_code == 403
    assert "Record a decision" not in html(client.get(detail(application)))


def test_interview_slot_assign_and_panel_score(client, embassy_us, us_manager, us_app, rubric):
    application = us_app("ada")
    client = as_user(client, embassy_us)
    start = timezone.localtime() + dt.timedelta(days=3)
    response = client.post(
        "/mofa/mission/interviews/",
        {
            "starts_at": start.strftime("%Y-%m-%dT%H:%M"),
            "ends_at": (start + dt.timedelta(minutes=30)).strftime("%Y-%m-%dT%H:%M"),
            "location": "Embassy, Room 2 (panel test)",
            "capacity": "1",
            "panel": [embassy_us.pk],
        },
    )
    assert response.status_code == 302
    slot = application.mission.interview_slots.get(location="Embassy, Room 2 (panel test)")
    assert list(slot.panel.all()) == [embassy_us]

    client.post(detail(application), {"action": "invite"})
    response = client.post(detail(application), {"action": "book", "slot": slot.pk})
    assert response.status_code == 302
    page = html(client.get("/mofa/mission/interviews/"))
    row = page[page.index("Embassy, Room 2 (panel test)") :]
    row = row[: row.index("</tr>")]
    assert application.number in row
    assert '<td class="num">0</td>' in row  # no free place left

    data = {
        "action": "score",
        "stage": "INTERVIEW",
        f"interview-c{rubric[0].pk}": "5",
        f"interview-c{rubric[1].pk}": "5",
    }
    assert client.post(detail(application), data).status_code == 302
    application.refresh_from_db()
    assert str(application.interview_average) == "100.00"

    # The manager is not on the panel: no form, and the service says why.
    client = as_user(client, us_manager)
    assert "Your interview score" not in html(client.get(detail(application)))
    page = html(client.post(detail(application), data))
    assert "Only members of the interview panel score the interview." in page


def test_interview_slot_form_refusal(client, embassy_us):
    start = timezone.localtime() + dt.timedelta(days=3)
    page = html(
        as_user(client, embassy_us).post(
            "/mofa/mission/interviews/",
            {
                "starts_at": start.strftime("%Y-%m-%dT%H:%M"),
                "ends_at": (start + dt.timedelta(minutes=30)).strftime("%Y-%m-%dT%H:%M"),
                "capacity": "2",
            },
        )
    )
    assert "Give a place or an online meeting link." in page


# --- decisions, release, alternates, hand-off -----------------------------------------


def test_results_are_not_visible_to_the_applicant_before_release(
    client, embassy_us, us_manager, us_app, published_numbers
):
    published_numbers(places=2)
    application = us_app("ada")
    client = as_user(client, embassy_us)
    response = client.post(detail(application), {"action": "decide", "decision": "SHORTLISTED"})
    assert response.status_code == 302

    application.refresh_from_db()
    assert application.status == Status.SHORTLISTED
    assert application.status_for_applicant() == "Under review"
    assert not Notification.objects.filter(
        recipient=application.applicant, kind__startswith="result_"
    )
    page = html(client.get(RELEASE))
    assert 'data-testid="count-SHORTLISTED">1<' in page
    assert 'data-testid="count-undecided">0<' in page

    page = html(as_user(client, us_manager).post(RELEASE, {}))
    assert "Tick the box to confirm the release." in page
    assert not Notification.objects.filter(
        recipient=application.applicant, kind__startswith="result_"
    )

    response = client.post(RELEASE, {"confirm": "on"}, follow=True)
    assert "Results released: 1 applicant is told." in html(response)
    assert 'data-testid="released"' in html(response)
    application.refresh_from_db()
    assert application.status_for_applicant() == "Shortlisted"
    assert (
        Notification.objects.filter(
            recipient=application.applicant, kind="result_shortlisted"
        ).count()
        == 1
    )
    # Released: the decision can no longer be changed on the page.
    assert "Record a decision" not in html(client.get(detail(application)))


def test_release_refused_while_applications_are_undecided(
    client, us_manager, us_app, published_numbers
):
    us_app("ada")
    page = html(as_user(client, us_manager).post(RELEASE, {"confirm": "on"}))
    message = "1 application is undecided: release is not possible until it has a decision."
    assert page.count(message) == 1


def test_upgrade_an_alternate_and_forward_to_clair(
    client, embassy_us, us_manager, us_app, published_numbers, open_year, clair
):
    published_numbers(places=1)
    first, alternate = us_app("first"), us_app("alternate")
    services.applications_decide(by=embassy_us, applications=[first], decision="SHORTLISTED")
    services.applications_decide(by=embassy_us, applications=[alternate], decision="ALTERNATE")
    services.results_release(by=us_manager, programme_year=open_year)
    services.reply_submit(by=first.applicant, application=first, answer=ReplyForm.Answer.DECLINE)
    client = as_user(client, embassy_us)

    page = html(client.get(detail(alternate)))
    assert "Offer this alternate a place" in page
    due = timezone.localdate() + dt.timedelta(days=5)
    response = client.post(detail(alternate), {"action": "upgrade", "reply_due": due.isoformat()})
    assert response.status_code == 302
    alternate.refresh_from_db()
    assert alternate.status == Status.SHORTLISTED
    assert alternate.reply_due == due

    services.reply_submit(
        by=alternate.applicant,
        application=alternate,
        answer=ReplyForm.Answer.ACCEPT,
        departure_airport="Washington Dulles (IAD)",
        passport_number="X12345678",
        passport_expiry=timezone.localdate() + dt.timedelta(days=1000),
    )
    assert "Forward to CLAIR" in html(client.get(detail(alternate)))
    response = client.post(detail(alternate), {"action": "forward"}, follow=True)
    assert "Forwarded to CLAIR." in html(response)
    alternate.refresh_from_db()
    assert alternate.status == Status.FORWARDED
    assert access.can(clair, "view", alternate)


# --- rubric ---------------------------------------------------------------------------


def test_managers_add_rubric_criteria_staff_cannot(client, embassy_us, us_manager, programme_year):
    data = {"name_en": "Motivation", "name_ja": "志望動機", "weight": "2", "max_score": "5"}
    rubric = RubricCriterion.objects.filter(
        mission=us_manager.organisation, programme_year=programme_year
    )
    before = rubric.count()
    page = html(as_user(client, embassy_us).get("/mofa/mission/rubric/"))
    assert "Add a criterion" not in page
    # Staff see the rubric but may not add to it: 403 (the service's refusal).
    assert client.post("/mofa/mission/rubric/", data).status_code == 403
    assert rubric.count() == before

    response = as_user(client, us_manager).post("/mofa/mission/rubric/", data, follow=True)
    page = html(response)
    assert "Criterion “Motivation” added." in page
    assert "志望動機" in page


# --- export ---------------------------------------------------------------------------


def test_export_csv_has_only_own_rows_and_escapes_formulas(
    client, embassy_us, us_app, uk_app, django_capture_on_commit_callbacks
):
    formula = us_app("formula", family_name='=HYPERLINK("http://x")', given_names="+Sum")
    japanese = us_app("yamada", family_name="山田", given_names="@花子", name_japanese="山田花子")
    theirs = uk_app("pemberton", family_name="Pemberton")

    job = _export(as_user(client, embassy_us), django_capture_on_commit_callbacks, "csv")

    rows = _csv_rows(job)
    numbers = {row[0] for row in rows[1:]}
    assert {formula.number, japanese.number} <= numbers
    assert theirs.number not in numbers
    assert all(Application.objects.get(number=n).mission_id == formula.mission_id for n in numbers)
    by_number = {row[0]: row for row in rows[1:]}
    assert by_number[formula.number][1:3] == ['\'=HYPERLINK("http://x")', "'+Sum"]
    assert by_number[japanese.number][1:4] == ["山田", "'@花子", "山田花子"]
    assert job.total == len(rows) - 1
    assert job.result_filename.endswith(".csv")


def test_export_follows_the_filters_and_answers_with_the_job_page(
    client, embassy_us, us_app, django_capture_on_commit_callbacks
):
    ada = us_app("ada", family_name="Lovelace")
    alan = us_app("alan", family_name="Turing")
    client = as_user(client, embassy_us)

    job = _export(client, django_capture_on_commit_callbacks, "xlsx", q="Lovelace")

    sheet = load_workbook(job.result_file.open("rb")).active
    values = list(sheet.values)
    assert values[0][0] == "Application number"
    assert [row[0] for row in values[1:]] == [ada.number]
    assert alan.number not in str(values)
    page = html(client.get(job.get_absolute_url()))
    assert 'data-testid="job-download"' in page


def test_export_job_never_reaches_wider_than_the_requester(
    embassy_uk, us_app, uk_app, django_capture_on_commit_callbacks
):
    mine = uk_app("pemberton")
    us = us_app("whitfield")
    # Even params naming the US application's number and no year stay inside the UK.
    with django_capture_on_commit_callbacks(execute=True):
        job = jobs.applications_export_start(
            by=embassy_uk, filters={"q": us.number}, file_format="csv"
        )
    job.refresh_from_db()
    assert job.state == Job.State.DONE
    assert len(_csv_rows(job)) == 1  # the header only

    with django_capture_on_commit_callbacks(execute=True):
        job = jobs.applications_export_start(by=embassy_uk, filters={}, file_format="csv")
    job.refresh_from_db()
    numbers = {row[0] for row in _csv_rows(job)[1:]}
    assert mine.number in numbers
    assert us.number not in numbers


def test_export_format_must_be_known(client, embassy_us):
    response = as_user(client, embassy_us).post(EXPORT, {"format": "pdf"}, follow=True)
    assert "Choose CSV or Excel." in html(response)
    assert not Job.objects.filter(requested_by=embassy_us).exists()


# --- query counts ---------------------------------------------------------------------


def _queries(client, url, query) -> int:
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url, query)
    assert response.status_code == 200
    return len(ctx.captured_queries)


def test_list_query_count_does_not_grow_with_rows(
    client, embassy_us, us_manager, us_app, published_numbers, open_year
):
    solo = us_app("solo", family_name="Solorow")
    many = [us_app(f"many.{i}", family_name="Manyrow") for i in range(30)]
    services.reviewers_assign(by=embassy_us, applications=many[:10], reviewer=us_manager)
    services.reviewers_assign(by=embassy_us, applications=many[:5], reviewer=embassy_us)
    client = as_user(client, embassy_us)
    _queries(client, LIST, {})  # warm the caches

    one = _queries(client, LIST, {"q": "Solorow"})
    thirty = _queries(client, LIST, {"q": "Manyrow"})

    assert one == thirty
    # session, user, permissions, filters' choices, count, rows... and (issue 19) the
    # clickable status counts, the places left and the saved filters: one query each.
    assert thirty <= 18
    page = html(client.get(LIST, {"q": "Manyrow"}))
    assert page.count('data-testid="application-row"') == 30
    assert solo.number not in page


def test_pages_keep_the_filters(client, embassy_us, us_app, monkeypatch):
    from apps.mofa.views_mission import ApplicationListView

    monkeypatch.setattr(ApplicationListView, "paginate_by", 2)
    numbers = {us_app(f"page.{i}", family_name="Paged").number for i in range(3)}
    client = as_user(client, embassy_us)

    first = html(client.get(LIST, {"q": "Paged"}))
    assert "Page 1 of 2" in first
    assert 'href="?q=Paged&amp;page=2"' in first
    second = html(client.get(LIST, {"q": "Paged", "page": "2"}))
    shown = {n for n in numbers if n in first} | {n for n in numbers if n in second}
    assert shown == numbers


# --- MOFA HQ ---------------------------------------------------------------------------


def test_hq_overview_counts_every_country_against_places(
    client, mofa, embassy_us, us_app, uk_app, published_numbers
):
    published_numbers(places=7)
    us_app("ada")
    uk_app("pemberton")
    page = html(as_user(client, mofa).get("/mofa/hq/overview/"))
    assert "United States" in page
    assert "United Kingdom" in page
    assert 'data-testid="overview-chart"' in page
    assert 'role="img"' in page
    assert ">7</td>" in page
    # Numbers, not people.
    assert "Miller" not in page

    assert as_user(client, embassy_us).get("/mofa/hq/overview/").status_code == 403


def test_hq_workspace_links_the_overview(client, mofa):
    assert 'href="/mofa/hq/overview/"' in html(as_user(client, mofa).get("/mofa/hq/"))


def test_every_page_renders_in_japanese(client, embassy_us, mofa, us_app, rubric):
    application = us_app("ada", name_japanese="山田花子")
    embassy_us.language = "ja"
    embassy_us.save(update_fields=["language"])
    client = as_user(client, embassy_us)
    for url in (
        LIST,
        detail(application),
        "/mofa/mission/interviews/",
        "/mofa/mission/rubric/",
        RELEASE,
        "/mofa/mission/counts/",
        "/mofa/mission/",
    ):
        assert '<html lang="ja">' in html(client.get(url)), url
    mofa.language = "ja"
    mofa.save(update_fields=["language"])
    assert '<html lang="ja">' in html(as_user(client, mofa).get("/mofa/hq/overview/"))
