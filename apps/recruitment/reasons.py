"""What each eligibility reason says to a person, in their language."""

from django.utils.translation import gettext as _

from apps.recruitment import eligibility as e


def reason_text(reason: dict) -> str:
    code = reason.get("code")
    if code == e.CITIZENSHIP:
        return _("Applicants must be citizens of the country of the embassy or consulate.")
    if code == e.JAPANESE_NATIONALITY:
        return _("Applicants with Japanese nationality must renounce it before applying.")
    if code == e.NO_DEGREE:
        return _("A bachelor's degree (or higher) is required.")
    if code == e.DEGREE_TOO_LATE:
        return _("The degree must be held by %(deadline)s.") % {"deadline": reason["deadline"]}
    if code == e.TOO_SOON_AFTER_JET:
        return _(
            "Former participants must have left the programme at least %(years)s years ago."
        ) % {"years": reason["years"]}
    if code == e.FIVE_YEARS_USED:
        return _("Former participants may take part for at most %(years)s years in all.") % {
            "years": reason["years"]
        }
    if code == e.DECLINED_LAST_YEAR:
        return _("Someone who declined a placement in the previous year cannot apply this year.")
    if code == e.LIVED_IN_JAPAN:
        return _("Applicants must not have lived in Japan for six or more of the last ten years.")
    if code == e.TWO_POSITIONS:
        return _("Applying for more than one position disqualifies every application.")
    return code or ""
