"""The statistics export: the page's tables for the person who asked, through the job."""

import pytest

pytestmark = pytest.mark.django_db


def test_mic_exports_the_year(programme, client_as, run_export):
    rows = run_export(
        lambda: client_as("mic").post("/statistics/export/", {"year": "2040", "format": "csv"})
    )
    assert ["Programme year", "2040"] in rows
    assert ["United States", "4"] in rows
    assert ["United States", "ALT", "10", "6", "4", "0", "0", "1", "1", "1", "0", "0", "3"] in rows
    assert ["United States", "ALT", "3", "2", "1", "0", "0", "0"] in rows


def test_mission_export_holds_its_country_only(programme, client_as, run_export):
    rows = run_export(
        lambda: client_as("embassy.uk").post(
            "/statistics/export/", {"year": "all", "format": "csv"}
        )
    )
    assert rows[0][0] == "Programme year"
    by_year = {row[0]: row for row in rows[1:]}
    assert by_year["2040"][1] == "1"  # participants: the one from the UK
    text = repr(rows)
    assert "United States" not in text
    assert "Quartermain" not in text


def test_others_cannot_export(programme, client_as):
    assert client_as("co.hyogo").post("/statistics/export/", {"year": "all"}).status_code == 403
