"""A list reads the columns its serializer shows, and joins only the tables they are in.

Selectors join generously (a detail page shows much); a page of fifty rows that joined
nine whole tables cost more in PostgreSQL's planner and in building model instances than
in anything it showed. `narrow` reads the serializer's field sources
("position.organisation.name"): a field of the model is one column, a relation is a join
with its key, `get_<field>_display` its field, a property or method marked with `@reads`
(apps/core/reads.py) the columns it names, and anything else (a property, a method, a
method field of the serializer) every column of the model it is on. A property that reads
a relation would then cost a query per row: tests/api/test_list_queries.py holds every
list's query count flat in the number of rows.

PostgreSQL's planner takes time that grows fast with the tables of a join: a
re-appointment case's row (seven tables and the grants) took 10 ms to plan and 0.7 ms to
run. So a list joins, in its own query, only what its order needs; each other relation it
shows, when there are more than JOINS_PLANNED of them, is read by a query of its own over
the page's keys after its rows (_PageRows, narrowed the same way), each planned in a
fraction of a millisecond. The number of queries stays flat in the number of rows.
"""

import functools
from operator import attrgetter

from django.core.exceptions import FieldDoesNotExist
from django.db import connections, models
from django.db.models.expressions import RawSQL
from django.db.models.lookups import In, Lookup
from django.db.models.query import ModelIterable, get_related_populators
from django.db.models.sql import Query
from django.db.models.sql.datastructures import Join
from django.db.models.sql.where import WhereNode
from rest_framework import serializers

from apps.core.api import fields as api_fields
from apps.core.query_shapes import ShapeQuery, by_shape
from apps.core.reads import columns_read

EVERY = "*"
# Joins a list's own query may take before its relations are read by queries of their own
# (bench/load.py: at three, one query is still cheaper than two).
JOINS_PLANNED = 3
# The same for a relation read apart: its query is filtered by the page's keys alone, no
# grants, so more joins plan quickly there (a contract's placement, candidate and
# organisation: one query, where two were 2-6% slower in one process, alternating).
JOINS_APART = 5


def narrow(queryset: models.QuerySet, serializer_class, *, long: bool = False) -> models.QuerySet:
    """`queryset` with only the joins and columns `serializer_class` reads; unchanged
    where the serializer reads what no field source names (its own `to_representation`,
    a nested list). A `long` list's page finds its keys first (_KeysFirst)."""
    plan = _plan(queryset.model, serializer_class)
    if plan is not None:
        joins, columns = plan
        queryset = _split(queryset, joins, columns, _joined(queryset))
    if long and issubclass(queryset._iterable_class, ModelIterable) and _by_keys(queryset):
        queryset._iterable_class = _keys_first(queryset._iterable_class)
    return by_shape(queryset)


def _by_keys(queryset) -> bool:
    """Whether the rows are those of a list of keys (`pk IN (<the grants>)`): PostgreSQL
    then finds every one of them before it sorts. A list ordered by an index of its own
    (CLAIR's 20,000 placements) reads its first page from the index and stops; reading
    its keys first made it slower (12 ms to 16, in one process, alternating)."""
    pk = queryset.model._meta.pk
    nodes = [queryset.query.where]
    while nodes:
        node = nodes.pop()
        if isinstance(node, WhereNode):
            nodes.extend(node.children)
        elif (
            isinstance(node, In)
            and getattr(node.lhs, "target", None) == pk
            and isinstance(node.rhs, RawSQL | Query)
        ):
            return True
    return False


@functools.cache
def _keys_first(iterable_class):
    if issubclass(iterable_class, _KeysFirst):
        return iterable_class
    return type("KeysFirst", (_KeysFirst, iterable_class), {})


