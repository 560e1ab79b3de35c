# ruff: noqa: RUF001  (the Japanese text uses full-width colons and brackets, as Japanese does)
"""Demo data for events: this programme year's orientations, conferences and seminars.

Every event is created through `apps.events.services` by the account of the organisation
that runs it, so the organiser, the supporter and the permissions are what the services
leave behind:
- the Embassy in Washington (`embassy.us`): an information session held in October (past,
  with check-ins), an online one in December, the pre-departure orientation in July and
  the welcome-back reception in September, in New York time;
- the Embassy in London (`embassy.uk`): an information evening in January, full, with a
  waitlist, in London time;
- CLAIR (`clair`): Tokyo Orientation A and B (two days after each group's departure,
  attendance required, parallel ALT and CIR tracks), the CIR Mid-Year Conference, the
  Skill Development Conference for Hyogo's ALTs and their Japanese teachers and the
  Conference for Returning JETs;
- the Hyogo Prefectural Board of Education (`co.hyogo`): the ALT mid-year seminar, which
  CLAIR supports.
MEXT (`mext`) adds its own workshops to both Tokyo Orientations, the Skill Development
Conference and the Hyogo seminar.

Registrations go through `registration_create` as the person registering, where the event
is meant for them: the `participant` (an ALT with Hyogo, at a school in Himeji) for the
Skill Development Conference in January, choosing the secondary track, and for the Hyogo
mid-year seminar in February, choosing the Harima regional group; the `applicant` and
other US applicants for the online information session; UK applicants for the London
evening, more than its seats. The year's accepted candidates are registered for
the Tokyo Orientation of their arrival group with `register_automatically`, the same call
that accepting a placement makes (automatic, since attendance is required: the demo's
placements were accepted before these events existed). The October information session is
over, and the services register nobody for a past event, so its registrations are written
as they stand today, with the grants `registration_create` gives; the embassy's check-ins
go through `registration_check_in` and keep the evening's time.

All sessions are added before anyone registers, so seeding records no notification.
Idempotent: an event already present (by year, kind, organiser and English title) is
left as it is, with its sessions and registrations.
"""

import datetime as dt
from dataclasses import dataclass, field
from zoneinfo import ZoneInfo

from apps.core import access
from apps.core.models import Organisation, PersonRole, ProgrammeYear, User
from apps.demo.calendar import DemoCalendar, demo_calendar
from apps.events import services
from apps.events.models import Event, Registration
from apps.placement.models import Placement
from apps.recruitment.models import Application

TOKYO = ZoneInfo("Asia/Tokyo")
NEW_YORK = ZoneInfo("America/New_York")
LONDON = ZoneInfo("Europe/London")

EK = Event.Kind
AUD = Event.Audience
ACCOUNTS = ("clair", "mext", "embassy.us", "embassy.uk", "co.hyogo", "participant", "applicant")


@dataclass(frozen=True)
class Talk:
    """A session: presented by the organisation of the account `by`, on the event's
    `day`-th day (0 is the first), from `start` to `end` in the event's time zone."""

    by: str
    day: int
    start: str
    end: str
    title_en: str
    title_ja: str
    room: str = ""
    track: str = ""
    description_en: str = ""
    description_ja: str = ""


@dataclass
class Spec:
    key: str
    by: str
    fields: dict
    talks: list[Talk] = field(default_factory=list)


def at(day: dt.date, hhmm: str, tz: ZoneInfo) -> dt.datetime:
    hour, minute = (int(part) for part in hhmm.split(":"))
    return dt.datetime.combine(day, dt.time(hour, minute), tzinfo=tz)


# --- Tokyo Orientation: one programme, held for each arrival group -----------------------

MAIN, ROOM_ALT, ROOM_CIR = "Concord Ballroom", "Emerald Room", "Sakura Room"
ROOM_JA = {
    MAIN: "宴会場コンコード",
    ROOM_ALT: "エメラルドの間",
    ROOM_CIR: "桜の間",
    "Ballroom Hana": "宴会場「花」",
    "International Conference Room": "国際会議室",
    "Lecture Hall": "講堂",
    "Main Hall": "大ホール",
}

