from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SupportConfig(AppConfig):
    name = "apps.support"
    label = "support"
    verbose_name = _("Counselling and the counselling subsidy")
