from django import forms
from django.utils.translation import gettext_lazy as _

from apps.core import limits
from apps.core.models import Country, Prefecture
from apps.placement.models import PositionRequest
from apps.recruitment.choices import Position


class AcceptanceNumberForm(forms.Form):
    """Places and the guideline for one country and position; the service decides."""

    country = forms.ModelChoiceField(
        label=_("Country"),
        # The participating countries: those with an embassy or consulate in jetadmin.
        queryset=Country.objects.filter(missions__isnull=False).distinct().order_by("name_en"),
    )
    position = forms.ChoiceField(label=_("Position"), choices=Position.choices)
    places = forms.IntegerField(label=_("Places"), min_value=0)
    guideline_en = forms.CharField(
        label=_("Guideline (English)"),
        required=False,
        max_length=limits.TEXT,
        widget=forms.Textarea(attrs={"rows": 8, "lang": "en"}),
    )
    guideline_ja = forms.CharField(
        label=_("Guideline (Japanese)"),
        required=False,
        max_length=limits.TEXT,
        widget=forms.Textarea(attrs={"rows": 8, "lang": "ja"}),
    )


class PositionFilterForm(forms.Form):
    """Filters of MIC's position review page (GET)."""

    state = forms.ChoiceField(
        label=_("State"),
        choices=[("", _("All states")), *PositionRequest.State.choices],
        required=False,
    )
    prefecture = forms.ModelChoiceField(
        label=_("Prefecture"),
        queryset=Prefecture.objects.order_by("code"),
        required=False,
        empty_label=_("All prefectures"),
    )
    type = forms.ChoiceField(
        label=_("Type"), choices=[("", _("All types")), *Position.choices], required=False
    )


class PositionReviewForm(forms.Form):
    decision = forms.ChoiceField(
        label=_("Decision"),
        choices=[("approve", _("Approve selected")), ("return", _("Return selected"))],
    )
    reason = forms.CharField(
        label=_("Reason for returning"),
        required=False,
        max_length=limits.NOTE,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Required when returning positions; the organisation reads it."),
    )
