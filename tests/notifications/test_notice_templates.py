# ruff: noqa: F811 (the recruitment fixtures, imported below, are test arguments)
"""A mission's own wording of its notices to applicants: what the applicant receives,
what may be saved, and who may see and change it."""

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse
from django.utils import translation
from rest_framework.test import APIClient

from apps.core.errors import DomainError
from apps.mofa import notices
from apps.notifications.models import NoticeTemplate, Notification
from apps.notifications.notice_texts import placeholders_check, substitute
from apps.notifications.services import render_email
from apps.notifications.templatetags.notifications import notification_body
from apps.recruitment import services
from apps.recruitment.models import Application
from tests.recruitment.conftest import (  # noqa: F401 (fixtures)
    _private_media,
    fresh_round,
    make_applicant,
    open_year,
    programme_year,
    published_numbers,
    submitted_application,
    uk_mission,
    us_manager,
    us_mission,
)

KIND = "result_not_selected"
WORDING = {
    "subject_en": "Your JET application {number}",
    "body_en": "Dear {applicant_name},\nThank you for applying through {mission_name}. "
    "We cannot offer you a place this year.",
    "subject_ja": "JETプログラム応募 {number} の結果",
    "body_ja": "{applicant_name} 様\n{mission_name}を通じてご応募いただきありがとうございました。"
    "今年は採用を見送ることとなりました。",
}


def _refuse(embassy_us, us_manager, open_year, application, django_capture_on_commit_callbacks):
    services.applications_decide(
        by=embassy_us, applications=[application], decision=Application.Status.NOT_SELECTED
    )
    with django_capture_on_commit_callbacks(execute=True):
        services.results_release(by=us_manager, programme_year=open_year)
    return Notification.objects.get(kind=KIND, recipient=application.applicant)


@pytest.mark.parametrize(
    ("language", "subject", "opening"),
    [
        ("en", "Your JET application {number}", "Dear Jordan Miller,"),
        ("ja", "JETプログラム応募 {number} の結果", "Jordan Miller 様"),
    ],
)
def test_an_edited_refusal_is_what_the_applicant_receives_in_their_language(
    language,
    subject,
    opening,
    fresh_round,
    make_applicant,
    submitted_application,
    embassy_us,
    us_manager,
    us_mission,
    open_year,
    django_capture_on_commit_callbacks,
    mailoutbox,
):
    notices.notice_template_save(by=embassy_us, kind=KIND, values=WORDING)
    applicant = make_applicant("refused", language=language)
    application = submitted_application(applicant)
    mailoutbox.clear()

    notice = _refuse(
        embassy_us, us_manager, open_year, application, django_capture_on_commit_callbacks
    )

    [message] = [m for m in mailoutbox if m.to == [applicant.email]]
    assert message.subject == subject.format(number=application.number)
    mission = us_mission.name_ja if language == "ja" else us_mission.name_en
    assert message.body.startswith(f"{opening}\n")
    assert mission in message.body
    assert "We regret" not in message.body  # not the standard text
    # The link to the application still ends the message.
    assert f"/application/{application.pk}/" in message.body.splitlines()[-1]
    # The inbox shows the same words.
    with translation.override(language):
        assert notification_body(notice).startswith(opening)
    # So does the API's inbox, whose title is the mission's subject too.
    api = APIClient()
    api.force_authenticate(applicant)
    listed = api.get(reverse("api:notification-list")).json()["results"]
    [row] = [r for r in listed if r["id"] == notice.pk]
    assert row["title"] == message.subject


def test_another_missions_applicants_still_receive_the_standard_text(
    fresh_round,
    make_applicant,
    submitted_application,
    embassy_us,
    embassy_uk,
    uk_mission,
    open_year,
    django_capture_on_commit_callbacks,
):
    notices.notice_template_save(by=embassy_us, kind=KIND, values=WORDING)
    londoner = make_applicant("refused.gb", country="GB")
    application = submitted_application(londoner, mission=uk_mission)
    services.applications_decide(
        by=embassy_uk, applications=[application], decision=Application.Status.NOT_SELECTED
    )
    with django_capture_on_commit_callbacks(execute=True):
        services.results_release(by=embassy_uk, programme_year=open_year)
    notice = Notification.objects.get(kind=KIND, recipient=londoner)

    subject, body = render_email(notice)

    assert subject == "JET Programme result"
    assert body.startswith("Thank you for applying to the JET Programme. We regret")


def test_a_reset_sends_the_standard_text_again(
    fresh_round,
    make_applicant,
    submitted_application,
    embassy_us,
    us_manager,
    open_year,
    django_capture_on_commit_callbacks,
):
    notices.notice_template_save(by=embassy_us, kind=KIND, values=WORDING)
    assert notices.notice_template_reset(by=embassy_us, kind=KIND) is True
    application = submitted_application(make_applicant("refused.after.reset"))

    notice = _refuse(
        embassy_us, us_manager, open_year, application, django_capture_on_commit_callbacks
    )

    assert render_email(notice)[1].startswith("Thank you for applying to the JET Programme.")
    assert not NoticeTemplate.objects.filter(organisation=embassy_us.organisation).exists()


