"""Demo data for the second half of the path: positions, placements and contracts.

Seeding plays every actor, so this module calls the placement domain's services
(`apps.placement.services`) each as the person who would act:
- each demo contracting organisation's staff request their positions
  (`position_request_create`); MIC approves most of them, returns a few with a reason
  and leaves a few waiting (`positions_review`);
- CLAIR places some of the candidates the missions forwarded (`placement_confirm`), and
  the placements then go as far as each demo state needs: the organisation accepts or
  declines, the candidate accepts or withdraws, the organisation completes and issues
  the contract, the candidate signs it and the organisation countersigns it.
So permissions and notifications are exactly what the real path leaves behind. Many
forwarded candidates stay unplaced for the placement board and "Suggest placements",
among them `demo.us-ny.003` (UNPLACED_CANDIDATE).

The demo account `participant` is in the second year of their contract with the Hyogo
Prefectural Board of Education: they applied through the Embassy in Washington two
programme years before the current one (added here, with its salary scale, if the demo
has no such year), arrived with that year's Group A, and were re-appointed for a second
year a year later (dates from apps/demo/calendar.py). That history predates the
current year, so it is written as it would stand today, with the grants the services
give (the services only act on the current year).

Idempotent: staff accounts, positions (by organisation and base), placements (only
while the current year has none) and the participant's history (only when missing) are
added when absent.
"""

import datetime as dt
from dataclasses import dataclass

from django.conf import settings
from django.contrib.auth.hashers import make_password

from apps.core import access
from apps.core import services as core_services
from apps.core.models import Country, Kind, Membership, Organisation, ProgrammeYear, User
from apps.demo.calendar import HAWAII, TOKYO, demo_calendar, programme_year_ensure
from apps.demo.places_ja import BASE_JA, MUNICIPALITY_JA
from apps.demo.scale import SALARY_SCALE
from apps.placement import engine
from apps.placement import services as placement_services
from apps.placement.contracts import contract_grant, one_year_from, remuneration_for
from apps.placement.models import Contract, Placement, PositionRequest, SalaryStep
from apps.recruitment.models import Application

HYOGO = "Hyogo Prefectural Board of Education"
SAPPORO = "Sapporo City Board of Education"
US_EMBASSY = "Embassy of Japan in the United States"
UNPLACED_CANDIDATE = "demo.us-ny.003"

# --- positions ---------------------------------------------------------------------------

APPROVE, WAIT = "approve", "wait"


@dataclass(frozen=True)
class Post:
    type: str
    base: str
    municipality: str
    location: str
    school_level: str = ""
    city: str = ""
    licence: str = ""
    japanese: str = ""
    cir_language: str = ""
    housing: str = "PROVIDED"
    seats: int = 1
    review: str = APPROVE  # APPROVE, WAIT (left for MIC) or the reason MIC returns it


def alt(level, base, municipality, location, **kw) -> Post:
    return Post("ALT", base, municipality, location, school_level=level, **kw)


def cir(base, municipality, location, japanese="N2", cir_language="English", **kw) -> Post:
    return Post(
        "CIR", base, municipality, location, japanese=japanese, cir_language=cir_language, **kw
    )


def sea(base, municipality, location, **kw) -> Post:
    return Post("SEA", base, municipality, location, **kw)


EL, JH, SH, SN, MX = "ELEMENTARY", "JUNIOR_HIGH", "SENIOR_HIGH", "SPECIAL_NEEDS", "MIXED"
U, S, R = "URBAN", "SEMI_URBAN", "RURAL"
AUTO, MANUAL = "AUTOMATIC", "MANUAL"

RETURN_TWO_ALTS = (
    "The base school already has an ALT through a private dispatch contract. Say whether "
    "the JET position replaces it, or name another base school."
)
RETURN_ALLOCATION = (
    "Two seats at one school exceed the prefecture's allocation for this year; request "
    "one seat, or one at another school."
)
RETURN_CLOSING = (
    "The base school closes at the end of this school year under the school consolidation "
    "plan: give the school that will host the position."
)
RETURN_HOUSING = (
    "A rural post with no housing: describe the help the organisation gives to find "
    "housing, or choose 'Assisted'."
)

