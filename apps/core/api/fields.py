"""Dates and times in requests, within the years the programme can mean.

DRF accepts any date from year 1 to 9999. Year 88 in a course's enrolment dates is a
typo, never a plan, and it also breaks the answer: before 1888 Japan's clocks were not
yet on +09:00, so a time then is written with an offset in seconds (+09:18:59) that no
client of the schema's date-time format can read. Every date and time a caller sends is
therefore held to apps.core.limits' years, as the page forms' are by their widgets.
Answers are unaffected: these fields only check what comes in.

Serializer and ModelSerializer below are DRF's, with each answer's fields read the way
DRF reads them but with DRF's per-field decisions made once per serializer instead of
once per row (bench/load.py, issue 17).
"""

import copy
import datetime
import functools
import inspect
import keyword
import re
import types
from collections.abc import Mapping
from operator import attrgetter

from django.db import models
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _
from rest_framework import ISO_8601, serializers
from rest_framework import fields as drf_fields
from rest_framework.relations import PKOnlyObject
from rest_framework.settings import api_settings

from apps.core import limits
from apps.core.choice_labels import ChoiceLabels
from apps.core.reads import MARKED_PER_VALUE as _MARKED_PER_VALUE
from apps.core.reads import columns_per_value

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


_DRF_GET_ATTRIBUTE = drf_fields.Field.get_attribute
_SLOW = object()


_SIMPLE_CALLABLES: dict = {}
_SIMPLE_CALLABLES_KEPT = 4096


def _itself(instance):
    return instance


_DISPLAY = re.compile(r"get_(\w+)_display")
_DJANGOS_DISPLAY = (models.Model._get_FIELD_display,)


class _PerValue:
    """A source (`get_<field>_display`, or a property marked `@reads(..., per_value=True)`)
    worked out once per value of the columns that decide it, for the whole answer, in the
    language, time zone and date the answer is written in (settled for the answer, as
    its time zone is). A page of CLAIR's 15 re-appointment cases translated 45 labels of
    three fields, 5 us each (a partial made for the row, DRF's callable check, a lazy
    string's translation), and took 0.95-0.97 x its time with one per value; a contract's
    status label cost 9 us a row (its translation and today's date). Any other source, or
    a model where the method is not Django's own (`_decided_by`), is read as before.

    The values are kept for the process, per source, language, time zone and date
    (_values_of): nothing else decides them, and a page of CLAIR's 36 contracts worked
    out 14 status labels and 12 organisation names afresh, a quarter of writing it."""

    def __init__(self, path: list[str]):
        self.head = attrgetter(".".join(path[:-1])) if len(path) > 1 else None
        self.name = path[-1]
        self.decided: dict[type, tuple | None] = {}
        self.values: dict = _values_of(self.name)

    def __call__(self, instance):
        target = self.head(instance) if self.head is not None else instance
        model = type(target)
        how = self.decided.get(model, False)
        if how is False:
            how = self.decided[model] = _decided_by(model, self.name)
        if how is None:
            return getattr(target, self.name)
        attnames, call = how
        stored = target.__dict__
        key = (model, *[stored[attname] for attname in attnames])
        try:
            return self.values[key]
        except KeyError:
            value = getattr(target, self.name)
            value = value() if call else value
            if len(self.values) >= _VALUES_KEPT:
                self.values.clear()  # a source of many values: keep the recent ones
            self.values[key] = value
            return value
        except TypeError:  # a value that cannot be a key
            value = getattr(target, self.name)
            return value() if call else value


# Each per-value source's values, for the language, time zone and date they were worked
# out in (the date changes a contract's status label at midnight).
_VALUES: dict = {}
_VALUES_KEPT = 4096
_VALUES_SETS_KEPT = 256


def _values_of(name: str) -> dict:
    key = (name, translation.get_language(), timezone.get_current_timezone(), timezone.localdate())
    values = _VALUES.get(key)
    if values is None:
        if len(_VALUES) >= _VALUES_SETS_KEPT:
            _VALUES.clear()  # yesterday's, mostly
        values = _VALUES[key] = {}
    return values


