"""CLAIR's writes."""

from django.db import transaction
from django.utils.translation import gettext as _

from apps.core.errors import DomainError
from apps.core.models import Kind, Organisation, User
from apps.core.selectors import organisation_staff, programme_year_current
from apps.notifications.services import notifications_record
from apps.programme.models import AlternateRequest, Position


@transaction.atomic
def alternate_request_create(
    *, by: User, mission: Organisation, position: str, note: str = ""
) -> AlternateRequest:
    """Ask a mission to upgrade an alternate (a placed candidate withdrew, a place must
    be filled). The mission's staff are told; their next upgrade answers it."""
    if by.kind != Kind.CLAIR:
        raise DomainError(_("Only CLAIR asks missions for alternates."))
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


LEVELS = ["NONE", "N5", "N4", "N3", "N2", "N1"]


def placement_requirements_unmet(application, position) -> list[str]:
    """The hard requirements of `position` that the candidate does not meet."""
    unmet = []
    if application.position != position.type:
        unmet.append(_("The position is for a different job (ALT, CIR or SEA)."))
    need = position.driving_licence_required
    has = application.driving_licence or "NONE"
    if need == "MANUAL" and has != "MANUAL":
        unmet.append(_("The position needs a manual driving licence."))
    elif need == "AUTOMATIC" and has == "NONE":
        unmet.append(_("The position needs a driving licence."))
    if position.min_japanese_level and LEVELS.index(
        application.japanese_level or "NONE"
    ) < LEVELS.index(position.min_japanese_level):
        unmet.append(
            _("The position needs Japanese at %(level)s or above.")
            % {"level": position.min_japanese_level}
        )
    return unmet


@transaction.atomic
def placement_confirm(*, by: User, application, position, arrival_group: str = "A"):
    """Place a forwarded candidate in an approved position. The database allows one
    active placement per candidate and per position, so of two staff placing at once
    exactly one succeeds and the other is told why."""
    from django.db import IntegrityError

    from apps.core import access
    from apps.programme.models import Application, Placement, PositionRequest

    if by.kind != Kind.CLAIR:
        raise DomainError(_("Only CLAIR places candidates."))
    if application.status != Application.Status.FORWARDED:
        raise DomainError(_("Only candidates forwarded by a mission can be placed."))
    if position.state != PositionRequest.State.APPROVED:
        raise DomainError(_("Only positions approved by MIC can be filled."))
    unmet = placement_requirements_unmet(application, position)
    if unmet:
        raise DomainError(" ".join(unmet))
    try:
        with transaction.atomic():
            placement = Placement.objects.create(
                application=application,
                position=position,
                arrival_group=arrival_group,
                confirmed_by=by,
            )
    except IntegrityError:
        raise DomainError(
            _("This candidate or this position has just been placed by someone else.")
        ) from None
    clair = by.organisation
    for organisation in (clair, position.organisation, application.mission):
        access.grant("view", placement, organisation)
    access.grant_user("view", placement, application.applicant)
    return placement
