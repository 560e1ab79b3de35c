"""The guidance and curriculum libraries: audiences, versions, search, publishers' rights
and files, on pages and in the API."""

import pytest
from django.core.exceptions import PermissionDenied
from django.core.files.uploadedfile import SimpleUploadedFile

from apps.core.errors import DomainError
from apps.learning import selectors_library as selectors
from apps.learning import services_library as services
from apps.learning.models import LibraryDocument
from tests.library.conftest import PNG, Audience, Kind, pdf

pytestmark = pytest.mark.django_db


def _titles(user, **filters) -> set[str]:
    return set(selectors.document_list(user=user, **filters).values_list("title_en", flat=True))


def _switch(client, login, username: str):
    """Sign the shared test client out, then in as `username`."""
    client.logout()
    return login(username)


def _doc(title: str) -> LibraryDocument:
    return LibraryDocument.objects.get(title_en=title)


HANDBOOK = "Contracting Organisation Handbook"
GENERAL = "General Information Handbook"
CURRICULUM = "Course of Study for Foreign Languages: guide for ALTs"
STANDARDS = "Standards for team teaching with ALTs"


# --- the demo ------------------------------------------------------------------------------


def test_demo_has_documents_from_both_publishers_and_a_second_version(clair, mext):
    publishers = set(LibraryDocument.objects.values_list("publisher__kind", flat=True))
    assert {"CLAIR", "MEXT"} <= publishers
    assert _doc(HANDBOOK).versions.count() == 2
    assert _doc(CURRICULUM).versions.count() == 2


# --- audiences -----------------------------------------------------------------------------


def test_an_alt_reads_alt_and_participant_documents_not_cir_or_contracting(
    participant, make_clair_document
):
    make_clair_document(Audience.CIR, title="CIR translation guide")
    titles = _titles(participant)
    assert {GENERAL, CURRICULUM} <= titles
    assert "CIR translation guide" not in titles
    assert HANDBOOK not in titles
    assert STANDARDS not in titles


def test_a_contracting_organisation_reads_contracting_and_school_documents(co_hyogo):
    titles = _titles(co_hyogo)
    assert {HANDBOOK, STANDARDS} <= titles
    assert GENERAL not in titles
    assert CURRICULUM not in titles


@pytest.mark.parametrize("username", ["applicant", "mofa", "embassy.us", "mic"])
def test_those_the_library_is_not_for_read_nothing(username, login):
    from apps.core.models import User

    assert _titles(User.objects.get(username=username)) == set()


def test_applicant_page_shows_no_documents(login):
    client = login("applicant")
    response = client.get("/library/")
    assert response.status_code == 200
    assert b'data-testid="library-empty"' in response.content
    assert HANDBOOK.encode() not in response.content


def test_clair_reads_everything_mext_its_own_and_the_teaching_side(clair, mext):
    assert _titles(clair) == set(LibraryDocument.objects.values_list("title_en", flat=True))
    mext_titles = _titles(mext)
    assert {CURRICULUM, STANDARDS} <= mext_titles
    assert HANDBOOK not in mext_titles


def test_a_draft_without_a_file_is_seen_by_its_publisher_only(clair, co_hyogo, make_clair_document):
    draft = make_clair_document(Audience.CONTRACTING, title="Draft handbook", draft=True)
    assert "Draft handbook" in _titles(clair)
    assert "Draft handbook" not in _titles(co_hyogo)
    services.version_add(by=clair, document=draft, file=pdf())
    assert "Draft handbook" in _titles(co_hyogo)


def test_pages_and_api_agree_on_audiences(login, api_as, make_clair_document):
    cir = make_clair_document(Audience.CIR, title="CIR translation guide")
    handbook = _doc(HANDBOOK)
    curriculum = _doc(CURRICULUM)

    client = login("participant")
    assert client.get(f"/library/{curriculum.pk}/").status_code == 200
    assert client.get(f"/library/{cir.pk}/").status_code == 404
    assert client.get(f"/library/{handbook.pk}/").status_code == 404

    api = api_as("participant")
    assert api.get(f"/api/v1/library/{curriculum.pk}/").status_code == 200
    assert api.get(f"/api/v1/library/{cir.pk}/").status_code == 404
    ids = {row["id"] for row in api.get("/api/v1/library/?page_size=200").json()["results"]}
    assert curriculum.pk in ids
    assert cir.pk not in ids
    assert handbook.pk not in ids

    api = api_as("co.hyogo")
    ids = {row["id"] for row in api.get("/api/v1/library/?page_size=200").json()["results"]}
    assert handbook.pk in ids
    assert curriculum.pk not in ids

    api = api_as("applicant")
    assert api.get("/api/v1/library/").json()["count"] == 0


