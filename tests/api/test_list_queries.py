"""Every scoped API list, as every kind of account that reads it: a page costs the same
number of queries whatever its number of rows (one less when it holds the whole list and
needs no count), and each row says what the object's own address says of every field the
row shows.

Lists read only the columns their serializer shows (apps/core/api/columns.py), while an
object's own address reads it whole: a row that differed from its detail would be a
column the narrowing missed, and a count that grew with the rows a relation it left
unjoined.
"""

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

LISTS = [
    "applications",
    "contracts",
    "placements",
    "positions",
    "registrations",
    "events",
    "reappointment-cases",
    "safety-checks",
    "support-cases",
    "subsidy-claims",
    "notifications",
    "organisations",
    "prefectures",
]
ACCOUNTS = ["clair", "mofa", "embassy.us", "mic", "mext", "co.hyogo", "applicant", "participant"]


def _queries(client, url: str):
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200, response.content[:500]
    return len(captured), response.json()


def _rows(answer) -> list:
    return answer["results"] if isinstance(answer, dict) else answer


@pytest.mark.parametrize("name", LISTS)
def test_a_page_costs_the_same_queries_as_one_row(name, token_client):
    checked = []
    for username in ACCOUNTS:
        client = token_client(username)
        url = f"/api/v1/{name}/"
        _queries(client, f"{url}?page_size=1")  # content types and permission ids cached
        one, _ = _queries(client, f"{url}?page_size=1")
        many, answer = _queries(client, f"{url}?page_size=200")
        rows = _rows(answer)
        if len(rows) < 2:
            continue
        assert one >= 1  # the page, at least (the token is remembered): they were counted
        # No more; one less where the page holds the whole list and needs no count.
        assert many in (one, one - 1), (
            f"{username}: {many} queries for {len(rows)} rows, {one} for 1"
        )
        checked.append(username)
    assert checked, f"no account reads two rows of {name} in the demo world"


@pytest.mark.parametrize("name", LISTS)
def test_each_row_agrees_with_its_own_address(name, token_client):
    for username in ACCOUNTS:
        client = token_client(username)
        url = f"/api/v1/{name}/"
        rows = _rows(client.get(f"{url}?page_size=200").json())
        key = "code" if name == "prefectures" else "id"
        for row in rows[:25]:
            detail = client.get(f"{url}{row[key]}/")
            assert detail.status_code == 200
            # A detail may show more (a thread's messages); never other values.
            shown = {field: detail.json().get(field) for field in row}
            assert shown == row, f"{username}: {name} {row[key]}"


def test_safety_answers_of_a_check_cost_the_same_queries_as_one_row(token_client):
    client = token_client("clair")
    checks = _rows(client.get("/api/v1/safety-checks/?page_size=200").json())
    assert checks
    url = f"/api/v1/safety-checks/{checks[0]['id']}/answers/"
    _queries(client, f"{url}?page_size=1")
    one, _ = _queries(client, f"{url}?page_size=1")
    many, answer = _queries(client, f"{url}?page_size=200")
    assert len(_rows(answer)) >= 2
    assert many in (one, one - 1)  # one less: a whole list on its first page is not counted


def test_safety_answers_of_a_check_join_only_what_they_show(token_client):
    """The answers page read seven whole tables (10 ms of planning for two rows)."""
    from apps.core.api.columns import JOINS_PLANNED

    client = token_client("clair")
    checks = _rows(client.get("/api/v1/safety-checks/?page_size=200").json())
    url = f"/api/v1/safety-checks/{checks[0]['id']}/answers/?page_size=200"
    with CaptureQueriesContext(connection) as captured:
        answer = client.get(url).json()
    assert len(_rows(answer)) >= 2
    page = [
        query["sql"]
        for query in captured
        if query["sql"].startswith('SELECT "programme_safetyanswer"."id"')
    ]
    assert page
    for sql in page:
        assert sql.count(" JOIN ") <= JOINS_PLANNED, sql[:300]
        # The check's text is the check's page's, not each answer's.
        assert '"programme_safetycheck"."message_en"' not in sql


