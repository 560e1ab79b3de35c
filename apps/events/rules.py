"""The rules of events that the access rule and the services apply alike: which kinds of
event an organiser organisation runs, which events are the conferences MEXT presents
in, and whom an event is meant for.

The access rule (apps/core/access.py, POLICY "events.event") names the functions below
for the rows they select: a person sees, and may register for, the events whose
audience they are in; MEXT sees the conferences. Each returns one filter, a few
queries whatever the number of events.
"""

import datetime

from django.db.models import Exists, OuterRef, Q

from apps.core.models import Kind, Organisation, User
from apps.events.models import Event
from apps.placement.models import Contract, Placement
from apps.recruitment.models import Application

EK = Event.Kind
AUD = Event.Audience

# Which kind of organiser organisation runs which kind of event (the table).
ORGANISER_KINDS = {
    Kind.MISSION: {EK.INFORMATION_SESSION, EK.PRE_DEPARTURE, EK.WELCOME_BACK},
    Kind.CLAIR: {
        EK.TOKYO_ORIENTATION,
        EK.CIR_MID_YEAR,
        EK.SKILL_DEVELOPMENT,
        EK.RETURNING,
        EK.ALT_MID_YEAR,
    },
    Kind.CONTRACTING: {EK.ALT_MID_YEAR},
}
# Whom each kind of event is usually for: the form's first choice and the services'
# default when none is given (the Tokyo Orientation welcomes the new arrivals, not
# applicants). The organiser may always choose another audience.
DEFAULT_AUDIENCE = {
    EK.INFORMATION_SESSION: AUD.APPLICANTS,
    EK.PRE_DEPARTURE: AUD.SHORTLISTED,
    EK.TOKYO_ORIENTATION: AUD.NEW_PARTICIPANTS,
    EK.CIR_MID_YEAR: AUD.CIR,
    EK.SKILL_DEVELOPMENT: AUD.ALL_PARTICIPANTS,
    EK.ALT_MID_YEAR: AUD.PREFECTURE,
    EK.RETURNING: AUD.RETURNING,
    EK.WELCOME_BACK: AUD.ALUMNI,
}
# Kinds whose attendance is required of their audience by default.
ATTENDANCE_REQUIRED = {EK.TOKYO_ORIENTATION}
# Conferences in which MEXT adds its own seminars and workshops.
CONFERENCES = {
    EK.TOKYO_ORIENTATION,
    EK.CIR_MID_YEAR,
    EK.SKILL_DEVELOPMENT,
    EK.ALT_MID_YEAR,
    EK.RETURNING,
}
# Those whose contract ends within this many days are "leaving this year" (until the
# re-appointment round records who actually leaves).
RETURNING_WINDOW = datetime.timedelta(days=270)


def kinds_run_by(organisation: Organisation | None) -> set[str]:
    """The kinds of event `organisation` organises (none for one that runs no events)."""
    if organisation is None:
        return set()
    return ORGANISER_KINDS.get(organisation.kind, set())


def default_audience(kind: str) -> str:
    return DEFAULT_AUDIENCE.get(kind, AUD.ALL_PARTICIPANTS)


def defaults_for(kind: str, organisation: Organisation | None) -> dict:
    """A new event's sensible settings for its kind (the form's initial values)."""
    audience = default_audience(kind)
    defaults = {"audience": audience, "attendance_required": kind in ATTENDANCE_REQUIRED}
    if audience == AUD.PREFECTURE and organisation is not None and organisation.prefecture_id:
        defaults["audience_prefecture"] = organisation.prefecture_id
    return defaults


def conferences(user: User) -> Q:
    """The conferences, whoever asks."""
    return Q(kind__in=CONFERENCES)


def _shortlisted(person: User) -> Q:
    """The pre-departure orientations of the missions that shortlisted `person`, of
    that programme year."""
    return Q(audience=AUD.SHORTLISTED) & Q(
        Exists(
            Application.objects.filter(
                applicant=person,
                mission=OuterRef("organiser"),
                programme_year=OuterRef("programme_year"),
                status__in=(Application.Status.SHORTLISTED, Application.Status.FORWARDED),
            )
        )
    )


def for_applicant(person: User) -> Q:
    """An applicant: information sessions and, once shortlisted, their mission's
    pre-departure orientation of that year."""
    return Q(audience=AUD.APPLICANTS) | _shortlisted(person)


def _current_placement(person: User):
    return (
        Placement.objects.filter(application__applicant=person, status=Placement.Status.ACCEPTED)
        .select_related("position", "application")
        .order_by("-confirmed_at")
        .first()
    )


def for_participant(person: User) -> Q:
    """A participant: what their placement and contract make them (the returning
    conference only in the months before their contract ends), every participant's
    events, and their mission's pre-departure orientation."""
    q = Q(audience__in=(AUD.ALL_PARTICIPANTS, AUD.RECONTRACTING)) | _shortlisted(person)
    placement = _current_placement(person)
    if placement is None:
        return q
    group = Q(arrival_group="") | Q(arrival_group=placement.arrival_group)
    q |= group & (
        Q(audience=AUD.NEW_PARTICIPANTS, programme_year_id=placement.application.programme_year_id)
        | Q(audience=placement.position.type)
        | Q(audience=AUD.PREFECTURE, audience_prefecture_id=placement.position.prefecture_id)
    )
    ends = (
        placement.contracts.filter(status=Contract.Status.IN_FORCE)
        .order_by("-end_date")
        .values_list("end_date", flat=True)
        .first()
    )
    if ends is not None:
        q |= Q(
            audience=AUD.RETURNING,
            starts_at__date__lte=ends,
            starts_at__date__gte=ends - RETURNING_WINDOW,
        )
    return q