class _KeysFirst(ModelIterable):
    """A page of a long list: its keys found by a query that joins only what the filter
    and the order need, and its rows, with their joins, read for those keys alone.

    PostgreSQL joins a row's relations before it sorts and keeps a page, so a mission's
    page of 50 of its 2,226 placements joined 2,226 candidates and positions (26 ms,
    7 without the joins); here it joins 51. A short list pays for the second query's
    planning and gains nothing, so only a list known to be long reads its pages so
    (apps/core/api/permissions.py remembers each list's count)."""

    def __iter__(self):
        queryset = self.queryset
        query = queryset.query
        rows_class = next(k for k in type(self).__mro__[1:] if not issubclass(k, _KeysFirst))
        if (
            query.high_mark is None
            or query.annotations
            or query.distinct
            or query.combinator
            or query.extra
            or query.extra_order_by
            or not all(isinstance(item, str) for item in query.order_by)
        ):
            yield from rows_class(queryset, self.chunked_fetch, self.chunk_size)
            return
        keys = queryset.values_list("pk")
        page = queryset.model._base_manager.using(queryset.db).filter(pk__in=keys)
        page.query = page.query.chain(ShapeQuery)
        page.query.select_related = query.select_related
        page.query.deferred_loading = query.deferred_loading
        page.query.default_ordering = query.default_ordering
        page.query.order_by = query.order_by
        page._iterable_class = rows_class
        page._known_related_objects = queryset._known_related_objects
        yield from rows_class(page, self.chunked_fetch, self.chunk_size)


def _split(queryset, joins, columns, needed: set[str], budget: int = JOINS_PLANNED):
    """Select-related the joins under the hops in `needed` (and all of them when they are
    few); read the others after the page, each by a query of its own narrowed in turn."""
    hops = sorted({join.split("__")[0] for join in joins})
    kept_hops = _kept(hops, joins, needed, budget)
    moved = tuple(hop for hop in hops if hop not in kept_hops)
    kept = [join for join in joins if join.split("__")[0] not in moved]
    own = [column for column in columns if "__" not in column or column.split("__")[0] not in moved]
    queryset = queryset.select_related(None).only(*own)
    if kept:  # select_related() of nothing would follow every foreign key
        queryset = queryset.select_related(*kept)
    if not moved:
        return queryset
    reads = tuple(_moved(queryset.model, hop, tuple(joins), tuple(columns)) for hop in moved)
    if not issubclass(queryset._iterable_class, ModelIterable):
        prefetches = (models.Prefetch(field.name, related) for field, related in reads)
        return queryset.prefetch_related(*prefetches)
    # Narrowed again, a query's rows read the relations of its new plan only.
    rows = next(
        k for k in queryset._iterable_class.__mro__ if not issubclass(k, _PageRows | _KeysFirst)
    )
    queryset._iterable_class = _rows_then(rows, reads)
    return queryset


@functools.cache
def _moved(model, hop: str, joins: tuple[str, ...], columns: tuple[str, ...]):
    """The relation `hop` of `model` and the narrowed query that reads it, once per plan."""
    inner = hop + "__"
    field = model._meta.get_field(hop)
    related = field.related_model
    return field, _split(
        related._base_manager.order_by(),
        [join.removeprefix(inner) for join in joins if join.startswith(inner)],
        [column.removeprefix(inner) for column in columns if column.startswith(inner)],
        set(),
        JOINS_APART,
    )


@functools.cache
def _rows_then(iterable_class, reads):
    """`iterable_class`, reading after its rows each relation of `reads` by a query of
    its own over the rows' keys."""
    return type("PageRows", (_PageRows, iterable_class), {"reads": reads})


class _PageRows(ModelIterable):
    """A page's rows, and then each relation `narrow` moved out of their query, read by
    one query over the page's keys. Django's prefetch_related did the same in a general
    way: it writes each key as a one-column tuple, `(id) IN ((%s), (%s), ...)`, and walks
    its lookup machinery for what is here a plain foreign key (3% of CLAIR's contracts
    page, 9% of its re-appointment cases', measured in one process, alternating)."""

    reads: tuple = ()

    def __iter__(self):
        rows = list(super().__iter__())
        for field, related in self.reads:
            _attach(rows, field, related)
        yield from rows


