"""The placement matching engine (apps/placement/matching.py): plain Python, no database.

Small instances with hand-computed optima, the hard requirements, partners, ties, and
property tests against an independent maximum matching and an independent optimum
(scipy's linear_sum_assignment), written here from the raw attributes.

Costs under the default weights: 1st preference 0, 2nd 10, 3rd 20, none 40; plus 2 per
step URBAN - SEMI_URBAN - RURAL away from the candidate's wish.
"""

import json
import random

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from scipy.optimize import linear_sum_assignment

from apps.placement import matching as m
from apps.placement.matching import Candidate, Position, Weights, compare, fit, suggest


def alt(cid, *prefs, **kw):
    return Candidate(cid, kw.pop("position", "ALT"), tuple(prefs), **kw)


def post(pid, prefecture, **kw):
    return Position(pid, kw.pop("type", "ALT"), prefecture, **kw)


def codes(notes):
    return [n.code for n in notes]


def note(notes, code):
    return next(n for n in notes if n.code == code)


# --- known optima --------------------------------------------------------------------------


def test_a_single_candidate_gets_the_first_preference():
    result = suggest([alt(1, "13", "28")], [post(10, "28"), post(11, "13")])
    (s,) = result.suggestions
    assert (s.position_id, s.preference_rank, s.cost) == (11, 1, 0)
    assert note(s.notes, m.PREFERENCE_MET).params == {"rank": 1, "place": "13"}
    assert result.unplaced == ()


def test_a_city_preference_is_met_only_in_that_city_a_prefecture_one_anywhere_in_it():
    candidates = [alt(1, "28-Kobe"), alt(2, "28")]
    positions = [post(10, "28", location="RURAL"), post(11, "28", city="Kobe")]
    placed = suggest(candidates, positions).placements()
    assert placed == {1: 11, 2: 10}
    # The position's city may also come as the form's code.
    assert fit(alt(1, "28-Kobe"), post(11, "28", city="28-Kobe")).preference_rank == 1
    assert fit(alt(1, "28-Kobe"), post(10, "28")).preference_rank is None
    assert fit(alt(1, "40", "28"), post(11, "28", city="Kobe")).preference_rank == 2


def test_the_optimum_is_not_first_come_first_served():
    # A: 13 then 27; B: 13 only; C: 27 then 01. One seat in each of 13, 27, 01.
    # Greedy by id gives A 13 (0), B none (40), C 27 (0) = 40; the optimum is
    # B 13 (0), A 27 (10), C 01 (10) = 20, and it is the only one at 20.
    candidates = [alt(1, "13", "27"), alt(2, "13"), alt(3, "27", "01")]
    positions = [post(10, "13"), post(11, "27"), post(12, "01")]
    result = suggest(candidates, positions)
    assert result.placements() == {1: 11, 2: 10, 3: 12}
    assert result.objective == 20
    assert result.by_rank() == {1: 1, 2: 2, 3: 0, None: 0}


def test_the_location_wish_decides_between_places_of_the_same_rank():
    candidates = [alt(1, "13", location_wish="URBAN")]
    positions = [post(10, "13", location="RURAL"), post(11, "13", location="URBAN")]
    (s,) = suggest(candidates, positions).suggestions
    assert s.position_id == 11
    assert note(s.notes, m.LOCATION_MET).params == {"wish": "URBAN"}


def test_a_preference_outweighs_the_location_wish():
    # 13 rural: 0 + 2 x 2 = 4; 27 urban at the 2nd preference: 10.
    candidates = [alt(1, "13", "27", location_wish="URBAN")]
    positions = [post(10, "13", location="RURAL"), post(11, "27", location="URBAN")]
    (s,) = suggest(candidates, positions).suggestions
    assert (s.position_id, s.cost) == (10, 4)
    assert note(s.notes, m.LOCATION_UNMET).params == {
        "wish": "URBAN",
        "category": "RURAL",
        "distance": 2,
    }