def _decided_by(model, name: str) -> tuple[tuple[str, ...], bool] | None:
    """(the columns whose values alone decide `model.<name>`, whether it is called), or
    None: a `get_<field>_display` that Django made for the field over a value-only
    `_get_FIELD_display` (Django's or ChoiceLabels'), or a property marked per value."""
    meta = getattr(model, "_meta", None)
    if meta is None:
        return None
    display = _DISPLAY.fullmatch(name)
    if display:
        try:
            field = meta.get_field(display[1])
        except Exception:  # not a field of the model: a method of its own
            return None
        made = inspect.getattr_static(model, name, None)
        if (
            not field.concrete
            or not isinstance(made, functools.partialmethod)
            or made.keywords.get("field") is not field
            or model._get_FIELD_display not in (*_DJANGOS_DISPLAY, ChoiceLabels._get_FIELD_display)
        ):
            return None
        return (field.attname,), True
    columns = columns_per_value(model, name)
    if columns is None:
        return None
    return tuple(meta.get_field(column).attname for column in columns), False


class _ReadOnce:
    """`to_representation` as DRF's, for a list's rows: one serializer writes every row
    of a page, so which fields it reads, how it reaches each one and the time zone its
    times are written in are settled on the first row. Per row DRF walks its field
    generator, re-reads each field's source path attribute by attribute, inspects the
    signature of any method a source names and looks the current time zone up for every
    date-time; that was a third of a 50-row page's time.

    A value the fast path cannot take exactly as DRF would (a dict row, a missing
    relation, a None on the way, a method it has not yet seen) goes through the field's
    own `get_attribute`, so every answer stays the one DRF gives."""

    def _read_plan(self):
        plan = []
        for field in self._plan_fields():
            getter = None
            # Related fields, SerializerMethodFields with a source of their own and any
            # field with its own get_attribute keep it.
            if type(field).get_attribute is _DRF_GET_ATTRIBUTE:
                path = field.source_attrs
                if path and (_DISPLAY.fullmatch(path[-1]) or _MARKED_PER_VALUE.get(path[-1])):
                    getter = _PerValue(path)
                else:
                    getter = _attribute_getter(path) if path else _itself
            if isinstance(field, serializers.DateTimeField) and not hasattr(field, "timezone"):
                # The same for the whole answer; DRF asks asgiref's Local for every value.
                field.timezone = field.default_timezone()
            plan.append((field.field_name, getter, field.to_representation, field))
        return plan

    def _plan_fields(self):
        """The readable fields: of a serializer whose fields are its class's alone, those
        whose answer depends on nothing but the value are shared by every instance of the
        class (_shared_fields); the rest are bound to this one, as DRF binds each."""
        shared = None
        if "fields" not in self.__dict__ and type(self).get_fields in _CLASS_FIELDS:
            shared = _shared_fields(type(self))
        if shared is None:
            yield from self._readable_fields
            return
        zone = None
        for name, field, own in shared:
            if own is _ZONED:
                if zone is None:
                    zone = field.default_timezone()
                field = _zoned(field, zone)
            elif own:
                field = copy.deepcopy(field)
                field.bind(field_name=name, parent=self)
            yield field

    def _simple_callable(self, value) -> bool:
        """DRF's answer, kept per function for the process: it reads the function's
        signature, a tenth of writing a page of contracts when asked once per page."""
        if isinstance(value, functools.partial):
            # A model's get_<field>_display is a partial made anew for every row; its
            # signature is its function's less what the partial binds.
            func = value.func
            key = (
                functools.partial,
                type(func),
                getattr(func, "__func__", func),
                len(value.args),
                frozenset(value.keywords),
            )
        else:
            key = (type(value), getattr(value, "__func__", value))
        known = _SIMPLE_CALLABLES.get(key)
        if known is None:
            if len(_SIMPLE_CALLABLES) >= _SIMPLE_CALLABLES_KEPT:
                _SIMPLE_CALLABLES.clear()  # functions made per row would otherwise pile up
            known = _SIMPLE_CALLABLES[key] = drf_fields.is_simple_callable(value)
        return known

    def _call(self, value):
        """A method a source names, called as DRF would call it; _SLOW where DRF would
        do something else (a callable that needs arguments, or one that fails)."""
        if not isinstance(value, types.MethodType | types.FunctionType | functools.partial):
            return _SLOW
        if not self._simple_callable(value):
            return _SLOW
        try:
            return value()
        except (AttributeError, KeyError):
            return _SLOW  # DRF's path calls it again and reports it as it does

    def to_representation(self, instance):
        if isinstance(instance, Mapping):
            return super().to_representation(instance)
        write = self.__dict__.get("_writer")
        if write is None:
            write = self.__dict__["_writer"] = _writer(self, self._plan())
        try:
            return write(instance)
        except drf_fields.SkipField:  # a field to leave out: the row as the loop writes it
            return self._write_slowly(instance)

    def _plan(self):
        plan = self.__dict__.get("_read_plan_cache")
        if plan is None:
            plan = self.__dict__["_read_plan_cache"] = self._read_plan()
        return plan

    def _write_field_slowly(self, index, instance, value):
        """One field of a row, from the value its getter gave (_SLOW when it gave none,
        or a callable), as the loop below writes it."""
        _, _, represent, field = self.__dict__["_read_plan_cache"][index]
        if value is not _SLOW:
            value = self._call(value)
        if value is _SLOW:
            value = field.get_attribute(instance)  # SkipField: the row leaves it out
            if isinstance(value, PKOnlyObject) and value.pk is None:
                return None
        return None if value is None else represent(value)

    def _write_slowly(self, instance):
        plan = self._plan()
        ret = {}
        for name, getter, represent, field in plan:
            value = _SLOW
            if getter is not None:
                try:
                    value = getter(instance)
                except Exception:  # DRF's own path below decides what it means
                    value = _SLOW
                else:
                    if callable(value):
                        value = self._call(value)
            if value is _SLOW:
                try:
                    value = field.get_attribute(instance)
                except drf_fields.SkipField:
                    continue
                if isinstance(value, PKOnlyObject) and value.pk is None:
                    ret[name] = None
                    continue
            ret[name] = None if value is None else represent(value)
        return ret


