from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MextConfig(AppConfig):
    name = "apps.mext"
    label = "mext"
    verbose_name = _("MEXT")
