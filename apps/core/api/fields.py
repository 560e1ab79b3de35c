"""Dates and times in requests, within the years the programme can mean.

DRF accepts any date from year 1 to 9999. Year 88 in a course's enrolment dates is a
typo, never a plan, and it also breaks the answer: before 1888 Japan's clocks were not
yet on +09:00, so a time then is written with an offset in seconds (+09:18:59) that no
client of the schema's date-time format can read. Every date and time a caller sends is
therefore held to apps.core.limits' years, as the page forms' are by their widgets.
Answers are unaffected: these fields only check what comes in.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from apps.core import limits

YEAR_OUT_OF_RANGE = _("Give a date between the years %(first)d and %(last)d.")


def _check_year(year: int) -> None:
    if not limits.YEAR_MIN <= year <= limits.YEAR_MAX:
        raise serializers.ValidationError(
            YEAR_OUT_OF_RANGE % {"first": limits.YEAR_MIN, "last": limits.YEAR_MAX}
        )


class DateField(serializers.DateField):
    def to_internal_value(self, value):
        day = super().to_internal_value(value)
        _check_year(day.year)
        return day


class DateTimeField(serializers.DateTimeField):
    def to_internal_value(self, value):
        moment = super().to_internal_value(value)
        _check_year(moment.year)
        return moment


class CharField(serializers.CharField):
    """Text, and only text: DRF would take the number 0 for the text "0", where the schema
    says a string. (A form's values are text already.)"""

    def to_internal_value(self, data):
        if not isinstance(data, str):
            self.fail("invalid")
        return super().to_internal_value(data)


class ModelSerializer(serializers.ModelSerializer):
    """DRF's, with the model's dates and times read by the fields above."""

    serializer_field_mapping = {
        **serializers.ModelSerializer.serializer_field_mapping,
        models.DateField: DateField,
        models.DateTimeField: DateTimeField,
        models.CharField: CharField,
        models.TextField: CharField,
    }
