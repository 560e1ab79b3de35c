from django import forms
from django.utils.translation import gettext_lazy as _

from apps.core import limits


class WithdrawForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason (optional)"),
        required=False,
        max_length=limits.NOTE,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    confirm = forms.BooleanField(
        label=_(
            "I understand that withdrawing gives up this placement and my place on the programme"
        )
    )


class SignForm(forms.Form):
    typed_name = forms.CharField(
        label=_("Type your full name to sign"), max_length=200, help_text=_("As on your account.")
    )
    agree = forms.BooleanField(label=_("I have read the contract and agree to its terms"))
