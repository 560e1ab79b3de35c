"""Amounts and sentences as each language writes them.

- `yen`: "¥2,221,640" and "-¥2,221,640" in English, "2,221,640円" and "-2,221,640円" in
  Japanese: the sign always first.
- `sentence`: a translated sentence that ends with a time ("… until Nov. 20, 2026,
  5 p.m..") keeps one full stop, as English writes it ("… 5 p.m."). For a sentence
  rendered with `{% blocktranslate … asvar text %}`, then `{{ text|sentence }}`.
"""

import re

from django import template
from django.contrib.humanize.templatetags.humanize import intcomma
from django.utils.translation import pgettext

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
