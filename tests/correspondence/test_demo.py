"""The demo's correspondence: CLAIR and MIC, CLAIR and MEXT, each organisation with its
own read state, and nothing in the participant's inbox."""

import pytest

from apps.core.models import User
from apps.demo import correspondence as demo_correspondence
from apps.notifications.models import Notification
from apps.outreach import selectors_correspondence as selectors
from apps.outreach.models import Thread

pytestmark = pytest.mark.django_db


def test_demo_threads(clair, mic, mext, co_hyogo, participant):
    mic_thread = Thread.objects.get(subject=demo_correspondence.MIC_SUBJECT)
    mext_thread = Thread.objects.get(subject=demo_correspondence.MEXT_SUBJECT)
    assert mic_thread.messages.count() == 4
    assert mext_thread.messages.count() == 2
    assert set(mic_thread.memberships.values_list("organisation__kind", flat=True)) == {
        "CLAIR",
        "MIC",
    }
    clair_rows = {t.pk: t.unread_count for t in selectors.thread_list(user=clair)}
    assert clair_rows[mic_thread.pk] == 0
    assert clair_rows[mext_thread.pk] == 1
    assert selectors.thread_list(user=mic).get(pk=mic_thread.pk).unread_count == 1
    assert not selectors.thread_list(user=mic).filter(pk=mext_thread.pk).exists()
    assert not selectors.thread_list(user=co_hyogo).exists()
    assert not Notification.objects.filter(recipient=participant).exists()


def test_demo_is_idempotent():
    import io

    before = Thread.objects.count()
    demo_correspondence.seed(io.StringIO())
    assert Thread.objects.count() == before
    assert User.objects.filter(username="participant").exists()