def _attach(rows: list, field, related: models.QuerySet) -> None:
    key_of = attrgetter(field.attname)
    keys = {key_of(row) for row in rows}
    keys.discard(None)
    found = {}
    if keys:
        target = field.target_field
        key_of_found = attrgetter(target.attname)
        apart = _apart(related, target.name, related.db)
        found = {key_of_found(obj): obj for obj in apart.read(keys)}
    for row in rows:
        field.set_cached_value(row, found.get(key_of(row)))


class _AnyOf(Lookup):
    """`column = ANY(%s)` with the keys as one array: the SQL is the same for any number
    of keys, so a relation read apart is compiled once (_Apart)."""

    lookup_name = "any_of"
    prepare_rhs = False

    def get_db_prep_lookup(self, value, connection):
        return "%s", [value]

    def as_sql(self, compiler, connection):
        lhs, lhs_params = self.process_lhs(compiler, connection)
        rhs, rhs_params = self.process_rhs(compiler, connection)
        return f"{lhs} = ANY({rhs})", (*lhs_params, *rhs_params)


_KEYS = object()  # where the page's keys go among a compiled read's parameters


@functools.cache
def _apart(related: models.QuerySet, target: str, using: str) -> "_Apart":
    return _Apart(related, target, using)


class _Apart:
    """A relation read apart, compiled once per process: the ORM compiled the same query
    for every page (a re-appointment case's placement and round, 0.2-0.4 ms each in one
    process, as much as PostgreSQL took to plan and run them). The compiler's plan of
    columns and relations is kept with the SQL, and each page's rows are built from it as
    Django's ModelIterable builds them."""

    def __init__(self, related: models.QuerySet, target: str, using: str):
        self.using = using
        self.query = related.filter(_AnyOf(models.F(target), _KEYS)).query
        compiler = self.query.get_compiler(using=using)
        self.sql, params = compiler.as_sql()
        self.params = list(params)
        self.keys_at = next(at for at, param in enumerate(self.params) if param is _KEYS)
        self.state = {
            name: getattr(compiler, name)
            for name in ("select", "klass_info", "annotation_col_map", "col_count")
        }
        self.state["has_extra_select"] = compiler.has_extra_select

    def read(self, keys) -> list[models.Model]:
        params = list(self.params)
        params[self.keys_at] = list(keys)
        connection = connections[self.using]
        with connection.cursor() as cursor:
            cursor.execute(self.sql, params)
            fetched = cursor.fetchall()
        compiler = self.query.get_compiler(using=self.using)
        compiler.__dict__.update(self.state)
        select, klass_info = compiler.select, compiler.klass_info
        start, end = klass_info["select_fields"][0], klass_info["select_fields"][-1] + 1
        init_list = [column[0].target.attname for column in select[start:end]]
        populators = get_related_populators(klass_info, select, self.using)
        model = klass_info["model"]
        objs = []
        for row in compiler.results_iter([fetched]):
            obj = model.from_db(self.using, init_list, row[start:end])
            for populator in populators:
                populator.populate(row, obj)
            for name, at in (compiler.annotation_col_map or {}).items():
                setattr(obj, name, row[at])
            objs.append(obj)
        return objs


def _kept(hops: list[str], joins: list[str], needed: set[str], budget: int) -> set[str]:
    """The hops joined in the query itself: those its order needs, then the others,
    smallest first, while the query's joins stay within `budget`. A query saved is
    worth more than a join: each costs a round trip, its planning and the ORM's compiling
    (a participant's contracts took four queries, one per hop, for two rows)."""
    size = {hop: sum(1 for join in joins if join.split("__")[0] == hop) for hop in hops}
    kept = {hop for hop in hops if hop in needed}
    room = budget - sum(size[hop] for hop in kept)
    for hop in sorted(hops, key=lambda hop: (size[hop], hop)):
        if hop not in kept and size[hop] <= room:
            kept.add(hop)
            room -= size[hop]
    return kept


