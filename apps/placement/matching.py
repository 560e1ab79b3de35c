"""The placement matching engine: CLAIR's "Suggest placements", as plain Python.

No Django import: dataclasses in (`Candidate`, `Position`), dataclasses out (`Result`,
`Suggestion`, `Unplaced`, `Change`). The service turns rows into these and stores what
comes back; every explanation is a `Note` (a stable code and its parameters) that the UI
translates. The engine is decision support (engineering notes, "Placement engine"):
staff review, override and approve what it proposes.

What it optimises, in this order (lexicographic, not a weighted compromise):
1. Place as many candidates as possible. A hard requirement is never broken: position
   type, driving licence (MANUAL needs a manual licence, AUTOMATIC accepts either),
   minimum Japanese level, and the working country/language a position asks for.
2. Keep partners who asked for it in one prefecture.
3. Honour the ranked preferences (1st > 2nd > 3rd > none) and then the urban/rural wish,
   summed over candidates with the costs in `Weights` (a preference step outweighs any
   location mismatch of one candidate).
4. Ties: when who is placed is a tie, lower candidate ids are placed; interchangeable
   positions go to candidates in id order, lowest position id first. Between different
   places of equal cost the solver decides, deterministically: the input is sorted by
   id before the network is built, so the same input in any order gives the same output.

History from earlier runs (issue 19), given by the caller: a (candidate, position) pair
whose organisation declined the candidate is refused like a broken hard requirement, in
every run, and said on the candidate's line (`DECLINED`); a change by hand made on the
previous run is kept as it is (`FIXED_BY_HAND`) while it still holds (both still in the
run, requirements met, not declined) and the rest is optimised around it.

Approach, and why:
- Without couples this is an assignment problem; it is solved exactly as a min-cost
  maximum flow (OR-Tools `SimpleMinCostFlow.solve_max_flow_with_min_cost`, which finds the
  largest flow first and the cheapest among those: cardinality first, exactly). The
  engineering notes measured it at 0.07 s for 5,000 x 5,000 where scipy's dense
  assignment takes 2.4 s; deferred acceptance is faster but optimises stability, not the
  total honoured preference.
- The graph is kept small without losing exactness: interchangeable positions (same type,
  place, location category and requirements) form one class node with a capacity, and
  candidates with the same hard-requirement profile and location wish share "place" nodes
  (profile x preference place, and profile x anywhere). A candidate reaches a class
  through the arc of its best-ranked matching place, so path costs equal the pair costs
  and the flow optimum is the assignment optimum. At national scale (bench/matching.py)
  this is 54 k arcs instead of 29 M acceptable pairs; about 0.6 s in all.
- Couples make the problem NP-hard (residents-with-couples), so they are handled by a
  stated heuristic around the exact flow: each couple is given a target prefecture (where
  the partner-free optimum already put both; else the prefecture where the pair is
  cheapest, counting seats already taken there), and each partner placed there earns a
  bonus larger than all preference costs together (a negative cost on its source arc,
  taken back on every arc that leaves the prefecture). So among the maximum placements
  the flow first places as many partners as it can in their couple's prefecture, then
  honours preferences. Couples still apart after a solve try their next prefecture (a
  few rounds; the best round is kept). Cardinality never suffers for a couple: a
  partner may still be placed elsewhere, and the suggestion then says so
  ("partner_apart" with the reason). The partner-free optimum is solved too, so
  `Result.partner_cost` states what keeping couples together cost in preference terms.
  Measured: against brute force on ~1,000 random instances of up to 7 candidates with
  couples, 3 kept one couple fewer together than possible (couples competing for the
  same few seats) and 7 paid more preference cost; on the bench every couple is kept
  together at about 1.4 % over the partner-free optimum.
"""

from __future__ import annotations

import time
from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, replace

import numpy as np
from ortools.graph.python import min_cost_flow

POSITION_TYPES = ("ALT", "CIR", "SEA")
JAPANESE_LEVELS = ("NONE", "N5", "N4", "N3", "N2", "N1")  # ascending ability
LICENCES = ("NONE", "AUTOMATIC", "MANUAL")  # a MANUAL licence also drives automatics
LOCATIONS = ("URBAN", "SEMI_URBAN", "RURAL")  # a position's category, in order
LOCATION_WISHES = (*LOCATIONS, "NONE")

# Note codes. Hard requirement failures (also the keys of "no_acceptable_position"):
POSITION_TYPE = "position_type"
DRIVING_LICENCE = "driving_licence"
JAPANESE_LEVEL = "japanese_level"
COUNTRY = "country"
# What a suggestion meets or misses:
PREFERENCE_MET = "preference_met"  # rank, place
NO_PREFERENCE_MET = "no_preference_met"  # preferences
NO_PREFERENCES_GIVEN = "no_preferences_given"
LOCATION_MET = "location_met"  # wish
LOCATION_UNMET = "location_unmet"  # wish, category, distance (1 or 2)
# Partners:
PARTNER_TOGETHER = "partner_together"  # partner, prefecture
PARTNER_APART = "partner_apart"  # partner, prefecture, partner_prefecture, reason, tried
PARTNER_UNPLACED = "partner_unplaced"  # partner (placed one's note: the partner is not)
PARTNER_PLACED = "partner_placed"  # partner, prefecture (unplaced one's note)
PARTNER_NOT_IN_RUN = "partner_not_in_run"  # partner
PARTNER_CONFLICT = "partner_conflict"  # partner, partner_partner
# History the caller passes in (`suggest(declined=..., fixed=...)`):
DECLINED = "declined"  # position: its organisation declined this candidate; never proposed
FIXED_BY_HAND = "fixed_by_hand"  # a change by hand of an earlier run, kept as it was
# Reasons for partner_apart:
NO_PREFECTURE_FOR_BOTH = "no_prefecture_for_both"  # no prefecture has a seat for each
NO_SEATS_FOR_BOTH = "no_seats_for_both"  # seats exist, but not without unplacing others
# Why a candidate is unplaced:
NO_ACCEPTABLE_POSITION = "no_acceptable_position"  # open_of_type, failing{requirement: n}
ACCEPTABLE_POSITIONS_TAKEN = "acceptable_positions_taken"  # acceptable
# Why a placement changed between two runs (compare):
CANDIDATE_NEW = "candidate_new"
CANDIDATE_GONE = "candidate_gone"
POSITION_CLOSED = "position_closed"  # position
POSITION_TAKEN = "position_taken"  # position, by
POSITION_FREED = "position_freed"  # position, previous_holder
PREFERENCE_BETTER = "preference_better"  # previous_rank, current_rank
PREFERENCE_WORSE = "preference_worse"
PREFERENCE_SAME = "preference_same"
PARTNER_CHANGED = "partner_changed"  # previous, current (note codes)
NOW_UNPLACED = "now_unplaced"  # reason
PREVIOUS_DECLINED = "previous_declined"  # position: its organisation declined the candidate
KEPT_BY_HAND = "kept_by_hand"  # a change by hand carried from the previous run
REOPTIMISED = "reoptimised"  # nothing above explains it: the optimum moved as a whole

