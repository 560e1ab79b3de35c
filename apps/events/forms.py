"""Forms of the event pages. They parse what people type; the services in
apps/events/services.py decide what is allowed.

Times are typed as the clock shows them where the event takes place: a form reads them
without a zone and `zoned` makes them aware in the event's own zone, whatever zone the
person typing them is in."""

import datetime
import zoneinfo

from django import forms
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _

from apps.core import limits, time_zones
from apps.core.models import Prefecture
from apps.events.models import Event, Session
from apps.placement.models import Placement

DATETIME_LOCAL = "%Y-%m-%dT%H:%M"


def time_zone_choices() -> list[tuple[str, str]]:
    """The common zones first, named in the reader's language, then every other IANA
    zone by its name."""
    common = time_zones.choices()
    listed = {name for name, _label in common}
    rest = [(name, name) for name in sorted(zoneinfo.available_timezones()) if name not in listed]
    return common + rest


class WallClockField(forms.DateTimeField):
    """A date and time as typed, with no zone yet (see `zoned`)."""

    widget = forms.DateTimeInput(attrs={"type": "datetime-local"}, format=DATETIME_LOCAL)

    def to_python(self, value):
        with timezone.override(datetime.UTC):
            result = super().to_python(value)
        return result.replace(tzinfo=None) if result else result


def zoned(value: datetime.datetime | None, zone_name: str) -> datetime.datetime | None:
    """A wall-clock time in `zone_name` as an aware datetime."""
    if value is None:
        return None
    return timezone.make_aware(value, zoneinfo.ZoneInfo(zone_name))


def wall_clock(value: datetime.datetime | None, zone_name: str) -> datetime.datetime | None:
    """An aware datetime as the clock in `zone_name` shows it (a form's initial value)."""
    if value is None:
        return None
    return timezone.localtime(value, zoneinfo.ZoneInfo(zone_name)).replace(tzinfo=None)


TEXTAREA = {"rows": 4}


