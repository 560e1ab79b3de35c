"""Promotional activities recorded by CLAIR for its own organisation: fairs, university
visits, online sessions, social media pushes (issue 7). The shared rules are in
apps/outreach/promotions.py."""

from django.db import transaction
from django.utils.translation import gettext as _

from apps.core.errors import DomainError
from apps.core.models import Kind
from apps.outreach import promotions as outreach
from apps.outreach.models import PromotionActivity


def _check(by) -> None:
    if not by.is_authenticated or by.kind != Kind.CLAIR or by.organisation is None:
        raise DomainError(_("Only CLAIR records CLAIR's promotional activities."))


@transaction.atomic
def promotion_create(*, by, **values) -> PromotionActivity:
    _check(by)
    return outreach.promotion_create(by=by, organisation=by.organisation, **values)


@transaction.atomic
def promotion_update(*, by, promotion: PromotionActivity, **values) -> PromotionActivity:
    _check(by)
    if promotion.organisation_id != by.organisation.pk:
        raise DomainError(_("Only the organisation that recorded the activity changes it."))
    promotion = PromotionActivity.objects.select_for_update().get(pk=promotion.pk)
    return outreach.promotion_update(promotion=promotion, **values)