TOKYO_ORIENTATION = [
    Talk(
        "clair",
        0,
        "09:30",
        "11:30",
        "Opening ceremony and keynote: welcome to the JET Programme",
        "開会式・基調講演：JETプログラムへようこそ",
        MAIN,
        description_en="Addresses by CLAIR, MIC, MOFA and MEXT; a former JET on the first year.",
        description_ja="自治体国際化協会、総務省、外務省、文部科学省からの挨拶と、元JET参加者による"
        "一年目の体験談。",
    ),
    Talk(
        "clair",
        0,
        "13:00",
        "14:30",
        "Your contract, pay, insurance and taxes",
        "任用契約・報酬・保険・税金について",
        MAIN,
        description_en="What your contracting organisation's contract says and what to do in "
        "your first weeks: residence registration, My Number, bank account, health insurance.",
        description_ja="任用団体との契約の内容と、着任後最初の数週間に必要な手続き（住民登録、"
        "マイナンバー、銀行口座、健康保険）。",
    ),
    Talk(
        "mext",
        0,
        "15:00",
        "16:30",
        "Team teaching under the Course of Study",
        "学習指導要領に基づくティーム・ティーチング",
        ROOM_ALT,
        "ALT",
        description_en="MEXT on the aims of English education and the ALT's part in a team-"
        "taught lesson, with the Japanese teacher of English.",
        description_ja="文部科学省による英語教育の目標と、日本人英語教師とのティーム・ティーチングに"
        "おけるALTの役割。",
    ),
    Talk(
        "clair",
        0,
        "15:00",
        "16:30",
        "The CIR in local government: international relations at work",
        "地方自治体における国際交流員の役割",
        ROOM_CIR,
        "CIR",
    ),
    Talk(
        "mext",
        1,
        "09:30",
        "11:00",
        "Elementary school English: foreign language activities in grades 3 to 6",
        "小学校の外国語活動・外国語科（3〜6年生）",
        ROOM_ALT,
        "ALT",
    ),
    Talk(
        "clair",
        1,
        "09:30",
        "11:00",
        "Translation and interpreting in the office",
        "職場での翻訳・通訳",
        ROOM_CIR,
        "CIR",
    ),
    Talk(
        "clair",
        1,
        "13:00",
        "14:30",
        "Looking after yourself: Prefectural Advisors and counselling",
        "心の健康とサポート：プレフェクチュラル・アドバイザーと相談窓口",
        MAIN,
    ),
    Talk(
        "clair",
        1,
        "15:00",
        "16:30",
        "Lesson planning and classroom management, with experienced ALTs",
        "授業計画と学級経営：経験豊富なALTとともに",
        ROOM_ALT,
        "ALT",
    ),
    Talk(
        "clair",
        1,
        "15:00",
        "16:30",
        "Working in Japanese: office etiquette and keigo",
        "日本語で働く：職場のマナーと敬語",
        ROOM_CIR,
        "CIR",
    ),
    Talk(
        "clair",
        2,
        "09:30",
        "11:30",
        "Prefectural meetings and travel to your placement",
        "都道府県別ミーティングと任地への移動",
        MAIN,
        description_en="Meet your prefecture's staff and fellow JETs; they travel with you.",
        description_ja="都道府県の担当者と同じ任地のJET参加者との顔合わせ。任地まで引率します。",
    ),
]


def tokyo_orientation(group: str, departure: dt.date, capacity: int) -> Spec:
    first = departure + dt.timedelta(days=2)
    return Spec(
        key=f"tokyo-{group}",
        by="clair",
        fields={
            "kind": EK.TOKYO_ORIENTATION,
            "title_en": f"Tokyo Orientation {first.year}, Group {group}",
            "title_ja": f"{first.year}年度 東京オリエンテーション（{group}グループ）",
            "description_en": (
                "Three days of orientation for every new participant of the group on arrival "
                "in Japan, before travel to the placement. Attendance is required; you are "
                "registered when you accept your placement."
            ),
            "description_ja": (
                "来日直後、任地へ向かう前に行う新規JET参加者全員のための3日間のオリエンテー"
                "ションです。参加は必須で、配置を承諾した時点で自動的に登録されます。"
            ),
            "venue_en": "Keio Plaza Hotel Tokyo, 2-2-1 Nishi-Shinjuku, Shinjuku-ku, Tokyo",
            "venue_ja": "京王プラザホテル（東京都新宿区西新宿2-2-1）",
            "bring_en": (
                "Passport and residence card; the General Information Handbook; business "
                "cards (meishi) if you have them; light clothes for the Tokyo summer."
            ),
            "bring_ja": (
                "パスポートと在留カード、一般情報ハンドブック（GIH）、名刺（お持ちの方）、"
                "東京の夏に合った軽装。"
            ),
            "time_zone": "Asia/Tokyo",
            "starts_at": at(first, "09:00", TOKYO),
            "ends_at": at(first + dt.timedelta(days=2), "12:00", TOKYO),
            "capacity": capacity,
            "audience": AUD.NEW_PARTICIPANTS,
            "arrival_group": group,
            "attendance_required": True,
        },
        talks=TOKYO_ORIENTATION,
    )


