"""apps.core.api.fields._ReadOnce writes a list's rows with DRF's per-field decisions made
once per serializer (issue 17). Every answer it gives must be the one DRF's own
Serializer.to_representation gives for the same row, in every case where DRF's path does
something other than read an attribute: a None on the way, a missing relation, a method
as a source (with and without arguments), a dict row, a field skipped, a related field,
a nested serializer and date-times in the caller's zone."""

import datetime as dt
import functools
import zoneinfo

import pytest
import time_machine
from django.utils import timezone, translation
from rest_framework import serializers

from apps.core.api import fields as api_fields
from apps.core.api.common import NamedChoiceField
from apps.placement.models import Contract, Placement
from apps.safety.models import SafetyAnswer
from tests.factories import (
    ContractFactory,
    PositionRequestFactory,
    SafetyAnswerFactory,
    StaffFactory,
)

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _no_values_from_earlier_tests():
    """Per-value sources keep their values for the process (_values_of): each test here
    counts the values its own rows give."""
    api_fields._VALUES.clear()


class CheckSerializer(api_fields.Serializer):
    id = serializers.IntegerField()
    title = api_fields.CharField(source="title_en")
    started_at = api_fields.DateTimeField()
    closed_at = api_fields.DateTimeField(allow_null=True)


class AnswerSerializer(api_fields.Serializer):
    id = serializers.IntegerField()
    participant_name = api_fields.CharField(source="participant.get_full_name")
    organisation_name = api_fields.CharField(source="organisation.name")
    status_label = api_fields.CharField(source="get_status_display")
    status = NamedChoiceField(enum_name="SafetyStatus", choices=SafetyAnswer.Status.choices)
    reference = serializers.URLField(source="participant.username")
    recorded_by_name = api_fields.CharField(source="recorded_by.username", allow_null=True)
    assigned_email = api_fields.CharField(source="assigned_to.email", required=False)
    recorded_by = serializers.PrimaryKeyRelatedField(read_only=True)
    participant = serializers.PrimaryKeyRelatedField(read_only=True)
    check = CheckSerializer(source="safety_check")
    answered_at = api_fields.DateTimeField(allow_null=True)
    on_behalf = serializers.SerializerMethodField()
    method = api_fields.CharField(source="refresh_from_db")  # needs no argument: called
    validates = serializers.CharField(source="serializable_value")

    def get_on_behalf(self, answer) -> bool:
        return bool(answer.recorded_by_id and answer.recorded_by_id != answer.participant_id)


class DRFAnswerSerializer(AnswerSerializer):
    """The same fields, written by DRF's own to_representation."""

    def to_representation(self, instance):
        return serializers.Serializer.to_representation(self, instance)


def _rows():
    staff = StaffFactory()
    recorded = SafetyAnswerFactory(
        status=SafetyAnswer.Status.SAFE,
        answered_at=timezone.now() - dt.timedelta(minutes=5),
        recorded_by=staff,
        assigned_to=staff,
    )
    bare = SafetyAnswerFactory(safety_check=recorded.safety_check)  # no recorder, no one assigned
    return list(
        SafetyAnswer.objects.filter(pk__in=[recorded.pk, bare.pk])
        .select_related("participant", "organisation", "recorded_by", "safety_check")
        .order_by("pk")
    )


