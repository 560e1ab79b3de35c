from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ProgrammeConfig(AppConfig):
    name = "apps.programme"
    label = "programme"
    demo_order = 5
    verbose_name = _("The shared schema")

    def ready(self):
        from apps.programme import signals  # noqa: F401