POSITIONS: dict[str, list[Post]] = {
    "Hokkaido Board of Education": [
        alt(SH, "Hokkaido Kutchan Senior High School", "Kutchan", R, licence=AUTO),
        alt(SH, "Hokkaido Asahikawa Higashi Senior High School", "Asahikawa", S),
        alt(SH, "Hokkaido Wakkanai Senior High School", "Wakkanai", R, licence=AUTO, review=WAIT),
    ],
    SAPPORO: [
        alt(JH, "Sapporo Municipal Kita Junior High School", "Sapporo", U, city="Sapporo", seats=2),
        alt(EL, "Sapporo Municipal Hiragishi Elementary School", "Sapporo", U, city="Sapporo"),
        alt(SH, "Sapporo Municipal Kaisei Secondary School", "Sapporo", U, city="Sapporo"),
        alt(
            SH,
            "Sapporo Municipal Asahigaoka Senior High School",
            "Sapporo",
            U,
            city="Sapporo",
            review=RETURN_TWO_ALTS,
        ),
    ],
    "Hakodate City Board of Education": [
        alt(JH, "Hakodate Municipal Yunokawa Junior High School", "Hakodate", S),
        alt(
            EL,
            "Hakodate City Board of Education (six elementary schools)",
            "Hakodate",
            S,
            licence=AUTO,
        ),
    ],
    "Niseko Town Office": [
        cir("Niseko Town Office, Planning and Environment Division", "Niseko", R, licence=AUTO),
        sea("Niseko Town Office, Sports Promotion (winter sports)", "Niseko", R, licence=AUTO),
    ],
    "Aomori Prefectural Board of Education": [
        alt(SH, "Aomori Prefectural Hachinohe Senior High School", "Hachinohe", S),
        alt(SN, "Aomori Prefectural Aomori Special Needs School", "Aomori", S),
    ],
    "Hirosaki City Board of Education": [
        alt(JH, "Hirosaki Municipal Daiichi Junior High School", "Hirosaki", S),
        alt(
            EL,
            "Hirosaki City Board of Education (rural elementary schools)",
            "Hirosaki",
            R,
            licence=AUTO,
            japanese="N5",
        ),
    ],
    "Iwate Prefectural Board of Education": [
        alt(SH, "Iwate Prefectural Tono Senior High School", "Tono", R, licence=MANUAL),
        alt(SH, "Iwate Prefectural Kamaishi Senior High School", "Kamaishi", R, licence=AUTO),
    ],
    "Morioka City Board of Education": [
        alt(JH, "Morioka Municipal Shimohashi Junior High School", "Morioka", S),
    ],
    "Miyagi Prefectural Board of Education": [
        alt(SH, "Miyagi Prefectural Ishinomaki Senior High School", "Ishinomaki", S),
        alt(SH, "Miyagi Prefectural Kesennuma Senior High School", "Kesennuma", R, licence=AUTO),
    ],
    "Sendai City Board of Education": [
        alt(
            JH, "Sendai Municipal Nagamachi Junior High School", "Sendai", U, city="Sendai", seats=2
        ),
        alt(EL, "Sendai Municipal Kakyoin Elementary School", "Sendai", U, city="Sendai"),
    ],
    "Akita Prefectural Board of Education": [
        alt(SH, "Akita Prefectural Noshiro Senior High School", "Noshiro", R, licence=AUTO),
        alt(SH, "Akita Prefectural Yokote Senior High School", "Yokote", R),
    ],
    "Yokohama City Board of Education": [
        alt(
            JH,
            "Yokohama Municipal Minami Junior High School",
            "Yokohama",
            U,
            city="Yokohama",
            seats=2,
            housing="ASSISTED",
        ),
        alt(
            SH,
            "Yokohama Science Frontier Senior High School",
            "Yokohama",
            U,
            city="Yokohama",
            housing="ASSISTED",
        ),
    ],
    "Kawasaki City Board of Education": [
        alt(
            EL,
            "Kawasaki Municipal Miyazaki Elementary School",
            "Kawasaki",
            U,
            city="Kawasaki",
            housing="ASSISTED",
        ),
        alt(
            JH,
            "Kawasaki Municipal Nakahara Junior High School",
            "Kawasaki",
            U,
            city="Kawasaki",
            housing="ASSISTED",
            review=WAIT,
        ),
    ],
    "Niigata Prefectural Board of Education": [
        alt(SH, "Niigata Prefectural Sado Senior High School", "Sado", R, licence=AUTO),
        alt(SH, "Niigata Prefectural Nagaoka Senior High School", "Nagaoka", S),
    ],
    "Kanazawa City Board of Education": [
        alt(JH, "Kanazawa Municipal Kodatsuno Junior High School", "Kanazawa", U),
    ],
    "Nagano Prefectural Board of Education": [
        alt(SH, "Nagano Prefectural Iiyama Senior High School", "Iiyama", R, licence=AUTO),
        alt(SH, "Nagano Prefectural Ina Kita Senior High School", "Ina", R, licence=AUTO),
        alt(
            SH,
            "Nagano Prefectural Hakuba Senior High School",
            "Hakuba",
            R,
            licence=AUTO,
            seats=2,
            review=RETURN_ALLOCATION,
        ),
    ],
    "Matsumoto City Board of Education": [
        alt(JH, "Matsumoto Municipal Shinmei Junior High School", "Matsumoto", S),
    ],
    "Takayama City Hall": [
        cir("Takayama City Hall, International Affairs Division", "Takayama", R),
        sea("Takayama City Hall, Sports Division (mountain sports)", "Takayama", R, licence=AUTO),
    ],
    "Shizuoka Prefectural Board of Education": [
        alt(SH, "Shizuoka Prefectural Shimoda Senior High School", "Shimoda", R, licence=AUTO),
        alt(SN, "Shizuoka Prefectural Numazu Special Needs School", "Numazu", S),
    ],
    "Aichi Prefectural Board of Education": [
        alt(SH, "Aichi Prefectural Toyota Nishi Senior High School", "Toyota", S),
        alt(SH, "Aichi Prefectural Shinshiro Senior High School", "Shinshiro", R, licence=AUTO),
    ],
    "Nagoya City Board of Education": [
        alt(
            JH,
            "Nagoya Municipal Hikiyama Junior High School",
            "Nagoya",
            U,
            city="Nagoya",
            seats=2,
            housing="ASSISTED",
        ),
    ],
    "Kyoto Prefectural Board of Education": [
        alt(SH, "Kyoto Prefectural Fukuchiyama Senior High School", "Fukuchiyama", R, licence=AUTO),
        alt(SH, "Kyoto Prefectural Miyazu Senior High School", "Miyazu", R, licence=AUTO),
    ],
    "Kyoto City International Relations Office": [
        cir(
            "Kyoto City Hall, International Relations Office",
            "Kyoto",
            U,
            japanese="N1",
            city="Kyoto",
            housing="ASSISTED",
        ),
        cir(
            "Kyoto City Hall, International Relations Office (sister city Paris)",
            "Kyoto",
            U,
            cir_language="FR",
            city="Kyoto",
            housing="ASSISTED",
        ),
    ],
    HYOGO: [
        alt(SH, "Hyogo Prefectural Toyooka Senior High School", "Toyooka", R, licence=AUTO),
        alt(SH, "Hyogo Prefectural Kakogawa Higashi Senior High School", "Kakogawa", S),
        alt(SH, "Hyogo Prefectural Sasayama Homei Senior High School", "Tamba-Sasayama", R),
        alt(SH, "Hyogo Prefectural Awaji Senior High School", "Awaji", R, licence=AUTO),
        alt(SN, "Hyogo Prefectural Kobe Special Needs School", "Kobe", U, city="Kobe"),
        alt(SH, "Hyogo Prefectural Nishiwaki Senior High School", "Nishiwaki", S),
        alt(
            SH,
            "Hyogo Prefectural Kasumi Senior High School",
            "Kami",
            R,
            licence=MANUAL,
            review=WAIT,
        ),
    ],
    "Kobe City Board of Education": [
        alt(
            JH,
            "Kobe Municipal Fukiai Junior High School",
            "Kobe",
            U,
            city="Kobe",
            seats=2,
            housing="ASSISTED",
        ),
    ],
    "Himeji City Board of Education": [
        alt(JH, "Himeji Municipal Hirohata Junior High School", "Himeji", S),
        alt(EL, "Himeji Municipal Shirasagi Elementary School", "Himeji", S),
    ],
    "Toyooka City Board of Education": [
        alt(
            EL,
            "Toyooka City Board of Education (Kinosaki and Takeno elementary schools)",
            "Toyooka",
            R,
            licence=AUTO,
            japanese="N4",
        ),
        alt(
            JH,
            "Toyooka Municipal Tajima Junior High School",
            "Toyooka",
            R,
            housing="NONE",
            review=RETURN_HOUSING,
        ),
    ],
    "Nara Prefectural Board of Education": [
        alt(SH, "Nara Prefectural Gojo Senior High School", "Gojo", R, licence=AUTO),
        alt(SH, "Nara Prefectural Nara Senior High School", "Nara", U),
    ],
    "Matsue City Board of Education": [
        alt(JH, "Matsue Municipal Daiichi Junior High School", "Matsue", S),
    ],
    "Okayama Prefectural Government International Affairs Division": [
        cir(
            "Okayama Prefectural Government, International Affairs Division",
            "Okayama",
            U,
            city="Okayama",
        ),
        cir(
            "Okayama Prefectural Government (sister province Jiangxi)",
            "Okayama",
            U,
            cir_language="CN",
            city="Okayama",
        ),
    ],
    "Kurashiki City Board of Education": [
        alt(JH, "Kurashiki Municipal Mizushima Junior High School", "Kurashiki", S),
    ],
    "Hiroshima Prefectural Board of Education": [
        alt(SH, "Hiroshima Prefectural Miyoshi Senior High School", "Miyoshi", R, licence=AUTO),
        alt(SH, "Hiroshima Prefectural Onomichi Kita Senior High School", "Onomichi", S),
    ],
    "Hiroshima City Board of Education": [
        alt(
            JH,
            "Hiroshima Municipal Kannon Junior High School",
            "Hiroshima",
            U,
            city="Hiroshima",
            seats=2,
        ),
    ],
    "Yamaguchi Prefectural Board of Education": [
        alt(SH, "Yamaguchi Prefectural Hagi Senior High School", "Hagi", R, licence=AUTO),
    ],
    "Ehime Prefectural Board of Education": [
        alt(SH, "Ehime Prefectural Uchiko Senior High School", "Uchiko", R, licence=AUTO),
        alt(SH, "Ehime Prefectural Matsuyama Minami Senior High School", "Matsuyama", U),
    ],
    "Uwajima City Board of Education": [
        alt(
            MX,
            "Uwajima City Board of Education (junior high and elementary schools)",
            "Uwajima",
            R,
            licence=AUTO,
            japanese="N5",
        ),
    ],
    "Kochi Prefectural Board of Education": [
        alt(SH, "Kochi Prefectural Nakamura Senior High School", "Shimanto", R, licence=AUTO),
        alt(
            SH,
            "Kochi Prefectural Muroto Senior High School",
            "Muroto",
            R,
            licence=AUTO,
            review=RETURN_CLOSING,
        ),
    ],
    "Fukuoka Prefectural Board of Education": [
        alt(SH, "Fukuoka Prefectural Yame Senior High School", "Yame", R, licence=AUTO),
        alt(SH, "Fukuoka Prefectural Munakata Senior High School", "Munakata", S),
    ],
    "Fukuoka City Board of Education": [
        alt(
            JH,
            "Fukuoka Municipal Hakata Junior High School",
            "Fukuoka",
            U,
            city="Fukuoka",
            seats=2,
            housing="ASSISTED",
        ),
        alt(
            EL,
            "Fukuoka Municipal Ohori Elementary School",
            "Fukuoka",
            U,
            city="Fukuoka",
            housing="ASSISTED",
        ),
    ],
    "Kitakyushu City Board of Education": [
        alt(
            JH, "Kitakyushu Municipal Tobata Junior High School", "Kitakyushu", U, city="Kitakyushu"
        ),
    ],
    "Nagasaki City Board of Education": [
        alt(JH, "Nagasaki Municipal Yamazato Junior High School", "Nagasaki", S),
    ],
    "Kumamoto Prefectural Board of Education": [
        alt(SH, "Kumamoto Prefectural Aso Chuo Senior High School", "Aso", R, licence=AUTO),
        alt(SH, "Kumamoto Prefectural Amakusa Senior High School", "Amakusa", R, licence=AUTO),
    ],
    "Beppu City Board of Education": [
        alt(JH, "Beppu Municipal Chubu Junior High School", "Beppu", S),
    ],
    "Miyazaki Prefectural Government International Affairs Division": [
        cir("Miyazaki Prefectural Government, International Policy Division", "Miyazaki", S),
        sea("Miyazaki Prefectural Government, Sports Promotion Division", "Miyazaki", S),
    ],
    "Kagoshima Prefectural Board of Education": [
        alt(SH, "Kagoshima Prefectural Yakushima Senior High School", "Yakushima", R, licence=AUTO),
        alt(SH, "Kagoshima Prefectural Kanoya Senior High School", "Kanoya", S),
    ],
    "Okinawa Prefectural Board of Education": [
        alt(SH, "Okinawa Prefectural Nago Senior High School", "Nago", S),
        alt(SH, "Okinawa Prefectural Miyako Senior High School", "Miyakojima", R),
    ],
    "Ishigaki City Board of Education": [
        alt(MX, "Ishigaki City Board of Education (island schools)", "Ishigaki", R, licence=AUTO),
    ],
    "Tokyo Metropolitan Board of Education": [
        alt(SH, "Tokyo Metropolitan Kokusai Senior High School", "Meguro", U, housing="ASSISTED"),
        alt(SH, "Tokyo Metropolitan Oshima Senior High School", "Oshima", R),
        alt(
            SH,
            "Tokyo Metropolitan Hachioji Higashi Senior High School",
            "Hachioji",
            S,
            housing="ASSISTED",
            review=WAIT,
        ),
    ],
}