def _writer(serializer, plan):
    """A function that writes one row of `plan`, made from Python source generated for the
    plan's shape: each field's attribute path read inline, its value written inline where
    the field is one of DRF's whose answer is a plain conversion, and DRF's per-field work
    (`_write_field_slowly`) only for a value the fast path cannot take. The loop over the
    plan (`_write_slowly`) spent a third of a row's time on its own steps: unpacking each
    field's entry, calling an attrgetter and a bound to_representation per value."""
    shapes = []
    getters, represents, zones = [], [], []
    for name, getter, represent, field in plan:
        access = "slow"
        if isinstance(getter, attrgetter):
            path = _ATTRIBUTE_PATHS.get(getter)
            access = f"instance.{path}" if path else "call"
        elif getter is _itself:
            access = "instance"
        elif getter is not None:
            access = "call"
        shapes.append((name, access, _inline_kind(field)))
        getters.append(getter)
        represents.append(represent)
        zones.append(getattr(field, "timezone", None))
    make = _writer_factory(tuple(shapes))
    return make(serializer._write_field_slowly, getters, represents, zones)


# attrgetter hides its path: the getters this module makes, one per path, keep theirs here.
_ATTRIBUTE_PATHS: dict = {}
_IDENTIFIER = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")


@functools.lru_cache(maxsize=4096)
def _path_getter(path: tuple[str, ...]):
    getter = attrgetter(".".join(path))
    if all(_IDENTIFIER.fullmatch(part) and not keyword.iskeyword(part) for part in path):
        _ATTRIBUTE_PATHS[getter] = ".".join(path)
    return getter


def _attribute_getter(path: list[str]):
    return _path_getter(tuple(path))


def _inline_kind(field) -> str:
    """How a value of `field` (neither None nor callable) is written inline: as DRF's own
    to_representation writes it, checked against that method and the format settings."""
    method = type(field).to_representation
    if method is serializers.IntegerField.to_representation:
        return "int"
    if method is serializers.CharField.to_representation:
        return "str"
    if method is serializers.FloatField.to_representation:
        return "float"
    if method is serializers.DateField.to_representation:
        output = getattr(field, "format", api_settings.DATE_FORMAT)
        if isinstance(output, str) and output.lower() == ISO_8601:
            return "date"
    if method is serializers.DateTimeField.to_representation:
        output = getattr(field, "format", api_settings.DATETIME_FORMAT)
        if (
            isinstance(output, str)
            and output.lower() == ISO_8601
            and getattr(field, "timezone", None) is not None
        ):
            return "datetime"
    return "call"


# Each kind's inline form of `v` as DRF writes it; anything else goes to the field's own
# to_representation (r<i>). A datetime's is DRF's enforce_timezone for an aware value.
_INLINE = {
    "int": "int(v)",
    "str": "str(v)",
    "float": "float(v)",
    "date": "v.isoformat() if type(v) is _date else r{i}(v)",
    "call": "r{i}(v)",
}
_DATETIME = """\
        elif type(v) is _datetime and v.utcoffset() is not None:
            try:
                v = v.astimezone(z{i}).isoformat()
            except OverflowError:
                o{i} = r{i}(v)
            else:
                o{i} = v[:-6] + "Z" if v.endswith("+00:00") else v
"""


