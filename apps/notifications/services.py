"""Writing, delivering and reading notifications."""

import hashlib
import hmac
import logging
import zoneinfo
from collections.abc import Iterable
from datetime import timedelta

from django.conf import settings
from django.core.mail import EmailMultiAlternatives, get_connection
from django.db import InterfaceError, OperationalError, connection, transaction
from django.db.models import F, Q
from django.template import Context, TemplateDoesNotExist
from django.template.loader import get_template
from django.utils import timezone, translation
from django.utils.html import escape, format_html

from apps.notifications.invitations import invitation_part
from apps.notifications.kinds import KINDS, SECRET_CONTEXT, subject_for
from apps.notifications.links import notice_link
from apps.notifications.models import Notification
from apps.notifications.notice_texts import custom_wording
from apps.notifications.publish import publish_on_commit

logger = logging.getLogger(__name__)


# A notice to many people (an event's 6,000 registrants) is queued in batches: one task
# per row would keep the person who made the change waiting while thousands of messages
# are published. Each batch task delivers its rows one by one, each row once.
BATCH_SIZE = 50
# A notice is given up after this many failed attempts (the mail server kept refusing).
MAX_ATTEMPTS = 10
# Late notices are claimed and sent this many at a time by the sweep.
SWEEP_BATCH = 200


def _dispatch_on_commit(notification_ids: list[int]) -> None:
    from apps.notifications.tasks import notification_deliver, notifications_deliver_batch

    if len(notification_ids) <= BATCH_SIZE // 5:
        jobs = [(notification_deliver, (pk,)) for pk in notification_ids]
    else:
        jobs = [
            (notifications_deliver_batch, (notification_ids[i : i + BATCH_SIZE],))
            for i in range(0, len(notification_ids), BATCH_SIZE)
        ]
    publish_on_commit(jobs, what=f"{len(notification_ids)} notifications")


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


def _zone(notification: Notification) -> zoneinfo.ZoneInfo:
    """Times in an email read in the recipient's own zone (each is labelled with it);
    someone without an account, such as a referee, reads Japan time."""
    name = getattr(notification.recipient, "time_zone", "") or "Asia/Tokyo"
    try:
        return zoneinfo.ZoneInfo(name)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        return zoneinfo.ZoneInfo("Asia/Tokyo")


def render_email(notification: Notification) -> tuple[str, str]:
    with translation.override(notification.language), timezone.override(_zone(notification)):
        # The mission's own wording, filled in by plain substitution (never a template).
        custom = custom_wording(notification)
        if custom is not None:
            subject, body = custom.subject, custom.body
        else:
            subject = str(subject_for(notification.kind))
            # A plain-text email: no HTML escaping, or "O'Connor" would arrive as
            # O&#x27;Connor.
            template = get_template(f"notifications/email/{notification.kind}.txt").template
            body = template.render(
                Context(
                    {
                        "n": notification,
                        "c": notification.context,
                        "recipient": notification.recipient,
                    },
                    autoescape=False,
                )
            )
        # The email ends with the page it is about, in the recipient's language, unless
        # its text already gives that link (a personal answer link).
        link = notice_link(notification, language=notification.language)
        if link is not None and link.url not in body:
            body = f"{body.rstrip()}\n\n{link.label}:\n{link.url}\n"
    return subject, body


def render_email_html(notification: Notification) -> str | None:
    """The HTML version, for a kind that has a template `notifications/email/<kind>.html`
    (escaped as a page is); it ends with the same link as a link."""
    try:
        template = get_template(f"notifications/email/{notification.kind}.html")
    except TemplateDoesNotExist:
        return None
    with translation.override(notification.language), timezone.override(_zone(notification)):
        html = template.render(
            {"n": notification, "c": notification.context, "recipient": notification.recipient}
        )
        link = notice_link(notification, language=notification.language)
        if link is not None and escape(link.url) not in html:
            html += format_html('\n<p><a href="{}">{}</a></p>\n', link.url, link.label)
    return html


# --- delivery ------------------------------------------------------------------------------
#
# Each notice is claimed in a committed step of its own (SENDING, one more attempt, the
# time), then sent, then its result recorded. A process that dies after the claim leaves
# the row SENDING: it may or may not have been sent, so the sweep tries it again only
# once the claim is older than any mail exchange takes, and with the same Message-ID, so a
# rare second copy is the same message, not a new one. Claims are single UPDATEs on the
# row, so two workers (or two sweeps on two beat hosts) never both claim it.


def message_id(notification: Notification) -> str:
    """The notice's own Message-ID: the same on every attempt, unguessable from outside."""
    digest = hmac.new(
        settings.SECRET_KEY.encode(), f"notification:{notification.pk}".encode(), hashlib.sha256
    ).hexdigest()[:16]
    domain = settings.DEFAULT_FROM_EMAIL.rsplit("@", 1)[-1].strip(" >") or "jetadmin.local"
    return f"<notification.{notification.pk}.{digest}@{domain}>"


def _claim_timeout() -> timedelta:
    return timedelta(minutes=settings.NOTIFICATION_CLAIM_TIMEOUT_MINUTES)


def _claim(pk: int) -> Notification | None:
    """Take a pending notice for sending, committed before anything is sent. The claim
    and the read of the row commit together: a connection dropped between them undoes
    the claim, so the retry takes the notice instead of leaving it to the claim timeout."""
    with transaction.atomic():
        claimed = Notification.objects.filter(pk=pk, state=Notification.State.PENDING).update(
            state=Notification.State.SENDING, attempts=F("attempts") + 1, claimed_at=timezone.now()
        )
        if not claimed:
            return None
        return Notification.objects.select_related("recipient").get(pk=pk)


