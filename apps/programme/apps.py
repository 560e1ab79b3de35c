from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ProgrammeConfig(AppConfig):
    """The first home of the shared schema, kept for its migrations only: they made the
    tables that the domain apps (recruitment, placement, events, ...) now own, under their
    first names (`programme_*`), and the last one hands the models over."""

    name = "apps.programme"
    label = "programme"
    verbose_name = _("The shared schema (history)")