# --- versions ------------------------------------------------------------------------------


def test_the_newest_version_is_shown_and_older_ones_kept(login, api_as):
    handbook = _doc(HANDBOOK)
    newest, oldest = list(selectors.versions(document=handbook))
    assert (newest.number, oldest.number) == (2, 1)

    client = login("co.hyogo")
    page = client.get(f"/library/{handbook.pk}/").content.decode()
    assert f"/library/versions/{newest.pk}/file/" in page.split('data-testid="library-older"')[0]
    assert 'data-testid="library-version-1"' in page
    assert 'data-testid="library-version-2"' not in page

    body = api_as("co.hyogo").get(f"/api/v1/library/{handbook.pk}/").json()
    assert body["current_version"]["number"] == 2
    assert [v["number"] for v in body["versions"]] == [2, 1]
    assert body["publisher_name"]


def test_a_publisher_adds_a_version_on_the_page(login, clair):
    handbook = _doc(HANDBOOK)
    client = login("clair")
    response = client.post(
        f"/library/{handbook.pk}/versions/new/",
        {"file": pdf("handbook-2027.pdf"), "note": "2027 edition"},
    )
    assert response.status_code == 302
    numbers = list(handbook.versions.values_list("number", flat=True))
    assert numbers == [3, 2, 1]
    latest = selectors.version_latest(document=handbook)
    assert latest.note == "2027 edition"
    assert latest.published_by == clair
    assert latest.filename == "handbook-2027.pdf"


def test_a_file_that_is_not_a_pdf_is_refused(login, clair):
    handbook = _doc(HANDBOOK)
    client = login("clair")
    response = client.post(
        f"/library/{handbook.pk}/versions/new/",
        {"file": SimpleUploadedFile("scan.pdf", PNG, content_type="application/pdf")},
    )
    assert response.status_code == 200
    assert b"not a PDF" in response.content
    assert handbook.versions.count() == 2
    with pytest.raises(DomainError):
        services.version_add(
            by=clair, document=handbook, file=SimpleUploadedFile("x.pdf", b"hello")
        )


def test_a_publisher_publishes_a_document_through_the_page_and_the_api(client, login, api_as, mext):
    client = login("mext")
    response = client.post(
        "/library/new/",
        {
            "kind": Kind.TEXT,
            "audience": Audience.SCHOOLS,
            "title_en": "Hi, friends! teacher's book",
            "title_ja": "Hi, friends! 指導書",
            "summary_en": "For homeroom teachers.",
            "summary_ja": "",
            "file": pdf(),
        },
    )
    assert response.status_code == 302, response.content
    document = _doc("Hi, friends! teacher's book")
    assert document.publisher == mext.organisation
    assert document.versions.count() == 1

    api = api_as("mext")
    response = api.post(
        "/api/v1/library/",
        {
            "kind": Kind.STANDARD,
            "audience": Audience.ALT,
            "title_en": "Assessment standard",
            "file": pdf(),
        },
        format="multipart",
    )
    assert response.status_code == 201, response.content
    assert response.json()["current_version"]["number"] == 1
    # MEXT does not issue CLAIR's kinds of document.
    response = api.post(
        "/api/v1/library/",
        {"kind": Kind.HANDBOOK, "audience": Audience.ALT, "title_en": "Not ours"},
        format="json",
    )
    assert response.status_code == 400
    # Nobody but a publisher publishes.
    assert (
        api_as("co.hyogo")
        .post("/api/v1/library/", {"kind": Kind.HANDBOOK, "audience": "ALT", "title_en": "x"})
        .status_code
        == 403
    )
    assert _switch(client, login, "co.hyogo").get("/library/new/").status_code == 403


# --- search --------------------------------------------------------------------------------


