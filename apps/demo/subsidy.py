"""Demo data of the counselling subsidy (issue 7): claims in every state, made through
the services as each person would, with PDF receipts.

- `participant` (Sarah O'Connor, Hyogo): one approved, one forwarded to CLAIR, one
  returned by Hyogo with its reason (for her to fix), one waiting for Hyogo's check;
- other placed participants: one waiting for Sapporo's check, one approved at the cap
  (the cost's half was more than the ¥30,000 a year), one returned by CLAIR, one
  forwarded by Nagano.

Nobody is notified (the demo `participant`'s inbox stays as the tests expect).
Idempotent: nothing is added once any of these people has a claim.
"""

import datetime as dt

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from apps.core.models import User
from apps.core.selectors import organisation_staff
from apps.demo.documents import pdf_bytes
from apps.support import services_subsidy as services
from apps.support.models import SubsidyClaim
from apps.support.subsidy import fiscal_year_bounds, fiscal_year_of

SUBMITTED, FORWARDED, APPROVED = "SUBMITTED", "FORWARDED", "APPROVED"
RETURNED_BY_ORG, RETURNED_BY_CLAIR = "RETURNED_BY_ORG", "RETURNED_BY_CLAIR"

# (username, days ago, cost in yen, note, what happens, reason for returning)
CLAIMS = [
    (
        "participant",
        75,
        12000,
        "Two sessions with an English-speaking counsellor in Kobe.",
        APPROVED,
        "",
    ),
    ("participant", 45, 16000, "Four online sessions (TELL Japan).", FORWARDED, ""),
    (
        "participant",
        30,
        9000,
        "One session at a clinic in Himeji.",
        RETURNED_BY_ORG,
        "The receipt does not show the clinic's name or the date; please upload the full receipt.",
    ),
    ("participant", 12, 10000, "Follow-up session.", SUBMITTED, ""),
    ("jet.hannah.price", 20, 8000, "", SUBMITTED, ""),
    ("jet.thomas.whitfield", 90, 70000, "A course of ten sessions.", APPROVED, ""),
    (
        "jet.chloe.tremblay",
        50,
        14000,
        "",
        RETURNED_BY_CLAIR,
        "Please add the counsellor's professional registration number to the receipt.",
    ),
    ("jet.jack.morrison", 15, 6000, "Online session.", FORWARDED, ""),
]


def _receipt(day: dt.date) -> SimpleUploadedFile:
    return SimpleUploadedFile(
        f"receipt-{day.isoformat()}.pdf", pdf_bytes(f"Receipt {day.isoformat()}"), "application/pdf"
    )


def seed(stdout) -> None:
    usernames = sorted({row[0] for row in CLAIMS})
    people = {u.username: u for u in User.objects.filter(username__in=usernames)}
    if SubsidyClaim.objects.filter(participant__in=people.values()).exists():
        return
    clair = User.objects.filter(username="clair").first()
    today = timezone.localdate()
    # The claims count against this fiscal year's cap (April to March, the real
    # calendar's): early in April they are drawn closer together, still in their order.
    elapsed = (today - fiscal_year_bounds(fiscal_year_of(today))[0]).days
    longest = max(row[1] for row in CLAIMS)
    made = 0
    for username, days_ago, cost, note, outcome, reason in CLAIMS:
        person = people.get(username)
        if person is None:
            continue
        day = today - dt.timedelta(days=min(days_ago, days_ago * elapsed // longest))
        claim = services.subsidy_claim_submit(
            by=person,
            session_date=day,
            cost=cost,
            note=note,
            receipts=[_receipt(day)],
            notify=False,
        )
        made += 1
        checker = organisation_staff(organisation=claim.organisation).first()
        if outcome == SUBMITTED or checker is None:
            continue
        if outcome == RETURNED_BY_ORG:
            services.subsidy_claim_return(by=checker, claim=claim, reason=reason, notify=False)
            continue
        services.subsidy_claim_forward(by=checker, claim=claim, notify=False)
        if outcome == FORWARDED or clair is None:
            continue
        if outcome == APPROVED:
            services.subsidy_claim_approve(by=clair, claim=claim, notify=False)
        else:
            services.subsidy_claim_return(by=clair, claim=claim, reason=reason, notify=False)
    if made:
        stdout.write(
            f"Counselling subsidy: {made} claims in every state (participant: approved, "
            "forwarded, returned by Hyogo, waiting for Hyogo's check)."
        )
