"""The access rule: grant, revoke, filter; 404 for what is not granted, page and API."""

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied
from django.db import connection
from django.http import Http404
from django.test.utils import CaptureQueriesContext

from apps.core import access, services
from apps.core.models import Organisation, Prefecture


@pytest.fixture
def hyogo_org(db):
    return Organisation.objects.get(name_en="Hyogo Prefectural Board of Education")


@pytest.fixture
def sapporo_org(db):
    return Organisation.objects.get(name_en="Sapporo City Board of Education")


def test_restrict_shows_a_member_only_their_own_organisation(co_hyogo, hyogo_org):
    visible = access.restrict(Organisation.objects.all(), co_hyogo, "view")
    assert list(visible) == [hyogo_org]


def test_grant_then_revoke_changes_what_the_group_sees(co_hyogo, hyogo_org, sapporo_org):
    access.grant("view", sapporo_org, hyogo_org)
    assert set(access.restrict(Organisation.objects.all(), co_hyogo, "view")) == {
        hyogo_org,
        sapporo_org,
    }
    assert access.can(co_hyogo, "view", sapporo_org)

    access.revoke("view", sapporo_org, hyogo_org)
    assert not access.can(co_hyogo, "view", sapporo_org)
    assert list(access.restrict(Organisation.objects.all(), co_hyogo, "view")) == [hyogo_org]


def test_a_personal_grant_counts_too(applicant, sapporo_org):
    assert not access.can(applicant, "view", sapporo_org)
    access.grant_user("view", sapporo_org, applicant)
    assert list(access.restrict(Organisation.objects.all(), applicant, "view")) == [sapporo_org]
    access.revoke_user("view", sapporo_org, applicant)
    assert not access.can(applicant, "view", sapporo_org)


def test_a_grant_of_one_permission_does_not_give_another(co_hyogo, sapporo_org, hyogo_org):
    access.grant("change", sapporo_org, hyogo_org)
    assert access.can(co_hyogo, "change", sapporo_org)
    assert not access.can(co_hyogo, "view", sapporo_org)


def test_grants_are_stored_in_the_direct_foreign_key_tables(hyogo_org, sapporo_org):
    from guardian.models import GroupObjectPermission

    from apps.core.models import OrganisationGroupObjectPermission

    before = GroupObjectPermission.objects.count()
    access.grant("view", sapporo_org, hyogo_org)
    assert OrganisationGroupObjectPermission.objects.filter(
        content_object=sapporo_org, group=hyogo_org.group
    ).exists()
    assert GroupObjectPermission.objects.count() == before


def test_model_level_permission_sees_every_row(clair, mic):
    total = Organisation.objects.count()
    assert access.restrict(Organisation.objects.all(), clair, "view").count() == total
    assert access.restrict(Organisation.objects.all(), mic, "view").count() == total


def test_mofa_sees_every_mission_and_itself_but_no_contracting_organisation(mofa):
    visible = access.restrict(Organisation.objects.all(), mofa, "view")
    assert set(visible.values_list("kind", flat=True)) == {"MOFA", "MISSION"}
    assert (
        visible.filter(kind="MISSION").count()
        == Organisation.objects.filter(kind="MISSION").count()
    )


def test_a_new_mission_is_visible_to_mofa_at_once(mofa):
    from apps.core.models import Country

    mission = services.organisation_create(
        kind="MISSION",
        name_en="Consulate-General of Japan in Chicago",
        country=Country.objects.get(code="US"),
    )
    assert access.can(mofa, "view", mission)


def test_anonymous_and_inactive_users_see_nothing(co_hyogo):
    assert not access.restrict(Organisation.objects.all(), AnonymousUser(), "view").exists()
    assert not access.restrict(Organisation.objects.all(), None, "view").exists()
    co_hyogo.is_active = False
    assert not access.restrict(Organisation.objects.all(), co_hyogo, "view").exists()