def test_two_placed_at_their_second_preference_beat_one_at_the_first_and_one_unplaced():
    # A (automatic licence): 27 then 13; B (no licence): 01 then 27.
    # 13 needs a licence, so only A can take it; 27 suits both.
    candidates = [
        alt(1, "27", "13", driving_licence="AUTOMATIC"),
        alt(2, "01", "27"),
    ]
    positions = [post(10, "13", driving_licence="AUTOMATIC"), post(11, "27")]
    result = suggest(candidates, positions)
    assert result.placements() == {1: 10, 2: 11}
    assert result.by_rank() == {1: 0, 2: 2, 3: 0, None: 0}
    assert result.unplaced == ()


def test_the_number_placed_comes_before_any_preference_cost():
    # Placing both costs 40 (A where nobody asked) against 0 for A alone at 27 with B
    # unplaced: the engine places both.
    candidates = [alt(1, "27", driving_licence="MANUAL"), alt(2, "27")]
    positions = [post(10, "47", driving_licence="MANUAL"), post(11, "27")]
    result = suggest(candidates, positions)
    assert result.placements() == {1: 10, 2: 11}
    assert result.objective == 40


def test_no_preferences_given_is_said():
    (s,) = suggest([alt(1)], [post(10, "13")]).suggestions
    assert codes(s.notes) == [m.NO_PREFERENCES_GIVEN]
    (s,) = suggest([alt(1, "01")], [post(10, "13")]).suggestions
    assert note(s.notes, m.NO_PREFERENCE_MET).params == {"preferences": ["01"]}


# --- hard requirements and the unplaced ------------------------------------------------


def test_requirements_are_never_broken_and_the_unplaced_say_why():
    candidates = [
        alt(1, "13", position="CIR", japanese_level="N3", country="FR"),
        alt(2, "13", driving_licence="AUTOMATIC"),
        alt(3, "13", position="SEA", japanese_level="N1"),
        alt(4, "13", position="CIR", japanese_level="N1", country="US"),
    ]
    positions = [
        post(10, "13", type="CIR", min_japanese_level="N2", country="FR"),
        post(11, "13", driving_licence="MANUAL"),
    ]
    result = suggest(candidates, positions)
    assert result.suggestions == ()
    reasons = {u.candidate_id: u.reason for u in result.unplaced}
    assert reasons[1].code == m.NO_ACCEPTABLE_POSITION
    assert reasons[1].params == {
        "position_type": "CIR",
        "open_of_type": 1,
        "failing": {m.JAPANESE_LEVEL: 1},
    }
    assert reasons[2].params["failing"] == {m.DRIVING_LICENCE: 1}
    assert reasons[3].params == {"position_type": "SEA", "open_of_type": 0, "failing": {}}
    assert reasons[4].params["failing"] == {m.COUNTRY: 1}


def test_driving_licence_rules():
    manual, automatic = (
        post(10, "13", driving_licence="MANUAL"),
        post(11, "13", driving_licence="AUTOMATIC"),
    )
    assert fit(alt(1, driving_licence="MANUAL"), manual).acceptable
    assert fit(alt(1, driving_licence="MANUAL"), automatic).acceptable
    assert fit(alt(1, driving_licence="AUTOMATIC"), automatic).acceptable
    assert not fit(alt(1, driving_licence="AUTOMATIC"), manual).acceptable
    assert not fit(alt(1), automatic).acceptable
    failure = fit(alt(1, driving_licence="AUTOMATIC"), manual).failures[0]
    assert failure == m.Note(m.DRIVING_LICENCE, {"required": "MANUAL", "candidate": "AUTOMATIC"})


def test_fit_lists_every_failed_requirement_for_the_board():
    candidate = alt(1, "13", position="CIR", japanese_level="N4", country="US")
    position = post(10, "13", type="ALT", min_japanese_level="N2", country="FR")
    result = fit(candidate, position)
    assert codes(result.failures) == [m.POSITION_TYPE, m.JAPANESE_LEVEL, m.COUNTRY]
    assert result.preference_rank == 1


def test_when_every_acceptable_position_is_taken_the_lower_id_is_placed():
    result = suggest([alt(2, "13"), alt(1, "13")], [post(10, "13")])
    assert result.placements() == {1: 10}
    (u,) = result.unplaced
    assert u.candidate_id == 2
    assert u.reason == m.Note(m.ACCEPTABLE_POSITIONS_TAKEN, {"acceptable": 1})


