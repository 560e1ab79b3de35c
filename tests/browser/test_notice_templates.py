"""A mission words its refusal itself in a real browser: it edits both languages side by
side, previews the notice with sample values, saves it, and can go back to the standard
text."""

import pytest
from playwright.sync_api import expect

from apps.notifications.models import NoticeTemplate

pytestmark = pytest.mark.browser


def test_edit_preview_and_save_a_refusal(app, page, sign_in, axe_clean):
    sign_in(page, "embassy.us")
    page.goto(f"{app}/mofa/mission/notices/")
    expect(page.get_by_test_id("notices")).to_contain_text("Standard text")
    page.get_by_role("link", name="JET Programme result", exact=True).click()

    body_en = page.get_by_label("Text (English)")
    expect(body_en).to_have_value(
        "Thank you for applying to the JET Programme. We regret that your application "
        "{number} has not been selected this year."
    )
    axe_clean(page)
    body_en.fill("Dear {applicant_name},\nThank you for applying through {mission_name}.")
    page.get_by_label("Text (Japanese)").fill("{applicant_name} 様\nご応募ありがとうございました。")

    page.get_by_role("button", name="Preview").click()
    preview = page.get_by_test_id("preview-en")
    expect(preview).to_contain_text("Dear Alex Sample,")
    expect(preview).to_contain_text("Thank you for applying through Embassy of Japan")
    expect(page.get_by_test_id("preview-ja")).to_contain_text("Alex Sample 様")
    assert not NoticeTemplate.objects.exists()  # a preview saves nothing
    axe_clean(page)

    # A placeholder the notice does not offer is refused, and the text kept.
    page.get_by_label("Subject (English)").fill("Result for {password}")
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_text("Unknown placeholder “{password}”")).to_be_visible()
    expect(page.get_by_label("Text (English)")).to_have_value(
        "Dear {applicant_name},\nThank you for applying through {mission_name}."
    )

    page.get_by_label("Subject (English)").fill("Your application {number}")
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_text("Your wording of this notice is saved.")).to_be_visible()
    template = NoticeTemplate.objects.get(kind="result_not_selected")
    assert template.subject_en == "Your application {number}"
    assert template.body_ja == "{applicant_name} 様\nご応募ありがとうございました。"

    page.get_by_role("button", name="Reset to the standard text").click()
    expect(page.get_by_text("The notice is back to the standard text.")).to_be_visible()
    assert not NoticeTemplate.objects.exists()
