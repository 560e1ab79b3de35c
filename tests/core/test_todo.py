"""The to-do panel on every workspace (issue 18, item 2): each kind of work that waits
on the person, with its count and a link to the page where it is done.

The expected counts are counted here straight from the tables, not through the
selectors the panel uses; each link must open for the account and show the rows it
counted; another organisation's rows never count; each home reads a flat number of
queries; the panel speaks Japanese."""

import re

import pytest
from django.db.models import Count, Q
from django.utils import timezone

from apps.core.models import Organisation, ProgrammeYear, User
from apps.placement.models import Contract, MatchingLine, MatchingRun, Placement, PositionRequest
from apps.reappointment.models import ReappointmentCase
from apps.recruitment.models import Application
from apps.safety.models import SafetyAnswer
from apps.support.models import SubsidyClaim, SupportCase

ITEM = re.compile(
    r'<li data-testid="todo-(?P<key>[\w-]+)" data-count="(?P<count>\d+)">'
    r'<a href="(?P<url>[^"]+)">(?P<text>[^<]+)</a></li>'
)


def panel(html: str) -> str:
    match = re.search(r'<section class="card todo".*?</section>', html, re.S)
    assert match, "the workspace has no to-do panel"
    return match.group(0)


def items(html: str) -> dict[str, dict]:
    return {m["key"]: m.groupdict() for m in ITEM.finditer(panel(html))}


def year() -> ProgrammeYear:
    from apps.core.selectors import programme_year_current

    return programme_year_current()


# --- what waits, counted from the tables -------------------------------------------------


def safety_rows(**where) -> dict[str, list]:
    """Need-help answers of open checks, by check: {"safety-<pk>": [answers]}."""
    rows: dict[str, list] = {}
    for answer in SafetyAnswer.objects.filter(
        safety_check__state="OPEN", status="NEED_HELP", **where
    ).select_related("participant"):
        rows.setdefault(f"safety-{answer.safety_check_id}", []).append(answer)
    return rows


def expected_rows(user: User) -> dict[str, list]:
    """Each kind of waiting work -> the rows it counts, for `user` (zero kinds left out)."""
    now = timezone.now()
    membership = getattr(user, "membership", None)
    organisation: Organisation | None = membership.organisation if membership else None
    kind = organisation.kind if organisation else user.person_role
    rows: dict[str, list] = {}
    open_case = Q(round__state="OPEN", may_continue=True)
    if kind == "CONTRACTING":
        rows["placements"] = list(
            Placement.objects.filter(status="CONFIRMED", position__organisation=organisation)
        )
        own_contracts = Contract.objects.filter(placement__position__organisation=organisation)
        rows["contracts-issue"] = list(own_contracts.filter(status="DRAFT"))
        rows["contracts-countersign"] = list(own_contracts.filter(status="SIGNED"))
        rows["reappointment"] = list(
            ReappointmentCase.objects.filter(
                open_case,
                Q(round__organisation_deadline__gte=now) | Q(reopened_until__gte=now),
                organisation=organisation,
                organisation_answer="",
            )
        )
        rows["positions-returned"] = list(
            PositionRequest.objects.filter(
                organisation=organisation, state="RETURNED", programme_year=year()
            )
        )
        rows["claims-check"] = list(
            SubsidyClaim.objects.filter(organisation=organisation, state="SUBMITTED")
        )
        rows.update(safety_rows(organisation=organisation))
        if membership.prefectural_advisor:
            rows["support-shared"] = list(
                SupportCase.objects.filter(
                    shared_at__isnull=False, host_organisation=organisation
                ).exclude(status="CLOSED")
            )
    elif kind == "CLAIR":
        rows.update(safety_rows())
        if membership.role == "MANAGER":
            rows["runs"] = list(
                MatchingRun.objects.filter(
                    state="READY",
                    lines__decision=MatchingLine.Decision.PROPOSED,
                    lines__position__isnull=False,
                ).distinct()
            )
        rows["claims-decide"] = list(SubsidyClaim.objects.filter(state="FORWARDED"))
        if membership.counsellor:
            rows["support-queue"] = list(
                SupportCase.objects.filter(status="NEW", assigned_to__isnull=True)
            )
            rows["support-mine"] = list(
                SupportCase.objects.filter(assigned_to=user).exclude(
                    status__in=("CLOSED", "WAITING")
                )
            )
    elif kind == "MISSION":
        undecided = Application.objects.filter(
            mission=organisation, programme_year=year(), results_released_at__isnull=True
        )
        rows["applications-screen"] = list(undecided.filter(status="SUBMITTED"))
        rows["applications-decide"] = list(undecided.filter(status="INTERVIEW"))
        rows.update(safety_rows(country=organisation.country))
    elif kind == "MIC":
        rows["positions-review"] = list(
            PositionRequest.objects.filter(state="REQUESTED", programme_year=year())
        )
    elif kind == "APPLICANT":
        own = (
            Application.objects.filter(applicant=user, programme_year=year())
            .exclude(status="WITHDRAWN")
            .first()
        )
        if own is not None:
            py = own.programme_year
            if own.status == "DRAFT" and py.applications_open <= now < py.application_deadline:
                rows["application-draft"] = [own]
            if own.status == "INTERVIEW" and not hasattr(own, "interview"):
                rows["interview-book"] = [own]
            if (
                own.status == "SHORTLISTED"
                and own.results_released_at
                and not hasattr(own, "reply")
            ):
                rows["offer-reply"] = [own]
        rows["placement-answer"] = list(
            Placement.objects.filter(status="ACCEPTED_BY_ORG", application__applicant=user)
        )
    elif kind == "PARTICIPANT":
        rows["contracts-sign"] = list(
            Contract.objects.filter(status="ISSUED", placement__application__applicant=user)
        )
        rows["placement-answer"] = list(
            Placement.objects.filter(status="ACCEPTED_BY_ORG", application__applicant=user)
        )
        rows["reappointment"] = list(
            ReappointmentCase.objects.filter(
                open_case,
                Q(round__participant_deadline__gte=now) | Q(reopened_until__gte=now),
                participant=user,
                participant_answer="",
            )
        )
        rows["claims-resubmit"] = list(
            SubsidyClaim.objects.filter(participant=user, state="RETURNED")
        )
        rows["support-reply"] = list(SupportCase.objects.filter(participant=user, status="WAITING"))
    return {key: value for key, value in rows.items() if value}