DUTIES = {
    "ELEMENTARY": "Team-teaches English activities with homeroom teachers",
    "JUNIOR_HIGH": "Team-teaches English with the Japanese teachers of English",
    "SENIOR_HIGH": "Team-teaches English communication and logic and expression classes",
    "SPECIAL_NEEDS": "Supports English and exchange activities adapted to each pupil",
    "MIXED": "Visits junior high and elementary schools in turn to team-teach English",
}


def _description(post: Post) -> str:
    if post.type == "CIR":
        text = (
            "Translation and interpreting, exchange events, language classes for residents "
            "and support for foreign residents."
        )
    elif post.type == "SEA":
        text = "Coaches local clubs and runs sports exchange with the municipality's partners."
    else:
        text = (
            f"{DUTIES[post.school_level]}, helps with the English club and speech contests, "
            "and joins school events."
        )
    if post.licence:
        text += " A car is needed to reach the visit schools; the organisation helps to lease one."
    if post.japanese and post.type == "ALT":
        text += " The ALT often visits alone, so everyday Japanese is needed."
    return text


def _fields(post: Post) -> dict:
    return {
        "type": post.type,
        "school_level": post.school_level,
        "base": post.base,
        "base_ja": BASE_JA.get(post.base, ""),
        "city": post.city,
        "municipality": post.municipality,
        "municipality_ja": MUNICIPALITY_JA.get(post.municipality, ""),
        "location": post.location,
        "driving_licence_required": post.licence,
        "min_japanese_level": post.japanese,
        "cir_language": post.cir_language,
        "housing": post.housing,
        "description": _description(post),
    }