_LEVEL = {level: i for i, level in enumerate(JAPANESE_LEVELS)}
_LICENCE = {licence: i for i, licence in enumerate(LICENCES)}
_LOCATION = {location: i for i, location in enumerate(LOCATIONS)}


@dataclass(frozen=True)
class Candidate:
    id: int
    position: str  # ALT, CIR or SEA
    preferences: tuple[str, ...] = ()  # ranked places: "28" (prefecture), "28-Kobe" (city)
    location_wish: str = "NONE"  # URBAN, SEMI_URBAN, RURAL, NONE
    japanese_level: str = "NONE"  # NONE, N5 .. N1
    driving_licence: str = "NONE"  # NONE, AUTOMATIC, MANUAL
    country: str = ""  # ISO code of citizenship (matched against a CIR post's country)
    partner: int | None = None  # the partner candidate's id, when placement together asked


@dataclass(frozen=True)
class Position:
    id: int
    type: str  # ALT, CIR or SEA
    prefecture: str  # JIS code, "28"
    city: str = ""  # designated city ("Kobe" or "28-Kobe"), "" elsewhere
    location: str = "RURAL"  # URBAN, SEMI_URBAN, RURAL
    driving_licence: str | None = None  # None, "AUTOMATIC" or "MANUAL"
    min_japanese_level: str | None = None  # None or N5 .. N1
    country: str = ""  # the working language's country sought (CIR), "" for any


@dataclass(frozen=True)
class Weights:
    """Costs of one placement: preference rank plus distance from the urban/rural wish."""

    preference: tuple[int, int, int] = (0, 10, 20)  # met at 1st, 2nd, 3rd
    no_preference: int = 40  # none of the preferences met
    location_step: int = 2  # per step URBAN - SEMI_URBAN - RURAL away from the wish
    # Couples only: the estimated cost of taking a seat that the partner-free optimum gives
    # someone else, when choosing the couple's prefecture (that person has to move, likely
    # to a place they did not ask for). Measured on the bench: 10 -> 20 -> 40 lowers the
    # partner cost (1,328 -> 1,214 -> 1,076 at national scale); more changes nothing.
    displacement: int = 40

    def __post_init__(self):
        ranks = (*self.preference, self.no_preference)
        if len(self.preference) != 3 or min(ranks) < 0 or self.location_step < 0:
            raise ValueError("weights must be three preference costs and non-negative")
        if list(ranks) != sorted(ranks):
            raise ValueError("a better preference must not cost more than a worse one")

    @property
    def max_cost(self) -> int:
        return self.no_preference + 2 * self.location_step


@dataclass(frozen=True)
class Note:
    code: str
    params: Mapping[str, object] = field(default_factory=dict)


@dataclass(frozen=True)
class Fit:
    """What a (candidate, position) pair meets: for the board and for placing by hand."""

    failures: tuple[Note, ...]  # hard requirements broken; empty = acceptable
    preference_rank: int | None  # 1, 2, 3 or None
    cost: int
    notes: tuple[Note, ...]  # soft: preference and location

    @property
    def acceptable(self) -> bool:
        return not self.failures


@dataclass(frozen=True)
class Suggestion:
    candidate_id: int
    position_id: int
    preference_rank: int | None
    cost: int
    notes: tuple[Note, ...]


@dataclass(frozen=True)
class Unplaced:
    candidate_id: int
    reason: Note
    notes: tuple[Note, ...] = ()


@dataclass(frozen=True)
class Result:
    suggestions: tuple[Suggestion, ...]  # by candidate id
    unplaced: tuple[Unplaced, ...]  # by candidate id
    candidate_ids: frozenset[int]
    position_ids: frozenset[int]
    objective: int  # sum of the suggestions' costs
    unconstrained_objective: int  # the optimum with no partner constraint
    couples: int
    couples_together: int
    seconds: float

    @property
    def partner_cost(self) -> int:
        """Preference cost of keeping couples together (the same number are placed)."""
        return self.objective - self.unconstrained_objective

    def placements(self) -> dict[int, int]:
        return {s.candidate_id: s.position_id for s in self.suggestions}

    def by_rank(self) -> dict[int | None, int]:
        counts: dict[int | None, int] = {1: 0, 2: 0, 3: 0, None: 0}
        for s in self.suggestions:
            counts[s.preference_rank] += 1
        return counts

    def as_dict(self) -> dict:
        """JSON-ready (for the Celery job's stored result)."""

        def note(n: Note) -> dict:
            return {"code": n.code, "params": dict(n.params)}

        return {
            "suggestions": [
                {
                    "candidate_id": s.candidate_id,
                    "position_id": s.position_id,
                    "preference_rank": s.preference_rank,
                    "cost": s.cost,
                    "notes": [note(n) for n in s.notes],
                }
                for s in self.suggestions
            ],
            "unplaced": [
                {
                    "candidate_id": u.candidate_id,
                    "reason": note(u.reason),
                    "notes": [note(n) for n in u.notes],
                }
                for u in self.unplaced
            ],
            "candidate_ids": sorted(self.candidate_ids),
            "position_ids": sorted(self.position_ids),
            "objective": self.objective,
            "unconstrained_objective": self.unconstrained_objective,
            "couples": self.couples,
            "couples_together": self.couples_together,
            "seconds": self.seconds,
        }


