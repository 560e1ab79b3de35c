"""A checkbox sits beside its label (issue 18, point 10): in a `.check` row, the box first
and its label right after it, never a grid item of a `.field` of its own, which the grid
stretches and centres away from the label."""

import re
from pathlib import Path

import pytest
from django import forms
from django.conf import settings
from django.template.loader import render_to_string

from apps.core.models import User
from apps.reappointment.models import ReappointmentCase

CSS = Path(settings.BASE_DIR) / "static" / "css" / "jetadmin.css"
TEMPLATES = Path(settings.BASE_DIR) / "templates"
CHECK_ROW = re.compile(
    r'<div class="check"><input type="checkbox" name="(?P<name>\w+)"[^>]* id="(?P<id>[\w-]+)"[^>]*>'
    r' <label for="(?P=id)">'
)


class Consent(forms.Form):
    agree = forms.BooleanField(label="I agree")


def test_the_shared_field_puts_a_checkbox_before_its_label_on_one_row():
    html = render_to_string("includes/field.html", {"field": Consent()["agree"]})
    match = CHECK_ROW.search(html)
    assert match, html
    assert match["name"] == "agree"


def test_the_stylesheet_lays_a_check_row_out_in_a_line():
    css = CSS.read_text()
    rule = re.search(r"^\.check \{([^}]*)\}", css, re.MULTILINE)
    assert rule, "no .check rule"
    assert "display: flex" in rule[1]
    assert "align-items: baseline" in rule[1]


def test_no_template_makes_a_checkbox_a_grid_item_of_a_field():
    # A checkbox or radio straight inside <div class="field ..."> is the floating box.
    loose = re.compile(
        r'<div class="field[^"]*">\s*'
        r'(\{\{ [\w.]+\.tag \}\}|\{\{ form\.agree \}\}|<input type="(checkbox|radio)")'
    )
    offenders = [
        str(path.relative_to(TEMPLATES))
        for path in TEMPLATES.rglob("*.html")
        if loose.search(path.read_text())
    ]
    assert offenders == []


@pytest.mark.django_db
def test_the_alumni_consent_box_sits_beside_its_label(client_as):
    person = User.objects.get(username="jet.hannah.price")  # leaving this year
    ReappointmentCase.objects.filter(participant=person).update(
        participant_answer=ReappointmentCase.ParticipantAnswer.LEAVE
    )
    page = client_as(person.username).get("/outreach/alumni/mine/").content.decode()
    form = page.split('data-testid="alumni-consent-form"')[1]
    match = CHECK_ROW.search(form)
    assert match
    assert match["name"] == "agree"
    assert "I agree that my embassy or consulate" in form[match.end() : match.end() + 200]
