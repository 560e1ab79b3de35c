"""Demo data for the missions and their applicants: about 300 applications for the
current programme year over the demo missions, in every state from draft to forwarded.

Everything is written through the services, as the people who would do it: each
applicant fills in, uploads and submits their own application; referees upload their
letters through the single-use link they were emailed; mission staff screen, interview
and score; the mission's manager decides, releases results and forwards to CLAIR. So
permissions and notifications are exactly what the real path leaves behind.

The current year's application window has closed, so the deadline is moved into the
future while the applications are written and put back afterwards.

Idempotent: the staff accounts and rubrics are only added when missing, and the
applications only when no demo applicant has applied yet this year.
"""

import datetime as dt
import random
import unicodedata
from dataclasses import dataclass, field
from functools import cached_property
from zoneinfo import ZoneInfo

from django.conf import settings
from django.contrib.auth.hashers import make_password
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.urls import NoReverseMatch, reverse
from django.utils import timezone

from apps.core import services as core_services
from apps.core.models import Country, Kind, Membership, Organisation, ProgrammeYear, Role, User
from apps.core.reference_data import DESIGNATED_CITIES
from apps.core.reference_data import PREFECTURES as PREFECTURE_ROWS
from apps.demo.calendar import demo_calendar
from apps.demo.documents import pdf_bytes
from apps.notifications.models import Notification
from apps.recruitment import services
from apps.recruitment.choices import DrivingLicence, JapaneseLevel, LocationPreference, Position
from apps.recruitment.models import (
    Application,
    ApplicationDocument,
    Education,
    Referee,
    ReplyForm,
    ResultRelease,
    RubricCriterion,
    Score,
)

Status = Application.Status
DocKind = ApplicationDocument.Kind

USERNAME_PREFIX = "demo."


# --- the missions ------------------------------------------------------------------------


@dataclass(frozen=True)
class MissionPlan:
    key: str
    country: str
    name_en: str
    tz: str
    applications: int
    released: bool  # results released: applicants see outcomes, replies, forwarding
    location: str
    airports: tuple[str, ...]
    cities: tuple[str, ...]
    universities: tuple[str, ...]


MISSIONS = [
    MissionPlan(
        "us-dc",
        "US",
        "Embassy of Japan in the United States",
        "America/New_York",
        90,
        False,
        "Embassy of Japan, 2520 Massachusetts Avenue NW, Washington, DC",
        ("Washington Dulles (IAD)", "Baltimore/Washington (BWI)"),
        (
            "Washington, DC 20009",
            "Arlington, VA 22201",
            "Alexandria, VA 22314",
            "Richmond, VA 23220",
            "Charlottesville, VA 22903",
            "Baltimore, MD 21218",
            "Silver Spring, MD 20910",
            "College Park, MD 20740",
            "Morgantown, WV 26505",
        ),
        (
            "Georgetown University",
            "George Washington University",
            "University of Maryland, College Park",
            "University of Virginia",
            "Virginia Tech",
            "Johns Hopkins University",
            "Howard University",
            "George Mason University",
            "West Virginia University",
            "College of William & Mary",
        ),
    ),
    MissionPlan(
        "us-ny",
        "US",
        "Consulate-General of Japan in New York",
        "America/New_York",
        60,
        True,
        "Consulate-General of Japan, 299 Park Avenue, New York, NY",
        ("New York JFK (JFK)", "Newark Liberty (EWR)", "Philadelphia (PHL)"),
        (
            "Brooklyn, NY 11215",
            "New York, NY 10027",
            "Albany, NY 12203",
            "Buffalo, NY 14214",
            "Jersey City, NJ 07302",
            "Princeton, NJ 08540",
            "New Haven, CT 06511",
            "Philadelphia, PA 19104",
            "Pittsburgh, PA 15213",
            "Wilmington, DE 19801",
        ),
        (
            "Columbia University",
            "New York University",
            "Rutgers University",
            "Yale University",
            "University of Pennsylvania",
            "Penn State University",
            "University of Delaware",
            "Cornell University",
            "Fordham University",
            "Temple University",
        ),
    ),
    MissionPlan(
        "gb",
        "GB",
        "Embassy of Japan in the United Kingdom",
        "Europe/London",
        42,
        True,
        "Embassy of Japan, 101-104 Piccadilly, London",
        ("London Heathrow (LHR)", "Manchester (MAN)"),
        (
            "London N7 8DB",
            "Manchester M14 5RX",
            "Birmingham B29 6BD",
            "Leeds LS6 1AN",
            "Bristol BS8 1TH",
            "Cardiff CF24 4HQ",
            "Swansea SA2 8PP",
            "Belfast BT7 1NN",
            "Newcastle upon Tyne NE2 4HH",
            "Norwich NR4 7TJ",
        ),
        (
            "University of Leeds",
            "University of Manchester",
            "SOAS University of London",
            "University of Sheffield",
            "Cardiff University",
            "Queen's University Belfast",
            "University of Bristol",
            "Durham University",
            "Newcastle University",
            "University of East Anglia",
        ),
    ),
    MissionPlan(
        "ca",
        "CA",
        "Embassy of Japan in Canada",
        "America/Toronto",
        32,
        True,
        "Embassy of Japan, 255 Sussex Drive, Ottawa",
        ("Ottawa (YOW)", "Montréal-Trudeau (YUL)"),
        (
            "Ottawa, ON K1N 6N5",
            "Kingston, ON K7L 3N6",
            "Gatineau, QC J8X 3X7",
            "Montréal, QC H3A 0G4",
            "Québec, QC G1V 0A6",
            "Sherbrooke, QC J1K 2R1",
        ),
        (
            "University of Ottawa",
            "Carleton University",
            "Queen's University",
            "McGill University",
            "Université de Montréal",
            "Université Laval",
            "Concordia University",
        ),
    ),
    MissionPlan(
        "au",
        "AU",
        "Embassy of Japan in Australia",
        "Australia/Sydney",
        24,
        True,
        "Embassy of Japan, 112 Empire Circuit, Yarralumla, Canberra",
        ("Canberra (CBR)", "Sydney (SYD)"),
        (
            "Braddon ACT 2612",
            "Turner ACT 2612",
            "Belconnen ACT 2617",
            "Kingston ACT 2604",
            "Gungahlin ACT 2912",
            "Tuggeranong ACT 2900",
        ),
        (
            "Australian National University",
            "University of Canberra",
            "University of Sydney",
            "Monash University",
            "University of Queensland",
        ),
    ),
    MissionPlan(
        "nz",
        "NZ",
        "Embassy of Japan in New Zealand",
        "Pacific/Auckland",
        18,
        True,
        "Embassy of Japan, Level 18, 100 Willis Street, Wellington",
        ("Auckland (AKL)", "Wellington (WLG)"),
        (
            "Ponsonby, Auckland 1011",
            "Hamilton 3216",
            "Tauranga 3110",
            "Rotorua 3010",
            "Napier 4110",
            "Palmerston North 4410",
            "New Plymouth 4310",
        ),
        (
            "University of Auckland",
            "Victoria University of Wellington",
            "University of Waikato",
            "Massey University",
            "Auckland University of Technology",
        ),
    ),
    MissionPlan(
        "ie",
        "IE",
        "Embassy of Japan in Ireland",
        "Europe/Dublin",
        14,
        True,
        "Embassy of Japan, Nutley Building, Merrion Centre, Dublin 4",
        ("Dublin (DUB)", "Shannon (SNN)"),
        ("Dublin 8", "Cork T12 K8AF", "Galway H91 TK33", "Limerick V94 T9PX", "Sligo F91 YW50"),
        (
            "Trinity College Dublin",
            "University College Dublin",
            "University College Cork",
            "University of Galway",
            "University of Limerick",
            "Maynooth University",
        ),
    ),
    MissionPlan(
        "ph",
        "PH",
        "Embassy of Japan in the Philippines",
        "Asia/Manila",
        12,
        False,
        "Embassy of Japan, 2627 Roxas Boulevard, Pasay City",
        ("Manila Ninoy Aquino (MNL)", "Clark (CRK)"),
        ("Quezon City 1101", "Makati 1226", "Pasig 1605", "Baguio 2600", "Angeles 2009"),
        (
            "University of the Philippines Diliman",
            "Ateneo de Manila University",
            "De La Salle University",
            "University of Santo Tomas",
            "Philippine Normal University",
        ),
    ),
    MissionPlan(
        "cn",
        "CN",
        "Embassy of Japan in China",
        "Asia/Shanghai",
        10,
        False,
        "Embassy of Japan, 1 Liangmaqiao Dongjie, Chaoyang District, Beijing",
        ("Beijing Capital (PEK)", "Tianjin Binhai (TSN)"),
        ("Haidian District, Beijing", "Nankai District, Tianjin", "Shenyang, Liaoning", "Dalian"),
        (
            "Beijing Foreign Studies University",
            "Peking University",
            "Nankai University",
            "Dalian University of Foreign Languages",
            "Tianjin Foreign Studies University",
        ),
    ),
]

