"""Forms of the promotion and alumni pages (issue 7)."""

import zoneinfo

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from apps.outreach.models import PromotionActivity
from apps.outreach.selectors import information_sessions_for


class SessionChoice(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj):
        try:
            zone = zoneinfo.ZoneInfo(obj.time_zone)
        except (zoneinfo.ZoneInfoNotFoundError, ValueError):
            zone = zoneinfo.ZoneInfo("Asia/Tokyo")
        return f"{obj.title} ({timezone.localtime(obj.starts_at, zone):%Y-%m-%d})"


class PromotionForm(forms.Form):
    kind = forms.ChoiceField(label=_("Kind of activity"), choices=PromotionActivity.Kind.choices)
    title = forms.CharField(label=_("Title"), max_length=200)
    starts_on = forms.DateField(
        label=_("From"), widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
    )
    ends_on = forms.DateField(
        label=_("To"),
        required=False,
        help_text=_("Leave empty for a one-day activity."),
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )
    place = forms.CharField(label=_("Place"), max_length=200, required=False)
    audience = forms.CharField(
        label=_("Audience"),
        max_length=200,
        required=False,
        help_text=_("For example: final-year students of Japanese, teachers, the public."),
    )
    reach = forms.IntegerField(label=_("People reached"), min_value=0, initial=0)
    information_sessions = SessionChoice(
        label=_("Linked information sessions"),
        queryset=None,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Your organisation's information sessions this activity led to."),
    )

    def __init__(self, *args, organisation=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["information_sessions"].queryset = information_sessions_for(organisation)

    @classmethod
    def initial_from(cls, promotion: PromotionActivity) -> dict:
        return {
            "kind": promotion.kind,
            "title": promotion.title,
            "starts_on": promotion.starts_on,
            "ends_on": promotion.ends_on,
            "place": promotion.place,
            "audience": promotion.audience,
            "reach": promotion.reach,
            "information_sessions": list(promotion.information_sessions.all()),
        }

    def values(self) -> dict:
        data = dict(self.cleaned_data)
        if not data.get("ends_on"):
            data["ends_on"] = data["starts_on"]
        data["information_sessions"] = list(data.get("information_sessions") or [])
        return data


class AlumniConsentForm(forms.Form):
    contact_email = forms.EmailField(
        label=_("Contact email"),
        max_length=254,
        help_text=_("An address you will still read after you leave Japan."),
    )
    contact_phone = forms.CharField(label=_("Contact phone"), max_length=40, required=False)
    agree = forms.BooleanField(
        label=_(
            "I agree that my embassy or consulate may pass my name, contact details, years "
            "on the programme and placement prefecture to the JET alumni association, for "
            "its welcome-back reception and alumni chapter."
        ),
    )
