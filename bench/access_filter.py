"""How fast is `access.restrict` on a large table, against guardian's default filter and
the floor (fetching the same rows by primary key)?

    make bench        # or: .venv/bin/python bench/access_filter.py [rows]

Builds ROWS organisations (default 200,000), each granted to its own group, and a user
whose group is also granted 50 rows scattered over the table; then times a 50-row list.
"""

import sys

from _setup import django_on_bench_db, median_ms

ROWS = int(sys.argv[1]) if len(sys.argv) > 1 else 200_000


def build():
    from django.db import connection

    from apps.core.models import Organisation

    have = Organisation.objects.filter(name_en__startswith="Bench organisation").count()
    if have >= ROWS:
        return
    with connection.cursor() as cursor:
        cursor.execute("SELECT id FROM auth_permission WHERE codename = 'view_organisation'")
        perm_id = cursor.fetchone()[0]
        cursor.execute(
            """
            INSERT INTO auth_group (name)
            SELECT 'bench:' || g FROM generate_series(%s, %s) g;
            INSERT INTO core_organisation
                (kind, name_en, name_ja, group_id, prefecture_id, municipality,
                 contracting_type, jurisdiction_note, created_at)
            SELECT 'CONTRACTING', 'Bench organisation ' || g.id, '', g.id, '28', 'Town',
                   'MUNICIPALITY', '', now()
            FROM auth_group g
            WHERE g.name LIKE 'bench:%%' AND NOT EXISTS (
                SELECT 1 FROM core_organisation o WHERE o.group_id = g.id);
            INSERT INTO core_organisationgroupobjectpermission
                (permission_id, group_id, content_object_id)
            SELECT %s, o.group_id, o.id FROM core_organisation o
            WHERE o.name_en LIKE 'Bench organisation %%' AND NOT EXISTS (
                SELECT 1 FROM core_organisationgroupobjectpermission p
                WHERE p.content_object_id = o.id AND p.group_id = o.group_id);
            ANALYZE;
            """,
            [have + 1, ROWS, perm_id],
        )


def main():
    django_on_bench_db()
    from django.contrib.auth.models import Group
    from guardian.shortcuts import assign_perm, get_objects_for_user

    from apps.core import access
    from apps.core.models import Organisation, User

    build()
    user, _ = User.objects.get_or_create(username="bench.viewer")
    group, _ = Group.objects.get_or_create(name="bench:viewer-group")
    user.groups.add(group)
    ids = list(
        Organisation.objects.filter(name_en__startswith="Bench organisation")
        .order_by("?")
        .values_list("pk", flat=True)[:50]
    )
    from apps.core.models import OrganisationGroupObjectPermission

    OrganisationGroupObjectPermission.objects.filter(group=group).delete()
    for org in Organisation.objects.filter(pk__in=ids):
        assign_perm("view_organisation", group, org)
    user = User.objects.get(pk=user.pk)

    def floor():
        return list(Organisation.objects.filter(pk__in=ids).order_by("-id")[:50])

    def restrict():
        return list(access.restrict(Organisation.objects.all(), user, "view").order_by("-id")[:50])

    def guardian_default():
        qs = get_objects_for_user(user, "core.view_organisation", Organisation.objects.all())
        return list(qs.order_by("-id")[:50])

    assert {o.pk for o in restrict()} == set(ids)
    assert {o.pk for o in guardian_default()} == set(ids)
    total = Organisation.objects.count()
    results = {
        "floor (same rows by primary key)": median_ms(floor),
        "access.restrict": median_ms(restrict),
        "guardian get_objects_for_user": median_ms(guardian_default),
    }
    base = results["floor (same rows by primary key)"]
    print(f"organisations: {total:,}; rows visible to the user: {len(ids)}; 50-row list")
    for name, ms in results.items():
        print(f"  {name:<36} median {ms:7.2f} ms   x{ms / base:5.2f} of floor")
    ratio = results["guardian get_objects_for_user"] / results["access.restrict"]
    print(f"  guardian default / access.restrict: x{ratio:.1f}")


if __name__ == "__main__":
    main()
