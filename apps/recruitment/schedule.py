"""Booked interviews on people's schedules (apps.core.schedule): the applicant's own
interview, and for the mission's staff the booked slots of their panel (or of no panel
in particular). Read through the access rule's "join" (who may see the meeting link):
the mission's staff for their own slots, an applicant only for the slot they booked."""

from django.db.models import Count, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from apps.core import access
from apps.core.models import User
from apps.core.schedule import ScheduleItem
from apps.recruitment.models import InterviewBooking, InterviewSlot

UID_DOMAIN = "jetadmin"


def booking_uid(booking: InterviewBooking) -> str:
    """The same for the booking across a change of time, so a calendar moves it."""
    return f"interview-{booking.pk}@{UID_DOMAIN}"


def slot_uid(slot: InterviewSlot) -> str:
    return f"interview-slot-{slot.pk}@{UID_DOMAIN}"


def _where(slot: InterviewSlot) -> str:
    return slot.location


def interview_schedule_audience(user: User) -> bool:
    """The mission's staff have a schedule for their panels (applicants have one anyway)."""
    return access.allowed(user, "add", InterviewSlot)


def interview_schedule(*, user: User, include_past: bool = False) -> list[ScheduleItem]:
    if not user.is_authenticated:
        return []
    slots = access.restrict(InterviewSlot.objects.all(), user, "join")
    if not include_past:
        slots = slots.filter(ends_at__gte=timezone.now())
    own = list(
        InterviewBooking.objects.filter(application__applicant=user, slot__in=slots)
        .select_related("slot__mission", "application")
        .order_by("slot__starts_at")
    )
    items = [
        ScheduleItem(
            uid=booking_uid(booking),
            starts_at=booking.slot.starts_at,
            ends_at=booking.slot.ends_at,
            title=_("JET Programme interview at %(mission)s")
            % {"mission": booking.slot.mission.name},
            stamp=booking.booked_at,
            location=_where(booking.slot),
            online_url=booking.slot.online_url,
            description=_("Application %(number)s.") % {"number": booking.application.number},
            path=reverse("mofa:applicant-interview", kwargs={"pk": booking.application_id}),
        )
        for booking in own
    ]
    # The mission's staff: booked slots they sit on the panel of, or that have no panel.
    panel_slots = (
        slots.filter(pk__in=InterviewBooking.objects.values("slot"))
        .filter(Q(panel=user) | Q(panel__isnull=True))
        .exclude(bookings__application__applicant=user)
        .distinct()
    )
    staffed = InterviewSlot.objects.filter(pk__in=panel_slots.values("pk")).annotate(
        booked=Count("bookings")
    )
    items += [
        ScheduleItem(
            uid=slot_uid(slot),
            starts_at=slot.starts_at,
            ends_at=slot.ends_at,
            title=ngettext(
                "Interview panel: %(count)s booked",
                "Interview panel: %(count)s booked",
                slot.booked,
            )
            % {"count": slot.booked},
            stamp=slot.starts_at,
            location=_where(slot),
            online_url=slot.online_url,
            path=reverse("mofa:mission-interviews"),
        )
        for slot in staffed.order_by("starts_at")
    ]
    return items
