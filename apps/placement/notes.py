"""What the matching engine's notes say to a person, in their language.

The engine (`matching.py`) returns stable codes with parameters; a run stores them as
JSON; this turns one into a sentence. Candidate ids in parameters are shown through
`labels` (application numbers) when the caller has them.
"""

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from apps.core.bilingual import country_name
from apps.placement import matching as m
from apps.recruitment.choices import JapaneseLevel, LocationPreference
from apps.recruitment.places import placement_label

LICENCE_NAMES = {
    "NONE": gettext_lazy("no driving licence"),
    "AUTOMATIC": gettext_lazy("an automatic licence"),
    "MANUAL": gettext_lazy("a manual licence"),
}


def _location(code) -> str:
    return str(dict(LocationPreference.choices).get(code, code))


def _level(code) -> str:
    return str(dict(JapaneseLevel.choices).get(code, code or "—"))


def _place(code) -> str:
    return placement_label(str(code))


def note_text(note: dict, labels: dict | None = None) -> str:
    """One note as a sentence; `note` is {"code": ..., "params": {...}}."""
    code = note.get("code")
    p = note.get("params") or {}
    labels = labels or {}

    def who(candidate_id) -> str:
        return labels.get(candidate_id) or labels.get(str(candidate_id)) or f"#{candidate_id}"

    if code == m.POSITION_TYPE:
        return _("The position type is %(required)s; the candidate applied for %(candidate)s.") % p
    if code == m.DRIVING_LICENCE:
        return _("The position needs %(required)s; the candidate has %(candidate)s.") % {
            "required": LICENCE_NAMES.get(p.get("required"), p.get("required")),
            "candidate": LICENCE_NAMES.get(p.get("candidate"), p.get("candidate")),
        }
    if code == m.JAPANESE_LEVEL:
        return _(
            "The position needs Japanese at %(required)s; the candidate has %(candidate)s."
        ) % {
            "required": _level(p.get("required")),
            "candidate": _level(p.get("candidate")),
        }
    if code == m.COUNTRY:
        return _("The position seeks someone from %(required)s.") % {
            "required": country_name(p.get("required"))
        }
    if code == m.PREFERENCE_MET:
        return _("Meets preference %(rank)s (%(place)s).") % {
            "rank": p.get("rank"),
            "place": _place(p.get("place")),
        }
    if code == m.NO_PREFERENCE_MET:
        return _("Meets none of the candidate's preferences (%(places)s).") % {
            "places": ", ".join(_place(x) for x in p.get("preferences", []))
        }
    if code == m.NO_PREFERENCES_GIVEN:
        return _("The candidate gave no placement preference.")
    if code == m.LOCATION_MET:
        return _("Matches the candidate's location wish (%(wish)s).") % {
            "wish": _location(p.get("wish"))
        }
    if code == m.LOCATION_UNMET:
        return _("The candidate wished for %(wish)s; the position is %(category)s.") % {
            "wish": _location(p.get("wish")),
            "category": _location(p.get("category")),
        }
    if code == m.PARTNER_TOGETHER:
        return _("Placed in the same prefecture as the partner (%(partner)s).") % {
            "partner": who(p.get("partner"))
        }
    if code == m.PARTNER_APART:
        return _(
            "Not in the same prefecture as the partner (%(partner)s): no prefecture had a "
            "seat for both without leaving someone else unplaced."
        ) % {"partner": who(p.get("partner"))}
    if code == m.PARTNER_UNPLACED:
        return _("The partner (%(partner)s) could not be placed.") % {
            "partner": who(p.get("partner"))
        }
    if code == m.PARTNER_PLACED:
        return _("The partner (%(partner)s) is placed; no seat nearby was left.") % {
            "partner": who(p.get("partner"))
        }
    if code == m.PARTNER_NOT_IN_RUN:
        return _("The partner (%(partner)s) is not among the candidates of this run.") % {
            "partner": who(p.get("partner"))
        }
    if code == m.PARTNER_CONFLICT:
        return _("The partner (%(partner)s) named someone else as partner.") % {
            "partner": who(p.get("partner"))
        }
    if code == m.NO_ACCEPTABLE_POSITION:
        return _(
            "No open position meets this candidate's requirements (%(open)s open of this type)."
        ) % {"open": p.get("open_of_type", 0)}
    if code == m.ACCEPTABLE_POSITIONS_TAKEN:
        return _(
            "All %(count)s acceptable positions went to other candidates, so that more "
            "candidates are placed in all."
        ) % {"count": p.get("acceptable", 0)}
    if code == m.CANDIDATE_NEW:
        return _("New in this run.")
    if code == m.CANDIDATE_GONE:
        return _("No longer a candidate (placed, withdrawn or not forwarded).")
    if code == m.POSITION_CLOSED:
        return _("Position %(position)s is no longer open.") % p
    if code == m.POSITION_TAKEN:
        return _("Position %(position)s went to %(by)s.") % {
            "position": p.get("position"),
            "by": who(p.get("by")),
        }
    if code == m.POSITION_FREED:
        return _("Position %(position)s came free from %(holder)s.") % {
            "position": p.get("position"),
            "holder": who(p.get("previous_holder")),
        }
    if code == m.PREFERENCE_BETTER:
        return _("A better preference is met now.")
    if code == m.PREFERENCE_WORSE:
        return _("A lower preference is met now.")
    if code == m.PREFERENCE_SAME:
        return _("The same preference rank is met.")
    if code == m.PARTNER_CHANGED:
        return _("The partner arrangement changed.")
    if code == m.NOW_UNPLACED:
        return _("Not placed in this run.")
    if code == m.REOPTIMISED:
        return _("The best overall arrangement changed.")
    if code == "override":
        return _("Changed by %(by)s: %(reason)s") % p
    if code == "override_removed":
        return _("The change by hand was removed by %(by)s.") % p
    if code in (m.DECLINED, m.PREVIOUS_DECLINED):
        return _("Declined by %(organisation)s on %(date)s: %(reason)s") % {
            "organisation": p.get("organisation") or _("the organisation"),
            "date": p.get("date") or "—",
            "reason": p.get("reason") or "—",
        }
    if code in (m.FIXED_BY_HAND, m.KEPT_BY_HAND):
        if p.get("run"):
            return _("Changed by hand, carried from run %(run)s: %(reason)s") % {
                "run": p.get("run"),
                "reason": p.get("reason") or "—",
            }
        return _("Kept as changed by hand in an earlier run.")
    return str(code or "")


