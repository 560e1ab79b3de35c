"""Writing, delivering and reading notifications."""

import logging
from collections.abc import Iterable
from datetime import timedelta

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.template import Context
from django.template.loader import get_template
from django.utils import timezone, translation

from apps.notifications.kinds import KINDS, SECRET_CONTEXT, subject_for
from apps.notifications.models import Notification

logger = logging.getLogger(__name__)


# A notice to many people (an event's 6,000 registrants) is queued in batches: one task
# per row would keep the person who made the change waiting while thousands of messages
# are published. Each batch task delivers its rows one by one, each row once.
BATCH_SIZE = 50


def _dispatch_on_commit(notification_ids: list[int]) -> None:
    from apps.notifications.tasks import notification_deliver, notifications_deliver_batch

    def dispatch():
        if len(notification_ids) <= BATCH_SIZE // 5:
            jobs = [(notification_deliver, (pk,)) for pk in notification_ids]
        else:
            jobs = [
                (notifications_deliver_batch, (notification_ids[i : i + BATCH_SIZE],))
                for i in range(0, len(notification_ids), BATCH_SIZE)
            ]
        for task, args in jobs:
            try:
                task.delay(*args)
            except Exception:
                # The broker is down. The rows stay pending and the sweep sends them later.
                logger.warning("Broker unavailable; notifications %s left for the sweep", args)

    transaction.on_commit(dispatch)


def notification_record(*, recipient, kind: str, context: dict, key: str | None) -> Notification:
    """Write one notification inside the caller's transaction; it is sent after commit.
    An event already recorded for the person returns the notification it made then."""
    created = notifications_record(recipients=[recipient], kind=kind, context=context, key=key)
    if created:
        return created[0]
    return Notification.objects.get(key=f"{key}:{recipient.pk}")


@transaction.atomic
def notifications_record(
    *,
    recipients: Iterable,
    kind: str,
    context: dict,
    key: str | None,
    personal: dict[int, dict] | None = None,
) -> list[Notification]:
    """Write one notification per recipient. With a key, an event already recorded for a
    person is not recorded again (the key gets `:<recipient id>` appended). `personal`
    adds to the context what only that recipient may see (their own link), by user id."""
    if kind not in KINDS:
        raise ValueError(f"Unknown notification kind {kind!r}")
    personal = personal or {}
    rows = [
        Notification(
            recipient=r,
            kind=kind,
            language=r.language,
            context={**context, **personal[r.pk]} if r.pk in personal else context,
            key=f"{key}:{r.pk}" if key else None,
        )
        for r in recipients
    ]
    if key:
        existing = set(
            Notification.objects.filter(key__in=[n.key for n in rows]).values_list("key", flat=True)
        )
        rows = [n for n in rows if n.key not in existing]
    created = Notification.objects.bulk_create(rows)
    _dispatch_on_commit([n.pk for n in created])
    return created


@transaction.atomic
def notification_email_record(
    *, email: str, language: str, kind: str, context: dict, key: str | None
) -> Notification:
    """A message to someone without an account, such as a referee: email only."""
    if kind not in KINDS:
        raise ValueError(f"Unknown notification kind {kind!r}")
    if key and Notification.objects.filter(key=key).exists():
        return Notification.objects.get(key=key)
    notification = Notification.objects.create(
        email=email, language=language, kind=kind, context=context, key=key
    )
    _dispatch_on_commit([notification.pk])
    return notification


def render_email(notification: Notification) -> tuple[str, str]:
    with translation.override(notification.language):
        subject = str(subject_for(notification.kind))
        # A plain-text email: no HTML escaping, or "O'Connor" would arrive as O&#x27;Connor.
        template = get_template(f"notifications/email/{notification.kind}.txt").template
        body = template.render(
            Context(
                {"n": notification, "c": notification.context, "recipient": notification.recipient},
                autoescape=False,
            )
        )
    return subject, body


def notification_deliver(*, notification_id: int) -> bool:
    """Send one pending notification, exactly once even if two workers race for it.

    The row is locked while the mail is handed to the mail server and marked sent in
    the same transaction; a second worker skips the locked row and later finds it sent.
    """
    with transaction.atomic():
        notification = (
            Notification.objects.select_for_update(skip_locked=True, of=("self",))
            .select_related("recipient")
            .filter(pk=notification_id, state=Notification.State.PENDING)
            .first()
        )
        if notification is None:
            return False
        notification.attempts += 1
        subject, body = render_email(notification)
        try:
            send_mail(
                subject,
                body,
                settings.DEFAULT_FROM_EMAIL,
                [notification.address],
                fail_silently=False,
            )
        except Exception as exc:  # the mail server refused; the sweep tries again
            notification.last_error = str(exc)[:2000]
            if notification.attempts >= 10:
                notification.state = Notification.State.FAILED
            notification.save(update_fields=["attempts", "last_error", "state"])
            return False
        notification.state = Notification.State.SENT
        notification.sent_at = timezone.now()
        for key in SECRET_CONTEXT.get(notification.kind, []):
            # Only the recipient's mailbox keeps it; the database holds just a hash.
            notification.context[key] = ""
        notification.save(update_fields=["attempts", "state", "sent_at", "context"])
        return True


def notifications_pending_overdue(*, older_than: timedelta | None = None) -> list[int]:
    if older_than is None:
        older_than = timedelta(minutes=settings.NOTIFICATION_RESEND_AFTER_MINUTES)
    cutoff = timezone.now() - older_than
    return list(
        Notification.objects.filter(
            state=Notification.State.PENDING, created_at__lte=cutoff
        ).values_list("pk", flat=True)[:5000]
    )


def notification_mark_read(*, user, notification: Notification) -> None:
    if notification.read_at is None:
        notification.read_at = timezone.now()
        notification.save(update_fields=["read_at"])


def notifications_mark_all_read(*, user) -> int:
    return Notification.objects.filter(recipient=user, read_at__isnull=True).update(
        read_at=timezone.now()
    )