def _joined(queryset) -> set[str]:
    """The relations of the model that the query joins already or that its order needs."""
    query = queryset.query
    base = query.get_initial_alias() if query.alias_map else None
    hops = {
        join.join_field.name
        for join in query.alias_map.values()
        if isinstance(join, Join) and join.parent_alias == base
    }
    order = list(query.order_by) or (
        list(query.get_meta().ordering) if query.default_ordering else []
    )
    meta = queryset.model._meta
    for item in order:
        if not isinstance(item, str):
            return {field.name for field in meta.concrete_fields if field.is_relation}
        name = item.lstrip("-?").split("__")[0]
        try:
            field = meta.get_field(name)
        except FieldDoesNotExist:
            continue
        if field.is_relation and name != field.attname:  # by its key's column: no join
            hops.add(field.name)
    return hops


@functools.cache
def _plan(model, serializer_class) -> tuple[list[str], list[str]] | None:
    """The joins and columns, once per serializer: its fields are fixed by its class."""
    plan = _Plan()
    if not plan.serializer(model, serializer_class(), ""):
        return None
    return sorted(plan.joins), plan.columns()


class _Plan:
    def __init__(self):
        self.joins: set[str] = set()
        self.models: dict[str, type[models.Model]] = {}
        self.named: set[str] = set()

    def columns(self) -> list[str]:
        columns = set(self.named)
        for prefix, model in self.models.items():
            columns.update(f"{prefix}{field.name}" for field in model._meta.concrete_fields)
        return sorted(columns)

    def every(self, model, prefix: str) -> None:
        self.models[prefix] = model

    def serializer(self, model, serializer, prefix: str) -> bool:
        self.named.add(f"{prefix}{model._meta.pk.name}")
        if type(serializer).to_representation not in _FIELDS_ONLY:
            return False  # it reads what it likes
        if not serializer.fields:
            return False  # a name for the schema; the rows are written otherwise
        for name, field in serializer.fields.items():
            if isinstance(field, serializers.ListSerializer):
                return False
            if isinstance(field, serializers.SerializerMethodField):
                self.every(model, prefix)
                continue
            source = field.source or name
            if source == EVERY:
                if isinstance(field, serializers.Serializer):
                    if not self.serializer(model, field, prefix):
                        return False
                else:
                    self.every(model, prefix)
                continue
            if not self.source(model, source.split("."), prefix, field):
                return False
        return True

    def source(self, model, parts: list[str], prefix: str, field) -> bool:
        name, rest = parts[0], parts[1:]
        try:
            model_field = model._meta.get_field(name)
        except FieldDoesNotExist:
            model_field = next((f for f in model._meta.concrete_fields if f.attname == name), None)
        if model_field is None and name.startswith("get_") and name.endswith("_display"):
            self.named.add(f"{prefix}{name[4:-8]}")
            return True
        if model_field is None:  # a property or method of the model
            marked = columns_read(model, name) if not rest else None
            if marked is None:
                self.every(model, prefix)
            else:
                self.named.update(f"{prefix}{column}" for column in marked)
            return True
        if model_field.is_relation and (model_field.many_to_many or model_field.one_to_many):
            return False
        if not model_field.is_relation or (not rest and not _nested(field)):
            self.named.add(f"{prefix}{model_field.name}")
            return True
        if not model_field.concrete:  # a reverse one-to-one
            return False
        path = f"{prefix}{model_field.name}"
        self.named.add(path)
        self.joins.add(path)
        related = model_field.related_model
        if rest:
            return self.source(related, rest, f"{path}__", field)
        return self.serializer(related, field, f"{path}__")


# The to_representations that read a row through its fields' sources and nothing else.
_FIELDS_ONLY = (serializers.Serializer.to_representation, api_fields.Serializer.to_representation)


def _nested(field) -> bool:
    return isinstance(field, serializers.Serializer)
