# ruff: noqa: RUF001, RUF002  (Japanese labels use full-width brackets, as Japanese does)
"""Amounts and sentences as each language writes them.

- `yen`: "¥2,221,640" and "-¥2,221,640" in English, "2,221,640円" and "-2,221,640円" in
  Japanese: the sign always first.
- `sentence`: a translated sentence that ends with a time ("… until Nov. 20, 2026,
  5 p.m..") keeps one full stop, as English writes it ("… 5 p.m."). For a sentence
  rendered with `{% blocktranslate … asvar text %}`, then `{{ text|sentence }}`.

Times of day, always with their zone (apps/core/time_zones.py), in the zone active for
the reader (their own, `User.time_zone`) unless another is named:
- `when`: "Dec. 7, 2026, 9 a.m. (EST)" / "2026年12月7日 9:00（米国東部時間）";
  `value|when:"Asia/Tokyo"` in a named zone.
- `when_span`: `start|when_span:end`, "Dec. 7, 2026, 9 a.m. – 9:30 a.m. (EST)" /
  "2026年12月7日 9:00〜9:30（米国東部時間）"; the end's date too when it is another day.
- `zone_label`: an IANA name as people read it, "US Eastern (Washington, New York)" /
  "米国東部時間（ワシントン、ニューヨーク）"; `zone_short`: "EST" / "米国東部時間".
- `{% current_zone_label %}`: the reader's zone, labelled.
"""

import datetime
import re

from django import template
from django.contrib.humanize.templatetags.humanize import intcomma
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import get_language, pgettext

from apps.core import time_zones

register = template.Library()

DOUBLED_STOP = re.compile(r"\b([ap]\.m\.)\.")


@register.filter
def yen(value) -> str:
    if value is None or value == "":
        return ""
    amount = int(value)
    text = pgettext("money", "¥%(amount)s") % {"amount": intcomma(abs(amount))}
    return f"-{text}" if amount < 0 else text


@register.filter(is_safe=True)
def sentence(text: str) -> str:
    return DOUBLED_STOP.sub(r"\1", text)


def _japanese() -> bool:
    return (get_language() or "en").startswith("ja")


def _local(value, zone_name: str = ""):
    """`value` as an aware datetime in `zone_name` (or the active zone), and that zone;
    None for anything that is not a datetime."""
    if not isinstance(value, datetime.datetime):
        return None, None
    zone = time_zones.zone(zone_name) if zone_name else timezone.get_current_timezone()
    if timezone.is_naive(value):
        value = timezone.make_aware(value, timezone.get_default_timezone())
    return timezone.localtime(value, zone), zone


def _date_time(local: datetime.datetime) -> str:
    if _japanese():
        return f"{date_format(local, 'DATE_FORMAT')} {date_format(local, 'G:i')}"
    return date_format(local, "DATETIME_FORMAT")


def _clock(local: datetime.datetime) -> str:
    return date_format(local, "G:i") if _japanese() else date_format(local, "TIME_FORMAT")


def _labelled(text: str, zone, local: datetime.datetime) -> str:
    label = time_zones.short(zone, local)
    return f"{text}（{label}）" if _japanese() else f"{text} ({label})"


@register.filter
def when(value, zone_name: str = "") -> str:
    local, zone = _local(value, zone_name)
    if local is None:
        return "" if value in (None, "") else str(value)
    return _labelled(_date_time(local), zone, local)


@register.filter
def when_span(start, end) -> str:
    local, zone = _local(start)
    if local is None:
        return ""
    text = _date_time(local)
    end_local, _zone = _local(end)
    if end_local is not None:
        same_day = end_local.date() == local.date()
        end_text = _clock(end_local) if same_day else _date_time(end_local)
        text = f"{text}〜{end_text}" if _japanese() else f"{text} – {end_text}"
    return _labelled(text, zone, local)


@register.filter
def zone_label(name) -> str:
    return time_zones.label(name) if name else ""


@register.filter
def zone_short(name) -> str:
    return time_zones.short(name) if name else ""


@register.simple_tag
def current_zone_label() -> str:
    return time_zones.label(time_zones.current_name())


@register.simple_tag
def now_labelled() -> str:
    """The time now in the active zone, labelled."""
    return when(timezone.now())


@register.filter
def zone_suffix(value, zone_name: str = "") -> str:
    """The label a time carries, for markup of its own: " (EST)" / "（日本時間）"."""
    local, zone = _local(value, zone_name)
    if local is None:
        return ""
    return _labelled("", zone, local)


@register.simple_tag
def current_zone_name() -> str:
    return time_zones.current_name()
