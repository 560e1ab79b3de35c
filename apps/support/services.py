"""Writes of confidential counselling, each asking the access rule who may make it.

The participant opens a support request, writes in its thread and shares a summary with
their host prefecture's advisor (or stops sharing it). CLAIR's counsellors take a case
from the queue, reply, keep internal notes, set its status and reassign it to another
counsellor with a reason; only the case's own counsellor works on it.

A case the user may not see never reaches these functions (the pages and the API answer
404 first); one they see but may not act on is refused with PermissionDenied (403) and
the message the page and the API both show."""

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from apps.core import access
from apps.core.errors import DomainError
from apps.core.models import User
from apps.core.uploads import check_upload
from apps.notifications.services import notifications_record
from apps.support import selectors
from apps.support.models import SupportCase, SupportMessage, SupportReassignment

MAX_ATTACHMENT_BYTES = 10 * 1024 * 1024
Status = SupportCase.Status


def _attach(message: SupportMessage, attachment) -> None:
    if attachment is None:
        return
    try:
        check_upload(attachment, max_bytes=MAX_ATTACHMENT_BYTES)
    except DomainError as exc:
        raise DomainError(exc.message, field="attachment") from None
    message.attachment_name = (getattr(attachment, "name", "") or "attachment")[-200:]
    message.attachment.save("upload", attachment, save=False)


def _counselled(by: User, case: SupportCase) -> SupportCase:
    """The case, locked, if the counsellor may still work on it (the queue or their own)."""
    access.require_allowed(
        by, "counsel", SupportCase, _("Only CLAIR's counsellors work on support cases.")
    )
    case = (
        access.restrict(SupportCase.objects.all(), by, "counsel")
        .select_for_update()
        .filter(pk=case.pk)
        .first()
    )
    if case is None:
        raise DomainError(_("This case is no longer in your queue or assigned to you."))
    return case


def _require_assigned(by: User, case: SupportCase) -> None:
    # A case in the queue is visible to every counsellor: taking it comes first.
    if not access.can(by, "reply", case):
        raise DomainError(_("Take the case first: only its counsellor works on it."))


def _own(by: User, case: SupportCase) -> SupportCase:
    access.require(by, "write", case, _("Only the participant who opened the case can do this."))
    return SupportCase.objects.select_for_update().get(pk=case.pk)


# --- the participant -----------------------------------------------------------------------


@transaction.atomic
def support_case_open(
    *,
    by: User,
    category: str,
    subject: str,
    message: str,
    attachment=None,
    anonymous_to_organisation: bool = False,
) -> SupportCase:
    """Open a request; it waits in CLAIR's counselling queue until a counsellor takes it."""
    access.require_allowed(by, "add", SupportCase, _("Only participants open support requests."))
    if category not in SupportCase.Category.values:
        raise DomainError(_("Choose what the request is about."), field="category")
    subject = (subject or "").strip()
    message = (message or "").strip()
    if not subject:
        raise DomainError(_("Give the request a subject."), field="subject")
    if not message:
        raise DomainError(_("Write what you need help with."), field="message")
    case = SupportCase.objects.create(
        participant=by,
        category=category,
        subject=subject[:200],
        anonymous_to_organisation=bool(anonymous_to_organisation),
    )
    first = SupportMessage(case=case, author=by, body=message)
    _attach(first, attachment)
    first.save()
    notifications_record(
        recipients=list(selectors.counsellor_list()),
        kind="support_case_opened",
        context={"case": case.pk},
        key=f"support_case_opened:{case.pk}",
    )
    return case


@transaction.atomic
def support_case_share(*, by: User, case: SupportCase, summary: str) -> SupportCase:
    """Share `summary`, and only it, with the prefectural advisor of the prefecture where
    the participant is placed. Sharing again replaces the summary."""
    access.require(by, "write", case, _("Only the participant who opened the case can do this."))
    summary = (summary or "").strip()
    if not summary:
        raise DomainError(
            _("Write the summary the prefectural advisor will read."), field="shared_summary"
        )
    organisation = selectors.host_organisation_for(by)
    if organisation is None:
        raise DomainError(
            _("Your host prefecture has no prefectural advisor in jetadmin to share with.")
        )
    case = SupportCase.objects.select_for_update().get(pk=case.pk)
    first_time = case.shared_at is None or case.host_organisation_id != organisation.pk
    case.host_organisation = organisation
    case.shared_summary = summary
    case.shared_at = timezone.now()
    case.save()
    if first_time:
        notifications_record(
            recipients=list(selectors.advisor_list(organisation=organisation)),
            kind="support_shared",
            context={"case": case.pk},
            key=f"support_shared:{case.pk}:{organisation.pk}:{case.shared_at.timestamp()}",
        )
    return case


