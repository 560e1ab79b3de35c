from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PlacementConfig(AppConfig):
    name = "apps.placement"
    label = "placement"
    verbose_name = _("Positions, placements and contracts")