# (mission key, username, first name, last name, role)
STAFF = [
    ("us-dc", "embassy.us.manager", "Daisuke", "Ogawa", Role.MANAGER),
    ("us-dc", "embassy.us.reviewer", "Marcus", "Reed", Role.STAFF),
    ("us-ny", "consulate.ny.manager", "Megumi", "Hayashi", Role.MANAGER),
    ("gb", "embassy.uk.manager", "Ryo", "Fujimoto", Role.MANAGER),
    ("ca", "embassy.ca.manager", "Yoko", "Ishikawa", Role.MANAGER),
    ("au", "embassy.au.manager", "Shota", "Kimura", Role.MANAGER),
    ("nz", "embassy.nz.manager", "Akane", "Matsuda", Role.MANAGER),
    ("ie", "embassy.ie.manager", "Haruka", "Inoue", Role.MANAGER),
    ("ph", "embassy.ph.manager", "Kazuki", "Shimizu", Role.MANAGER),
    ("cn", "embassy.cn.manager", "Emi", "Okada", Role.MANAGER),
]

# name_en, name_ja, weight, for each mission; a few missions weigh differently.
RUBRIC = [
    ("Motivation", "志望動機", 3),
    ("Communication", "コミュニケーション能力", 3),
    ("Adaptability", "適応力", 2),
    ("Teaching potential", "指導力", 2),
    ("Interest in Japan", "日本への関心", 1),
]
RUBRIC_WEIGHTS = {"gb": (3, 2, 2, 3, 1), "cn": (2, 3, 2, 1, 3)}


# --- people ------------------------------------------------------------------------------

NAMES = {
    "US": (
        "Emma Olivia Ava Sophia Isabella Mia Abigail Madison Hannah Grace Chloe Zoë Natalie "
        "Maya Aaliyah Jasmine Priya Mei Camila Lucía Valeria Ethan Liam Noah Mason Logan "
        "Caleb Tyler Marcus Darnell Andre Diego Mateo José Carlos Kevin Brian Daniel Ryan "
        "Minh Rahul Arjun Samuel Isaiah Elijah Owen Connor Brendan Natasha Renée Kenji Emi",
        "Smith Johnson Williams Brown Jones Garcia Davis Rodríguez Martínez Hernández Lopez "
        "Gonzalez Wilson Anderson Thomas Taylor Moore Jackson Martin Lee Thompson White Harris "
        "Clark Lewis Robinson Walker Young Allen King Wright Nguyễn Tran Kim Park Patel Shah "
        "Okafor Washington O'Brien Kowalski Schröder Novak Rossi Nakamura Tanaka Yamada Sato",
    ),
    "GB": (
        "Harry George Jack Charlie Thomas James William Alfie Freddie Amelia Isla Ava Emily "
        "Poppy Sophie Jessica Ellie Charlotte Rhys Gethin Siân Ffion Aisha Priya Mohammed "
        "Zainab Chidi Tomasz Zofia Niamh Ciarán Imogen Harriet",
        "Smith Jones Taylor Brown Williams Wilson Johnson Davies Robinson Wright Thompson "
        "Evans Walker White Roberts Green Hall Wood Jackson Clarke Patel Khan Ahmed Begum "
        "Llewellyn McAllister Nowak Okonkwo Ó Súilleabháin Fernández",
    ),
    "CA": (
        "Liam Noah Olivia Emma Charlotte Benjamin Lucas Chloé Félix Gabrielle Léa Mathis Zoé "
        "Émile Aiden Avery Harpreet Jaspreet Wei Mackenzie Cole Brooke Madeleine Étienne",
        "Tremblay Gagnon Roy Côté Bouchard Gauthier Morin Lavoie Fortin Smith Brown Wilson "
        "MacDonald Campbell Stewart Singh Chen Wong Fraser Bélanger Pelletier Sasaki",
    ),
    "AU": (
        "Jack Oliver William Lachlan Cooper Ethan Harrison Mitchell Charlotte Olivia Mia "
        "Chloe Isla Matilda Ruby Georgia Jessica Thanh Nikos Giulia",
        "Smith Jones Williams Brown Wilson Taylor Nguyen Anderson Thompson Kelly Martin Ryan "
        "Papadopoulos Russo Murphy Campbell O'Neill Mitchell Walsh",
    ),
    "NZ": (
        "Oliver Jack Noah Leo George Nikau Tane Mere Aroha Olivia Charlotte Isla Amelia Ruby "
        "Manaia Sione Mele Tūī",
        "Smith Wilson Williams Brown Taylor Ngata Parata Te Whata Fifita Tuilagi Anderson "
        "Thompson Walker Harris Campbell",
    ),
    "IE": (
        "Seán Conor Cian Darragh Oisín Liam Jack Fionn Aoife Niamh Saoirse Ciara Siobhán Orla "
        "Róisín Caoimhe Emma Sarah",
        "Murphy Kelly O'Sullivan Walsh Smith O'Brien Byrne Ryan O'Connor O'Neill Doyle "
        "McCarthy Gallagher Ó Briain Mac Cárthaigh Ní Bhriain",
    ),
    "PH": (
        "Juan José Mark Christian Angelo Carlo Miguel Rafael Maria Angelica Kristine Jasmine "
        "Patricia Camille Andrea Nicole",
        "Santos Reyes Cruz Bautista Ocampo Garcia Mendoza Torres Dela Cruz Villanueva Ramos "
        "Aquino Castillo Fernández Navarro",
    ),
}
# Names written together must stay together ("Dela Cruz", "Te Whata", "Ó Súilleabháin").
_JOINED = ("Dela Cruz", "Te Whata", "Ó Súilleabháin", "Ó Briain", "Mac Cárthaigh", "Ní Bhriain")

