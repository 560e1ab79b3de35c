"""Status labels that tell the state of today, not of the day the row was last written
(issue 18, point 9): an ended contract, a placed applicant, a finished suggestion run."""

import re

from apps.core.models import User
from apps.placement import services
from apps.placement.documents import contract_pdf_html
from apps.placement.models import Contract, MatchingRun
from tests.placement.test_flow import _person, _placed


def _participant_contracts() -> dict[int, Contract]:
    """The demo participant's contracts by contract year: year 1 ended (its dates follow
    today's), year 2 in force."""
    contracts = Contract.objects.filter(placement__application__applicant__username="participant")
    return {contract.contract_year: contract for contract in contracts}


def test_the_demo_participants_first_year_contract_reads_as_ended(client_as):
    year_1, year_2 = _participant_contracts()[1], _participant_contracts()[2]
    assert year_1.status == Contract.Status.IN_FORCE  # the agreement as it was signed
    client = client_as("participant")

    versions = client.get("/participant/placement/").content.decode()
    assert re.search(r"<td>[^<]*</td>\s*<td>Ended</td>", versions)
    page = client.get(f"/participant/contracts/{year_1.pk}/").content.decode()
    assert '<span class="lead">Ended</span>' in page
    assert 'data-testid="contract-status">Ended<' in page

    page = client.get(f"/participant/contracts/{year_2.pk}/").content.decode()
    assert '<span class="lead">Countersigned, in force</span>' in page


def test_the_ended_contract_reads_as_ended_in_the_api_and_its_pdf(token_client):
    year_1 = _participant_contracts()[1]
    body = token_client("participant").get(f"/api/v1/contracts/{year_1.pk}/").json()
    assert (body["status"], body["status_label"]) == ("IN_FORCE", "Ended")

    html = contract_pdf_html(year_1)
    assert '<p class="status">終了 / Ended</p>' in html


def test_the_organisation_sees_the_ended_contract_as_ended(client_as):
    year_1 = _participant_contracts()[1]
    page = client_as("co.hyogo").get(f"/contracting/contracts/{year_1.pk}/").content.decode()
    assert 'data-testid="contract-status">Ended<' in page


def test_the_applicants_home_says_placed_once_an_organisation_accepted_them(client_as):
    placement = _placed(30)
    person = _person(placement)
    home = client_as(person.username).get("/mofa/applicant/").content.decode()
    assert 'data-testid="placement-card"' not in home  # CLAIR's proposal is not news yet
    assert re.search(r'data-testid="application-status"><strong>Shortlisted<', home)

    services.placement_accept(by=User.objects.get(username="co.hyogo"), placement=placement)

    client = client_as(person.username)
    home = client.get("/mofa/applicant/").content.decode()
    assert 'data-testid="placement-card"' in home
    assert re.search(r'data-testid="application-status"><strong>Placed<', home)
    status = client.get(f"/mofa/applicant/application/{placement.application_id}/").content.decode()
    assert re.search(r'data-testid="status"><strong>Placed<', status)


def test_a_finished_runs_page_takes_its_new_state_by_itself(
    client_as, django_capture_on_commit_callbacks
):
    clair = User.objects.get(username="clair")
    with django_capture_on_commit_callbacks() as callbacks:
        run = services.matching_run_start(by=clair)
    client = client_as("clair")

    running = client.get(f"/clair/placement/runs/{run.pk}/").content.decode()
    assert 'data-testid="run-state">Running<' in running
    # The page asks for itself, header and all, while the run runs; the progress card
    # inside it does not poll on its own.
    assert (
        f'<div id="run" hx-get="/clair/placement/runs/{run.pk}/" hx-trigger="every 1s" '
        'hx-select="#run" hx-swap="outerHTML">'
    ) in running
    assert running.count("hx-get=") == 1

    for callback in callbacks:
        callback()
    run.refresh_from_db()
    assert run.state == MatchingRun.State.READY

    finished = client.get(
        f"/clair/placement/runs/{run.pk}/", headers={"HX-Request": "true"}
    ).content.decode()
    assert 'data-testid="run-state">Ready for review<' in finished
    assert 'data-testid="run-stats"' in finished
    assert "hx-get=" not in finished.split('<div id="run"')[1].split(">")[0]
