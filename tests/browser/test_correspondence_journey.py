"""Issue 7's correspondence in a real browser: CLAIR starts a thread with MIC, MIC reads
it (its unread count goes) and answers, MEXT, not a member, gets 404. Every page on the
way passes axe (no serious or critical violation)."""

import pytest
from playwright.sync_api import expect

from apps.core.models import Kind, Organisation
from apps.outreach.models import Thread

pytestmark = pytest.mark.browser

SUBJECT = "Local allocation tax share for the Tokyo Orientation"


def test_clair_writes_to_mic_and_mext_sees_nothing(app, new_page, sign_in, axe_clean):
    mic_organisation = Organisation.objects.get(kind=Kind.MIC)
    clair = new_page()
    sign_in(clair, "clair")
    clair.goto(f"{app}/correspondence/")
    axe_clean(clair)
    clair.get_by_test_id("thread-create").click()
    clair.get_by_label("Subject", exact=True).fill(SUBJECT)
    clair.get_by_label("Write to", exact=True).select_option(value=str(mic_organisation.pk))
    clair.get_by_label("Message", exact=True).fill("Could you confirm the share for next year?")
    axe_clean(clair)
    with clair.expect_navigation():
        clair.get_by_role("button", name="Start the thread").click()
    expect(clair.get_by_test_id("thread-subject")).to_have_text(SUBJECT)
    axe_clean(clair)
    thread = Thread.objects.get(subject=SUBJECT)

    mic = new_page()
    sign_in(mic, "mic")
    mic.goto(f"{app}/correspondence/")
    expect(mic.get_by_test_id(f"unread-{thread.pk}")).to_have_text("1")
    mic.get_by_role("link", name=SUBJECT).click()
    expect(mic.get_by_test_id("thread-messages")).to_contain_text("Could you confirm")
    mic.get_by_label("Message", exact=True).fill("Confirmed: unchanged from this year.")
    with mic.expect_navigation():
        mic.get_by_role("button", name="Send").click()
    expect(mic.get_by_test_id("thread-messages")).to_contain_text("Confirmed: unchanged")
    axe_clean(mic)
    mic.goto(f"{app}/correspondence/")
    expect(mic.get_by_test_id(f"unread-{thread.pk}")).to_have_text("0")

    mext = new_page()
    sign_in(mext, "mext")
    response = mext.goto(f"{app}/correspondence/{thread.pk}/")
    assert response.status == 404
    mext.goto(f"{app}/correspondence/")
    expect(mext.get_by_test_id("threads-table")).not_to_contain_text(SUBJECT)