def test_the_form_starts_from_the_standard_text_with_placeholders(embassy_us):
    notice = notices.notice_get(user=embassy_us, kind="result_shortlisted")

    assert not notice.customised
    assert notice.body_en == (
        "Congratulations: your application {number} has been shortlisted for the JET "
        "Programme. Please answer the reply form in jetadmin by {deadline}."
    )
    assert "{number}" in notice.body_ja
    assert "{deadline}" in notice.body_ja


@pytest.mark.parametrize(
    ("language", "message"),
    [
        (
            "en",
            "Unknown placeholder “{password}”. You can use: {applicant_name}, "
            "{mission_name}, {number}, {year}, {link}.",
        ),
        (
            "ja",
            "不明なプレースホルダー「{password}」です。使用できるもの: {applicant_name}, "
            "{mission_name}, {number}, {year}, {link}。",
        ),
    ],
)
def test_an_unknown_placeholder_is_refused_in_the_users_language(language, message, embassy_us):
    values = {**WORDING, "body_ja": "{password} 様"}
    with translation.override(language), pytest.raises(DomainError) as refused:
        notices.notice_template_save(by=embassy_us, kind=KIND, values=values)

    assert refused.value.field == "body_ja"
    assert str(refused.value.message) == message
    assert not NoticeTemplate.objects.filter(organisation=embassy_us.organisation).exists()


@pytest.mark.parametrize(
    "text",
    [
        "{{ settings.SECRET_KEY }}",
        "{0.__class__}",
        "{applicant_name.__class__.__init__.__globals__}",
        "{% debug %}",
        "{ applicant_name }",
        "Hello {applicant_name",
        "Hello applicant_name}",
    ],
)
def test_template_syntax_and_format_fields_cannot_be_saved(text, embassy_us):
    with pytest.raises(DomainError):
        notices.notice_template_save(by=embassy_us, kind=KIND, values={**WORDING, "body_en": text})
    with pytest.raises(DomainError):
        notices.notice_template_save(
            by=embassy_us, kind=KIND, values={**WORDING, "subject_ja": text}
        )


def test_the_refused_messages_are_translated(embassy_us):
    with translation.override("ja"), pytest.raises(DomainError) as refused:
        notices.notice_template_save(
            by=embassy_us, kind=KIND, values={**WORDING, "body_en": "Hello {applicant_name"}
        )
    assert str(refused.value.message) == (
        "波かっこはプレースホルダー（例: {applicant_name}）を囲むときだけ使えます。"  # noqa: RUF001
    )


def test_substitution_is_plain_and_never_expands_a_value_again():
    values = {"applicant_name": "{mission_name} {{ settings.SECRET_KEY }}", "mission_name": "X"}

    text = substitute("Dear {applicant_name} of {mission_name}, {unknown}", values)

    assert text == "Dear {mission_name} {{ settings.SECRET_KEY }} of X, {unknown}"


def test_the_html_preview_escapes_the_text_and_the_values(embassy_us):
    values = {
        **WORDING,
        "body_en": "<script>alert(1)</script> {mission_name}",
    }
    embassy_us.organisation.name_en = "Embassy <b>of</b> Japan"

    preview = notices.notice_preview(by=embassy_us, kind=KIND, values=values)

    assert "<script>" not in preview["en"]["html"]
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in preview["en"]["html"]
    assert "Embassy &lt;b&gt;of&lt;/b&gt; Japan" in preview["en"]["html"]
    assert preview["en"]["subject"] == "Your JET application US-2027-00042"
    assert preview["ja"]["body"].startswith("Alex Sample 様")


def test_a_valid_text_passes_the_check():
    placeholders_check("Dear {applicant_name}, reply by {deadline}.", kind="result_shortlisted")
    with pytest.raises(Exception, match="deadline"):
        placeholders_check("Reply by {deadline}.", kind=KIND)


# --- who may see and change a wording ---------------------------------------------------


def test_another_mission_neither_sees_nor_changes_the_wording(embassy_us, embassy_uk):
    mine = notices.notice_template_save(by=embassy_us, kind=KIND, values=WORDING)

    theirs = notices.notice_get(user=embassy_uk, kind=KIND)
    assert not theirs.customised
    assert "Dear {applicant_name}" not in theirs.body_en
    assert list(notices.notice_template_list(user=embassy_uk)) == []
    # Their reset and their own wording leave the US embassy's untouched.
    assert notices.notice_template_reset(by=embassy_uk, kind=KIND) is False
    notices.notice_template_save(
        by=embassy_uk, kind=KIND, values={**WORDING, "body_en": "London's own {number}"}
    )
    mine.refresh_from_db()
    assert mine.body_en == WORDING["body_en"]
    assert NoticeTemplate.objects.filter(kind=KIND).count() == 2


