"""apps.core.query_shapes keeps the SELECT, ORDER BY and FROM that Django worked out for a
list's query, per shape, and a query of the same shape takes them (issue 17). A kept
shape must never change what a query reads: a query that differs in anything those
clauses follow from gets its own, each user's rows stay theirs, and the check the test
settings turn on fails loudly where a key would let two different queries share one."""

import re

import pytest
from django.db.models import Count, Q, Sum
from django.db.models.sql import Query

from apps.core import access, query_shapes
from apps.core.models import Organisation
from apps.placement.models import Contract

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def no_kept_shapes():
    query_shapes._shapes.clear()
    query_shapes._froms.clear()
    yield
    query_shapes._shapes.clear()
    query_shapes._froms.clear()


def _django_sql(queryset) -> tuple[str, tuple]:
    """The SQL Django itself compiles for `queryset`."""
    query = queryset.query.chain(Query)
    sql, params = query.get_compiler(using="default").as_sql()
    return sql, tuple(params)


def _shaped_sql(queryset) -> tuple[str, tuple]:
    sql, params = query_shapes.by_shape(queryset).query.get_compiler(using="default").as_sql()
    return sql, tuple(params)


def test_settings_check_every_kept_shape():
    from django.conf import settings

    assert settings.QUERY_SHAPES_CHECK is True


def test_a_second_query_of_a_shape_takes_it_with_its_own_values():
    contracts = Contract.objects.select_related("placement__position__organisation").order_by(
        "placement__position__organisation__prefecture_id", "pk"
    )
    hyogo, sapporo = (
        Organisation.objects.get(name_en__startswith="Hyogo"),
        Organisation.objects.exclude(prefecture__code="28").filter(kind="CONTRACTING").first(),
    )
    first = contracts.filter(placement__position__organisation=hyogo)
    second = contracts.filter(placement__position__organisation=sapporo)

    assert _shaped_sql(first) == _django_sql(first)
    assert len(query_shapes._shapes) == 1
    assert len(query_shapes._froms) == 1
    # The same shape with another organisation's key: taken, and its own value bound.
    sql, params = _shaped_sql(second)
    assert len(query_shapes._shapes) == 1
    assert (sql, params) == _django_sql(second)
    assert sapporo.pk in params
    assert hyogo.pk not in params


def test_the_rows_of_a_kept_shape_are_each_query_s_own():
    shaped = query_shapes.by_shape(
        Contract.objects.select_related("placement__position__organisation").order_by("pk")
    )
    for organisation in Organisation.objects.filter(kind="CONTRACTING")[:4]:
        rows = list(shaped.filter(placement__position__organisation=organisation))
        expected = list(
            Contract.objects.filter(placement__position__organisation=organisation).order_by("pk")
        )
        assert [row.pk for row in rows] == [row.pk for row in expected]
        assert all(row.placement.position.organisation == organisation for row in rows)
    assert len(query_shapes._shapes) == 1


@pytest.mark.parametrize(
    "variant",
    [
        lambda qs: qs.order_by("-pk"),
        lambda qs: qs.order_by("placement__position__organisation__name_en"),
        lambda qs: qs.reverse(),
        lambda qs: qs.only("pk", "placement__position__organisation__name_en"),
        lambda qs: qs.defer("status"),
        lambda qs: qs.select_related(None).select_related("placement"),
        lambda qs: qs.select_related("placement__application__country"),
        lambda qs: qs.filter(placement__application__country__code="US"),
        lambda qs: qs.filter(placement__position__organisation__prefecture__code="28"),
        lambda qs: qs.exclude(placement__confirmed_by__isnull=True),
        lambda qs: qs.filter(placement__confirmed_by__isnull=True),
    ],
)
def test_a_query_that_differs_in_what_the_clauses_follow_from_gets_its_own_shape(variant):
    base = Contract.objects.select_related("placement__position__organisation").order_by("pk")
    assert _shaped_sql(base) == _django_sql(base)
    other = variant(base)
    assert _shaped_sql(other) == _django_sql(other)
    assert _shaped_sql(other) == _django_sql(other)  # and again, from its kept shape
    assert len(query_shapes._shapes) == 2


@pytest.mark.parametrize(
    "make",
    [
        lambda qs: qs.annotate(n=Count("placement")),
        lambda qs: qs.values("pk"),
        lambda qs: qs.values_list("pk", flat=True),
        lambda qs: qs.distinct(),
        lambda qs: qs.extra(select={"one": "1"}),
        lambda qs: qs.union(qs),
    ],
)
def test_a_query_the_shape_does_not_describe_is_compiled_as_django_does(make):
    queryset = make(Contract.objects.order_by("pk"))
    shaped = query_shapes.by_shape(queryset)
    assert list(shaped) == list(queryset)
    assert list(shaped) == list(queryset)
    assert query_shapes._shapes == {}


