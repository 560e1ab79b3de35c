"""Scoring in depth: a reviewer corrects their own score and its history is kept, the
scores stay blind to a reviewer until their own is in (page and API alike), documents
preview in the browser through the permission-checked view with the type read from
their bytes, and applicants open their own uploads (another applicant gets 404).

The world: a US application scored on the two-criteria rubric (tests/recruitment/
conftest.py); `embassy_us` and `reviewer2` are US embassy staff (blind until they
score); `us_manager` manages the embassy and sees every score (decides, chases
disagreement); MOFA headquarters reads them; the applicant never sees them.
"""

from decimal import Decimal

import pytest
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from rest_framework.test import APIClient

from apps.core import services as core_services
from apps.core.errors import DomainError
from apps.core.models import Role
from apps.recruitment import selectors, services
from apps.recruitment.models import (
    Application,
    ApplicationDocument,
    InterviewBooking,
    Score,
    ScoreRevision,
)
from tests.factories import InterviewSlotFactory, PersonFactory
from tests.recruitment.conftest import PDF_BYTES

PNG_BYTES = b"\x89PNG\r\n\x1a\n" + b"\x00" * 32


def detail(application) -> str:
    return f"/mofa/mission/applications/{application.pk}/"


@pytest.fixture
def reviewer2(us_mission):
    """Another reviewer at the US embassy: staff, not a manager."""
    user = core_services.person_create(
        username="us.reviewer2",
        email="us.reviewer2@example.jp",
        password="not-used-1",
        first_name="Ken",
        last_name="Sato",
    )
    core_services.membership_add(by=None, user=user, organisation=us_mission, role=Role.STAFF)
    return user


@pytest.fixture
def application(fresh_round, make_applicant, submitted_application):
    return submitted_application(make_applicant("ada"))


def _score(reviewer, application, rubric, a: int, b: int) -> Score:
    return services.score_record(
        by=reviewer,
        application=application,
        stage="SCREENING",
        points={rubric[0].pk: a, rubric[1].pk: b},
    )


def _api(user) -> APIClient:
    client = APIClient()
    client.force_authenticate(user)
    return client


# --- correction with history --------------------------------------------------------------


def test_correction_keeps_the_previous_score_and_moves_the_average(
    embassy_us, reviewer2, application, rubric
):
    score = _score(embassy_us, application, rubric, 3, 3)  # 60.00
    _score(reviewer2, application, rubric, 5, 5)  # 100.00
    services.score_correct(
        by=embassy_us,
        score=score,
        points={rubric[0].pk: 4, rubric[1].pk: 4},
        reason="Misread the transcript.",
    )
    score.refresh_from_db()
    application.refresh_from_db()
    assert score.total == Decimal("80.00")
    assert score.points == {str(rubric[0].pk): 4, str(rubric[1].pk): 4}
    assert application.screening_average == Decimal("90.00")
    revision = ScoreRevision.objects.get(score=score)
    assert (revision.previous_total, revision.new_total) == (Decimal("60.00"), Decimal("80.00"))
    assert revision.previous_points == {str(rubric[0].pk): 3, str(rubric[1].pk): 3}
    assert (revision.reason, revision.changed_by) == ("Misread the transcript.", embassy_us)


def test_only_the_reviewer_corrects_and_must_say_why(embassy_us, reviewer2, application, rubric):
    score = _score(embassy_us, application, rubric, 3, 3)
    points = {rubric[0].pk: 4, rubric[1].pk: 4}
    with pytest.raises(DomainError, match="Only the reviewer who recorded a score"):
        services.score_correct(by=reviewer2, score=score, points=points, reason="Mine now.")
    with pytest.raises(DomainError, match="Say why the score changes"):
        services.score_correct(by=embassy_us, score=score, points=points, reason="  ")
    with pytest.raises(DomainError, match="Nothing changed"):
        services.score_correct(
            by=embassy_us, score=score, points={rubric[0].pk: 3, rubric[1].pk: 3}, reason="x"
        )
    assert not ScoreRevision.objects.exists()