# --- placements --------------------------------------------------------------------------

P = Placement.Status
C = Contract.Status
DECLINED, WITHDRAWN = P.DECLINED_BY_ORGANISATION, P.WITHDRAWN

# How far each demo placement goes, and with whom (None: CLAIR's choice by preference).
PLAN = [
    (P.CONFIRMED, HYOGO),
    (P.CONFIRMED, SAPPORO),
    (P.CONFIRMED, None),
    (P.ACCEPTED_BY_ORGANISATION, HYOGO),
    (P.ACCEPTED_BY_ORGANISATION, None),
    (C.DRAFT, SAPPORO),
    (C.DRAFT, None),
    (C.ISSUED, HYOGO),
    (C.ISSUED, None),
    (C.SIGNED, SAPPORO),
    (C.SIGNED, None),
    (C.IN_FORCE, HYOGO),
    (C.IN_FORCE, None),
    (C.IN_FORCE, None),
    (DECLINED, None),
    (WITHDRAWN, None),
]
DECLINE_REASON = (
    "The base school's English department asked for an ALT with experience of teaching "
    "teenagers; please propose another candidate for this position."
)
WITHDRAW_REASON = "A family member is ill and I need to stay at home this year."
ARRIVAL_GROUP = {"GB": "B", "IE": "B", "AU": "B", "NZ": "B"}  # others: Group A

