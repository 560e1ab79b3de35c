"""Placement engine benchmark: a realistic year at two scales, against two baselines.

Run: .venv/bin/python bench/matching.py [candidates]   (one year of that size instead)

For 2,000 candidates x 2,500 positions, then the national scale (6,000 x 6,500), prints:
- the engine (apps/placement/matching.py): median time of a few runs, share placed, share
  at 1st/2nd/3rd preference, couples kept together;
- greedy first-come: candidates in id order each take their cheapest free acceptable
  position (what a clerk with a spreadsheet does);
- the optimum of the same instance without partner constraints from an independent
  solver: scipy's linear_sum_assignment on a dense cost matrix built here with numpy from
  the raw attributes (not from the engine's code), infeasible pairs at a cost larger than
  all placements together, so it maximises the number placed first;
- the gap between the engine's objective and that optimum: it must be >= 0 and comes only
  from keeping couples together (the engine's own partner-free solve must equal it).
Seeded: the same figures every run, timings aside.
"""

import random
import statistics
import sys
import time
from pathlib import Path

import numpy as np
from scipy.optimize import linear_sum_assignment

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from apps.placement.matching import Candidate, Position, Weights, suggest

PREFECTURES = [f"{i:02d}" for i in range(1, 48)]
CITIES = {
    "01": ["Sapporo"],
    "04": ["Sendai"],
    "11": ["Saitama"],
    "12": ["Chiba"],
    "14": ["Yokohama", "Kawasaki", "Sagamihara"],
    "15": ["Niigata"],
    "22": ["Shizuoka", "Hamamatsu"],
    "23": ["Nagoya"],
    "26": ["Kyoto"],
    "27": ["Osaka", "Sakai"],
    "28": ["Kobe"],
    "33": ["Okayama"],
    "34": ["Hiroshima"],
    "40": ["Kitakyushu", "Fukuoka"],
    "43": ["Kumamoto"],
}
# How often a prefecture is asked for: the famous ones far more than the rest.
POPULAR = {"13": 40, "27": 22, "26": 20, "28": 12, "01": 14, "47": 14, "14": 8, "40": 8}
ASKED = [POPULAR.get(p, 1.5) for p in PREFECTURES]
CIR_COUNTRIES = ["CN", "KR", "FR", "DE", "BR", "ES", "RU", "IT", "MN", "VN"]
ENGLISH = ["US"] * 50 + ["GB"] * 12 + ["CA"] * 10 + ["AU"] * 8 + ["NZ"] * 4 + ["IE"] * 4


def instance(n_candidates: int, n_positions: int, seed: int):
    rng = random.Random(seed)
    positions = []
    hosted = [rng.uniform(0.6, 1.4) * (2.5 if p == "13" else 1) for p in PREFECTURES]
    for pid in range(1, n_positions + 1):
        kind = rng.choices(["ALT", "CIR", "SEA"], [91.6, 8.2, 0.2])[0]
        prefecture = rng.choices(PREFECTURES, hosted)[0]
        city = ""
        if prefecture in CITIES and rng.random() < 0.2:
            city = rng.choice(CITIES[prefecture])
        if city:
            location = "URBAN"
        else:
            location = rng.choices(["URBAN", "SEMI_URBAN", "RURAL"], [12, 38, 50])[0]
        licence = None
        if rng.random() < (0.3 if location == "RURAL" else 0.05):
            licence = "MANUAL" if rng.random() < 0.2 else "AUTOMATIC"
        level, country = None, ""
        if kind == "ALT" and rng.random() < 0.08:
            level = rng.choice(["N4", "N3"])
        elif kind == "CIR":
            level = rng.choices(["N2", "N1"], [60, 40])[0]
            if rng.random() < 0.35:
                country = rng.choice(CIR_COUNTRIES)
        elif kind == "SEA":
            level = "N3"
        positions.append(Position(pid, kind, prefecture, city, location, licence, level, country))
    candidates = []
    couples = 0
    cid = 0
    while cid < n_candidates:
        kind = rng.choices(["ALT", "CIR", "SEA"], [91.6, 8.2, 0.2])[0]
        couple = kind == "ALT" and cid + 2 <= n_candidates and rng.random() < 0.03
        first = _candidate(rng, cid + 1, kind)
        if not couple:
            candidates.append(first)
            cid += 1
            continue
        second = _candidate(rng, cid + 2, kind)
        if rng.random() < 0.7:  # most couples ask for the same places
            second = Candidate(**{**second.__dict__, "preferences": first.preferences})
        candidates.append(Candidate(**{**first.__dict__, "partner": cid + 2}))
        candidates.append(Candidate(**{**second.__dict__, "partner": cid + 1}))
        couples += 1
        cid += 2
    return candidates, positions, couples