# --- the year's other events --------------------------------------------------------------


def specs(year: ProgrammeYear, hyogo, cal: DemoCalendar) -> list[Spec]:
    y = year.year
    autumn, winter = y - 1, y  # the recruitment autumn and the participants' mid-year
    return [
        Spec(
            key="us-info-autumn",
            by="embassy.us",
            fields={
                "kind": EK.INFORMATION_SESSION,
                "title_en": "JET Programme information session, Washington, DC",
                "title_ja": "JETプログラム説明会（ワシントンD.C.）",
                "description_en": (
                    "How to apply for the JET Programme, what ALTs and CIRs do, and life in "
                    "Japan, with former JETs of JETAA DC. Questions welcome."
                ),
                "description_ja": (
                    "JETプログラムへの応募方法、ALTとCIRの仕事、日本での生活について、JETAA "
                    "DC支部の元JET参加者がご説明します。質疑応答あり。"
                ),
                "venue_en": "Japan Information & Culture Center, 1150 18th Street NW, "
                "Washington, DC 20036",
                "venue_ja": "在米国日本国大使館 広報文化センター（JICC）"
                "（1150 18th Street NW, Washington, DC 20036）",
                "bring_en": "Photo ID for the building's security check.",
                "bring_ja": "入館時のセキュリティチェック用の写真付き身分証明書。",
                "time_zone": "America/New_York",
                "starts_at": cal.at(autumn, 10, 8, "18:00", NEW_YORK),
                "ends_at": cal.at(autumn, 10, 8, "19:30", NEW_YORK),
                "capacity": 60,
                "registration_closes": cal.at(autumn, 10, 7, "17:00", NEW_YORK),
                "audience": AUD.APPLICANTS,
            },
        ),
        Spec(
            key="us-info-online",
            by="embassy.us",
            fields={
                "kind": EK.INFORMATION_SESSION,
                "title_en": "Online information session: the interview and what comes next",
                "title_ja": "オンライン説明会：面接とその後の流れ",
                "description_en": (
                    "For applicants of this year's round: how interviews are held in January "
                    "and February, when results come, the Reply Form and the departure groups."
                ),
                "description_ja": (
                    "今年度の応募者向け：1月から2月の面接の進め方、結果発表の時期、回答書（Reply "
                    "Form）と出発グループについてご説明します。"
                ),
                "venue_en": "Online (the link is on this page once you are registered)",
                "venue_ja": "オンライン（登録後、このページにリンクが表示されます）",
                "bring_en": "A quiet place and your application number for the Q&A.",
                "bring_ja": "静かな場所と、質疑応答のための応募番号。",
                "online_url": "https://video.example.org/emb-japan-us/jet-interview-briefing",
                "time_zone": "America/New_York",
                "starts_at": cal.at(autumn, 12, 10, "19:00", NEW_YORK),
                "ends_at": cal.at(autumn, 12, 10, "20:30", NEW_YORK),
                "capacity": 300,
                "registration_opens": cal.at(autumn, 11, 16, "09:00", NEW_YORK),
                "registration_closes": cal.at(autumn, 12, 10, "12:00", NEW_YORK),
                "audience": AUD.APPLICANTS,
            },
        ),
        Spec(
            key="uk-info",
            by="embassy.uk",
            fields={
                "kind": EK.INFORMATION_SESSION,
                "title_en": "Life on JET: information evening with JETAA UK",
                "title_ja": "JETプログラム説明会：JETAA UKと語る日本での生活",
                "description_en": (
                    "Returned JETs of JETAA UK talk about schools, offices and daily life in "
                    "Japan, followed by questions to the Embassy's JET desk. Seats in the "
                    "Embassy's meeting room are limited; a waitlist opens when they are taken."
                ),
                "description_ja": (
                    "JETAA UKの元JET参加者が学校や職場、日本での日常生活について語り、その後、"
                    "大使館JET担当への質疑応答を行います。会議室の席数に限りがあり、満席後は"
                    "キャンセル待ちとなります。"
                ),
                "venue_en": "Embassy of Japan, 101-104 Piccadilly, London W1J 7JT",
                "venue_ja": "在英国日本国大使館（101-104 Piccadilly, London W1J 7JT）",
                "bring_en": "Photo ID; you will be asked for it at the door.",
                "bring_ja": "写真付き身分証明書（入口で確認します）。",
                "time_zone": "Europe/London",
                "starts_at": cal.at(winter, 1, 20, "18:30", LONDON),
                "ends_at": cal.at(winter, 1, 20, "20:30", LONDON),
                "capacity": 12,
                "registration_closes": cal.at(winter, 1, 18, "17:00", LONDON),
                "audience": AUD.APPLICANTS,
            },
        ),
        Spec(
            key="skill-development",
            by="clair",
            fields={
                "kind": EK.SKILL_DEVELOPMENT,
                "title_en": f"Skill Development Conference {winter} for ALTs and JTEs (Hyogo)",
                "title_ja": f"{winter}年 ALT・JTEスキル開発研修会（兵庫県）",
                "description_en": (
                    "A training day for Hyogo's ALTs with their Japanese teachers of English: "
                    "MEXT workshops in the morning, team lesson planning in the afternoon. "
                    "Choose the elementary or the secondary track."
                ),
                "description_ja": (
                    "兵庫県のALTと日本人英語教師（JTE）が共に参加する研修日です。午前は文部科学"
                    "省によるワークショップ、午後はチームでの授業づくり。小学校または中学校・"
                    "高等学校の分科会を選んでください。"
                ),
                "venue_en": "Kobe International Conference Center, 6-9-1 Minatojima-nakamachi, "
                "Chuo-ku, Kobe",
                "venue_ja": "神戸国際会議場（神戸市中央区港島中町6-9-1）",
                "bring_en": "A lesson plan you have taught this year, in English and Japanese "
                "if you have both; your JTE.",
                "bring_ja": "今年度実施した指導案（英語・日本語の両方があれば両方）。担当のJTEと"
                "ご一緒にご参加ください。",
                "time_zone": "Asia/Tokyo",
                "starts_at": cal.at(winter, 1, 21, "09:30", TOKYO),
                "ends_at": cal.at(winter, 1, 21, "16:30", TOKYO),
                "capacity": 240,
                "registration_closes": cal.at(winter, 1, 8, "17:00", TOKYO),
                "audience": AUD.PREFECTURE,
                "audience_prefecture": hyogo,
            },
            talks=[
                Talk(
                    "clair",
                    0,
                    "09:30",
                    "10:30",
                    "Opening and keynote: team teaching that works",
                    "開会・基調講演：うまくいくティーム・ティーチング",
                    "Main Hall",
                ),
                Talk(
                    "mext",
                    0,
                    "10:45",
                    "12:15",
                    "English as a subject in grades 5 and 6",
                    "小学校高学年の教科としての英語",
                    "Room 501",
                    "Elementary",
                    "MEXT's workshop on the elementary curriculum and its assessment.",
                    "文部科学省による小学校の教育課程と評価に関するワークショップ。",
                ),
                Talk(
                    "mext",
                    0,
                    "10:45",
                    "12:15",
                    "Speaking and writing assessment in junior and senior high school",
                    "中学校・高等学校における「話すこと」「書くこと」の評価",
                    "Room 502",
                    "Secondary",
                    "Performance tests under the Course of Study, with sample rubrics.",
                    "学習指導要領に基づくパフォーマンステスト（評価基準表の例つき）。",
                ),
                Talk(
                    "clair",
                    0,
                    "13:15",
                    "14:45",
                    "Planning team-taught lessons with the homeroom teacher",
                    "学級担任とのティーム・ティーチングの授業づくり",
                    "Room 501",
                    "Elementary",
                ),
                Talk(
                    "clair",
                    0,
                    "13:15",
                    "14:45",
                    "Debate and discussion activities with your JTE",
                    "JTEと取り組むディベート・ディスカッション活動",
                    "Room 502",
                    "Secondary",
                ),
                Talk(
                    "clair",
                    0,
                    "15:00",
                    "16:30",
                    "School teams present their lesson plans",
                    "学校チームによる指導案の発表",
                    "Main Hall",
                ),
            ],
        ),
        Spec(
            key="cir-mid-year",
            by="clair",
            fields={
                "kind": EK.CIR_MID_YEAR,
                "title_en": f"CIR Mid-Year Conference {winter}",
                "title_ja": f"{winter}年 国際交流員（CIR）中間研修会",
                "description_en": (
                    "For every CIR: translation and interpreting workshops, multicultural "
                    "coexistence in local government, and sharing of projects across Japan."
                ),
                "description_ja": (
                    "全ての国際交流員を対象に、翻訳・通訳のワークショップ、地方自治体における"
                    "多文化共生、全国の取組事例の共有を行います。"
                ),
                "venue_en": "National Olympics Memorial Youth Center, 3-1 Yoyogi-Kamizonocho, "
                "Shibuya-ku, Tokyo",
                "venue_ja": "国立オリンピック記念青少年総合センター（東京都渋谷区代々木神園町3-1）",
                "bring_en": "A translation you made this year (any length) and business cards.",
                "bring_ja": "今年度に翻訳した文書（分量は問いません）と名刺。",
                "time_zone": "Asia/Tokyo",
                "starts_at": cal.at(winter, 1, 27, "13:00", TOKYO),
                "ends_at": cal.at(winter, 1, 29, "12:00", TOKYO),
                "capacity": 450,
                "registration_closes": cal.at(winter, 1, 6, "17:00", TOKYO),
                "audience": AUD.CIR,
            },
            talks=[
                Talk(
                    "clair",
                    0,
                    "13:00",
                    "15:00",
                    "Opening and keynote: multicultural coexistence in local government",
                    "開会・基調講演：地方自治体における多文化共生",
                    "International Conference Room",
                ),
                Talk(
                    "clair",
                    1,
                    "09:30",
                    "12:00",
                    "Translation workshop: official notices and plain Japanese",
                    "翻訳ワークショップ：行政文書とやさしい日本語",
                    "Seminar Room 1",
                    "Translation",
                ),
                Talk(
                    "clair",
                    1,
                    "09:30",
                    "12:00",
                    "Planning international exchange events on a small budget",
                    "少ない予算で企画する国際交流イベント",
                    "Seminar Room 2",
                    "Exchange",
                ),
                Talk(
                    "clair",
                    1,
                    "13:30",
                    "16:30",
                    "Consecutive interpreting practice for visits of sister cities",
                    "姉妹都市訪問に向けた逐次通訳の実習",
                    "Seminar Room 1",
                    "Translation",
                ),
            ],
        ),
        Spec(
            key="hyogo-mid-year",
            by="co.hyogo",
            fields={
                "kind": EK.ALT_MID_YEAR,
                "title_en": f"Hyogo ALT Mid-Year Seminar {winter}",
                "title_ja": f"{winter}年 兵庫県外国語指導助手（ALT）中間研修会",
                "description_en": (
                    "Two days for every ALT in Hyogo halfway through the school year: teaching "
                    "workshops, the re-appointment round, and support for the winter months. "
                    "Held by the Prefectural Board of Education with CLAIR."
                ),
                "description_ja": (
                    "学年の半ばに兵庫県内の全ALTを対象に行う2日間の研修会です。指導法のワーク"
                    "ショップ、再任用の手続き、冬期の生活支援について。県教育委員会が自治体国際"
                    "化協会の協力を得て開催します。"
                ),
                "venue_en": "Hyogo Prefectural Education Training Institute, 2006-107 Yamakuni, "
                "Kato",
                "venue_ja": "兵庫県立教育研修所（加東市山国2006-107）",
                "bring_en": "Your contracting organisation's approval of the business trip; "
                "indoor shoes; a textbook you use.",
                "bring_ja": "任用団体の出張命令（承認）、上履き、使用している教科書。",
                "time_zone": "Asia/Tokyo",
                "starts_at": cal.at(winter, 2, 4, "10:00", TOKYO),
                "ends_at": cal.at(winter, 2, 5, "16:00", TOKYO),
                "capacity": 180,
                "registration_closes": cal.at(winter, 1, 22, "17:00", TOKYO),
                "audience": AUD.PREFECTURE,
                "audience_prefecture": hyogo,
            },
            talks=[
                Talk(
                    "co.hyogo",
                    0,
                    "10:00",
                    "11:30",
                    "Opening: the year so far in Hyogo's schools",
                    "開会：兵庫県の学校におけるこれまでの一年",
                    "Lecture Hall",
                ),
                Talk(
                    "mext",
                    0,
                    "13:00",
                    "14:30",
                    "Assessing speaking and writing under the Course of Study",
                    "学習指導要領に基づく「話すこと」「書くこと」の評価",
                    "Lecture Hall",
                ),
                Talk(
                    "co.hyogo",
                    0,
                    "14:45",
                    "16:15",
                    "Re-appointment: your answer, your contract and the timetable",
                    "再任用について：意向回答、契約、スケジュール",
                    "Lecture Hall",
                ),
                Talk(
                    "clair",
                    1,
                    "09:30",
                    "11:00",
                    "Winter wellbeing: the Prefectural Advisor and counselling",
                    "冬の心の健康：プレフェクチュラル・アドバイザーと相談窓口",
                    "Training Room 1",
                ),
                Talk(
                    "co.hyogo",
                    1,
                    "11:15",
                    "12:30",
                    "Regional groups: Kobe and Hanshin",
                    "地区別分科会：神戸・阪神",
                    "Training Room 2",
                    "Kobe and Hanshin",
                ),
                Talk(
                    "co.hyogo",
                    1,
                    "11:15",
                    "12:30",
                    "Regional groups: Harima, Tajima, Tamba and Awaji",
                    "地区別分科会：播磨・但馬・丹波・淡路",
                    "Training Room 3",
                    "Harima, Tajima, Tamba and Awaji",
                ),
                Talk(
                    "co.hyogo",
                    1,
                    "14:00",
                    "16:00",
                    "Open lesson and review at a prefectural senior high school",
                    "県立高等学校での公開授業と研究協議",
                    "Lecture Hall",
                ),
            ],
        ),
        Spec(
            key="returning",
            by="clair",
            fields={
                "kind": EK.RETURNING,
                "title_en": f"Conference for Returning JETs {winter}",
                "title_ja": f"{winter}年 帰国予定JET参加者研修会",
                "description_en": (
                    "For everyone finishing their term this summer: careers after JET, moving "
                    "out and leaving Japan, pension and tax refunds, and staying in touch "
                    "through JETAA."
                ),
                "description_ja": (
                    "今夏に任期を終える方が対象です。JET後のキャリア、退去と出国の手続き、"
                    "年金の脱退一時金と税金の還付、JETAAを通じた交流の継続について。"
                ),
                "venue_en": "Keio Plaza Hotel Tokyo, 2-2-1 Nishi-Shinjuku, Shinjuku-ku, Tokyo",
                "venue_ja": "京王プラザホテル（東京都新宿区西新宿2-2-1）",
                "bring_en": "Your CV if you want feedback at the career fair.",
                "bring_ja": "キャリアフェアで助言を希望する方は履歴書。",
                "time_zone": "Asia/Tokyo",
                "starts_at": cal.at(winter, 2, 24, "13:00", TOKYO),
                "ends_at": cal.at(winter, 2, 25, "17:00", TOKYO),
                "capacity": 900,
                "registration_closes": cal.at(winter, 2, 5, "17:00", TOKYO),
                "audience": AUD.RETURNING,
            },
            talks=[
                Talk(
                    "clair",
                    0,
                    "13:00",
                    "14:30",
                    "Leaving Japan: residence card, pension lump-sum withdrawal, taxes",
                    "出国の手続き：在留カード、年金の脱退一時金、税金",
                    MAIN,
                ),
                Talk(
                    "clair",
                    0,
                    "15:00",
                    "17:00",
                    "Career fair: employers looking for former JETs",
                    "キャリアフェア：元JET参加者を求める企業・団体",
                    "Ballroom Hana",
                    "Career",
                ),
                Talk(
                    "clair",
                    0,
                    "15:00",
                    "17:00",
                    "Graduate study and scholarships after JET",
                    "JET後の大学院進学と奨学金",
                    "Emerald Room",
                    "Further study",
                ),
                Talk(
                    "clair",
                    1,
                    "10:00",
                    "12:00",
                    "JETAA: fifty chapters and how to join yours",
                    "JETAA：全世界約50支部とその参加方法",
                    MAIN,
                ),
            ],
        ),
        Spec(
            key="us-pre-departure",
            by="embassy.us",
            fields={
                "kind": EK.PRE_DEPARTURE,
                "title_en": f"Pre-departure orientation {y}, Washington, DC",
                "title_ja": f"{y}年度 出発前オリエンテーション（ワシントンD.C.）",
                "description_en": (
                    "For shortlisted candidates of the Embassy: visas, flights and the "
                    "departure day, what to pack, and a panel of former JETs."
                ),
                "description_ja": (
                    "大使館管轄の任用予定者を対象に、査証、航空便と出発当日、持ち物、元JET参加"
                    "者によるパネルディスカッションを行います。"
                ),
                "venue_en": "Japan Information & Culture Center, 1150 18th Street NW, "
                "Washington, DC 20036",
                "venue_ja": "在米国日本国大使館 広報文化センター（JICC）"
                "（1150 18th Street NW, Washington, DC 20036）",
                "bring_en": "Passport with the visa; the Reply Form confirmation; questions.",
                "bring_ja": "査証の貼付された旅券、回答書（Reply Form）の控え、質問事項。",
                "time_zone": "America/New_York",
                "starts_at": cal.at(y, 7, 10, "10:00", NEW_YORK),
                "ends_at": cal.at(y, 7, 10, "16:00", NEW_YORK),
                "capacity": 120,
                "registration_opens": cal.at(y, 5, 10, "09:00", NEW_YORK),
                "registration_closes": cal.at(y, 7, 2, "17:00", NEW_YORK),
                "audience": AUD.SHORTLISTED,
            },
            talks=[
                Talk(
                    "embassy.us",
                    0,
                    "10:00",
                    "12:00",
                    "Visas, flights and the departure day",
                    "査証、航空便と出発当日",
                    "JICC Auditorium",
                ),
                Talk(
                    "embassy.us",
                    0,
                    "13:30",
                    "16:00",
                    "Panel of former JETs: the first months in Japan",
                    "元JET参加者によるパネル：日本での最初の数か月",
                    "JICC Auditorium",
                ),
            ],
        ),
        tokyo_orientation("A", year.departure_group_a, capacity=1100),
        tokyo_orientation("B", year.departure_group_b, capacity=900),
        Spec(
            key="us-welcome-back",
            by="embassy.us",
            fields={
                "kind": EK.WELCOME_BACK,
                "title_en": f"Welcome-back reception for returning JETs {y}",
                "title_ja": f"{y}年 帰国JET参加者歓迎レセプション",
                "description_en": (
                    "The Embassy and JETAA DC welcome home everyone back from the JET "
                    "Programme this summer. Drinks and light food; business attire."
                ),
                "description_ja": (
                    "今夏JETプログラムを終えて帰国された皆さんを、大使館とJETAA DC支部が歓迎"
                    "します。軽食と飲み物をご用意しています。服装はビジネスアタイアで。"
                ),
                "venue_en": "Japan Information & Culture Center, 1150 18th Street NW, "
                "Washington, DC 20036",
                "venue_ja": "在米国日本国大使館 広報文化センター（JICC）"
                "（1150 18th Street NW, Washington, DC 20036）",
                "bring_en": "Photo ID; business cards.",
                "bring_ja": "写真付き身分証明書、名刺。",
                "time_zone": "America/New_York",
                "starts_at": cal.at(y, 9, 16, "18:30", NEW_YORK),
                "ends_at": cal.at(y, 9, 16, "20:30", NEW_YORK),
                "capacity": 80,
                "registration_opens": cal.at(y, 8, 16, "09:00", NEW_YORK),
                "audience": AUD.ALUMNI,
            },
        ),
    ]


