"""Reads PostgreSQL parses and plans once per connection, not once per call.

A scoped list's query joins three to five tables with their indexes, and PostgreSQL spent
0.3 to 0.75 ms planning a list's queries on every call (a participant's re-appointment
cases: 0.6 ms of a 0.9 ms query), against 0.01 ms for the floor's one table
(bench/load.py, issue 17). A prepared statement keeps the parse and, once PostgreSQL
judges its generic plan no worse than the ones it made for the values given
(`plan_cache_mode = auto`, its default: the first five executions are planned for their
values), the plan. This is what psycopg 3 does on its own after five calls of the same
text and the JDBC driver after five; psycopg2, the driver here, does not, so the statement
is prepared with SQL's PREPARE and run with EXECUTE.

`PreparedReadsMiddleware` turns it on for GET and HEAD requests. Only where a failed
statement cannot harm anything else: a SELECT (or WITH) with its parameters on a plain
cursor (not a named, server-side one), outside any transaction (autocommit: a failed
statement inside one would abort it). A text seen twice on a connection is prepared, in
the same round trip as its first EXECUTE; one PostgreSQL will not prepare (a parameter
whose type it cannot tell) is remembered and run as it is; one that fails as prepared (the
connection was reset under it, a migration changed what it returns) is forgotten and run
as it is. Each connection keeps at most STATEMENTS_KEPT, the least recently used
deallocated first. `DATABASE_PREPARED_READS=false` turns it off: a pooler in transaction
mode (PgBouncer's default) hands a session's statements to another client.
"""

import datetime
import decimal
import itertools
import math
import uuid
from collections import OrderedDict

from django.conf import settings
from django.core.exceptions import MiddlewareNotUsed
from django.db import DatabaseError, connection

STATEMENTS_KEPT = 256
# Prepared on the second call of a text: a text used once (an `IN` of a new length, a
# one-off report) costs no PREPARE.
SEEN_BEFORE_PREPARED = 1
_NOT_PREPARABLE = False


class _Statements:
    """One connection's texts: (sql, its parameters' types) -> its statement's name,
    _NOT_PREPARABLE, or how many times it has been seen; least recently used first."""

    def __init__(self, raw):
        self.raw = raw
        self.texts: OrderedDict = OrderedDict()
        self.numbers = itertools.count(1)
        self.to_deallocate: list[str] = []

    def touch(self, key, state) -> None:
        texts = self.texts
        texts[key] = state
        texts.move_to_end(key)
        while len(texts) > STATEMENTS_KEPT:
            _, old = texts.popitem(last=False)
            if isinstance(old, str):
                self.to_deallocate.append(old)


def _statements(wrapper) -> _Statements:
    raw = wrapper.connection
    kept = wrapper.__dict__.get("_prepared_reads")
    if kept is None or kept.raw is not raw:  # a new session has none of the old statements
        kept = wrapper.__dict__["_prepared_reads"] = _Statements(raw)
    return kept


def numbered(sql: str) -> tuple[str, int] | None:
    """`sql` (psycopg2's format: %s for each parameter, %% for a percent sign) with its
    parameters as $1, $2, ..., and their number; the %% stay, since the text is sent with
    the EXECUTE's parameters and psycopg2 turns them into %. None for any other %."""
    parts = []
    count = 0
    start = 0
    at = sql.find("%")
    while at != -1:
        follows = sql[at + 1 : at + 2]
        if follows == "s":
            count += 1
            parts.append(sql[start:at])
            parts.append(f"${count}")
            start = at + 2
        elif follows != "%":
            return None
        at = sql.find("%", at + 2)
    parts.append(sql[start:])
    return "".join(parts), count


INT4 = range(-(2**31) + 1, 2**31)  # psycopg2 writes -2**31 as minus an int8
INT8 = range(-(2**63) + 1, 2**63)