@dataclass(frozen=True)
class Change:
    """One candidate whose suggestion differs between two runs, and why."""

    candidate_id: int
    kind: str  # "placed", "unplaced" or "moved"
    previous_position: int | None
    current_position: int | None
    previous_rank: int | None
    current_rank: int | None
    reasons: tuple[Note, ...]


# --- normalising input -------------------------------------------------------------------


def _choice(value, allowed: tuple[str, ...], default: str, what: str) -> str:
    if value in allowed:
        return value
    value = (value or default).strip().upper()
    if value not in allowed:
        raise ValueError(f"unknown {what}: {value!r}")
    return value


def _place(code: str) -> tuple[str, str]:
    """ "28" -> ("28", ""); "28-Kobe" -> ("28", "kobe")."""
    prefecture, _, city = code.strip().partition("-")
    return prefecture.strip().zfill(2), city.strip().casefold()


def _position_place(p: Position) -> tuple[str, str]:
    city = p.city.strip()
    if "-" in city:
        city = city.partition("-")[2]
    return str(p.prefecture).strip().zfill(2), city.strip().casefold()


@dataclass(frozen=True)
class _C:  # a normalised candidate
    id: int
    type: str
    places: tuple[tuple[str, str], ...]
    raw_places: tuple[str, ...]
    wish: str
    level: int
    licence: int
    country: str
    partner: int | None


@dataclass(frozen=True)
class _P:  # a normalised position
    id: int
    type: str
    prefecture: str
    city: str
    location: int
    licence: int
    level: int
    country: str


def _candidate(c: Candidate) -> _C:
    raw = tuple(p for p in c.preferences if p and p.strip())
    if len(raw) > 3:
        raise ValueError(f"candidate {c.id}: at most three preferences")
    return _C(
        id=c.id,
        type=_choice(c.position, POSITION_TYPES, "", "position type"),
        places=tuple(_place(p) for p in raw),
        raw_places=tuple(p.strip() for p in raw),
        wish=_choice(c.location_wish, LOCATION_WISHES, "NONE", "location wish"),
        level=_LEVEL[_choice(c.japanese_level, JAPANESE_LEVELS, "NONE", "Japanese level")],
        licence=_LICENCE[_choice(c.driving_licence, LICENCES, "NONE", "driving licence")],
        country=(c.country or "").strip().upper(),
        partner=c.partner,
    )


def _position(p: Position) -> _P:
    prefecture, city = _position_place(p)
    return _P(
        id=p.id,
        type=_choice(p.type, POSITION_TYPES, "", "position type"),
        prefecture=prefecture,
        city=city,
        location=_LOCATION[_choice(p.location, LOCATIONS, "", "location category")],
        licence=_LICENCE[_choice(p.driving_licence, LICENCES, "NONE", "driving licence")],
        level=_LEVEL[_choice(p.min_japanese_level, JAPANESE_LEVELS, "NONE", "Japanese level")],
        country=(p.country or "").strip().upper(),
    )


# --- one pair ----------------------------------------------------------------------------


def _failures(c: _C, p: _P) -> list[Note]:
    failures = []
    if c.type != p.type:
        failures.append(Note(POSITION_TYPE, {"required": p.type, "candidate": c.type}))
    if c.licence < p.licence:
        failures.append(
            Note(
                DRIVING_LICENCE,
                {"required": LICENCES[p.licence], "candidate": LICENCES[c.licence]},
            )
        )
    if c.level < p.level:
        failures.append(
            Note(
                JAPANESE_LEVEL,
                {"required": JAPANESE_LEVELS[p.level], "candidate": JAPANESE_LEVELS[c.level]},
            )
        )
    if p.country and c.country != p.country:
        failures.append(Note(COUNTRY, {"required": p.country, "candidate": c.country}))
    return failures


def _rank(c: _C, prefecture: str, city: str) -> int | None:
    for i, (pref, pcity) in enumerate(c.places):
        if pref == prefecture and (not pcity or pcity == city):
            return i + 1
    return None


def _location_distance(c: _C, location: int) -> int:
    return 0 if c.wish == "NONE" else abs(_LOCATION[c.wish] - location)


def _cost(c: _C, p: _P, w: Weights) -> tuple[int, int | None]:
    rank = _rank(c, p.prefecture, p.city)
    base = w.no_preference if rank is None else w.preference[rank - 1]
    return base + w.location_step * _location_distance(c, p.location), rank


def _soft_notes(c: _C, p: _P, rank: int | None) -> list[Note]:
    notes = []
    if rank is not None:
        notes.append(Note(PREFERENCE_MET, {"rank": rank, "place": c.raw_places[rank - 1]}))
    elif c.places:
        notes.append(Note(NO_PREFERENCE_MET, {"preferences": list(c.raw_places)}))
    else:
        notes.append(Note(NO_PREFERENCES_GIVEN))
    if c.wish != "NONE":
        distance = _location_distance(c, p.location)
        if distance:
            notes.append(
                Note(
                    LOCATION_UNMET,
                    {"wish": c.wish, "category": LOCATIONS[p.location], "distance": distance},
                )
            )
        else:
            notes.append(Note(LOCATION_MET, {"wish": c.wish}))
    return notes


