"""Demo data of issue 7 (outreach), called at the end of apps/demo/placements.py.

- Promotional activities of the Embassy in Washington (`embassy.us`), the Embassy in
  London (`embassy.uk`) and CLAIR over the recruitment autumn and winter (September to
  February of the current programme year's application round), some linked to the
  missions' information sessions from demo_events.
- Alumni: participants of the re-appointment round who are leaving agree to alumni
  contact through the participants' service: Thomas Whitfield (UK, will leave: seen by
  `embassy.uk`), Maria Santos (Philippines, five years in all) and Chloé Tremblay
  (Canada, not offered re-appointment), who then withdraws, so her embassy no longer
  sees her. The demo `participant` is not leaving yet and is left alone.

Idempotent: activities are added when their organisation has none, a consent when the
person never gave one. No notifications are written.
"""

from django.db import transaction

from apps.core.errors import DomainError
from apps.core.models import ProgrammeYear, User
from apps.demo.calendar import DemoCalendar, demo_calendar
from apps.outreach import services
from apps.outreach.models import AlumniConsent, PromotionActivity
from apps.outreach.selectors import information_sessions_for

K = PromotionActivity.Kind


def _activities(autumn: int, cal: DemoCalendar) -> dict[str, list[dict]]:
    winter = autumn + 1
    d = cal.date
    return {
        "embassy.us": [
            {
                "kind": K.FAIR,
                "title": "Study and work abroad fair, Georgetown University",
                "starts_on": d(autumn, 9, 17),
                "place": "Georgetown University, Washington, DC",
                "audience": "Final-year students and recent graduates",
                "reach": 240,
                "info": True,
            },
            {
                "kind": K.UNIVERSITY,
                "title": "Visit to the University of Maryland Japanese programme",
                "starts_on": d(autumn, 9, 30),
                "place": "University of Maryland, College Park",
                "audience": "Students of Japanese (third and fourth year)",
                "reach": 45,
            },
            {
                "kind": K.SOCIAL,
                "title": "Applications open: #JETProgramme campaign",
                "starts_on": d(autumn, 10, 1),
                "ends_on": d(autumn, 10, 14),
                "place": "Embassy accounts on Instagram, X and LinkedIn",
                "audience": "Graduates in the United States",
                "reach": 18500,
            },
            {
                "kind": K.ONLINE,
                "title": "Webinar: life as a CIR, with JETAA DC",
                "starts_on": d(autumn, 10, 22),
                "place": "Online",
                "audience": "Applicants with Japanese at N2 or above",
                "reach": 130,
            },
            {
                "kind": K.UNIVERSITY,
                "title": "Howard University career centre visit",
                "starts_on": d(autumn, 11, 5),
                "place": "Howard University, Washington, DC",
                "audience": "Education and language majors",
                "reach": 60,
                "info": True,
            },
        ],
        "embassy.uk": [
            {
                "kind": K.FAIR,
                "title": "Graduate recruitment fair, University of Manchester",
                "starts_on": d(autumn, 10, 8),
                "ends_on": d(autumn, 10, 9),
                "place": "University of Manchester",
                "audience": "Final-year students",
                "reach": 310,
            },
            {
                "kind": K.UNIVERSITY,
                "title": "SOAS Japanese department talk",
                "starts_on": d(autumn, 10, 15),
                "place": "SOAS University of London",
                "audience": "Students of Japanese",
                "reach": 70,
                "info": True,
            },
            {
                "kind": K.SOCIAL,
                "title": "Deadline reminder campaign",
                "starts_on": d(autumn, 11, 1),
                "ends_on": d(autumn, 11, 10),
                "place": "Embassy accounts on Instagram and X",
                "audience": "Graduates in the United Kingdom",
                "reach": 9200,
            },
            {
                "kind": K.ONLINE,
                "title": "Online Q&A for Scottish universities",
                "starts_on": d(autumn, 11, 12),
                "place": "Online, with the Consulate-General in Edinburgh",
                "audience": "Students in Scotland",
                "reach": 85,
            },
        ],
        "clair": [
            {
                "kind": K.SOCIAL,
                "title": "JET Programme 40th anniversary video series",
                "starts_on": d(autumn, 9, 1),
                "ends_on": d(autumn, 9, 30),
                "place": "CLAIR's JET Programme website and YouTube",
                "audience": "Prospective applicants worldwide",
                "reach": 42000,
            },
            {
                "kind": K.ONLINE,
                "title": "Global online session: a year on JET, in participants' words",
                "starts_on": d(autumn, 11, 20),
                "place": "Online",
                "audience": "Applicants in every participating country",
                "reach": 520,
            },
            {
                "kind": K.FAIR,
                "title": "JET Programme booth at the Japan Education Fair",
                "starts_on": d(winter, 1, 24),
                "ends_on": d(winter, 1, 25),
                "place": "Tokyo Big Sight",
                "audience": "International students in Japan",
                "reach": 380,
            },
        ],
    }


ALUMNI = [
    # username, contact phone, withdraws afterwards
    ("jet.thomas.whitfield", "+44 7700 900123", False),
    ("jet.maria.santos", "+63 917 555 0142", False),
    ("jet.chloe.tremblay", "+1 514 555 0199", True),
]


def seed_promotions(autumn: int) -> int:
    added = 0
    for username, specs in _activities(autumn, demo_calendar()).items():
        user = User.objects.filter(username=username).first()
        if user is None or user.organisation is None:
            continue
        if PromotionActivity.objects.filter(organisation=user.organisation).exists():
            continue
        sessions = list(information_sessions_for(user.organisation)[:1])
        for spec in specs:
            values = dict(spec)
            linked = values.pop("info", False)
            values.setdefault("ends_on", values["starts_on"])
            values["information_sessions"] = sessions if linked else []
            services.promotion_create(by=user, **values)
            added += 1
    return added


def seed_alumni() -> int:
    added = 0
    for username, phone, withdraws in ALUMNI:
        person = User.objects.filter(username=username).first()
        if person is None or AlumniConsent.objects.filter(participant=person).exists():
            continue
        try:
            with transaction.atomic():
                consent = services.alumni_consent_give(
                    by=person, contact_email=person.email, contact_phone=phone
                )
                if withdraws:
                    services.alumni_consent_withdraw(by=person, consent=consent)
        except DomainError:
            continue  # not leaving in this demo world: no consent
        added += 1
    return added


def seed(stdout) -> None:
    year = ProgrammeYear.objects.filter(is_current=True).first()
    if year is None:
        return
    promotions = seed_promotions(year.year - 1)
    alumni = seed_alumni()
    if promotions or alumni:
        stdout.write(
            f"Outreach: {promotions} promotional activities (embassy.us, embassy.uk, clair) "
            f"and {alumni} alumni consents (jet.thomas.whitfield seen by embassy.uk; "
            "jet.chloe.tremblay withdrew hers)."
        )