def test_get_or_404_gives_the_same_answer_for_missing_and_forbidden(co_hyogo, sapporo_org):
    with pytest.raises(Http404):
        access.get_or_404(Organisation.objects.all(), co_hyogo, sapporo_org.pk)
    with pytest.raises(Http404):
        access.get_or_404(Organisation.objects.all(), co_hyogo, 10**9)
    with pytest.raises(Http404):
        access.get_or_404(Organisation.objects.all(), co_hyogo, "not-a-number")


def test_require_refuses_an_action_on_a_visible_row(co_hyogo, hyogo_org):
    access.require(co_hyogo, "view", hyogo_org)
    with pytest.raises(PermissionDenied):
        access.require(co_hyogo, "delete", hyogo_org)


# --- pages and API decide identically -------------------------------------------------


def test_page_answers_404_for_an_organisation_not_granted(login, sapporo_org, hyogo_org):
    client = login("co.hyogo")
    assert client.get(f"/organisations/{hyogo_org.pk}/").status_code == 200
    assert client.get(f"/organisations/{sapporo_org.pk}/").status_code == 404
    assert client.get("/organisations/999999999/").status_code == 404


def test_api_answers_404_for_an_organisation_not_granted(api_as, sapporo_org, hyogo_org):
    api = api_as("co.hyogo")
    assert api.get(f"/api/v1/organisations/{hyogo_org.pk}/").status_code == 200
    assert api.get(f"/api/v1/organisations/{sapporo_org.pk}/").status_code == 404
    assert api.get("/api/v1/organisations/999999999/").status_code == 404


def test_lists_and_counts_hide_what_is_not_granted(login, api_as, sapporo_org):
    page = login("co.hyogo").get("/organisations/")
    assert "Sapporo City Board of Education" not in page.content.decode()
    data = api_as("co.hyogo").get("/api/v1/organisations/").json()
    assert data["count"] == 1
    assert [row["name_en"] for row in data["results"]] == ["Hyogo Prefectural Board of Education"]


def test_mission_cannot_see_another_mission_on_page_or_api(login, api_as):
    uk = Organisation.objects.get(name_en="Embassy of Japan in the United Kingdom")
    assert login("embassy.us").get(f"/organisations/{uk.pk}/").status_code == 404
    assert api_as("embassy.us").get(f"/api/v1/organisations/{uk.pk}/").status_code == 404


def test_anonymous_api_and_page_are_refused(client, api_client, hyogo_org):
    assert api_client.get(f"/api/v1/organisations/{hyogo_org.pk}/").status_code in (401, 403)
    response = client.get(f"/organisations/{hyogo_org.pk}/")
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")


def _queries(client, url):
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == 200
    return len(ctx.captured_queries), response


def test_organisation_list_query_count_does_not_grow_with_rows(
    login, django_assert_max_num_queries
):
    client = login("clair")
    _queries(client, "/organisations/")  # warm Django's content-type cache
    one, _ = _queries(client, "/organisations/?kind=MEXT")
    many, response = _queries(client, "/organisations/")
    assert one == many
    assert response.content.decode().count('href="/organisations/') > 40
    hyogo = login("co.hyogo")
    with django_assert_max_num_queries(8):
        hyogo.get("/organisations/")


def test_api_list_query_count_does_not_grow_with_rows(api_as, django_assert_max_num_queries):
    api = api_as("clair")
    _queries(api, "/api/v1/organisations/")
    one, _ = _queries(api, "/api/v1/organisations/?kind=MEXT")
    many, response = _queries(api, "/api/v1/organisations/?kind=CONTRACTING")
    assert one == many
    assert len(response.json()["results"]) > 40
    with django_assert_max_num_queries(6):
        api.get("/api/v1/organisations/")


# --- stays fast as the table grows ---------------------------------------------------


