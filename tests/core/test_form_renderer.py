"""Widgets are drawn from Django's Jinja2 form templates; a widget with no Jinja2 copy
(the admin's) from Django's own templates, so the admin's forms still render."""

from pathlib import Path

from django import forms
from django.contrib.admin.widgets import ForeignKeyRawIdWidget
from django.forms import renderers
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


class _StarOption(forms.Select):
    """A select whose options have a template of their own: ours must still include it."""

    option_template_name = "django/forms/widgets/input.html"


def test_a_select_is_written_byte_for_byte_as_djangos_own_template_writes_it():
    """Our select template writes each option inline, where Django's includes a template
    per option (three and a half times as slow for a select of the 47 prefectures)."""
    ours = get_default_renderer()
    djangos = renderers.Jinja2()
    assert ours.get_template("django/forms/widgets/select.html").origin.name.startswith(
        str(Path("apps/core/jinja2").resolve())
    )
    grouped = [
        ("", "Any"),
        ("Kanto", [("08", "Ibaraki"), ("13", "Tōkyō <&>")]),
        ("Kansai", [("28", 'Hyōgo "Kobe"')]),
        (None, "None as a value"),
    ]
    cases = [
        (forms.Select(choices=grouped), "13"),
        (forms.Select(choices=grouped, attrs={"required": True, "disabled": False}), ""),
        (forms.SelectMultiple(choices=grouped, attrs={"class": "wide"}), ["08", "28"]),
        (forms.NullBooleanSelect(), True),
        (forms.Select(choices=[(1, 1), (2, "二")], attrs={"aria-describedby": "x"}), 2),
        (_StarOption(choices=[("a", "A")]), "a"),
        (forms.Select(choices=[]), None),
    ]
    for widget, value in cases:
        written = widget.render("pick", value, attrs={"id": "id_pick"}, renderer=ours)
        assert written == widget.render("pick", value, attrs={"id": "id_pick"}, renderer=djangos)
    assert '<option value="13" selected>Tōkyō &lt;&amp;&gt;</option>' in cases[0][0].render(
        "pick", "13", renderer=ours
    )
    assert '<input type="select" name="pick" value="a"' in cases[5][0].render(
        "pick", "a", renderer=ours
    )
