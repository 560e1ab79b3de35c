"""MIC's writes: acceptance numbers and guidelines."""

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from apps.core import access
from apps.core.errors import DomainError
from apps.core.models import Country, Kind, Organisation, ProgrammeYear, User
from apps.core.selectors import organisation_staff
from apps.notifications.services import notifications_record
from apps.recruitment.choices import Position
from apps.recruitment.models import AcceptanceNumber


def _require_mic(by: User) -> None:
    if by.kind != Kind.MIC:
        raise DomainError(_("Only MIC sets acceptance numbers."))


@transaction.atomic
def acceptance_number_set(
    *,
    by: User,
    programme_year: ProgrammeYear,
    country: Country,
    position: str,
    places: int,
    guideline_en: str | None = None,
    guideline_ja: str | None = None,
) -> AcceptanceNumber:
    """Create or change the number of places; a published number stays published.
    A guideline left out (None) keeps its text."""
    _require_mic(by)
    if position not in Position.values:
        raise DomainError(_("Unknown position."), field="position")
    if places < 0:
        raise DomainError(_("The number of places cannot be negative."), field="places")
    number, _created = AcceptanceNumber.objects.select_for_update().get_or_create(
        programme_year=programme_year,
        country=country,
        position=position,
        defaults={
            "places": places,
            "guideline_en": guideline_en or "",
            "guideline_ja": guideline_ja or "",
        },
    )
    if not _created:
        from apps.recruitment.models import Application

        held = Application.objects.filter(
            programme_year=programme_year,
            country=country,
            position=position,
            status__in=Application.HOLDS_PLACE,
        ).count()
        if places < held:
            raise DomainError(
                _(
                    "%(held)s candidates are already shortlisted for this country and "
                    "position; the number cannot be lower."
                )
                % {"held": held},
                field="places",
            )
        number.places = places
        if guideline_en is not None:
            number.guideline_en = guideline_en
        if guideline_ja is not None:
            number.guideline_ja = guideline_ja
        number.save()
    return number


@transaction.atomic
def acceptance_numbers_publish(*, by: User, numbers: list[AcceptanceNumber]) -> int:
    """Publish drafts: the missions of each country may then read them, and are told."""
    _require_mic(by)
    published = 0
    by_country: dict[str, list[AcceptanceNumber]] = {}
    locked = AcceptanceNumber.objects.select_for_update().filter(pk__in=[n.pk for n in numbers])
    for number in locked.select_related("country", "programme_year"):
        if number.state == AcceptanceNumber.State.PUBLISHED:
            continue
        number.state = AcceptanceNumber.State.PUBLISHED
        number.published_at = timezone.now()
        number.save(update_fields=["state", "published_at", "updated_at"])
        published += 1
        by_country.setdefault(number.country_id, []).append(number)
    for country_code, country_numbers in by_country.items():
        missions = list(Organisation.objects.filter(kind=Kind.MISSION, country_id=country_code))
        for number in country_numbers:
            for mission in missions:
                access.grant("view", number, mission)
        staff = [u for mission in missions for u in organisation_staff(organisation=mission)]
        year = country_numbers[0].programme_year.year
        country = country_numbers[0].country
        notifications_record(
            recipients=staff,
            kind="numbers_published",
            context={
                "year": year,
                "country_en": country.name_en,
                "country_ja": country.name_ja,
                "places": {n.position: n.places for n in country_numbers},
            },
            key="numbers_published:" + ",".join(str(n.pk) for n in country_numbers),
        )
    return published
