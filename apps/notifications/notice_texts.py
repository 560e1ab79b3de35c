"""A mission's own wording of its standard notices, with safe placeholders.

A mission may replace the subject and text of the notices it sends its applicants (the
refusal, the interview invitation...) in English and Japanese. Its text may name only the
placeholders its kind offers (`{applicant_name}`, `{deadline}`...), checked when it is
saved. It is filled in by plain substitution, never rendered as a Django template and
never passed to `str.format`: `{{ settings.SECRET_KEY }}` or `{0.__class__}` cannot be
saved, and a value that looks like a placeholder is never expanded again.
"""

import re
from dataclasses import dataclass
from datetime import date

from django.core.exceptions import ValidationError
from django.utils import formats, translation
from django.utils.html import escape, linebreaks
from django.utils.safestring import mark_safe
from django.utils.translation import gettext_lazy as _

from apps.notifications.links import notice_link

COMMON = ("applicant_name", "mission_name", "number", "year", "link")

# The notices a mission sends its applicants and may word itself, with the placeholders
# each offers: what its context holds.
EDITABLE: dict[str, tuple[str, ...]] = {
    "application_submitted": COMMON,
    "interview_invited": COMMON,
    "result_shortlisted": (*COMMON, "deadline"),
    "result_alternate": COMMON,
    "result_not_selected": COMMON,
    "alternate_upgraded": (*COMMON, "deadline"),
    "application_forwarded": COMMON,
}

# The context key each kind's {deadline} reads.
DEADLINE_KEYS = ("reply_due", "due")

PLACEHOLDER_HELP = {
    "applicant_name": _("the applicant's name"),
    "mission_name": _("your embassy or consulate"),
    "number": _("the application number"),
    "year": _("the programme year"),
    "link": _("the address of the application in jetadmin"),
    "deadline": _("the date by which the applicant must reply"),
}

_TOKEN = re.compile(r"\{([^{}]*)\}")
_NAME = re.compile(r"\{([a-z_]+)\}")


def placeholders_check(text: str, *, kind: str) -> None:
    """Refuse a text that names a placeholder its kind does not offer, or that has a
    brace anywhere else: the message says which, in the user's language."""
    allowed = EDITABLE.get(kind, ())
    for name in _TOKEN.findall(text):
        if name not in allowed:
            raise ValidationError(
                _("Unknown placeholder “{%(name)s}”. You can use: %(allowed)s."),
                code="placeholder",
                params={"name": name, "allowed": ", ".join(f"{{{a}}}" for a in allowed)},
            )
    if "{" in _TOKEN.sub("", text) or "}" in _TOKEN.sub("", text):
        raise ValidationError(
            _("Use braces only around a placeholder, such as {applicant_name}."),
            code="braces",
        )


def substitute(text: str, values: dict[str, str], *, html: bool = False) -> str:
    """Each known `{name}` replaced by its value in one pass (a value is never read
    again); anything else left as it is. In HTML, text and values are escaped."""

    def one(match: re.Match) -> str:
        name = match.group(1)
        if name not in values:
            return escape(match.group(0)) if html else match.group(0)
        return escape(values[name]) if html else values[name]

    if not html:
        return _NAME.sub(one, text)
    parts, last = [], 0
    for match in _NAME.finditer(text):
        parts.append(escape(text[last : match.start()]))
        parts.append(one(match))
        last = match.end()
    parts.append(escape(text[last:]))
    return "".join(parts)


def to_html(text: str, values: dict[str, str]) -> str:
    """Paragraphs of the filled-in text, everything from the template or a value
    escaped (a preview, an HTML part)."""
    # Safe: substitute() escaped the template's text and every value.
    return mark_safe(linebreaks(substitute(text, values, html=True), autoescape=False))  # noqa: S308


@dataclass(frozen=True)
class Wording:
    subject: str
    body: str


def wording_for(template, language: str) -> Wording:
    if (language or "en").startswith("ja"):
        return Wording(template.subject_ja, template.body_ja)
    return Wording(template.subject_en, template.body_en)


def _date(value: str) -> str:
    try:
        return formats.date_format(date.fromisoformat(value[:10]), "DATE_FORMAT")
    except (TypeError, ValueError):
        return value or ""


def placeholder_values(notification) -> dict[str, str]:
    """What each placeholder stands for in this notice, in its language."""
    context = notification.context or {}
    language = notification.language or "en"
    with translation.override(language):
        recipient = notification.recipient
        name = ""
        if recipient is not None:
            name = recipient.get_full_name() or recipient.username
        mission = context.get("mission_ja") if language.startswith("ja") else ""
        link = notice_link(notification, language=language)
        deadline = next((context[k] for k in DEADLINE_KEYS if context.get(k)), "")
        return {
            "applicant_name": name,
            "mission_name": mission or context.get("mission_en", ""),
            "number": str(context.get("number", "")),
            "year": str(context.get("year", "")),
            "link": link.url if link is not None else "",
            "deadline": _date(deadline),
        }


def _lookup(notification):
    from apps.notifications.models import NoticeTemplate

    mission = (notification.context or {}).get("mission_id")
    if notification.kind not in EDITABLE or not mission:
        return None
    return NoticeTemplate.objects.filter(organisation_id=mission, kind=notification.kind).first()


_UNSET = object()


def notice_template_of(notification):
    """The mission's own wording for this notice, if it has one (read once per notice;
    `notice_templates_attach` reads a page of them in one query)."""
    cached = notification.__dict__.get("_notice_template", _UNSET)
    if cached is _UNSET:
        cached = _lookup(notification)
        notification._notice_template = cached
    return cached


def notice_templates_attach(notifications) -> None:
    """Read the missions' own wordings of a page of notices in one query."""
    from apps.notifications.models import NoticeTemplate

    wanted = {
        (n.context.get("mission_id"), n.kind)
        for n in notifications
        if n.kind in EDITABLE and (n.context or {}).get("mission_id")
    }
    found = {}
    if wanted:
        rows = NoticeTemplate.objects.filter(
            organisation_id__in={m for m, _ in wanted}, kind__in={k for _, k in wanted}
        )
        found = {(t.organisation_id, t.kind): t for t in rows}
    for n in notifications:
        n._notice_template = found.get(((n.context or {}).get("mission_id"), n.kind))


def custom_wording(notification) -> Wording | None:
    """The notice's subject and text in the mission's own wording, filled in; None when
    the mission keeps the standard text."""
    template = notice_template_of(notification)
    if template is None:
        return None
    wording = wording_for(template, notification.language)
    values = placeholder_values(notification)
    return Wording(substitute(wording.subject, values), substitute(wording.body, values))