def fit(candidate: Candidate, position: Position, weights: Weights | None = None) -> Fit:
    """The fit of one candidate to one position: failed hard requirements and soft notes."""
    w = weights or Weights()
    c, p = _candidate(candidate), _position(position)
    cost, rank = _cost(c, p, w)
    return Fit(tuple(_failures(c, p)), rank, cost, tuple(_soft_notes(c, p, rank)))


# --- the instance as a flow network ------------------------------------------------------

_SOURCE, _SINK = 0, 1


class _Network:
    """Candidates, position classes and shared place nodes, with the arcs that never change.

    Nodes: 0 source, 1 sink, 2.. candidates (by id), then classes, then place nodes.
    """

    def __init__(
        self,
        cands: list[_C],
        poss: list[_P],
        w: Weights,
        declined: frozenset[tuple[int, int]] = frozenset(),
    ):
        self.cands, self.poss, self.w = cands, poss, w
        n = len(cands)
        # A declined pair is refused like a failed requirement, for that candidate alone:
        # its position is a class (and a signature) of its own, and the candidate a
        # profile of its own whose mask leaves that class out. Declines are few, so the
        # network grows by a handful of nodes.
        declined_positions = {pid for _, pid in declined}
        # Classes of interchangeable positions.
        index: dict[tuple, int] = {}
        self.class_positions: list[list[int]] = []
        keys: list[tuple] = []
        for j, p in enumerate(poss):
            own = p.id if p.id in declined_positions else 0
            key = (p.type, p.prefecture, p.city, p.location, p.licence, p.level, p.country, own)
            k = index.setdefault(key, len(keys))
            if k == len(keys):
                keys.append(key)
                self.class_positions.append([])
            self.class_positions[k].append(j)
        n_classes = len(keys)
        self.cap = np.array([len(js) for js in self.class_positions], dtype=np.int64)
        ctype = np.array([k[0] for k in keys] or [""], dtype=object)[:n_classes]
        cpref = np.array([k[1] for k in keys] or [""], dtype=object)[:n_classes]
        ccity = np.array([k[2] for k in keys] or [""], dtype=object)[:n_classes]
        self.cloc = np.array([k[3] for k in keys], dtype=np.int64)
        clic = np.array([k[4] for k in keys], dtype=np.int64)
        clevel = np.array([k[5] for k in keys], dtype=np.int64)
        ccountry = np.array([k[6] for k in keys] or [""], dtype=object)[:n_classes]
        self.class_of = np.empty(len(poss), dtype=np.int64)
        for k, js in enumerate(self.class_positions):
            self.class_of[js] = k
        self.prefectures = sorted(set(cpref.tolist()))
        code = {prefecture: g for g, prefecture in enumerate(self.prefectures)}
        self.cpref_code = np.array([code[x] for x in cpref.tolist()], dtype=np.int64)
        countries_matter = {k[0] for k in keys if k[6]}
        signatures: dict[tuple, int] = {}
        self.class_signature = np.array(
            [signatures.setdefault((k[0], *k[3:]), len(signatures)) for k in keys],  # own too
            dtype=np.int64,
        )
        self.signature_first = np.zeros(len(signatures), dtype=np.int64)
        for k in range(n_classes - 1, -1, -1):
            self.signature_first[self.class_signature[k]] = k
        self.signature_node: dict[int, int] = {}
        self.failing_by_profile: dict[int, tuple[int, dict[str, int]]] = {}

        self.class_node0 = 2 + n
        self.n_nodes = 2 + n + n_classes
        # Profiles: what decides acceptability and location cost.
        self.profile_of: list[int] = []
        profiles: dict[tuple, int] = {}
        self.profile_mask: list[np.ndarray] = []
        self.profile_loc: list[np.ndarray] = []
        position_index = {p.id: j for j, p in enumerate(poss)}
        refused: dict[int, list[int]] = defaultdict(list)  # candidate id -> classes
        for cid, pid in declined:
            if pid in position_index:
                refused[cid].append(int(self.class_of[position_index[pid]]))
        for c in cands:
            country = c.country if c.type in countries_matter else ""
            key = (c.type, c.licence, c.level, country, c.wish, c.id if refused[c.id] else 0)
            pi = profiles.get(key)
            if pi is None:
                pi = profiles[key] = len(self.profile_mask)
                mask = (ctype == c.type) & (clic <= c.licence) & (clevel <= c.level)
                if c.type in countries_matter:
                    mask &= (ccountry == "") | (ccountry == c.country)
                mask[refused[c.id]] = False
                self.profile_mask.append(mask)
                if c.wish == "NONE":
                    self.profile_loc.append(np.zeros(n_classes, dtype=np.int64))
                else:
                    self.profile_loc.append(w.location_step * np.abs(self.cloc - _LOCATION[c.wish]))
            self.profile_of.append(pi)
        self.place_classes: dict[tuple[str, str], np.ndarray] = {}
        self._cpref, self._ccity = cpref, ccity
        self.place_node: dict[tuple[int, tuple[str, str] | None], int | None] = {}
        # Arcs that never change: source->candidate, place->class, class->sink.
        self.arcs: list[tuple[np.ndarray, ...]] = []
        self.tiebreak_scale = n * n // 4 + 1  # > any difference of id tie-breaks
        self.penalty = w.max_cost * max(n, 1) + 1  # > all preference costs together
        idx = np.arange(n, dtype=np.int64)
        self._add(np.zeros(n, dtype=np.int64), 2 + idx, np.ones(n, dtype=np.int64), idx)
        self._add(
            self.class_node0 + np.arange(n_classes, dtype=np.int64),
            np.full(n_classes, _SINK, dtype=np.int64),
            self.cap,
            np.zeros(n_classes, dtype=np.int64),
        )
        # Candidate -> place arcs: fixed for everyone without a target prefecture.
        tails, heads, costs = [], [], []
        for i in range(n):
            for node, cost in self.candidate_arcs(i):
                tails.append(2 + i)
                heads.append(node)
                costs.append(cost)
        self.cand_tails = np.array(tails, dtype=np.int64)
        self.cand_heads = np.array(heads, dtype=np.int64)
        self.cand_costs = np.array(costs, dtype=np.int64)

    def _add(self, tails, heads, caps, costs) -> None:
        self.arcs.append((tails, heads, caps, costs))

    def classes_in(self, place: tuple[str, str]) -> np.ndarray:
        found = self.place_classes.get(place)
        if found is None:
            prefecture, city = place
            sel = self._cpref == prefecture
            if city:
                sel &= self._ccity == city
            found = self.place_classes[place] = sel
        return found

    def node(self, profile: int, place: tuple[str, str] | None) -> int | None:
        """The place node of a profile (None place: anywhere); None when it reaches nothing.

        A place node reaches the acceptable classes of its place directly. The anywhere
        node reaches them through one shared node per requirement signature and location
        category (profiles accept or refuse a signature as a whole), which keeps the
        network at a few arcs per profile instead of one per acceptable class.
        """
        key = (profile, place)
        if key in self.place_node:
            return self.place_node[key]
        mask = self.profile_mask[profile]
        if place is not None:
            mask = mask & self.classes_in(place)
        classes = np.flatnonzero(mask)
        if not len(classes):
            self.place_node[key] = None
            return None
        node = self.place_node[key] = self._new_node()
        loc = self.profile_loc[profile]
        if place is not None:
            heads, costs = self.class_node0 + classes, loc[classes]
        else:
            signatures = np.unique(self.class_signature[classes])
            heads = np.array([self._signature_node(g) for g in signatures.tolist()])
            costs = loc[self.signature_first[signatures]]
        k = len(heads)
        self._add(np.full(k, node), heads, np.full(k, 1 << 30), costs * self.tiebreak_scale)
        return node

    def _new_node(self) -> int:
        self.n_nodes += 1
        return self.n_nodes - 1

    def _signature_node(self, g: int) -> int:
        node = self.signature_node.get(g)
        if node is None:
            node = self.signature_node[g] = self._new_node()
            classes = np.flatnonzero(self.class_signature == g)
            k = len(classes)
            self._add(
                np.full(k, node),
                self.class_node0 + classes,
                np.full(k, 1 << 30),
                np.zeros(k, dtype=np.int64),
            )
        return node

    def candidate_arcs(
        self, i: int, target: str | None = None
    ) -> list[tuple[int, int]]:  # (place node, cost)
        """A candidate's arcs to place nodes; with a target prefecture, leaving it is penalised."""
        c, profile, w = self.cands[i], self.profile_of[i], self.w
        arcs = []
        for rank, place in enumerate(c.places):
            node = self.node(profile, place)
            if node is not None:
                cost = w.preference[rank]
                if target is not None and place[0] != target:
                    cost += self.penalty
                arcs.append((node, cost))
        anywhere = self.node(profile, None)
        if anywhere is not None:
            arcs.append((anywhere, w.no_preference + (self.penalty if target else 0)))
            if target is not None:
                node = self.node(profile, (target, ""))
                if node is not None:
                    arcs.append((node, w.no_preference))
        return arcs

    def solve(self, targets: Mapping[int, str]) -> list[int]:
        """Optimal assignment (candidate index -> position index, -1 unplaced)."""
        n = len(self.cands)
        keep = ~np.isin(self.cand_tails, [2 + i for i in targets])
        cand_tails = [self.cand_tails[keep]]
        cand_heads = [self.cand_heads[keep]]
        cand_costs = [self.cand_costs[keep]]
        for i, target in sorted(targets.items()):
            arcs = self.candidate_arcs(i, target)
            cand_tails.append(np.full(len(arcs), 2 + i, dtype=np.int64))
            cand_heads.append(np.array([node for node, _ in arcs], dtype=np.int64))
            cand_costs.append(np.array([cost for _, cost in arcs], dtype=np.int64))
        cand_tails = np.concatenate(cand_tails)
        tails = np.concatenate([a[0] for a in self.arcs] + [cand_tails])
        heads = np.concatenate([a[1] for a in self.arcs] + cand_heads)
        caps = np.concatenate([a[2] for a in self.arcs] + [np.ones(len(cand_tails), np.int64)])
        costs = np.concatenate(
            [a[3] for a in self.arcs] + [np.concatenate(cand_costs) * self.tiebreak_scale]
        )
        # Source arcs come first, in candidate order: placing a partner earns the bonus
        # that leaving the target prefecture takes back, so a partner placed in the
        # couple's prefecture beats a partner placed elsewhere or a single placed instead.
        targeted = np.array(sorted(targets), dtype=np.int64)
        costs[targeted] -= self.penalty * self.tiebreak_scale
        flow = min_cost_flow.SimpleMinCostFlow()
        flow.add_arcs_with_capacity_and_unit_cost(
            tails.astype(np.int32), heads.astype(np.int32), caps, costs
        )
        supplies = np.zeros(self.n_nodes, dtype=np.int64)
        supplies[_SOURCE], supplies[_SINK] = n, -n
        flow.set_nodes_supplies(np.arange(self.n_nodes, dtype=np.int64), supplies)
        status = flow.solve_max_flow_with_min_cost()
        if status != flow.OPTIMAL:  # pragma: no cover - only on a broken network
            raise RuntimeError(f"min-cost flow failed: {status}")
        flows = flow.flows(np.arange(len(tails), dtype=np.int64))
        return self._decompose(tails, heads, flows)

    def _decompose(self, tails, heads, flows) -> list[int]:
        """Candidate -> position from the flow: units pass each shared node in id order.

        Every unit entering a shared node pays the same from there on, so any pairing of
        incoming candidates with outgoing units keeps the optimum; pairing in id order
        makes it deterministic.
        """
        used = flows > 0
        c0, first_shared = self.class_node0, self.class_node0 + len(self.cap)
        tokens: dict[int, list[int]] = defaultdict(list)  # shared node -> candidates
        out: dict[int, list[tuple[int, int]]] = defaultdict(list)  # shared node -> (head, n)
        for tail, head, units in zip(
            tails[used].tolist(), heads[used].tolist(), flows[used].tolist(), strict=True
        ):
            if 2 <= tail < c0:
                tokens[head].append(tail - 2)
            elif tail >= first_shared:
                out[tail].append((head, units))
        per_class: dict[int, list[int]] = defaultdict(list)
        signature_nodes = set(self.signature_node.values())
        order = sorted(set(tokens) - signature_nodes) + sorted(signature_nodes)
        for node in order:
            units = [head for head, count in sorted(out[node]) for _ in range(count)]
            for i, head in zip(sorted(tokens.pop(node, [])), units, strict=True):
                if head < first_shared:
                    per_class[head - c0].append(i)
                else:
                    tokens[head].append(i)
        assignment = [-1] * len(self.cands)
        for k, members in per_class.items():
            for i, j in zip(sorted(members), self.class_positions[k], strict=False):
                assignment[i] = j
        return assignment


