"""Every factory makes a row the application could hold: it passes the model's own
validation and the database's constraints, and each trait gives its state."""

import pytest
from django.apps import apps

from apps.core.models import Kind
from apps.placement.models import Contract, Placement
from apps.recruitment.models import Application
from tests import factories

FACTORIES = [
    getattr(factories, name)
    for name in dir(factories)
    if name.endswith("Factory")
    and hasattr(getattr(factories, name), "_meta")
    and getattr(getattr(factories, name)._meta, "model", None) is not None
]


@pytest.mark.parametrize("factory", FACTORIES, ids=lambda f: f.__name__)
def test_each_factory_makes_a_valid_row(db, factory):
    row = factory()
    row.full_clean()
    assert type(row).objects.filter(pk=row.pk).exists()


def test_every_model_a_test_builds_has_a_factory():
    """A factory per model of the domain apps that holds people's or programme data."""
    made = {factory._meta.model for factory in FACTORIES}
    wanted = {
        apps.get_model(label)
        for label in [
            "core.programmeyear",
            "core.organisation",
            "recruitment.application",
            "recruitment.acceptancenumber",
            "recruitment.interviewslot",
            "placement.positionrequest",
            "placement.placement",
            "placement.contract",
            "events.event",
            "events.registration",
            "reappointment.reappointmentround",
            "support.supportcase",
            "support.subsidyclaim",
            "learning.courseintake",
            "learning.librarydocument",
            "outreach.thread",
            "outreach.promotionactivity",
            "safety.safetycheck",
            "safety.safetyanswer",
            "finance.travelallowance",
            "finance.allocationtaxrate",
        ]
    }
    assert wanted <= made


def test_traits_give_their_states(db):
    assert factories.ApplicationFactory(forwarded=True).status == Application.Status.FORWARDED
    placement = factories.PlacementFactory(accepted=True)
    assert placement.status == Placement.Status.ACCEPTED
    assert placement.position.programme_year == placement.application.programme_year
    contract = factories.ContractFactory(in_force=True)
    assert contract.status == Contract.Status.IN_FORCE
    assert contract.start_date < contract.end_date
    assert factories.OrganisationFactory(mission=True).kind == Kind.MISSION
    manager = factories.StaffFactory(manager=True)
    assert manager.is_manager
    assert manager.organisation.group in manager.groups.all()
    assert factories.PersonFactory(participant=True).kind == Kind.PARTICIPANT
    assert factories.SafetyCheckFactory(closed=True).closed_at is not None
