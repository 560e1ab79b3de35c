"""The API's side of the small-cell rule (`apps.core.disclosure`): a count the rule hides
is written as its reason's code, "fewer_than_3" or "withheld", in the number's place,
and the schema says that such a field is an integer or one of those codes. A client
that reads the number as an int must check for the string first."""

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from apps.core.disclosure import FEWER_THAN_3, WITHHELD, Hidden

HIDDEN_CODES = [FEWER_THAN_3, WITHHELD]
HIDDEN_SCHEMA = {"type": "string", "enum": HIDDEN_CODES}
NOTE = (
    ' "fewer_than_3": 0, 1 or 2, not shown so that nobody can be recognised; "withheld": '
    "3 or more, not shown so that a small count cannot be worked out from the totals."
)


def _help(help_text: str) -> str:
    return (help_text or "A count.") + NOTE


@extend_schema_field({"oneOf": [{"type": "integer", "minimum": 0}, HIDDEN_SCHEMA]})
class CountField(serializers.Field):
    """A count of people, or the code of the reason it is hidden."""

    def __init__(self, **kwargs):
        kwargs["help_text"] = _help(kwargs.get("help_text", ""))
        kwargs.setdefault("read_only", True)
        super().__init__(**kwargs)

    def to_representation(self, value):
        return value.reason if isinstance(value, Hidden) else int(value)


@extend_schema_field({"oneOf": [{"type": "number", "format": "double"}, HIDDEN_SCHEMA]})
class RateField(serializers.Field):
    """A figure made from counts (a percentage), or "withheld" when one of them is hidden."""

    def __init__(self, **kwargs):
        kwargs["help_text"] = _help(kwargs.get("help_text", ""))
        kwargs.setdefault("read_only", True)
        super().__init__(**kwargs)

    def to_representation(self, value):
        return value.reason if isinstance(value, Hidden) else float(value)
