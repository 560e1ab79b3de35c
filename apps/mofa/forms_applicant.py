"""Forms of the applicant's pages and of the referee's upload page.

They parse and validate input only. Every rule of the programme (deadline, what may
change after submission, the statement's length, what a file really is) is checked by
apps.recruitment.services, whose DomainError the view puts on the form with form_error.
"""

from django import forms
from django.utils.translation import gettext_lazy as _

from apps.core import limits
from apps.core.models import Country, Kind, Organisation
from apps.core.uploads import EXTENSIONS
from apps.recruitment.choices import Position
from apps.recruitment.models import (
    Application,
    ApplicationDocument,
    Education,
    Referee,
    ReplyForm,
)
from apps.recruitment.places import placement_choices

ACCEPT = ",".join([*EXTENSIONS, ".pdf", ".jpg", ".jpeg", ".png"])


def mission_groups() -> list[tuple[Country, list[Organisation]]]:
    """Every embassy and consulate, grouped by country in the reader's language. Missions
    and their jurisdictions are public information, not people's data."""
    missions = Organisation.objects.filter(kind=Kind.MISSION).select_related("country")
    groups: dict[str, tuple[Country, list[Organisation]]] = {}
    for mission in missions:
        groups.setdefault(mission.country_id, (mission.country, []))[1].append(mission)
    ordered = sorted(groups.values(), key=lambda group: group[0].name)
    return [(country, sorted(items, key=lambda m: m.name)) for country, items in ordered]


POSITIONS = [(Position.ALT.value, Position.ALT.label), (Position.CIR.value, Position.CIR.label)]
DATE_WIDGET = forms.DateInput(format="%Y-%m-%d", attrs={"type": "date"})


def bounded(**max_lengths: int):
    """A ModelForm's `formfield_callback` giving the named model TextFields a bound: their
    columns have none, and a form field of one would take megabytes."""

    def formfield(model_field, **kwargs):
        if model_field.name in max_lengths:
            kwargs["max_length"] = max_lengths[model_field.name]
        return model_field.formfield(**kwargs)

    return formfield


class MissionForm(forms.Form):
    """Where the applicant applies (their jurisdiction decides it) and as what."""

    mission = forms.ModelChoiceField(
        label=_("Embassy or consulate"),
        queryset=Organisation.objects.filter(kind=Kind.MISSION),
        widget=forms.RadioSelect,
        empty_label=None,
        help_text=_(
            "Choose the one whose jurisdiction covers where you live. "
            "Your interview takes place there."
        ),
    )
    position = forms.ChoiceField(label=_("Position"), choices=POSITIONS, widget=forms.RadioSelect)


class PersonalForm(forms.ModelForm):
    class Meta:
        model = Application
        fields = [
            "family_name",
            "given_names",
            "name_japanese",
            "date_of_birth",
            "citizenship",
            "other_citizenship",
            "email",
            "phone",
            "address",
        ]
        widgets = {
            "family_name": forms.TextInput(attrs={"dir": "auto", "autocomplete": "family-name"}),
            "given_names": forms.TextInput(attrs={"dir": "auto", "autocomplete": "given-name"}),
            "name_japanese": forms.TextInput(attrs={"lang": "ja"}),
            "date_of_birth": forms.DateInput(
                format="%Y-%m-%d", attrs={"type": "date", "autocomplete": "bday"}
            ),
            "other_citizenship": forms.TextInput(attrs={"dir": "auto"}),
            "email": forms.EmailInput(attrs={"autocomplete": "email"}),
            "phone": forms.TextInput(attrs={"type": "tel", "autocomplete": "tel"}),
            "address": forms.Textarea(
                attrs={"rows": 3, "dir": "auto", "autocomplete": "street-address"}
            ),
        }
        help_texts = {
            "family_name": _("Exactly as in your passport."),
            "given_names": _("Exactly as in your passport."),
            "name_japanese": _("Only if you have one, in kanji or katakana."),
        }
        formfield_callback = bounded(address=limits.NOTE)


class ContactForm(forms.ModelForm):
    """What may still change after submission."""

    class Meta:
        model = Application
        fields = ["email", "phone", "address"]
        widgets = PersonalForm.Meta.widgets
        formfield_callback = PersonalForm.Meta.formfield_callback


