"""CLAIR's counsellors on confidential support cases: take a case from the queue, reply,
keep internal notes, set its status and reassign it to another counsellor with a reason.

Only CLAIR staff with the counsellor duty act here, and only on cases they may see (the
queue and their own): a case outside that is the same "not found" as on the pages."""

from django.db import transaction
from django.utils.translation import gettext as _

from apps.core.errors import DomainError
from apps.core.models import User
from apps.core.uploads import check_upload
from apps.notifications.services import notifications_record
from apps.support import selectors
from apps.support.models import SupportCase, SupportMessage, SupportReassignment

MAX_ATTACHMENT_BYTES = 10 * 1024 * 1024
Status = SupportCase.Status


def _require_counsellor(by: User) -> None:
    if not selectors.is_counsellor(by):
        raise DomainError(_("Only CLAIR's counsellors work on support cases."))


def _locked(by: User, case: SupportCase) -> SupportCase:
    """The case, locked, if the counsellor may still see it (the queue or their own)."""
    _require_counsellor(by)
    case = (
        selectors.support_case_list(user=by)
        .select_for_update(of=("self",))
        .filter(pk=case.pk)
        .first()
    )
    if case is None:
        raise DomainError(_("This case is no longer in your queue or assigned to you."))
    return case


def _require_assigned(by: User, case: SupportCase) -> None:
    if case.assigned_to_id != by.pk:
        raise DomainError(_("Take the case first: only its counsellor works on it."))


@transaction.atomic
def support_case_take(*, by: User, case: SupportCase) -> SupportCase:
    """Take a new case from the queue: it is assigned to `by` and in progress."""
    case = _locked(by, case)
    if case.assigned_to_id == by.pk:
        return case
    if case.assigned_to_id is not None:
        raise DomainError(_("Another counsellor has taken this case."))
    case.assigned_to = by
    case.status = Status.IN_PROGRESS
    case.save()
    return case


@transaction.atomic
def support_message_add(
    *, by: User, case: SupportCase, body: str, internal: bool = False, attachment=None
) -> SupportMessage:
    """A reply to the participant, or with `internal` a note only counsellors read."""
    case = _locked(by, case)
    _require_assigned(by, case)
    body = (body or "").strip()
    if not body:
        raise DomainError(_("Write a message."), field="body")
    if case.status == Status.CLOSED and not internal:
        raise DomainError(_("The case is closed: reopen it before replying."))
    message = SupportMessage(case=case, author=by, body=body, internal=bool(internal))
    if attachment is not None:
        try:
            check_upload(attachment, max_bytes=MAX_ATTACHMENT_BYTES)
        except DomainError as exc:
            raise DomainError(exc.message, field="attachment") from None
        message.attachment_name = (getattr(attachment, "name", "") or "attachment")[-200:]
        message.attachment.save("upload", attachment, save=False)
    message.save()
    case.save()  # its last activity
    if not internal:
        notifications_record(
            recipients=[case.participant],
            kind="support_reply",
            context={},
            key=f"support_reply:{message.pk}",
        )
    return message


@transaction.atomic
def support_status_set(*, by: User, case: SupportCase, status: str) -> SupportCase:
    case = _locked(by, case)
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
    case = _locked(by, case)
    if case.assigned_to_id not in (None, by.pk):
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