# Chinese applicants: (pinyin as in the passport, the same name in Japanese kanji).
CHINESE_FAMILY = [
    ("Wang", "王"),
    ("Li", "李"),
    ("Zhang", "張"),
    ("Liu", "劉"),
    ("Chen", "陳"),
    ("Yang", "楊"),
    ("Zhao", "趙"),
    ("Huang", "黄"),
    ("Zhou", "周"),
    ("Wu", "呉"),
]
CHINESE_GIVEN = [
    ("Wei", "偉"),
    ("Fang", "芳"),
    ("Min", "敏"),
    ("Jing", "静"),
    ("Lei", "磊"),
    ("Jie", "傑"),
    ("Xiuying", "秀英"),
    ("Hao", "浩"),
    ("Xin", "欣"),
    ("Yuting", "雨婷"),
]

# Applicants of Japanese descent write their name in kanji.
KANJI_FAMILY = {
    "Nakamura": "中村",
    "Tanaka": "田中",
    "Yamada": "山田",
    "Sato": "佐藤",
    "Sasaki": "佐々木",
}
KANJI_GIVEN = {"Kenji": "健二", "Emi": "恵美"}
# Others who read Japanese often give their name in katakana.
KATAKANA = {
    "Emma": "エマ",
    "Olivia": "オリビア",
    "Sophia": "ソフィア",
    "Hannah": "ハンナ",
    "Grace": "グレース",
    "Chloe": "クロエ",
    "Maya": "マヤ",
    "Ethan": "イーサン",
    "Liam": "リアム",
    "Noah": "ノア",
    "Ryan": "ライアン",
    "Daniel": "ダニエル",
    "Samuel": "サミュエル",
    "Owen": "オーウェン",
    "Kevin": "ケビン",
    "Marcus": "マーカス",
    "Jack": "ジャック",
    "James": "ジェームズ",
    "Charlotte": "シャーロット",
    "Amelia": "アメリア",
    "Thomas": "トーマス",
    "Sarah": "サラ",
    "Aoife": "イーファ",
    "Niamh": "ニーヴ",
    "Isla": "アイラ",
    "Ruby": "ルビー",
    "Smith": "スミス",
    "Johnson": "ジョンソン",
    "Williams": "ウィリアムズ",
    "Brown": "ブラウン",
    "Davis": "デイビス",
    "Garcia": "ガルシア",
    "Wilson": "ウィルソン",
    "Taylor": "テイラー",
    "Lee": "リー",
    "Walker": "ウォーカー",
    "Kim": "キム",
    "Murphy": "マーフィー",
    "Kelly": "ケリー",
    "Evans": "エヴァンズ",
    "Jones": "ジョーンズ",
    "Martin": "マーティン",
    "Clark": "クラーク",
    "Wright": "ライト",
    "Thompson": "トンプソン",
    "Campbell": "キャンベル",
    "Tremblay": "トランブレー",
}

