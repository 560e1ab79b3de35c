"""The API's answers are written by orjson (apps/core/api/renderers.py) and must be the
bytes DRF's own JSONRenderer writes for the same data: every scoped list as each kind of
account reads it, and each kind of value DRF's encoder writes its own way."""

import dataclasses
import datetime as dt
import decimal
import json
import uuid
import zoneinfo

import pytest
from django.utils.translation import gettext_lazy, override
from rest_framework import renderers as drf_renderers

from apps.core.api.renderers import JSONRenderer
from tests.api.test_list_queries import ACCOUNTS, LISTS

DRF = drf_renderers.JSONRenderer()
OURS = JSONRenderer()


@pytest.mark.parametrize("name", LISTS)
def test_every_list_is_written_as_drf_writes_it(name, token_client):
    written = 0
    for username in ACCOUNTS:
        response = token_client(username).get(f"/api/v1/{name}/?page_size=200")
        assert response.status_code == 200
        assert isinstance(response.accepted_renderer, JSONRenderer)
        assert response.content == DRF.render(response.data)
        written += bool(response.data)
    assert written


def test_a_page_in_japanese_is_written_as_drf_writes_it(token_client):
    client = token_client("co.hyogo")
    response = client.get("/api/v1/contracts/", HTTP_ACCEPT_LANGUAGE="ja")
    assert response.status_code == 200
    assert response.content == DRF.render(response.data)
    assert "兵庫".encode() in response.content  # UTF-8, not \\u escapes


@dataclasses.dataclass
class Point:
    x: int


VALUES = {
    "utc": dt.datetime(2026, 12, 7, 1, 2, 3, 456789, tzinfo=dt.UTC),
    "tokyo": dt.datetime(2026, 12, 7, 10, 2, 3, tzinfo=zoneinfo.ZoneInfo("Asia/Tokyo")),
    "naive": dt.datetime(2026, 12, 7, 10, 2, 3),  # noqa: DTZ001 (DRF writes it too)
    "day": dt.date(2026, 12, 7),
    "time": dt.time(9, 30, 15, 250000),
    "span": dt.timedelta(days=1, seconds=5),
    "money": decimal.Decimal("1234.50"),
    "key": uuid.UUID("12345678-1234-5678-1234-567812345678"),
    "lazy": gettext_lazy("Only CLAIR runs safety checks."),
    "set": {3},
    "bytes": b"abc",
    "tuple": (1, "two"),
    "separators": "line\u2028paragraph\u2029end",
    "text": '東京 "quoted" \\ tab\t newline\n',
    "numbers": [0, -1, 2**63 - 1, 1.5, 0.1, 123456.789, True, False, None],
    "nested": {"a": [{"b": {}}], "": []},
}


@pytest.mark.parametrize("name", sorted(VALUES))
def test_each_kind_of_value_is_written_as_drf_writes_it(name):
    with override("ja"):
        data = {"value": VALUES[name], "name": name}
        assert OURS.render(data) == DRF.render(data)


def test_a_small_float_is_the_same_number_written_without_its_exponents_zero():
    data = {"numbers": [1e300, 1e-7, 1.5e-10]}
    assert OURS.render(data) == b'{"numbers":[1e+300,1e-7,1.5e-10]}'
    assert DRF.render(data) == b'{"numbers":[1e+300,1e-07,1.5e-10]}'
    assert json.loads(OURS.render(data)) == json.loads(DRF.render(data))


def test_a_float_that_is_not_a_number_is_written_null_where_drf_refuses_it():
    with pytest.raises(ValueError, match="not JSON compliant"):
        DRF.render({"value": float("nan")})
    assert OURS.render({"value": float("nan")}) == b'{"value":null}'


def test_what_orjson_refuses_goes_to_drf_whole():
    for data in ({1: "an integer key"}, {"big": 2**70}):
        assert OURS.render(data) == DRF.render(data)
    for refused in (object(), Point(1)):  # orjson would write a dataclass; DRF refuses it
        with pytest.raises(TypeError):
            DRF.render({"value": refused})
        with pytest.raises(TypeError):
            OURS.render({"value": refused})


def test_pretty_printing_and_no_data_are_drfs():
    data = {"a": [1, 2]}
    assert OURS.render(data, "application/json; indent=4") == DRF.render(
        data, "application/json; indent=4"
    )
    assert b"\n    " in OURS.render(data, "application/json; indent=4")
    assert OURS.render(None) == b""