def test_blank_values_from_forms_mean_none():
    candidate = Candidate(1, "alt", ("28",), "", "", "", "")
    position = Position(10, "ALT", "28", "", "rural", None, "", "")
    assert suggest([candidate], [position]).placements() == {1: 10}


def test_bad_input_is_refused():
    with pytest.raises(ValueError, match="duplicate candidate"):
        suggest([alt(1), alt(1)], [])
    with pytest.raises(ValueError, match="duplicate position"):
        suggest([], [post(1, "13"), post(1, "28")])
    with pytest.raises(ValueError, match="Japanese level"):
        suggest([alt(1, japanese_level="N6")], [])
    with pytest.raises(ValueError, match="at most three"):
        suggest([alt(1, "01", "02", "03", "04")], [])
    with pytest.raises(ValueError, match="location category"):
        suggest([], [post(1, "13", location="SUBURBAN")])


def test_nothing_in_nothing_out():
    result = suggest([], [])
    assert (result.suggestions, result.unplaced, result.objective) == ((), (), 0)
    result = suggest([alt(1, "13")], [])
    assert result.unplaced[0].reason.code == m.NO_ACCEPTABLE_POSITION


# --- ties --------------------------------------------------------------------------------


def test_the_same_input_in_any_order_gives_the_same_output():
    rng = random.Random(4)
    candidates = [alt(i, "13", "27", location_wish="URBAN") for i in range(1, 9)]
    positions = [post(j, "13" if j % 2 else "27", location="URBAN") for j in range(10, 16)]
    first = suggest(candidates, positions)
    for _ in range(5):
        rng.shuffle(candidates)
        rng.shuffle(positions)
        again = suggest(candidates, positions)
        assert again.suggestions == first.suggestions
        assert again.unplaced == first.unplaced
    # Six seats for eight equal candidates: the six lowest ids are placed.
    assert sorted(first.placements()) == [1, 2, 3, 4, 5, 6]
    assert [u.candidate_id for u in first.unplaced] == [7, 8]
    assert first.by_rank() == {1: 3, 2: 3, 3: 0, None: 0}


def test_interchangeable_positions_go_by_id():
    candidates = [alt(3, "13"), alt(1, "13"), alt(2, "13")]
    positions = [post(12, "13"), post(10, "13"), post(11, "13")]
    assert suggest(candidates, positions).placements() == {1: 10, 2: 11, 3: 12}


# --- partners ------------------------------------------------------------------------------


def test_partners_are_placed_in_one_prefecture():
    # Both ask for 13 first, which has one seat; 28 has two. Apart would cost 0 + 10;
    # together in 28 costs 10 + 10, and that is what the engine proposes.
    candidates = [alt(1, "13", "28", partner=2), alt(2, "13", "28", partner=1)]
    positions = [post(10, "13"), post(11, "28"), post(12, "28")]
    result = suggest(candidates, positions)
    assert result.placements() == {1: 11, 2: 12}
    assert (result.couples, result.couples_together) == (1, 1)
    assert (result.objective, result.unconstrained_objective, result.partner_cost) == (20, 10, 10)
    for s in result.suggestions:
        partner = 2 if s.candidate_id == 1 else 1
        assert note(s.notes, m.PARTNER_TOGETHER).params == {"partner": partner, "prefecture": "28"}


def test_partners_together_take_precedence_over_other_candidates_preferences():
    # Free optimum: A 13, B 27, C 28 (all first choices, 0). Together A and B must share
    # 28 (the only prefecture with two seats), C moves to its second choice 13:
    # 40 + 40 + 10 = 90 against 0 without the constraint.
    candidates = [
        alt(1, "13", partner=2),
        alt(2, "27", partner=1),
        alt(3, "28", "13"),
    ]
    positions = [post(10, "13"), post(11, "27"), post(12, "28"), post(13, "28")]
    result = suggest(candidates, positions)
    placed = result.placements()
    assert {placed[1], placed[2]} == {12, 13}
    assert placed[3] == 10
    assert (result.objective, result.partner_cost) == (90, 90)


