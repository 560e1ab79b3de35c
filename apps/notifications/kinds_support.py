"""Notification kinds of issue 7 (support), merged into `apps.notifications.kinds.KINDS`.

The texts never carry what a case is about: a notice says only that there is something
to read in jetadmin, where the reader's access is checked again."""

from django.utils.translation import gettext_lazy as _

KINDS: dict = {
    "support_case_opened": _("A new support request is in the counselling queue"),
    "support_message_participant": _("A participant wrote in a support case"),
    "support_case_assigned": _("A support case was assigned to you"),
    "support_reply": _("Your counsellor has replied"),
    "support_shared": _("A participant shared a support summary with you"),
}
