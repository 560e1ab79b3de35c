"""Where the demo's dates come from: one day of the programme year, moved to today.

The demo tells the programme as it stands on 2 December of a recruitment autumn (the
story day): the application round closed two weeks ago and interviews are under way,
last year's arrivals are in their first contract year and the year before's in their
second, the re-appointment round is open, events are coming up. The demo modules write
their dates as dates of that story, in years counted from the current programme year
(`cal.date(cal.year - 1, 12, 10)`: 10 December of the recruitment autumn), and this
module moves every one of them by the same number of days, so that the story day is
today. The story, and every test built on it, then holds on any day of any year.

The current programme year follows the JET calendar: it is named by the year its
participants arrive, and its arrival (written as 24 July) moved to today falls in it.
On the story day itself the demo is the real calendar; months away from it the round's
dates are as far from their usual months, which a demonstration can live with and a
story that stops making sense in January cannot.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from zoneinfo import ZoneInfo

from django.utils import timezone

TOKYO = ZoneInfo("Asia/Tokyo")
HAWAII = ZoneInfo("Pacific/Honolulu")

STORY_DAY = (12, 2)  # in the autumn before the programme year
ARRIVAL = (7, 24)  # Group A's departure, in the programme year


@dataclass(frozen=True)
class DemoCalendar:
    today: dt.date
    year: int  # the current programme year
    shift: dt.timedelta  # today minus the story day

    def date(self, year: int, month: int, day: int) -> dt.date:
        """A date of the story (`year` counted from `self.year`), moved to today's frame."""
        return dt.date(year, month, day) + self.shift

    def story(self, day: dt.date) -> dt.date:
        """The story's date of a date of today's frame (the inverse of `date`)."""
        return day - self.shift

    def at(
        self, year: int, month: int, day: int, hhmm: str = "10:00", tz: ZoneInfo = TOKYO
    ) -> dt.datetime:
        """A moment of the story, as an aware datetime in `tz`."""
        hour, minute = (int(part) for part in hhmm.split(":"))
        return dt.datetime.combine(self.date(year, month, day), dt.time(hour, minute), tzinfo=tz)

    def programme_year_dates(self, year: int) -> dict:
        """The calendar of programme year `year` (reference/jet-facts.md): applications
        open in late September, close mid-November; results in late March, replies by
        early May; departures in late July."""
        return {
            "applications_open": self.at(year - 1, 9, 23, "00:00", HAWAII),
            "application_deadline": self.at(year - 1, 11, 15, "23:59", HAWAII),
            "degree_deadline": self.date(year, 6, 25),
            "results_release": self.date(year, 3, 26),
            "reply_deadline": self.date(year, 5, 7),
            "departure_group_a": self.date(year, *ARRIVAL),
            "departure_group_b": self.date(year, 7, 31),
        }


def demo_calendar(today: dt.date | None = None) -> DemoCalendar:
    """The calendar whose story day is `today` (Japan time by default).

    The programme year is the one whose arrival, and every earlier year's, still falls
    in its own calendar year once moved; one day's nudge settles the rare leap-year
    edge where no year fits exactly."""
    today = today or timezone.localdate(timezone=TOKYO)
    for nudge in (0, 1, -1):
        for year in (today.year, today.year + 1):
            shift = today - dt.date(year - 1, *STORY_DAY) + dt.timedelta(days=nudge)
            if all((dt.date(year - k, *ARRIVAL) + shift).year == year - k for k in range(6)):
                return DemoCalendar(today=today, year=year, shift=shift)
    raise AssertionError(f"no programme year fits {today}")  # pragma: no cover


def programme_year_ensure(year: int, cal: DemoCalendar, *, is_current: bool = False):
    """The programme year `year` with the calendar's dates, added when missing."""
    from apps.core.models import ProgrammeYear

    programme_year, _created = ProgrammeYear.objects.get_or_create(
        year=year, defaults={**cal.programme_year_dates(year), "is_current": is_current}
    )
    if is_current and not programme_year.is_current:
        ProgrammeYear.objects.filter(pk=programme_year.pk).update(is_current=True)
        programme_year.is_current = True
    return programme_year
