"""The counselling subsidy's rules, shared by the participant's, the organisation's and
CLAIR's services: half of the cost, up to the yearly cap of the fiscal year (April to
March) in which the counselling took place, with receipts checked by their content.

Claims SUBMITTED, FORWARDED or APPROVED count against the cap; a RETURNED claim does
not (until it is fixed and submitted again)."""

import datetime

from django.conf import settings
from django.db.models import Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from apps.core.errors import DomainError
from apps.core.uploads import EXTENSIONS, check_upload
from apps.placement.models import Contract, Placement
from apps.support.models import SubsidyClaim, SubsidyReceipt

# The states that hold part of the year's allowance.
COUNTING = (
    SubsidyClaim.State.SUBMITTED,
    SubsidyClaim.State.FORWARDED,
    SubsidyClaim.State.APPROVED,
)
RECEIPT_MAX_BYTES = 5 * 1024 * 1024
RECEIPTS_MAX = 10


def cap() -> int:
    return settings.COUNSELLING_SUBSIDY_CAP_YEN


def fiscal_year_of(day: datetime.date) -> int:
    """The Japanese fiscal year a day belongs to, named by the year it starts in: 31 March
    2027 is in fiscal 2026, 1 April 2027 in fiscal 2027."""
    return day.year if day.month >= 4 else day.year - 1


def fiscal_year_bounds(fiscal_year: int) -> tuple[datetime.date, datetime.date]:
    return datetime.date(fiscal_year, 4, 1), datetime.date(fiscal_year + 1, 3, 31)


def used(participant, fiscal_year: int, *, exclude: SubsidyClaim | None = None) -> int:
    """What the participant's counting claims of that fiscal year already hold."""
    claims = SubsidyClaim.objects.filter(
        participant=participant, fiscal_year=fiscal_year, state__in=COUNTING
    )
    if exclude is not None:
        claims = claims.exclude(pk=exclude.pk)
    return claims.aggregate(total=Sum("amount"))["total"] or 0


def remaining(participant, fiscal_year: int, *, exclude: SubsidyClaim | None = None) -> int:
    return max(cap() - used(participant, fiscal_year, exclude=exclude), 0)


def allowance(participant, fiscal_year: int | None = None) -> dict:
    """The year's cap, what is used and what remains: shown before submitting."""
    if fiscal_year is None:
        fiscal_year = fiscal_year_of(timezone.localdate())
    spent = used(participant, fiscal_year)
    start, end = fiscal_year_bounds(fiscal_year)
    return {
        "fiscal_year": fiscal_year,
        "starts": start,
        "ends": end,
        "cap": cap(),
        "used": spent,
        "remaining": max(cap() - spent, 0),
    }


def amount_for(cost: int, left: int) -> int:
    """Half the cost (rounded down to the yen), no more than what remains of the cap."""
    return min(cost // 2, left)


def claim_amount(
    *, participant, session_date: datetime.date, cost, exclude: SubsidyClaim | None = None
) -> tuple[int, int]:
    """(fiscal year, amount) for a claim, or a DomainError saying why it cannot be made."""
    if session_date is None:
        raise DomainError(_("Give the date of the counselling."), field="session_date")
    if session_date > timezone.localdate():
        raise DomainError(_("The counselling must already have taken place."), field="session_date")
    if cost is None or int(cost) <= 0:
        raise DomainError(_("Give the cost of the counselling in yen."), field="cost")
    cost = int(cost)
    if cost < 2:
        raise DomainError(_("The cost is too small to claim half of it."), field="cost")
    fiscal_year = fiscal_year_of(session_date)
    left = remaining(participant, fiscal_year, exclude=exclude)
    if left <= 0:
        start, end = fiscal_year_bounds(fiscal_year)
        raise DomainError(
            _(
                "Nothing remains of the ¥%(cap)s subsidy for the fiscal year %(start)s to "
                "%(end)s: your claims for that year already reach the cap."
            )
            % {"cap": f"{cap():,}", "start": start.isoformat(), "end": end.isoformat()},
            field="cost",
        )
    return fiscal_year, amount_for(cost, left)


def participant_organisation(person):
    """The contracting organisation the participant works for: that of their contract in
    force today, else of their latest accepted placement; None if they have neither."""
    today = timezone.localdate()
    contract = (
        Contract.objects.filter(
            placement__application__applicant=person,
            status=Contract.Status.IN_FORCE,
            start_date__lte=today,
            end_date__gte=today,
        )
        .select_related("placement__position__organisation")
        .order_by("-start_date")
        .first()
    )
    if contract is not None:
        return contract.placement.position.organisation
    placement = (
        Placement.objects.filter(application__applicant=person, status=Placement.Status.ACCEPTED)
        .select_related("position__organisation")
        .order_by("-confirmed_at")
        .first()
    )
    return placement.position.organisation if placement else None


def receipts_check(files, *, required: bool = True) -> list[tuple[object, str]]:
    """Every file checked by its bytes before anything is saved: [(file, content type)]."""
    files = [f for f in (files or []) if f is not None]
    if required and not files:
        raise DomainError(_("Attach at least one receipt (PDF, JPEG or PNG)."), field="receipts")
    if len(files) > RECEIPTS_MAX:
        raise DomainError(
            _("Attach at most %(n)s receipts.") % {"n": RECEIPTS_MAX}, field="receipts"
        )
    checked = []
    for uploaded in files:
        try:
            content_type = check_upload(uploaded, max_bytes=RECEIPT_MAX_BYTES)
        except DomainError as exc:
            name = getattr(uploaded, "name", "") or _("a receipt")
            raise DomainError(
                _("Receipt “%(name)s”: %(problem)s") % {"name": name, "problem": exc.message},
                field="receipts",
            ) from None
        checked.append((uploaded, content_type))
    return checked


def receipts_save(claim: SubsidyClaim, checked: list[tuple[object, str]]) -> None:
    for uploaded, content_type in checked:
        name = (getattr(uploaded, "name", "") or "receipt").rsplit("/", 1)[-1][:200]
        receipt = SubsidyReceipt(
            claim=claim, name=name, content_type=content_type, size=uploaded.size
        )
        uploaded.seek(0)
        receipt.file.save(f"receipt.{EXTENSIONS[content_type]}", uploaded, save=False)
        receipt.save()


def claim_context(claim: SubsidyClaim) -> dict:
    """Plain JSON for notices, names in both languages."""
    organisation = claim.organisation
    return {
        "claim": claim.pk,
        "participant": claim.participant.get_full_name(),
        "organisation_en": organisation.name_en,
        "organisation_ja": organisation.name_ja or organisation.name_en,
        "session_date": claim.session_date.isoformat(),
        "cost": f"{claim.cost:,}",
        "amount": f"{claim.amount:,}",
        "fiscal_year": claim.fiscal_year,
        "reason": claim.return_reason,
    }