@pytest.fixture
def large_organisation_table(db, co_hyogo):
    """60,000 organisations, every one granted to its own group and to a shared group,
    written with SQL because the ORM would take minutes."""
    from apps.core.models import OrganisationGroupObjectPermission  # noqa: F401

    hyogo = co_hyogo.organisation
    with connection.cursor() as cursor:
        cursor.execute("SELECT id FROM auth_permission WHERE codename = 'view_organisation'")
        perm_id = cursor.fetchone()[0]
        cursor.execute(
            """
            INSERT INTO auth_group (name)
            SELECT 'bench:' || g FROM generate_series(1, 60000) g;
            INSERT INTO core_organisation
                (kind, name_en, name_ja, group_id, prefecture_id, municipality,
                 contracting_type, jurisdiction_note, created_at)
            SELECT 'CONTRACTING', 'Bench organisation ' || g.id, '', g.id, %s, 'Town',
                   'MUNICIPALITY', '', now()
            FROM auth_group g WHERE g.name LIKE 'bench:%%';
            INSERT INTO core_organisationgroupobjectpermission
                (permission_id, group_id, content_object_id)
            SELECT %s, o.group_id, o.id FROM core_organisation o
            WHERE o.name_en LIKE 'Bench organisation %%';
            """,
            [Prefecture.objects.get(code="28").pk, perm_id],
        )
        cursor.execute("ANALYZE")
    return hyogo


def test_restrict_uses_indexes_on_a_large_table(large_organisation_table, co_hyogo):
    """A user who may see one row of 60,000 must not make PostgreSQL read all of them."""
    qs = access.restrict(Organisation.objects.all(), co_hyogo, "view")
    assert list(qs) == [large_organisation_table]
    plan = qs.explain()
    assert "Seq Scan on core_organisation " not in plan + " ", plan
    assert "Seq Scan on core_organisationgroupobjectpermission" not in plan, plan


def test_guardian_default_would_scan_the_whole_table(large_organisation_table, co_hyogo):
    """Why access.restrict exists: guardian's own filter walks every row here."""
    from guardian.shortcuts import get_objects_for_user

    qs = get_objects_for_user(co_hyogo, "core.view_organisation", Organisation.objects.all())
    assert list(qs) == [large_organisation_table]
    assert "Seq Scan on core_organisation " in qs.explain() + " "


def test_holding_gives_restricts_answer_for_a_page_already_read(
    co_hyogo, applicant, clair, mofa, hyogo_org, sapporo_org
):
    """`holding` answers for rows already read; by grants alone, by a model-wide
    permission, by a policy line, or nothing, it is `restrict`'s answer over those keys."""
    access.grant("change", sapporo_org, hyogo_org)
    access.grant_user("view", sapporo_org, applicant)
    keys = [*Organisation.objects.values_list("pk", flat=True)[:40], sapporo_org.pk]
    inactive = type(co_hyogo).objects.create(username="gone", is_active=False)
    for user in (co_hyogo, applicant, clair, mofa, inactive, AnonymousUser()):
        for perm in ("view", "change", "delete"):
            expected = set(
                access.restrict(Organisation.objects.filter(pk__in=keys), user, perm).values_list(
                    "pk", flat=True
                )
            )
            assert access.holding(user, perm, Organisation, keys) == expected, (user, perm)
    assert access.holding(co_hyogo, "change", Organisation, keys) == {sapporo_org.pk}
    assert access.holding(applicant, "view", Organisation, keys) == {sapporo_org.pk}
    assert access.holding(co_hyogo, "view", Organisation, []) == set()


def test_holding_by_grants_is_one_plain_query(co_hyogo, hyogo_org, sapporo_org):
    access.grant("change", sapporo_org, hyogo_org)
    access.memberships(co_hyogo)
    with CaptureQueriesContext(connection) as queries:
        held = access.holding(co_hyogo, "change", Organisation, [hyogo_org.pk, sapporo_org.pk])
    assert held == {sapporo_org.pk}
    assert len(queries) == 1
    assert "= ANY(" in queries[0]["sql"]


