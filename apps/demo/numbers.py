"""Demo data for MIC: the current year's acceptance numbers and guidelines, published.

Proportions follow reference/jet-facts.md: the United States sends about half of all
participants, then the UK, Canada, Australia, New Zealand and Ireland; ALT above 90 %,
CIR just under 10 %, SEA a handful (here one Chinese SEA).
"""

from apps.core.models import Country, ProgrammeYear, User
from apps.recruitment import services
from apps.recruitment.choices import Position
from apps.recruitment.models import AcceptanceNumber

# country: {position: places}
NUMBERS = {
    "US": {Position.ALT: 1000, Position.CIR: 60},
    "GB": {Position.ALT: 250, Position.CIR: 22},
    "CA": {Position.ALT: 250, Position.CIR: 18},
    "AU": {Position.ALT: 150, Position.CIR: 14},
    "NZ": {Position.ALT: 120, Position.CIR: 8},
    "IE": {Position.ALT: 80, Position.CIR: 5},
    "PH": {Position.ALT: 90, Position.CIR: 3},
    "CN": {Position.ALT: 2, Position.CIR: 20, Position.SEA: 1},
}

# Teaching language of the ALTs recruited in each country.
TEACHING_LANGUAGE = {"CN": ("Chinese", "中国語")}


def guideline(country: Country, position: str, year: ProgrammeYear) -> tuple[str, str]:
    """Short bilingual guideline text for one country and position."""
    deadline_en = f"{year.degree_deadline.day} {year.degree_deadline:%B %Y}"
    deadline_ja = (
        f"{year.degree_deadline.year}年{year.degree_deadline.month}月{year.degree_deadline.day}日"
    )
    common_en = (
        f"Citizens of {country.name_en} only. A bachelor's degree in any subject by "
        f"{deadline_en}. Former participants: at least three years since leaving and no more "
        "than five years in all."
    )
    common_ja = (
        f"{country.name_ja}国籍を有する者に限る。{deadline_ja}までに学士号(分野不問)を取得して"
        "いること。元参加者は離任後3年以上経過し、通算5年以内であること。"
    )
    if position == Position.CIR:
        return (
            f"{common_en} Functional Japanese is required: JLPT N2 is typical and some posts "
            "ask for N1. Part of the interview is held in Japanese.",
            f"{common_ja}実務に堪える日本語能力が必要(日本語能力試験N2程度が目安、一部の"
            "ポストはN1)。面接の一部は日本語で行う。",
        )
    if position == Position.SEA:
        return (
            "Sports specialists recommended through the national sports authority; "
            "placed with local governments to coach and run sports exchange. "
            "Re-appointment needs consultation with the Government of China.",
            "国の体育当局の推薦によるスポーツ専門家。地方公共団体でスポーツ指導・交流事業に"
            "従事する。再任用には中国政府との協議を要する。",
        )
    language_en, language_ja = TEACHING_LANGUAGE.get(country.code, ("English", "英語"))
    return (
        f"{common_en} Native-level command of {language_en}, the language taught. "
        "Teaching experience or a TEFL qualification is an advantage, not a requirement.",
        f"{common_ja}指導する言語({language_ja})について母語話者並みの能力を有すること。"
        "指導経験・TEFL等の資格は有利に評価するが必須ではない。",
    )


def seed(stdout) -> None:
    mic = User.objects.get(username="mic")
    year = ProgrammeYear.objects.get(is_current=True)
    existing = {
        (n.country_id, n.position): n
        for n in AcceptanceNumber.objects.filter(programme_year=year, country_id__in=NUMBERS)
    }
    numbers = []
    for code, places_by_position in NUMBERS.items():
        country = Country.objects.get(code=code)
        for position, places in places_by_position.items():
            number = existing.get((code, position))
            if number is None:
                guideline_en, guideline_ja = guideline(country, position, year)
                number = services.acceptance_number_set(
                    by=mic,
                    programme_year=year,
                    country=country,
                    position=position,
                    places=places,
                    guideline_en=guideline_en,
                    guideline_ja=guideline_ja,
                )
            numbers.append(number)
    published = services.acceptance_numbers_publish(by=mic, numbers=numbers)
    if published:
        stdout.write(
            f"MIC: {published} acceptance numbers published for {year.year} ({', '.join(NUMBERS)})."
        )