def test_the_page_corrects_and_shows_the_history(client, embassy_us, application, rubric):
    _score(embassy_us, application, rubric, 3, 3)
    client.force_login(embassy_us)
    response = client.post(
        detail(application),
        {
            "action": "correct_score",
            "stage": "SCREENING",
            f"fix-screening-c{rubric[0].pk}": "4",
            f"fix-screening-c{rubric[1].pk}": "4",
            "fix-screening-comment": "",
            "fix-screening-reason": "Misread the transcript.",
        },
    )
    assert response.status_code == 302
    page = client.get(detail(application)).content.decode()
    assert "Changed from 60.00 to 80.00 by" in page
    assert "Misread the transcript." in page


def test_the_api_corrects_and_lists_the_history(embassy_us, application, rubric):
    _score(embassy_us, application, rubric, 3, 3)
    api = _api(embassy_us)
    url = reverse("api:application-correct-score", args=[application.pk])
    body = {
        "stage": "SCREENING",
        "points": {str(rubric[0].pk): 5, str(rubric[1].pk): 5},
        "reason": "Second look.",
    }
    response = api.post(url, body, format="json")
    assert response.status_code == 200, response.content
    assert response.json()["total"] == "100.00"
    assert response.json()["revisions"][0]["previous_total"] == "60.00"
    assert response.json()["revisions"][0]["reason"] == "Second look."
    scores = api.get(reverse("api:application-scores", args=[application.pk])).json()
    screening = next(s for s in scores if s["stage"] == "SCREENING")
    assert screening["scores"][0]["revisions"][0]["new_total"] == "100.00"


def test_the_api_refuses_a_correction_without_a_score(reviewer2, application, rubric):
    response = _api(reviewer2).post(
        reverse("api:application-correct-score", args=[application.pk]),
        {"stage": "SCREENING", "points": {str(rubric[0].pk): 5}, "reason": "x"},
        format="json",
    )
    assert response.status_code == 400
    assert "You have not scored this application at this stage." in response.content.decode()


# --- blind scoring --------------------------------------------------------------------------


def test_page_is_blind_until_ones_own_score_is_in(
    client, django_assert_max_num_queries, embassy_us, reviewer2, application, rubric
):
    _score(embassy_us, application, rubric, 5, 5)
    client.force_login(reviewer2)
    with django_assert_max_num_queries(34):
        page = client.get(detail(application)).content.decode()
    assert "1 reviewer has scored." in page
    assert "100.00" not in page
    assert 'data-testid="scores-screening-scores"' not in page
    assert "Hidden until you score" in page
    score = _score(reviewer2, application, rubric, 2, 2)
    services.score_correct(
        by=reviewer2,
        score=score,
        points={rubric[0].pk: 2, rubric[1].pk: 2},
        comment="Hm.",
        reason="x",
    )
    # More scores and their history: not one query more.
    with django_assert_max_num_queries(34):
        page = client.get(detail(application)).content.decode()
    assert "1 reviewer has scored." not in page
    assert "100.00" in page
    assert "<dd>70.00</dd>" in page  # the average, now shown


def test_list_page_hides_the_average_until_ones_own_score_is_in(
    client, embassy_us, reviewer2, application, rubric
):
    _score(embassy_us, application, rubric, 5, 5)
    client.force_login(reviewer2)
    listing = "/mofa/mission/applications/?q=" + application.number
    page = client.get(listing).content.decode()
    assert "Hidden until you score" in page
    assert "100.00" not in page
    _score(reviewer2, application, rubric, 2, 2)
    page = client.get(listing).content.decode()
    assert "Hidden until you score" not in page
    assert "70.00" in page


