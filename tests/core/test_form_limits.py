"""Every text field of every page form has a bound (issue 16): an event description of
2.4 MB was once saved. The page forms live in the apps' forms modules and, for a few
small pages, in their views modules; the walk imports both, so a new form is checked
without being listed here."""

import importlib
import pkgutil

import pytest
from django import forms

import apps
from apps.core import limits
from apps.events.models import Event
from apps.outreach.services_correspondence import BODY_MAX
from apps.support.models import SubsidyClaim
from tests.events.conftest import soon
from tests.events.test_pages import EVENTS, _event_form

# The fields allowed above limits.TEXT, with the bound each must keep. Letters between
# organisations run longer than any other text; the correspondence service and its API
# take the same BODY_MAX.
ABOVE_TEXT = {
    "apps.outreach.views_correspondence.MessageForm.body": BODY_MAX,
    "apps.outreach.views_correspondence.ThreadForm.body": BODY_MAX,
}

MEGABYTES = "x" * 2_400_000
TITLE = "A description of megabytes"


def _page_form_modules():
    for info in pkgutil.walk_packages(apps.__path__, prefix="apps."):
        if info.name.rsplit(".", 1)[-1].startswith(("forms", "views")):
            yield importlib.import_module(info.name)


def _page_forms() -> list[type[forms.BaseForm]]:
    return [
        value
        for module in _page_form_modules()
        for value in vars(module).values()
        if isinstance(value, type)
        and issubclass(value, forms.BaseForm)
        and value.__module__ == module.__name__
    ]


def _text_fields():
    for form in _page_forms():
        for name, field in form.base_fields.items():
            if isinstance(field, forms.CharField):
                yield f"{form.__module__}.{form.__qualname__}.{name}", field


def test_the_walk_finds_the_page_forms():
    found = {f"{form.__module__}.{form.__qualname__}" for form in _page_forms()}
    assert {
        "apps.events.forms.EventForm",
        "apps.mofa.forms_applicant.StatementForm",
        "apps.support.views.SupportCaseForm",
    } <= found
    assert set(ABOVE_TEXT) <= {name for name, _field in _text_fields()}


def test_every_text_field_of_a_page_form_has_a_bound():
    unbounded = [
        f"{name} (max_length={field.max_length})"
        for name, field in _text_fields()
        if field.max_length is None
        or field.max_length > ABOVE_TEXT.get(name, limits.TEXT)
        or (name in ABOVE_TEXT and field.max_length != ABOVE_TEXT[name])
    ]
    assert not unbounded, "text fields without a bound:\n" + "\n".join(unbounded)


def test_a_text_box_stops_the_typing_at_the_bound():
    loose = [
        name
        for name, field in _text_fields()
        if isinstance(field.widget, forms.Textarea)
        and field.widget.attrs.get("maxlength") != str(field.max_length)
    ]
    assert not loose, "text boxes without the maxlength attribute:\n" + "\n".join(loose)


@pytest.mark.django_db
def test_a_description_of_megabytes_is_refused_on_the_page(client_as):
    body = _event_form(title_en=TITLE, description_en=MEGABYTES)
    response = client_as("clair").post(f"{EVENTS}new/", body)
    assert response.status_code == 200
    assert list(response.context["form"].errors) == ["description_en"]
    assert (
        f"Ensure this value has at most {limits.TEXT} characters (it has {len(MEGABYTES)})."
        in response.content.decode()
    )
    assert not Event.objects.filter(title_en=TITLE).exists()


@pytest.mark.django_db
def test_a_description_of_megabytes_is_refused_by_the_api(api_as):
    body = {
        "kind": "SKILL_DEV",
        "title_en": TITLE,
        "description_en": MEGABYTES,
        "starts_at": soon(40, 9).isoformat(),
        "ends_at": soon(41, 17).isoformat(),
        "audience": "CIR",
    }
    response = api_as("clair").post("/api/v1/events/", body, format="json")
    assert response.status_code == 400
    assert list(response.json()) == ["description_en"]
    assert not Event.objects.filter(title_en=TITLE).exists()


@pytest.mark.django_db
def test_a_return_reason_of_megabytes_is_refused(client_as, participant):
    claim = SubsidyClaim.objects.filter(
        participant=participant, state=SubsidyClaim.State.SUBMITTED
    ).first()
    response = client_as("co.hyogo").post(
        f"/subsidy/{claim.pk}/decide/", {"action": "return", "reason": MEGABYTES}, follow=True
    )
    assert f"Ensure this value has at most {limits.NOTE} characters" in response.content.decode()
    claim.refresh_from_db()
    assert claim.state == SubsidyClaim.State.SUBMITTED
