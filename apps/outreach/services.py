"""Writes of promotion and alumni, each asking the access rule who may make it (pages and
API call these alike).

- Promotional activities (fairs, university visits, online sessions, social media
  pushes) are recorded by a mission (embassy or consulate) or CLAIR for its own
  organisation, and changed only by the organisation that recorded them.
- A leaving participant agrees to be contacted by the alumni association, or withdraws
  that agreement. While a consent stands, the mission of their application sees their
  name, contact, years and placement prefecture; once withdrawn, it no longer does.
  Who may agree now: `apps.outreach.selectors.alumni_eligibility`.
"""

import datetime

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from apps.core import access
from apps.core.errors import DomainError
from apps.core.models import User
from apps.outreach.models import AlumniConsent, PromotionActivity
from apps.outreach.selectors import alumni_eligibility, information_sessions_for

# --- promotional activities ------------------------------------------------------------------

PROMOTION_FIELDS = ("kind", "title", "starts_on", "ends_on", "place", "audience", "reach")


def _promotion_clean(organisation, values: dict) -> tuple[dict, list | None]:
    values = dict(values)
    sessions = values.pop("information_sessions", None)
    unknown = set(values) - set(PROMOTION_FIELDS)
    if unknown:
        raise ValueError(f"Unknown fields: {sorted(unknown)}")
    if "kind" in values and values["kind"] not in PromotionActivity.Kind.values:
        raise DomainError(_("Choose the kind of activity."), field="kind")
    if "title" in values:
        values["title"] = (values["title"] or "").strip()
        if not values["title"]:
            raise DomainError(_("Give the activity a title."), field="title")
    for name in ("place", "audience"):
        if name in values:
            values[name] = (values[name] or "").strip()
    for name in ("starts_on", "ends_on"):
        if name in values and not isinstance(values[name], datetime.date):
            raise DomainError(_("Give the dates of the activity."), field=name)
    if "reach" in values:
        reach = values["reach"]
        if reach is None:
            values["reach"] = 0
        elif not isinstance(reach, int) or reach < 0:
            raise DomainError(_("People reached is a number, zero or more."), field="reach")
    events = None
    if sessions is not None:
        ids = {getattr(s, "pk", s) for s in sessions}
        events = list(information_sessions_for(organisation).filter(pk__in=ids))
        if len(events) != len(ids):
            raise DomainError(
                _("Link only your own organisation's information sessions."),
                field="information_sessions",
            )
    return values, events


def _promotion_check_dates(promotion: PromotionActivity) -> None:
    if promotion.ends_on < promotion.starts_on:
        raise DomainError(_("The activity cannot end before it starts."), field="ends_on")


@transaction.atomic
def promotion_create(*, by: User, **values) -> PromotionActivity:
    """An activity of the recorder's own organisation, with the information sessions
    (its own) it led to."""
    access.require_allowed(
        by,
        "add",
        PromotionActivity,
        _("Only embassies, consulates and CLAIR record promotional activities."),
    )
    organisation = by.organisation
    values, events = _promotion_clean(organisation, values)
    for name in ("kind", "title", "starts_on"):
        if name not in values:
            raise DomainError(_("Fill in this field."), field=name)
    values.setdefault("ends_on", values["starts_on"])
    promotion = PromotionActivity(organisation=organisation, created_by=by, **values)
    _promotion_check_dates(promotion)
    promotion.save()
    if events:
        promotion.information_sessions.set(events)
    return promotion


@transaction.atomic
def promotion_update(*, by: User, promotion: PromotionActivity, **values) -> PromotionActivity:
    access.require(
        by,
        "change",
        promotion,
        _("Only the organisation that recorded the activity changes it."),
    )
    promotion = PromotionActivity.objects.select_for_update().get(pk=promotion.pk)
    values, events = _promotion_clean(promotion.organisation, values)
    for name, value in values.items():
        setattr(promotion, name, value)
    _promotion_check_dates(promotion)
    promotion.save()
    if events is not None:
        promotion.information_sessions.set(events)
    return promotion


# --- alumni ----------------------------------------------------------------------------------


@transaction.atomic
def alumni_consent_give(*, by: User, contact_email: str, contact_phone: str = "") -> AlumniConsent:
    access.require_allowed(
        by, "add", AlumniConsent, _("Only participants agree to alumni contact.")
    )
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
def alumni_consent_withdraw(*, by: User, consent: AlumniConsent) -> AlumniConsent:
    access.require(by, "withdraw", consent, _("Only the participant withdraws their consent."))
    consent = AlumniConsent.objects.select_for_update().get(pk=consent.pk)
    if consent.withdrawn_at is not None:
        raise DomainError(_("This consent is already withdrawn."))
    consent.withdrawn_at = timezone.now()
    consent.save(update_fields=["withdrawn_at"])
    return consent
