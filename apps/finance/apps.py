from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class FinanceConfig(AppConfig):
    name = "apps.finance"
    label = "finance"
    verbose_name = _("Programme costs and statistics")

    def ready(self):
        from apps.finance import signals  # noqa: F401
