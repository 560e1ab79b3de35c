"""A list's query is compiled once per shape, not once per request.

Every API list request builds the same query but for its values (the user's key, the
page's bounds), and Django works out its SELECT and ORDER BY clauses anew each time:
which columns each `select_related` table gives, which joins an order over relations
(`organisation__prefecture_id`) needs. For a scoped list that was most of the difference
between it and a list of one small table (bench/load.py). Neither clause depends on a
value: they follow from the model, the columns asked for, the relations selected, the
order and the joins the filters made. So `ShapeQuery` keeps, per shape of those, what
Django's `pre_sql_setup` worked out (the selected columns, the order, the joins it added),
and a query of the same shape takes them; its WHERE, FROM, LIMIT and their values are
compiled as ever, so no row is chosen from a kept part.

`access.restrict` marks every scoped query, so the pages' queries take kept shapes as the
API lists' do; `.count()` (a page's badges and totals) is kept too: its one COUNT(*) is a
column like any other. A query with anything else the shape does not describe
(annotations, other aggregates, extra, grouping, DISTINCT, a union, values(), filtered
relations, an order by expression) is compiled as Django always does.

With `QUERY_SHAPES_CHECK` on (the test settings), each query that took a kept shape is
compiled the usual way as well and must give the same SQL and parameters: the whole
suite checks the shape's key.
"""

import functools

from django.conf import settings
from django.db.models import Count
from django.db.models.expressions import Star
from django.db.models.sql import Query

# Shapes are few (a list's code paths times its users' kinds), but a process must not
# grow without bound if some caller made many: past this, start again.
SHAPES_KEPT = 512
_shapes: dict = {}
# The FROM clause of each shape, once it has been compiled: its joins are the kept ones,
# and writing each join's ON clause asks every key column its database type (a new
# field object each time, for a foreign key).
_froms: dict = {}


def _frozen(select_related):
    if isinstance(select_related, dict):
        return tuple(sorted((name, _frozen(inner)) for name, inner in select_related.items()))
    return select_related


def shape_of(compiler, with_col_aliases) -> tuple | None:
    """Everything Django's `pre_sql_setup` reads of a plain model query, or None where
    the query has a part this does not describe."""
    query = compiler.query
    counted = _count_star(query)
    if (
        (query.annotations and counted is None)
        or query.extra
        or query.extra_select
        or query.extra_tables
        or query.extra_order_by
        or query.group_by is not None
        or query.distinct
        or query.combinator
        or query.selected is not None
        or query.select
        or query.default_cols == (counted is not None)
        or query.subquery
        or query._filtered_relations
        or not all(isinstance(item, str) for item in query.order_by)
    ):
        return None
    joins = []
    refcount = query.alias_refcount
    for alias, join in query.alias_map.items():
        if getattr(join, "filtered_relation", None) is not None:
            return None
        joins.append(
            (
                alias,
                type(join),
                join.table_name,
                getattr(join, "parent_alias", None),
                getattr(join, "join_type", None),
                getattr(join, "join_field", None),
                getattr(join, "nullable", None),
                refcount.get(alias, 0),
            )
        )
    fields, defer = query.deferred_loading
    return (
        type(compiler),
        compiler.connection.alias,
        compiler.elide_empty,
        with_col_aliases,
        query.model,
        query.alias_prefix,
        tuple(joins),
        _frozen(query.select_related),
        query.max_depth,
        frozenset(fields),
        defer,
        tuple(query.order_by),
        query.default_ordering,
        query.standard_ordering,
        counted,
    )


def _count_star(query) -> str | None:
    """The alias of `.count()`'s one COUNT(*), when that is all the query selects: the
    page's badges and totals (Django's get_aggregation, without a subquery)."""
    if len(query.annotations) != 1 or query.annotation_select_mask != set(query.annotations):
        return None
    ((alias, annotation),) = query.annotations.items()
    if (
        type(annotation) is not Count
        or annotation.distinct
        or annotation.filter is not None
        # An aggregate's sources end with its filter, None here.
        or [type(source) for source in annotation.get_source_expressions() if source is not None]
        != [Star]
    ):
        return None
    return alias


class ShapeCompiler:
    """Mixed into the backend's own SELECT compiler (`_shaped`)."""

    _before = None
    _shape = None

    def pre_sql_setup(self, with_col_aliases=False):
        key = shape_of(self, with_col_aliases)
        self._shape = None
        if key is None:
            return super().pre_sql_setup(with_col_aliases)
        kept = _shapes.get(key)
        query = self.query
        if kept is None:
            extra_select, order_by, group_by = super().pre_sql_setup(with_col_aliases)
            if not extra_select and not group_by:
                if len(_shapes) >= SHAPES_KEPT:
                    _shapes.clear()
                    _froms.clear()
                self._shape = key
                _shapes[key] = (
                    dict(query.alias_map),
                    dict(query.alias_refcount),
                    {table: list(aliases) for table, aliases in query.table_map.items()},
                    tuple(self.select),
                    self.klass_info,
                    self.annotation_col_map,
                    tuple(order_by),
                    self._meta_ordering,
                )
            return extra_select, order_by, group_by
        if getattr(settings, "QUERY_SHAPES_CHECK", False):
            self._before = query.clone()
        alias_map, refcount, table_map, select, klass_info, annotations, order_by, meta = kept
        query.alias_map = dict(alias_map)
        query.alias_refcount = dict(refcount)
        query.table_map = {table: list(aliases) for table, aliases in table_map.items()}
        self.select = list(select)
        self.klass_info = klass_info
        self.annotation_col_map = annotations
        self.col_count = len(select)
        self._meta_ordering = meta
        self.where, self.having, self.qualify = query.where.split_having_qualify(
            must_group_by=query.group_by is not None
        )
        self.has_extra_select = False
        self._shape = key
        return [], list(order_by), []

    def get_from_clause(self):
        if self._shape is None:
            return super().get_from_clause()
        kept = _froms.get(self._shape)
        if kept is None:
            result, params = super().get_from_clause()
            kept = _froms[self._shape] = (tuple(result), tuple(params))
        return list(kept[0]), list(kept[1])

    def as_sql(self, with_limits=True, with_col_aliases=False):
        sql, params = super().as_sql(with_limits, with_col_aliases)
        if self._before is not None:
            before, self._before = self._before, None
            usual_class = type(self).__mro__[2]
            usual = usual_class(before, self.connection, self.using, self.elide_empty)
            expected_sql, expected_params = usual.as_sql(with_limits, with_col_aliases)
            if (sql, tuple(params)) != (expected_sql, tuple(expected_params)):
                raise AssertionError(
                    f"A kept query shape compiled otherwise than Django:\n{sql}\n{expected_sql}"
                )
        return sql, params


class ShapeQuery(Query):
    """A Query whose plain SELECTs compile through `ShapeCompiler`."""

    def get_compiler(self, using=None, connection=None, elide_empty=True):
        compiler = super().get_compiler(using, connection, elide_empty)
        if type(compiler).__name__ == "SQLCompiler":  # a SELECT: not an insert, an update
            compiler.__class__ = _shaped(type(compiler))
        return compiler


@functools.cache
def _shaped(compiler_class):
    return type("ShapeCompiler", (ShapeCompiler, compiler_class), {})


def by_shape(queryset):
    """`queryset` compiled through kept shapes."""
    queryset = queryset._chain()
    # The chain's query is its own clone; Query.chain(klass) changes a class the same way
    # (the QuerySet.query setter would also reset a values() list's iterable).
    queryset.query.__class__ = ShapeQuery
    return queryset
