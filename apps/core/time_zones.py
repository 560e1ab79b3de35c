# ruff: noqa: RUF001, RUF002  (Japanese labels use full-width brackets, as Japanese does)
"""The time zones people and missions choose from, named in both languages.

Times are stored in UTC and shown in the reader's zone (`User.time_zone`, activated per
request by `UserLanguageMiddleware`), always followed by a short label: "EST", "BST",
"JST" in English; "米国東部時間", "英国時間", "日本時間" in Japanese. A mission's zone
(`Organisation.time_zone`) is the default of its staff and of the applicants who apply
through it.

ZONES lists the zones offered in a choice (settings page, event form) with a long
label in each language; any other valid IANA zone is still shown, by its name.
"""

import datetime
import zoneinfo
from functools import lru_cache

from django.utils import timezone
from django.utils.translation import get_language

DEFAULT = "Asia/Tokyo"

# IANA name: (English label, Japanese label, Japanese short label). English short labels
# are the zone's own abbreviation (EST/EDT, GMT/BST, JST) unless SHORT_EN gives one.
ZONES: dict[str, tuple[str, str, str]] = {
    "Asia/Tokyo": ("Japan (Tokyo)", "日本時間（東京）", "日本時間"),
    "America/New_York": (
        "US Eastern (Washington, New York)",
        "米国東部時間（ワシントン、ニューヨーク）",
        "米国東部時間",
    ),
    "America/Chicago": ("US Central (Chicago)", "米国中部時間（シカゴ）", "米国中部時間"),
    "America/Denver": ("US Mountain (Denver)", "米国山岳部時間（デンバー）", "米国山岳部時間"),
    "America/Los_Angeles": (
        "US Pacific (Los Angeles, San Francisco)",
        "米国太平洋時間（ロサンゼルス、サンフランシスコ）",
        "米国太平洋時間",
    ),
    "America/Anchorage": ("Alaska (Anchorage)", "アラスカ時間（アンカレッジ）", "アラスカ時間"),
    "Pacific/Honolulu": ("Hawaii (Honolulu)", "ハワイ時間（ホノルル）", "ハワイ時間"),
    "America/Toronto": (
        "Canada Eastern (Ottawa, Toronto)",
        "カナダ東部時間（オタワ、トロント）",
        "カナダ東部時間",
    ),
    "America/Vancouver": (
        "Canada Pacific (Vancouver)",
        "カナダ太平洋時間（バンクーバー）",
        "カナダ太平洋時間",
    ),
    "Europe/London": ("United Kingdom (London)", "英国時間（ロンドン）", "英国時間"),
    "Europe/Dublin": ("Ireland (Dublin)", "アイルランド時間（ダブリン）", "アイルランド時間"),
    "Europe/Paris": (
        "Central Europe (Paris, Berlin)",
        "中央ヨーロッパ時間（パリ、ベルリン）",
        "中央ヨーロッパ時間",
    ),
    "Africa/Johannesburg": (
        "South Africa (Johannesburg)",
        "南アフリカ時間（ヨハネスブルグ）",
        "南アフリカ時間",
    ),
    "Asia/Singapore": ("Singapore", "シンガポール時間", "シンガポール時間"),
    "Asia/Manila": ("Philippines (Manila)", "フィリピン時間（マニラ）", "フィリピン時間"),
    "Asia/Shanghai": ("China (Beijing)", "中国時間（北京）", "中国時間"),
    "Asia/Seoul": ("Korea (Seoul)", "韓国時間（ソウル）", "韓国時間"),
    "Australia/Perth": (
        "Australia Western (Perth)",
        "オーストラリア西部時間（パース）",
        "オーストラリア西部時間",
    ),
    "Australia/Sydney": (
        "Australia Eastern (Canberra, Sydney)",
        "オーストラリア東部時間（キャンベラ、シドニー）",
        "オーストラリア東部時間",
    ),
    "Pacific/Auckland": (
        "New Zealand (Wellington, Auckland)",
        "ニュージーランド時間（ウェリントン、オークランド）",
        "ニュージーランド時間",
    ),
    "UTC": ("Coordinated Universal Time (UTC)", "協定世界時（UTC）", "UTC"),
}

# Abbreviations the tz database gives that would mislead beside others ("CST" is both
# China and US Central; "PST" both Manila and Los Angeles).
SHORT_EN = {"Asia/Shanghai": "China time", "Asia/Manila": "PHT", "Asia/Singapore": "SGT"}


def _japanese() -> bool:
    return (get_language() or "en").startswith("ja")


@lru_cache(maxsize=64)
def _zone(name: str) -> zoneinfo.ZoneInfo | None:
    try:
        return zoneinfo.ZoneInfo(name)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError, TypeError):
        return None


@lru_cache(maxsize=1)
def _known() -> frozenset[str]:
    return frozenset(zoneinfo.available_timezones())


def is_valid(name) -> bool:
    """An IANA zone name this server knows (any, not only those ZONES offers)."""
    return isinstance(name, str) and name in _known()


def zone(name: str) -> zoneinfo.ZoneInfo:
    """The zone called `name`, Japan's if the name is not one."""
    return _zone(name or DEFAULT) or _zone(DEFAULT)


def zone_name(value) -> str:
    """The IANA name of a zone object or name."""
    return getattr(value, "key", None) or str(value)


def label(name: str) -> str:
    """The long label of a zone in the active language: "US Eastern (Washington, New
    York)" / "米国東部時間（ワシントン、ニューヨーク）"; an unlisted zone by its name."""
    name = zone_name(name)
    entry = ZONES.get(name)
    if entry is None:
        return name
    return entry[1] if _japanese() else entry[0]


def short(name, when: datetime.datetime | None = None) -> str:
    """The short label of a zone at `when` (the abbreviation follows summer time in
    English): "EST"/"EDT", "JST"; "米国東部時間", "日本時間" in Japanese."""
    name = zone_name(name)
    entry = ZONES.get(name)
    if _japanese() and entry is not None:
        return entry[2]
    if name in SHORT_EN:
        return SHORT_EN[name]
    tz = _zone(name)
    if tz is None:
        return name
    moment = when or timezone.now()
    if timezone.is_naive(moment):
        moment = timezone.make_aware(moment, tz)
    abbreviation = moment.astimezone(tz).tzname() or name
    # The tz database writes a zone with no abbreviation as an offset ("+08").
    if abbreviation[:1] in "+-":
        return f"UTC{abbreviation}"
    return abbreviation


def choices(current: str = "") -> list[tuple[str, str]]:
    """(IANA name, label) for a select in the active language, Japan first; `current`
    is kept as a choice even when ZONES does not list it."""
    items = [(name, label(name)) for name in ZONES]
    if current and current not in ZONES and _zone(current):
        items.append((current, current))
    return items


def current_name() -> str:
    return zone_name(timezone.get_current_timezone())