# --- seeding ------------------------------------------------------------------------------


def _create(spec: Spec, year: ProgrammeYear, users: dict[str, User]) -> Event:
    event = services.event_create(by=users[spec.by], programme_year=year, **spec.fields)
    zone = ZoneInfo(spec.fields["time_zone"])
    first = event.starts_at.astimezone(zone).date()
    for talk in spec.talks:
        day = first + dt.timedelta(days=talk.day)
        services.session_create(
            by=users[talk.by],
            event=event,
            title_en=talk.title_en,
            title_ja=talk.title_ja,
            description_en=talk.description_en,
            description_ja=talk.description_ja,
            starts_at=at(day, talk.start, zone),
            ends_at=at(day, talk.end, zone),
            room=talk.room,
            room_ja=ROOM_JA.get(talk.room, ""),
            track=talk.track,
        )
    return event


def _applicants(year: ProgrammeYear, mission_name: str, statuses, count: int) -> list[User]:
    people = (
        User.objects.filter(
            person_role=PersonRole.APPLICANT,
            applications__programme_year=year,
            applications__mission__name_en=mission_name,
            applications__status__in=statuses,
        )
        .exclude(username="applicant")
        .distinct()
        .order_by("pk")
    )
    return list(people[:count])


def _past_registrations(event: Event, people: list[User], staff: User, attended: int) -> int:
    """The October session is over: its registrations are written as they stand today,
    with the grants `registration_create` gives; check-in is the service's, at the time
    each person came in that evening."""
    for i, person in enumerate(people):
        registration = Registration.objects.create(
            event=event, person=person, state=Registration.State.REGISTERED
        )
        access.grant("view", registration, event.organiser)
        access.grant("change", registration, event.organiser)
        access.grant_user("view", registration, person)
        missions = Application.objects.filter(applicant=person).values_list("mission", flat=True)
        for mission in Organisation.objects.filter(pk__in=missions).exclude(pk=event.organiser_id):
            access.grant("view", registration, mission)
        signed_up = event.starts_at - dt.timedelta(days=21 - i, hours=3 * i)
        Registration.objects.filter(pk=registration.pk).update(created_at=signed_up)
        if i < attended:
            services.registration_check_in(by=staff, registration=registration)
            came_in = event.starts_at - dt.timedelta(minutes=20) + dt.timedelta(minutes=3 * i)
            Registration.objects.filter(pk=registration.pk).update(attended_at=came_in)
    return min(attended, len(people))


