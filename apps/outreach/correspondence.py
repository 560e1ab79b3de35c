"""The rules of correspondence between organisations, shared by each actor's
`services_correspondence` (CLAIR, MIC, MOFA and its missions, MEXT, contracting
organisations), which check who is acting and call these in their transaction.

A thread is correspondence between CLAIR and the ministries (MIC, MOFA, MEXT), with
missions or contracting organisations where they take part. CLAIR and the ministries
start threads and choose the member organisations; every member organisation writes in
them. Only member organisations see a thread, its messages and its files. Each member
organisation keeps its own read state (`ThreadMember.last_read_at`): what one
organisation has read says nothing about another's. Each new message is a notice to the
staff of the other member organisations.
"""

from django.conf import settings
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from apps.core.errors import DomainError
from apps.core.models import Kind, Organisation, User
from apps.core.uploads import check_upload
from apps.notifications.services import notifications_record
from apps.outreach.models import Thread, ThreadMember, ThreadMessage

# CLAIR and the ministries: they start threads.
CORE_KINDS = (Kind.CLAIR, Kind.MIC, Kind.MOFA, Kind.MEXT)
STARTER_KINDS = CORE_KINDS
# Who may be a member of a thread.
MEMBER_KINDS = (*CORE_KINDS, Kind.MISSION, Kind.CONTRACTING)
ATTACHMENT_MAX_BYTES = 10 * 1024 * 1024
SUBJECT_MAX = 200
BODY_MAX = 20000


def acting_organisation(by: User, kinds) -> Organisation:
    """The organisation the user acts for, when it is of one of `kinds`."""
    organisation = by.organisation if by.is_authenticated else None
    if organisation is None or organisation.kind not in kinds:
        raise DomainError(_("Your organisation does not take part in correspondence."))
    return organisation


def can_start(user: User) -> bool:
    return bool(
        user.is_authenticated and user.organisation and user.organisation.kind in STARTER_KINDS
    )


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


def _membership(thread: Thread, organisation: Organisation) -> ThreadMember:
    member = ThreadMember.objects.filter(thread=thread, organisation=organisation).first()
    if member is None:
        raise DomainError(_("Only the member organisations of a thread write in it."))
    return member


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
    *,
    by: User,
    organisation: Organisation,
    subject: str,
    members,
    body: str,
    attachment=None,
) -> Thread:
    """Open a thread from `organisation` (the caller's, CLAIR or a ministry) with the
    chosen member organisations and its first message."""
    if organisation.kind not in STARTER_KINDS:
        raise DomainError(_("CLAIR and the ministries start correspondence threads."))
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
def message_post(
    *, by: User, organisation: Organisation, thread: Thread, body: str, attachment=None
) -> ThreadMessage:
    """A member organisation's message in the thread."""
    # One writer at a time per thread, so messages and read marks keep their order.
    thread = Thread.objects.select_for_update().get(pk=thread.pk)
    _membership(thread, organisation)
    return _write(by=by, organisation=organisation, thread=thread, body=body, attachment=attachment)


@transaction.atomic
def thread_mark_read(*, by: User, organisation: Organisation, thread: Thread) -> None:
    """The organisation has read the thread up to now; the others' read state stays."""
    member = _membership(thread, organisation)
    member.last_read_at = timezone.now()
    member.save(update_fields=["last_read_at"])