class EventForm(forms.Form):
    """An event as its organiser describes it, in English and Japanese."""

    BILINGUAL = ("title", "description", "venue", "bring")
    TIMES = ("starts_at", "ends_at", "registration_opens", "registration_closes")

    kind = forms.ChoiceField(label=_("Kind of event"))
    title_en = forms.CharField(label=_("Title (English)"), max_length=200)
    title_ja = forms.CharField(label=_("Title (Japanese)"), max_length=200, required=False)
    description_en = forms.CharField(
        label=_("Description (English)"),
        required=False,
        max_length=limits.TEXT,
        widget=forms.Textarea(attrs=TEXTAREA),
    )
    description_ja = forms.CharField(
        label=_("Description (Japanese)"),
        required=False,
        max_length=limits.TEXT,
        widget=forms.Textarea(attrs=TEXTAREA),
    )
    venue_en = forms.CharField(label=_("Venue (English)"), max_length=300, required=False)
    venue_ja = forms.CharField(label=_("Venue (Japanese)"), max_length=300, required=False)
    bring_en = forms.CharField(
        label=_("What to bring (English)"),
        required=False,
        max_length=limits.NOTE,
        widget=forms.Textarea(attrs=TEXTAREA),
    )
    bring_ja = forms.CharField(
        label=_("What to bring (Japanese)"),
        required=False,
        max_length=limits.NOTE,
        widget=forms.Textarea(attrs=TEXTAREA),
    )
    online_url = forms.URLField(
        label=_("Online link"),
        required=False,
        max_length=limits.URL,
        assume_scheme="https",
        help_text=_("For an event held online, or streamed."),
    )
    time_zone = forms.ChoiceField(
        label=_("Time zone of the event"),
        help_text=_("Type every time below as the clock shows it where the event is held."),
    )
    starts_at = WallClockField(label=_("Starts"))
    ends_at = WallClockField(label=_("Ends"))
    registration_opens = WallClockField(label=_("Registration opens"), required=False)
    registration_closes = WallClockField(label=_("Registration closes"), required=False)
    capacity = forms.IntegerField(
        label=_("Capacity"),
        min_value=1,
        required=False,
        help_text=_("Leave blank for no limit. Once it is full, people join a waitlist."),
    )
    audience = forms.ChoiceField(label=_("Audience"), choices=Event.Audience.choices)
    audience_prefecture = forms.ModelChoiceField(
        label=_("Prefecture of the audience"),
        queryset=Prefecture.objects.order_by("code"),
        required=False,
        help_text=_("Only for an audience in one prefecture."),
    )
    arrival_group = forms.ChoiceField(
        label=_("Arrival group"),
        choices=[("", _("Any")), *Placement.ArrivalGroup.choices],
        required=False,
    )
    attendance_required = forms.BooleanField(
        label=_("Attendance is required (new participants are registered automatically)"),
        required=False,
    )

    def __init__(self, *args, kinds=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["kind"].choices = [(k, label) for k, label in Event.Kind.choices if k in kinds]
        self.fields["time_zone"].choices = time_zone_choices()

    def clean(self):
        cleaned = super().clean()
        zone_name = cleaned.get("time_zone")
        if zone_name:
            for name in self.TIMES:
                if cleaned.get(name) is not None:
                    cleaned[name] = zoned(cleaned[name], zone_name)
        return cleaned

    def event_fields(self) -> dict:
        """The cleaned values, named as `event_create` and `event_update` take them."""
        return dict(self.cleaned_data)

    def changed_fields(self) -> dict:
        """Only what the person changed (for `event_update`), so that a value merely sent
        back as the form showed it (a time shown without its seconds) changes nothing. A
        new time zone re-reads every time typed in it."""
        names = set(self.changed_data)
        if "time_zone" in names:
            names |= set(self.TIMES)
        return {name: self.cleaned_data[name] for name in names}

    @classmethod
    def initial_from(cls, event: Event) -> dict:
        initial = {name: getattr(event, name) for name in cls.base_fields}
        for name in cls.TIMES:
            initial[name] = wall_clock(initial[name], event.time_zone)
        return initial

    def pairs(self):
        """(English, Japanese) bound fields, for the two columns of the page."""
        return [(self[f"{name}_en"], self[f"{name}_ja"]) for name in self.BILINGUAL]


class SessionForm(forms.Form):
    """A session (a workshop, a seminar) within an event, timed in the event's zone."""

    title_en = forms.CharField(label=_("Title (English)"), max_length=200)
    title_ja = forms.CharField(label=_("Title (Japanese)"), max_length=200, required=False)
    description_en = forms.CharField(
        label=_("Description (English)"),
        required=False,
        max_length=limits.TEXT,
        widget=forms.Textarea(attrs=TEXTAREA),
    )
    description_ja = forms.CharField(
        label=_("Description (Japanese)"),
        required=False,
        max_length=limits.TEXT,
        widget=forms.Textarea(attrs=TEXTAREA),
    )
    starts_at = WallClockField(label=_("Starts"))
    ends_at = WallClockField(label=_("Ends"))
    room = forms.CharField(label=_("Room"), max_length=100, required=False)
    room_ja = forms.CharField(label=_("Room (Japanese)"), max_length=100, required=False)
    track = forms.CharField(
        label=_("Track"),
        max_length=100,
        required=False,
        help_text=_("Sessions at the same time in different tracks run in parallel."),
    )
    capacity = forms.IntegerField(
        label=_("Places"),
        min_value=1,
        max_value=limits.PEOPLE,
        required=False,
        help_text=_("Leave blank for no limit but the event's."),
    )
    confirm_clash = forms.BooleanField(
        label=_("Yes, both sessions share the room at that time"),
        required=False,
    )

    BILINGUAL = ("title", "description")
    TIMES = ("starts_at", "ends_at")

    def __init__(self, *args, zone_name: str, **kwargs):
        super().__init__(*args, **kwargs)
        self.zone_name = zone_name

    def clean(self):
        cleaned = super().clean()
        for name in self.TIMES:
            if cleaned.get(name) is not None:
                cleaned[name] = zoned(cleaned[name], self.zone_name)
        return cleaned

    def session_fields(self) -> dict:
        """The cleaned values, named as `session_create` and `session_update` take them,
        without the confirmation (passed on its own)."""
        return {k: v for k, v in self.cleaned_data.items() if k != "confirm_clash"}

    @classmethod
    def initial_from(cls, session: Session) -> dict:
        initial = {
            name: getattr(session, name) for name in cls.base_fields if name != "confirm_clash"
        }
        for name in cls.TIMES:
            initial[name] = wall_clock(initial[name], session.event.time_zone)
        return initial

    def pairs(self):
        return [(self[f"{name}_en"], self[f"{name}_ja"]) for name in self.BILINGUAL]


class SessionChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj: Session) -> str:
        start = timezone.localtime(obj.starts_at)
        end = timezone.localtime(obj.ends_at)
        when = "{} {}–{}".format(  # noqa: RUF001 - an en dash between times
            date_format(start, "MONTH_DAY_FORMAT"),
            date_format(start, "H:i"),
            date_format(end, "H:i"),
        )
        return f"{obj.text('title')} ({when})"


class SessionChoiceForm(forms.Form):
    """The sessions a registered person will attend, where several run at once."""

    sessions = SessionChoiceField(
        label=_("Sessions you will attend"),
        queryset=Session.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, *args, sessions, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["sessions"].queryset = sessions


FORMATS = [("csv", "CSV"), ("xlsx", "Excel")]