@pytest.mark.parametrize("name", LISTS)
def test_no_query_of_a_page_joins_more_than_a_few_tables(name, token_client):
    """PostgreSQL's planning time grows fast with a query's tables (a re-appointment
    case's page took 10 ms to plan, 0.7 ms to run): past JOINS_PLANNED, what a row shows
    is read by a query of its own over the page's keys, which plans quickly with up to
    JOINS_APART."""
    import re

    from apps.core.api.columns import JOINS_APART, JOINS_PLANNED

    read_apart = re.compile(r'WHERE "\w+"\."id" = ANY\(ARRAY\[[0-9,]+\]\)$')

    for username in ACCOUNTS:
        client = token_client(username)
        with CaptureQueriesContext(connection) as captured:
            response = client.get(f"/api/v1/{name}/?page_size=200")
        if response.status_code != 200:
            continue
        for query in captured:
            joins = query["sql"].count(" JOIN ")
            most = JOINS_APART if read_apart.search(query["sql"]) else JOINS_PLANNED
            assert joins <= most, f"{username}: {joins} joins in {query['sql'][:300]}"


def test_a_first_page_that_holds_the_whole_list_counts_it_without_a_count_query(token_client):
    client = token_client("clair")
    with CaptureQueriesContext(connection) as captured:
        whole = client.get("/api/v1/registrations/?page_size=200").json()
    assert whole["count"] == len(whole["results"]) > 2
    assert whole["next"] is None
    assert not any("COUNT(" in query["sql"] for query in captured)
    with CaptureQueriesContext(connection) as captured:
        first = client.get("/api/v1/registrations/?page_size=2").json()
    assert any("COUNT(" in query["sql"] for query in captured)
    assert first["count"] == whole["count"]
    assert [row["id"] for row in first["results"]] == [row["id"] for row in whole["results"][:2]]
    second = client.get(first["next"]).json()
    assert [row["id"] for row in second["results"]] == [row["id"] for row in whole["results"][2:4]]


def test_a_name_shown_through_a_property_reads_only_the_columns_it_is_marked_with(
    token_client,
):
    """A placement's row shows its candidate's name and its organisation's: the page read
    every column of both (48 of an application's) until `@reads` named the ones they use."""
    client = token_client("clair")
    with CaptureQueriesContext(connection) as captured:
        answer = client.get("/api/v1/placements/?page_size=200").json()
    rows = _rows(answer)
    assert len(rows) >= 2
    page = next(q["sql"] for q in captured if q["sql"].startswith('SELECT "programme_placement"'))
    assert '"programme_application"."given_names"' in page
    assert '"programme_application"."family_name"' in page
    assert '"programme_application"."email"' not in page
    assert '"core_organisation"."name_ja"' in page
    assert '"core_organisation"."kind"' not in page
    # And the names read are the ones shown, in the reader's language too.
    from apps.placement.models import Placement

    placement = Placement.objects.select_related("application", "position__organisation").get(
        pk=rows[0]["id"]
    )
    assert rows[0]["candidate_name"] == placement.application.full_name
    assert rows[0]["organisation_name"] == placement.position.organisation.name_en
    japanese = _rows(
        client.get("/api/v1/placements/?page_size=200", HTTP_ACCEPT_LANGUAGE="ja").json()
    )
    assert japanese[0]["id"] == rows[0]["id"]
    assert japanese[0]["organisation_name"] == (
        placement.position.organisation.name_ja or placement.position.organisation.name_en
    )


def test_a_property_marked_with_the_columns_it_reads_is_narrowed_to_them():
    from apps.core.api.columns import narrow
    from apps.core.models import Organisation, User
    from apps.core.reads import columns_read
    from apps.recruitment.models import Application

    assert columns_read(Organisation, "name") == ("name_en", "name_ja")
    assert columns_read(User, "get_full_name") == ("first_name", "last_name")
    assert columns_read(Application, "preferences_display") is None  # not marked
    assert columns_read(Application, "no_such_thing") is None

    from rest_framework import serializers

    class Shown(serializers.Serializer):
        name = serializers.CharField(source="get_full_name")

    loading, _ = narrow(User.objects.all(), Shown).query.deferred_loading
    assert set(loading) == {"id", "first_name", "last_name"}


