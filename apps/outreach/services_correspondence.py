"""Writes of correspondence between organisations, each asking the access rule who may
make it (pages and API call these alike).

A thread is correspondence between CLAIR and the ministries (MIC, MOFA, MEXT), with
missions or contracting organisations where they take part. CLAIR and the ministries
start threads and choose the member organisations (who may start one is the access
policy); every member organisation writes in them. The acting organisation is always
the writer's own. Each member organisation keeps its own read state
(`ThreadMember.last_read_at`): what one organisation has read says nothing about
another's. Each new message is a notice to the staff of the other member organisations.
"""

from django.conf import settings
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from apps.core import access
from apps.core.errors import DomainError
from apps.core.models import Kind, Organisation, User
from apps.core.uploads import check_upload
from apps.notifications.services import notifications_record
from apps.outreach.models import Thread, ThreadMember, ThreadMessage

# The kinds of organisation a thread is between: CLAIR and the ministries, and (where
# they take part) missions and contracting organisations. Every thread has one of the
# first besides the organisation that starts it.
CORE_KINDS = (Kind.CLAIR, Kind.MIC, Kind.MOFA, Kind.MEXT)
MEMBER_KINDS = (*CORE_KINDS, Kind.MISSION, Kind.CONTRACTING)
ATTACHMENT_MAX_BYTES = 10 * 1024 * 1024
SUBJECT_MAX = 200
BODY_MAX = 20000


def _clean_body(body: str) -> str:
    body = (body or "").strip()
    if not body:
        raise DomainError(_("Write a message."), field="body")
    if len(body) > BODY_MAX:
        raise DomainError(
            _("The message is too long (at most %(n)s characters).") % {"n": BODY_MAX},
            field="body",
        )
    return body


def _notify(message: ThreadMessage) -> None:
    """A notice to the staff of every member organisation but the writer's."""
    thread = message.thread
    others = ThreadMember.objects.filter(thread=thread).exclude(
        organisation_id=message.organisation_id
    )
    recipients = User.objects.filter(
        membership__organisation_id__in=others.values("organisation_id"), is_active=True
    ).order_by("pk")
    writer = message.organisation
    notifications_record(
        recipients=list(recipients),
        kind="correspondence_message",
        context={
            "thread": thread.pk,
            "subject": thread.subject,
            "organisation_en": writer.name_en,
            "organisation_ja": writer.name_ja or writer.name_en,
            "link": settings.SITE_URL
            + reverse("correspondence:thread-detail", kwargs={"pk": thread.pk}),
        },
        key=f"correspondence-message:{message.pk}",
    )


def _write(*, by: User, organisation: Organisation, thread: Thread, body: str, attachment):
    body = _clean_body(body)
    if attachment is not None:
        try:
            check_upload(attachment, max_bytes=ATTACHMENT_MAX_BYTES)
        except DomainError as exc:
            raise DomainError(exc.message, field="attachment") from None
    message = ThreadMessage(thread=thread, organisation=organisation, author=by, body=body)
    if attachment is not None:
        message.attachment_name = (attachment.name or "attachment").rsplit("/", 1)[-1][-200:]
        message.attachment.save("attachment", attachment, save=False)
    message.save()
    now = timezone.now()
    # The writer's organisation has read the thread up to its own message.
    ThreadMember.objects.filter(thread=thread, organisation=organisation).update(last_read_at=now)
    Thread.objects.filter(pk=thread.pk).update(updated_at=now)
    _notify(message)
    return message


@transaction.atomic
def thread_start(
    *, by: User, subject: str, members: list[Organisation], body: str, attachment=None
) -> Thread:
    """Open a thread from the writer's organisation with the chosen member organisations
    and its first message."""
    access.require_allowed(
        by, "add", Thread, _("CLAIR and the ministries start correspondence threads.")
    )
    organisation = by.organisation
    subject = (subject or "").strip()
    if not subject:
        raise DomainError(_("Give the thread a subject."), field="subject")
    if len(subject) > SUBJECT_MAX:
        raise DomainError(
            _("The subject is too long (at most %(n)s characters).") % {"n": SUBJECT_MAX},
            field="subject",
        )
    chosen = {m.pk: m for m in members if m.pk != organisation.pk}
    if not chosen:
        raise DomainError(_("Choose the organisations to write to."), field="members")
    if any(m.kind not in MEMBER_KINDS for m in chosen.values()):
        raise DomainError(
            _("Only CLAIR, the ministries, missions and contracting organisations take part."),
            field="members",
        )
    if not any(m.kind in CORE_KINDS for m in chosen.values()):
        raise DomainError(
            _(
                "A thread is correspondence between CLAIR and the ministries: "
                "include at least one of them besides your own organisation."
            ),
            field="members",
        )
    thread = Thread.objects.create(subject=subject, created_by=by)
    ThreadMember.objects.bulk_create(
        [ThreadMember(thread=thread, organisation=organisation)]
        + [ThreadMember(thread=thread, organisation=m) for m in chosen.values()]
    )
    _write(by=by, organisation=organisation, thread=thread, body=body, attachment=attachment)
    thread.refresh_from_db()
    return thread


@transaction.atomic
def message_post(*, by: User, thread: Thread, body: str, attachment=None) -> ThreadMessage:
    """A message in the thread from the writer's organisation, one of its members."""
    # One writer at a time per thread, so messages and read marks keep their order.
    thread = Thread.objects.select_for_update().get(pk=thread.pk)
    access.require(by, "post", thread, _("Only the member organisations of a thread write in it."))
    return _write(
        by=by, organisation=by.organisation, thread=thread, body=body, attachment=attachment
    )


@transaction.atomic
def thread_read(*, by: User, thread: Thread) -> None:
    """The reader's organisation has read the thread up to now; the others' read state
    stays."""
    access.require(by, "view", thread, _("Only the member organisations of a thread write in it."))
    ThreadMember.objects.filter(thread=thread, organisation=by.organisation).update(
        last_read_at=timezone.now()
    )
