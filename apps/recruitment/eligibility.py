"""The programme's eligibility rules for ALT and CIR applicants, as a plain function.

No Django import: the rules are tested alone, and the service records what they say.
Source: reference/jet-facts.md ("Eligibility"). Numbers that change by year arrive in
`Rules`, never as constants in the checks.
"""

from dataclasses import dataclass, field
from datetime import date


@dataclass(frozen=True)
class Rules:
    programme_year: int
    degree_deadline: date
    min_years_since_leaving: int = 3
    max_total_years: int = 5
    max_years_in_japan_of_last_10: int = 5  # 6 or more of the last 10 disqualifies


@dataclass(frozen=True)
class Applicant:
    mission_country: str
    citizenship: str | None
    other_citizenship: str
    degree_dates: list[date] = field(default_factory=list)  # bachelor's or higher
    previous_jet: bool = False
    previous_jet_years: int = 0
    previous_jet_left_year: int | None = None
    declined_last_year: bool = False
    years_in_japan_last_10: int = 0
    other_positions_this_year: list[str] = field(default_factory=list)


# Each reason: a stable code the UI translates, and the facts behind it.
CITIZENSHIP = "citizenship"
JAPANESE_NATIONALITY = "japanese_nationality"
NO_DEGREE = "no_degree"
DEGREE_TOO_LATE = "degree_too_late"
TOO_SOON_AFTER_JET = "too_soon_after_jet"
FIVE_YEARS_USED = "five_years_used"
DECLINED_LAST_YEAR = "declined_last_year"
LIVED_IN_JAPAN = "lived_in_japan"
TWO_POSITIONS = "two_positions"


def check(applicant: Applicant, rules: Rules) -> list[dict]:
    """Every rule the applicant does not meet; an empty list means eligible."""
    reasons: list[dict] = []
    if applicant.citizenship != applicant.mission_country:
        reasons.append({"code": CITIZENSHIP, "country": applicant.mission_country})
    if applicant.other_citizenship.strip().upper() in ("JP", "JAPAN", "JAPANESE"):
        reasons.append({"code": JAPANESE_NATIONALITY})
    if not applicant.degree_dates:
        reasons.append({"code": NO_DEGREE})
    elif min(applicant.degree_dates) > rules.degree_deadline:
        reasons.append({"code": DEGREE_TOO_LATE, "deadline": rules.degree_deadline.isoformat()})
    if applicant.previous_jet:
        left = applicant.previous_jet_left_year
        if left is not None and rules.programme_year - left < rules.min_years_since_leaving:
            reasons.append(
                {"code": TOO_SOON_AFTER_JET, "years": rules.min_years_since_leaving, "left": left}
            )
        if applicant.previous_jet_years >= rules.max_total_years:
            reasons.append({"code": FIVE_YEARS_USED, "years": rules.max_total_years})
    if applicant.declined_last_year:
        reasons.append({"code": DECLINED_LAST_YEAR})
    if applicant.years_in_japan_last_10 > rules.max_years_in_japan_of_last_10:
        reasons.append({"code": LIVED_IN_JAPAN, "years": applicant.years_in_japan_last_10})
    if applicant.other_positions_this_year:
        reasons.append({"code": TWO_POSITIONS})
    return reasons
