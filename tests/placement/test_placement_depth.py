"""Placement run after run (issue 19): a pair an organisation declined is never proposed
again and says so; a change by hand is kept by the next run until the staff remove it;
the compare page and API say who moved, from where to where, and why; the board ranks
the open positions by the engine's fit for the chosen candidate.

The run tests are transactional (the job is dispatched on commit; Celery runs eagerly);
the board tests use a programme year of their own inside the test's transaction."""

import pytest
from django.core.exceptions import PermissionDenied
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from apps.core import access
from apps.core.errors import DomainError
from apps.core.models import Kind, Organisation, Prefecture, ProgrammeYear
from apps.placement import matching, services
from apps.placement.models import Placement
from apps.placement.notes import place_text
from tests.factories import (
    ApplicationFactory,
    OrganisationFactory,
    PlacementFactory,
    PositionRequestFactory,
    ProgrammeYearFactory,
)
from tests.placement.test_suggestions import _line, _run, _user, _world

REASON = "The school needs a teacher with special-needs experience."


def _decline(run, application, *, by="co.hyogo") -> Placement:
    """A manager approves the candidate's line; the organisation declines her."""
    line = _line(run, application)
    services.matching_lines_approve(by=_user("clair.manager"), run=run, lines=[line])
    line.refresh_from_db()
    return services.placement_decline(by=_user(by), placement=line.placement, reason=REASON)


# --- declined pairs -----------------------------------------------------------------------


@pytest.mark.django_db(transaction=True)
def test_a_declined_pair_is_never_proposed_again_and_the_line_says_who_when_why(
    committed_world, api_as
):
    world = _world()
    city, kobe = world["candidates"]["city"], world["positions"]["kobe"]
    first = _run(_user("clair"))
    assert _line(first, city).position_id == kobe.pk
    placement = _decline(first, city)

    second = _run(_user("clair"))

    line = _line(second, city)
    assert line.position_id not in (None, kobe.pk)  # placed elsewhere, not on Kobe again
    declined = [n for n in line.notes if n["code"] == matching.DECLINED]
    assert declined == [
        {
            "code": matching.DECLINED,
            "params": {
                "position": kobe.pk,
                "organisation": kobe.organisation.name,
                "date": timezone.localdate(placement.decided_at).isoformat(),
                "reason": REASON,
            },
        }
    ]
    assert second.stats["declined_pairs"] == 1
    # The API says it on the line.
    lines = api_as("clair").get(f"/api/v1/placement-runs/{second.pk}/lines/").json()["results"]
    row = next(r for r in lines if r["application"] == city.pk)
    assert row["declined"][0]["organisation"] == kobe.organisation.name
    assert row["declined"][0]["text"].startswith(f"Declined by {kobe.organisation.name} on ")
    assert row["declined"][0]["text"].endswith(REASON)
    # Staff cannot put her back on it by hand either.
    with pytest.raises(DomainError, match="Declined by"):
        services.matching_line_override(
            by=_user("clair"), line=line, position=kobe, reason="Try again"
        )


# --- changes by hand ----------------------------------------------------------------------