def test_search_in_english_and_japanese(login, api_as, co_hyogo, clair):
    assert _titles(co_hyogo, q="handbook") == {HANDBOOK}
    assert _titles(co_hyogo, q="ハンドブック") == {HANDBOOK}
    assert _titles(co_hyogo, q="住居") == {"Organisation Manual: arrival and housing"}
    # Summaries too, and the audience still applies: the ALTs' curriculum is not found.
    assert CURRICULUM not in _titles(co_hyogo, q="指導要領")
    assert CURRICULUM in _titles(clair, q="指導要領")
    assert _titles(clair, q="team teaching", kind=Kind.STANDARD) == {STANDARDS}
    assert _titles(clair, audience=Audience.PARTICIPANTS) >= {GENERAL}
    mext_org = LibraryDocument.objects.get(title_en=STANDARDS).publisher_id
    assert HANDBOOK not in _titles(clair, publisher=mext_org)

    page = login("co.hyogo").get("/library/", {"q": "ハンドブック"}).content.decode()
    assert HANDBOOK in page or "任用団体ハンドブック" in page
    assert "Organisation Manual" not in page

    rows = api_as("co.hyogo").get("/api/v1/library/", {"q": "任用団体"}).json()["results"]
    assert HANDBOOK in {row["title_en"] for row in rows}
    rows = api_as("co.hyogo").get("/api/v1/library/", {"q": "questions"}).json()["results"]
    assert {row["title_en"] for row in rows} == {
        "Questions and answers for contracting organisations"
    }


# --- a publisher edits only its own --------------------------------------------------------


def test_mext_cannot_add_a_version_to_clairs_document(login, api_as, mext, make_clair_document):
    hidden = _doc(HANDBOOK)  # for contracting organisations: MEXT does not even see it
    visible = make_clair_document(Audience.ALT, title="CLAIR's ALT guide")  # MEXT reads it

    client = login("mext")
    assert client.get(f"/library/{hidden.pk}/versions/new/").status_code == 404
    assert client.post(f"/library/{hidden.pk}/versions/new/", {"file": pdf()}).status_code == 404
    assert client.get(f"/library/{visible.pk}/").status_code == 200
    assert client.get(f"/library/{visible.pk}/versions/new/").status_code == 403
    assert client.post(f"/library/{visible.pk}/versions/new/", {"file": pdf()}).status_code == 403
    assert client.post(f"/library/{visible.pk}/edit/", {"title_en": "Ours"}).status_code == 403
    assert b"library-version-form" not in client.get(f"/library/{visible.pk}/").content

    api = api_as("mext")
    url = "/api/v1/library/{}/versions/"
    assert api.post(url.format(hidden.pk), {"file": pdf()}, format="multipart").status_code == 404
    assert api.post(url.format(visible.pk), {"file": pdf()}, format="multipart").status_code == 403
    response = api.patch(f"/api/v1/library/{visible.pk}/", {"title_en": "Ours"}, format="json")
    assert response.status_code == 403
    assert api.get(f"/api/v1/library/{visible.pk}/").json()["can_edit"] is False

    with pytest.raises(PermissionDenied, match="Only the organisation that published"):
        services.version_add(by=mext, document=visible, file=pdf())
    assert visible.versions.count() == 1
    assert hidden.versions.count() == 2
    visible.refresh_from_db()
    assert visible.title_en == "CLAIR's ALT guide"


def test_a_publisher_changes_its_own_document(login, api_as):
    curriculum = _doc(CURRICULUM)
    response = api_as("mext").patch(
        f"/api/v1/library/{curriculum.pk}/", {"summary_ja": "改訂した概要"}, format="json"
    )
    assert response.status_code == 200, response.content
    assert response.json()["can_edit"] is True
    curriculum.refresh_from_db()
    assert curriculum.summary_ja == "改訂した概要"

    client = login("mext")
    response = client.post(
        f"/library/{curriculum.pk}/edit/",
        {
            "kind": Kind.CURRICULUM,
            "audience": Audience.ALT,
            "title_en": "Course of Study guide for ALTs",
            "title_ja": curriculum.title_ja,
            "summary_en": curriculum.summary_en,
            "summary_ja": curriculum.summary_ja,
        },
    )
    assert response.status_code == 302
    curriculum.refresh_from_db()
    assert curriculum.title_en == "Course of Study guide for ALTs"

    api = api_as("mext")
    response = api.post(
        f"/api/v1/library/{curriculum.pk}/versions/",
        {"file": pdf(), "note": "v3"},
        format="multipart",
    )
    assert response.status_code == 201, response.content
    assert response.json()["number"] == 3


