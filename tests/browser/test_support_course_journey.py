"""Issue 7's journey in a real browser: `participant` asks CLAIR for support, a CLAIR
counsellor takes the request and answers, co.hyogo (the participant's own organisation)
sees nothing of it, and the participant enrols in the Japanese language course and
downloads the month's material."""

import datetime

import pytest
from django.core.files.base import ContentFile
from django.utils import timezone
from playwright.sync_api import expect

from apps.core import services as core_services
from apps.core.models import Kind, Membership, Organisation, User
from apps.learning.models import CourseIntake, CourseMaterial
from apps.support.models import SupportCase

pytestmark = pytest.mark.browser

SUBJECT = "Trouble with my apartment deposit"
MATERIAL = b"%PDF-1.4\n% month one: greetings and self-introduction\n"


@pytest.fixture
def world(app):
    """The counsellor (the committed world is core only: organisations and the demo
    accounts) and an open beginner intake with this month's material."""
    counsellor = User.objects.filter(username="clair.counsellor").first()
    if counsellor is None:
        counsellor = core_services.person_create(
            username="clair.counsellor",
            email="clair.counsellor@example.jp",
            password="jet-demo-2027",
            first_name="Naomi",
            last_name="Fujita",
        )
        core_services.membership_add(
            by=None, user=counsellor, organisation=Organisation.objects.get(kind=Kind.CLAIR)
        )
    Membership.objects.filter(user=counsellor).update(counsellor=True)
    now = timezone.now()
    today = timezone.localdate()
    intake = CourseIntake.objects.create(
        level=CourseIntake.Level.BEGINNER,
        title_en="Beginner Japanese (journey intake)",
        title_ja="初級日本語 ジャーニー",
        enrol_opens=now - datetime.timedelta(days=1),
        enrol_closes=now + datetime.timedelta(days=14),
        capacity=30,
        starts_on=today,
        ends_on=today + datetime.timedelta(days=180),
    )
    material = CourseMaterial(
        intake=intake,
        title_en="Month 1: greetings",
        title_ja="第1月 あいさつ",
        release_on=today,
        filename="month-1-greetings.pdf",
    )
    material.file.save("upload", ContentFile(MATERIAL), save=False)
    material.save()
    return {"intake": intake, "material": material}


def test_support_request_answered_unseen_by_the_organisation_then_the_course(
    app, world, new_page, sign_in, axe_clean, tmp_path
):
    # The participant asks for support.
    person = new_page()
    sign_in(person, "participant")
    person.goto(f"{app}/support/")
    axe_clean(person)
    person.get_by_test_id("support-new").click()
    axe_clean(person)
    person.get_by_label("What is it about?").select_option("HOUSING")
    person.get_by_label("Subject").fill(SUBJECT)
    person.get_by_label("Your message").fill(
        "My landlord will not return my deposit after I moved to the new apartment."
    )
    person.get_by_label("Keep me anonymous to my organisation").check()
    person.get_by_test_id("support-send").click()
    expect(person.get_by_test_id("case-subject")).to_have_text(SUBJECT)
    expect(person.get_by_test_id("case-status")).to_have_text("New")
    axe_clean(person)
    case = SupportCase.objects.get(subject=SUBJECT)

    # A CLAIR counsellor finds it in the queue, takes it and answers.
    counsellor = new_page()
    sign_in(counsellor, "clair.counsellor")
    counsellor.goto(f"{app}/support/")
    queue = counsellor.get_by_test_id("queue")
    expect(queue.get_by_test_id(f"case-{case.pk}")).to_contain_text(SUBJECT)
    axe_clean(counsellor)
    queue.get_by_role("link", name=str(case.pk), exact=True).click()
    counsellor.get_by_test_id("case-take").click()
    expect(counsellor.get_by_test_id("case-status")).to_have_text("In progress")
    counsellor.get_by_label("Write a message", exact=True).fill(
        "Keep the receipt of the deposit; we will explain the usual rules in Japan."
    )
    counsellor.get_by_test_id("message-send").click()
    expect(counsellor.get_by_text("Your reply is sent.")).to_be_visible()
    axe_clean(counsellor)

    # The participant reads the answer.
    person.reload()
    expect(person.get_by_test_id("thread")).to_contain_text("Keep the receipt of the deposit")
    expect(person.get_by_test_id("case-counsellor")).to_have_text("Naomi Fujita")

    # co.hyogo, the participant's organisation, sees nothing of it.
    hyogo = new_page()
    sign_in(hyogo, "co.hyogo")
    for path in ("/", "/support/", "/inbox/"):
        hyogo.goto(f"{app}{path}")
        assert SUBJECT not in hyogo.content()
        assert f"/support/{case.pk}/" not in hyogo.content()
    axe_clean(hyogo)
    response = hyogo.goto(f"{app}/support/{case.pk}/")
    assert response.status == 404

    # The participant enrols in the course and downloads the month's material.
    intake, material = world["intake"], world["material"]
    person.goto(f"{app}/course/")
    axe_clean(person)
    person.get_by_test_id(f"enrol-{intake.pk}").click()
    expect(person.get_by_test_id("intake-title")).to_have_text(intake.title_en)
    axe_clean(person)
    with person.expect_download() as download:
        person.get_by_test_id(f"material-{material.pk}").click()
    path = tmp_path / "material.pdf"
    download.value.save_as(path)
    assert path.read_bytes() == MATERIAL
    assert download.value.suggested_filename == "month-1-greetings.pdf"
