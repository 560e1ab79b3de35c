"""Small cells: the one rule by which an answer meant to show no names (a count-only page,
chart, export or API answer: MIC's, MOFA headquarters', the programme statistics) keeps
a count from pointing at a person. DESIGN.md: such views never show a cell below 3.

The rule, for the counts of one answer and the sums among them that it shows:

1. A count of 1 or 2 is hidden and shown as "fewer than 3".
2. A zero is shown as 0: it names nobody. But in a sum that hides any of its counts,
   its zeros are hidden too, as "fewer than 3" (which they are), so a reader cannot
   tell a hidden 1 or 2 from a 0 beside it.
3. Totals stay exact, so they must not give a hidden count away. A reader knows each
   shown figure, that a "fewer than 3" is 0, 1 or 2 and a "withheld" (below) 3 or more,
   and that each sum the answer shows adds up: together, bounds on every hidden count.
   While those bounds pin a hidden 1 or 2 to its value (the total less the other counts
   of its sum, say), one more count of that sum is hidden: the smallest count of 3 or
   more, shown as "withheld" (the total itself only when no count of the sum is left).
4. A figure made from counts (a rate) is withheld when one of them is hidden.

Hiding depends only on the figures of the answer, so a page, its API answer and its
export, built from the same figures, hide the same cells. Each answer is protected on
its own: figures that two different answers both show are shown alike (the total
counts stay, and rules 1 and 2 depend only on the value), but a reader who puts two
answers side by side is not modelled.

The module is plain: it knows rows (dicts or objects) and field names, nothing of the
models. `Table` is the whole interface; `Hidden` is what takes a hidden count's place.
"""

import math
from collections import defaultdict
from collections.abc import Hashable, Iterable
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

import numpy as np
from django.utils.translation import gettext_lazy as _
from scipy.optimize import linprog

THRESHOLD = 3
FEWER_THAN_3 = "fewer_than_3"
WITHHELD = "withheld"
REASONS = {
    FEWER_THAN_3: _("fewer than 3"),
    WITHHELD: _("withheld"),
}
EXPLANATION = _(
    "“fewer than 3”: a count of 0, 1 or 2 not shown, so that nobody can be recognised; "
    "“withheld”: a larger count not shown, so that a small one cannot be worked out from "
    "the totals."
)

INFINITY = float("inf")
Key = tuple[int, str]


@dataclass(frozen=True)
class Hidden:
    """A count not shown. It prints as its reason (“fewer than 3”) in pages and exports;
    the API writes the reason's code ("fewer_than_3") in the number's place
    (`apps.core.disclosure_api`). Truthy, so a template's `{% if n %}` never mistakes it
    for a zero."""

    reason: str

    def __str__(self) -> str:
        return str(REASONS[self.reason])


def is_hidden(value: Any) -> bool:
    return isinstance(value, Hidden)


def shown(value: Any) -> int | float:
    """The value to draw (a bar's length): a hidden count draws nothing."""
    return 0 if value is None or isinstance(value, Hidden) else value


def _get(row: Any, field: str) -> Any:
    return row[field] if isinstance(row, dict) else getattr(row, field)


def _set(row: Any, field: str, value: Any) -> None:
    if isinstance(row, dict):
        row[field] = value
    else:
        setattr(row, field, value)


