"""`get_<field>_display` without translating every label of the field on each call.

Django's version builds a dict of the field's choices on every call, hashing each label,
and a label is a lazy translation: a page of 50 applications translated some 800 labels
to show 100 of them (15% of the mission's application list, profiled). Here each field's
choices become a dict once, keyed by value, with the labels left lazy, so only the label
shown is translated, in the language active at the time.

Each label is then kept, translated, per language, for the process: a label depends on
nothing else, and translating it again took 5-8 us (the catalog's lookup through the
lazy string), twice a row on the mission's list of 50 applications.
"""

from django.utils.encoding import force_str
from django.utils.hashable import make_hashable
from django.utils.translation import get_language


class ChoiceLabels:
    """First among a model's bases: Django binds `get_<field>_display` to the class's
    `_get_FIELD_display` when the field is added to it."""

    def _get_FIELD_display(self, field):  # noqa: N802 (the name Django binds)
        labels = field.__dict__.get("_labels_by_value")
        if labels is None:
            labels = {make_hashable(value): label for value, label in field.flatchoices}
            field.__dict__["_labels_by_value"] = labels
        value = make_hashable(getattr(self, field.attname))
        translated = field.__dict__.get("_translated_labels")
        if translated is None:
            translated = field.__dict__["_translated_labels"] = {}
        key = (get_language(), value)
        try:
            return translated[key]
        except KeyError:
            pass
        except TypeError:  # a value that cannot be a key
            return force_str(labels.get(value, getattr(self, field.attname)), strings_only=True)
        label = labels.get(value)
        if label is None:  # no label: the value itself, as it is (not kept: values vary)
            return force_str(getattr(self, field.attname), strings_only=True)
        label = translated[key] = force_str(label, strings_only=True)
        return label
