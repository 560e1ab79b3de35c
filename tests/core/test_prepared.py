"""Reads as prepared statements (apps/core/prepared.py): planned once per connection, the
same rows and the same types as the statement run as it is, never inside a transaction,
and a statement PostgreSQL will not prepare or no longer has is run as it is."""

import datetime as dt
import decimal
import uuid

import pytest
from django.db import DEFAULT_DB_ALIAS, connection, connections, transaction
from django.db.models import IntegerField, Value
from django.test import override_settings

from apps.core import prepared
from apps.core.models import Prefecture, User

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture(autouse=True)
def _no_statements_yet():
    connection.ensure_connection()
    with connection.cursor() as cursor:
        cursor.execute("DEALLOCATE ALL")
    connections[DEFAULT_DB_ALIAS].__dict__.pop("_prepared_reads", None)
    yield
    connections[DEFAULT_DB_ALIAS].__dict__.pop("_prepared_reads", None)


def _statements() -> list[str]:
    """The texts of this session's prepared statements."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT statement FROM pg_prepared_statements ORDER BY prepare_time")
        return [row[0] for row in cursor.fetchall()]


def _kept() -> dict:
    return dict(connections[DEFAULT_DB_ALIAS].__dict__["_prepared_reads"].texts)


def test_parameters_are_numbered_and_percent_signs_kept():
    assert prepared.numbered("SELECT a FROM t WHERE b = %s AND c LIKE %s || '%%'") == (
        "SELECT a FROM t WHERE b = $1 AND c LIKE $2 || '%%'",
        2,
    )
    assert prepared.numbered("SELECT '%%s' FROM t WHERE b = %s") == (
        "SELECT '%%s' FROM t WHERE b = $1",
        1,
    )
    assert prepared.numbered("SELECT 1") == ("SELECT 1", 0)
    assert prepared.numbered("SELECT %(name)s") is None


def test_each_parameter_is_declared_as_the_literal_psycopg2_writes_for_it():
    moment = dt.datetime(2026, 12, 7, 9, 0, tzinfo=dt.UTC)
    assert prepared.signature(
        [
            "text",
            None,
            True,
            7,
            -(2**31),
            2**40,
            2**70,
            1.5,
            float("nan"),
            decimal.Decimal("2.50"),
            moment,
            moment.replace(tzinfo=None),
            moment.date(),
            dt.timedelta(days=1),
            uuid.UUID(int=1),
            [],
            [1, 2],
            [1, 2**40],
            ["a"],
        ]
    ) == (
        "unknown",
        "unknown",
        "boolean",
        "integer",
        "bigint",
        "bigint",
        "numeric",
        "numeric",
        "double precision",
        "numeric",
        "timestamp with time zone",
        "timestamp",
        "date",
        "interval",
        "uuid",
        "unknown",
        "integer[]",
        "bigint[]",
        "text[]",
    )
    # What it does not know the literal of is not prepared.
    assert prepared.signature([b"bytes"]) is None
    assert prepared.signature([[1, "a"]]) is None
    assert prepared.signature([{"a": 1}]) is None


def test_a_read_is_prepared_on_its_second_call_and_answers_as_before(committed_world):
    codes = ["13", "27", "28"]

    def read():
        return list(
            Prefecture.objects.filter(code__in=codes, name_en__startswith="H")
            .order_by("code")
            .values_list("code", "name_en")
        )

    plain = read()
    assert plain == [("28", "Hyogo")]
    with connection.execute_wrapper(prepared.reads):
        first = read()
        assert _statements() == []  # a text seen once costs no PREPARE
        second = read()
        third = read()
    assert first == second == third == plain
    (statement,) = _statements()
    assert statement.startswith("PREPARE jetadmin_1(unknown, unknown, unknown, unknown) AS SELECT")
    assert "$4" in statement
    assert "%s" not in statement


def test_a_value_in_the_select_list_keeps_its_type(committed_world):
    """An undeclared parameter in the select list is text to PostgreSQL; psycopg2's
    literal 5 was an integer. Declared as the literal's type, it stays one."""

    def read():
        return list(
            Prefecture.objects.filter(code="28")
            .annotate(five=Value(5, output_field=IntegerField()))
            .values_list("five", flat=True)
        )

    with connection.execute_wrapper(prepared.reads):
        answers = [read() for _ in range(3)]
    assert answers == [[5], [5], [5]]
    assert any(
        "(integer, unknown)" in text or "(unknown, integer)" in text for text in _statements()
    )


def test_dates_and_key_arrays_read_as_before(committed_world):
    keys = sorted(User.objects.filter(username__in=["clair", "mofa"]).values_list("pk", flat=True))
    day = dt.date(2026, 12, 7)

    def read():
        with connection.cursor() as cursor:
            cursor.execute("SELECT %s + 1", [day])  # a date: the literal is '...'::date
            (after,) = cursor.fetchone()
            cursor.execute("SELECT username FROM core_user WHERE id = ANY(%s) ORDER BY id", [keys])
            return after, [row[0] for row in cursor.fetchall()]

    plain = read()
    assert plain == (dt.date(2026, 12, 8), ["clair", "mofa"] if keys[0] < keys[1] else plain[1])
    with connection.execute_wrapper(prepared.reads):
        assert [read() for _ in range(3)] == [plain] * 3
    statements = _statements()
    assert any("(date)" in text for text in statements)
    assert any("(integer[])" in text for text in statements)


