from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ClairConfig(AppConfig):
    name = "apps.clair"
    label = "clair"
    verbose_name = _("CLAIR")