@transaction.atomic
def support_case_unshare(*, by: User, case: SupportCase) -> SupportCase:
    """Stop sharing: the advisor no longer sees the case at all."""
    case = _own(by, case)
    case.host_organisation = None
    case.shared_summary = ""
    case.shared_at = None
    case.save()
    return case


# --- the thread ----------------------------------------------------------------------------


@transaction.atomic
def support_message_add(
    *, by: User, case: SupportCase, body: str, internal: bool = False, attachment=None
) -> SupportMessage:
    """A message in the case's thread: a counsellor's reply to the participant, or with
    `internal` a note only counsellors read; or the participant's own message, which
    brings a case waiting for them back in progress."""
    if access.allowed(by, "counsel", SupportCase):
        return _counsellor_message(
            by=by, case=case, body=body, internal=internal, attachment=attachment
        )
    if internal:
        raise PermissionDenied(_("Only counsellors write internal notes."))
    return _participant_message(by=by, case=case, body=body, attachment=attachment)


def _counsellor_message(
    *, by: User, case: SupportCase, body: str, internal: bool, attachment
) -> SupportMessage:
    case = _counselled(by, case)
    _require_assigned(by, case)
    body = (body or "").strip()
    if not body:
        raise DomainError(_("Write a message."), field="body")
    if case.status == Status.CLOSED and not internal:
        raise DomainError(_("The case is closed: reopen it before replying."))
    message = SupportMessage(case=case, author=by, body=body, internal=bool(internal))
    _attach(message, attachment)
    message.save()
    case.save()  # its last activity
    if not internal:
        notifications_record(
            recipients=[case.participant],
            kind="support_reply",
            context={"case": case.pk},
            key=f"support_reply:{message.pk}",
        )
    return message


def _participant_message(*, by: User, case: SupportCase, body: str, attachment) -> SupportMessage:
    case = _own(by, case)
    if case.status == Status.CLOSED:
        raise DomainError(_("This case is closed. Open a new request if you need more help."))
    body = (body or "").strip()
    if not body:
        raise DomainError(_("Write a message."), field="body")
    message = SupportMessage(case=case, author=by, body=body)
    _attach(message, attachment)
    message.save()
    if case.status == Status.WAITING:
        case.status = Status.IN_PROGRESS
    case.save()
    if case.assigned_to_id:
        notifications_record(
            recipients=[case.assigned_to],
            kind="support_message_participant",
            context={"case": case.pk},
            key=f"support_message_participant:{message.pk}",
        )
    return message


# --- the counsellors -----------------------------------------------------------------------


@transaction.atomic
def support_case_take(*, by: User, case: SupportCase) -> SupportCase:
    """Take a new case from the queue: it is assigned to `by` and in progress."""
    case = _counselled(by, case)
    if case.assigned_to_id == by.pk:
        return case
    if case.assigned_to_id is not None:
        raise DomainError(_("Another counsellor has taken this case."))
    case.assigned_to = by
    case.status = Status.IN_PROGRESS
    case.save()
    return case


@transaction.atomic
def support_status_set(*, by: User, case: SupportCase, status: str) -> SupportCase:
    case = _counselled(by, case)
    _require_assigned(by, case)
    if status not in (Status.IN_PROGRESS, Status.WAITING, Status.CLOSED):
        raise DomainError(
            _("A case taken by a counsellor is in progress, waiting or closed."), field="status"
        )
    case.status = status
    case.save()
    return case


@transaction.atomic
def support_case_reassign(
    *, by: User, case: SupportCase, to: User, reason: str
) -> SupportReassignment:
    """Hand the case to another counsellor; the reason stays in the case's history."""
    case = _counselled(by, case)
    if case.assigned_to_id is not None and not access.can(by, "reply", case):
        raise DomainError(_("Only the case's counsellor reassigns it."))
    reason = (reason or "").strip()
    if not reason:
        raise DomainError(_("Give the reason for the reassignment."), field="reason")
    if to is None or not selectors.counsellor_list().filter(pk=to.pk).exists():
        raise DomainError(_("Choose one of CLAIR's counsellors."), field="to")
    if to.pk == case.assigned_to_id:
        raise DomainError(_("The case is already assigned to this counsellor."), field="to")
    reassignment = SupportReassignment.objects.create(
        case=case, from_counsellor=case.assigned_to, to_counsellor=to, reason=reason, by=by
    )
    case.assigned_to = to
    if case.status == Status.NEW:
        case.status = Status.IN_PROGRESS
    case.save()
    notifications_record(
        recipients=[to],
        kind="support_case_assigned",
        context={"case": case.pk},
        key=f"support_case_assigned:{reassignment.pk}",
    )
    return reassignment
