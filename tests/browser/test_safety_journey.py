"""Issue 8's safety journey in a real browser: CLAIR starts a check for Hyogo, the
participant answers from the personal link in her email (without signing in), co.hyogo
sees the answer on its board and the Embassy in the United States sees its national's."""

from urllib.parse import urlsplit

import pytest
from playwright.sync_api import expect

from apps.core.models import User
from apps.demo import placements as clair_demo
from apps.demo import scale as programme_demo
from apps.notifications.models import Notification
from apps.safety.models import SafetyCheck

pytestmark = pytest.mark.browser


@pytest.fixture
def placed(app):
    """`participant` placed with co.hyogo, her contract in force today (built as the demo
    builds her)."""
    programme_demo.seed(stdout=None)
    clair_demo.seed_participant(User.objects.get(username="co.hyogo"))


def test_clair_starts_a_check_the_participant_answers_and_readers_see_it(
    app, placed, new_page, sign_in, axe_clean
):
    # CLAIR starts the check for Hyogo.
    clair = new_page()
    sign_in(clair, "clair")
    clair.goto(f"{app}/safety/new/")
    axe_clean(clair)
    clair.get_by_label("What happened").select_option("EARTHQUAKE")
    clair.get_by_label("Title (English)").fill("Earthquake in Hyogo")
    clair.get_by_label("Title (Japanese)").fill("兵庫県の地震")
    clair.get_by_label("Message to participants (English)").fill("Tell us that you are safe.")
    clair.get_by_label("Hyogo", exact=True).check()
    clair.get_by_test_id("safety-start-submit").click()
    expect(clair.get_by_test_id("safety-state")).to_have_text("Open")
    expect(clair.get_by_test_id("answer-participant").get_by_test_id("status")).to_have_text(
        "Not answered yet"
    )
    axe_clean(clair)
    check = SafetyCheck.objects.get(title_en="Earthquake in Hyogo")

    # The participant opens the link from her email, without signing in, and answers.
    notice = Notification.objects.get(
        kind="safety_check_started", recipient__username="participant", context__check=check.pk
    )
    link = notice.context["link"]
    person = new_page()
    person.goto(app + urlsplit(link).path)
    expect(person.get_by_test_id("safety-message")).to_have_text("Tell us that you are safe.")
    axe_clean(person)
    person.get_by_label("I am safe").check()
    person.get_by_label("Where you are now (optional)").fill("At school in Kobe")
    person.get_by_test_id("safety-answer-submit").click()
    expect(person.get_by_text("Thank you. Your answer is recorded.")).to_be_visible()
    expect(person.get_by_test_id("current-answer")).to_contain_text("I am safe")
    axe_clean(person)

    # co.hyogo sees the answer on its board.
    hyogo = new_page()
    sign_in(hyogo, "co.hyogo")
    hyogo.goto(f"{app}/safety/{check.pk}/")
    row = hyogo.get_by_test_id("answer-participant")
    expect(row.get_by_test_id("status")).to_have_text("I am safe")
    expect(row).to_contain_text("At school in Kobe")
    axe_clean(hyogo)

    # The Embassy in the United States sees its national's answer.
    embassy = new_page()
    sign_in(embassy, "embassy.us")
    embassy.goto(f"{app}/safety/")
    embassy.get_by_role("link", name="Earthquake in Hyogo").click()
    expect(embassy.get_by_test_id("answer-participant").get_by_test_id("status")).to_have_text(
        "I am safe"
    )
    axe_clean(embassy)

    # The live board on CLAIR's page picks the answer up without a reload.
    expect(clair.get_by_test_id("answer-participant").get_by_test_id("status")).to_have_text(
        "I am safe", timeout=20_000
    )
