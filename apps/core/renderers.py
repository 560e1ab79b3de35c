"""The form renderer: Django's Jinja2 copies of its form templates, the same markup as
its own in about three quarters of the time on a page of selects (README, throughput),
and Django's own templates for the widgets that have no Jinja2 copy (the admin's).

A select's options are written inline (apps/core/jinja2/django/forms/widgets/select.html,
Django's markup byte for byte): Django's template includes one template per option, and
a select of the 57 countries or the 47 prefectures took 1.6-1.8 ms, most of it in those
includes."""

from functools import cached_property
from pathlib import Path

import django.forms
from django.forms.renderers import DjangoTemplates, Jinja2
from django.template import TemplateDoesNotExist

OURS = Path(__file__).parent / "jinja2"
DJANGOS = Path(django.forms.__file__).parent / "jinja2"


class FormRenderer(Jinja2):
    @cached_property
    def engine(self):
        # Ours first: Django's renderer searches its own copies before any app's.
        return self.backend(
            {"APP_DIRS": False, "DIRS": [OURS, DJANGOS], "NAME": "djangoforms", "OPTIONS": {}}
        )

    @cached_property
    def fallback(self) -> DjangoTemplates:
        return DjangoTemplates()

    def get_template(self, template_name):
        try:
            return super().get_template(template_name)
        except TemplateDoesNotExist:
            return self.fallback.get_template(template_name)
