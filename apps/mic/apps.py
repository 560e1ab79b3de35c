from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MicConfig(AppConfig):
    name = "apps.mic"
    label = "mic"
    verbose_name = _("MIC")