# --- couples -----------------------------------------------------------------------------


def _couples(cands: list[_C]) -> tuple[list[tuple[int, int]], dict[int, Note]]:
    """Pairs of candidate indices, mutual requests first; notes for requests not honoured."""
    where = {c.id: i for i, c in enumerate(cands)}
    notes: dict[int, Note] = {}
    pairs: list[tuple[int, int]] = []
    taken: set[int] = set()
    for mutual in (True, False):
        for i, c in enumerate(cands):
            if c.partner is None or i in taken or c.partner == c.id:
                continue
            j = where.get(c.partner)
            if j is None:
                notes[i] = Note(PARTNER_NOT_IN_RUN, {"partner": c.partner})
                continue
            other = cands[j]
            if (other.partner == c.id) != mutual or (not mutual and other.partner is not None):
                continue
            if j in taken:
                continue
            pairs.append((min(i, j), max(i, j)))
            taken.update((i, j))
    for i, c in enumerate(cands):
        if c.partner is not None and i not in taken and i not in notes and c.partner != c.id:
            other = cands[where[c.partner]]
            notes[i] = Note(
                PARTNER_CONFLICT, {"partner": c.partner, "partner_partner": other.partner}
            )
    return sorted(pairs), notes


def _prefecture_options(
    net: _Network, pair: tuple[int, int], assignment: list[int], taken: np.ndarray
) -> list[str]:
    """The prefectures to try for a couple, best first.

    Where the partner-free optimum already keeps them together, only that one. Otherwise
    every prefecture with a seat for each, by the pair's cost there; a seat that the
    optimum gives someone else counts `Weights.displacement` more (that person moves).
    Ties: a prefecture where one of them already is, then the code.
    """
    w = net.w
    now = [net.poss[assignment[i]].prefecture for i in pair if assignment[i] >= 0]
    if len(now) == 2 and now[0] == now[1]:
        return [now[0]]
    taken = taken.copy()
    for i in pair:
        if assignment[i] >= 0:
            taken[net.class_of[assignment[i]]] -= 1
    crowded = np.where(net.cap - taken <= 0, w.displacement, 0)
    best: list[dict[int, tuple[int, int, int, int]]] = []  # prefecture -> c1, k1, c2, k2
    for i in pair:
        mask = net.profile_mask[net.profile_of[i]]
        base = np.full(len(net.cap), w.no_preference, dtype=np.int64)
        for rank, place in enumerate(net.cands[i].places):
            inside = net.classes_in(place)
            base[inside] = np.minimum(base[inside], w.preference[rank])
        cost = base + net.profile_loc[net.profile_of[i]] + crowded
        classes = np.flatnonzero(mask)
        order = classes[np.lexsort((cost[classes], net.cpref_code[classes]))]
        groups = net.cpref_code[order]
        per: dict[int, tuple[int, int, int, int]] = {}
        for k, g in zip(order.tolist(), groups.tolist(), strict=True):
            if g not in per:
                per[g] = (int(cost[k]), k, 1 << 40, -1)
            elif per[g][3] < 0:
                per[g] = (*per[g][:2], int(cost[k]), k)
        best.append(per)
    scored = []
    for g in best[0].keys() & best[1].keys():
        a1, ka, a2, _ = best[0][g]
        b1, kb, b2, _ = best[1][g]
        # The same class twice needs two seats in it; else one of them takes its second.
        same_seat = ka == kb and net.cap[ka] < 2
        pair_cost = min(a1 + b2, a2 + b1) if same_seat else a1 + b1
        if pair_cost < 1 << 40:
            prefecture = net.prefectures[g]
            scored.append((pair_cost, prefecture not in now, prefecture))
    return [prefecture for *_, prefecture in sorted(scored)]