@pytest.mark.parametrize("zone", ["UTC", "Asia/Tokyo", "America/Los_Angeles"])
def test_each_row_is_the_one_drf_writes(zone):
    rows = _rows()
    with timezone.override(zoneinfo.ZoneInfo(zone)):
        ours = AnswerSerializer(rows, many=True).data
        drf = DRFAnswerSerializer(rows, many=True).data
    assert ours == drf
    # What each case gives, so that an equal wrong answer on both sides would still fail.
    recorded, bare = ours
    assert recorded["recorded_by"] == rows[0].recorded_by_id
    assert recorded["recorded_by_name"] == rows[0].recorded_by.username
    assert recorded["on_behalf"] is True
    assert recorded["status_label"] == "I am safe"
    assert recorded["check"]["title"] == "Earthquake in northern Hyogo"
    endings = {
        "UTC": ("Z",),
        "Asia/Tokyo": ("+09:00",),
        "America/Los_Angeles": ("-08:00", "-07:00"),
    }
    assert recorded["answered_at"].endswith(endings[zone])
    assert bare["recorded_by"] is None
    assert bare["recorded_by_name"] is None  # a None on the way, allow_null
    assert "assigned_email" not in bare  # not required: skipped, as DRF skips it
    assert bare["answered_at"] is None
    assert bare["method"] is None  # refresh_from_db() called, as DRF calls it: None
    # A method that needs arguments is not called; DRF writes the method itself.
    assert recorded["validates"].startswith("<bound method")


def test_a_time_is_written_in_the_zone_of_the_answer_not_of_the_first_row():
    rows = _rows()
    with timezone.override(zoneinfo.ZoneInfo("Asia/Tokyo")):
        tokyo = AnswerSerializer(rows, many=True).data
    with timezone.override(zoneinfo.ZoneInfo("UTC")):
        utc = AnswerSerializer(rows, many=True).data
    assert tokyo[0]["check"]["started_at"].endswith("+09:00")
    assert utc[0]["check"]["started_at"].endswith("Z")


class FixedZoneSerializer(api_fields.Serializer):
    started_at = api_fields.DateTimeField(default_timezone=zoneinfo.ZoneInfo("Asia/Tokyo"))


def test_a_time_field_with_a_zone_of_its_own_keeps_it_whatever_the_callers():
    check = _rows()[0].safety_check
    with timezone.override(zoneinfo.ZoneInfo("UTC")):
        first = FixedZoneSerializer([check], many=True).data
        again = FixedZoneSerializer([check], many=True).data
    assert first == again
    assert first[0]["started_at"].endswith("+09:00")


def test_dict_rows_are_written_as_drf_writes_them():
    class Figures(api_fields.Serializer):
        name = api_fields.CharField()
        total = serializers.IntegerField(source="counts.total")
        missing = serializers.IntegerField(required=False)

    rows = [{"name": "Hyogo", "counts": {"total": 3}}, {"name": "Kyoto", "counts": {"total": 0}}]
    assert Figures(rows, many=True).data == [
        {"name": "Hyogo", "total": 3},
        {"name": "Kyoto", "total": 0},
    ]


def test_a_method_that_fails_is_reported_as_drf_reports_it():
    class Failing(api_fields.Serializer):
        value = api_fields.CharField(source="explode")

    class Row:
        def explode(self):
            raise KeyError("gone")

    with pytest.raises(ValueError, match='callable attribute "explode"'):
        Failing(Row()).data  # noqa: B018 - reading .data runs the serializer


def test_a_partial_is_judged_once_by_its_function_and_what_it_binds(monkeypatch):
    """A model's get_<field>_display is a functools.partial made anew for each row: DRF
    reads its signature every time; the answer is kept per function and binding."""

    class Row:
        def label(self, field, suffix):
            return f"{field}{suffix}"

    class Partials(api_fields.Serializer):
        whole = api_fields.CharField()  # binds every argument: called, as DRF calls it
        half = api_fields.CharField()  # needs an argument: written as DRF writes it

    rows = []
    for number in range(3):
        row = Row()
        row.whole = functools.partial(row.label, field="a", suffix=str(number))
        row.half = functools.partial(row.label, field="a")
        rows.append(row)
    judged = []
    drf_judge = api_fields.drf_fields.is_simple_callable
    monkeypatch.setattr(
        api_fields.drf_fields,
        "is_simple_callable",
        lambda value: judged.append(value) or drf_judge(value),
    )
    ours = Partials(rows, many=True).data
    # Judged once, not once per row (a partial that needs an argument goes DRF's own way,
    # which judges it again for each row).
    assert sum("suffix" in value.keywords for value in judged) == 1
    monkeypatch.setattr(api_fields.drf_fields, "is_simple_callable", drf_judge)
    assert ours == [serializers.Serializer.to_representation(Partials(), row) for row in rows]
    assert [row["whole"] for row in ours] == ["a0", "a1", "a2"]
    assert all(row["half"].startswith("functools.partial(") for row in ours)


