from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MofaConfig(AppConfig):
    name = "apps.mofa"
    label = "mofa"
    verbose_name = _("MOFA and missions")
