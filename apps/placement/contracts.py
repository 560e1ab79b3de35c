"""The rules that fix a contract's terms (reference/jet-facts.md): the term starts on the
arrival group's date and lasts one year; the pay is the salary scale's step for the
contract year. Used when a candidate accepts a placement and, later, on re-appointment."""

import datetime

from django.utils.translation import gettext as _

from apps.core.errors import DomainError
from apps.placement.models import Placement, SalaryStep

# April arrivals travel in early April (jet-facts.md: 5 April); late travellers (upgraded
# alternates) leave about four weeks after Group B.
EARLY_DEPARTURE = (4, 5)
LATE_AFTER_GROUP_B = datetime.timedelta(weeks=4)


def arrival_date(programme_year, arrival_group: str) -> datetime.date:
    group = Placement.ArrivalGroup
    if arrival_group == group.EARLY:
        return datetime.date(programme_year.year, *EARLY_DEPARTURE)
    if arrival_group == group.B:
        return programme_year.departure_group_b
    if arrival_group == group.LATE:
        return programme_year.departure_group_b + LATE_AFTER_GROUP_B
    return programme_year.departure_group_a


def one_year_from(start: datetime.date) -> datetime.date:
    """The last day of a one-year term starting on `start` (29 February safe)."""
    try:
        anniversary = start.replace(year=start.year + 1)
    except ValueError:
        anniversary = start.replace(year=start.year + 1, day=28) + datetime.timedelta(days=1)
    return anniversary - datetime.timedelta(days=1)


def remuneration_for(programme_year, contract_year: int) -> int:
    step = SalaryStep.objects.filter(
        programme_year=programme_year, contract_year=contract_year
    ).first()
    if step is None:
        raise DomainError(
            _("The salary scale of %(year)s has no step for contract year %(step)s.")
            % {"year": programme_year.year, "step": contract_year}
        )
    return step.annual_yen


def first_contract_terms(placement: Placement) -> dict:
    """The terms of a new participant's first contract (contract year 1)."""
    year = placement.application.programme_year
    start = arrival_date(year, placement.arrival_group)
    return {
        "contract_year": 1,
        "start_date": start,
        "end_date": one_year_from(start),
        "remuneration": remuneration_for(year, 1),
    }


def contract_grant(contract) -> None:
    """Who may see a contract: its organisation (which also edits it) and the participant;
    CLAIR reads every contract by its kind (access.KIND_PERMISSIONS)."""
    from apps.core import access

    organisation = contract.placement.position.organisation
    access.grant("view", contract, organisation)
    access.grant("change", contract, organisation)
    access.grant_user("view", contract, contract.placement.application.applicant)


def contract_draft_create(placement: Placement, terms: dict):
    """A draft contract for `placement` with `terms`, visible to both parties. Called
    inside the acting service's transaction."""
    from apps.placement.models import Contract

    latest = Contract.objects.filter(placement=placement).order_by("-version").first()
    contract = Contract.objects.create(
        placement=placement, version=(latest.version + 1) if latest else 1, **terms
    )
    contract_grant(contract)
    return contract