class QualificationsForm(forms.ModelForm):
    class Meta:
        model = Application
        fields = ["japanese_level", "teaching_experience", "qualifications", "driving_licence"]
        widgets = {
            "teaching_experience": forms.Textarea(attrs={"rows": 4}),
            "qualifications": forms.Textarea(attrs={"rows": 3}),
        }
        help_texts = {
            "japanese_level": _("Your highest JLPT level passed, or none."),
        }
        formfield_callback = bounded(teaching_experience=limits.NOTE, qualifications=limits.NOTE)


class PlacementForm(forms.ModelForm):
    preference_1 = forms.ChoiceField(label=_("First placement preference"), required=False)
    preference_2 = forms.ChoiceField(label=_("Second placement preference"), required=False)
    preference_3 = forms.ChoiceField(label=_("Third placement preference"), required=False)

    class Meta:
        model = Application
        fields = [
            "preference_1",
            "preference_2",
            "preference_3",
            "location_preference",
            "partner_number",
        ]
        help_texts = {
            "partner_number": _(
                "If your partner also applies and you wish to be placed near each other."
            ),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        choices = placement_choices()
        for name in ("preference_1", "preference_2", "preference_3"):
            self.fields[name].choices = choices


class HistoryForm(forms.ModelForm):
    class Meta:
        model = Application
        fields = [
            "previous_jet",
            "previous_jet_years",
            "previous_jet_left_year",
            "declined_last_year",
            "years_in_japan_last_10",
        ]
        help_texts = {
            "previous_jet_left_year": _("Only if you were on the JET Programme before."),
        }


class StatementForm(forms.ModelForm):
    class Meta:
        model = Application
        fields = ["statement_of_purpose"]
        widgets = {"statement_of_purpose": forms.Textarea(attrs={"rows": 18, "dir": "auto"})}
        # The service's own, shorter limit comes with a message that counts the
        # characters; this bound only keeps megabytes from reaching it.
        formfield_callback = bounded(statement_of_purpose=limits.TEXT)


class EducationForm(forms.ModelForm):
    class Meta:
        model = Education
        fields = ["institution", "degree", "field_of_study", "graduation_date"]
        widgets = {
            "institution": forms.TextInput(attrs={"dir": "auto"}),
            "field_of_study": forms.TextInput(attrs={"dir": "auto"}),
            "graduation_date": DATE_WIDGET,
        }


class DocumentForm(forms.Form):
    """One document of one kind; the kind travels in a hidden field."""

    kind = forms.CharField(
        widget=forms.HiddenInput,
        max_length=ApplicationDocument._meta.get_field("kind").max_length,
    )
    file = forms.FileField(
        label=_("File (PDF, JPEG or PNG, at most 10 MB)"),
        widget=forms.FileInput(attrs={"accept": ACCEPT}),
    )


class RefereeForm(forms.ModelForm):
    class Meta:
        model = Referee
        fields = ["name", "email", "relationship"]
        widgets = {
            "name": forms.TextInput(attrs={"dir": "auto"}),
            "relationship": forms.TextInput(attrs={"dir": "auto"}),
        }


class ConfirmForm(forms.Form):
    """A button only (submit, withdraw); a service's refusal is shown on it."""


class BookingForm(forms.Form):
    slot = forms.IntegerField(widget=forms.HiddenInput)


class OfferReplyForm(forms.ModelForm):
    answer = forms.ChoiceField(
        label=_("Your answer"), choices=ReplyForm.Answer.choices, widget=forms.RadioSelect
    )

    class Meta:
        model = ReplyForm
        fields = ["answer", "departure_airport", "dependants", "passport_number", "passport_expiry"]
        widgets = {"passport_expiry": DATE_WIDGET}
        help_texts = {
            "departure_airport": _("Needed if you accept."),
            "passport_number": _("Needed if you accept."),
        }


class RefereeLetterForm(forms.Form):
    file = forms.FileField(
        label=_("Your letter of reference (PDF, JPEG or PNG, at most 10 MB)"),
        widget=forms.FileInput(attrs={"accept": ACCEPT}),
    )
