"""Issue 19's placement journeys in a real browser: a re-run keeps CLAIR's change by
hand (until it is removed), a pair the organisation declined is never proposed again
and the compare page says who moved, from where to where, and why, and the board ranks
the open positions by fit for the chosen candidate. Celery runs eagerly here: a run is
ready when its page opens."""

import pytest
from playwright.sync_api import expect

from apps.core.errors import DomainError
from apps.placement import services
from apps.placement.models import MatchingRun
from apps.placement.notes import place_text
from tests.placement.test_placement_depth import REASON, _board_world, _decline
from tests.placement.test_suggestions import _line, _run, _user, _world

pytestmark = pytest.mark.browser


def _start_run(page, app):
    page.goto(f"{app}/clair/placement/runs/")
    with page.expect_navigation():
        page.get_by_test_id("run-start").click()
    expect(page.get_by_test_id("run-state")).to_have_text("Ready for review")


def test_a_rerun_keeps_a_change_by_hand_until_it_is_removed(app, page, sign_in, axe_clean):
    world = _world()
    rural = world["candidates"]["rural"]
    first = _run(_user("clair"))
    free = next(
        p
        for key, p in world["positions"].items()
        if key.startswith("h") and not first.lines.filter(position=p).exists()
    )
    sign_in(page, "clair")

    # Change her line by hand, on the first run's page.
    page.goto(f"{app}/clair/placement/runs/{first.pk}/")
    page.get_by_role("link", name=f"Change the line of {rural.number}").click()
    page.get_by_label("Position").select_option(str(free.pk))
    page.get_by_label("Reason for the change").fill("Met the principal")
    with page.expect_navigation():
        page.get_by_role("button", name="Save the change").click()

    # The next run keeps it, and says from which run and why.
    _start_run(page, app)
    line = page.get_by_test_id(f"line-{rural.number}")
    expect(line).to_contain_text(f"{free.pk} · {free.organisation.name}")
    expect(line.get_by_test_id("carried")).to_contain_text(f"Carried from run {first.pk}")
    expect(line.get_by_test_id("carried")).to_contain_text("Met the principal")
    expect(page.get_by_test_id("kept-by-hand")).to_have_text("1")
    axe_clean(page)

    # Removed: the run after places her as the engine sees best.
    line.get_by_role("link", name=f"Change the line of {rural.number}").click()
    with page.expect_navigation():
        page.get_by_test_id("remove-override").click()
    expect(page.get_by_text("The change by hand is removed")).to_be_visible()
    _start_run(page, app)
    line = page.get_by_test_id(f"line-{rural.number}")
    expect(line.get_by_test_id("carried")).to_have_count(0)
    expect(line).not_to_contain_text(f"{free.pk} · ")


def test_a_declined_pair_is_never_proposed_again_and_compare_says_why(
    app, page, sign_in, axe_clean
):
    world = _world()
    city, kobe = world["candidates"]["city"], world["positions"]["kobe"]
    first = _run(_user("clair"))
    assert _line(first, city).position_id == kobe.pk
    _decline(first, city)
    sign_in(page, "clair")

    _start_run(page, app)

    line = page.get_by_test_id(f"line-{city.number}")
    expect(line).not_to_contain_text(f"{kobe.pk} · {kobe.organisation.name}")
    expect(line).to_contain_text(f"Declined by {kobe.organisation.name} on ")
    expect(line).to_contain_text(REASON)

    page.get_by_test_id("run-compare").click()
    row = page.get_by_test_id(f"change-{city.number}")
    expect(row).to_contain_text("Sam Suggest3")
    expect(row.get_by_test_id("before")).to_contain_text(place_text(kobe))
    expect(row.get_by_test_id("why")).to_contain_text(f"Declined by {kobe.organisation.name}")
    expect(page.get_by_text("The best overall arrangement changed")).to_have_count(0)
    axe_clean(page)
    # Placing her there by hand is refused with the reason.
    second = MatchingRun.objects.exclude(pk=first.pk).get()
    with pytest.raises(DomainError, match="Declined by"):
        services.matching_line_override(
            by=_user("clair"), line=_line(second, city), position=kobe, reason="Again"
        )


def test_the_board_ranks_positions_by_fit_for_the_chosen_candidate(app, page, sign_in, axe_clean):
    _candidate, made = _board_world()
    sign_in(page, "clair")

    page.goto(f"{app}/clair/placement/")
    page.get_by_role("link", name="Zoë Martin").click()

    rows = page.get_by_test_id("positions-table").locator("tbody tr")
    expect(rows).to_have_count(4)
    expect(rows.nth(0)).to_have_attribute("data-testid", f"position-{made['ibaraki'].pk}")
    expect(rows.nth(1)).to_have_attribute("data-testid", f"position-{made['hokkaido'].pk}")
    expect(rows.nth(2)).to_contain_text("Declined by")
    expect(rows.nth(3)).to_have_attribute("data-testid", f"position-{made['ibaraki_manual'].pk}")
    expect(rows.nth(3)).to_contain_text("Does not meet: driving licence")
    axe_clean(page)
