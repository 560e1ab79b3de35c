"""The rules of recording a promotional activity, shared by the two actors that record
them (a mission, through apps/mofa/services_outreach.py, and CLAIR, through
apps/clair/services_outreach.py). Each actor's service checks who acts, then calls here
inside its transaction."""

import datetime

from django.utils.translation import gettext as _

from apps.core.errors import DomainError
from apps.outreach.models import PromotionActivity
from apps.outreach.selectors import information_sessions_for

FIELDS = ("kind", "title", "starts_on", "ends_on", "place", "audience", "reach")


def _clean(organisation, values: dict) -> tuple[dict, list | None]:
    values = dict(values)
    sessions = values.pop("information_sessions", None)
    unknown = set(values) - set(FIELDS)
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


def _check_dates(promotion: PromotionActivity) -> None:
    if promotion.ends_on < promotion.starts_on:
        raise DomainError(_("The activity cannot end before it starts."), field="ends_on")


def promotion_create(*, by, organisation, **values) -> PromotionActivity:
    values, events = _clean(organisation, values)
    for name in ("kind", "title", "starts_on"):
        if name not in values:
            raise DomainError(_("Fill in this field."), field=name)
    values.setdefault("ends_on", values["starts_on"])
    promotion = PromotionActivity(organisation=organisation, created_by=by, **values)
    _check_dates(promotion)
    promotion.save()
    if events:
        promotion.information_sessions.set(events)
    return promotion


def promotion_update(*, promotion: PromotionActivity, **values) -> PromotionActivity:
    values, events = _clean(promotion.organisation, values)
    for name, value in values.items():
        setattr(promotion, name, value)
    _check_dates(promotion)
    promotion.save()
    if events is not None:
        promotion.information_sessions.set(events)
    return promotion