def test_a_partner_takes_a_seat_a_single_would_fit_better_to_keep_the_couple_together():
    # One seat suits A (partner) and C (single); C fits it better (40 against 40 + 4).
    # The same number is placed either way, so the couple comes first: A takes it.
    candidates = [
        alt(1, "27", location_wish="URBAN", partner=2),
        alt(2, "27", driving_licence="MANUAL", partner=1),
        alt(3, location_wish="RURAL"),
    ]
    positions = [post(10, "13", location="RURAL"), post(11, "13", driving_licence="MANUAL")]
    result = suggest(candidates, positions)
    assert result.placements() == {1: 10, 2: 11}
    assert result.unplaced[0].reason.code == m.ACCEPTABLE_POSITIONS_TAKEN
    assert result.couples_together == 1
    assert suggest(candidates, positions, partners=False).placements() == {2: 11, 3: 10}


def test_partners_are_placed_apart_when_no_prefecture_has_a_seat_for_each():
    candidates = [
        alt(1, "01", driving_licence="MANUAL", partner=2),
        alt(2, "47", partner=1),
    ]
    positions = [post(10, "01", driving_licence="MANUAL"), post(11, "47")]
    result = suggest(candidates, positions)
    assert result.placements() == {1: 10, 2: 11}
    assert result.couples_together == 0
    apart = note(result.suggestions[0].notes, m.PARTNER_APART)
    assert apart.params == {
        "partner": 2,
        "prefecture": "01",
        "partner_prefecture": "47",
        "reason": m.NO_PREFECTURE_FOR_BOTH,
        "tried": [],
    }


def test_keeping_partners_together_never_leaves_someone_else_unplaced():
    # 27 has two seats and suits everyone; 13's seat needs a licence. Together in 27
    # would leave C (no licence) without a seat, so one partner goes to 13.
    candidates = [
        alt(1, "27", driving_licence="AUTOMATIC", partner=2),
        alt(2, "27", driving_licence="AUTOMATIC", partner=1),
        alt(3, "27"),
    ]
    positions = [post(10, "13", driving_licence="AUTOMATIC"), post(11, "27"), post(12, "27")]
    result = suggest(candidates, positions)
    assert len(result.suggestions) == 3
    assert result.placements()[3] in (11, 12)
    apart = [note(s.notes, m.PARTNER_APART) for s in result.suggestions if s.candidate_id < 3]
    assert {a.params["reason"] for a in apart} == {m.NO_SEATS_FOR_BOTH}
    assert apart[0].params["tried"] == ["27"]


def test_a_partner_placed_alone_is_said_on_both_sides():
    candidates = [alt(1, "13", partner=2), alt(2, "13", position="CIR", partner=1)]
    result = suggest(candidates, [post(10, "13")])
    assert note(result.suggestions[0].notes, m.PARTNER_UNPLACED).params == {"partner": 2}
    (u,) = result.unplaced
    assert u.notes == (m.Note(m.PARTNER_PLACED, {"partner": 1, "prefecture": "13"}),)


def test_partner_requests_that_cannot_be_honoured_are_said():
    candidates = [
        alt(1, "13", partner=99),  # not in this run
        alt(2, "13", partner=3),
        alt(3, "13", partner=2),
        alt(4, "13", partner=3),  # 3 and 2 asked for each other
    ]
    positions = [post(j, "13") for j in range(10, 14)]
    result = suggest(candidates, positions)
    notes = {s.candidate_id: s.notes for s in result.suggestions}
    assert note(notes[1], m.PARTNER_NOT_IN_RUN).params == {"partner": 99}
    assert note(notes[4], m.PARTNER_CONFLICT).params == {"partner": 3, "partner_partner": 2}
    assert note(notes[2], m.PARTNER_TOGETHER).params == {"partner": 3, "prefecture": "13"}
    assert result.couples == 1


def test_a_one_sided_request_is_a_couple_when_the_other_named_nobody():
    candidates = [alt(1, "13", partner=2), alt(2, "27")]
    positions = [post(10, "13"), post(11, "27"), post(12, "27")]
    result = suggest(candidates, positions)
    assert result.couples_together == 1
    assert result.placements() == {1: 11, 2: 12}  # 27 for both: 40 + 0 (13 has one seat)
    assert suggest(candidates, positions, partners=False).placements() == {1: 10, 2: 11}


# --- output and comparison -------------------------------------------------------------