def test_fields_that_write_only_their_value_are_shared_by_every_page():
    """DRF copies and binds every field for every serializer, a page's included; those
    whose answer is the value alone are made once per class, a date-time once per class
    and time zone, the others (a method field, a relation, a nested serializer) per page."""
    rows = _rows()
    pages = [AnswerSerializer(rows, many=True), AnswerSerializer(rows, many=True)]
    for page in pages:
        assert page.data == DRFAnswerSerializer(rows, many=True).data
    first, second = (
        {field.field_name: field for field in page.child._plan_fields()} for page in pages
    )
    for name in ("id", "participant_name", "organisation_name", "status_label", "status"):
        assert first[name] is second[name]
    assert first["reference"] is second["reference"]
    assert first["answered_at"] is second["answered_at"]
    for name in ("on_behalf", "recorded_by", "check"):
        assert first[name] is not second[name]
    assert second["on_behalf"].parent is pages[1].child
    with timezone.override(zoneinfo.ZoneInfo("America/Los_Angeles")):
        elsewhere = AnswerSerializer(rows, many=True)
        assert elsewhere.data == DRFAnswerSerializer(rows, many=True).data
        moved = {field.field_name: field for field in elsewhere.child._plan_fields()}
    assert moved["answered_at"] is not first["answered_at"]
    assert moved["answered_at"].timezone == zoneinfo.ZoneInfo("America/Los_Angeles")
    # No page built DRF's own copy of the fields.
    assert all("fields" not in page.child.__dict__ for page in pages)


def test_only_a_field_that_writes_its_value_as_its_base_does_is_marked_value_only():
    class Labelled(serializers.ChoiceField):
        def to_representation(self, value):
            return f"{self.context['prefix']}{value}"

    with pytest.raises(TypeError):
        api_fields.value_only(Labelled)
    assert Labelled not in api_fields._VALUE_ONLY
    assert NamedChoiceField in api_fields._VALUE_ONLY


def test_a_serializer_that_changes_its_own_fields_is_written_with_them():
    class Narrowed(CheckSerializer):
        def __init__(self, *args, **kwargs):
            super().__init__(*args, **kwargs)
            self.fields.pop("closed_at")

    rows = [answer.safety_check for answer in _rows()]
    assert "closed_at" in CheckSerializer(rows[0]).data
    assert "closed_at" not in Narrowed(rows[0]).data
    assert Narrowed(rows[0]).data["title"] == rows[0].title_en


def _answers_of_each_status() -> list[SafetyAnswer]:
    rows = _rows()  # SAFE, then unanswered
    for status in (SafetyAnswer.Status.NEED_HELP, SafetyAnswer.Status.SAFE):
        SafetyAnswerFactory(
            safety_check=rows[0].safety_check, status=status, answered_at=timezone.now()
        )
    return list(
        SafetyAnswer.objects.filter(safety_check=rows[0].safety_check)
        .select_related("participant", "organisation", "recorded_by", "safety_check")
        .order_by("pk")
    )


def test_a_label_is_translated_once_per_value_in_the_language_of_the_answer():
    rows = _answers_of_each_status()
    labels = {}
    for language in ("en", "ja"):
        with translation.override(language):
            page = AnswerSerializer(rows, many=True)
            ours = page.data
            assert ours == DRFAnswerSerializer(rows, many=True).data
            labels[language] = [row["status_label"] for row in ours]
            assert labels[language] == [row.get_status_display() for row in rows]
        # One translation for each of the three values among four rows.
        (label,) = (
            getter for name, getter, _, _ in page.child._read_plan_cache if name == "status_label"
        )
        assert isinstance(label, api_fields._PerValue)
        assert len(label.values) == 3
    assert labels["en"] == ["I am safe", "Not answered yet", "I need help", "I am safe"]
    assert labels["ja"][0] == labels["ja"][3] != labels["en"][0]
    assert not labels["ja"][0].isascii()


