from django import forms
from django.utils.translation import gettext_lazy as _

from apps.core import limits
from apps.placement.models import PositionRequest
from apps.recruitment.choices import DrivingLicence, JapaneseLevel, LocationPreference, Position


class PositionForm(forms.Form):
    """One position as the organisation describes it; the service checks the rules."""

    type = forms.ChoiceField(label=_("Type"), choices=Position.choices)
    school_level = forms.ChoiceField(
        label=_("School level"),
        choices=[("", _("Not an ALT position")), *PositionRequest.SchoolLevel.choices],
        required=False,
        help_text=_("ALT positions only."),
    )
    base = forms.CharField(label=_("Base school or office"), max_length=200)
    base_ja = forms.CharField(
        label=_("Base school or office in Japanese"),
        max_length=200,
        required=False,
        help_text=_("Shown in the Japanese column of the contract."),
    )
    city = forms.CharField(
        label=_("Designated city"),
        max_length=30,
        required=False,
        help_text=_("Leave blank if the position is not in a designated city."),
    )
    municipality = forms.CharField(label=_("Municipality"), max_length=100)
    municipality_ja = forms.CharField(
        label=_("Municipality in Japanese"),
        max_length=100,
        required=False,
        help_text=_("Shown in the Japanese column of the contract."),
    )
    location = forms.ChoiceField(label=_("Location"), choices=LocationPreference.choices[:3])
    driving_licence_required = forms.ChoiceField(
        label=_("Driving licence needed"),
        choices=[("", _("Not needed")), *DrivingLicence.choices[1:]],
        required=False,
    )
    min_japanese_level = forms.ChoiceField(
        label=_("Minimum Japanese level"),
        choices=[("", _("No minimum")), *JapaneseLevel.choices],
        required=False,
    )
    cir_language = forms.CharField(
        label=_("Working language or country sought"),
        max_length=100,
        required=False,
        help_text=_("CIR positions only."),
    )
    housing = forms.ChoiceField(label=_("Housing"), choices=PositionRequest.Housing.choices)
    description = forms.CharField(
        label=_("Description"),
        required=False,
        max_length=limits.TEXT,
        widget=forms.Textarea(attrs={"rows": 5}),
    )


class PositionRequestForm(PositionForm):
    seats = forms.IntegerField(
        label=_("Number of seats"),
        min_value=1,
        max_value=50,
        initial=1,
        help_text=_("One position is recorded for each seat."),
    )


class DeclineForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason for declining"),
        max_length=limits.NOTE,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class ContractTermsForm(forms.Form):
    hours_per_week = forms.DecimalField(
        label=_("Working hours a week"), min_value=1, max_value=40, decimal_places=1
    )
    paid_leave_days = forms.IntegerField(
        label=_("Paid leave days a year"), min_value=10, max_value=40
    )
    conditions_en = forms.CharField(
        label=_("The organisation's conditions (English)"),
        required=False,
        max_length=limits.TEXT,
        widget=forms.Textarea(attrs={"rows": 5}),
    )
    conditions_ja = forms.CharField(
        label=_("The organisation's conditions (Japanese)"),
        required=False,
        max_length=limits.TEXT,
        widget=forms.Textarea(attrs={"rows": 5, "lang": "ja"}),
    )


class ContractIssueConfirmForm(forms.Form):
    """The second step of issuing: the person has seen the terms as they will be sent.
    `stamp` names those terms, so a draft changed in between is shown again, not sent."""

    confirm = forms.BooleanField(widget=forms.HiddenInput, required=False)
    stamp = forms.CharField(widget=forms.HiddenInput, max_length=64, required=False)