def test_the_result_is_json_ready():
    candidates = [alt(1, "13", partner=2), alt(2, "13", partner=1), alt(3, position="SEA")]
    result = suggest(candidates, [post(10, "13"), post(11, "13")])
    data = json.loads(json.dumps(result.as_dict()))
    assert data["suggestions"][0]["notes"][0] == {
        "code": m.PREFERENCE_MET,
        "params": {"rank": 1, "place": "13"},
    }
    assert data["unplaced"][0]["reason"]["code"] == m.NO_ACCEPTABLE_POSITION


def test_compare_lists_what_moved_and_why():
    candidates = [alt(1, "13", "27"), alt(2, "27", "47"), alt(3, "01")]
    positions = [post(10, "13"), post(11, "27"), post(12, "01")]
    previous = suggest(candidates, positions)
    assert previous.placements() == {1: 10, 2: 11, 3: 12}
    # Position 10 closed; candidate 3 placed by hand (gone); candidate 4 is new.
    current = suggest(
        [*candidates[:2], alt(4, "01")],
        [post(11, "27"), post(12, "01"), post(13, "47")],
    )
    assert current.placements() == {1: 11, 2: 13, 4: 12}
    changes = {c.candidate_id: c for c in compare(previous, current)}
    assert set(changes) == {1, 2, 3, 4}
    one = changes[1]
    assert (one.kind, one.previous_position, one.current_position) == ("moved", 10, 11)
    assert codes(one.reasons) == [m.POSITION_CLOSED, m.POSITION_FREED, m.PREFERENCE_WORSE]
    assert one.reasons[1].params == {"position": 11, "previous_holder": 2}
    two = changes[2]
    assert codes(two.reasons) == [m.POSITION_TAKEN, m.PREFERENCE_WORSE]
    assert two.reasons[0].params == {"position": 11, "by": 1}
    assert (changes[3].kind, codes(changes[3].reasons)) == (
        "unplaced",
        [m.CANDIDATE_GONE, m.POSITION_TAKEN],
    )
    assert (changes[4].kind, codes(changes[4].reasons)) == (
        "placed",
        [m.CANDIDATE_NEW, m.POSITION_FREED],
    )
    assert compare(current, current) == []


def test_compare_says_when_only_the_optimum_moved():
    # Retuned weights: a rural seat in the first preference (0 + 2 x 2) no longer beats an
    # urban one in the second (10) once a location step costs 6.
    candidates = [alt(1, "13", "27", location_wish="URBAN")]
    positions = [post(10, "13", location="RURAL"), post(11, "27", location="URBAN")]
    previous = suggest(candidates, positions)
    assert compare(previous, suggest(candidates, positions)) == []
    current = suggest(candidates, positions, Weights(location_step=6))
    (change,) = compare(previous, current)
    assert (change.previous_position, change.current_position) == (10, 11)
    assert codes(change.reasons) == [m.PREFERENCE_WORSE, m.REOPTIMISED]


def test_compare_names_the_new_candidate_who_took_a_seat():
    previous = suggest([alt(1, "13", "27")], [post(10, "13"), post(11, "27")])
    current = suggest([alt(1, "13", "27"), alt(2, "13")], [post(10, "13"), post(11, "27")])
    one, two = compare(previous, current)
    assert codes(one.reasons) == [m.POSITION_TAKEN, m.PREFERENCE_WORSE]
    assert one.reasons[0].params == {"position": 10, "by": 2}
    assert (two.kind, codes(two.reasons)) == ("placed", [m.CANDIDATE_NEW, m.POSITION_FREED])


def test_weights_are_checked():
    with pytest.raises(ValueError, match="must not cost more"):
        Weights(preference=(0, 30, 20))
    with pytest.raises(ValueError, match="non-negative"):
        Weights(location_step=-1)


# --- properties ----------------------------------------------------------------------------

PLACES = ["01", "13", "27", "28", "28-Kobe"]
LEVELS = ["NONE", "N5", "N4", "N3", "N2", "N1"]


def acceptable(c: Candidate, p: Position) -> bool:
    """The hard requirements, written again from the issue, not from the engine."""
    if c.position != p.type:
        return False
    if p.driving_licence == "MANUAL" and c.driving_licence != "MANUAL":
        return False
    if p.driving_licence == "AUTOMATIC" and c.driving_licence == "NONE":
        return False
    if p.min_japanese_level and LEVELS.index(c.japanese_level) < LEVELS.index(p.min_japanese_level):
        return False
    return not (p.country and p.country != c.country)