def test_api_is_blind_until_ones_own_score_is_in(embassy_us, reviewer2, application, rubric):
    _score(embassy_us, application, rubric, 5, 5)
    api = _api(reviewer2)
    scores_url = reverse("api:application-scores", args=[application.pk])
    screening = next(s for s in api.get(scores_url).json() if s["stage"] == "SCREENING")
    assert screening == {"stage": "SCREENING", "hidden": True, "count": 1, "scores": []}
    detail_url = reverse("api:application-detail", args=[application.pk])
    assert api.get(detail_url).json()["screening_average"] is None
    listed = api.get(reverse("api:application-list"), {"q": application.number}).json()
    assert listed["results"][0]["screening_average"] is None

    _score(reviewer2, application, rubric, 2, 2)
    screening = next(s for s in api.get(scores_url).json() if s["stage"] == "SCREENING")
    assert screening["hidden"] is False
    assert sorted(s["total"] for s in screening["scores"]) == ["100.00", "40.00"]
    assert api.get(detail_url).json()["screening_average"] == "70.00"
    listed = api.get(reverse("api:application-list"), {"q": application.number}).json()
    assert listed["results"][0]["screening_average"] == "70.00"


def test_a_page_learns_the_flags_the_annotation_gives(
    embassy_us,
    us_manager,
    reviewer2,
    mofa,
    us_mission,
    make_applicant,
    submitted_application,
    application,
    rubric,
    django_assert_num_queries,
):
    """A page's flags are set after it is read (selectors.score_visibility_attach), the
    one application's by annotation (with_score_visibility): they must agree."""
    _score(reviewer2, application, rubric, 2, 2)
    unscored = submitted_application(make_applicant("bea"))
    interviewed = submitted_application(make_applicant("cy"))
    slot = InterviewSlotFactory(mission=us_mission, programme_year=interviewed.programme_year)
    slot.panel.add(reviewer2)
    InterviewBooking.objects.create(
        slot=slot, application=interviewed, booked_by=interviewed.applicant
    )
    page = Application.objects.filter(pk__in=[application.pk, unscored.pk, interviewed.pk])

    def flags(rows):
        return {row.pk: (row.screening_hidden, row.interview_hidden) for row in rows}

    # A superuser outside every organisation reviews by a model-wide grant, not by grants
    # on rows: access.holding answers for them, and the marks are read over its keys.
    root = PersonFactory(username="root", is_superuser=True, person_role="")
    for user in (embassy_us, reviewer2, us_manager, mofa, interviewed.applicant, root):
        annotated = flags(selectors.with_score_visibility(page, user=user))
        assert flags(selectors.score_visibility_attach(page, user=user)) == annotated
    assert set(flags(selectors.with_score_visibility(page, user=root)).values()) == {
        (True, False),  # blind to both averages: scored nothing, sits on no panel
    }
    rows = list(page)
    # The grants, the reader's scores and their panels: one round trip for a page.
    with django_assert_num_queries(1):
        selectors.score_visibility_attach(rows, user=reviewer2)
    assert flags(selectors.score_visibility_attach(page, user=reviewer2)) == {
        application.pk: (False, False),  # scored: the average shows
        unscored.pk: (True, False),
        interviewed.pk: (True, True),  # on its panel, not yet scored
    }
    assert set(flags(selectors.score_visibility_attach(page, user=us_manager)).values()) == {
        (False, False)
    }


def test_a_blind_reviewer_cannot_sort_or_filter_by_the_hidden_average(
    embassy_us, us_manager, reviewer2, application, rubric
):
    _score(embassy_us, application, rubric, 5, 5)

    def found(user, **filters) -> bool:
        listed = selectors.application_list(user=user, q=application.number, **filters)
        return application in listed

    # Blind: a range filter cannot find the application by its hidden 100.00, and
    # sorting by score orders it as if it had no average yet.
    assert not found(reviewer2, score_min=Decimal("90"))
    ordered = selectors.application_list(user=reviewer2, q=application.number, sort="-score")
    assert ordered.get().readable_average is None
    assert found(us_manager, score_min=Decimal("90"))

    _score(reviewer2, application, rubric, 2, 2)
    assert found(reviewer2, score_min=Decimal("60"))
    assert not found(reviewer2, score_min=Decimal("90"))