def _candidate(rng: random.Random, cid: int, kind: str) -> Candidate:
    count = rng.choices([0, 1, 2, 3], [8, 4, 8, 80])[0]
    places: list[str] = []
    while len(places) < count:
        prefecture = rng.choices(PREFECTURES, ASKED)[0]
        place = prefecture
        if prefecture in CITIES and rng.random() < 0.2:
            place = f"{prefecture}-{rng.choice(CITIES[prefecture])}"
        if place not in places:
            places.append(place)
    if kind == "ALT":
        level = rng.choices(["NONE", "N5", "N4", "N3", "N2", "N1"], [40, 20, 18, 12, 7, 3])[0]
        country = rng.choice(ENGLISH)
    elif kind == "CIR":
        level = rng.choices(["N2", "N1"], [55, 45])[0]
        country = rng.choice(ENGLISH + CIR_COUNTRIES * 4)
    else:
        level = rng.choice(["N3", "N2", "N1"])
        country = rng.choice(CIR_COUNTRIES)
    return Candidate(
        id=cid,
        position=kind,
        preferences=tuple(places),
        location_wish=rng.choices(["URBAN", "SEMI_URBAN", "RURAL", "NONE"], [40, 25, 10, 25])[0],
        japanese_level=level,
        driving_licence=rng.choices(["NONE", "AUTOMATIC", "MANUAL"], [30, 55, 15])[0],
        country=country,
    )


# --- an independent cost matrix (numpy, from the raw attributes) --------------------------

LEVELS = {"NONE": 0, None: 0, "N5": 1, "N4": 2, "N3": 3, "N2": 4, "N1": 5}
LICENCE = {"NONE": 0, None: 0, "AUTOMATIC": 1, "MANUAL": 2}
LOC = {"URBAN": 0, "SEMI_URBAN": 1, "RURAL": 2}


def cost_matrix(candidates, positions, w: Weights):
    """(cost, rank, feasible) as n x m arrays; rank 0 = no preference met."""
    ptype = np.array([p.type for p in positions])
    ppref = np.array([p.prefecture for p in positions])
    pcity = np.array([f"{p.prefecture}-{p.city}" if p.city else "" for p in positions])
    ploc = np.array([LOC[p.location] for p in positions])
    plic = np.array([LICENCE[p.driving_licence] for p in positions])
    plevel = np.array([LEVELS[p.min_japanese_level] for p in positions])
    pcountry = np.array([p.country for p in positions])
    ctype = np.array([c.position for c in candidates])[:, None]
    clic = np.array([LICENCE[c.driving_licence] for c in candidates])[:, None]
    clevel = np.array([LEVELS[c.japanese_level] for c in candidates])[:, None]
    ccountry = np.array([c.country for c in candidates])[:, None]
    feasible = (ctype == ptype) & (clic >= plic) & (clevel >= plevel)
    feasible &= (pcountry == "") | (pcountry == ccountry)
    rank = np.zeros(feasible.shape, dtype=np.int8)
    for r in (3, 2, 1):  # best rank last, so it wins
        wanted = np.array(
            [c.preferences[r - 1] if len(c.preferences) >= r else "-" for c in candidates]
        )[:, None]
        rank[(wanted == ppref) | (wanted == pcity)] = r
    base = np.array([w.no_preference, *w.preference], dtype=np.int64)[rank]
    wish = np.array([LOC.get(c.location_wish, -1) for c in candidates])[:, None]
    loc = np.where(wish < 0, 0, np.abs(wish - ploc[None, :]) * w.location_step)
    return base + loc, rank, feasible


def optimum(cost, rank, feasible):
    n = cost.shape[0]
    big = int(cost.max()) * n + 1  # one more placement beats any preference total
    matrix = np.where(feasible, cost, big).astype(np.float64)
    rows, cols = linear_sum_assignment(matrix)
    ok = feasible[rows, cols]
    rows, cols = rows[ok], cols[ok]
    return int(cost[rows, cols].sum()), rank[rows, cols]