# --- the engine --------------------------------------------------------------------------


def suggest(
    candidates: Iterable[Candidate],
    positions: Iterable[Position],
    weights: Weights | None = None,
    *,
    partners: bool = True,
    repair_rounds: int = 2,
    declined: Iterable[tuple[int, int]] = (),
    fixed: Mapping[int, int | None] | None = None,
) -> Result:
    """The proposed placements of a year's unplaced candidates on its open positions.

    `declined`: (candidate, position) pairs whose organisation declined the candidate;
    never proposed, and said on the candidate (a `DECLINED` note per pair).
    `fixed`: candidate -> position (or None: leave unplaced), changes by hand of an
    earlier run to keep as they were (`FIXED_BY_HAND`). A fixed pair is kept while both
    are still in the run, the pair meets the hard requirements, was not declined and no
    lower candidate id holds the same position; otherwise the candidate is matched as
    any other. The rest is optimised around what is kept.
    """
    started = time.perf_counter()
    w = weights or Weights()
    all_cands = sorted((_candidate(c) for c in candidates), key=lambda c: c.id)
    all_poss = sorted((_position(p) for p in positions), key=lambda p: p.id)
    for what, items in (("candidate", all_cands), ("position", all_poss)):
        ids = [x.id for x in items]
        if len(set(ids)) != len(ids):
            raise ValueError(f"duplicate {what} id")
    by_id = {p.id: p for p in all_poss}
    refused = frozenset((int(cid), int(pid)) for cid, pid in declined)
    declined_notes: dict[int, list[Note]] = defaultdict(list)
    for cid, pid in sorted(refused):
        if pid in by_id:
            declined_notes[cid].append(Note(DECLINED, {"position": pid}))
    kept: dict[int, int | None] = {}
    for c in all_cands:
        if c.id not in (fixed or {}):
            continue
        pid = fixed[c.id]
        if pid is None:
            kept[c.id] = None
        elif (
            pid in by_id
            and pid not in kept.values()
            and (c.id, pid) not in refused
            and not _failures(c, by_id[pid])
        ):
            kept[c.id] = pid
    cands = [
        c if c.partner not in kept else replace(c, partner=None)
        for c in all_cands
        if c.id not in kept
    ]
    held = set(kept.values())
    poss = [p for p in all_poss if p.id not in held]
    net = _Network(cands, poss, w, refused)
    pairs, partner_notes = _couples(cands) if partners else ([], {})

    free_run = net.solve({})
    best = free_run
    options: dict[tuple[int, int], list[str]] = {}
    tried: dict[tuple[int, int], list[str]] = {}
    if pairs:
        taken = np.bincount(net.class_of[[j for j in free_run if j >= 0]], minlength=len(net.cap))
        targets: dict[int, str] = {}
        for pair in pairs:
            options[pair] = _prefecture_options(net, pair, free_run, taken)
            tried[pair] = options[pair][:1]
            for i in pair:
                if options[pair]:
                    targets[i] = options[pair][0]
        best_key = None
        for _round in range(repair_rounds + 1):
            run = net.solve(targets)
            key = (-sum(_together(net, pair, run) for pair in pairs), _objective(net, run))
            if best_key is None or key < best_key:
                best, best_key = run, key
            changed = False
            for pair in pairs:
                if not _together(net, pair, run) and len(tried[pair]) < len(options[pair]):
                    choice = options[pair][len(tried[pair])]
                    tried[pair].append(choice)
                    targets.update(dict.fromkeys(pair, choice))
                    changed = True
            if not changed:
                break

    suggestions, unplaced = [], []
    for c in all_cands:
        if c.id not in kept:
            continue
        notes = [Note(FIXED_BY_HAND), *declined_notes[c.id]]
        if kept[c.id] is None:
            unplaced.append(Unplaced(c.id, notes[0], tuple(notes[1:])))
            continue
        p = by_id[kept[c.id]]
        cost, rank = _cost(c, p, w)
        suggestions.append(Suggestion(c.id, p.id, rank, cost, (*_soft_notes(c, p, rank), *notes)))
    fixed_cost = sum(s.cost for s in suggestions)
    pair_of = {i: pair for pair in pairs for i in pair}
    for i, c in enumerate(cands):
        j = best[i]
        notes: list[Note] = []
        if i in pair_of:
            pair = pair_of[i]
            other = pair[1] if pair[0] == i else pair[0]
            notes.append(_partner_note(net, best, i, other, options[pair], tried[pair]))
        elif i in partner_notes:
            notes.append(partner_notes[i])
        notes.extend(declined_notes[c.id])
        if j < 0:
            unplaced.append(Unplaced(c.id, _unplaced_reason(net, i), tuple(notes)))
            continue
        p = poss[j]
        cost, rank = _cost(c, p, w)
        suggestions.append(Suggestion(c.id, p.id, rank, cost, (*_soft_notes(c, p, rank), *notes)))
    together = sum(_together(net, pair, best) for pair in pairs)
    suggestions.sort(key=lambda s: s.candidate_id)
    unplaced.sort(key=lambda u: u.candidate_id)
    return Result(
        suggestions=tuple(suggestions),
        unplaced=tuple(unplaced),
        candidate_ids=frozenset(c.id for c in all_cands),
        position_ids=frozenset(p.id for p in all_poss),
        objective=sum(s.cost for s in suggestions),
        unconstrained_objective=_objective(net, free_run) + fixed_cost,
        couples=len(pairs),
        couples_together=together,
        seconds=time.perf_counter() - started,
    )