def test_a_display_method_of_the_models_own_is_called_for_every_row(monkeypatch):
    rows = _answers_of_each_status()
    assert api_fields._decided_by(SafetyAnswer, "get_status_display") == (("status",), True)
    monkeypatch.setattr(SafetyAnswer, "get_status_display", lambda answer: f"#{answer.pk}")
    assert api_fields._decided_by(SafetyAnswer, "get_status_display") is None
    ours = AnswerSerializer(rows, many=True).data
    assert [row["status_label"] for row in ours] == [f"#{row.pk}" for row in rows]


def test_a_property_marked_per_value_is_worked_out_once_per_value_in_each_language():
    """A contract's status label (its status, its end date and today's date decide it) and
    its organisation's name (its two names and the language), through a relation."""

    class Contracts(api_fields.Serializer):
        status_label = api_fields.CharField()
        organisation = api_fields.CharField(source="placement.position.organisation.name")

    today = timezone.localdate()
    organisation = PositionRequestFactory().organisation
    start = today - dt.timedelta(days=300)
    rows = [
        ContractFactory(in_force=True, start_date=start, end_date=today - dt.timedelta(days=1)),
        ContractFactory(in_force=True, start_date=start, end_date=today + dt.timedelta(days=30)),
        ContractFactory(in_force=True, start_date=start, end_date=today + dt.timedelta(days=30)),
        ContractFactory(),  # a draft
    ]
    for row in rows[1:3]:
        position = PositionRequestFactory(organisation=organisation)
        Placement.objects.filter(pk=row.placement_id).update(position=position)
    rows = list(
        Contract.objects.filter(pk__in=[row.pk for row in rows])
        .select_related("placement__position__organisation")
        .order_by("pk")
    )
    written = {}
    for language in ("en", "ja"):
        with translation.override(language):
            page = Contracts(rows, many=True)
            ours = page.data
            assert ours == [
                serializers.Serializer.to_representation(Contracts(), row) for row in rows
            ]
            written[language] = ours
        getters = {name: getter for name, getter, _, _ in page.child._read_plan_cache}
        assert isinstance(getters["status_label"], api_fields._PerValue)
        assert isinstance(getters["organisation"], api_fields._PerValue)
        # Ended, in force to the same day twice, a draft: three; two organisations of four.
        assert len(getters["status_label"].values) == 3
        assert len(getters["organisation"].values) == 3
    labels = [row["status_label"] for row in written["en"]]
    assert labels[0] == "Ended"
    assert labels[1] == labels[2] != labels[3]
    assert written["ja"][1]["organisation"] == organisation.name_ja
    assert written["en"][1]["organisation"] == organisation.name_en
    assert written["ja"][0]["status_label"] != "Ended"


class PlainSerializer(api_fields.Serializer):
    number = serializers.IntegerField()
    text = api_fields.CharField()
    ratio = serializers.FloatField()
    day = api_fields.DateField()
    moment = api_fields.DateTimeField()
    hours = serializers.DecimalField(max_digits=4, decimal_places=1)
    code = serializers.ChoiceField(choices=[("A", "a")])


class Plain:
    def __init__(self, **values):
        self.__dict__.update(values)


def _drf(serializer_class, rows):
    return [serializers.Serializer.to_representation(serializer_class(), row) for row in rows]