def greedy(cost, rank, feasible):
    """First come, first served: each candidate in id order takes its cheapest free seat."""
    free = np.ones(cost.shape[1], dtype=bool)
    inf = np.iinfo(np.int64).max
    total, ranks = 0, []
    for i in range(cost.shape[0]):
        row = np.where(feasible[i] & free, cost[i], inf)
        j = int(row.argmin())  # ties: the lowest position id
        if row[j] == inf:
            continue
        free[j] = False
        total += int(cost[i, j])
        ranks.append(rank[i, j])
    return total, np.array(ranks, dtype=np.int8)


def shares(n: int, ranks) -> str:
    ranks = np.asarray(ranks)
    placed = len(ranks)
    pct = [100 * int((ranks == r).sum()) / n for r in (1, 2, 3, 0)]
    return (
        f"placed {100 * placed / n:5.1f} %  1st {pct[0]:5.1f} %  2nd {pct[1]:5.1f} %  "
        f"3rd {pct[2]:5.1f} %  none {pct[3]:5.1f} %"
    )


def run(n_candidates: int, n_positions: int, seed: int, repeat: int, target_s=None) -> None:
    candidates, positions, couples = instance(n_candidates, n_positions, seed)
    w = Weights()
    times, result = [], None
    for _ in range(repeat):
        started = time.perf_counter()
        result = suggest(candidates, positions, w)
        times.append(time.perf_counter() - started)
    engine_ranks = [s.preference_rank or 0 for s in result.suggestions]
    cost, rank, feasible = cost_matrix(candidates, positions, w)
    started = time.perf_counter()
    greedy_total, greedy_ranks = greedy(cost, rank, feasible)
    greedy_s = time.perf_counter() - started
    started = time.perf_counter()
    best_total, best_ranks = optimum(cost, rank, feasible)
    best_s = time.perf_counter() - started
    n = len(candidates)
    kinds = {k: sum(p.type == k for p in positions) for k in ("ALT", "CIR", "SEA")}
    print(
        f"\n== {n:,} candidates ({couples} couples) x {len(positions):,} positions "
        f"(ALT {kinds['ALT']}, CIR {kinds['CIR']}, SEA {kinds['SEA']}), seed {seed}"
    )
    print(
        f"engine  {statistics.median(times):7.3f} s (median of {repeat})  "
        f"{shares(n, engine_ranks)}  objective {result.objective}"
    )
    print(
        f"        couples together {result.couples_together}/{result.couples}; "
        f"partner-free solve objective {result.unconstrained_objective}"
    )
    print(
        f"greedy  {greedy_s:7.3f} s            {shares(n, greedy_ranks)}  objective {greedy_total}"
    )
    print(f"optimum {best_s:7.3f} s (scipy LSA)  {shares(n, best_ranks)}  objective {best_total}")
    same_count = len(result.suggestions) == len(best_ranks)
    same_free = result.unconstrained_objective == best_total
    print(
        f"placed: engine {len(result.suggestions)}, optimum {len(best_ranks)} "
        f"({'same' if same_count else 'DIFFERENT'}); "
        f"engine's partner-free solve {'=' if same_free else '!='} optimum"
    )
    if target_s is not None:
        engine_s = statistics.median(times)
        verdict = "met" if engine_s <= target_s else "MISSED"
        print(f"target: engine within {target_s} s: {verdict} ({engine_s:.3f} s)")
    gap = result.objective - best_total
    print(
        f"gap engine - optimum: {gap} cost units ({100 * gap / max(best_total, 1):.2f} %), "
        f"all from keeping {result.couples_together} couples together "
        f"(partner cost {result.partner_cost}); greedy - optimum: {greedy_total - best_total}"
    )


if __name__ == "__main__":
    if len(sys.argv) > 1:  # one small year, as `make bench-small` runs it
        candidates = int(sys.argv[1])
        run(candidates, candidates * 5 // 4, seed=2027, repeat=1)
    else:
        run(2_000, 2_500, seed=2027, repeat=5)
        run(6_000, 6_500, seed=2027, repeat=3, target_s=1.0)
