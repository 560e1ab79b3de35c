"""The form renderer: Django's Jinja2 copies of its form templates, the same markup as
its own in about three quarters of the time on a page of selects (README, throughput),
and Django's own templates for the widgets that have no Jinja2 copy (the admin's)."""

from functools import cached_property

from django.forms.renderers import DjangoTemplates, Jinja2
from django.template import TemplateDoesNotExist


class FormRenderer(Jinja2):
    @cached_property
    def fallback(self) -> DjangoTemplates:
        return DjangoTemplates()

    def get_template(self, template_name):
        try:
            return super().get_template(template_name)
        except TemplateDoesNotExist:
            return self.fallback.get_template(template_name)
