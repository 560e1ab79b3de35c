from django import forms
from django.utils.translation import gettext_lazy as _

from apps.core import limits
from apps.core.forms import ShortListChoiceField
from apps.core.models import Country, Kind, Organisation, Prefecture
from apps.placement.models import Placement, PositionRequest
from apps.recruitment.choices import JapaneseLevel, Position


class AlternateRequestForm(forms.Form):
    mission = forms.ModelChoiceField(
        label=_("Embassy or consulate"),
        queryset=Organisation.objects.filter(kind=Kind.MISSION).select_related("country"),
    )
    position = forms.ChoiceField(label=_("Position"), choices=Position.choices)
    note = forms.CharField(
        label=_("Note for the mission"),
        required=False,
        max_length=limits.NOTE,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("For example, which placement must be filled and by when."),
    )


class BoardCandidateFilter(forms.Form):
    """Filters of the candidate column; every field optional."""

    country = ShortListChoiceField(
        label=_("Country"), queryset=Country.objects.all(), required=False
    )
    position = forms.ChoiceField(
        label=_("Position"), choices=[("", _("Any")), *Position.choices], required=False
    )
    preference = ShortListChoiceField(
        label=_("Prefers prefecture"), queryset=Prefecture.objects.all(), required=False
    )
    japanese_level = forms.ChoiceField(
        label=_("Japanese at least"),
        choices=[("", _("Any")), *JapaneseLevel.choices[1:]],
        required=False,
    )
    driving_licence = forms.ChoiceField(
        label=_("Driving licence"),
        choices=[("", _("Any")), ("ANY", _("Holds a licence")), ("MANUAL", _("Manual"))],
        required=False,
    )
    partner = forms.BooleanField(label=_("Asked to be placed with a partner"), required=False)


class BoardPositionFilter(forms.Form):
    prefecture = ShortListChoiceField(
        label=_("Prefecture"), queryset=Prefecture.objects.all(), required=False
    )
    type = forms.ChoiceField(
        label=_("Type"), choices=[("", _("Any")), *Position.choices], required=False
    )
    school_level = forms.ChoiceField(
        label=_("School level"),
        choices=[("", _("Any")), *PositionRequest.SchoolLevel.choices],
        required=False,
    )
    requirement = forms.ChoiceField(
        label=_("Requirements"),
        choices=[
            ("", _("Any")),
            ("licence", _("Needs a driving licence")),
            ("japanese", _("Needs a Japanese level")),
            ("none", _("No special requirement")),
        ],
        required=False,
    )

    def __init__(self, *args, prefectures=None, **kwargs):
        """`prefectures`: the candidate filter's, so that the board reads them once."""
        super().__init__(*args, **kwargs)
        if prefectures is not None:
            self.fields["prefecture"].queryset = prefectures


class PlaceForm(forms.Form):
    application = forms.IntegerField(widget=forms.HiddenInput)
    position = forms.IntegerField(widget=forms.HiddenInput)
    arrival_group = forms.ChoiceField(
        label=_("Arrival group"), choices=Placement.ArrivalGroup.choices, initial="A"
    )
    accept_warnings = forms.BooleanField(
        label=_("I have read the warnings and place the candidate anyway"), required=False
    )


class OverrideForm(forms.Form):
    position = forms.ModelChoiceField(
        label=_("Position"),
        queryset=PositionRequest.objects.none(),
        required=False,
        empty_label=_("Do not place this candidate"),
    )
    reason = forms.CharField(
        label=_("Reason for the change"),
        max_length=limits.NOTE,
        widget=forms.Textarea(attrs={"rows": 2}),
    )

    def __init__(self, *args, positions=None, **kwargs):
        super().__init__(*args, **kwargs)
        if positions is not None:
            self.fields["position"].queryset = positions
        self.fields["position"].label_from_instance = lambda p: (
            f"{p.pk} · {p.type} · {p.prefecture.name} · {p.municipality} · {p.base}"
        )


class RejectForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason"), max_length=limits.NOTE, widget=forms.Textarea(attrs={"rows": 2})
    )