def test_managers_and_headquarters_see_every_score(
    client, embassy_us, us_manager, mofa, applicant, application, rubric
):
    _score(embassy_us, application, rubric, 5, 5)
    for user in (us_manager, mofa):
        scores = _api(user).get(reverse("api:application-scores", args=[application.pk]))
        screening = next(s for s in scores.json() if s["stage"] == "SCREENING")
        assert (screening["hidden"], screening["scores"][0]["total"]) == (False, "100.00")
    client.force_login(us_manager)
    assert "1 reviewer has scored." not in client.get(detail(application)).content.decode()
    # The applicant may read their application, never its scores.
    own = _api(application.applicant).get(reverse("api:application-scores", args=[application.pk]))
    assert own.status_code == 403


# --- preview ---------------------------------------------------------------------------------


def test_preview_is_inline_with_safe_headers(client, embassy_us, application):
    document = application.documents.get(kind="TRANSCRIPT")
    client.force_login(embassy_us)
    response = client.get(reverse("mofa:document-preview", args=[document.pk]))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"].startswith("inline")
    assert response["X-Content-Type-Options"] == "nosniff"
    assert "default-src 'none'" in response["Content-Security-Policy"]
    assert "frame-ancestors 'none'" in response["Content-Security-Policy"]
    assert b"".join(response.streaming_content) == PDF_BYTES
    # The download stays a download.
    download = client.get(reverse("mofa:document-download", args=[document.pk]) + "?inline=1")
    assert download["Content-Disposition"].startswith("attachment")


def test_preview_reads_the_type_from_the_bytes(client, embassy_us, application):
    document = application.documents.get(kind="TRANSCRIPT")
    # Stored as a PDF, but the bytes are a PNG now: served as what they are, sandboxed.
    document.file.save("x", ContentFile(PNG_BYTES), save=True)
    client.force_login(embassy_us)
    url = reverse("mofa:document-preview", args=[document.pk])
    response = client.get(url)
    assert response["Content-Type"] == "image/png"
    assert response["Content-Security-Policy"].endswith("; sandbox")
    # Bytes of no previewable kind: nothing is shown.
    document.file.save("x", ContentFile(b"<html><script>alert(1)</script>"), save=True)
    assert client.get(url).status_code == 404


def test_preview_of_an_invisible_document_is_404(client, embassy_uk, application):
    document = application.documents.get(kind="TRANSCRIPT")
    client.force_login(embassy_uk)
    assert client.get(reverse("mofa:document-preview", args=[document.pk])).status_code == 404


# --- the applicant's own uploads -------------------------------------------------------------


def test_applicant_sees_and_opens_their_own_uploads(
    client, django_assert_max_num_queries, make_applicant, draft_application, open_year
):
    owner = make_applicant("owner")
    application = draft_application(owner)
    photo = services.document_upload(
        by=owner,
        application=application,
        kind="CERTIFICATE",
        uploaded=SimpleUploadedFile("tefl.png", PNG_BYTES, content_type="image/png"),
    )
    transcript = application.documents.get(kind="TRANSCRIPT")
    client.force_login(owner)
    with django_assert_max_num_queries(15):
        status = client.get(reverse("mofa:applicant-status", args=[application.pk]))
    status = status.content.decode()
    documents = client.get(
        reverse("mofa:applicant-documents", args=[application.pk])
    ).content.decode()
    for page in (status, documents):
        assert reverse("mofa:document-preview", args=[transcript.pk]) in page
        assert reverse("mofa:document-download", args=[transcript.pk]) in page
        assert f'<img src="{reverse("mofa:document-preview", args=[photo.pk])}"' in page
    response = client.get(reverse("mofa:document-preview", args=[photo.pk]))
    assert (response.status_code, response["Content-Type"]) == (200, "image/png")

    other = make_applicant("other")
    client.force_login(other)
    for name in ("mofa:document-preview", "mofa:document-download"):
        assert client.get(reverse(name, args=[transcript.pk])).status_code == 404
        assert client.get(reverse(name, args=[photo.pk])).status_code == 404
    assert ApplicationDocument.objects.filter(application=application).count() == 5
