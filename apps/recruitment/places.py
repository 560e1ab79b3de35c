"""Placement preferences: stored as a prefecture's JIS code ("28") or a designated city
("28-Kobe"), shown as names in the reader's language ("Hyogo", "Kobe (Hyogo)"; "兵庫県")."""

from django.utils.translation import get_language
from django.utils.translation import gettext as _

from apps.core.reference_data import DESIGNATED_CITIES, PREFECTURES

PREFECTURE_NAMES = {code: (en, ja) for code, en, ja, *_region in PREFECTURES}
CITY_NAMES = {f"{code}-{en}": (code, en, ja) for code, en, ja in DESIGNATED_CITIES}


def _japanese() -> bool:
    return (get_language() or "en").startswith("ja")


def _prefecture_name(code: str) -> str:
    en, ja = PREFECTURE_NAMES[code]
    return ja if _japanese() else en


def _city_label(value: str) -> str:
    code, en, ja = CITY_NAMES[value]
    return _("%(city)s (%(prefecture)s)") % {
        "city": ja if _japanese() else en,
        "prefecture": _prefecture_name(code),
    }


def placement_choices() -> list:
    """The 47 prefectures and 20 designated cities, named in the reader's language."""
    return [
        ("", _("No preference")),
        (_("Prefectures"), [(code, _prefecture_name(code)) for code in PREFECTURE_NAMES]),
        (_("Designated cities"), [(value, _city_label(value)) for value in CITY_NAMES]),
    ]


def placement_label(value: str) -> str:
    """What a stored placement preference reads as; an unknown value as it is."""
    if value in PREFECTURE_NAMES:
        return _prefecture_name(value)
    if value in CITY_NAMES:
        return _city_label(value)
    return value
