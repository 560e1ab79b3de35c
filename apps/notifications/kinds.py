"""Every kind of notification, with its subject and in-app title in both languages.

The email body is the template `notifications/email/<kind>.txt`, rendered in the
recipient's language. Context values are plain JSON: a name is stored in both
languages (`organisation_en`, `organisation_ja`) and the template picks one.
"""

from django.utils.translation import gettext_lazy as _

KINDS = {
    "membership_added": _("You have been added to an organisation in jetadmin"),
    "password_changed": _("Your jetadmin password was changed"),
}


def subject_for(kind: str):
    return KINDS[kind]
