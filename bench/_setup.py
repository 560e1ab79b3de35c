"""Shared set-up for benchmarks: Django on a dedicated PostgreSQL database."""

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BENCH_DB = os.environ.get("BENCH_DATABASE", "jetadmin_bench")


def django_on_bench_db() -> None:
    sys.path.insert(0, str(ROOT))
    os.environ["DJANGO_SETTINGS_MODULE"] = "jetadmin.settings.test"
    os.environ["DATABASE_URL"] = f"postgres://postgres@127.0.0.1:5432/{BENCH_DB}"
    exists = subprocess.run(
        [
            "psql",
            "-h",
            "127.0.0.1",
            "-U",
            "postgres",
            "-tAc",
            f"SELECT 1 FROM pg_database WHERE datname = '{BENCH_DB}'",
        ],
        capture_output=True,
        text=True,
        check=True,
    ).stdout.strip()
    if not exists:
        subprocess.run(["createdb", "-h", "127.0.0.1", "-U", "postgres", BENCH_DB], check=True)
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)


def median_ms(fn, repeat: int = 30) -> float:
    import statistics
    import time

    fn()  # warm caches and plans
    samples = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        samples.append((time.perf_counter() - start) * 1000)
    return statistics.median(samples)


def applications_insert(
    cursor,
    *,
    letter: str,
    users: str,
    start: int,
    end: int,
    year_id: int,
    mission_ids: list[int],
    view_permission_id: int,
) -> None:
    """Applicants `start`..`end` (usernames `<users><n>`) each with a submitted
    application numbered `<letter>000000123`, spread over the missions, with the grants
    the services give: the mission's group and the applicant may view it."""
    cursor.execute("SELECT coalesce(max(id), 0) FROM programme_application")
    (last,) = cursor.fetchone()
    cursor.execute(
        """
        INSERT INTO core_user (password, is_superuser, username, first_name, last_name,
            email, is_staff, is_active, date_joined, language, person_role, time_zone)
        SELECT '!', false, %(users)s || g, 'Given' || g, 'Family' || g,
               %(users)s || g || '@example.org', false, true, now(), 'en', 'APPLICANT',
               'Asia/Tokyo'
        FROM generate_series(%(start)s, %(end)s) g;

        INSERT INTO programme_application (number, programme_year_id, applicant_id,
            mission_id, country_id, position, status, family_name, given_names,
            name_japanese, other_citizenship, email, phone, address, japanese_level,
            teaching_experience, qualifications, driving_licence, preference_1,
            preference_2, preference_3, location_preference, partner_number,
            previous_jet, previous_jet_years, declined_last_year, years_in_japan_last_10,
            statement_of_purpose, eligibility, eligibility_reasons, created_at, updated_at,
            submitted_at)
        SELECT %(letter)s || lpad(u.id::text, 9, '0'), %(year)s, u.id, m.id, m.country_id,
               CASE WHEN u.id %% 10 = 0 THEN 'CIR' ELSE 'ALT' END,
               (ARRAY['SUBMITTED', 'INTERVIEW', 'SHORTLISTED', 'ALTERNATE',
                      'NOT_SELECTED'])[1 + u.id %% 5],
               u.last_name, u.first_name, '', '', u.email, '', '', 'NONE', '', '', 'NONE',
               '28', '', '', 'NONE', '', false, 0, false, 0, '', 'ELIGIBLE', '[]',
               now() - (u.id || ' seconds')::interval, now(), now()
        FROM core_user u
        JOIN core_organisation m ON m.id = (%(missions)s::bigint[])[1 + (u.id %% %(n)s)]
        WHERE u.username LIKE %(users)s || '%%'
          AND NOT EXISTS (SELECT 1 FROM programme_application a WHERE a.applicant_id = u.id)
        -- In arrival order, as people apply: missions interleaved, not one block each.
        ORDER BY u.id;

        INSERT INTO programme_applicationgroupobjectpermission
            (permission_id, group_id, content_object_id)
        SELECT %(view)s, m.group_id, a.id FROM programme_application a
        JOIN core_organisation m ON m.id = a.mission_id
        WHERE a.number LIKE %(letter)s || '%%' AND a.id > %(last)s;

        INSERT INTO programme_applicationuserobjectpermission
            (permission_id, user_id, content_object_id)
        SELECT %(view)s, a.applicant_id, a.id FROM programme_application a
        WHERE a.number LIKE %(letter)s || '%%' AND a.id > %(last)s;
        """,
        {
            "users": users,
            "letter": letter,
            "start": start,
            "end": end,
            "year": year_id,
            "missions": mission_ids,
            "n": len(mission_ids),
            "view": view_permission_id,
            "last": last,
        },
    )
