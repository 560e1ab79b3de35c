from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DemoConfig(AppConfig):
    """The demo world (`manage.py seed_demo`): the top layer, since it plays every actor
    through their services to build a world as the real path would leave it."""

    name = "apps.demo"
    label = "demo"
    verbose_name = _("Demo data")
