import pytest

from apps.core import services as core_services
from apps.core.models import Kind, Membership, Organisation, User
from apps.support import services
from apps.support.models import SupportCase
from tests.conftest import DEMO_PASSWORD

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64


def _staff(username: str, organisation: Organisation, **duty) -> User:
    user = User.objects.filter(username=username).first()
    if user is None:
        user = core_services.person_create(
            username=username, email=f"{username}@example.jp", password=DEMO_PASSWORD
        )
        core_services.membership_add(by=None, user=user, organisation=organisation)
    Membership.objects.filter(user=user).update(**duty)
    return User.objects.get(pk=user.pk)


@pytest.fixture
def counsellor(db):
    return User.objects.get(username="clair.counsellor")


@pytest.fixture
def counsellor2(db):
    clair = Organisation.objects.get(kind=Kind.CLAIR)
    return _staff("clair.counsellor2", clair, counsellor=True)


@pytest.fixture
def advisor(db):
    return User.objects.get(username="co.hyogo.advisor")


@pytest.fixture
def case(db, participant):
    """A fresh new case of `participant`, in the queue."""
    return services.support_case_open(
        by=participant,
        category=SupportCase.Category.HARASSMENT,
        subject="Comments from a colleague ZQX",
        message="A colleague keeps commenting on my appearance ZQX-BODY.",
    )


# Everyone who must learn nothing of a case (CLAIR staff without the counsellor duty,
# the participant's own organisation, a mission, the ministries, another participant's
# kind of account, an applicant).
OUTSIDERS = [
    "clair",
    "clair.manager",
    "co.hyogo",
    "co.sapporo",
    "embassy.us",
    "mic",
    "mofa",
    "mext",
    "applicant",
]
