"""Reads on correspondence threads, for pages and API alike.

A thread, its messages and its files are seen only by the staff of its member
organisations (the access policy): anyone else gets an empty list and a 404, the same as
for a thread that does not exist. Unread counts are the reader's organisation's own:
messages from the other members written after that organisation last read the thread.
"""

import datetime

from django.db.models import (
    Count,
    DateTimeField,
    IntegerField,
    Max,
    OuterRef,
    Prefetch,
    QuerySet,
    Subquery,
    Value,
)
from django.db.models.functions import Coalesce
from django.http import Http404

from apps.core import access
from apps.core.models import Organisation, User
from apps.outreach.models import Thread, ThreadMember, ThreadMessage
from apps.outreach.services_correspondence import MEMBER_KINDS

NEVER = datetime.datetime(2000, 1, 1, tzinfo=datetime.UTC)


def thread_list(*, user: User, unread_only: bool = False, q: str = "") -> QuerySet[Thread]:
    """The threads the user may see (their organisation's), newest activity first, each
    with `message_count`, `last_message_at`, `last_read_at` and `unread_count` (for the
    user's organisation)."""
    threads = access.restrict(Thread.objects.all(), user, "view")
    organisation = user.organisation if user.is_authenticated else None
    mine = ThreadMember.objects.filter(thread=OuterRef("pk"), organisation=organisation)
    # Messages of the other members written after the organisation last read the thread
    # (all of them if it never has).
    unread = (
        ThreadMessage.objects.filter(
            thread=OuterRef("pk"),
            created_at__gt=Coalesce(
                OuterRef("last_read_at"), Value(NEVER), output_field=DateTimeField()
            ),
        )
        .exclude(organisation=organisation)
        .order_by()
        .values("thread")
        .annotate(n=Count("pk"))
        .values("n")
    )
    threads = (
        threads.annotate(
            last_read_at=Subquery(mine.values("last_read_at")[:1], output_field=DateTimeField())
        )
        .annotate(
            unread_count=Coalesce(Subquery(unread, output_field=IntegerField()), 0),
            message_count=Count("messages", distinct=True),
            last_message_at=Max("messages__created_at"),
        )
        .select_related("created_by")
        .prefetch_related(
            Prefetch(
                "memberships",
                queryset=ThreadMember.objects.select_related("organisation").order_by(
                    "organisation__kind", "organisation__name_en"
                ),
            )
        )
        .order_by("-updated_at", "-pk")
    )
    if q:
        threads = threads.filter(subject__icontains=q.strip())
    if unread_only:
        threads = threads.filter(unread_count__gt=0)
    return threads


def thread_get(*, user: User, pk) -> Thread:
    """One thread of the user's organisation, or 404."""
    try:
        return thread_list(user=user).get(pk=int(pk))
    except (Thread.DoesNotExist, ValueError, TypeError):
        raise Http404 from None


def thread_messages(*, thread: Thread) -> QuerySet[ThreadMessage]:
    """The messages of a thread already checked with `thread_get`, oldest first."""
    return ThreadMessage.objects.filter(thread=thread).select_related("organisation", "author")


def attachment_list(*, user: User, thread_pk) -> QuerySet[ThreadMessage]:
    """The messages with a file in one thread the user may see."""
    threads = access.restrict(Thread.objects.all(), user, "view")
    return (
        ThreadMessage.objects.filter(thread__in=threads, thread_id=thread_pk)
        .exclude(attachment="")
        .select_related("organisation", "author")
    )


def message_with_attachment_get(*, user: User, thread_pk, message_pk) -> ThreadMessage:
    """A message's file, for a member organisation only; anything else is 404."""
    try:
        return attachment_list(user=user, thread_pk=int(thread_pk)).get(pk=int(message_pk))
    except (ThreadMessage.DoesNotExist, ValueError, TypeError):
        raise Http404 from None


def unread_thread_count(*, user: User) -> int:
    """How many of the organisation's threads have messages it has not read."""
    return thread_list(user=user, unread_only=True).count()


def member_choices(*, user: User) -> QuerySet[Organisation]:
    """Organisations a thread can be opened with, for those who may start one: those of
    the member kinds but the user's own."""
    if not access.allowed(user, "add", Thread):
        return Organisation.objects.none()
    return (
        Organisation.objects.filter(kind__in=MEMBER_KINDS)
        .exclude(pk=user.organisation.pk)
        .order_by("kind", "name_en", "pk")
    )
