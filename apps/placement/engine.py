"""Rows in, engine dataclasses out: the one translation between the shared schema and
the placement engine (`apps.placement.matching`), used by the board's fit column, the
hand placement check and the suggestion job alike, so they cannot disagree."""

from apps.placement import matching
from apps.placement.models import PositionRequest
from apps.recruitment.models import Application

COUNTRY_CODE_LENGTH = 2


def candidate(application: Application, *, partner_ids: set[int] | None = None):
    partner = application.partner_id
    if partner_ids is not None and partner not in partner_ids:
        partner = None
    return matching.Candidate(
        id=application.pk,
        position=application.position,
        preferences=tuple(
            p
            for p in (application.preference_1, application.preference_2, application.preference_3)
            if p
        ),
        location_wish=application.location_preference or "NONE",
        japanese_level=application.japanese_level or "NONE",
        driving_licence=application.driving_licence or "NONE",
        country=application.citizenship_id or application.country_id or "",
        partner=partner,
    )


def position(position: PositionRequest):
    # A CIR post names the country sought by its ISO code, or a language in words;
    # only the code is a hard requirement the engine can check.
    sought = (position.cir_language or "").strip()
    country = sought if len(sought) == COUNTRY_CODE_LENGTH and sought.isupper() else ""
    return matching.Position(
        id=position.pk,
        type=position.type,
        prefecture=position.prefecture_id,
        city=position.city,
        location=position.location,
        driving_licence=position.driving_licence_required or None,
        min_japanese_level=position.min_japanese_level or None,
        country=country if position.type == "CIR" else "",
    )


def fit(application: Application, position_row: PositionRequest) -> matching.Fit:
    return matching.fit(candidate(application), position(position_row))


def as_dicts(notes) -> list[dict]:
    return [{"code": n.code, "params": dict(n.params)} for n in notes]
