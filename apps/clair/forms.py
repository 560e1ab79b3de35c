from django import forms
from django.utils.translation import gettext_lazy as _

from apps.core.models import Kind, Organisation
from apps.programme.models import Position


class AlternateRequestForm(forms.Form):
    mission = forms.ModelChoiceField(
        label=_("Embassy or consulate"),
        queryset=Organisation.objects.filter(kind=Kind.MISSION).select_related("country"),
    )
    position = forms.ChoiceField(label=_("Position"), choices=Position.choices)
    note = forms.CharField(
        label=_("Note for the mission"),
        required=False,
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("For example, which placement must be filled and by when."),
    )
