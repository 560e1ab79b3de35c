"""Correspondence between organisations, as MOFA headquarters and its missions (issue 7).

MOFA headquarters starts threads; a mission writes in those it is a member of.
The rules are `apps.outreach.correspondence`; here the actor is checked.
"""

from apps.core.models import Kind, Organisation, User
from apps.outreach import correspondence as rules
from apps.outreach.models import Thread, ThreadMessage

KINDS = (Kind.MOFA, Kind.MISSION)


def thread_start(
    *, by: User, subject: str, members: list[Organisation], body: str, attachment=None
) -> Thread:
    organisation = rules.acting_organisation(by, (Kind.MOFA,))
    return rules.thread_start(
        by=by,
        organisation=organisation,
        subject=subject,
        members=members,
        body=body,
        attachment=attachment,
    )


def message_post(*, by: User, thread: Thread, body: str, attachment=None) -> ThreadMessage:
    organisation = rules.acting_organisation(by, KINDS)
    return rules.message_post(
        by=by, organisation=organisation, thread=thread, body=body, attachment=attachment
    )


def thread_read(*, by: User, thread: Thread) -> None:
    organisation = rules.acting_organisation(by, KINDS)
    rules.thread_mark_read(by=by, organisation=organisation, thread=thread)