def markers(key: str, row, url: str) -> list[str]:
    """What the linked page shows of one counted row."""
    if key.startswith("safety-"):
        return [f'data-testid="answer-{row.participant.username}"']
    if key == "placements":
        return [f'data-testid="placement-{row.pk}"']
    if key in ("contracts-issue", "contracts-countersign"):
        return [f'data-testid="contract-link-{row.pk}"']
    if key == "contracts-sign":
        return [f"/participant/contracts/{row.pk}/"]
    if key == "reappointment":
        if url.startswith("/participant/"):
            return ['data-testid="question"']
        return [f'data-testid="case-{row.pk}"']
    if key.startswith("positions-"):
        return [f'data-testid="position-{row.pk}"']
    if key.startswith("claims-"):
        return [f'data-testid="subsidy-claim-{row.pk}"']
    if key.startswith("support-"):
        return [f"/support/{row.pk}/"]
    if key.startswith("applications-"):
        return [row.number]
    if key == "runs":
        return [f"/clair/placement/runs/{row.pk}/"]
    return []


ACCOUNTS = [
    "clair",
    "clair.manager",
    "clair.counsellor",
    "mofa",
    "embassy.us",
    "embassy.uk",
    "mic",
    "mext",
    "co.hyogo",
    "co.sapporo",
    "co.hyogo.advisor",
    "applicant",
    "participant",
]
# What the demo world leaves waiting on each account, at the least (the counts are
# checked against the tables for every account).
DEMO_KINDS = {
    "clair": {"safety", "claims-decide"},
    "clair.counsellor": {"safety", "support-queue", "support-mine"},
    "embassy.us": {"applications-screen", "applications-decide"},
    "mic": {"positions-review"},
    "co.hyogo": {"placements", "reappointment", "claims-check"},
    "co.hyogo.advisor": {"support-shared"},
    "co.sapporo": {"contracts-issue", "contracts-countersign", "positions-returned"},
    "participant": {"reappointment"},
    "applicant": {"interview-book"},
}


def workspace(client):
    response = client.get("/", follow=True)
    assert response.status_code == 200
    return response


@pytest.mark.parametrize("username", ACCOUNTS)
def test_the_panel_counts_what_waits(client_as, username):
    user = User.objects.get(username=username)
    expected = {key: len(rows) for key, rows in expected_rows(user).items()}
    shown = items(workspace(client_as(username)).content.decode())
    assert {key: int(entry["count"]) for key, entry in shown.items()} == expected
    kinds = {("safety" if key.startswith("safety-") else key) for key in shown}
    assert DEMO_KINDS.get(username, set()) <= kinds
    for entry in shown.values():
        # The count is in the link's text, where a screen reader reads it.
        assert entry["count"] in entry["text"]


@pytest.mark.parametrize("username", ACCOUNTS)
def test_each_link_opens_on_what_it_counts(client_as, username):
    user = User.objects.get(username=username)
    client = client_as(username)
    rows = expected_rows(user)
    for key, entry in items(workspace(client).content.decode()).items():
        url = entry["url"].replace("&amp;", "&")
        response = client.get(url)
        assert response.status_code == 200, (key, url)
        page = response.content.decode()
        found = [marker in page for row in rows[key] for marker in markers(key, row, url)]
        # Every counted row, or a full first page (50 rows) of a longer list.
        assert all(found) if len(found) <= 50 else sum(found) >= 50, (key, url)