EMAIL_DOMAINS = ("example.com", "example.org", "example.net")
PHONES = {
    "US": "+1 202 555 01{:02d}",
    "GB": "+44 7700 900{:03d}",
    "CA": "+1 613 555 01{:02d}",
    "AU": "+61 491 570 {:03d}",
    "NZ": "+64 21 555 {:04d}",
    "IE": "+353 85 555 {:04d}",
    "PH": "+63 917 555 {:04d}",
    "CN": "+86 138 0000 {:04d}",
}
STREETS = (
    "Maple Street",
    "Oak Avenue",
    "Church Road",
    "Station Road",
    "Park Lane",
    "High Street",
    "Victoria Road",
    "King Street",
    "Elm Drive",
    "Riverside Way",
)
FIELDS_ALT = (
    "English Literature",
    "Linguistics",
    "Education",
    "History",
    "Psychology",
    "International Relations",
    "Biology",
    "Music",
    "Political Science",
    "Communications",
    "Anthropology",
    "Mathematics",
    "Spanish",
    "Economics",
    "Japanese Studies",
)
FIELDS_CIR = (
    "Japanese",
    "Japanese Studies",
    "East Asian Languages and Cultures",
    "Translation Studies",
    "Asian Studies",
    "International Relations",
)
TEACHING = (
    "",
    "",
    "Tutored high-school students in reading and writing for two years.",
    "Volunteer English conversation partner for refugees at a community centre.",
    "Teaching assistant for an undergraduate writing course (two semesters).",
    "Summer-camp counsellor and swimming instructor for children aged 8 to 12.",
    "Substitute teacher in public middle schools for one school year.",
    "Taught English online to adult learners part-time.",
)
QUALIFICATIONS = (
    "",
    "",
    "",
    "TEFL certificate (120 hours)",
    "CELTA",
    "TESOL certificate (online, 150 hours)",
    "Teaching licence, secondary English",
)
REFEREE_ROLES = (
    "Academic adviser",
    "Professor, Department of History",
    "Thesis supervisor",
    "Manager at part-time job",
    "Volunteer coordinator",
    "Head teacher where I volunteered",
)
REFEREE_NAMES = (
    "Dr. Margaret Hollis",
    "Prof. Alan Whitfield",
    "Dr. Sunita Rao",
    "Prof. Keiko Morita",
    "Dr. Patrick Doherty",
    "Ms. Linda Okoro",
    "Mr. Graham Fletcher",
    "Dr. Ana Beltrán",
    "Prof. Hugh Llewellyn",
    "Ms. Rachel Stein",
    "Dr. Wen Zhao",
    "Mr. David Kealoha",
)
# Placement wishes as the applicant form stores them: a prefecture's JIS code ("28") or a
# designated city ("28-Kobe"). Some places are asked for far more often than others.
POPULAR_PLACES = ("01", "26", "47", "28", "20", "40", "34", "13", "27", "29", "14", "46")
PREFERENCES = (
    *(row[0] for row in PREFECTURE_ROWS),
    *POPULAR_PLACES,
    *POPULAR_PLACES,
    *(f"{code}-{name_en}" for code, name_en, _name_ja in DESIGNATED_CITIES),
)
STATEMENT_OPENINGS = (
    "My interest in Japan began with a semester abroad in Nagoya, where I lived with a host "
    "family who taught me more than any textbook could.",
    "I first studied Japanese at my local community college and have kept at it ever since, "
    "because every new word opened another door.",
    "Working with young learners has been the thread through everything I have done since "
    "I left school.",
    "Growing up in a small town, I know how much a visitor from far away can change the way "
    "children see the world.",
    "My grandmother left Hiroshima in 1962, and I want to understand the country she still "
    "calls home.",
    "As a volunteer tutor I learned that patience and humour matter more than perfect grammar.",
)
STATEMENT_MIDDLES = (
    "In my final year I led a peer-mentoring programme for first-year students, planning "
    "weekly sessions and adapting them when attendance dropped.",
    "I have organised cultural exchange evenings on campus, bringing together international "
    "students and local residents over food, music and games.",
    "Coaching a youth football team taught me how to explain one idea five different ways "
    "until it lands.",
    "My part-time job at a public library involved running reading hours for children and "
    "helping adults with job applications.",
    "I interned at a city sister-city office, drafting correspondence and hosting a visiting "
    "delegation from Japan.",
)
STATEMENT_CLOSINGS = (
    "I would bring energy and curiosity to a rural placement, and I would take back an "
    "understanding of Japan to share with my own community.",
    "On the JET Programme I hope to support my Japanese colleagues in the classroom and to "
    "take part fully in the life of my town.",
    "I am ready to learn from my students as much as they learn from me, and to stay "
    "involved in exchange long after the programme.",
)
COMMENTS = {
    "high": (
        "Clear, specific motivation; strong record of working with young people.",
        "Excellent communicator; thoughtful answers on adapting to rural life.",
        "Convincing statement and very good references.",
    ),
    "mid": (
        "Solid application; motivation somewhat generic.",
        "Good experience but the statement lacks detail about the role.",
        "Friendly and open; limited classroom experience.",
    ),
    "low": (
        "Statement does not address the role; little evidence of adaptability.",
        "Weak answers on teaching scenarios.",
        "Motivation focused on travel rather than the programme.",
    ),
}
# Reasons the eligibility check will find, and the facts that produce them.
INELIGIBLE = ("citizenship", "degree_too_late", "lived_in_japan", "too_soon", "declined")
OTHER_CITIZENSHIP = {
    "US": "MX",
    "GB": "IN",
    "CA": "FR",
    "AU": "NZ",
    "NZ": "AU",
    "IE": "GB",
    "PH": "KR",
    "CN": "KR",
}


# --- target states -----------------------------------------------------------------------

# Where each application ends, as shares of a mission's applications. Released missions
# have decided everyone, told them, collected replies and forwarded; the others are
# still screening and interviewing, with some decisions recorded but not yet told.
RELEASED_SHARES = {
    "DRAFT": 0.07,
    "WITHDRAWN_EARLY": 0.03,
    "NOT_SELECTED_PAPER": 0.27,
    "NOT_SELECTED": 0.17,
    "ALTERNATE": 0.12,
    "SHORTLISTED": 0.10,
    "FORWARDED": 0.16,
    "DECLINED": 0.05,
    "WITHDRAWN_LATE": 0.03,
}
OPEN_SHARES = {
    "DRAFT": 0.10,
    "WITHDRAWN_EARLY": 0.04,
    "SUBMITTED": 0.22,
    "INTERVIEW": 0.26,
    "NOT_SELECTED": 0.16,
    "ALTERNATE": 0.08,
    "SHORTLISTED": 0.14,
}
INTERVIEWED = {
    "NOT_SELECTED",
    "ALTERNATE",
    "SHORTLISTED",
    "FORWARDED",
    "DECLINED",
    "WITHDRAWN_LATE",
}
SHORTLIST = {"SHORTLISTED", "FORWARDED", "DECLINED", "WITHDRAWN_LATE"}


def _allocate(total: int, shares: dict[str, float]) -> list[str]:
    """`total` target states in the given shares (largest remainder), each at least once."""
    raw = {state: total * share for state, share in shares.items()}
    counts = {state: max(1, int(value)) for state, value in raw.items()}
    order = sorted(shares, key=lambda s: raw[s] - int(raw[s]), reverse=True)
    i = 0
    while sum(counts.values()) < total:
        counts[order[i % len(order)]] += 1
        i += 1
    while sum(counts.values()) > total:
        largest = max(counts, key=counts.get)
        counts[largest] -= 1
    return [state for state, count in counts.items() for _ in range(count)]


@dataclass
class Profile:
    username: str
    plan: MissionPlan
    target: str
    position: str
    given: str
    family: str
    name_japanese: str
    quality: float
    email: str = ""
    ineligible: str = ""
    user: User | None = None
    application: Application | None = None
    booked: bool = False
    fields: dict = field(default_factory=dict)


def _ascii(text: str) -> str:
    return unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()


def _split_names(text: str) -> list[str]:
    for joined in _JOINED:
        text = text.replace(joined, joined.replace(" ", "_"))
    return [name.replace("_", " ") for name in text.split()]


def _name(rng: random.Random, country: str, position: str) -> tuple[str, str, str]:
    """(given names, family name, name in Japanese script or '')."""
    if country == "CN":
        family, family_ja = rng.choice(CHINESE_FAMILY)
        given, given_ja = rng.choice(CHINESE_GIVEN)
        return given, family, family_ja + given_ja
    given_pool, family_pool = NAMES[country]
    given = rng.choice(_split_names(given_pool))
    family = rng.choice(_split_names(family_pool))
    if rng.random() < 0.12:
        given = f"{given} {rng.choice(_split_names(given_pool))}"
    first = given.split()[0]
    if family in KANJI_FAMILY:
        given_ja = KANJI_GIVEN.get(first) or KATAKANA.get(first, "")
        return given, family, KANJI_FAMILY[family] + given_ja
    if position == Position.CIR and first in KATAKANA and family in KATAKANA:
        return given, family, f"{KATAKANA[first]}・{KATAKANA[family]}"
    return given, family, ""


