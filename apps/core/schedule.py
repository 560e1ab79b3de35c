"""What else belongs on a person's schedule, from domain apps that may not import each other.

"My schedule" and the calendar feed live in apps.events, but an interview booked in
apps.recruitment belongs there too, and recruitment may not import events (nor events
recruitment). So a domain app registers a provider here, in its AppConfig.ready(), and
the schedule asks every provider: each returns the person's entries, already restricted
by its own selectors, as plain `ScheduleItem`s.
"""

import datetime
from collections.abc import Callable
from dataclasses import dataclass

from apps.core.models import User


@dataclass(frozen=True)
class ScheduleItem:
    """One entry on a person's schedule that is not an event registration."""

    uid: str  # stable across edits, for calendar apps
    starts_at: datetime.datetime
    ends_at: datetime.datetime
    title: str  # in the active language
    stamp: datetime.datetime  # when it last changed
    location: str = ""
    online_url: str = ""
    description: str = ""
    path: str = ""  # the page it is about on this site
    sequence: int = 0


Provider = Callable[..., list[ScheduleItem]]
_PROVIDERS: dict[str, Provider] = {}
_AUDIENCES: dict[str, Callable[[User], bool]] = {}


def schedule_provider_register(
    name: str, provider: Provider, *, audience: Callable[[User], bool] | None = None
) -> None:
    """`provider(*, user, include_past)` returns the person's items; one per name.
    `audience(user)` says who has a schedule because of this provider alone (the
    mission's staff for their interview panels), beyond those who register for events."""
    _PROVIDERS[name] = provider
    if audience is not None:
        _AUDIENCES[name] = audience


def schedule_audience(user: User) -> bool:
    """Whether a provider gives `user` a schedule of their own."""
    return any(audience(user) for audience in _AUDIENCES.values())


def schedule_items(*, user: User, include_past: bool = False) -> list[ScheduleItem]:
    """Every provider's items for `user`, soonest first."""
    items = [
        item
        for provider in _PROVIDERS.values()
        for item in provider(user=user, include_past=include_past)
    ]
    return sorted(items, key=lambda item: (item.starts_at, item.uid))
