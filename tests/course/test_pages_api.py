"""The course's pages and API: enrol with the button, read released materials, hand in,
mark, export; files and certificates answer 404 to anyone else."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from apps.core.models import Job
from apps.demo.course import BEGINNER, INTERMEDIATE
from apps.learning import course, services_course
from apps.learning.models import CourseIntake, Enrolment
from tests.course.conftest import enrolment_of, pdf

pytestmark = pytest.mark.django_db


def _completed(make_intake, make_participant, make_tests, clair):
    intake = make_intake()
    person = make_participant()
    services_course.enrol(by=person, intake=intake)
    for test in make_tests(intake, count=4, due_in_days=5):
        submission = services_course.submit(by=person, test=test, uploaded=pdf())
        services_course.submission_mark(by=clair, submission=submission, score=75)
    return person, enrolment_of(person, intake)


# --- pages ----------------------------------------------------------------------------------


def test_participant_enrols_with_the_button_and_downloads_the_material(login, participant):
    client = login("participant")
    intake = CourseIntake.objects.get(title_en=INTERMEDIATE)
    page = client.get(reverse("course:intake-list")).content.decode()
    assert f'data-testid="enrol-{intake.pk}"' in page
    response = client.post(reverse("course:enrol", args=[intake.pk]))
    assert response.status_code == 302
    assert Enrolment.objects.filter(participant=participant, intake=intake).exists()
    detail = client.get(reverse("course:intake-detail", args=[intake.pk])).content.decode()
    released = intake.materials.filter(release_on__lte=timezone.localdate())
    unreleased = intake.materials.filter(release_on__gt=timezone.localdate())
    assert released.exists()
    assert unreleased.exists()
    for material in released:
        assert f'data-testid="material-{material.pk}"' in detail
        response = client.get(reverse("course:material-download", args=[material.pk]))
        assert response.status_code == 200
        assert b"".join(response.streaming_content).startswith(b"%PDF-")
        assert "attachment" in response["Content-Disposition"]
    for material in unreleased:
        assert f'data-testid="material-{material.pk}"' not in detail
        response = client.get(reverse("course:material-download", args=[material.pk]))
        assert response.status_code == 404


def test_participant_hands_in_a_test_on_the_page(login, participant):
    client = login("participant")
    intake = CourseIntake.objects.get(title_en=BEGINNER)
    test = intake.tests.get(number=5)
    response = client.post(reverse("course:submit", args=[test.pk]), {"file": pdf()})
    assert response.status_code == 302
    submission = enrolment_of(participant, intake).submissions.get(test=test)
    assert submission.on_time


def test_clair_sees_the_figures_and_marks(login):
    client = login("clair")
    intake = CourseIntake.objects.get(title_en=BEGINNER)
    page = client.get(reverse("course:intake-detail", args=[intake.pk])).content.decode()
    assert 'data-testid="course-stats"' in page
    assert 'data-testid="stat-completed">1<' in page
    unmarked = intake.tests.first().submissions.filter(score__isnull=True).first()
    if unmarked is not None:
        response = client.post(reverse("course:mark", args=[unmarked.pk]), {"score": "81"})
        assert response.status_code == 302
        unmarked.refresh_from_db()
        assert unmarked.score == 81


def test_others_cannot_use_the_course_pages(login):
    intake = CourseIntake.objects.get(title_en=BEGINNER)
    for username in ("co.hyogo", "mofa", "embassy.us", "applicant"):
        client = login(username)
        assert client.get(reverse("course:intake-list")).status_code == 403
        assert client.get(reverse("course:intake-detail", args=[intake.pk])).status_code == 403
        client.logout()


def test_clair_creates_an_intake_a_material_and_a_test_on_the_pages(login):
    client = login("clair")
    now = timezone.localtime()
    response = client.post(
        reverse("course:intake-create"),
        {
            "level": "ADVANCED",
            "title_en": "Advanced Japanese, spring",
            "title_ja": "上級日本語",
            "enrol_opens": (now - dt.timedelta(days=1)).strftime("%Y-%m-%dT%H:%M"),
            "enrol_closes": (now + dt.timedelta(days=9)).strftime("%Y-%m-%dT%H:%M"),
            "capacity": "12",
            "starts_on": now.date().isoformat(),
            "ends_on": (now.date() + dt.timedelta(days=90)).isoformat(),
        },
    )
    assert response.status_code == 302, response.content[:2000]
    intake = CourseIntake.objects.get(title_en="Advanced Japanese, spring")
    response = client.post(
        reverse("course:material-create", args=[intake.pk]),
        {"title_en": "Month 1", "title_ja": "第1月", "release_on": now.date().isoformat()}
        | {"file": pdf("m1.pdf")},
    )
    assert response.status_code == 302
    response = client.post(
        reverse("course:test-create", args=[intake.pk]),
        {
            "number": "1",
            "title_en": "Test 1",
            "title_ja": "",
            "due_at": (now + dt.timedelta(days=30)).strftime("%Y-%m-%dT%H:%M"),
        },
    )
    assert response.status_code == 302
    assert intake.materials.count() == 1
    assert intake.tests.count() == 1


def test_a_bad_material_file_is_refused_on_the_form(login):
    from django.core.files.uploadedfile import SimpleUploadedFile

    client = login("clair")
    intake = CourseIntake.objects.get(title_en=INTERMEDIATE)
    response = client.post(
        reverse("course:material-create", args=[intake.pk]),
        {
            "title_en": "Fake",
            "title_ja": "",
            "release_on": timezone.localdate().isoformat(),
            "file": SimpleUploadedFile("x.pdf", b"<html>no</html>", "application/pdf"),
        },
    )
    assert response.status_code == 200
    assert "not a PDF" in response.content.decode()


# --- files and certificates: 404 to anyone else ----------------------------------------------


def test_certificate_is_for_the_participant_and_clair_only(
    client, login, make_intake, make_participant, make_tests, clair
):
    person, enrolment = _completed(make_intake, make_participant, make_tests, clair)
    url = reverse("course:certificate-download", args=[enrolment.pk])
    client.force_login(person)
    response = client.get(url)
    assert response.status_code == 200
    assert response.content.startswith(b"%PDF-")
    client.logout()
    login("clair")
    assert client.get(url).status_code == 200
    client.logout()
    for username in ("participant", "co.hyogo", "mofa", "embassy.us", "mext"):
        login(username)
        assert client.get(url).status_code == 404, username
        client.logout()


def test_no_certificate_answers_404_even_to_the_participant(login, participant):
    enrolment = Enrolment.objects.get(participant=participant, intake__title_en=BEGINNER)
    assert enrolment.certificate_issued_at is None
    client = login("participant")
    url = reverse("course:certificate-download", args=[enrolment.pk])
    assert client.get(url).status_code == 404


def test_files_of_others_answer_404(client, login, make_participant, participant):
    intake = CourseIntake.objects.get(title_en=BEGINNER)
    stranger = make_participant()
    material = intake.materials.filter(release_on__lte=timezone.localdate()).first()
    own_submission = enrolment_of(participant, intake).submissions.first()
    client.force_login(stranger)
    assert client.get(reverse("course:material-download", args=[material.pk])).status_code == 404
    response = client.get(reverse("course:submission-download", args=[own_submission.pk]))
    assert response.status_code == 404
    client.logout()
    login("co.hyogo")
    assert client.get(reverse("course:material-download", args=[material.pk])).status_code == 404
    response = client.get(reverse("course:submission-download", args=[own_submission.pk]))
    assert response.status_code == 404
    client.logout()
    login("participant")
    response = client.get(reverse("course:submission-download", args=[own_submission.pk]))
    assert response.status_code == 200


def test_demo_has_a_completed_enrolment_with_a_certificate(login):
    enrolment = Enrolment.objects.filter(
        intake__title_en=BEGINNER, certificate_issued_at__isnull=False
    ).first()
    assert enrolment is not None
    assert course.completes(enrolment)
    client = login("clair")
    response = client.get(reverse("course:certificate-download", args=[enrolment.pk]))
    assert response.status_code == 200
    assert response.content.startswith(b"%PDF-")


# --- API -------------------------------------------------------------------------------------


def test_api_lists_intakes_and_enrols(api_as, participant):
    api = api_as("participant")
    data = api.get("/api/v1/courses/").json()
    titles = {row["title_en"] for row in data["results"]}
    assert {BEGINNER, INTERMEDIATE} <= titles
    intake = CourseIntake.objects.get(title_en=INTERMEDIATE)
    response = api.post(f"/api/v1/courses/{intake.pk}/enrol/")
    assert response.status_code == 201, response.content
    again = api.post(f"/api/v1/courses/{intake.pk}/enrol/")
    assert again.status_code == 400
    mine = api.get("/api/v1/enrolments/").json()["results"]
    assert {row["intake"] for row in mine} >= {intake.pk}
    materials = api.get(f"/api/v1/courses/{intake.pk}/materials/").json()
    assert materials
    assert all(m["release_on"] <= timezone.localdate().isoformat() for m in materials)
    download = api.get(f"/api/v1/course-materials/{materials[0]['id']}/download/")
    assert download.status_code == 200


def test_api_submission_and_marking(api_as, participant):
    intake = CourseIntake.objects.get(title_en=BEGINNER)
    test = intake.tests.get(number=5)
    api = api_as("participant")
    response = api.post(
        "/api/v1/course-submissions/", {"test": test.pk, "file": pdf()}, format="multipart"
    )
    assert response.status_code == 201, response.content
    submission_id = response.json()["id"]
    assert response.json()["on_time"] is True
    assert (
        api.post(f"/api/v1/course-submissions/{submission_id}/mark/", {"score": 90}).status_code
        == 403
    )
    clair = api_as("clair")
    response = clair.post(f"/api/v1/course-submissions/{submission_id}/mark/", {"score": 90})
    assert response.status_code == 200
    assert response.json()["score"] == 90
    stats = clair.get(f"/api/v1/courses/{intake.pk}/stats/").json()
    assert stats["completed"] >= 1


def test_api_hides_enrolments_and_files_from_others(api_as, participant):
    enrolment = Enrolment.objects.get(participant=participant, intake__title_en=BEGINNER)
    submission = enrolment.submissions.first()
    material = enrolment.intake.materials.filter(release_on__lte=timezone.localdate()).first()
    for username in ("co.hyogo", "mofa"):
        api = api_as(username)
        assert api.get(f"/api/v1/enrolments/{enrolment.pk}/").status_code == 404
        assert api.get(f"/api/v1/course-submissions/{submission.pk}/download/").status_code == 404
        assert api.get(f"/api/v1/course-materials/{material.pk}/download/").status_code == 404
        assert api.get(f"/api/v1/courses/{enrolment.intake_id}/").status_code == 404
        assert api.get("/api/v1/enrolments/").json()["results"] == []


def test_export_is_a_job_and_formula_safe(
    login, make_participant, make_intake, clair, django_capture_on_commit_callbacks
):
    intake = make_intake()
    person = make_participant()
    person.first_name = "=HYPERLINK(1)"
    person.save()
    services_course.enrol(by=person, intake=intake)
    client = login("clair")
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("course:export", args=[intake.pk]), {"format": "csv"})
    assert response.status_code == 302
    job = Job.objects.filter(requested_by=clair).latest("pk")
    job.refresh_from_db()
    assert job.state == Job.State.DONE, job.error
    content = job.result_file.read().decode("utf-8-sig")
    assert "'=HYPERLINK(1)" in content
    assert "=HYPERLINK" not in content.replace("'=HYPERLINK", "")


def test_export_is_for_clair_only(login, co_hyogo, api_as):
    from django.core.exceptions import PermissionDenied

    intake = CourseIntake.objects.get(title_en=BEGINNER)
    with pytest.raises(PermissionDenied, match="Only CLAIR exports"):
        course.export_start(by=co_hyogo, intake=intake, file_format="csv")
    response = api_as("participant").post(f"/api/v1/courses/{intake.pk}/export/", {})
    assert response.status_code == 403
    assert response.json() == {"detail": "Only CLAIR exports the course's enrolments."}


def test_an_intake_window_out_of_order_is_refused_in_words(login):
    client = login("clair")
    now = timezone.localtime()
    response = client.post(
        reverse("course:intake-create"),
        {
            "level": "BEGINNER",
            "title_en": "Backwards",
            "title_ja": "",
            "enrol_opens": (now + dt.timedelta(days=9)).strftime("%Y-%m-%dT%H:%M"),
            "enrol_closes": (now - dt.timedelta(days=1)).strftime("%Y-%m-%dT%H:%M"),
            "capacity": "12",
            "starts_on": now.date().isoformat(),
            "ends_on": (now.date() + dt.timedelta(days=90)).isoformat(),
        },
    )
    assert response.status_code == 200
    assert "Enrolment must close after it opens." in response.content.decode()
    assert not CourseIntake.objects.filter(title_en="Backwards").exists()


def test_clair_list_shows_completion_per_intake_participants_do_not_see_it(login, client):
    intake = CourseIntake.objects.get(title_en=BEGINNER)
    enrolled = intake.enrolments.filter(state="ENROLLED").count()
    rate = round(100 / enrolled)
    login("clair")
    page = client.get(reverse("course:intake-list")).content.decode()
    assert f'data-testid="completion-{intake.pk}">1 ({rate} %)<' in page
    client.logout()
    login("participant")
    page = client.get(reverse("course:intake-list")).content.decode()
    assert f'data-testid="completion-{intake.pk}"' not in page
    assert f'data-testid="enrolled-{intake.pk}"' in page
