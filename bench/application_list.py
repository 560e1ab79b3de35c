"""The mission's application list at national scale, against three baselines.

    .venv/bin/python bench/application_list.py [applications] [repeats]

Builds (once, in the bench database) APPLICATIONS applications (default 200,000) over 60
missions, each granted to its mission's group and to its applicant, as the services do:
400,000 grants. Then times, as a mission officer and as an applicant, the median of
repeated requests of:
  - the list page and the API list as the application serves them (access.restrict);
  - the floor: the same page and API with a plain foreign-key filter (mission_id = ...);
  - guardian's default get_objects_for_user in the same page and API;
  - the Django admin changelist filtered to the mission (as a superuser).
"""

import os
import sys

from _setup import applications_insert, django_on_bench_db, median_ms

APPLICATIONS = int(sys.argv[1]) if len(sys.argv) > 1 else 200_000
REPEATS = int(sys.argv[2]) if len(sys.argv) > 2 else 25
MISSIONS = 60


def build():
    from django.db import connection

    from apps.core import services
    from apps.core.models import Country, Kind, Organisation, ProgrammeYear, User
    from apps.recruitment.models import Application

    year = ProgrammeYear.objects.filter(is_current=True).first()
    if year is None:
        from django.core.management import call_command

        call_command("seed_demo", verbosity=0, stdout=open(os.devnull, "w"))  # noqa: SIM115
        year = ProgrammeYear.objects.get(is_current=True)
    countries = list(Country.objects.order_by("code")[:MISSIONS])
    missions = []
    for i in range(MISSIONS):
        name = f"Bench mission {i:02d}"
        mission = Organisation.objects.filter(name_en=name).first() or services.organisation_create(
            kind=Kind.MISSION, name_en=name, country=countries[i % len(countries)]
        )
        missions.append(mission)
    officer = User.objects.filter(username="bench.officer").first()
    if officer is None:
        officer = User.objects.create_user("bench.officer", password="x")
        services.membership_add(by=None, user=officer, organisation=missions[0])
    have = Application.objects.filter(number__startswith="B").count()
    if have >= APPLICATIONS:
        return year, missions, officer
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT id, codename FROM auth_permission WHERE codename IN "
            "('view_application', 'change_application')"
        )
        perms = {c: i for i, c in cursor.fetchall()}
        applications_insert(
            cursor,
            letter="B",
            users="bench.applicant.",
            start=have + 1,
            end=APPLICATIONS,
            year_id=year.pk,
            mission_ids=[m.pk for m in missions],
            view_permission_id=perms["view_application"],
        )
    # As autovacuum would have done on a live database: statistics and visibility map.
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE")
    return year, missions, officer


def main():
    django_on_bench_db()
    from django.conf import settings
    from django.test import Client
    from guardian.shortcuts import get_objects_for_user

    from apps.core.models import User
    from apps.recruitment import selectors
    from apps.recruitment.models import Application

    settings.ALLOWED_HOSTS = ["*"]
    _year, missions, officer = build()
    applicant = User.objects.get(
        pk=Application.objects.filter(number__startswith="B", mission=missions[0])
        .values_list("applicant_id", flat=True)
        .first()
    )
    superuser = User.objects.filter(
        username="bench.admin"
    ).first() or User.objects.create_superuser("bench.admin", "admin@example.org", "x")
    total = Application.objects.count()
    mine = Application.objects.filter(mission=missions[0]).count()
    print(
        f"applications: {total:,} over {len(missions)} missions; "
        f"the officer's mission has {mine:,}; 50 rows a page; median of {REPEATS} requests"
    )

    real_list = selectors.application_list

    def floor_list(*, user, **kwargs):
        # The same list with the access rule replaced by a plain foreign-key filter.
        qs = real_list(user=superuser, **kwargs)
        if user.organisation is None:  # the applicant
            return qs.filter(applicant_id=user.pk)
        return qs.filter(mission_id=user.organisation.pk)

    def guardian_list(*, user, **kwargs):
        qs = real_list(user=superuser, **kwargs)
        return qs.filter(
            pk__in=get_objects_for_user(user, "recruitment.view_application", Application).values(
                "pk"
            )
        )

    variants = {
        "access.restrict (the application)": real_list,
        "floor: mission_id = ... filter": floor_list,
        "guardian get_objects_for_user": guardian_list,
    }
    clients = {}
    for who, user in (("officer", officer), ("applicant", applicant)):
        client = Client()
        client.force_login(user)
        clients[who] = client
    targets = [("page", "/mofa/mission/applications/"), ("API", "/api/v1/applications/")]
    results = {}
    for name, fn in variants.items():
        selectors.application_list = fn
        try:
            for who, client in clients.items():
                for label, url in targets:
                    if label == "page" and who == "applicant":
                        continue
                    response = client.get(url)
                    if response.status_code != 200:
                        print(f"  {label} {url} as {who}: HTTP {response.status_code}; skipped")
                        continue
                    ms = median_ms(lambda c=client, u=url: c.get(u), REPEATS)
                    results[(name, who, label)] = ms
        finally:
            selectors.application_list = real_list
    admin = Client()
    admin.force_login(superuser)
    admin_url = f"/admin/recruitment/application/?mission__id__exact={missions[0].pk}"
    if admin.get(admin_url).status_code == 200:
        results[("Django admin changelist", "superuser", "page")] = median_ms(
            lambda: admin.get(admin_url), REPEATS
        )

    for (name, who, label), ms in results.items():
        floor = results.get(("floor: mission_id = ... filter", who, label))
        ratio = f"x{ms / floor:4.2f} of floor" if floor else ""
        print(f"  {label:<4} as {who:<9} {name:<36} median {ms:7.1f} ms  {ratio}")


if __name__ == "__main__":
    main()