HOUSING_TEXT = {
    "PROVIDED": (
        "an apartment arranged by the organisation; rent is paid by the participant",
        "本会が手配する住宅(家賃は参加者負担)",
    ),
    "ASSISTED": (
        "the organisation helps to find and rent an apartment",
        "住宅探し・賃貸契約を本会が支援する",
    ),
    "NONE": ("the participant finds their own housing", "住宅は参加者が各自で確保する"),
}


def conditions(position: PositionRequest) -> dict:
    organisation = position.organisation
    housing_en, housing_ja = HOUSING_TEXT[position.housing]
    return {
        "conditions_en": (
            "Working hours: 8:30 to 17:15, Monday to Friday, with a 45-minute break; work on "
            "a weekend or holiday is compensated with a day off. Paid leave: 20 days a year; "
            f"up to 20 unused days carry over. Housing: {housing_en}. Commuting allowance "
            f"under the rules of the {organisation.name_en}."
        ),
        "conditions_ja": (
            "勤務時間:月曜日から金曜日の8時30分から17時15分まで(休憩45分)。週休日・休日の勤務"
            "には振替休日を与える。年次有給休暇:年20日(20日を限度に翌年へ繰越可)。"
            f"住居:{housing_ja}。通勤手当は{organisation.name_ja}の規程により支給する。"
        ),
    }


# --- staff accounts ----------------------------------------------------------------------

STAFF_NAMES = [
    ("Haruka", "Nakamura"),
    ("Daisuke", "Kato"),
    ("Yumi", "Yoshida"),
    ("Shota", "Yamada"),
    ("Emi", "Sasaki"),
    ("Kazuki", "Yamaguchi"),
    ("Megumi", "Matsumoto"),
    ("Takuya", "Inoue"),
    ("Ayaka", "Kimura"),
    ("Ryo", "Hayashi"),
    ("Nanami", "Shimizu"),
    ("Kenta", "Yamazaki"),
    ("Saki", "Mori"),
    ("Yusuke", "Abe"),
    ("Mika", "Ikeda"),
    ("Hiroki", "Hashimoto"),
    ("Rie", "Ishikawa"),
]