class Table:
    """The counts one answer shows, the sums among them, and the figures made from them.

    table = Table()
    total = table.count(totals, "cases")
    table.sum(total, [table.count(row, "cases") for row in rows])
    table.derived(totals, "rate", [table.count(totals, "continuing")])
    table.protect()  # the hidden counts and figures are now `Hidden` in their rows
    """

    def __init__(self) -> None:
        self._cells: dict[Key, tuple[Any, str, int]] = {}
        self._lines: list[tuple[Key, tuple[Key, ...]]] = []
        self._derived: list[tuple[Any, str, tuple[Key, ...]]] = []

    def count(self, row: Any, field: str) -> Key:
        """Register the count `row[field]` (an int); the same cell gives the same key."""
        key = (id(row), field)
        if key not in self._cells:
            self._cells[key] = (row, field, int(_get(row, field)))
        return key

    def counts(self, row: Any, fields: Iterable[str]) -> list[Key]:
        return [self.count(row, field) for field in fields]

    def sum(self, total: Key, parts: Iterable[Key]) -> None:
        """The answer shows `total` and, as adding up to it, `parts`."""
        self._lines.append((total, tuple(parts)))

    def derived(self, row: Any, field: str, sources: Iterable[Key]) -> None:
        """`row[field]` is made from these counts: withheld when one of them is hidden."""
        self._derived.append((row, field, tuple(sources)))

    def protect(self) -> dict[Key, str]:
        """Put `Hidden` in place of every count and figure the rule hides; returns the
        hidden counts' reasons by key."""
        values = {key: value for key, (_row, _field, value) in self._cells.items()}
        hidden = suppress(values, self._lines)
        for key, reason in hidden.items():
            row, field, _value = self._cells[key]
            _set(row, field, Hidden(reason))
        for row, field, sources in self._derived:
            if any(source in hidden for source in sources):
                _set(row, field, Hidden(WITHHELD))
        return hidden


def suppress(
    values: dict[Hashable, int], lines: list[tuple[Hashable, tuple[Hashable, ...]]]
) -> dict[Hashable, str]:
    """The cells to hide, with their reason: rules 1 to 3 of the module docstring over
    `values` and the sums `lines` ((total, parts) pairs of keys of `values`)."""
    # The answer depends on the figures and the shape of the sums only, and a table is
    # asked for again and again while its counts stay the same: the linear programs (a
    # few milliseconds each) run once per table per process. Keys become positions so
    # that the same table read by another request (other row objects) meets the cache.
    keys = list(values)
    position = {key: i for i, key in enumerate(keys)}
    hidden = _suppress_shape(
        tuple(values[key] for key in keys),
        tuple((position[total], tuple(position[p] for p in parts)) for total, parts in lines),
        THRESHOLD,  # part of the answer: a deployment (or a test) may set another
    )
    return {keys[i]: reason for i, reason in hidden}


@lru_cache(maxsize=2048)
def _suppress_shape(
    values: tuple[int, ...], lines: tuple[tuple[int, tuple[int, ...]], ...], threshold: int
) -> tuple[tuple[int, str], ...]:
    return tuple(_suppress(dict(enumerate(values)), list(lines)).items())


def _suppress(
    values: dict[Hashable, int], lines: list[tuple[Hashable, tuple[Hashable, ...]]]
) -> dict[Hashable, str]:
    hidden = {key: FEWER_THAN_3 for key, n in values.items() if 0 < n < THRESHOLD}
    lines_of: dict[Hashable, list[int]] = defaultdict(list)
    for index, (total, parts) in enumerate(lines):
        for key in (total, *parts):
            lines_of[key].append(index)
    # Counts a reader can pin that nothing more can protect (a group smaller than 3 shown
    # in parts, each part already "fewer than 3"): the rest are still looked after.
    unprotectable: set = set()
    while True:
        _hide_zeros_beside(hidden, values, lines)
        bounds = _bounds(hidden, values, lines)
        exposed = [
            key
            for key in hidden
            if 0 < values[key] < THRESHOLD and _pinned(bounds, key) and key not in unprotectable
        ]
        if not exposed:
            # Bounds narrowed one sum at a time miss what sums combined give away (a grand
            # total less the other margins); a linear program over all of them at once
            # does not, and is asked only once the cheap reading finds nothing.
            exposed = [
                key
                for key in _pinned_by_all_sums(hidden, values, lines)
                if key not in unprotectable
            ]
            if not exposed:
                return hidden
            for key in exposed:
                bounds[key] = (values[key], values[key])
        # Beside the count given away, or else beside the hidden cells the reader pinned
        # on the way to it (a chain through other sums).
        pinned = [key for key in hidden if _pinned(bounds, key)]
        # Failing both, beside any hidden cell: the reader may have combined sums far
        # from the count (a grand total against a withheld margin).
        cover = (
            _cover(exposed, hidden, values, lines, lines_of)
            or _cover(pinned, hidden, values, lines, lines_of)
            or _cover(list(hidden), hidden, values, lines, lines_of)
        )
        if cover is None:
            unprotectable.update(exposed)
            continue
        hidden[cover] = FEWER_THAN_3 if values[cover] < THRESHOLD else WITHHELD


