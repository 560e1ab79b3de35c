"""A contracting organisation's writes."""

from django.db import transaction
from django.utils.translation import gettext as _

from apps.core import access
from apps.core.errors import DomainError
from apps.core.models import Kind, User
from apps.core.selectors import programme_year_current
from apps.programme.models import PositionRequest

POSITION_FIELDS = {
    "type",
    "school_level",
    "base",
    "city",
    "municipality",
    "location",
    "driving_licence_required",
    "min_japanese_level",
    "cir_language",
    "housing",
    "description",
}


def _require_own_organisation(by: User) -> None:
    if by.kind != Kind.CONTRACTING:
        raise DomainError(_("Only a contracting organisation requests positions."))


def _check(fields: dict) -> None:
    if fields.get("type") != "ALT" and fields.get("school_level"):
        raise DomainError(
            _("A school level is given only for ALT positions."), field="school_level"
        )
    if fields.get("type") == "ALT" and not fields.get("school_level"):
        raise DomainError(_("Choose the school level of the ALT position."), field="school_level")
    if not (fields.get("base") or "").strip():
        raise DomainError(_("Name the base school or office."), field="base")


@transaction.atomic
def position_request_create(*, by: User, seats: int = 1, **fields) -> list[PositionRequest]:
    """Request `seats` identical positions (one row per seat) for the current year."""
    _require_own_organisation(by)
    unknown = set(fields) - POSITION_FIELDS
    if unknown:
        raise DomainError(_("Unknown fields: %(fields)s") % {"fields": ", ".join(sorted(unknown))})
    if not 1 <= seats <= 50:
        raise DomainError(_("Request between 1 and 50 seats at a time."), field="seats")
    _check(fields)
    year = programme_year_current()
    if year is None:
        raise DomainError(_("There is no current programme year."))
    organisation = by.organisation
    created = []
    for _seat in range(seats):
        position = PositionRequest.objects.create(
            programme_year=year,
            organisation=organisation,
            prefecture=organisation.prefecture,
            **fields,
        )
        access.grant("view", position, organisation)
        access.grant("change", position, organisation)
        created.append(position)
    return created


@transaction.atomic
def position_request_update(*, by: User, position: PositionRequest, **fields) -> PositionRequest:
    """Change a request MIC has not approved yet; a returned one goes back for review."""
    position = PositionRequest.objects.select_for_update().get(pk=position.pk)
    if not access.can(by, "change", position):
        raise DomainError(_("You cannot change this position."))
    if position.state == PositionRequest.State.APPROVED:
        raise DomainError(_("An approved position cannot be changed; ask MIC."))
    unknown = set(fields) - POSITION_FIELDS
    if unknown:
        raise DomainError(_("Unknown fields: %(fields)s") % {"fields": ", ".join(sorted(unknown))})
    merged = {name: getattr(position, name) for name in POSITION_FIELDS} | fields
    _check(merged)
    for name, value in fields.items():
        setattr(position, name, value)
    position.state = PositionRequest.State.REQUESTED
    position.return_reason = ""
    position.save()
    return position
