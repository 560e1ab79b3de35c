from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MicConfig(AppConfig):
    name = "apps.mic"
    label = "mic"
    demo_order = 10
    verbose_name = _("MIC")
