"""A contracting organisation records a safety answer for one of its participants (who
could not answer themselves: no phone, no power); who recorded it is kept and shown."""

from django.utils.translation import gettext as _

from apps.core.errors import DomainError
from apps.core.models import Kind, User
from apps.safety import rules
from apps.safety.models import SafetyAnswer


def safety_answer_record(
    *, by: User, answer: SafetyAnswer, status: str, note: str = "", location: str = ""
) -> SafetyAnswer:
    if by is None or by.kind != Kind.CONTRACTING or answer.organisation_id != by.organisation.pk:
        raise DomainError(_("Only the participant's organisation answers on their behalf."))
    return rules.answer_write(answer=answer, by=by, status=status, note=note, location=location)
