"""A participant's side of confidential counselling: open a support request, write in its
thread, share a summary with the host prefecture's advisor (or stop sharing it)."""

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from apps.core.errors import DomainError
from apps.core.models import Kind, User
from apps.core.uploads import check_upload
from apps.notifications.services import notifications_record
from apps.support import selectors
from apps.support.models import SupportCase, SupportMessage

MAX_ATTACHMENT_BYTES = 10 * 1024 * 1024


def _require_own(by: User, case: SupportCase) -> None:
    if by.kind != Kind.PARTICIPANT or case.participant_id != by.pk:
        raise DomainError(_("Only the participant who opened the case can do this."))


def _attach(message: SupportMessage, attachment) -> None:
    if attachment is None:
        return
    check_upload(attachment, max_bytes=MAX_ATTACHMENT_BYTES)
    message.attachment_name = (getattr(attachment, "name", "") or "attachment")[-200:]
    message.attachment.save("upload", attachment, save=False)


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
    if by.kind != Kind.PARTICIPANT:
        raise DomainError(_("Only participants open support requests."))
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
    try:
        _attach(first, attachment)
    except DomainError as exc:
        raise DomainError(exc.message, field="attachment") from None
    first.save()
    notifications_record(
        recipients=list(selectors.counsellor_list()),
        kind="support_case_opened",
        context={"case": case.pk},
        key=f"support_case_opened:{case.pk}",
    )
    return case


@transaction.atomic
def support_message_write(*, by: User, case: SupportCase, body: str, attachment=None):
    """The participant writes in their case; a case waiting for them is back in progress."""
    _require_own(by, case)
    case = SupportCase.objects.select_for_update().get(pk=case.pk)
    if case.status == SupportCase.Status.CLOSED:
        raise DomainError(_("This case is closed. Open a new request if you need more help."))
    body = (body or "").strip()
    if not body:
        raise DomainError(_("Write a message."), field="body")
    message = SupportMessage(case=case, author=by, body=body)
    try:
        _attach(message, attachment)
    except DomainError as exc:
        raise DomainError(exc.message, field="attachment") from None
    message.save()
    if case.status == SupportCase.Status.WAITING:
        case.status = SupportCase.Status.IN_PROGRESS
    case.save()
    if case.assigned_to_id:
        notifications_record(
            recipients=[case.assigned_to],
            kind="support_message_participant",
            context={"case": case.pk},
            key=f"support_message_participant:{message.pk}",
        )
    return message


@transaction.atomic
def support_case_share(*, by: User, case: SupportCase, summary: str) -> SupportCase:
    """Share `summary`, and only it, with the prefectural advisor of the prefecture where
    the participant is placed. Sharing again replaces the summary."""
    _require_own(by, case)
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
            context={},
            key=f"support_shared:{case.pk}:{organisation.pk}:{case.shared_at.timestamp()}",
        )
    return case


@transaction.atomic
def support_case_unshare(*, by: User, case: SupportCase) -> SupportCase:
    """Stop sharing: the advisor no longer sees the case at all."""
    _require_own(by, case)
    case = SupportCase.objects.select_for_update().get(pk=case.pk)
    case.host_organisation = None
    case.shared_summary = ""
    case.shared_at = None
    case.save()
    return case