def _username(organisation: Organisation) -> str:
    """co.<place> for a prefecture, co.<place>-city (or -town) for the others."""
    place = organisation.name_en.split()[0].lower()
    if organisation.contracting_type == "PREFECTURE":
        return f"co.{place}"
    return f"co.{place}-{'town' if ' Town ' in organisation.name_en else 'city'}"


class Seeder:
    def __init__(self, year: ProgrammeYear):
        self.year = year
        self.clair = User.objects.get(username="clair")
        self.mic = User.objects.get(username="mic")
        self.organisations = {
            o.name_en: o
            for o in Organisation.objects.filter(kind=Kind.CONTRACTING, name_en__in=POSITIONS)
        }

    def staff(self) -> dict[str, User]:
        """One staff account per demo contracting organisation (the demo's own where it
        has one: co.hyogo, co.sapporo), added with one password hash for all."""
        members: dict[int, int] = {}
        for membership in Membership.objects.filter(
            organisation__in=self.organisations.values()
        ).order_by("role", "user__username"):
            members.setdefault(membership.organisation_id, membership.user_id)
        password = None
        for n, organisation in enumerate(self.organisations.values()):
            if organisation.pk in members:
                continue
            username = _username(organisation)
            if User.objects.filter(username=username).exists():
                username = f"{username}-{organisation.pk}"
            first, last = STAFF_NAMES[n % len(STAFF_NAMES)]
            user = core_services.person_create(
                username=username,
                email=f"{username}@example.jp",
                password=None,
                first_name=first,
                last_name=last,
            )
            password = password or make_password(settings.DEMO_PASSWORD)
            User.objects.filter(pk=user.pk).update(password=password)
            core_services.membership_add(by=None, user=user, organisation=organisation)
            members[organisation.pk] = user.pk
        users = User.objects.in_bulk(members.values())
        # Fresh objects: each knows its organisation (the membership is cached per user).
        return {name: users[members[o.pk]] for name, o in self.organisations.items()}

    # Positions --------------------------------------------------------------------------

    def positions(self, staff: dict[str, User]) -> dict[str, int]:
        existing = set(
            PositionRequest.objects.filter(programme_year=self.year).values_list(
                "organisation__name_en", "base"
            )
        )
        approve, wait, returned = [], 0, 0
        for name, posts in POSITIONS.items():
            if name not in self.organisations:
                continue
            for post in posts:
                if (name, post.base) in existing:
                    continue
                rows = placement_services.position_request_create(
                    by=staff[name], seats=post.seats, **_fields(post)
                )
                if post.review == APPROVE:
                    approve += rows
                elif post.review == WAIT:
                    wait += len(rows)
                else:
                    returned += placement_services.positions_review(
                        by=self.mic, positions=rows, approve=False, reason=post.review
                    )
        approved = placement_services.positions_review(by=self.mic, positions=approve, approve=True)
        return {"approved": approved, "returned": returned, "waiting": wait}

    # Placements -------------------------------------------------------------------------

    def pool(self) -> list[Application]:
        """Forwarded candidates CLAIR may place here: not the one kept for the board,
        not partners (left together for "Suggest placements"); ALTs (CIRs are few and
        stay for the board unless an organisation's own step takes one), countries in
        turn."""
        candidates = (
            Application.objects.filter(
                programme_year=self.year, status=Application.Status.FORWARDED, partner_number=""
            )
            .exclude(applicant__username=UNPLACED_CANDIDATE)
            .order_by("pk")
        )
        turn: dict[str, int] = {}
        keyed = []
        for application in candidates:
            n = turn[application.country_id] = turn.get(application.country_id, -1) + 1
            key = (application.position != "ALT", n, application.country_id, application.pk)
            keyed.append((key, application))
        return [a for _key, a in sorted(keyed, key=lambda pair: pair[0])]

    def placements(self, staff: dict[str, User]) -> int:
        open_positions = list(
            PositionRequest.objects.filter(
                programme_year=self.year, state=PositionRequest.State.APPROVED
            )
            .exclude(placements__status__in=Placement.ACTIVE)
            .select_related("organisation")
            .order_by("pk")
        )
        pool = self.pool()
        fits = {}

        def fit(application, position):
            key = (application.pk, position.pk)
            if key not in fits:
                result = engine.fit(application, position)
                fits[key] = (result.cost, position.pk) if result.acceptable else None
            return fits[key]

        chosen: list[tuple[str, Application, PositionRequest]] = []
        # The named organisations first, so CLAIR's own choices leave their seats alone.
        steps = sorted(enumerate(PLAN), key=lambda s: s[1][1] is None)
        for _index, (target, organisation) in steps:
            best = None
            for application in pool:
                for position in open_positions:
                    if organisation and position.organisation.name_en != organisation:
                        continue
                    score = fit(application, position)
                    if score is not None and (best is None or score < best[0]):
                        best = (score, application, position)
                if best is not None and organisation is None:
                    break  # CLAIR's choice: the next candidate, in their best open seat
            if best is None:
                continue
            _score, application, position = best
            pool.remove(application)
            open_positions.remove(position)
            chosen.append((target, application, position))
        for n, (target, application, position) in enumerate(chosen):
            self.place(target, application, position, staff[position.organisation.name_en], n)
        return len(chosen)

    def place(self, target, application, position, org_staff: User, n: int) -> None:
        candidate = User.objects.get(pk=application.applicant_id)
        placement = placement_services.placement_confirm(
            by=self.clair,
            application=application,
            position=position,
            arrival_group=ARRIVAL_GROUP.get(application.country_id, "A"),
        )
        if target == P.CONFIRMED:
            return
        if target == DECLINED:
            placement_services.placement_decline(
                by=org_staff, placement=placement, reason=DECLINE_REASON
            )
            return
        placement_services.placement_accept(by=org_staff, placement=placement)
        if target == P.ACCEPTED_BY_ORGANISATION:
            return
        contract = placement_services.placement_candidate_accept(by=candidate, placement=placement)
        if target == WITHDRAWN:
            placement_services.placement_withdraw(
                by=candidate, placement=placement, reason=WITHDRAW_REASON
            )
            return
        if target == C.DRAFT:
            return
        contract = placement_services.contract_update(
            by=org_staff, contract=contract, **conditions(position)
        )
        placement_services.contract_issue(by=org_staff, contract=contract)
        if target == C.ISSUED:
            return
        contract = placement_services.contract_sign(
            by=candidate,
            contract=contract,
            typed_name=candidate.get_full_name(),
            agree=True,
            address=f"203.0.113.{20 + n}",
        )
        if target == C.SIGNED:
            return
        placement_services.contract_countersign(by=org_staff, contract=contract)


