"""Create the demo world. Safe to run again: it only adds what is missing."""

from django.conf import settings
from django.core.management.base import BaseCommand
from django.db import transaction

from apps.core import services
from apps.core.models import (
    Country,
    Kind,
    Membership,
    Organisation,
    Prefecture,
    ProgrammeYear,
    User,
)
from apps.demo import (
    applications,
    correspondence,
    costs,
    course,
    events,
    library,
    numbers,
    outreach,
    placements,
    reappointment,
    safety,
    scale,
    subsidy,
    support,
)
from apps.demo.calendar import demo_calendar, programme_year_ensure
from apps.demo.data import ACCOUNTS, CONTRACTING, MISSION_TIME_ZONES, MISSIONS

# The demo world, in the order of the yearly path: each step plays the actors through
# their services and may rely on the steps before it.
STEPS = [
    scale,  # MIC's salary scale for every year
    numbers,  # MIC's acceptance numbers, published
    applications,  # applicants apply, missions screen, interview, decide, forward
    placements,  # positions, placements, contracts; the participant's two years
    events,
    reappointment,
    support,
    subsidy,
    course,
    library,
    correspondence,
    outreach,
    costs,
    safety,
]

CENTRAL = [
    (
        Kind.CLAIR,
        "Council of Local Authorities for International Relations",
        "一般財団法人自治体国際化協会",
    ),
    (Kind.MOFA, "Ministry of Foreign Affairs", "外務省"),
    (Kind.MIC, "Ministry of Internal Affairs and Communications", "総務省"),
    (Kind.MEXT, "Ministry of Education, Culture, Sports, Science and Technology", "文部科学省"),
]


def _org(kind, name_en, name_ja, **fields) -> Organisation:
    existing = Organisation.objects.filter(kind=kind, name_en=name_en).first()
    return existing or services.organisation_create(
        kind=kind, name_en=name_en, name_ja=name_ja, **fields
    )


class Command(BaseCommand):
    help = "Create the demo organisations, programme years and accounts (idempotent)."

    def add_arguments(self, parser):
        parser.add_argument(
            "--core-only",
            action="store_true",
            help="Only organisations, accounts and programme years, not each app's data.",
        )

    @transaction.atomic
    def handle(self, *args, **options):
        self.seed_programme_years()
        central = {kind: _org(kind, en, ja) for kind, en, ja in CENTRAL}
        services.organisation_kind_permissions_sync()
        for code, en, ja, jurisdiction in MISSIONS:
            mission = _org(
                Kind.MISSION,
                en,
                ja,
                country=Country.objects.get(code=code),
                jurisdiction_note=jurisdiction,
                time_zone=MISSION_TIME_ZONES[en],
            )
            if mission.time_zone != MISSION_TIME_ZONES[en]:  # a demo seeded before zones
                Organisation.objects.filter(pk=mission.pk).update(time_zone=MISSION_TIME_ZONES[en])
        for pref, en, ja, municipality, ctype in CONTRACTING:
            _org(
                Kind.CONTRACTING,
                en,
                ja,
                prefecture=Prefecture.objects.get(code=pref),
                municipality=municipality,
                contracting_type=ctype,
            )
        self.seed_accounts(central)
        if not options["core_only"]:
            for step in STEPS:
                step.seed(self.stdout)
        self.stdout.write(self.style.SUCCESS("Demo data ready."))
        self.print_accounts(self.stdout)

    def seed_programme_years(self):
        """Last year's and the current programme year, placed around today."""
        cal = demo_calendar()
        ProgrammeYear.objects.filter(is_current=True).exclude(year=cal.year).update(
            is_current=False
        )
        for year in (cal.year - 1, cal.year):
            programme_year_ensure(year, cal, is_current=year == cal.year)

    def seed_accounts(self, central):
        password = settings.DEMO_PASSWORD
        for username, first, last, where, role, _desc in ACCOUNTS:
            user = User.objects.filter(username=username).first()
            person_role = where if where in (Kind.APPLICANT, Kind.PARTICIPANT) else ""
            if user is None:
                user = services.person_create(
                    username=username,
                    email=f"{username}@example.jp",
                    password=password,
                    first_name=first,
                    last_name=last,
                    person_role=person_role,
                )
            if person_role:
                continue
            organisation = central.get(where) or Organisation.objects.get(name_en=where)
            if not Membership.objects.filter(user=user, organisation=organisation).exists():
                services.membership_add(by=None, user=user, organisation=organisation, role=role)
            else:  # a demo seeded before missions had zones
                services.person_time_zone_default(user=user, organisation=organisation)

    @staticmethod
    def print_accounts(out):
        out.write(f"\nDemo accounts (password: {settings.DEMO_PASSWORD})")
        for username, *_rest, desc in ACCOUNTS:
            out.write(f"  {username:<15} {desc}")
