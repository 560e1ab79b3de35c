"""The form of a mission's own wording of a notice. It parses; the service checks."""

from django import forms
from django.utils.translation import gettext_lazy as _


class NoticeTemplateForm(forms.Form):
    subject_en = forms.CharField(label=_("Subject (English)"), max_length=200)
    body_en = forms.CharField(
        label=_("Text (English)"), max_length=5000, widget=forms.Textarea(attrs={"rows": 12})
    )
    subject_ja = forms.CharField(label=_("Subject (Japanese)"), max_length=200)
    body_ja = forms.CharField(
        label=_("Text (Japanese)"),
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 12, "lang": "ja"}),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["subject_ja"].widget.attrs["lang"] = "ja"
