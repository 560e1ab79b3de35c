"""A row read from the database becomes the instance Django would have made, without
`Model.__init__` (apps/core/loading.py); where `__init__` could do more, it is used."""

import pytest
from django.apps import apps
from django.db import models
from django.db.models.signals import post_init
from django.test.utils import isolate_apps
from guardian.models import GroupObjectPermissionBase, UserObjectPermissionBase

from apps.core.loading import RowLoading, _attnames
from apps.placement.models import Contract
from tests.factories import ContractFactory

# What a contracts list reads: the contract, its placement, candidate, user, position and
# organisation, in one query.
JOINS = ("placement__application__applicant", "placement__position__organisation")


def _project_models():
    for model in apps.get_models():
        if not model.__module__.startswith("apps."):
            continue
        if issubclass(model, UserObjectPermissionBase | GroupObjectPermissionBase):
            continue  # guardian's grant tables: read by the access rule's SQL, not as rows
        if model.__name__.startswith("Historical"):
            continue  # simple_history's, made by the package
        yield model


def test_every_model_of_the_project_loads_its_rows_without_init():
    found = list(_project_models())
    assert len(found) > 40
    for model in found:
        assert issubclass(model, RowLoading), model
        assert _attnames(model) is not None, model  # no column needs __init__ today


def _instances(contract):
    placement = contract.placement
    application = placement.application
    position = placement.position
    return [
        contract,
        placement,
        application,
        application.applicant,
        position,
        position.organisation,
    ]


def _as_django_made(queryset):
    """The same rows made by Model.__init__: a post_init receiver sends them that way."""
    heard = []

    def receiver(sender, instance, **kwargs):
        heard.append(instance)

    post_init.connect(receiver, weak=False)
    try:
        rows = list(queryset.all())  # a fresh read, not the cache of an earlier one
    finally:
        post_init.disconnect(receiver)
    return rows, heard


def _columns(obj):
    return {key: value for key, value in obj.__dict__.items() if key != "_state"}


@pytest.mark.parametrize("narrowed", [False, True], ids=["every column", "only()"])
def test_a_row_read_is_the_instance_django_would_make(db, monkeypatch, narrowed):
    contract = ContractFactory()
    queryset = Contract.objects.select_related(*JOINS).filter(pk=contract.pk)
    if narrowed:
        queryset = queryset.only(
            "status",
            "placement__status",
            "placement__application__family_name",
            "placement__application__applicant__username",
            "placement__position__municipality",
            "placement__position__organisation__name_en",
        )
    made_by_init = []
    original_init = models.Model.__init__

    def counting_init(self, *args, **kwargs):
        made_by_init.append(self)
        original_init(self, *args, **kwargs)

    monkeypatch.setattr(models.Model, "__init__", counting_init)
    (ours,) = list(queryset.all())
    assert made_by_init == []
    monkeypatch.setattr(models.Model, "__init__", original_init)

    (djangos,), heard = _as_django_made(queryset)
    assert len(heard) == 6  # every instance went through __init__ and post_init

    for mine, theirs in zip(_instances(ours), _instances(djangos), strict=True):
        assert type(mine) is type(theirs)
        assert mine is not theirs
        assert _columns(mine) == _columns(theirs)
        assert mine._state.adding is False
        assert mine._state.db == "default"
        assert mine.get_deferred_fields() == theirs.get_deferred_fields()
        assert mine == theirs
    if narrowed:
        assert "remuneration" in ours.get_deferred_fields()
        assert ours.remuneration == djangos.remuneration  # a deferred column still loads
    # Loaded so, an instance saves as any other.
    ours.placement.position.organisation.municipality = "Renamed"
    ours.placement.position.organisation.save(update_fields=["municipality"])
    ours.placement.position.organisation.refresh_from_db()
    assert ours.placement.position.organisation.municipality == "Renamed"


def test_a_receiver_of_post_init_hears_every_row_read(db):
    made = [ContractFactory().pk, ContractFactory().pk]
    rows, heard = _as_django_made(Contract.objects.select_related(*JOINS).filter(pk__in=made))
    assert len(rows) == 2
    assert len(heard) == 12
    assert {id(obj) for row in rows for obj in _instances(row)} == {id(obj) for obj in heard}


class Shouting(models.CharField):
    """A column whose attribute changes the value it is given."""

    class descriptor_class:  # noqa: N801 (Django's attribute name)
        def __init__(self, field):
            self.field = field

        def __get__(self, instance, owner=None):
            return self if instance is None else instance.__dict__[self.field.attname]

        def __set__(self, instance, value):
            instance.__dict__[self.field.attname] = value.upper()


@isolate_apps("apps.core")
def test_a_model_whose_column_does_more_when_set_loads_through_init():
    class Loud(RowLoading, models.Model):  # noqa: DJ008 (never shown)
        word = Shouting(max_length=10)

        class Meta:
            app_label = "core"

    class Quiet(RowLoading, models.Model):  # noqa: DJ008 (never shown)
        word = models.CharField(max_length=10)

        class Meta:
            app_label = "core"

    assert _attnames(Loud) is None
    assert Loud.from_db("default", ["id", "word"], (1, "hello")).word == "HELLO"
    assert _attnames(Quiet) == ("id", "word")
    assert Quiet.from_db("default", ["id", "word"], (1, "hello")).word == "hello"


def test_linked_keys_reads_what_the_many_to_many_holds_by_one_fixed_query(db):
    """A page that shows a many-to-many's ids reads them from the link table alone; the
    SQL is the same for any number of keys (one array parameter)."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from apps.core.loading import linked_keys
    from apps.core.models import Prefecture
    from apps.safety.models import SafetyCheck
    from tests.factories import SafetyCheckFactory

    codes = list(Prefecture.objects.order_by("pk").values_list("pk", flat=True)[:3])
    assert len(codes) == 3
    two, one, none = SafetyCheckFactory(), SafetyCheckFactory(), SafetyCheckFactory()
    two.prefectures.set(codes[:2])
    one.prefectures.set(codes[2:])
    with CaptureQueriesContext(connection) as captured:
        found = linked_keys(SafetyCheck.prefectures, [two.pk, one.pk, none.pk])
        alone = linked_keys(SafetyCheck.prefectures, [one.pk])
    assert {key: sorted(linked) for key, linked in found.items()} == {
        two.pk: codes[:2],
        one.pk: codes[2:],
        none.pk: [],
    }
    assert alone == {one.pk: codes[2:]}
    assert len(captured) == 2
    assert all("= ANY(" in query["sql"] and " JOIN " not in query["sql"] for query in captured)
    with CaptureQueriesContext(connection) as captured:
        assert linked_keys(SafetyCheck.prefectures, []) == {}
    assert len(captured) == 0
    with pytest.raises(ValueError, match="side that declares it"):
        linked_keys(Prefecture.safety_checks, [codes[0]])
