from django import forms
from django.utils.translation import gettext_lazy as _

from apps.core.models import Country
from apps.programme.models import Position


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
        widget=forms.Textarea(attrs={"rows": 8, "lang": "en"}),
    )
    guideline_ja = forms.CharField(
        label=_("Guideline (Japanese)"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 8, "lang": "ja"}),
    )