@pytest.mark.django_db(transaction=True)
def test_a_change_by_hand_is_kept_by_the_next_run_until_it_is_removed(committed_world, api_as):
    world = _world()
    rural = world["candidates"]["rural"]
    hyogo = [world["positions"][k] for k in ("h1", "h2", "h3")]
    clair = _user("clair")
    first = _run(clair)
    engine_choice = _line(first, rural).position_id
    assert engine_choice == hyogo[0].pk  # interchangeable seats go by id
    free = next(
        p for p in hyogo if not first.lines.filter(position=p).exists()
    )  # the seat nobody got
    services.matching_line_override(
        by=clair, line=_line(first, rural), position=free, reason="Met the principal"
    )

    second = _run(clair)

    kept = _line(second, rural)
    assert kept.position_id == free.pk
    assert kept.carried_from == _line(first, rural)
    assert kept.overridden
    assert kept.override_reason == "Met the principal"
    fixed = next(n for n in kept.notes if n["code"] == matching.FIXED_BY_HAND)
    assert fixed["params"] == {
        "run": first.pk,
        "reason": "Met the principal",
        "by": clair.get_full_name(),
    }
    assert second.stats["kept_by_hand"] == 1
    client = api_as("clair")
    lines = client.get(f"/api/v1/placement-runs/{second.pk}/lines/").json()["results"]
    row = next(r for r in lines if r["application"] == rural.pk)
    assert row["carried_from_run"] == first.pk
    assert row["overridden"] is True

    # Kept again by a third run, still naming the run it was made on.
    third = _run(clair)
    again = _line(third, rural)
    assert again.position_id == free.pk
    assert next(n for n in again.notes if n["code"] == matching.FIXED_BY_HAND)["params"]["run"] == (
        first.pk
    )

    # Removed through the API: the next run places her freely again.
    response = client.post(f"/api/v1/placement-run-lines/{again.pk}/remove-override/")
    assert response.status_code == 200, response.content
    assert response.json()["overridden"] is False
    assert response.json()["carried_from_run"] is None
    fourth = _run(clair)
    free_again = _line(fourth, rural)
    assert free_again.position_id == engine_choice
    assert not free_again.overridden
    assert free_again.carried_from is None


@pytest.mark.django_db(transaction=True)
def test_removing_a_change_made_on_this_run_gives_back_the_engines_proposal(committed_world):
    world = _world()
    rural = world["candidates"]["rural"]
    clair = _user("clair")
    run = _run(clair)
    proposed = _line(run, rural).position_id
    services.matching_line_override(
        by=clair, line=_line(run, rural), position=None, reason="Waiting for a medical check"
    )

    line = services.matching_line_override_remove(by=clair, line=_line(run, rural))

    assert line.position_id == proposed
    assert not line.overridden
    assert line.notes[-1] == {"code": "override_removed", "params": {"by": clair.get_full_name()}}
    with pytest.raises(DomainError, match="no change by hand"):
        services.matching_line_override_remove(by=clair, line=line)
    # Only CLAIR changes lines.
    with pytest.raises(PermissionDenied):
        services.matching_line_override_remove(by=_user("co.hyogo"), line=line)


# --- compare ------------------------------------------------------------------------------


@pytest.mark.django_db(transaction=True)
def test_compare_says_who_moved_from_where_to_where_and_why(committed_world, api_as, client):
    world = _world()
    city, kobe = world["candidates"]["city"], world["positions"]["kobe"]
    first = _run(_user("clair"))
    _decline(first, city)
    second = _run(_user("clair"))
    now = _line(second, city).position
    before, after = place_text(kobe), place_text(now)
    assert before != after

    client.force_login(_user("clair"))
    page = client.get(reverse("clair:run-compare", kwargs={"pk": second.pk})).content.decode()
    assert "Sam Suggest3" in page
    assert before in page
    assert after in page
    assert f"Declined by {kobe.organisation.name} on " in page
    assert "The best overall arrangement changed" not in page

    data = api_as("clair").get(f"/api/v1/placement-runs/{second.pk}/compare/").json()
    change = next(c for c in data["changes"] if c["application"] == city.pk)
    assert change["candidate_name"] == "Sam Suggest3"
    assert (change["before"], change["after"]) == (before, after)
    assert change["previous_organisation"] == kobe.organisation.name
    assert change["reasons"][0]["code"] == matching.PREVIOUS_DECLINED
    assert change["summary"].startswith(f"Sam Suggest3: {before} → {after}: ")
    assert REASON in change["summary"]


# --- the board's ranking ------------------------------------------------------------------