# --- documents ---------------------------------------------------------------------------

DOCUMENT_TITLES = {
    DocKind.TRANSCRIPT: "Official transcript",
    DocKind.GRADUATION_PROOF: "Proof of expected graduation",
    DocKind.CITIZENSHIP_PROOF: "Passport data page (copy)",
    DocKind.CERTIFICATE: "Certificate",
    DocKind.MEDICAL: "Self-report of medical conditions",
    DocKind.CRIMINAL_RECORD: "Criminal record check",
    DocKind.HEALTH_CERTIFICATE: "Certificate of health",
    DocKind.FINAL_GRADUATION: "Proof of graduation",
    DocKind.REFERENCE: "Letter of reference",
}


def _upload(profile: Profile, kind: str, extra: str = "") -> ApplicationDocument:
    title = DOCUMENT_TITLES[kind]
    name = f"{profile.given} {profile.family}"
    content = pdf_bytes(
        title,
        [
            f"Applicant: {name}",
            f"Application: {profile.application.number}",
            extra or "Demonstration document generated for jetadmin.",
        ],
    )
    filename = f"{title.split(' (')[0].replace(' ', '_')}_{_ascii(profile.family)}.pdf"
    uploaded = SimpleUploadedFile(filename, content, content_type="application/pdf")
    return services.document_upload(
        by=profile.user, application=profile.application, kind=kind, uploaded=uploaded
    )


# --- the seed ----------------------------------------------------------------------------


