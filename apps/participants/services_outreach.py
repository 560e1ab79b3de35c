"""A leaving participant agrees to be contacted by the alumni association, or withdraws
that agreement (issue 7). While a consent stands, the mission of their application sees
their name, contact, years and placement prefecture; once withdrawn, it no longer does.
Who may agree: `apps.outreach.selectors.alumni_eligibility`."""

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from apps.core.errors import DomainError
from apps.core.models import Kind
from apps.outreach.models import AlumniConsent
from apps.outreach.selectors import alumni_eligibility


@transaction.atomic
def alumni_consent_give(*, by, contact_email: str, contact_phone: str = "") -> AlumniConsent:
    eligibility = alumni_eligibility(by)
    if not eligibility.allowed:
        raise DomainError(eligibility.reason)
    contact_email = (contact_email or "").strip()
    contact_phone = (contact_phone or "").strip()
    try:
        validate_email(contact_email)
    except ValidationError:
        raise DomainError(
            _("Give an email address the association can write to."), field="contact_email"
        ) from None
    if len(contact_phone) > 40:
        raise DomainError(_("The phone number is too long."), field="contact_phone")
    if AlumniConsent.objects.filter(participant=by, withdrawn_at__isnull=True).exists():
        raise DomainError(_("You have already agreed to alumni contact."))
    prefecture = eligibility.prefecture
    try:
        with transaction.atomic():
            return AlumniConsent.objects.create(
                participant=by,
                mission=eligibility.mission,
                contact_email=contact_email,
                contact_phone=contact_phone,
                years=eligibility.years,
                prefecture_en=prefecture.name_en if prefecture else "",
                prefecture_ja=prefecture.name_ja if prefecture else "",
            )
    except IntegrityError:
        raise DomainError(_("You have already agreed to alumni contact.")) from None


@transaction.atomic
def alumni_consent_withdraw(*, by, consent: AlumniConsent) -> AlumniConsent:
    if by.kind != Kind.PARTICIPANT or consent.participant_id != by.pk:
        raise DomainError(_("Only the participant withdraws their consent."))
    consent = AlumniConsent.objects.select_for_update().get(pk=consent.pk)
    if consent.withdrawn_at is not None:
        raise DomainError(_("This consent is already withdrawn."))
    consent.withdrawn_at = timezone.now()
    consent.save(update_fields=["withdrawn_at"])
    return consent