def cost(c: Candidate, p: Position, w: Weights = Weights()) -> int:  # noqa: B008
    base = w.no_preference
    for rank, place in reversed(list(enumerate(c.preferences))):
        prefecture, _, city = place.partition("-")
        if prefecture == p.prefecture and (not city or city == p.city):
            base = w.preference[rank]
    order = ["URBAN", "SEMI_URBAN", "RURAL"]
    if c.location_wish == "NONE":
        return base
    return base + w.location_step * abs(order.index(c.location_wish) - order.index(p.location))


def max_matching(candidates, positions, ok=acceptable) -> int:
    """Kuhn's augmenting paths: the size of a maximum bipartite matching."""
    edges = [[j for j, p in enumerate(positions) if ok(c, p)] for c in candidates]
    owner: dict[int, int] = {}

    def augment(i, seen):
        for j in edges[i]:
            if j not in seen:
                seen.add(j)
                if j not in owner or augment(owner[j], seen):
                    owner[j] = i
                    return True
        return False

    return sum(augment(i, set()) for i in range(len(candidates)))


def optimum(candidates, positions, ok=acceptable) -> int:
    """Least total cost among maximum matchings, by scipy's assignment solver."""
    if not candidates or not positions:
        return 0
    big = 10**6
    matrix = np.array([[cost(c, p) if ok(c, p) else big for p in positions] for c in candidates])
    rows, cols = linear_sum_assignment(matrix)
    return int(sum(matrix[r, c] for r, c in zip(rows, cols, strict=True) if matrix[r, c] < big))


