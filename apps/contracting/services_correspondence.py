"""Correspondence between organisations, as a contracting organisation (issue 7).

A contracting organisation writes in the threads it is a member of; it does not start them.
The rules are `apps.outreach.correspondence`; here the actor is checked.
"""

from apps.core.models import Kind, User
from apps.outreach import correspondence as rules
from apps.outreach.models import Thread, ThreadMessage

KINDS = (Kind.CONTRACTING,)


def message_post(*, by: User, thread: Thread, body: str, attachment=None) -> ThreadMessage:
    organisation = rules.acting_organisation(by, KINDS)
    return rules.message_post(
        by=by, organisation=organisation, thread=thread, body=body, attachment=attachment
    )


def thread_read(*, by: User, thread: Thread) -> None:
    organisation = rules.acting_organisation(by, KINDS)
    rules.thread_mark_read(by=by, organisation=organisation, thread=thread)