def test_only_missions_word_notices(co_hyogo, applicant, client_as):
    with pytest.raises(PermissionDenied):
        notices.notice_template_save(by=co_hyogo, kind=KIND, values=WORDING)
    assert notices.notice_list(user=applicant) == []
    url = reverse("mofa:mission-notice-edit", kwargs={"kind": KIND})
    assert client_as("co.hyogo").get(url).status_code == 403


def test_a_kind_no_mission_words_is_not_found(client_as):
    url = reverse("mofa:mission-notice-edit", kwargs={"kind": "contract_issued"})
    assert client_as("embassy.us").get(url).status_code == 404


# --- the page ---------------------------------------------------------------------------


def test_the_page_previews_then_saves_then_resets(client_as, embassy_us):
    client = client_as("embassy.us")
    url = reverse("mofa:mission-notice-edit", kwargs={"kind": KIND})

    page = client.get(url)
    assert page.status_code == 200
    assert "We regret that your application {number}" in page.content.decode()

    preview = client.post(url, {**WORDING, "preview": "1"})
    assert preview.status_code == 200
    assert "Dear Alex Sample," in preview.content.decode()
    assert not NoticeTemplate.objects.filter(organisation=embassy_us.organisation).exists()

    saved = client.post(url, {**WORDING, "save": "1"})
    assert saved.status_code == 302
    template = NoticeTemplate.objects.get(organisation=embassy_us.organisation, kind=KIND)
    assert template.body_ja == WORDING["body_ja"]
    assert template.updated_by == embassy_us

    bad = client.post(url, {**WORDING, "body_en": "{{ settings.SECRET_KEY }}", "save": "1"})
    assert bad.status_code == 200
    assert "Unknown placeholder" in bad.content.decode()

    client.post(reverse("mofa:mission-notice-reset", kwargs={"kind": KIND}))
    assert not NoticeTemplate.objects.filter(organisation=embassy_us.organisation).exists()


def test_the_list_says_which_notices_are_reworded(client_as, embassy_us):
    notices.notice_template_save(by=embassy_us, kind=KIND, values=WORDING)

    page = client_as("embassy.us").get(reverse("mofa:mission-notices")).content.decode()
    other = client_as("embassy.uk").get(reverse("mofa:mission-notices")).content.decode()

    assert page.count("Your own wording") == 1
    assert "Your own wording" not in other


# --- the API ----------------------------------------------------------------------------


def test_the_api_reads_changes_previews_and_resets_the_own_missions_wording(
    token_client, embassy_us
):
    us, uk = token_client("embassy.us"), token_client("embassy.uk")
    detail = reverse("api:notice-template-detail", kwargs={"kind": KIND})

    assert us.put(detail, WORDING, format="json").status_code == 200
    changed = us.patch(detail, {"subject_en": "About {number}"}, format="json")
    assert changed.status_code == 200
    assert changed.json()["customised"] is True
    assert changed.json()["subject_en"] == "About {number}"
    assert changed.json()["body_ja"] == WORDING["body_ja"]

    listed = {row["kind"]: row for row in us.get(reverse("api:notice-template-list")).json()}
    assert listed[KIND]["customised"] is True
    assert listed["interview_invited"]["customised"] is False
    assert uk.get(detail).json()["customised"] is False
    assert uk.get(detail).json()["subject_en"] == "JET Programme result"

    preview = us.post(
        reverse("api:notice-template-preview", kwargs={"kind": KIND}), WORDING, format="json"
    )
    assert preview.status_code == 200
    assert preview.json()["en"]["body"].startswith("Dear Alex Sample,")

    refused = us.patch(detail, {"body_en": "{0.__class__}"}, format="json")
    assert refused.status_code == 400
    assert refused.json() == {
        "body_en": [
            "Unknown placeholder “{0.__class__}”. You can use: {applicant_name}, "
            "{mission_name}, {number}, {year}, {link}."
        ]
    }

    assert uk.delete(detail).status_code == 204
    assert us.get(detail).json()["customised"] is True
    assert us.delete(detail).status_code == 204
    assert us.get(detail).json()["customised"] is False


def test_the_api_answers_404_to_anyone_but_a_mission(token_client):
    detail = reverse("api:notice-template-detail", kwargs={"kind": KIND})
    for username in ("co.hyogo", "applicant", "mofa"):
        client = token_client(username)
        assert client.get(detail).status_code == 404
        assert client.put(detail, WORDING, format="json").status_code == 404
        assert client.get(reverse("api:notice-template-list")).json() == []
    assert not NoticeTemplate.objects.exists()
