"""Notification kinds of issue 7 (subsidy), merged into `apps.notifications.kinds.KINDS`."""

from django.utils.translation import gettext_lazy as _

KINDS: dict = {
    "subsidy_claim_submitted": _("A participant has claimed the counselling subsidy"),
    "subsidy_claim_resubmitted": _("A corrected counselling subsidy claim is waiting"),
    "subsidy_claim_forwarded": _("A counselling subsidy claim waits for CLAIR's approval"),
    "subsidy_claim_approved": _("A counselling subsidy claim is approved"),
    "subsidy_claim_returned": _("A counselling subsidy claim was returned for correction"),
}