def _literal_type(value) -> str | None:
    """The type PostgreSQL gives psycopg2's literal for `value`, which a parameter of the
    prepared statement is declared with, so that it means what the literal meant: text and
    NULL are `unknown` there (their context decides), an int is an integer literal, a
    finite float a numeric one (psycopg2 writes 1.5), a date '...'::date. None for a value
    this does not know the literal of (the statement is then not prepared)."""
    kind = type(value)
    if kind is str or value is None:
        return "unknown"
    if kind is bool:
        return "boolean"
    if kind is int:
        return "integer" if value in INT4 else "bigint" if value in INT8 else "numeric"
    if kind is float:
        return "numeric" if math.isfinite(value) else "double precision"
    if kind is decimal.Decimal:
        return "numeric"
    if kind is datetime.datetime:
        return "timestamp with time zone" if value.tzinfo is not None else "timestamp"
    if kind is datetime.date:
        return "date"
    if kind is datetime.time:
        return "time" if value.tzinfo is None else None
    if kind is datetime.timedelta:
        return "interval"
    if kind is uuid.UUID:
        return "uuid"
    if kind is list:
        if not value:
            return "unknown"  # '{}'
        kinds = {type(item) for item in value}
        if kinds == {int}:
            if all(item in INT4 for item in value):
                return "integer[]"
            return "bigint[]" if all(item in INT8 for item in value) else None
        if kinds == {str}:
            return "text[]"
    return None


def signature(params) -> tuple | None:
    types = []
    for value in params:
        declared = _literal_type(value)
        if declared is None:
            return None
        types.append(declared)
    return tuple(types)


def _execute_text(name: str, count: int) -> str:
    return f"EXECUTE {name}({', '.join(['%s'] * count)})" if count else f"EXECUTE {name}"


def reads(execute, sql, params, many, context):
    """A connection's execute wrapper (`connection.execute_wrapper(reads)`)."""
    wrapper = context["connection"]
    if (
        many
        or type(params) not in (list, tuple)
        or wrapper.in_atomic_block
        or not wrapper.get_autocommit()
        or getattr(context["cursor"].cursor, "name", None)  # a server-side cursor
        or not sql.startswith(("SELECT", "WITH"))
    ):
        return execute(sql, params, many, context)
    types = signature(params)
    if types is None:
        return execute(sql, params, many, context)
    statements = _statements(wrapper)
    key = (sql, types)
    state = statements.texts.get(key, 0)
    if state is _NOT_PREPARABLE:
        return execute(sql, params, many, context)
    if isinstance(state, str):
        statements.texts.move_to_end(key)
        try:
            return execute(_execute_text(state, len(params)), params, many, context)
        except DatabaseError:
            # Not deallocated: it may be gone already, and a DEALLOCATE of a missing name
            # would fail the next PREPARE. A name is never used twice.
            del statements.texts[key]
            return execute(sql, params, many, context)
    if state < SEEN_BEFORE_PREPARED:
        statements.touch(key, state + 1)
        return execute(sql, params, many, context)
    found = numbered(sql)
    if found is None or found[1] != len(params):
        statements.touch(key, _NOT_PREPARABLE)
        return execute(sql, params, many, context)
    text, count = found
    name = f"jetadmin_{next(statements.numbers)}"
    declared = f"({', '.join(types)})" if types else ""
    # Dropped before the PREPARE, in the same round trip. One left behind by a failure
    # below is only a statement too many until the connection ends.
    gone = "".join(f"DEALLOCATE {old}; " for old in statements.to_deallocate)
    statements.to_deallocate.clear()
    try:
        result = execute(
            f"{gone}PREPARE {name}{declared} AS {text}; {_execute_text(name, count)}",
            params,
            many,
            context,
        )
    except DatabaseError:
        statements.touch(key, _NOT_PREPARABLE)
        return execute(sql, params, many, context)
    statements.touch(key, name)
    return result


class PreparedReadsMiddleware:
    """Reads of GET and HEAD requests through prepared statements (`reads`)."""

    def __init__(self, get_response):
        if not getattr(settings, "DATABASE_PREPARED_READS", False):
            raise MiddlewareNotUsed
        self.get_response = get_response

    def __call__(self, request):
        if request.method not in ("GET", "HEAD"):
            return self.get_response(request)
        with connection.execute_wrapper(reads):
            return self.get_response(request)