def _send(notification: Notification, mail=None) -> None:
    subject, body = render_email(notification)
    message = EmailMultiAlternatives(
        subject,
        body,
        settings.DEFAULT_FROM_EMAIL,
        [notification.address],
        headers={"Message-ID": message_id(notification)},
        connection=mail,
    )
    html = render_email_html(notification)
    if html is not None:
        message.attach_alternative(html, "text/html")
    invitation = invitation_part(notification, _zone(notification))
    if invitation is not None:
        message.attach(invitation)
    message.send(fail_silently=False)


def _record(notification: Notification, error: Exception | None) -> bool:
    """What the attempt did, on the row it claimed (a row claimed again since, after its
    claim timed out, is the later attempt's to record)."""
    mine = Notification.objects.filter(
        pk=notification.pk, state=Notification.State.SENDING, attempts=notification.attempts
    )
    if error is None:
        context = dict(notification.context)
        for key in SECRET_CONTEXT.get(notification.kind, []):
            # Only the recipient's mailbox keeps it; the database holds just a hash.
            context[key] = ""
        mine.update(
            state=Notification.State.SENT, sent_at=timezone.now(), context=context, last_error=""
        )
        return True
    mine.update(
        state=(
            Notification.State.FAILED
            if notification.attempts >= MAX_ATTEMPTS
            else Notification.State.PENDING
        ),
        last_error=f"{type(error).__name__}: {error}"[:2000],
        claimed_at=None,
    )
    return False


def _deliver(notification: Notification, mail=None) -> bool:
    try:
        _send(notification, mail)
    except Exception as exc:  # the mail server refused; the sweep tries again later
        logger.warning("Notification %s not sent: %s", notification.pk, exc)
        error = exc
        return _with_one_retry(lambda: _record(notification, error))
    return _with_one_retry(lambda: _record(notification, None))


def _with_one_retry(step):
    """A step on the database, tried again once on a fresh connection if the connection
    broke under it (a terminated backend, a restarted server): the claim and the record
    are single UPDATEs, so running one again is safe."""
    try:
        return step()
    except (OperationalError, InterfaceError):
        if connection.in_atomic_block:
            raise
        connection.close()
        return step()


def notification_deliver(*, notification_id: int) -> bool:
    """Send one pending notification: claim, send, record. False if another worker has
    it, it is already sent, or the mail server refused (it stays pending)."""
    notification = _with_one_retry(lambda: _claim(notification_id))
    if notification is None:
        return False
    return _deliver(notification)


def notifications_deliver(*, notification_ids: list[int]) -> int:
    """A batch: each notice on its own, so one that fails (a refused address, a broken
    database connection) never keeps the others from going. Returns how many were sent."""
    sent = 0
    with get_connection() as mail:
        for pk in notification_ids:
            try:
                notification = _with_one_retry(lambda pk=pk: _claim(pk))
                if notification is not None:
                    sent += _deliver(notification, mail)
            except Exception:
                # Claimed and not recorded, it is the sweep's once its claim is old.
                logger.exception("Notification %s: delivery failed", pk)
    return sent


def late_since(cutoff) -> Q:
    """Pending since before `cutoff`, or claimed longer ago than a send can take."""
    return Q(state=Notification.State.PENDING, created_at__lte=cutoff) | Q(
        state=Notification.State.SENDING, claimed_at__lte=timezone.now() - _claim_timeout()
    )


def _claim_late(limit: int, late: Q) -> list[Notification]:
    """The oldest late notices, claimed together; rows another sweep holds are skipped."""
    with transaction.atomic():
        rows = list(
            Notification.objects.select_for_update(skip_locked=True, of=("self",))
            .select_related("recipient")
            .filter(late)
            .order_by("created_at", "id")[:limit]
        )
        now = timezone.now()
        for row in rows:
            row.state = Notification.State.SENDING
            row.attempts += 1
            row.claimed_at = now
        Notification.objects.bulk_update(rows, ["state", "attempts", "claimed_at"])
    return rows


def _renew_claim(notification: Notification) -> bool:
    """Stamp the claim anew; False if another sweep has taken the row since."""
    return bool(
        Notification.objects.filter(
            pk=notification.pk,
            state=Notification.State.SENDING,
            attempts=notification.attempts,
        ).update(claimed_at=timezone.now())
    )


def notifications_sweep(*, late: Q | None = None, batch: int = SWEEP_BATCH) -> int:
    """Send every late notice, oldest first, in bounded batches until none is left:
    pending rows nobody published (the broker was down) and claims whose worker died.
    Safe to run on several hosts at once. Returns how many were sent."""
    if late is None:
        resend_after = timedelta(minutes=settings.NOTIFICATION_RESEND_AFTER_MINUTES)
        late = late_since(timezone.now() - resend_after)
    sent = 0
    # A notice the mail server refuses goes back to pending: one try per sweep.
    tried: list[int] = []
    while True:
        todo = late & ~Q(pk__in=tried)
        rows = _with_one_retry(lambda todo=todo: _claim_late(batch, todo))
        if not rows:
            return sent
        tried += [row.pk for row in rows]
        with get_connection() as mail:
            for row in rows:
                try:
                    # The claim is renewed as each send starts: on a slow mail server the
                    # batch's last notices must not look abandoned to the next sweep.
                    if not _with_one_retry(lambda row=row: _renew_claim(row)):
                        continue
                    sent += _deliver(row, mail)
                except Exception:
                    logger.exception("Notification %s: delivery failed", row.pk)


def notification_mark_read(*, user, notification: Notification) -> None:
    if notification.read_at is None:
        notification.read_at = timezone.now()
        notification.save(update_fields=["read_at"])


def notifications_mark_all_read(*, user) -> int:
    return Notification.objects.filter(recipient=user, read_at__isnull=True).update(
        read_at=timezone.now()
    )
