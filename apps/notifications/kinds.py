"""Every kind of notification, with its subject and in-app title in both languages.

The email body is the template `notifications/email/<kind>.txt`, rendered in the
recipient's language. Context values are plain JSON: a name is stored in both
languages (`organisation_en`, `organisation_ja`) and the template picks one.
"""

from django.utils.translation import gettext_lazy as _

KINDS = {
    "membership_added": _("You have been added to an organisation in jetadmin"),
    "password_changed": _("Your jetadmin password was changed"),
    "email_confirm": _("Confirm your email address for jetadmin"),
    "numbers_published": _("MIC has published acceptance numbers for your country"),
    "application_submitted": _("Your JET Programme application was submitted"),
    "reference_requested": _("A JET Programme applicant asks you for a reference"),
    "document_correction": _("Please upload a corrected document"),
    "interview_invited": _("You are invited to a JET Programme interview"),
    "interview_booked": _("Your JET Programme interview time"),
    "result_shortlisted": _("JET Programme result: shortlisted"),
    "result_alternate": _("JET Programme result: alternate"),
    "result_not_selected": _("JET Programme result"),
    "alternate_upgraded": _("A JET Programme place is offered to you"),
    "place_freed": _("A shortlisted candidate has withdrawn or declined"),
    "application_forwarded": _("Your details have been passed to CLAIR for placement"),
    "alternate_requested": _("CLAIR asks you to upgrade an alternate"),
    "alternate_request_fulfilled": _("A mission has upgraded the alternate you asked for"),
    "placement_offered": _("CLAIR has placed a JET candidate with your organisation"),
    "placement_declined": _("A contracting organisation has declined a placement"),
    "placement_notice": _("JET Programme placement notice"),
    "placement_accepted": _("The candidate has accepted the placement"),
    "placement_withdrawn": _("A placed JET candidate has withdrawn"),
    "contract_issued": _("Your JET Programme contract is ready to sign"),
    "contract_signed": _("A participant has signed the contract"),
    "contract_in_force": _("Your JET Programme contract is in force"),
    "event_changed": _("An event you are registered for has changed"),
    "event_waitlist_moved_up": _("A seat is yours: you are off the waitlist"),
    "event_reminder_week": _("Reminder: your event is in a week"),
    "event_reminder_day": _("Reminder: your event is tomorrow"),
    "reappointment_organisation_answered": _("Your organisation has answered on re-appointment"),
    "reappointment_confirmed": _("Re-appointment confirmed: a new contract is being prepared"),
    "reappointment_leaving": _("Your JET Programme appointment ends with this term"),
    "reappointment_leaver": _("A participant from your country is leaving the JET Programme"),
    "reappointment_reminder_organisation": _("Reminder: re-appointment answers are due"),
    "reappointment_reminder_participant": _("Reminder: please answer on re-appointment"),
}


def _merge_issue_7_kinds() -> None:
    from apps.notifications import (
        kinds_correspondence,
        kinds_course,
        kinds_library,
        kinds_outreach,
        kinds_safety,
        kinds_subsidy,
        kinds_support,
    )

    for module in (
        kinds_support,
        kinds_subsidy,
        kinds_course,
        kinds_library,
        kinds_correspondence,
        kinds_outreach,
        kinds_safety,
    ):
        KINDS.update(module.KINDS)


_merge_issue_7_kinds()


def subject_for(kind: str):
    return KINDS[kind]


# Context keys too sensitive to keep once the email is out (a single-use upload link).
SECRET_CONTEXT = {"reference_requested": ["link"], "email_confirm": ["link"]}
