"""The eligibility rules as a pure function (reference/jet-facts.md, "Eligibility")."""

from dataclasses import replace
from datetime import date

import pytest

from apps.recruitment import eligibility as e

RULES = e.Rules(programme_year=2027, degree_deadline=date(2027, 6, 25))

# Eligible in every respect: a US citizen with a degree, never on JET, never in Japan.
ELIGIBLE = e.Applicant(
    mission_country="US",
    citizenship="US",
    other_citizenship="",
    degree_dates=[date(2026, 5, 15)],
)


def codes(applicant: e.Applicant, rules: e.Rules = RULES) -> list[str]:
    return [reason["code"] for reason in e.check(applicant, rules)]


def test_an_eligible_applicant_has_no_reasons():
    assert e.check(ELIGIBLE, RULES) == []


def test_pure_function_has_no_django_import():
    with open(e.__file__, encoding="utf-8") as source:
        assert "django" not in source.read()


def test_citizen_of_another_country_is_refused_with_the_mission_country():
    reasons = e.check(replace(ELIGIBLE, citizenship="CA"), RULES)
    assert reasons == [{"code": e.CITIZENSHIP, "country": "US"}]


def test_no_citizenship_given_is_refused():
    assert codes(replace(ELIGIBLE, citizenship=None)) == [e.CITIZENSHIP]


@pytest.mark.parametrize("other", ["JP", "Japan", " japanese ", "JAPAN"])
def test_japanese_nationality_is_refused(other):
    assert codes(replace(ELIGIBLE, other_citizenship=other)) == [e.JAPANESE_NATIONALITY]


def test_a_second_non_japanese_nationality_is_allowed():
    assert codes(replace(ELIGIBLE, other_citizenship="IE")) == []


def test_no_degree_is_refused():
    assert codes(replace(ELIGIBLE, degree_dates=[])) == [e.NO_DEGREE]


def test_degree_after_the_deadline_is_refused_with_the_deadline():
    reasons = e.check(replace(ELIGIBLE, degree_dates=[date(2027, 6, 26)]), RULES)
    assert reasons == [{"code": e.DEGREE_TOO_LATE, "deadline": "2027-06-25"}]


def test_degree_on_the_deadline_itself_is_in_time():
    assert codes(replace(ELIGIBLE, degree_dates=[date(2027, 6, 25)])) == []


def test_one_degree_in_time_is_enough_even_if_another_comes_later():
    later_master = replace(ELIGIBLE, degree_dates=[date(2028, 5, 1), date(2026, 5, 15)])
    assert codes(later_master) == []


def test_left_jet_less_than_three_years_ago_is_refused():
    former = replace(ELIGIBLE, previous_jet=True, previous_jet_years=2, previous_jet_left_year=2025)
    assert e.check(former, RULES) == [{"code": e.TOO_SOON_AFTER_JET, "years": 3, "left": 2025}]


def test_left_jet_exactly_three_years_ago_is_eligible():
    former = replace(ELIGIBLE, previous_jet=True, previous_jet_years=2, previous_jet_left_year=2024)
    assert codes(former) == []


def test_five_years_used_is_refused():
    former = replace(ELIGIBLE, previous_jet=True, previous_jet_years=5, previous_jet_left_year=2015)
    assert e.check(former, RULES) == [{"code": e.FIVE_YEARS_USED, "years": 5}]


def test_four_years_used_is_eligible():
    former = replace(ELIGIBLE, previous_jet=True, previous_jet_years=4, previous_jet_left_year=2015)
    assert codes(former) == []


def test_declined_last_year_is_refused():
    assert codes(replace(ELIGIBLE, declined_last_year=True)) == [e.DECLINED_LAST_YEAR]


def test_five_of_the_last_ten_years_in_japan_is_eligible():
    assert codes(replace(ELIGIBLE, years_in_japan_last_10=5)) == []


def test_six_of_the_last_ten_years_in_japan_is_refused():
    reasons = e.check(replace(ELIGIBLE, years_in_japan_last_10=6), RULES)
    assert reasons == [{"code": e.LIVED_IN_JAPAN, "years": 6}]


def test_applying_for_two_positions_is_refused():
    assert codes(replace(ELIGIBLE, other_positions_this_year=["CIR"])) == [e.TWO_POSITIONS]


def test_every_reason_is_reported_not_only_the_first():
    everything = e.Applicant(
        mission_country="GB",
        citizenship="US",
        other_citizenship="JP",
        degree_dates=[],
        previous_jet=True,
        previous_jet_years=5,
        previous_jet_left_year=2026,
        declined_last_year=True,
        years_in_japan_last_10=7,
        other_positions_this_year=["ALT"],
    )
    assert codes(everything) == [
        e.CITIZENSHIP,
        e.JAPANESE_NATIONALITY,
        e.NO_DEGREE,
        e.TOO_SOON_AFTER_JET,
        e.FIVE_YEARS_USED,
        e.DECLINED_LAST_YEAR,
        e.LIVED_IN_JAPAN,
        e.TWO_POSITIONS,
    ]


def test_the_numbers_come_from_the_rules_not_constants():
    stricter = e.Rules(
        programme_year=2027,
        degree_deadline=date(2026, 1, 1),
        min_years_since_leaving=5,
        max_total_years=3,
        max_years_in_japan_of_last_10=2,
    )
    applicant = replace(
        ELIGIBLE,
        previous_jet=True,
        previous_jet_years=3,
        previous_jet_left_year=2023,
        years_in_japan_last_10=3,
    )
    assert codes(applicant, stricter) == [
        e.DEGREE_TOO_LATE,
        e.TOO_SOON_AFTER_JET,
        e.FIVE_YEARS_USED,
        e.LIVED_IN_JAPAN,
    ]