def test_nothing_is_prepared_inside_a_transaction(committed_world):
    with connection.execute_wrapper(prepared.reads), transaction.atomic():
        for _ in range(3):
            assert Prefecture.objects.filter(code="28").exists()
    assert _statements() == []


def test_a_statement_postgresql_will_not_prepare_is_run_as_it_is(committed_world):
    """pg_typeof of an untyped parameter cannot be prepared; the NULL literal can be run."""
    with connection.execute_wrapper(prepared.reads), connection.cursor() as cursor:
        for _ in range(3):
            cursor.execute("SELECT pg_typeof(%s)::text", [None])
            assert cursor.fetchone() == ("unknown",)
    assert _statements() == []
    assert list(_kept().values()) == [prepared._NOT_PREPARABLE]
    # The connection is not left in an aborted state.
    assert Prefecture.objects.count() == 47


def test_a_statement_gone_from_the_session_is_run_as_it_is_then_prepared_again(
    committed_world,
):
    def read():
        return list(Prefecture.objects.filter(code="28").values_list("name_en", flat=True))

    with connection.execute_wrapper(prepared.reads):
        read()
        read()
        assert len(_statements()) == 1
        with connection.cursor() as cursor:
            cursor.execute("DEALLOCATE ALL")  # as a pooler's reset would
        assert read() == ["Hyogo"]
        assert _statements() == []
        read()
        assert read() == ["Hyogo"]
    assert len(_statements()) == 1


def test_a_connection_keeps_its_most_recent_statements_only(committed_world, monkeypatch):
    monkeypatch.setattr(prepared, "STATEMENTS_KEPT", 3)
    with connection.execute_wrapper(prepared.reads):
        for length in range(1, 7):
            for _ in range(2):
                # A text of its own per length: IN (%s), IN (%s, %s), ...
                list(Prefecture.objects.filter(code__in=[f"{n:02}" for n in range(1, length + 1)]))
        # Each new text evicts the least recently used; a statement evicted is dropped
        # with the next PREPARE.
        kept = [name for name in _kept().values() if isinstance(name, str)]
    assert kept == ["jetadmin_4", "jetadmin_5", "jetadmin_6"]
    with connection.cursor() as cursor:
        cursor.execute("SELECT name FROM pg_prepared_statements")
        assert {row[0] for row in cursor.fetchall()} == set(kept)


def test_a_server_side_cursor_reads_as_before(committed_world):
    with connection.execute_wrapper(prepared.reads):
        for _ in range(3):
            codes = [p.code for p in Prefecture.objects.order_by("code").iterator(chunk_size=10)]
            assert len(codes) == 47
    assert _statements() == []


def test_get_requests_read_prepared_and_posts_do_not(committed_world, client):
    client.force_login(User.objects.get(username="clair"))
    for _ in range(3):
        assert client.get("/api/v1/prefectures/", HTTP_ACCEPT="application/json").status_code == 200
    assert any("core_prefecture" in text for text in _statements())
    before = len(_statements())
    for _ in range(3):
        client.post("/api/v1/saved-filters/", {"name": "x", "path": "/x/"})
    assert len(_statements()) == before


@override_settings(DATABASE_PREPARED_READS=False)
def test_switched_off_nothing_is_prepared(committed_world, client):
    client.handler = type(client.handler)()  # its middleware loaded with the setting off
    client.force_login(User.objects.get(username="clair"))
    for _ in range(3):
        assert client.get("/api/v1/prefectures/", HTTP_ACCEPT="application/json").status_code == 200
    assert _statements() == []


def test_a_callers_grants_are_written_into_the_statement(committed_world):
    """Their user, groups and permission decide how many rows a scoped read gives, so
    each caller's statement is their own and its plan knows them: as parameters, a plan
    PostgreSQL kept for a caller of few grants read CLAIR's 200,000 applications in 27 ms
    instead of 5 (bench/load.py's scaled world)."""
    from apps.core import access
    from apps.recruitment.models import Application

    texts = {}
    for username in ["embassy.us", "embassy.uk"]:
        user = User.objects.get(username=username)
        granted = access.granted_pks(Application, user, "view_application")
        assert granted.params == []
        groups = ", ".join(map(str, access.memberships(user)[0]))
        assert f"group_id IN ({groups}) AND permission_id = " in granted.sql
        queryset = access.restrict(Application.objects.order_by("-id"), user, "view")
        sql, _params = queryset.query.sql_with_params()
        assert f"group_id IN ({groups}) AND" in sql
        texts[username] = sql
    assert texts["embassy.us"] != texts["embassy.uk"]
