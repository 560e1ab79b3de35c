"""The to-do panel of a workspace: each kind of work that waits on this person, with its
count and a link to the page where it is done (templates/includes/_todo.html).

The counts come from each domain's selectors, through the access rule; which kinds a
workspace asks for is its actor app's `todo` module (core imports no domain app). A kind
with nothing waiting is left out, so an empty list reads "Nothing waits for you".
"""

from dataclasses import dataclass

from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import ngettext_lazy


@dataclass(frozen=True)
class Todo:
    """One kind of waiting work: `text` names it with its count (the link's text)."""

    key: str
    count: int
    text: str
    url: str


def item(key: str, count: int, text, url_name: str, *args, query=None, **params):
    """A kind of work, or None when nothing of it waits. `text` is an
    `ngettext_lazy(singular, plural, "count")` (so makemessages finds it), filled with
    the count and `params`; the link goes to `url_name` with `args` and the `query` that
    filters its list to this work."""
    if not count:
        return None
    url = reverse(url_name, args=args)
    if query:
        url = f"{url}?{urlencode(query)}"
    return Todo(key=key, count=count, text=text % {"count": count, **params}, url=url)


def todo_list(*items: Todo | None) -> list[Todo]:
    """The kinds that have something waiting, in the order given."""
    return [entry for entry in items if entry is not None]


NEED_HELP = ngettext_lazy(
    "%(count)s person needs help in the safety check “%(title)s”",
    "%(count)s people need help in the safety check “%(title)s”",
    "count",
)


def safety_items(checks) -> list[Todo]:
    """One line per open safety check where people the reader follows need help
    (`checks`: the safety domain's `checks_needing_help`), each to its board."""
    return todo_list(
        *(
            item(
                f"safety-{check.pk}",
                check.need_help,
                NEED_HELP,
                "safety:check-detail",
                check.pk,
                title=check.title,
            )
            for check in checks
        )
    )