@pytest.mark.parametrize("zone", ["UTC", "Asia/Tokyo"])
def test_the_row_writer_writes_each_kind_of_value_as_drf_does(zone):
    """The writer made for a serializer's fields converts an int, a text, a float, a date and
    an aware date-time itself, and gives every other value to the field: a text where a
    date is, a naive date-time, a number given as text."""
    moment = dt.datetime(2026, 12, 7, 3, 4, 5, 600, tzinfo=dt.UTC)
    rows = [
        Plain(
            number=7,
            text="Hyogo",
            ratio=1,
            day=dt.date(2027, 8, 6),
            moment=moment,
            hours=35,
            code="A",
        ),
        Plain(number="8", text=3, ratio="2.5", day="2027-08-06", moment=moment.replace(tzinfo=None),
              hours="7.25", code="B"),
        Plain(number=None, text=None, ratio=None, day=None, moment=None, hours=None, code=None),
    ]  # fmt: skip
    with timezone.override(zoneinfo.ZoneInfo(zone)):
        page = PlainSerializer(rows, many=True)
        ours = page.data
        assert ours == _drf(PlainSerializer, rows)
    first, second, empty = ours
    assert first["number"] == 7
    assert second["number"] == 8
    assert second["text"] == "3"
    assert second["ratio"] == 2.5
    assert first["day"] == second["day"] == "2027-08-06"
    written = {
        "UTC": "2026-12-07T03:04:05.000600Z",
        "Asia/Tokyo": "2026-12-07T12:04:05.000600+09:00",
    }
    assert first["moment"] == written[zone]
    assert set(empty.values()) == {None}
    # The plain conversions are the writer's own: it calls no field's to_representation for
    # them (a closure over r<i> is a call to field i's).
    write = page.child._writer
    called = {name for name in write.__code__.co_freevars if name.startswith("r")}
    assert called == {"r5", "r6", "r3", "r4"}  # decimal, choice; a date's and a time's others


def test_a_date_time_given_to_a_date_is_refused_as_drf_refuses_it():
    class Dates(api_fields.Serializer):
        day = api_fields.DateField()

    with pytest.raises(AssertionError, match="Expected a `date`"):
        Dates([Plain(day=timezone.now())], many=True).data  # noqa: B018


def test_a_field_left_out_of_one_row_is_left_out_of_that_row_only():
    class Optional(api_fields.Serializer):
        number = serializers.IntegerField()
        email = api_fields.CharField(source="person.email", required=False)

    rows = [Plain(number=1, person=Plain(email="a@example.org")), Plain(number=2, person=None)]
    assert Optional(rows, many=True).data == [
        {"number": 1, "email": "a@example.org"},
        {"number": 2},
    ]


def test_a_per_value_label_is_kept_across_answers_for_its_language_and_date(monkeypatch):
    """A second answer in the same language, zone and date works out no label again; the
    next day a contract whose term ends today reads as ended, in each language."""

    class Contracts(api_fields.Serializer):
        status_label = api_fields.CharField()

    today = timezone.localdate()
    contract = ContractFactory(
        in_force=True, start_date=today - dt.timedelta(days=300), end_date=today
    )
    rows = list(Contract.objects.filter(pk=contract.pk))
    worked_out = []
    labels = Contract.get_status_display
    monkeypatch.setattr(
        Contract, "get_status_display", lambda row: worked_out.append(row.pk) or labels(row)
    )
    first = Contracts(rows, many=True).data
    again = Contracts(rows, many=True).data
    assert first == again
    assert first[0]["status_label"] == labels(rows[0]) != "Ended"
    assert len(worked_out) == 1
    with translation.override("ja"):
        japanese = Contracts(rows, many=True).data[0]["status_label"]
    assert japanese != first[0]["status_label"]
    assert not japanese.isascii()
    assert len(worked_out) == 2  # its own language: worked out again
    with time_machine.travel(timezone.now() + dt.timedelta(days=1), tick=False):
        assert Contracts(rows, many=True).data[0]["status_label"] == "Ended"
        with translation.override("ja"):
            assert Contracts(rows, many=True).data[0]["status_label"] not in ("Ended", japanese)