def test_readers_cannot_change_documents(login, api_as):
    handbook = _doc(HANDBOOK)
    assert login("co.hyogo").get(f"/library/{handbook.pk}/edit/").status_code == 403
    response = api_as("co.hyogo").patch(
        f"/api/v1/library/{handbook.pk}/", {"title_en": "x"}, format="json"
    )
    assert response.status_code == 403


# --- files ---------------------------------------------------------------------------------


def test_files_reach_their_audience_only(client, login, api_as, make_clair_document):
    cir = make_clair_document(Audience.CIR, title="CIR translation guide")
    cir_file = selectors.version_latest(document=cir)
    handbook_old = _doc(HANDBOOK).versions.get(number=1)
    curriculum_file = selectors.version_latest(document=_doc(CURRICULUM))

    client = login("participant")
    response = client.get(f"/library/versions/{curriculum_file.pk}/file/")
    assert response.status_code == 200
    assert b"".join(response.streaming_content).startswith(b"%PDF-")
    assert "attachment" in response["Content-Disposition"]
    assert client.get(f"/library/versions/{cir_file.pk}/file/").status_code == 404
    assert client.get(f"/library/versions/{handbook_old.pk}/file/").status_code == 404

    client = _switch(client, login, "co.hyogo")
    assert client.get(f"/library/versions/{handbook_old.pk}/file/").status_code == 200
    assert client.get(f"/library/versions/{curriculum_file.pk}/file/").status_code == 404

    client = _switch(client, login, "applicant")
    assert client.get(f"/library/versions/{handbook_old.pk}/file/").status_code == 404

    api = api_as("participant")
    assert api.get(f"/api/v1/library/versions/{curriculum_file.pk}/file/").status_code == 200
    assert api.get(f"/api/v1/library/versions/{cir_file.pk}/file/").status_code == 404
    api = api_as("co.hyogo")
    assert api.get(f"/api/v1/library/versions/{curriculum_file.pk}/file/").status_code == 404
    assert api.get("/api/v1/library/versions/999999/file/").status_code == 404


def test_anonymous_callers_are_sent_to_sign_in(client, api_client):
    handbook = _doc(HANDBOOK)
    assert client.get("/library/").status_code == 302
    assert client.get(f"/library/{handbook.pk}/").status_code == 302
    assert api_client.get("/api/v1/library/").status_code == 401


def test_library_pages_render_for_each_reader(client, login):
    handbook = _doc(HANDBOOK)
    for username in ("mext", "co.hyogo", "participant", "clair"):
        client = _switch(client, login, username)
        assert client.get("/library/").status_code == 200
    for url in (
        "/library/new/",
        f"/library/{handbook.pk}/edit/",
        f"/library/{handbook.pk}/versions/new/",
    ):
        assert client.get(url).status_code == 200


# --- notices -------------------------------------------------------------------------------


def test_contracting_organisations_hear_of_new_guidance_participants_do_not(
    clair, co_hyogo, participant
):
    from apps.notifications.models import Notification
    from apps.notifications.templatetags.notifications import notification_body

    before = Notification.objects.filter(recipient=participant).count()
    handbook = _doc(HANDBOOK)
    version = services.version_add(by=clair, document=handbook, file=pdf(), note="2027")
    notice = Notification.objects.get(recipient=co_hyogo, kind="library_published")
    assert notice.context["number"] == version.number == 3
    assert HANDBOOK in notification_body(notice)
    assert Notification.objects.filter(recipient=participant).count() == before

    general = _doc(GENERAL)
    services.version_add(by=clair, document=general, file=pdf())
    assert Notification.objects.filter(kind="library_published").count() == (
        Notification.objects.filter(kind="library_published", context__number=3).count()
    )


def test_the_demo_seed_is_idempotent():
    import io

    from apps.demo import library as demo_library

    before = (LibraryDocument.objects.count(), selectors.LibraryVersion.objects.count())
    demo_library.seed(io.StringIO())
    assert (LibraryDocument.objects.count(), selectors.LibraryVersion.objects.count()) == before
