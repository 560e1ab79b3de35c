from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class LearningConfig(AppConfig):
    name = "apps.learning"
    label = "learning"
    verbose_name = _("The Japanese course and the libraries")