@pytest.mark.parametrize("username", ["mofa", "mext"])
def test_nothing_waiting_reads_so(client_as, username):
    html = panel(workspace(client_as(username)).content.decode())
    assert 'data-testid="todo-empty"' in html
    assert "Nothing waits for you." in html
    assert "<ul" not in html


def test_another_organisations_work_is_not_counted(client_as):
    """Sapporo's staff count Sapporo's rows only, though Hyogo has some of each."""
    hyogo = Organisation.objects.get(name_en="Hyogo Prefectural Board of Education")
    sapporo = User.objects.get(username="co.sapporo").membership.organisation
    shown = items(workspace(client_as("co.sapporo")).content.decode())
    placements = Placement.objects.filter(status="CONFIRMED")
    assert placements.filter(position__organisation=hyogo).exists()
    assert (
        int(shown["placements"]["count"])
        == placements.filter(position__organisation=sapporo).count()
    )
    claims = SubsidyClaim.objects.filter(state="SUBMITTED")
    assert claims.filter(organisation=hyogo).exists()
    assert (
        int(shown.get("claims-check", {"count": 0})["count"])
        == claims.filter(organisation=sapporo).count()
    )
    # Hyogo's re-appointment answers are not Sapporo's to give.
    assert "reappointment" not in shown or int(shown["reappointment"]["count"]) == (
        ReappointmentCase.objects.filter(organisation=sapporo, organisation_answer="").count()
    )
    # Nor does a mission count another country's people in a safety check.
    uk = items(workspace(client_as("embassy.uk")).content.decode())
    us = items(workspace(client_as("embassy.us")).content.decode())
    by_country = dict(
        SafetyAnswer.objects.filter(safety_check__state="OPEN", status="NEED_HELP")
        .values_list("country_id")
        .annotate(n=Count("pk"))
    )
    assert sum(int(e["count"]) for k, e in uk.items() if k.startswith("safety-")) == (
        by_country.get("GB", 0)
    )
    assert sum(int(e["count"]) for k, e in us.items() if k.startswith("safety-")) == (
        by_country.get("US", 0)
    )


# Each home's queries, whatever waits: a flat number, a few above what each read when
# the panel came (11, 12, 12, 7, 9, 9, 8, 6, 13, 13, 14, 11, 15): one query per kind of
# work at most, never one per row.
QUERY_LIMITS = {
    "clair": 14,
    "clair.manager": 15,
    "clair.counsellor": 15,
    "mofa": 10,
    "embassy.us": 12,
    "embassy.uk": 12,
    "mic": 11,
    "mext": 9,
    "co.hyogo": 16,
    "co.sapporo": 16,
    "co.hyogo.advisor": 17,
    "applicant": 14,
    "participant": 18,
}


@pytest.mark.parametrize("username", QUERY_LIMITS)
def test_each_home_reads_a_flat_number_of_queries(
    client_as, username, django_assert_max_num_queries
):
    client = client_as(username)
    url = workspace(client).redirect_chain[-1][0]
    client.get(url)  # the session and the permission caches warm
    with django_assert_max_num_queries(QUERY_LIMITS[username]):
        assert client.get(url).status_code == 200


@pytest.mark.parametrize(
    ("username", "heading", "fragment"),
    [
        ("co.hyogo", "あなたの対応待ち", "回答を待っている配置"),
        ("embassy.us", "あなたの対応待ち", "審査する提出済みの応募"),
        ("mext", "あなたの対応待ち", "対応待ちの作業はありません。"),
    ],
)
def test_the_panel_in_japanese(client_as, username, heading, fragment):
    user = User.objects.get(username=username)
    user.language = "ja"
    user.save(update_fields=["language"])
    response = client_as(username).get("/", follow=True)
    html = panel(response.content.decode())
    assert heading in html
    assert fragment in html
    assert "Waiting for you" not in html
    assert "Nothing waits" not in html


def test_a_finished_suggestion_run_waits_on_clair_managers(client_as):
    """A run ready for review with proposed lines waits on the managers who approve it,
    not on CLAIR's other staff."""
    manager = User.objects.get(username="clair.manager")
    run = MatchingRun.objects.create(
        programme_year=year(), state=MatchingRun.State.READY, started_by=manager
    )
    position = PositionRequest.objects.filter(state="APPROVED", programme_year=year()).first()
    application = Application.objects.filter(status="FORWARDED").first()
    MatchingLine.objects.create(
        run=run, application=application, proposed_position=position, position=position
    )
    shown = items(workspace(client_as("clair.manager")).content.decode())
    assert int(shown["runs"]["count"]) == len(expected_rows(manager)["runs"]) >= 1
    page = client_as("clair.manager").get(shown["runs"]["url"]).content.decode()
    assert f"/clair/placement/runs/{run.pk}/" in page
    assert "runs" not in items(workspace(client_as("clair")).content.decode())