def _objective(net: _Network, assignment: list[int]) -> int:
    return sum(
        _cost(net.cands[i], net.poss[j], net.w)[0] for i, j in enumerate(assignment) if j >= 0
    )


def _together(net: _Network, pair: tuple[int, int], assignment: list[int]) -> bool:
    a, b = (assignment[i] for i in pair)
    return a >= 0 and b >= 0 and net.poss[a].prefecture == net.poss[b].prefecture


def _partner_note(
    net: _Network, run: list[int], i: int, other: int, options: list[str], tried: list[str]
) -> Note:
    partner_id = net.cands[other].id
    mine, theirs = run[i], run[other]
    if mine >= 0 and theirs < 0:
        return Note(PARTNER_UNPLACED, {"partner": partner_id})
    if mine < 0:
        if theirs >= 0:
            return Note(
                PARTNER_PLACED,
                {"partner": partner_id, "prefecture": net.poss[theirs].prefecture},
            )
        return Note(PARTNER_UNPLACED, {"partner": partner_id})
    prefecture = net.poss[mine].prefecture
    if prefecture == net.poss[theirs].prefecture:
        return Note(PARTNER_TOGETHER, {"partner": partner_id, "prefecture": prefecture})
    return Note(
        PARTNER_APART,
        {
            "partner": partner_id,
            "prefecture": prefecture,
            "partner_prefecture": net.poss[theirs].prefecture,
            "reason": NO_SEATS_FOR_BOTH if options else NO_PREFECTURE_FOR_BOTH,
            "tried": list(tried),
        },
    )


