"""A mission's own wording of the notices it sends its applicants: reads and writes.

Each embassy or consulate sees and changes only its own wordings (the access rule's
policy for notifications.noticetemplate); a kind it has not reworded is sent in the
standard text, which is also what the edit form starts from and what a reset returns to.
"""

from dataclasses import dataclass
from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import QuerySet
from django.http import Http404
from django.template import Context
from django.template.loader import get_template
from django.utils import formats, timezone, translation
from django.utils.translation import gettext as _

from apps.core import access
from apps.core.errors import DomainError
from apps.core.models import User
from apps.notifications.kinds import subject_for
from apps.notifications.models import NoticeTemplate
from apps.notifications.notice_texts import EDITABLE, placeholders_check, substitute, to_html

LANGUAGES = ("en", "ja")
FIELDS = ("subject_en", "body_en", "subject_ja", "body_ja")
# A date no notice carries: where it shows in the standard text, {deadline} stands.
_SAMPLE_DATE = date(2099, 12, 31)


@dataclass(frozen=True)
class Notice:
    """One kind of notice as the mission sends it: its own wording or the standard."""

    kind: str
    subject_en: str
    body_en: str
    subject_ja: str
    body_ja: str
    template: NoticeTemplate | None

    @property
    def customised(self) -> bool:
        return self.template is not None

    @property
    def placeholders(self) -> tuple[str, ...]:
        return EDITABLE[self.kind]

    @property
    def title(self) -> str:
        return str(subject_for(self.kind))


def standard_text(kind: str, language: str) -> tuple[str, str]:
    """The standard subject and text of a kind in `language`, its values shown as
    placeholders (the email templates themselves, so the two never differ)."""
    tokens = {
        "number": "{number}",
        "mission_en": "{mission_name}",
        "mission_ja": "{mission_name}",
        "year": "{year}",
        "reply_due": _SAMPLE_DATE.isoformat(),
        "due": _SAMPLE_DATE.isoformat(),
    }
    with translation.override(language):
        template = get_template(f"notifications/email/{kind}.txt").template
        body = template.render(Context({"c": tokens}, autoescape=False)).strip()
        body = body.replace(formats.date_format(_SAMPLE_DATE, "DATE_FORMAT"), "{deadline}")
        return str(subject_for(kind)), body


def _editable(kind: str) -> str:
    if kind not in EDITABLE:
        raise Http404
    return kind


def _notice(kind: str, template: NoticeTemplate | None) -> Notice:
    if template is not None:
        return Notice(
            kind,
            template.subject_en,
            template.body_en,
            template.subject_ja,
            template.body_ja,
            template,
        )
    subject_en, body_en = standard_text(kind, "en")
    subject_ja, body_ja = standard_text(kind, "ja")
    return Notice(kind, subject_en, body_en, subject_ja, body_ja, None)


# --- reads -------------------------------------------------------------------------------


def notice_template_list(*, user: User) -> QuerySet[NoticeTemplate]:
    """The user's own mission's wordings (none for anyone else)."""
    return access.restrict(NoticeTemplate.objects.all(), user, "view").order_by("kind")


def notice_list(*, user: User) -> list[Notice]:
    """Every kind the mission may reword, in its own wording or the standard (none for
    anyone who words no notices)."""
    if not access.allowed(user, "view", NoticeTemplate):
        return []
    own = {t.kind: t for t in notice_template_list(user=user)}
    return [_notice(kind, own.get(kind)) for kind in EDITABLE]


def notice_get(*, user: User, kind: str) -> Notice:
    """One kind as the user's mission sends it; 404 for a kind no mission words, or for
    anyone who words no notices."""
    kind = _editable(kind)
    if not access.allowed(user, "view", NoticeTemplate):
        raise Http404
    return _notice(kind, notice_template_list(user=user).filter(kind=kind).first())


# --- checks and preview ------------------------------------------------------------------


def notice_text_check(*, kind: str, values: dict[str, str]) -> None:
    """Every field present, subjects on one line, placeholders the kind's own: the first
    fault as a DomainError on its field, in the user's language."""
    for field in FIELDS:
        text = values.get(field) or ""
        if not text.strip():
            raise DomainError(_("This field is required."), field=field)
        if field.startswith("subject") and ("\n" in text or "\r" in text):
            raise DomainError(_("A subject is one line."), field=field)
        try:
            placeholders_check(text, kind=kind)
        except ValidationError as exc:
            raise DomainError(exc.messages[0], field=field) from None


def sample_values(*, kind: str, language: str, mission) -> dict[str, str]:
    """What a preview fills the placeholders with."""
    with translation.override(language):
        return {
            "applicant_name": _("Alex Sample"),
            "mission_name": (mission.name_ja if language == "ja" and mission.name_ja else "")
            or mission.name_en,
            "number": "US-2027-00042",
            "year": str(timezone.localdate().year + 1),
            "link": "https://jetadmin.example/mofa/applicant/applications/42/",
            "deadline": formats.date_format(timezone.localdate(), "DATE_FORMAT"),
        }


def notice_preview(*, by: User, kind: str, values: dict[str, str]) -> dict[str, dict]:
    """The notice as an applicant would read it in each language, with sample values:
    the subject and text as plain text, the text also as escaped HTML."""
    kind = _editable(kind)
    access.require_allowed(by, "view", NoticeTemplate)
    notice_text_check(kind=kind, values=values)
    preview = {}
    for language in LANGUAGES:
        sample = sample_values(kind=kind, language=language, mission=by.organisation)
        subject, body = values[f"subject_{language}"], values[f"body_{language}"]
        preview[language] = {
            "subject": substitute(subject, sample),
            "body": substitute(body, sample),
            "html": to_html(body, sample),
        }
    return preview


# --- writes ------------------------------------------------------------------------------


@transaction.atomic
def notice_template_save(*, by: User, kind: str, values: dict[str, str]) -> NoticeTemplate:
    """The mission's own wording of `kind`, in both languages, checked first."""
    kind = _editable(kind)
    access.require_allowed(
        by, "change", NoticeTemplate, _("Only an embassy or consulate words its notices.")
    )
    # A browser sends a text area's lines ended by CRLF; a notice's lines end in LF.
    values = {f: values.get(f, "").replace("\r\n", "\n") for f in FIELDS}
    notice_text_check(kind=kind, values=values)
    template, _created = NoticeTemplate.objects.update_or_create(
        organisation=by.organisation,
        kind=kind,
        defaults={**{f: values[f] for f in FIELDS}, "updated_by": by},
    )
    return template


@transaction.atomic
def notice_template_reset(*, by: User, kind: str) -> bool:
    """Back to the standard text: the mission's own wording is removed. False if it
    had none."""
    kind = _editable(kind)
    access.require_allowed(
        by, "delete", NoticeTemplate, _("Only an embassy or consulate words its notices.")
    )
    deleted, _rows = access.restrict(
        NoticeTemplate.objects.filter(kind=kind), by, "delete"
    ).delete()
    return bool(deleted)