# --- the participant in contract year 2 --------------------------------------------------


def _at(day: dt.date, hour: int = 10, tz=TOKYO) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(hour), tzinfo=tz)


def earlier_programme_year(year: int) -> ProgrammeYear:
    """An earlier programme year with the demo calendar's dates, and its salary scale."""
    year = programme_year_ensure(year, demo_calendar())
    for contract_year, annual_yen in SALARY_SCALE.items():
        SalaryStep.objects.get_or_create(
            programme_year=year, contract_year=contract_year, defaults={"annual_yen": annual_yen}
        )
    return year


def seed_participant(hyogo_staff: User) -> bool:
    """Sarah O'Connor: applied two programme years ago through Washington, placed with
    Hyogo, contract year 1 from that year's Group A and, re-appointed, contract year 2
    in force today."""
    person = User.objects.filter(username="participant").first()
    if person is None:
        return False
    cal = demo_calendar()
    y = cal.year - 2  # the year she applied in and arrived
    year = earlier_programme_year(y)
    if Application.objects.filter(applicant=person, programme_year=year).exists():
        return False
    current = ProgrammeYear.objects.filter(year=year.year + 1).first() or year
    mission = Organisation.objects.get(kind=Kind.MISSION, name_en=US_EMBASSY)
    clair = Organisation.objects.get(kind=Kind.CLAIR)
    hyogo = hyogo_staff.organisation
    us = Country.objects.get(code="US")
    mic = User.objects.get(username="mic")
    clair_user = User.objects.get(username="clair")
    application = Application.objects.create(
        number=f"JET{year.year % 100:02d}-TMP{person.pk}",
        programme_year=year,
        applicant=person,
        mission=mission,
        country=us,
        position="ALT",
        status=Application.Status.FORWARDED,
        family_name=person.last_name,
        given_names=person.first_name,
        date_of_birth=dt.date(y - 24, 4, 17),
        citizenship=us,
        email=person.email,
        phone="+1 202 555 0147",
        address="1418 Q Street NW\nWashington, DC 20009\nUnited States",
        japanese_level="N4",
        teaching_experience="Tutored middle-school students in reading and writing for two years.",
        qualifications="TEFL certificate (120 hours)",
        driving_licence="AUTOMATIC",
        preference_1="28",
        preference_2="26",
        preference_3="34",
        location_preference="SEMI_URBAN",
        statement_of_purpose=(
            "My interest in Japan began with a semester abroad in Nagoya. As a volunteer "
            "tutor I learned that patience and humour matter more than perfect grammar, and "
            "on the JET Programme I hope to support my Japanese colleagues in the classroom."
        ),
        eligibility=Application.Eligibility.ELIGIBLE,
        decided_by=User.objects.filter(username="embassy.us.manager").first(),
        decided_at=_at(cal.date(y, 3, 14), tz=HAWAII),
        results_released_at=_at(year.results_release, tz=HAWAII),
        forwarded_at=_at(cal.date(y, 5, 20), tz=HAWAII),
        submitted_at=_at(cal.date(y - 1, 11, 8), tz=HAWAII),
    )
    Application.objects.filter(pk=application.pk).update(
        number=f"JET{year.year % 100:02d}-{application.pk:07d}",
        created_at=_at(cal.date(y - 1, 10, 2), tz=HAWAII),
    )
    access.grant_user("view", application, person)
    access.grant_user("change", application, person)
    for perm in ("view", "review_application", "decide_application"):
        access.grant(perm, application, mission)
    access.grant("view_medical_application", application, mission, managers_only=True)
    access.grant("view", application, clair)
    access.grant("view_medical_application", application, clair)

    position = PositionRequest.objects.create(
        programme_year=year,
        organisation=hyogo,
        prefecture=hyogo.prefecture,
        type="ALT",
        school_level=PositionRequest.SchoolLevel.SENIOR_HIGH,
        base="Hyogo Prefectural Himeji Nishi Senior High School",
        base_ja=BASE_JA["Hyogo Prefectural Himeji Nishi Senior High School"],
        municipality="Himeji",
        municipality_ja=MUNICIPALITY_JA["Himeji"],
        location="SEMI_URBAN",
        driving_licence_required="",
        housing=PositionRequest.Housing.PROVIDED,
        description=_description(alt(SH, "", "", S)),
        state=PositionRequest.State.APPROVED,
        reviewed_by=mic,
        reviewed_at=_at(cal.date(y, 2, 18)),
    )
    PositionRequest.objects.filter(pk=position.pk).update(created_at=_at(cal.date(y - 1, 12, 6)))
    access.grant("view", position, hyogo)
    access.grant("change", position, hyogo)

    placement = Placement.objects.create(
        application=application,
        position=position,
        status=P.ACCEPTED,
        arrival_group=Placement.ArrivalGroup.A,
        confirmed_by=clair_user,
        decided_at=_at(cal.date(y, 6, 3)),
    )
    Placement.objects.filter(pk=placement.pk).update(confirmed_at=_at(cal.date(y, 5, 27)))
    for organisation in (hyogo, mission):
        access.grant("view", placement, organisation)
    access.grant("change", placement, hyogo)
    access.grant_user("view", placement, person)

    signature = " ".join(person.get_full_name().split())
    first_start = year.departure_group_a
    terms = conditions(position)
    history = [
        # (contract year, start, pay scale's year, drafted, signed, countersigned)
        (1, first_start, year, cal.date(y, 6, 5), cal.date(y, 6, 20), cal.date(y, 6, 27)),
        (
            2,
            one_year_from(first_start) + dt.timedelta(days=1),
            current,
            cal.date(y + 1, 2, 20),
            cal.date(y + 1, 3, 2),
            cal.date(y + 1, 3, 9),
        ),
    ]
    for contract_year, start, scale_year, drafted, signed, countersigned in history:
        contract = Contract.objects.create(
            placement=placement,
            version=contract_year,
            contract_year=contract_year,
            start_date=start,
            end_date=one_year_from(start),
            remuneration=remuneration_for(scale_year, contract_year),
            status=C.IN_FORCE,
            participant_signature=signature,
            participant_signed_at=_at(signed, 21),
            participant_address="203.0.113.10",
            countersigned_by=hyogo_staff,
            countersigned_at=_at(countersigned, 14),
            **terms,
        )
        Contract.objects.filter(pk=contract.pk).update(created_at=_at(drafted, 9))
        contract_grant(contract)
    return True


def seed(stdout) -> None:
    year = ProgrammeYear.objects.get(is_current=True)
    seeder = Seeder(year)
    staff = seeder.staff()
    counts = seeder.positions(staff)
    placed = 0
    if not Placement.objects.filter(application__programme_year=year).exists():
        placed = seeder.placements(staff)
    participant = HYOGO in staff and seed_participant(staff[HYOGO])
    if sum(counts.values()) or placed or participant:
        contracts = Contract.objects.filter(placement__application__programme_year=year).count()
        stdout.write(
            f"CLAIR: {sum(counts.values())} positions for {year.year} from {len(staff)} "
            f"contracting organisations ({counts['approved']} approved by MIC, "
            f"{counts['returned']} returned, {counts['waiting']} awaiting review), {placed} "
            f"placements and {contracts} contracts; `participant` is in contract year 2 "
            "with Hyogo."
        )
    stdout.write(
        f"Contracting organisation accounts (password: {settings.DEMO_PASSWORD}): co.hyogo, "
        "co.sapporo, and co.<place>, co.<place>-city or co.<place>-town for the others "
        "(e.g. co.kobe-city). "
        f"{UNPLACED_CANDIDATE} is a forwarded candidate not placed yet."
    )