REQUIREMENT_NAMES = {
    m.POSITION_TYPE: gettext_lazy("position type"),
    m.DRIVING_LICENCE: gettext_lazy("driving licence"),
    m.JAPANESE_LEVEL: gettext_lazy("Japanese level"),
    m.COUNTRY: gettext_lazy("country"),
}


def unmet_summary(failures) -> str:
    """ "Does not meet: driving licence, Japanese level" for the board's failing rows."""
    names = [str(REQUIREMENT_NAMES.get(f.code, f.code)) for f in failures]
    return _("Does not meet: %(requirements)s") % {"requirements": ", ".join(names)}


def place_text(position) -> str:
    """ "Hyogo (Kobe)": where a position is, for the compare page."""
    if position is None:
        return _("not placed")
    return _("%(prefecture)s (%(municipality)s)") % {
        "prefecture": position.prefecture.name,
        "municipality": position.municipality,
    }


def change_reason_text(note: dict, move: dict) -> str:
    """One reason of the compare page, naming places and people: `move` is a row of
    `selectors.matching_run_moves`."""
    code, p = note.get("code"), note.get("params") or {}
    positions, ranks = move["positions"], move["ranks"]
    labels = {pk: f"{a.given_names} {a.family_name}" for pk, a in move["applications"].items()}

    def who(candidate_id) -> str:
        return labels.get(candidate_id) or f"#{candidate_id}"

    def where(position_id) -> str:
        position = positions.get(position_id)
        return place_text(position) if position else _("position %(id)s") % {"id": position_id}

    if code == m.POSITION_TAKEN:
        rank = ranks.get(p.get("by"))
        if rank:
            return _(
                "The %(place)s position went to %(by)s, for whom it is preference %(rank)s: "
                "a better fit."
            ) % {"place": where(p.get("position")), "by": who(p.get("by")), "rank": rank}
        return _(
            "The %(place)s position went to %(by)s, so that more candidates are placed in all."
        ) % {"place": where(p.get("position")), "by": who(p.get("by"))}
    if code == m.POSITION_CLOSED:
        return _("The %(place)s position is no longer open.") % {"place": where(p.get("position"))}
    if code == m.POSITION_FREED:
        return _("The %(place)s position came free from %(holder)s.") % {
            "place": where(p.get("position")),
            "holder": who(p.get("previous_holder")),
        }
    if code == m.PREVIOUS_DECLINED:
        return _("The %(place)s position: %(declined)s") % {
            "place": where(p.get("position")),
            "declined": note_text(note),
        }
    return note_text(note, labels)


def move_row(move: dict) -> dict:
    """A row of `selectors.matching_run_moves` in words, for the compare page and the
    API's summary: who moved, from where to where, and why."""
    change, application = move["change"], move["application"]
    reasons = [
        change_reason_text({"code": r.code, "params": dict(r.params)}, move) for r in change.reasons
    ]
    if move["override_reason"]:
        reasons.insert(0, _("Changed by hand: %(reason)s") % {"reason": move["override_reason"]})
    name = (
        f"{application.given_names} {application.family_name}"
        if application
        else f"#{change.candidate_id}"
    )
    before, after = place_text(move["previous"]), place_text(move["current"])
    return {
        "change": change,
        "name": name,
        "number": application.number if application else change.candidate_id,
        "before": before,
        "after": after,
        "previous": move["previous"],
        "current": move["current"],
        "reasons": reasons,
        "override_reason": move["override_reason"],
        "summary": _("%(name)s: %(before)s → %(after)s: %(why)s")
        % {"name": name, "before": before, "after": after, "why": " ".join(reasons)},
    }