def _register(event: Event, people: list[User]) -> list[Registration]:
    return [services.registration_create(by=person, event=event) for person in people]


def seed(stdout) -> None:
    year = ProgrammeYear.objects.filter(is_current=True).first()
    users = {u.username: u for u in User.objects.filter(username__in=ACCOUNTS)}
    if year is None or set(users) != set(ACCOUNTS):
        return
    hyogo = users["co.hyogo"].organisation.prefecture
    made: dict[str, Event] = {}
    for spec in specs(year, hyogo, demo_calendar()):
        organiser = users[spec.by].organisation
        if Event.objects.filter(
            programme_year=year,
            kind=spec.fields["kind"],
            organiser=organiser,
            title_en=spec.fields["title_en"],
        ).exists():
            continue
        made[spec.key] = _create(spec, year, users)
    if not made:
        return

    participant, applicant = users["participant"], users["applicant"]
    us, uk = "Embassy of Japan in the United States", "Embassy of Japan in the United Kingdom"
    status = Application.Status
    checked_in = 0
    if "us-info-autumn" in made:
        came = _applicants(year, us, [status.SUBMITTED, status.INTERVIEW, status.SHORTLISTED], 12)
        checked_in = _past_registrations(made["us-info-autumn"], came, users["embassy.us"], 9)
    if "us-info-online" in made:
        _register(
            made["us-info-online"],
            [applicant, *_applicants(year, us, [status.SUBMITTED, status.INTERVIEW], 5)],
        )
    waitlisted = 0
    if "uk-info" in made:
        statuses = [
            status.SUBMITTED,
            status.SHORTLISTED,
            status.ALTERNATE,
            status.FORWARDED,
            status.NOT_SELECTED,
        ]
        taken = _register(made["uk-info"], _applicants(year, uk, statuses, 16))
        waitlisted = sum(r.state == Registration.State.WAITLISTED for r in taken)
    if "skill-development" in made:
        (registration,) = _register(made["skill-development"], [participant])
        sessions = [s for s in made["skill-development"].sessions.all() if s.track != "Elementary"]
        services.registration_sessions_choose(
            by=participant, registration=registration, sessions=sessions
        )
    if "hyogo-mid-year" in made:
        # Himeji is in Harima: her regional group is the second one.
        (registration,) = _register(made["hyogo-mid-year"], [participant])
        sessions = [
            s for s in made["hyogo-mid-year"].sessions.all() if s.track != "Kobe and Hanshin"
        ]
        services.registration_sessions_choose(
            by=participant, registration=registration, sessions=sessions
        )
    automatic = 0
    if "tokyo-A" in made or "tokyo-B" in made:
        accepted = Placement.objects.filter(
            application__programme_year=year, status=Placement.Status.ACCEPTED
        ).select_related("application__applicant", "application__programme_year")
        for placement in accepted:
            person = placement.application.applicant
            automatic += len(services.register_automatically(person=person, placement=placement))

    kinds = Event.objects.filter(programme_year=year).values("kind").distinct().count()
    stdout.write(
        f"Events: {len(made)} events of {kinds} kinds for {year.year} with their sessions; "
        f"{automatic} new participants registered for Tokyo Orientation; the October "
        f"information session has {checked_in} check-ins; the London evening is full with "
        f"{waitlisted} on the waitlist; `participant` has the Skill Development Conference "
        "and the Hyogo mid-year seminar on their schedule, `applicant` the online "
        "information session."
    )