@functools.lru_cache(maxsize=1024)
def _writer_factory(shapes: tuple):
    lines = ["def make(slow, g, r, z):"]
    for i in range(len(shapes)):
        lines.append(f"    g{i}, r{i}, z{i} = g[{i}], r[{i}], z[{i}]")
    lines.append("    def write(instance):")
    for i, (_name, access, kind) in enumerate(shapes):
        if access == "slow":
            lines.append(f"        o{i} = slow({i}, instance, _SLOW)")
            continue
        read = f"g{i}(instance)" if access == "call" else access
        lines += [
            "        try:",
            f"            v = {read}",
            "        except Exception:",
            "            v = _SLOW",
            "        if v is None:",
            f"            o{i} = None",
            "        elif v is _SLOW or callable(v):",
            f"            o{i} = slow({i}, instance, v)",
        ]
        if kind == "datetime":
            lines.append(_DATETIME.format(i=i).rstrip("\n"))
            lines += ["        else:", f"            o{i} = r{i}(v)"]
        else:
            lines += ["        else:", f"            o{i} = " + _INLINE[kind].format(i=i)]
    items = ", ".join(f"{name!r}: o{i}" for i, (name, _access, _kind) in enumerate(shapes))
    lines += [f"        return {{{items}}}", "    return write"]
    scope = {"_SLOW": _SLOW, "_date": datetime.date, "_datetime": datetime.datetime}
    exec(compile("\n".join(lines), f"<row writer {len(shapes)} fields>", "exec"), scope)  # noqa: S102
    return scope["make"]


# Fields whose to_representation reads nothing but the value and their own arguments: no
# context, parent, request or time zone. Matched by exact class, so that a subclass with
# its own behaviour is bound per instance as DRF binds it (one that adds nothing to what
# it writes says so with value_only).
_VALUE_ONLY = {
    serializers.IntegerField,
    serializers.BigIntegerField,
    serializers.FloatField,
    serializers.DecimalField,
    serializers.BooleanField,
    serializers.CharField,
    serializers.EmailField,
    serializers.URLField,
    serializers.ChoiceField,
    serializers.DateField,
    serializers.UUIDField,
    CharField,
    DateField,
}


def value_only(field_class):
    """Mark `field_class` as writing its value as its base does, from the value and its
    own arguments alone, so that a list shares one copy of it (_shared_fields)."""
    to_representation = field_class.to_representation
    if not any(to_representation is base.to_representation for base in _VALUE_ONLY):
        raise TypeError(f"{field_class.__name__} writes its value its own way")
    _VALUE_ONLY.add(field_class)
    return field_class


@functools.cache
def _shared_fields(serializer_class) -> tuple | None:
    """(name, field, own) for each readable field of `serializer_class`: `own` where an
    instance must bind a copy of its own (a method field, a relation, a nested
    serializer), _ZONED for a date-time, whose zone is the caller's (_zoned). DRF
    deep-copies and binds every field for every serializer it makes, a page's included:
    20 to 30 microseconds a field, 0.5 ms of a page of contracts. None where the class
    cannot be made without arguments."""
    try:
        template = serializer_class()
        fields = template.fields
    except Exception:  # it is then bound per instance, as before
        return None
    return tuple(
        (name, field, _own(field)) for name, field in fields.items() if not field.write_only
    )


# A date-time writes its value in the caller's time zone and reads nothing else of the
# request: one copy per zone serves every serializer of the class (its deep copy and
# binding were a twentieth of writing a page of contracts, three date-times a row).
_ZONED = "zoned"
_ZONED_CLASSES = {serializers.DateTimeField, DateTimeField}


def _own(field):
    if type(field) in _ZONED_CLASSES and not hasattr(field, "timezone"):  # no zone of its own
        return _ZONED
    return type(field) not in _VALUE_ONLY


@functools.lru_cache(maxsize=4096)
def _zoned(field, zone):
    """`field` (a shared one, bound to its class's template) with its zone set."""
    zoned = copy.deepcopy(field)
    zoned.bind(field_name=field.field_name, parent=field.parent)
    zoned.timezone = zone
    return zoned


class Serializer(_ReadOnce, serializers.Serializer):
    """DRF's Serializer, writing a list's rows faster (_ReadOnce)."""


class ModelSerializer(_ReadOnce, serializers.ModelSerializer):
    """DRF's, with the model's dates and times read by the fields above."""

    serializer_field_mapping = {
        **serializers.ModelSerializer.serializer_field_mapping,
        models.DateField: DateField,
        models.DateTimeField: DateTimeField,
        models.CharField: CharField,
        models.TextField: CharField,
    }


# The get_fields that build a serializer's fields from its class alone.
_CLASS_FIELDS = (serializers.Serializer.get_fields, serializers.ModelSerializer.get_fields)
