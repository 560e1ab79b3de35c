"""Demo data of confidential counselling (issue 7, support).

Accounts: `clair.counsellor` (CLAIR staff with the counsellor duty) and
`co.hyogo.advisor` (Hyogo Prefectural Board of Education, the prefectural advisor).
Cases of `participant` (Sarah O'Connor, placed with Hyogo), made through the services:
- a housing question, in progress with clair.counsellor, with a reply and an internal
  note, and a summary shared with Hyogo's advisor;
- a closed money question;
- a new work question still in the queue.
The notices these would send to `participant` are not kept (the tests count her inbox).

Idempotent: nothing is added when the participant already has a support case.
"""

from django.conf import settings
from django.contrib.auth.hashers import make_password

from apps.core import services as core_services
from apps.core.models import Kind, Membership, Organisation, User
from apps.notifications.models import Notification
from apps.support import services
from apps.support.models import SupportCase

HYOGO = "Hyogo Prefectural Board of Education"


def _account(username: str, first: str, last: str, organisation: Organisation, **duty) -> User:
    user = User.objects.filter(username=username).first()
    if user is None:
        user = core_services.person_create(
            username=username,
            email=f"{username}@example.jp",
            password=None,
            first_name=first,
            last_name=last,
        )
        User.objects.filter(pk=user.pk).update(password=make_password(settings.DEMO_PASSWORD))
        core_services.membership_add(by=None, user=user, organisation=organisation)
    Membership.objects.filter(user=user).update(**duty)
    return User.objects.get(pk=user.pk)


def accounts() -> tuple[User | None, User | None]:
    clair = Organisation.objects.filter(kind=Kind.CLAIR).first()
    hyogo = Organisation.objects.filter(kind=Kind.CONTRACTING, name_en=HYOGO).first()
    counsellor = advisor = None
    if clair:
        counsellor = _account("clair.counsellor", "Naomi", "Fujita", clair, counsellor=True)
    if hyogo:
        advisor = _account("co.hyogo.advisor", "Kenji", "Matsuda", hyogo, prefectural_advisor=True)
    return counsellor, advisor


def seed(stdout) -> None:
    counsellor, _advisor = accounts()
    person = User.objects.filter(username="participant").first()
    if counsellor is None or person is None or SupportCase.objects.filter(participant=person):
        return
    housing = services.support_case_open(
        by=person,
        category=SupportCase.Category.HOUSING,
        subject="Mould in my apartment",
        message=(
            "Since the rainy season there is black mould on the walls of my bedroom and I "
            "have been coughing at night. I am not sure who should pay for the repairs."
        ),
    )
    services.support_case_take(by=counsellor, case=housing)
    services.support_message_add(
        by=counsellor,
        case=housing,
        body=(
            "Thank you for writing. Repairs of the building are usually for the landlord or "
            "the organisation that arranged the housing. Could you send a photo of the walls?"
        ),
    )
    services.support_message_add(
        by=counsellor,
        case=housing,
        internal=True,
        body="Health angle: suggest a clinic visit if the cough continues.",
    )
    services.support_case_share(
        by=person,
        case=housing,
        summary="My apartment has mould and needs repairs; I would like help with the landlord.",
    )
    money = services.support_case_open(
        by=person,
        category=SupportCase.Category.MONEY,
        subject="Sending money home",
        message="What is the cheapest way to send part of my salary to the United States?",
        anonymous_to_organisation=True,
    )
    services.support_case_take(by=counsellor, case=money)
    services.support_message_add(
        by=counsellor,
        case=money,
        body="The general information handbook compares the usual transfer services.",
    )
    services.support_status_set(by=counsellor, case=money, status=SupportCase.Status.CLOSED)
    services.support_case_open(
        by=person,
        category=SupportCase.Category.WORK,
        subject="Lesson planning time",
        message="I am given no time to plan lessons with my JTEs. Is that usual?",
    )
    Notification.objects.filter(recipient=person, kind__startswith="support_").delete()
    if stdout:
        stdout.write(
            "Support: 3 cases of `participant` (one shared with Hyogo's advisor, one closed, "
            "one in the queue); counsellor `clair.counsellor`, prefectural advisor "
            "`co.hyogo.advisor`."
        )