def test_the_check_fails_where_a_key_lets_two_queries_share_a_shape(monkeypatch):
    """What the suite relies on: a key that misses a difference is caught, not served."""
    monkeypatch.setattr(query_shapes, "shape_of", lambda compiler, aliases: ("one key",))
    _shaped_sql(Contract.objects.order_by("pk"))
    with pytest.raises(AssertionError, match="kept query shape"):
        _shaped_sql(Contract.objects.order_by("-pk"))


@pytest.mark.parametrize(
    "path",
    [
        "/api/v1/contracts/",
        "/api/v1/placements/",
        "/api/v1/applications/",
        "/api/v1/registrations/",
        "/api/v1/reappointment-cases/",
    ],
)
def test_api_lists_answer_each_user_as_they_do_without_kept_shapes(path, token_client):
    """Users of one list share its shapes (their grants are values): each still gets
    their own rows, the same answer as with every query compiled anew."""
    clients = {name: token_client(name) for name in ("clair", "co.hyogo", "participant")}
    shaped = {name: client.get(path).json() for name, client in clients.items()}
    kept = len(query_shapes._shapes)
    assert kept >= 1
    again = {name: client.get(path).json() for name, client in clients.items()}
    assert len(query_shapes._shapes) == kept  # every second request took a kept shape
    original = query_shapes.shape_of
    query_shapes.shape_of = lambda compiler, aliases: None
    try:
        usual = {name: client.get(path).json() for name, client in clients.items()}
    finally:
        query_shapes.shape_of = original
    assert shaped == again == usual
    assert usual["clair"] != usual["participant"]


def test_a_count_takes_its_shape_with_its_own_values():
    """`.count()` (a page's badges and totals): its FROM kept, its WHERE its own."""
    contracts = query_shapes.by_shape(Contract.objects.all())
    counts = {}
    holding = Contract.objects.values("placement__position__organisation")
    organisations = [
        *Organisation.objects.filter(pk__in=holding)[:3],
        Organisation.objects.filter(kind="CONTRACTING").exclude(pk__in=holding).first(),
    ]
    for organisation in organisations:
        counts[organisation.pk] = contracts.filter(
            placement__position__organisation=organisation
        ).count()
        assert counts[organisation.pk] == (
            Contract.objects.filter(placement__position__organisation=organisation).count()
        )
    assert len(query_shapes._shapes) == 1
    assert 0 in counts.values()
    assert max(counts.values()) > 0


@pytest.mark.parametrize(
    "aggregate",
    [
        {"n": Count("pk")},
        {"n": Count("pk", distinct=True)},
        {"n": Count("pk", filter=Q(status="SIGNED"))},
        {"n": Count("*"), "m": Count("placement")},
        {"n": Sum("contract_year")},
    ],
)
def test_an_aggregate_other_than_a_count_of_rows_is_compiled_as_django_does(aggregate):
    shaped = query_shapes.by_shape(Contract.objects.all())
    assert shaped.aggregate(**aggregate) == Contract.objects.aggregate(**aggregate)
    assert shaped.aggregate(**aggregate) == Contract.objects.aggregate(**aggregate)
    assert query_shapes._shapes == {}


def test_the_access_rule_marks_every_scoped_query(co_hyogo, participant, clair):
    """Pages read through `access.restrict`, so their queries take kept shapes too."""
    for user in (co_hyogo, participant, clair):
        queryset = access.restrict(Contract.objects.all(), user, "view")
        assert type(queryset.query) is query_shapes.ShapeQuery
    assert access.restrict(Contract.objects.all(), None, "view").count() == 0


def _page(client, path: str) -> str:
    html = client.get(path).content.decode()
    # A CSRF token is masked anew on each rendering.
    html = re.sub(r'name="csrfmiddlewaretoken" value="[^"]*"', "", html)
    return re.sub(r'"X-CSRFToken": "[^"]*"', "", html)


@pytest.mark.parametrize(
    ("username", "path"),
    [
        ("embassy.us", "/mofa/mission/applications/"),
        ("clair", "/clair/placement/"),
        ("participant", "/participant/"),
        ("participant", "/programme/schedule/"),
        ("co.hyogo", "/contracting/"),
    ],
)
def test_the_busiest_pages_show_what_they_show_without_kept_shapes(username, path, client_as):
    client = client_as(username)
    shaped = _page(client, path)
    kept = len(query_shapes._shapes)
    assert kept >= 1
    assert _page(client, path) == shaped
    assert len(query_shapes._shapes) == kept  # the second rendering took kept shapes
    original = query_shapes.shape_of
    query_shapes.shape_of = lambda compiler, aliases: None
    try:
        usual = _page(client, path)
    finally:
        query_shapes.shape_of = original
    assert shaped == usual