def test_a_page_joins_the_relations_that_fit_before_reading_the_rest_with_queries(
    token_client,
):
    """A contract's row shows its placement's candidate and organisation: five joins,
    more than JOINS_PLANNED. The page read each hop with a query of its own (four
    queries for two rows); now the hops that fit are joined, and the placement is read
    apart with its candidate and organisation joined (JOINS_APART): two queries."""
    from apps.core.api.columns import JOINS_APART, JOINS_PLANNED, _kept

    joins = ["application", "application__applicant", "position", "position__organisation"]
    assert _kept(["application", "position"], joins, set(), 3) == {"application"}
    assert _kept(["application", "position"], joins[:3], set(), 3) == {"application", "position"}
    assert _kept(["application", "position"], joins, set(), 4) == {"application", "position"}
    # What the order needs stays joined, whatever it costs.
    assert _kept(["a", "b"], ["a", "a__x", "a__y", "a__z", "b"], {"a"}, 3) == {"a"}

    client = token_client("participant")
    client.get("/api/v1/contracts/")  # the token checked and remembered
    with CaptureQueriesContext(connection) as captured:
        rows = _rows(client.get("/api/v1/contracts/").json())
    assert len(rows) >= 1
    reads = [q["sql"] for q in captured if q["sql"].startswith("SELECT")]
    assert len(reads) == 2, [sql[:120] for sql in reads]
    page, placements = reads
    assert page.count(" JOIN ") <= JOINS_PLANNED
    assert placements.count(" JOIN ") == 4 <= JOINS_APART
    assert '"programme_contract"' not in placements
    # The status label (an in-force contract past its term reads as ended) reads two
    # columns: the page reads none that no field shows, such as the signature.
    assert '"participant_signature"' not in page
    assert '"end_date"' in page


def test_the_relations_read_apart_are_read_once_each_by_the_keys_of_the_page(token_client):
    """Past JOINS_PLANNED a page's relations are read after its rows, one query each over
    the rows' keys as one array, `id = ANY(ARRAY[...])`: Django's prefetch wrote each key
    as a tuple of one, `(id) IN ((1), (2))`, and walked its lookup machinery to fill what
    is here a foreign key (apps/core/api/columns.py, _PageRows)."""
    from apps.placement.models import Placement

    client = token_client("clair")
    client.get("/api/v1/contracts/")
    with CaptureQueriesContext(connection) as captured:
        rows = _rows(client.get("/api/v1/contracts/?page_size=200").json())
    placement_ids = {row["placement"] for row in rows}
    assert len(placement_ids) >= 2
    reads = [q["sql"] for q in captured if q["sql"].startswith("SELECT")]

    def keys_read(table: str) -> list[set[int]]:
        found = re.findall(rf'WHERE "{table}"\."id" = ANY\(ARRAY\[([0-9,]+)\]\)', "\n".join(reads))
        return [{int(key) for key in keys.split(",")} for keys in found]

    assert keys_read("programme_placement") == [placement_ids]
    assert not any(" IN ((" in sql for sql in reads)
    # Every relation the rows show was filled by those reads: nothing more was asked.
    assert len(reads) == 2, [sql[:120] for sql in reads]
    for row in rows:
        placement = Placement.objects.select_related(
            "application__applicant", "position__organisation"
        ).get(pk=row["placement"])
        assert row["participant_name"] == placement.application.applicant.get_full_name()
        assert row["organisation_name"] == placement.position.organisation.name