class Seeder:
    def __init__(self, stdout, year: ProgrammeYear):
        self.out = stdout
        self.year = year
        self.rng = random.Random(2027)  # noqa: S311 - demo data, fixed for repeatability
        self.today = timezone.localdate()
        self.now = timezone.now()
        self.cal = demo_calendar()
        self.missions = {
            plan.key: Organisation.objects.get(kind=Kind.MISSION, name_en=plan.name_en)
            for plan in MISSIONS
        }
        self.countries = {c.code: c for c in Country.objects.all()}

    @cached_property
    def password(self) -> str:
        """The demo password, hashed once for every account this seed adds."""
        return make_password(settings.DEMO_PASSWORD)

    # Staff and rubrics ---------------------------------------------------------------

    def ensure_staff(self) -> None:
        for key, username, first, last, role in STAFF:
            mission = self.missions[key]
            user = User.objects.filter(username=username).first()
            if user is None:
                user = core_services.person_create(
                    username=username,
                    email=f"{username}@example.jp",
                    password=None,  # hashed once below, for every new demo account
                    first_name=first,
                    last_name=last,
                )
                User.objects.filter(pk=user.pk).update(password=self.password)
            if not Membership.objects.filter(user=user, organisation=mission).exists():
                core_services.membership_add(by=None, user=user, organisation=mission, role=role)
        self.staff = {key: [] for key in self.missions}
        self.managers = {}
        memberships = Membership.objects.filter(
            organisation__in=self.missions.values()
        ).select_related("user", "organisation")
        by_org = {org.pk: key for key, org in self.missions.items()}
        for membership in memberships.order_by("role", "user__username"):
            key = by_org[membership.organisation_id]
            user = User.objects.get(pk=membership.user_id)  # fresh: its membership cached
            self.staff[key].append(user)
            if membership.role == Role.MANAGER:
                self.managers.setdefault(key, user)

    def ensure_rubrics(self) -> None:
        for key, mission in self.missions.items():
            if RubricCriterion.objects.filter(mission=mission, programme_year=self.year).exists():
                continue
            weights = RUBRIC_WEIGHTS.get(key, [w for _en, _ja, w in RUBRIC])
            for (name_en, name_ja, _w), weight in zip(RUBRIC, weights, strict=True):
                services.rubric_criterion_add(
                    by=self.managers[key],
                    mission=mission,
                    programme_year=self.year,
                    name_en=name_en,
                    name_ja=name_ja,
                    weight=weight,
                )
        self.criteria = {
            key: list(RubricCriterion.objects.filter(mission=mission, programme_year=self.year))
            for key, mission in self.missions.items()
        }

    # Profiles ------------------------------------------------------------------------

    def profiles(self) -> list[Profile]:
        rng = self.rng
        profiles = []
        serial = 0
        for plan in MISSIONS:
            shares = RELEASED_SHARES if plan.released else OPEN_SHARES
            targets = _allocate(plan.applications, shares)
            rng.shuffle(targets)
            for i, target in enumerate(targets, start=1):
                serial += 1
                if plan.country == "CN":
                    position = Position.ALT if i == 1 else Position.CIR
                else:
                    position = Position.CIR if rng.random() < 0.1 else Position.ALT
                given, family, name_ja = _name(rng, plan.country, position)
                # Better applicants go further: the latent quality drives every score.
                base = {
                    "SHORTLISTED": 0.8,
                    "FORWARDED": 0.82,
                    "DECLINED": 0.78,
                    "WITHDRAWN_LATE": 0.75,
                    "ALTERNATE": 0.65,
                    "NOT_SELECTED": 0.45,
                    "NOT_SELECTED_PAPER": 0.3,
                }.get(target, 0.55)
                quality = min(1.0, max(0.05, rng.gauss(base, 0.08)))
                profile = Profile(
                    username=f"{USERNAME_PREFIX}{plan.key}.{i:03d}",
                    plan=plan,
                    target=target,
                    position=position,
                    given=given,
                    family=family,
                    name_japanese=name_ja,
                    quality=quality,
                )
                local = _ascii(f"{given.split()[0]}.{family}").lower()
                local = "".join(c for c in local if c.isalnum() or c == ".")
                profile.email = f"{local}{serial}@{rng.choice(EMAIL_DOMAINS)}"
                if target in ("SUBMITTED", "NOT_SELECTED_PAPER") and rng.random() < 0.25:
                    profile.ineligible = INELIGIBLE[serial % len(INELIGIBLE)]
                profiles.append(profile)
        # The demo account `applicant`: invited to interview at the Embassy in Washington
        # (unless they have already applied themselves in this database).
        jordan = User.objects.get(username="applicant")
        dc = next(plan for plan in MISSIONS if plan.key == "us-dc")
        if (
            Application.objects.filter(applicant=jordan, programme_year=self.year)
            .exclude(status=Status.WITHDRAWN)
            .exists()
        ):
            return profiles
        profiles.append(
            Profile(
                username="applicant",
                plan=dc,
                target="INTERVIEW",
                position=Position.ALT,
                given=jordan.first_name,
                family=jordan.last_name,
                name_japanese="ジョーダン・ミラー",
                quality=0.72,
                user=jordan,
            )
        )
        return profiles

    def details(self, profile: Profile, index: int) -> dict:
        rng = self.rng
        plan = profile.plan
        cir = profile.position == Position.CIR
        age = rng.choice((21, 22, 22, 23, 23, 24, 25, 26, 27, 29, 31, 34, 38, 45))
        dob = dt.date(self.year.year - age, rng.randint(1, 12), rng.randint(1, 28))
        if cir:
            level = rng.choice((JapaneseLevel.N2, JapaneseLevel.N2, JapaneseLevel.N1))
        else:
            level = rng.choice(
                (JapaneseLevel.NONE,) * 4 + (JapaneseLevel.N5, JapaneseLevel.N4, JapaneseLevel.N3)
            )
        citizenship = plan.country
        if profile.ineligible == "citizenship":
            citizenship = OTHER_CITIZENSHIP[plan.country]
        prefs: list[str] = []
        while len(prefs) < 3:
            place = rng.choice(PREFERENCES)
            if place not in prefs:
                prefs.append(place)
        statement = " ".join(
            (
                rng.choice(STATEMENT_OPENINGS),
                rng.choice(STATEMENT_MIDDLES),
                rng.choice(STATEMENT_MIDDLES),
                rng.choice(STATEMENT_CLOSINGS),
            )
        )
        if cir:
            statement += (
                " 日本語を学び続け、通訳や翻訳を通じて地域の国際交流に貢献したいと考えています。"
            )
        fields = {
            "family_name": profile.family,
            "given_names": profile.given,
            "name_japanese": profile.name_japanese,
            "date_of_birth": dob,
            "citizenship": self.countries[citizenship],
            "phone": PHONES[plan.country].format(index % 100),
            "address": (
                f"{rng.randint(2, 980)} {rng.choice(STREETS)}\n{rng.choice(plan.cities)}\n"
                f"{self.countries[plan.country].name_en}"
            ),
            "japanese_level": level,
            "teaching_experience": rng.choice(TEACHING),
            "qualifications": "" if cir else rng.choice(QUALIFICATIONS),
            "driving_licence": rng.choice(
                (DrivingLicence.AUTOMATIC,) * 3 + (DrivingLicence.MANUAL, DrivingLicence.NONE)
            ),
            "preference_1": prefs[0],
            "preference_2": prefs[1],
            "preference_3": prefs[2],
            "location_preference": rng.choice(LocationPreference.values),
            "statement_of_purpose": statement,
        }
        if rng.random() < 0.1 and plan.country in ("US", "GB", "IE"):
            fields["other_citizenship"] = {"US": "Ireland", "GB": "Ireland", "IE": "United States"}[
                plan.country
            ]
        if profile.ineligible == "lived_in_japan":
            fields["years_in_japan_last_10"] = 7
        elif rng.random() < 0.08:
            fields["years_in_japan_last_10"] = 1
        if profile.ineligible == "too_soon":
            fields.update(
                previous_jet=True, previous_jet_years=2, previous_jet_left_year=self.year.year - 2
            )
        elif profile.ineligible == "declined":
            fields["declined_last_year"] = True
        elif rng.random() < 0.04:
            fields.update(
                previous_jet=True, previous_jet_years=2, previous_jet_left_year=self.year.year - 6
            )
        return fields

    def education(self, profile: Profile) -> list[dict]:
        rng = self.rng
        plan = profile.plan
        field_of_study = rng.choice(FIELDS_CIR if profile.position == Position.CIR else FIELDS_ALT)
        current = self.year.year
        if profile.ineligible == "degree_too_late":
            years_ago = 0
            graduated = self.cal.date(current, 12, 17)
        else:
            years_ago = rng.choice((9, 7, 5, 4, 3, 2, 2, 1, 1, 0, 0))
            graduated = self.cal.date(current - years_ago, 5, rng.randint(10, 28))
            if years_ago == 0:  # expected: before the programme year's degree deadline
                graduated = min(graduated, self.year.degree_deadline - dt.timedelta(days=14))
        rows = [
            {
                "institution": rng.choice(plan.universities),
                "degree": Education.Degree.BACHELOR,
                "graduation_date": graduated,
                "field_of_study": field_of_study,
            }
        ]
        # By the year of the story, not of the moved date: the same draws on any day.
        if years_ago >= 3 and rng.random() < 0.2:
            rows.append(
                {
                    "institution": rng.choice(plan.universities),
                    "degree": Education.Degree.MASTER,
                    "graduation_date": self.cal.date(current - years_ago + 2, 5, 20),
                    "field_of_study": rng.choice(("Education", "TESOL", field_of_study)),
                }
            )
        if rng.random() < 0.1:
            rows.insert(
                0,
                {
                    "institution": f"{plan.cities[0].split(',')[0]} Community College",
                    "degree": Education.Degree.OTHER,
                    "graduation_date": self.cal.date(current - years_ago - 2, 6, 1),
                    "field_of_study": "Associate degree",
                },
            )
        return rows

    def fill(self, profile: Profile, index: int, complete: bool) -> None:
        """The applicant's own work: account, draft, details, education, uploads, referees."""
        rng = self.rng
        plan = profile.plan
        if profile.user is None:
            profile.user = core_services.person_create(
                username=profile.username,
                email=profile.email,
                password=None,  # the shared demo password hash is set in one query
                first_name=profile.given,
                last_name=profile.family,
                person_role=Kind.APPLICANT,
                language="ja" if plan.country == "CN" else "en",
            )
        profile.application = services.application_start(
            by=profile.user,
            programme_year=self.year,
            mission=self.missions[plan.key],
            position=profile.position,
        )
        fields = self.details(profile, index)
        if not complete:  # a draft saved part-way through the steps
            keep = rng.randint(3, len(fields))
            fields = dict(list(fields.items())[:keep])
        services.application_update(by=profile.user, application=profile.application, **fields)
        if complete or rng.random() < 0.6:
            for row in self.education(profile):
                services.education_add(by=profile.user, application=profile.application, **row)
        kinds = list(ApplicationDocument.REQUIRED)
        if not complete:
            kinds = kinds[: rng.randint(0, len(kinds) - 1)]
        for kind in kinds:
            _upload(profile, kind)
        level = fields.get("japanese_level", JapaneseLevel.NONE)
        if complete and (fields.get("qualifications") or (level != "NONE" and rng.random() < 0.3)):
            _upload(profile, DocKind.CERTIFICATE, fields.get("qualifications") or f"JLPT {level}")
        referees = 2 if complete else rng.randint(0, 2)
        names = rng.sample(REFEREE_NAMES, referees)
        for name in names:
            email_name = _ascii(name.split(" ", 1)[1]).lower().replace(" ", ".")
            services.referee_add(
                by=profile.user,
                application=profile.application,
                name=name,
                email=f"{email_name}.{profile.application.pk}@example.edu",
                relationship=rng.choice(REFEREE_ROLES),
            )

    def letters(self, profiles: list[Profile]) -> int:
        """Referees upload through the link they were emailed (the only place the token
        exists). Letters have come in for the candidates a mission took furthest; the
        others' referees have not written yet (keeps the seed quick)."""
        furthest = [p.application for p in profiles if p.target in SHORTLIST | {"ALTERNATE"}]
        referees = Referee.objects.filter(
            application__in=furthest, submitted_at__isnull=True
        ).select_related("application")
        links = {
            key: context.get("link")
            for key, context in Notification.objects.filter(
                kind="reference_requested",
                key__in=[f"reference_requested:{r.pk}" for r in referees],
            ).values_list("key", "context")
        }
        sent = 0
        for referee in referees:
            if self.rng.random() < 0.15:
                continue
            link = links.get(f"reference_requested:{referee.pk}")
            if not link:
                continue
            token = link.rstrip("/").rsplit("/", 1)[-1]
            content = pdf_bytes(
                "Letter of reference",
                [
                    f"For: {referee.application.full_name}",
                    f"From: {referee.name} ({referee.relationship})",
                    "I recommend this candidate for the JET Programme without reservation.",
                ],
            )
            services.referee_letter_submit(
                token=token,
                uploaded=SimpleUploadedFile("reference.pdf", content, "application/pdf"),
            )
            sent += 1
        return sent

    # Screening and interviews ----------------------------------------------------------

    def points(self, key: str, quality: float, bias: float) -> dict:
        points = {}
        for criterion in self.criteria[key]:
            value = round((quality + bias + self.rng.gauss(0, 0.12)) * criterion.max_score)
            points[str(criterion.pk)] = max(1, min(criterion.max_score, value))
        return points

    def comment(self, quality: float) -> str:
        band = "high" if quality >= 0.7 else "mid" if quality >= 0.45 else "low"
        return self.rng.choice(COMMENTS[band]) if self.rng.random() < 0.7 else ""

    def screen(self, key: str, profiles: list[Profile]) -> int:
        staff = self.staff[key]
        reviewers = [u for u in staff if u.username != "embassy.us"] or staff
        scored = 0
        for reviewer in staff:
            mine = [p.application for p in profiles]
            if reviewer.username == "embassy.us":
                # The demo account's own queue: assigned the newest, scored none of them.
                mine = [p.application for p in profiles if p.target == "SUBMITTED"]
            if mine:
                services.reviewers_assign(by=reviewer, applications=mine, reviewer=reviewer)
        for profile in profiles:
            if profile.target == "SUBMITTED" and self.rng.random() < 0.5:
                continue  # not screened yet
            panel = reviewers if profile.target != "SUBMITTED" else reviewers[:1]
            for n, reviewer in enumerate(panel):
                services.score_record(
                    by=reviewer,
                    application=profile.application,
                    stage=Score.Stage.SCREENING,
                    points=self.points(key, profile.quality, 0.04 * n - 0.02),
                    comment=self.comment(profile.quality),
                )
                scored += 1
        return scored

    def interview(self, key: str, profiles: list[Profile]) -> int:
        """Publish slots a few days ahead, invite, book, and have the panel score."""
        plan = next(p for p in MISSIONS if p.key == key)
        tz = ZoneInfo(plan.tz)
        staff = self.staff[key]
        manager = self.managers[key]
        panel = [u for u in staff if u.username != "embassy.us.manager"][:2] or [manager]
        invited = [p for p in profiles if p.target in INTERVIEWED or p.target == "INTERVIEW"]
        if not invited:
            return 0
        services.interviews_invite(by=staff[0], applications=[p.application for p in invited])
        slots = []
        first_day = self.today + dt.timedelta(days=3)
        spare = 6 if key == "us-dc" else 1  # open times left for those not yet booked
        for i in range(len(invited) + spare):
            day = first_day + dt.timedelta(days=i // 8)
            while day.weekday() >= 5:
                day += dt.timedelta(days=2 if day.weekday() == 5 else 1)
            start = dt.datetime.combine(day, dt.time(9, 0), tzinfo=tz) + dt.timedelta(
                minutes=40 * (i % 8)
            )
            online = i % 5 == 4
            slots.append(
                services.interview_slot_create(
                    by=manager,
                    programme_year=self.year,
                    starts_at=start,
                    ends_at=start + dt.timedelta(minutes=30),
                    location="" if online else plan.location,
                    online_url=f"https://meet.example.org/jet-{key}-{i + 1:03d}" if online else "",
                    capacity=1,
                    panel=panel,
                )
            )
        scored = 0
        for slot, profile in zip(slots, invited, strict=False):
            if profile.target == "INTERVIEW" and (
                profile.username == "applicant" or self.rng.random() < 0.4
            ):
                continue  # invited, not booked yet
            by_self = self.rng.random() < 0.6
            services.interview_book(
                by=profile.user if by_self else staff[0],
                application=profile.application,
                slot=slot,
            )
            profile.booked = True
            if profile.target == "INTERVIEW":
                continue  # booked, not yet interviewed
            for n, member in enumerate(panel):
                services.score_record(
                    by=member,
                    application=profile.application,
                    stage=Score.Stage.INTERVIEW,
                    points=self.points(key, profile.quality, 0.03 * n),
                    comment=self.comment(profile.quality),
                )
                scored += 1
        return scored

    def check_documents(self, key: str, profiles: list[Profile]) -> None:
        """Staff verify the documents of candidates they take further, and ask a couple of
        applicants for a corrected transcript (one has already sent it)."""
        staff = self.staff[key][0]
        corrections = 0
        for profile in profiles:
            documents = list(
                profile.application.documents.exclude(kind=DocKind.REFERENCE).order_by("pk")
            )
            if profile.target in SHORTLIST or profile.target == "ALTERNATE":
                for document in documents:
                    services.document_verify(by=staff, document=document)
            elif profile.target == "SUBMITTED" and not profile.ineligible and corrections < 2:
                transcript = next(d for d in documents if d.kind == DocKind.TRANSCRIPT)
                services.document_request_correction(
                    by=staff,
                    document=transcript,
                    message=(
                        "The transcript is not the official one: please upload the version "
                        "issued by the registrar, with the seal and your degree conferral date."
                    ),
                    due=self.today + dt.timedelta(days=14),
                )
                if corrections == 0:
                    _upload(profile, DocKind.TRANSCRIPT, "Official transcript issued by registrar")
                corrections += 1

    # Decisions and after -----------------------------------------------------------

    def decide(self, key: str, profiles: list[Profile]) -> None:
        manager = self.managers[key]

        def ranked(group):
            return sorted(group, key=lambda p: -p.quality)

        groups = {
            Status.SHORTLISTED: [p for p in profiles if p.target in SHORTLIST],
            Status.ALTERNATE: ranked([p for p in profiles if p.target == "ALTERNATE"]),
            Status.NOT_SELECTED: [
                p for p in profiles if p.target in ("NOT_SELECTED", "NOT_SELECTED_PAPER")
            ],
        }
        for decision, group in groups.items():
            if group:
                services.applications_decide(
                    by=manager, applications=[p.application for p in group], decision=decision
                )

    def after_results(self, key: str, profiles: list[Profile]) -> None:
        """Replies, follow-up documents, withdrawals, an upgrade, and the hand-off."""
        rng = self.rng
        manager = self.managers[key]
        plan = next(p for p in MISSIONS if p.key == key)

        def accept(profile: Profile) -> None:
            services.reply_submit(
                by=profile.user,
                application=profile.application,
                answer=ReplyForm.Answer.ACCEPT,
                departure_airport=rng.choice(plan.airports),
                dependants=1 if rng.random() < 0.05 else 0,
                passport_number=f"{rng.choice('ACEKMPX')}{rng.randint(10_000_000, 99_999_999)}",
                passport_expiry=self.today + dt.timedelta(days=rng.randint(700, 3300)),
            )

        forward = []
        freed = False
        for profile in profiles:
            target = profile.target
            if target == "FORWARDED":
                accept(profile)
                for kind in ApplicationDocument.FOLLOW_UP:
                    if rng.random() < 0.7:
                        _upload(profile, kind)
                forward.append(profile.application)
            elif target == "SHORTLISTED" and rng.random() < 0.5:
                accept(profile)
                if rng.random() < 0.5:
                    _upload(profile, DocKind.CRIMINAL_RECORD)
            elif target == "DECLINED":
                services.reply_submit(
                    by=profile.user, application=profile.application, answer="DECLINE"
                )
                freed = True
            elif target == "WITHDRAWN_LATE":
                services.application_withdraw(by=profile.user, application=profile.application)
                freed = True
        if forward:
            services.applications_forward(by=manager, applications=forward)
        if freed and plan.country == "US":
            first = (
                Application.objects.filter(
                    mission=self.missions[key], programme_year=self.year, status=Status.ALTERNATE
                )
                .order_by("alternate_rank")
                .first()
            )
            if first is not None:
                services.alternate_upgrade(
                    by=manager, application=first, reply_due=self.today + dt.timedelta(days=14)
                )

    # The whole path ------------------------------------------------------------------

    def run(self) -> dict:
        profiles = self.profiles()
        for index, profile in enumerate(profiles, start=1):
            self.fill(profile, index, complete=profile.target != "DRAFT")
        User.objects.filter(
            pk__in=[p.user.pk for p in profiles if p.username.startswith(USERNAME_PREFIX)]
        ).update(password=self.password)
        self.couple(profiles)
        live = [p for p in profiles if p.target != "DRAFT"]
        for profile in live:
            services.application_submit(by=profile.user, application=profile.application)
        letters = self.letters(live)
        for profile in profiles:
            if profile.target == "WITHDRAWN_EARLY":
                services.application_withdraw(by=profile.user, application=profile.application)
        screened = interviewed = 0
        for plan in MISSIONS:
            mine = [p for p in live if p.plan.key == plan.key and p.target != "WITHDRAWN_EARLY"]
            screened += self.screen(plan.key, mine)
            interviewed += self.interview(plan.key, [p for p in mine if not p.ineligible])
            self.check_documents(plan.key, mine)
            self.decide(plan.key, mine)
            if plan.released:
                services.results_release(by=self.managers[plan.key], programme_year=self.year)
                self.after_results(plan.key, mine)
        return {
            "applications": len(profiles),
            "letters": letters,
            "screening": screened,
            "interview": interviewed,
        }

    def couple(self, profiles: list[Profile]) -> None:
        """Two couples apply together, names spelled the same, each naming the other."""
        for key, target in (("us-dc", "SHORTLISTED"), ("gb", "FORWARDED")):
            pair = [p for p in profiles if p.plan.key == key and p.target == target][:2]
            if len(pair) < 2:
                continue
            a, b = pair
            services.application_update(by=b.user, application=b.application, family_name=a.family)
            b.family = a.family
            services.application_update(
                by=a.user, application=a.application, partner_number=b.application.number
            )
            services.application_update(
                by=b.user, application=b.application, partner_number=a.application.number
            )


def _referee_link_routed() -> bool:
    try:
        reverse("mofa:referee-upload", kwargs={"token": "x"})
    except NoReverseMatch:
        return False
    return True


def print_accounts(stdout) -> None:
    stdout.write(f"\nMission accounts (password: {settings.DEMO_PASSWORD})")
    names = {plan.key: plan.name_en for plan in MISSIONS}
    for key, username, _first, _last, role in STAFF:
        stdout.write(f"  {username:<22} {names[key]}, {Role(role).label.lower()}")
    pattern = f"{USERNAME_PREFIX}<mission>.<n>"
    stdout.write(f"  {pattern:<22} the other applicants (e.g. {USERNAME_PREFIX}us-ny.001)")


def seed(stdout) -> None:
    year = ProgrammeYear.objects.get(is_current=True)
    seeder = Seeder(stdout, year)
    seeder.ensure_staff()
    seeder.ensure_rubrics()
    already = Application.objects.filter(
        programme_year=year, applicant__username__startswith=USERNAME_PREFIX
    ).exists()
    if not already and not _referee_link_routed():
        stdout.write(
            "MOFA: no demo applications: the referee upload page (mofa:referee-upload) is "
            "not routed, so referees cannot be invited."
        )
    elif not already:
        deadline = year.application_deadline
        try:
            with transaction.atomic():
                # The window closed on the real deadline; reopen it while applicants apply.
                ProgrammeYear.objects.filter(pk=year.pk).update(
                    application_deadline=timezone.now() + dt.timedelta(days=1)
                )
                year.refresh_from_db()
                counts = seeder.run()
        finally:
            ProgrammeYear.objects.filter(pk=year.pk).update(application_deadline=deadline)
            year.application_deadline = deadline
        released = ResultRelease.objects.filter(programme_year=year).count()
        stdout.write(
            f"MOFA: {counts['applications']} applications for {year.year} over "
            f"{len(MISSIONS)} missions ({released} have released results), "
            f"{counts['screening']} screening and {counts['interview']} interview scores, "
            f"{counts['letters']} reference letters."
        )
    print_accounts(stdout)
