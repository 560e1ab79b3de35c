from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReappointmentConfig(AppConfig):
    name = "apps.reappointment"
    label = "reappointment"
    verbose_name = _("Re-appointment")