@st.composite
def instances(draw, couples: bool = False):
    n_positions = draw(st.integers(0, 8))
    positions = []
    for pid in range(n_positions):
        place = draw(st.sampled_from(PLACES))
        prefecture, _, city = place.partition("-")
        positions.append(
            Position(
                id=100 + pid,
                type=draw(st.sampled_from(["ALT", "ALT", "ALT", "CIR", "SEA"])),
                prefecture=prefecture,
                city=city,
                location=draw(st.sampled_from(["URBAN", "SEMI_URBAN", "RURAL"])),
                driving_licence=draw(st.sampled_from([None, None, "AUTOMATIC", "MANUAL"])),
                min_japanese_level=draw(st.sampled_from([None, None, "N4", "N2"])),
                country=draw(st.sampled_from(["", "", "FR"])),
            )
        )
    n_candidates = draw(st.integers(0, 8))
    candidates = []
    for cid in range(1, n_candidates + 1):
        candidates.append(
            Candidate(
                id=cid,
                position=draw(st.sampled_from(["ALT", "ALT", "ALT", "CIR", "SEA"])),
                preferences=tuple(draw(st.lists(st.sampled_from(PLACES), max_size=3, unique=True))),
                location_wish=draw(st.sampled_from(["URBAN", "SEMI_URBAN", "RURAL", "NONE"])),
                japanese_level=draw(st.sampled_from(LEVELS)),
                driving_licence=draw(st.sampled_from(["NONE", "AUTOMATIC", "MANUAL"])),
                country=draw(st.sampled_from(["US", "FR"])),
            )
        )
    if couples and n_candidates >= 2:
        ids = draw(st.permutations(range(1, n_candidates + 1)))
        n_couples = draw(st.integers(0, n_candidates // 2))
        partner = {}
        for k in range(n_couples):
            a, b = ids[2 * k], ids[2 * k + 1]
            partner[a], partner[b] = b, a
        candidates = [Candidate(**{**c.__dict__, "partner": partner.get(c.id)}) for c in candidates]
    return candidates, positions


# No example database: nothing is written into the work tree.
PROPERTY = settings(
    max_examples=150, deadline=None, database=None, suppress_health_check=[HealthCheck.too_slow]
)


def check_sound(candidates, positions, result):
    by_id = {c.id: c for c in candidates}
    posts = {p.id: p for p in positions}
    placed = [s.candidate_id for s in result.suggestions]
    used = [s.position_id for s in result.suggestions]
    assert len(set(placed)) == len(placed), "a candidate placed twice"
    assert len(set(used)) == len(used), "a position used twice"
    assert set(used) <= set(posts)
    assert sorted(placed + [u.candidate_id for u in result.unplaced]) == sorted(by_id)
    for s in result.suggestions:
        assert acceptable(by_id[s.candidate_id], posts[s.position_id]), s
        assert s.cost == cost(by_id[s.candidate_id], posts[s.position_id])
    for u in result.unplaced:
        any_fits = any(acceptable(by_id[u.candidate_id], p) for p in positions)
        assert (u.reason.code == m.ACCEPTABLE_POSITIONS_TAKEN) == any_fits
        if any_fits:  # everything it could take went to someone else
            assert all(p.id in used for p in positions if acceptable(by_id[u.candidate_id], p))


@PROPERTY
@given(instances())
def test_property_without_partners_the_engine_is_sound_maximal_and_optimal(instance):
    candidates, positions = instance
    result = suggest(candidates, positions)
    check_sound(candidates, positions, result)
    assert len(result.suggestions) == max_matching(candidates, positions)
    assert result.objective == optimum(candidates, positions)
    assert result.objective == result.unconstrained_objective


@PROPERTY
@given(instances(couples=True))
def test_property_with_partners_no_requirement_breaks_and_no_one_is_left_out_for_it(instance):
    candidates, positions = instance
    result = suggest(candidates, positions)
    check_sound(candidates, positions, result)
    # Keeping couples together never costs a placement.
    assert len(result.suggestions) == max_matching(candidates, positions)
    assert result.unconstrained_objective == optimum(candidates, positions)
    assert result.partner_cost >= 0
    where = {s.candidate_id: s.position_id for s in result.suggestions}
    prefecture = {p.id: p.prefecture for p in positions}
    together = sum(
        1
        for c in candidates
        if c.partner is not None
        and c.id < c.partner
        and c.id in where
        and c.partner in where
        and prefecture[where[c.id]] == prefecture[where[c.partner]]
    )
    assert result.couples_together == together


@PROPERTY
@given(instances(couples=True), st.randoms(use_true_random=False))
def test_property_the_input_order_never_changes_the_output(instance, rng):
    candidates, positions = instance
    first = suggest(candidates, positions)
    candidates, positions = list(candidates), list(positions)
    rng.shuffle(candidates)
    rng.shuffle(positions)
    again = suggest(candidates, positions)
    assert (again.suggestions, again.unplaced) == (first.suggestions, first.unplaced)


# --- history: declined pairs and changes by hand ------------------------------------------


def test_a_declined_pair_is_never_proposed_and_said():
    # The only Hyogo seat declined her: she goes elsewhere and the line says why.
    result = suggest([alt(1, "28")], [post(10, "28"), post(11, "13")], declined=[(1, 10)])
    (s,) = result.suggestions
    assert s.position_id == 11
    assert note(s.notes, m.DECLINED).params == {"position": 10}
    # Another candidate may still take the position.
    again = suggest([alt(1, "28"), alt(2, "28")], [post(10, "28")], declined=[(1, 10)])
    assert again.placements() == {2: 10}
    assert note(again.unplaced[0].notes, m.DECLINED).params == {"position": 10}


def test_a_change_by_hand_is_kept_and_the_rest_optimised_around_it():
    candidates = [alt(1, "28"), alt(2, "28")]
    positions = [post(10, "28"), post(11, "13")]
    result = suggest(candidates, positions, fixed={2: 10})
    assert result.placements() == {1: 11, 2: 10}
    assert m.FIXED_BY_HAND in codes(result.suggestions[1].notes)
    # "Leave unplaced" is kept too; a declined or closed position is not.
    assert suggest(candidates, positions, fixed={1: None}).unplaced[0].reason.code == (
        m.FIXED_BY_HAND
    )
    assert suggest(candidates, positions, fixed={1: 11}, declined=[(1, 11)]).placements() == {
        1: 10,
        2: 11,
    }
    assert suggest(candidates, [post(10, "28")], fixed={2: 11}).placements() == {1: 10}


def test_compare_says_a_decline_and_a_change_kept_by_hand():
    positions = [post(10, "28"), post(11, "13")]
    before = suggest([alt(1, "28"), alt(2, "13")], positions)
    after = suggest([alt(1, "28"), alt(2, "13")], positions, declined=[(1, 10)], fixed={2: 10})
    changes = {c.candidate_id: c for c in compare(before, after)}
    assert codes(changes[1].reasons)[0] == m.PREVIOUS_DECLINED
    assert changes[1].reasons[0].params == {"position": 10}
    assert codes(changes[2].reasons)[0] == m.KEPT_BY_HAND


@st.composite
def with_history(draw, couples: bool = False):
    candidates, positions = draw(instances(couples=couples))
    pairs = [(c.id, p.id) for c in candidates for p in positions]
    declined = draw(st.lists(st.sampled_from(pairs), unique=True)) if pairs else []
    wanted = {}
    for c in candidates:
        choice = draw(st.sampled_from([None, "none", *[p.id for p in positions]]))
        if choice == "none":
            wanted[c.id] = None
        elif choice is not None:
            wanted[c.id] = choice
    return candidates, positions, declined, wanted


@PROPERTY
@given(with_history())
def test_property_no_run_proposes_a_declined_pair_and_the_rest_stays_optimal(instance):
    candidates, positions, declined, _ = instance
    refused = set(declined)

    def ok(c, p):
        return acceptable(c, p) and (c.id, p.id) not in refused

    result = suggest(candidates, positions, declined=declined)
    assert not {(s.candidate_id, s.position_id) for s in result.suggestions} & refused
    check_sound_with(candidates, positions, result, ok)
    assert len(result.suggestions) == max_matching(candidates, positions, ok)
    assert result.objective == optimum(candidates, positions, ok)
    for cid, pid in refused:
        everyone = [*result.suggestions, *result.unplaced]
        notes = next(x.notes for x in everyone if x.candidate_id == cid)
        assert m.Note(m.DECLINED, {"position": pid}) in notes


@PROPERTY
@given(with_history(couples=True))
def test_property_changes_by_hand_survive_reruns(instance):
    candidates, positions, declined, wanted = instance
    by_id, posts = {c.id: c for c in candidates}, {p.id: p for p in positions}
    refused = set(declined)
    first = suggest(candidates, positions, declined=declined, fixed=wanted)
    # What the engine kept: every wish it could honour, and no declined pair.
    kept = {}
    for cid, pid in sorted(wanted.items()):
        if pid is None or (
            acceptable(by_id[cid], posts[pid])
            and (cid, pid) not in refused
            and pid not in kept.values()
        ):
            kept[cid] = pid
    placed = first.placements()
    for cid, pid in kept.items():
        assert placed.get(cid) == pid
    assert not set(placed.items()) & refused
    fixed_codes = {
        x.candidate_id
        for x in (*first.suggestions, *first.unplaced)
        if m.FIXED_BY_HAND in codes((getattr(x, "reason", None) or m.Note(""), *x.notes))
    }
    assert fixed_codes == set(kept)
    # The rest is still as many placements as the seats left allow.
    rest_c = [c for c in candidates if c.id not in kept]
    rest_p = [p for p in positions if p.id not in kept.values()]

    def ok(c, p):
        return acceptable(c, p) and (c.id, p.id) not in refused

    assert len(placed) - sum(pid is not None for pid in kept.values()) == max_matching(
        rest_c, rest_p, ok
    )
    # Run after run, what was kept stays kept (the next run is given the same wishes).
    again = suggest(candidates, positions, declined=declined, fixed=kept)
    assert again.suggestions == first.suggestions
    assert again.unplaced == first.unplaced


def check_sound_with(candidates, positions, result, ok):
    by_id = {c.id: c for c in candidates}
    posts = {p.id: p for p in positions}
    placed = [s.candidate_id for s in result.suggestions]
    used = [s.position_id for s in result.suggestions]
    assert len(set(placed)) == len(placed)
    assert len(set(used)) == len(used)
    assert sorted(placed + [u.candidate_id for u in result.unplaced]) == sorted(by_id)
    for s in result.suggestions:
        assert ok(by_id[s.candidate_id], posts[s.position_id]), s
    for u in result.unplaced:
        if u.reason.code == m.ACCEPTABLE_POSITIONS_TAKEN:
            assert all(p.id in used for p in positions if ok(by_id[u.candidate_id], p))
        else:
            assert not any(ok(by_id[u.candidate_id], p) for p in positions)
