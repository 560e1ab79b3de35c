"""What waits on MIC (its workspace's to-do panel): position requests to review."""

from django.utils.translation import ngettext_lazy

from apps.core.todo import Todo, item, todo_list
from apps.placement import selectors as placement_selectors
from apps.placement.models import PositionRequest

POSITIONS = ngettext_lazy(
    "%(count)s position request to review",
    "%(count)s position requests to review",
    "count",
)


def mic_todo(*, user, programme_year) -> list[Todo]:
    positions = placement_selectors.positions_waiting_counts(
        user=user, programme_year=programme_year
    )
    return todo_list(
        item(
            "positions-review",
            positions["review"],
            POSITIONS,
            "mic:positions",
            query={"state": PositionRequest.State.REQUESTED},
        ),
    )
