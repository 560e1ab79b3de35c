"""A safety check's export for each reader: the rows their board shows, written through
the formula-safe writers; MOFA HQ gets counts by country, MIC and MEXT nothing."""

import csv
import io

import pytest

from apps.core.errors import DomainError
from apps.core.models import Job
from apps.safety import jobs, rules, services
from apps.safety.models import SafetyAnswer
from tests.safety.conftest import answer_of

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _private_media(settings, tmp_path):
    settings.MEDIA_ROOT = str(tmp_path / "media")


def _export(user, check, django_capture_on_commit_callbacks) -> list[list[str]]:
    with django_capture_on_commit_callbacks(execute=True):
        job = jobs.safety_export_start(by=user, check=check, file_format="csv")
    job.refresh_from_db()
    assert job.state == Job.State.DONE, job.error
    text = job.result_file.read().decode("utf-8-sig")
    return list(csv.reader(io.StringIO(text)))


@pytest.fixture
def answered(check, clair):
    sarah = answer_of(check, "participant")
    rules.answer_by_link(token=sarah.token, status="NEED_HELP", note='=HYPERLINK("x")')
    services.safety_check_close(by=clair, check=check)  # the record stays for export
    return check


@pytest.mark.parametrize(
    ("username", "families"),
    [
        ("clair", {"O'Connor", "Whitfield"}),
        ("co_hyogo", {"O'Connor"}),
        ("embassy_us", {"O'Connor"}),
        ("embassy_uk", {"Whitfield"}),
    ],
)
def test_each_reader_exports_what_it_sees(
    request, answered, username, families, django_capture_on_commit_callbacks
):
    rows = _export(request.getfixturevalue(username), answered, django_capture_on_commit_callbacks)
    assert rows[0][2] == "Family name"
    assert {row[2] for row in rows[1:]} == families


def test_formulas_are_escaped(answered, clair, django_capture_on_commit_callbacks):
    rows = _export(clair, answered, django_capture_on_commit_callbacks)
    sarah = next(row for row in rows if row[2] == "O'Connor")
    assert sarah[8] == '\'=HYPERLINK("x")'
    assert sarah[5] == SafetyAnswer.Status.NEED_HELP.label


def test_mofa_exports_counts_by_country_without_names(
    answered, mofa, django_capture_on_commit_callbacks
):
    rows = _export(mofa, answered, django_capture_on_commit_callbacks)
    assert rows[0] == ["Country", "Participants", "Safe", "Need help", "Not answered yet"]
    # Every count here is 0, 1 or 2: shown as "fewer than 3" (tests/core/test_small_cells.py).
    assert sorted(rows[1:]) == [
        ["United Kingdom", *["fewer than 3"] * 4],
        ["United States", *["fewer than 3"] * 4],
    ]
    assert "O'Connor" not in str(rows)


@pytest.mark.parametrize("username", ["mic", "mext", "participant"])
def test_others_cannot_export(request, answered, username):
    with pytest.raises(DomainError):
        jobs.safety_export_start(
            by=request.getfixturevalue(username), check=answered, file_format="csv"
        )


def test_export_page_for_mic_is_forbidden(client, answered):
    from tests.conftest import DEMO_PASSWORD

    client.post("/accounts/login/", {"username": "mic", "password": DEMO_PASSWORD})
    assert client.post(f"/safety/{answered.pk}/export/", {"format": "csv"}).status_code == 403


def test_an_unknown_format_is_refused(answered, clair):
    with pytest.raises(DomainError, match=r"Choose CSV or Excel\."):
        jobs.safety_export_start(by=clair, check=answered, file_format="pdf")