def _board_world():
    ProgrammeYear.objects.update(is_current=False)
    year = ProgrammeYearFactory(year=2032, is_current=True)
    ibaraki = OrganisationFactory(prefecture=Prefecture.objects.get(code="08"), municipality="Mito")
    hokkaido = OrganisationFactory(
        prefecture=Prefecture.objects.get(code="01"), municipality="Sapporo"
    )
    hyogo = OrganisationFactory()
    clair_org = Organisation.objects.get(kind=Kind.CLAIR)
    candidate = ApplicationFactory(
        forwarded=True,
        programme_year=year,
        preference_1="08",
        driving_licence="NONE",
        given_names="Zoë",
        family_name="Martin",
    )
    access.grant("view", candidate, clair_org)
    made = {}
    # Created in this order, so ids alone would show Hokkaido first.
    for key, organisation, fields in (
        ("hokkaido", hokkaido, {"municipality": "Sapporo"}),
        ("declined", hyogo, {}),
        ("ibaraki_manual", ibaraki, {"driving_licence_required": "MANUAL"}),
        ("ibaraki", ibaraki, {"municipality": "Mito"}),
    ):
        made[key] = PositionRequestFactory(
            approved=True, programme_year=year, organisation=organisation, **fields
        )
    PlacementFactory(
        application=candidate,
        position=made["declined"],
        status=Placement.Status.DECLINED_BY_ORGANISATION,
        decline_reason=REASON,
    )
    return candidate, made


@pytest.mark.django_db
def test_the_board_ranks_positions_by_fit_for_the_chosen_candidate(
    login, django_assert_max_num_queries
):
    candidate, made = _board_world()
    client = login("clair")

    with django_assert_max_num_queries(20):
        response = client.get(reverse("clair:board"), {"candidate": candidate.pk})

    rows = response.context["position_rows"]
    order = [row["position"].pk for row in rows]
    assert order == [
        made["ibaraki"].pk,
        made["hokkaido"].pk,
        made["declined"].pk,
        made["ibaraki_manual"].pk,
    ]
    page = response.content.decode()
    assert f'data-testid="unmet-{made["ibaraki_manual"].pk}"' in page
    assert "Does not meet: driving licence" in page
    assert f"Declined by {made['declined'].organisation.name} on " in page
    # Without a chosen candidate the board keeps its plain order.
    plain = client.get(reverse("clair:board")).context["position_rows"]
    assert [row["position"].pk for row in plain] != order
    with CaptureQueriesContext(connection) as board:
        filtered = client.get(reverse("clair:board"), {"p-prefecture": "08"})
    assert filtered.context["position_filter"].cleaned_data["prefecture"].code == "08"
    # Its two filters' prefecture selects (and the chosen one's check) share one read.
    prefecture_reads = [q for q in board.captured_queries if 'FROM "core_prefecture"' in q["sql"]]
    assert len(prefecture_reads) == 1, prefecture_reads


@pytest.mark.django_db
def test_the_api_ranks_positions_for_a_candidate_as_the_board_does(api_as):
    candidate, made = _board_world()

    response = api_as("clair").get("/api/v1/positions/fit/", {"candidate": candidate.pk})

    assert response.status_code == 200, response.content
    results = response.json()["results"]
    assert [r["position"]["id"] for r in results] == [
        made["ibaraki"].pk,
        made["hokkaido"].pk,
        made["declined"].pk,
        made["ibaraki_manual"].pk,
    ]
    assert results[0]["acceptable"] is True
    assert results[0]["preference_rank"] == 1
    assert results[2]["acceptable"] is False
    assert results[2]["declined"]["reason"] == REASON
    assert results[3]["unmet"] == "Does not meet: driving licence"
    assert results[3]["failures"][0]["code"] == matching.DRIVING_LICENCE
    # Only CLAIR ranks positions for a candidate.
    assert (
        api_as("co.hyogo").get("/api/v1/positions/fit/", {"candidate": candidate.pk}).status_code
        == 403
    )


@pytest.mark.django_db
def test_placing_a_declined_pair_by_hand_asks_first(clair):
    candidate, made = _board_world()
    warnings = services.placement_warnings(candidate, made["declined"])
    assert warnings[0].startswith(f"Declined by {made['declined'].organisation.name} on ")