def test_a_models_grant_tables_are_found_once(co_hyogo, monkeypatch):
    """guardian walks a model's relations to find its grant tables on every call; the
    answer is fixed for a model, so a list's grants ask for it once."""
    asked = []
    found = access.get_user_obj_perms_model
    monkeypatch.setattr(
        access, "get_user_obj_perms_model", lambda model: asked.append(model) or found(model)
    )
    access._grant_tables.cache_clear()
    try:
        for _ in range(3):
            assert list(access.restrict(Organisation.objects.all(), co_hyogo, "view"))
    finally:
        access._grant_tables.cache_clear()
    assert asked.count(Organisation) == 1


def test_a_list_reads_only_the_grant_tables_the_user_holds_grants_in(
    co_hyogo, applicant, hyogo_org, sapporo_org
):
    """An organisation's staff hold group grants only: their lists read the group table
    alone, in the list's order (`IN (a UNION b)` sorted an organisation's 22,000 grants to
    drop duplicates, 8 ms, bench/load.py's scaled world); a person holding a personal grant
    reads theirs, and someone holding none of either reads nothing."""
    from apps.core.models import OrganisationGroupObjectPermission as GroupGrants
    from apps.core.models import OrganisationUserObjectPermission as UserGrants

    def tables(user):
        sql = str(access.restrict(Organisation.objects.all(), user, "view").query)
        return {
            name
            for name in (GroupGrants._meta.db_table, UserGrants._meta.db_table)
            if f"FROM {name} " in sql
        }

    access._granted_lately.clear()
    staff = type(co_hyogo).objects.get(pk=co_hyogo.pk)
    assert tables(staff) == {GroupGrants._meta.db_table}
    assert list(access.restrict(Organisation.objects.all(), staff, "view")) == [hyogo_org]

    access.grant_user("view", sapporo_org, applicant)
    access._granted_lately.clear()  # as if another process had given it
    person = type(applicant).objects.get(pk=applicant.pk)
    assert tables(person) == {UserGrants._meta.db_table}
    assert list(access.restrict(Organisation.objects.all(), person, "view")) == [sapporo_org]
    # A personal grant of another permission reads no personal grants for this one.
    assert not access.restrict(Organisation.objects.all(), person, "change").exists()
    assert tables(person) == {UserGrants._meta.db_table}  # (for "view")


def test_a_personal_grant_is_seen_by_a_reader_who_read_the_grants_before(applicant, sapporo_org):
    """The grant ids are read once per request (and remembered with an API token): one
    given after they were read, to another copy of the same person, is seen at once."""
    reader = type(applicant).objects.get(pk=applicant.pk)
    assert not access.restrict(Organisation.objects.all(), reader, "view").exists()
    access._granted_lately.clear()
    access.grant_user("view", sapporo_org, type(applicant).objects.get(pk=applicant.pk))
    assert list(access.restrict(Organisation.objects.all(), reader, "view")) == [sapporo_org]


def test_an_api_token_remembered_before_a_personal_grant_sees_it(api_as, applicant, sapporo_org):
    """The token's person is remembered with their grant ids; a personal grant forgets
    them, so the next request reads them afresh, even where the grant was given by another
    process (which this one's record of recent grants would not know)."""
    api = api_as("applicant")
    assert api.get("/api/v1/organisations/").json()["results"] == []
    access.grant_user("view", sapporo_org, applicant)
    access._granted_lately.clear()
    names = [row["name_en"] for row in api.get("/api/v1/organisations/").json()["results"]]
    assert names == ["Sapporo City Board of Education"]
    access.revoke_user("view", sapporo_org, applicant)
    assert api.get("/api/v1/organisations/").json()["results"] == []


def test_grants_remembered_by_the_code_before_personal_grants_are_read_again(applicant):
    """A token remembered by a process of the previous release holds the groups and
    model permissions only; they are read again, not unpacked into an error."""
    fresh = access.memberships(type(applicant).objects.get(pk=applicant.pk))
    applicant._access_memberships = ([], set())
    assert access.memberships(applicant) == fresh
    assert not access.restrict(Organisation.objects.all(), applicant, "view").exists()