def _unplaced_reason(net: _Network, i: int) -> Note:
    profile = net.profile_of[i]
    mask = net.profile_mask[profile]
    if mask.any():
        return Note(ACCEPTABLE_POSITIONS_TAKEN, {"acceptable": int(net.cap[mask].sum())})
    c = net.cands[i]
    failing = net.failing_by_profile.get(profile)
    if failing is None:  # the same for everyone of this profile: count once
        counts: dict[str, int] = {}
        for p in net.poss:
            if p.type == c.type:
                for failure in _failures(c, p):
                    counts[failure.code] = counts.get(failure.code, 0) + 1
        open_of_type = sum(p.type == c.type for p in net.poss)
        failing = net.failing_by_profile[profile] = (open_of_type, counts)
    return Note(
        NO_ACCEPTABLE_POSITION,
        {"position_type": c.type, "open_of_type": failing[0], "failing": dict(failing[1])},
    )


# --- comparing two runs ------------------------------------------------------------------


def compare(previous: Result, current: Result) -> list[Change]:
    """What moved between two runs, by candidate id, each with the reasons found."""
    before = {s.candidate_id: s for s in previous.suggestions}
    after = {s.candidate_id: s for s in current.suggestions}
    holder_before = {s.position_id: s.candidate_id for s in previous.suggestions}
    holder_after = {s.position_id: s.candidate_id for s in current.suggestions}
    unplaced_after = {u.candidate_id: u for u in current.unplaced}
    changes = []
    for cid in sorted(previous.candidate_ids | current.candidate_ids):
        was, now = before.get(cid), after.get(cid)
        was_pos = was.position_id if was else None
        now_pos = now.position_id if now else None
        if was_pos == now_pos:
            continue
        reasons: list[Note] = []
        if cid not in previous.candidate_ids:
            reasons.append(Note(CANDIDATE_NEW))
        if cid not in current.candidate_ids:
            reasons.append(Note(CANDIDATE_GONE))
        if was_pos is not None:
            if was_pos not in current.position_ids:
                reasons.append(Note(POSITION_CLOSED, {"position": was_pos}))
            elif holder_after.get(was_pos) not in (None, cid):
                reasons.append(
                    Note(POSITION_TAKEN, {"position": was_pos, "by": holder_after[was_pos]})
                )
        if now_pos is not None and holder_before.get(now_pos) not in (None, cid):
            reasons.append(
                Note(
                    POSITION_FREED,
                    {"position": now_pos, "previous_holder": holder_before[now_pos]},
                )
            )
        if was and now:
            code = _rank_change(was.preference_rank, now.preference_rank)
            reasons.append(
                Note(
                    code,
                    {"previous_rank": was.preference_rank, "current_rank": now.preference_rank},
                )
            )
            was_partner = _partner_code(was.notes)
            now_partner = _partner_code(now.notes)
            if was_partner != now_partner:
                reasons.append(
                    Note(PARTNER_CHANGED, {"previous": was_partner, "current": now_partner})
                )
        if now is None and cid in unplaced_after:
            reasons.append(Note(NOW_UNPLACED, {"reason": unplaced_after[cid].reason.code}))
        notes_now = now.notes if now else ()
        if cid in unplaced_after:
            notes_now = (unplaced_after[cid].reason, *unplaced_after[cid].notes)
        # The history the run was given, with what the caller said of it (who, when, why).
        for n in notes_now:
            if n.code == DECLINED and was_pos is not None and n.params.get("position") == was_pos:
                reasons.insert(0, Note(PREVIOUS_DECLINED, dict(n.params)))
            elif n.code == FIXED_BY_HAND:
                reasons.insert(0, Note(KEPT_BY_HAND, dict(n.params)))
        if not reasons or all(r.code in _WEAK_REASONS for r in reasons):
            reasons.append(Note(REOPTIMISED))
        kind = "moved" if was and now else ("placed" if now else "unplaced")
        changes.append(
            Change(
                candidate_id=cid,
                kind=kind,
                previous_position=was_pos,
                current_position=now_pos,
                previous_rank=was.preference_rank if was else None,
                current_rank=now.preference_rank if now else None,
                reasons=tuple(reasons),
            )
        )
    return changes


_WEAK_REASONS = {PREFERENCE_BETTER, PREFERENCE_WORSE, PREFERENCE_SAME}
_PARTNER_CODES = {PARTNER_TOGETHER, PARTNER_APART, PARTNER_UNPLACED}


def _rank_change(before: int | None, after: int | None) -> str:
    b, a = before or 4, after or 4
    return PREFERENCE_SAME if a == b else (PREFERENCE_BETTER if a < b else PREFERENCE_WORSE)


def _partner_code(notes: tuple[Note, ...]) -> str | None:
    return next((n.code for n in notes if n.code in _PARTNER_CODES), None)