def test_a_relation_read_apart_is_compiled_once_and_reads_what_the_orm_reads(
    token_client, monkeypatch
):
    """The ORM compiled the same read of a page's placements and round for every page
    (0.2-0.4 ms each); it is compiled once per process, its keys one array parameter, and
    it builds the objects the ORM's own query builds, relations and all."""
    from django.db.models.sql.compiler import SQLCompiler

    from apps.core.api.columns import _apart
    from apps.placement.models import Placement

    client = token_client("clair")
    first = _rows(client.get("/api/v1/reappointment-cases/").json())
    assert len(first) >= 2
    compiled = []
    as_sql = SQLCompiler.as_sql

    def counted(compiler, *args, **kwargs):
        compiled.append(compiler.query.model)
        return as_sql(compiler, *args, **kwargs)

    monkeypatch.setattr(SQLCompiler, "as_sql", counted)
    with CaptureQueriesContext(connection) as captured:
        again = _rows(client.get("/api/v1/reappointment-cases/").json())
    assert again == first
    apart = [q["sql"] for q in captured if "= ANY(ARRAY[" in q["sql"]]
    assert len(apart) == 2, [q["sql"][:120] for q in captured]
    models_apart = {"programme_placement", "programme_reappointmentround"}
    assert {re.search(r'FROM "(\w+)"', sql).group(1) for sql in apart} == models_apart
    # The page's own query is compiled; the two relations read apart are not.
    assert {model._meta.db_table for model in compiled}.isdisjoint(models_apart), compiled
    monkeypatch.undo()

    related = (
        Placement._base_manager.order_by()
        .select_related("position")
        .only("id", "position__id", "position__type")
    )
    reader = _apart(related, "id", "default")
    assert _apart(related, "id", "default") is reader
    keys = list(Placement.objects.values_list("pk", flat=True)[:5])
    for asked in (keys[:1], keys, [*keys, 10**9]):
        read = {obj.pk: obj for obj in reader.read(asked)}
        orm = {obj.pk: obj for obj in related.filter(pk__in=asked)}
        assert read.keys() == orm.keys() == set(keys) & set(asked)
        with CaptureQueriesContext(connection) as unasked:
            for pk, obj in orm.items():
                assert read[pk].position_id == obj.position_id
                assert read[pk].position.type == obj.position.type
                assert read[pk].get_deferred_fields() == obj.get_deferred_fields()
        assert len(unasked) == 0  # the position came joined, as the ORM's did


KEYS_FIRST = re.compile(r'"id" IN \(SELECT U0\."id" AS "pk" FROM .* LIMIT \d+\)', re.DOTALL)


# A mission reads no more than a page of contracts or re-appointment cases in the demo
# world, and placements are paged by cursor (never counted), so those are not among these.
@pytest.mark.parametrize("name", ["registrations"])
def test_a_long_list_of_granted_rows_reads_its_page_keys_first(name, token_client, settings):
    """A list counted at more than API_LONG_LIST_ROWS whose rows are those of the grants
    finds a page's keys first and joins its relations for them alone
    (apps/core/api/columns.py, _KeysFirst); its pages say the same as before, query for
    query. A list that is not known to be long, or is not read by its grants, reads as
    it did."""
    from apps.core.api.permissions import LIST_SIZES

    url = f"/api/v1/{name}/?page_size=2"
    client = token_client("embassy.us")
    LIST_SIZES.clear()
    client.get(url)  # content types and permission ids cached
    with CaptureQueriesContext(connection) as captured:
        plain = client.get(url).json()
    if plain["count"] <= 2:
        pytest.skip(f"the mission has no more than a page of {name} in the demo world")
    assert not any(KEYS_FIRST.search(query["sql"]) for query in captured)  # not long
    before = len(captured)

    settings.API_LONG_LIST_ROWS = 2
    LIST_SIZES.clear()
    _queries(client, url)  # counted here: it is long
    with CaptureQueriesContext(connection) as captured:
        answer = client.get(url).json()
    assert sum(bool(KEYS_FIRST.search(query["sql"])) for query in captured) == 1
    assert len(captured) == before
    assert answer == plain
    following = client.get(answer["next"]).json()
    settings.API_LONG_LIST_ROWS = 10**9
    assert following == client.get(answer["next"]).json()

    # CLAIR reads every row by the model's permission, not by grants: ordered by index.
    settings.API_LONG_LIST_ROWS = 2
    clair = token_client("clair")
    clair.get(url)
    with CaptureQueriesContext(connection) as captured:
        clair.get(url)
    assert not any(KEYS_FIRST.search(query["sql"]) for query in captured)


def test_each_process_remembers_the_sizes_of_its_newest_lists_only():
    from apps.core.api.permissions import _ListSizes

    sizes = _ListSizes(kept=3)
    for n in range(5):
        sizes.remember(("list", n), n)
    assert sizes.get(("list", 0)) is None
    assert sizes.get(("list", 1)) is None
    assert [sizes.get(("list", n)) for n in (2, 3, 4)] == [2, 3, 4]
    sizes.remember(("list", 2), 20)  # counted again: kept, nothing else dropped
    assert [sizes.get(("list", n)) for n in (2, 3, 4)] == [20, 3, 4]
