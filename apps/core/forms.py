from django import forms

from apps.core.errors import DomainError


def form_error(form: forms.Form, exc: DomainError) -> None:
    """Show a service's refusal on the form: on its field if it names one that the form
    has, else above the form. The form keeps everything the person typed."""
    field = exc.field if exc.field in form.fields else None
    form.add_error(field, exc.message)
