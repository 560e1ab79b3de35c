"""Widgets are drawn from Django's Jinja2 form templates; a widget with no Jinja2 copy
(the admin's) from Django's own templates, so the admin's forms still render."""

from django import forms
from django.contrib.admin.widgets import ForeignKeyRawIdWidget
from django.forms.renderers import get_default_renderer
from django.template.backends.django import Template as DjangoTemplate
from django.template.backends.jinja2 import Template as JinjaTemplate

from apps.core.models import Membership


def test_the_project_renderer_draws_forms_with_jinja2_and_the_admin_with_django():
    renderer = get_default_renderer()
    assert isinstance(renderer.get_template("django/forms/widgets/select.html"), JinjaTemplate)
    assert isinstance(
        renderer.get_template("admin/widgets/foreign_key_raw_id.html"), DjangoTemplate
    )

    select = forms.Select(choices=[("a", "Ä"), ("b", "<b>")]).render("pick", "b")
    assert '<option value="b" selected>&lt;b&gt;</option>' in select

    from django.contrib import admin

    rel = Membership._meta.get_field("user").remote_field
    raw_id = ForeignKeyRawIdWidget(rel, admin.site).render("user", None)
    assert 'name="user"' in raw_id
    assert "vForeignKeyRawIdAdminField" in raw_id
