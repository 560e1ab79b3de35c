"""CLAIR's own writes: asking a mission for an alternate. Placing candidates and the
suggestion runs are the placement domain's (apps.placement.services)."""

from django.db import transaction
from django.utils.translation import gettext as _

from apps.core import access
from apps.core.errors import DomainError
from apps.core.models import Kind, Organisation, User
from apps.core.selectors import organisation_staff, programme_year_current
from apps.notifications.services import notifications_record
from apps.recruitment.choices import Position
from apps.recruitment.models import AlternateRequest


@transaction.atomic
def alternate_request_create(
    *, by: User, mission: Organisation, position: str, note: str = ""
) -> AlternateRequest:
    """Ask a mission to upgrade an alternate (a placed candidate withdrew, a place must
    be filled). The mission's staff are told; their next upgrade answers it."""
    access.require_allowed(
        by, "add", AlternateRequest, _("Only CLAIR asks missions for alternates.")
    )
    if mission.kind != Kind.MISSION:
        raise DomainError(_("Choose an embassy or consulate."), field="mission")
    if position not in Position.values:
        raise DomainError(_("Choose a position."), field="position")
    year = programme_year_current()
    if year is None:
        raise DomainError(_("There is no current programme year."))
    request = AlternateRequest.objects.create(
        mission=mission, programme_year=year, position=position, note=note, requested_by=by
    )
    staff = list(organisation_staff(organisation=mission))
    notifications_record(
        recipients=staff,
        kind="alternate_requested",
        context={"position": position, "note": note, "year": year.year},
        key=f"alternate_requested:{request.pk}",
    )
    return request
