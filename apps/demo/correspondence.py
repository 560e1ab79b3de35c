"""Demo data of issue 7 (correspondence), called at the end of apps/demo/placements.py.

Two threads, written through the correspondence rules as the staff of each organisation:
- CLAIR and MIC on this year's acceptance numbers and the placement timetable: four
  messages over the last weeks; CLAIR has read everything, MIC has one unread message
  (CLAIR's last);
- CLAIR and MEXT on MEXT's workshops at the Skill Development Conference: two messages;
  MEXT has read everything, CLAIR has MEXT's answer unread.
Notices go to the staff of the other member organisations only (CLAIR, MIC, MEXT), never
to the demo `participant`. Idempotent: a thread already present (by subject) is left as
it is.
"""

import datetime as dt

from django.db import transaction
from django.utils import timezone

from apps.core.models import Kind, Organisation, User
from apps.outreach import services_correspondence as services
from apps.outreach.models import Thread, ThreadMember, ThreadMessage

MIC_SUBJECT = "Acceptance numbers and placement timetable for the coming year"
MIC_MESSAGES = [
    # (account, days ago, body)
    (
        "clair",
        21,
        "Dear MIC colleagues,\n\nCould you confirm the acceptance numbers per country for "
        "the coming programme year? We would like to start matching in the first week of "
        "April so that contracting organisations receive their placements before Golden "
        "Week.",
    ),
    (
        "mic",
        19,
        "Thank you. The numbers are being finalised with MOFA; we expect to publish them "
        "within two weeks. The CIR numbers for the United States and the United Kingdom "
        "are unchanged from last year.",
    ),
    (
        "mic",
        8,
        "The acceptance numbers are now published in jetadmin. Please let us know if the "
        "approved positions in any prefecture fall short of them.",
    ),
    (
        "clair",
        2,
        "Many thanks. Hyogo and Hokkaido have fewer approved ALT positions than candidates "
        "so far; we will ask both to review their requests and keep you informed.",
    ),
]
MEXT_SUBJECT = "MEXT workshops at the Skill Development Conference"
MEXT_MESSAGES = [
    (
        "clair",
        12,
        "Dear MEXT colleagues,\n\nThe Skill Development Conference programme is being "
        "finalised. Could you confirm the titles of your workshops for ALTs and their "
        "Japanese teachers of English?",
    ),
    (
        "mext",
        3,
        "Our workshops are on team teaching under the new Course of Study and on "
        "assessment of speaking. The teaching texts will be in the MEXT library.",
    ),
]


def _seed_thread(subject: str, partner_kind: str, lines, read_by: dict[str, int]) -> bool:
    """`read_by` maps an organisation kind to the number of messages it has read."""
    if Thread.objects.filter(subject=subject).exists():
        return False
    users = {u.username: u for u in User.objects.filter(username__in={a for a, _, _ in lines})}
    if len(users) != len({a for a, _, _ in lines}):
        return False
    clair = Organisation.objects.get(kind=Kind.CLAIR)
    partner = Organisation.objects.filter(kind=partner_kind).order_by("pk").first()
    if partner is None:
        return False
    now = timezone.now()
    with transaction.atomic():
        first_account, _, first_body = lines[0]
        thread = services.thread_start(
            by=users[first_account],
            subject=subject,
            members=[partner if users[first_account].organisation == clair else clair],
            body=first_body,
        )
        for account, _, body in lines[1:]:
            services.message_post(
                by=users[account],
                thread=thread,
                body=body,
            )
        # The conversation took place over the last weeks.
        times = []
        for message, (_, days_ago, _) in zip(
            ThreadMessage.objects.filter(thread=thread).order_by("pk"), lines, strict=True
        ):
            when = now - dt.timedelta(days=days_ago, hours=2)
            ThreadMessage.objects.filter(pk=message.pk).update(created_at=when)
            times.append(when)
        Thread.objects.filter(pk=thread.pk).update(created_at=times[0], updated_at=times[-1])
        for organisation in (clair, partner):
            read = read_by.get(organisation.kind, 0)
            ThreadMember.objects.filter(thread=thread, organisation=organisation).update(
                last_read_at=times[read - 1] + dt.timedelta(minutes=5) if read else None
            )
    return True


def seed(stdout) -> None:
    made = 0
    made += _seed_thread(MIC_SUBJECT, Kind.MIC, MIC_MESSAGES, {Kind.CLAIR: 4, Kind.MIC: 3})
    made += _seed_thread(MEXT_SUBJECT, Kind.MEXT, MEXT_MESSAGES, {Kind.CLAIR: 1, Kind.MEXT: 2})
    if made:
        stdout.write(f"  correspondence: {made} thread(s) between CLAIR, MIC and MEXT")
