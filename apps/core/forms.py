from django import forms
from django.core.exceptions import ValidationError
from django.forms.models import ModelChoiceIterator
from django.utils.translation import gettext_lazy as _

from apps.core.errors import DomainError


def form_error(form: forms.Form, exc: DomainError) -> None:
    """Show a service's refusal on the form: on its field if it names one that the form
    has, else above the form. The form keeps everything the person typed."""
    field = exc.field if exc.field in form.fields else None
    form.add_error(field, exc.message)


class ShortListChoiceIterator(ModelChoiceIterator):
    """The choices of a short list, from one read of the field's queryset.

    Django's iterator reads a fresh `queryset.iterator()` (a server-side cursor: three
    round trips) each time the choices are walked, and a select walks them twice (its
    `required` check takes the first); this walks the queryset itself, whose rows stay
    with it for the rest of the request."""

    def __iter__(self):
        if self.field.empty_label is not None:
            yield ("", self.field.empty_label)
        for obj in self.queryset:
            yield self.choice(obj)

    def __len__(self):
        return len(self.queryset) + (self.field.empty_label is not None)


class ShortListChoiceField(forms.ModelChoiceField):
    """A choice among a few rows (years, an office's staff): read once per request.

    The queryset given is kept, not copied, so forms of one page handed the same
    queryset (a view's `cached_property`) share one read of it; a value is checked
    against those rows rather than by another query. Not for long lists: every row is
    read to check one."""

    iterator = ShortListChoiceIterator

    def __init__(self, queryset, **kwargs):
        # A form class's own field is only ever copied; each form reads its copy.
        super().__init__(queryset.all() if queryset is not None else None, **kwargs)

    def _set_queryset(self, queryset):
        self._queryset = queryset
        self.widget.choices = self.choices

    queryset = property(forms.ModelChoiceField._get_queryset, _set_queryset)

    def to_python(self, value):
        if value in self.empty_values:
            return None
        model = self.queryset.model
        key = model._meta.get_field(self.to_field_name) if self.to_field_name else model._meta.pk
        if isinstance(value, model):
            value = getattr(value, key.attname)
        try:
            value = key.to_python(value)
        except ValidationError:
            row = None
        else:
            row = next((row for row in self.queryset if getattr(row, key.attname) == value), None)
        if row is None:
            raise ValidationError(
                self.error_messages["invalid_choice"],
                code="invalid_choice",
                params={"value": value},
            )
        return row


class SignUpForm(forms.Form):
    """An applicant's own account. Staff accounts are made by their organisation."""

    first_name = forms.CharField(label=_("Given names (as in passport)"), max_length=150)
    last_name = forms.CharField(label=_("Family name (as in passport)"), max_length=150)
    email = forms.EmailField(label=_("Email"), max_length=254)
    username = forms.CharField(
        label=_("Username"),
        max_length=150,
        help_text=_("Letters, digits and @ . + - _ only."),
    )
    # Hashers take longer passwords, but hashing megabytes on every sign-up would let
    # anyone busy the server; 128 is far above any real one.
    password1 = forms.CharField(
        label=_("Password"), widget=forms.PasswordInput, strip=False, max_length=128
    )
    password2 = forms.CharField(
        label=_("Password again"), widget=forms.PasswordInput, strip=False, max_length=128
    )

    def clean_username(self):
        from django.contrib.auth.validators import UnicodeUsernameValidator

        username = self.cleaned_data["username"]
        UnicodeUsernameValidator()(username)
        return username

    def clean(self):
        from django.contrib.auth.password_validation import validate_password

        cleaned = super().clean()
        p1, p2 = cleaned.get("password1"), cleaned.get("password2")
        if p1 and p2 and p1 != p2:
            self.add_error("password2", _("The two passwords differ."))
        elif p1:
            try:
                validate_password(p1)
            except forms.ValidationError as exc:
                self.add_error("password1", exc)
        return cleaned


class EmailConfirmForm(forms.Form):
    """The token of the emailed link, sent back by one press of a button."""

    token = forms.CharField(widget=forms.HiddenInput, max_length=500)


class AccountSettingsForm(forms.Form):
    """A person's own settings: the zone their times are shown in, and their language."""

    time_zone = forms.ChoiceField(
        label=_("Time zone"),
        help_text=_("Every time in jetadmin is shown in this zone, with its name."),
        error_messages={"invalid_choice": _("Choose a valid time zone.")},
    )
    language = forms.ChoiceField(
        label=_("Language"),
        error_messages={"invalid_choice": _("Choose English or Japanese.")},
    )

    def __init__(self, *args, current_zone: str = "", **kwargs):
        from apps.core import time_zones
        from apps.core.models import Language

        super().__init__(*args, **kwargs)
        self.fields["time_zone"].choices = time_zones.choices(current_zone)
        self.fields["language"].choices = Language.choices