def _hide_zeros_beside(hidden: dict, values: dict, lines: list) -> None:
    changed = True
    while changed:
        changed = False
        for total, parts in lines:
            if not any(key in hidden for key in (total, *parts)):
                continue
            for key in parts:
                if values[key] == 0 and key not in hidden:
                    hidden[key] = FEWER_THAN_3
                    changed = True


def _bounds(hidden: dict, values: dict, lines: list) -> dict:
    """What a reader can tell of each hidden cell from the shown figures and the sums:
    interval bounds, narrowed line by line until nothing changes."""
    bounds = {}
    for key, n in values.items():
        if key not in hidden:
            bounds[key] = (n, n)
        elif hidden[key] == FEWER_THAN_3:
            bounds[key] = (0, THRESHOLD - 1)
        else:
            bounds[key] = (THRESHOLD, INFINITY)
    for _round in range(100):
        changed = False
        for total, parts in lines:
            lo_sum = sum(bounds[p][0] for p in parts)
            hi_sum = sum(bounds[p][1] for p in parts)
            lo_t, hi_t = bounds[total]
            narrowed = {total: (max(lo_t, lo_sum), min(hi_t, hi_sum))}
            for p in parts:
                lo_p, hi_p = bounds[p]
                others_lo = lo_sum - lo_p
                others_hi = hi_sum - hi_p if hi_p != INFINITY else _sum_without(bounds, parts, p)
                narrowed[p] = (max(lo_p, lo_t - others_hi), min(hi_p, hi_t - others_lo))
            for key, (lo, hi) in narrowed.items():
                if key in hidden and (lo, hi) != bounds[key]:
                    bounds[key] = (lo, hi)
                    changed = True
        if not changed:
            break
    return bounds


def _pinned_by_all_sums(hidden: dict, values: dict, lines: list) -> list:
    """The hidden counts of 1 or 2 whose value every sum together pins to one whole
    number: the smallest and largest each can take, subject to all the sums at once and
    to what the labels say (0 to 2, or 3 or more)."""
    unknown = list(hidden)
    index = {key: i for i, key in enumerate(unknown)}
    rows, rhs = [], []
    for total, parts in lines:
        row = np.zeros(len(unknown))
        constant = 0
        for key, sign in ((total, 1), *((part, -1) for part in parts)):
            if key in index:
                row[index[key]] += sign
            else:
                constant -= sign * values[key]
        if row.any():
            rows.append(row)
            rhs.append(constant)
    if not rows:
        return []
    limits = [
        (0, THRESHOLD - 1) if hidden[k] == FEWER_THAN_3 else (THRESHOLD, None) for k in unknown
    ]
    pinned = []
    for key in unknown:
        if not 0 < values[key] < THRESHOLD:
            continue
        objective = np.zeros(len(unknown))
        objective[index[key]] = 1
        low = linprog(objective, A_eq=rows, b_eq=rhs, bounds=limits)
        high = linprog(-objective, A_eq=rows, b_eq=rhs, bounds=limits)
        if (
            low.success
            and high.success
            and math.floor(-high.fun + 1e-9) == math.ceil(low.fun - 1e-9)
        ):
            pinned.append(key)
    return pinned


def _sum_without(bounds: dict, parts: tuple, skip) -> float:
    return sum(bounds[p][1] for p in parts if p != skip)


def _pinned(bounds: dict, key) -> bool:
    return bounds[key][0] == bounds[key][1]


def _cover(keys: list, hidden: dict, values: dict, lines: list, lines_of: dict):
    """The count to hide beside `keys`: in one of their sums, the smallest shown part (3
    or more by now), else a shown total; None when every cell of those sums is hidden."""
    best = None
    for index in {index for key in keys for index in lines_of[key]}:
        total, parts = lines[index]
        for rank, candidates in ((0, parts), (1, (total,))):
            for candidate in candidates:
                if candidate in hidden:
                    continue
                choice = (rank, values[candidate], index)
                if best is None or choice < best[0]:
                    best = (choice, candidate)
    return best[1] if best else None
