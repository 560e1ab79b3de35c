"""Small cells (issue 16, item 9): every page, chart, export and API answer meant to show
no names hides a count of 1 or 2 as "fewer than 3" (in the API "fewer_than_3"), totals
kept exact. Each test builds a group of one person, the report's "Miyagi · ALT · year 1 ·
no offer", so it would show a 1 without the rule, then reads every cell of the answer.

The readers: MIC (re-appointment, applications and positions in numbers, statistics),
MOFA headquarters (the recruitment overview, a safety check by country). CLAIR, who
reads the same cases by name, still gets exact counts."""

import itertools
import re
from html.parser import HTMLParser

import pytest
from django.utils import timezone

from apps.core.models import Country, Prefecture, ProgrammeYear
from apps.placement.models import PositionRequest
from apps.reappointment.models import ReappointmentCase
from apps.recruitment.models import Application
from apps.safety.models import SafetyAnswer
from tests.factories import (
    ApplicationFactory,
    ContractFactory,
    OrganisationFactory,
    PositionRequestFactory,
    ProgrammeYearFactory,
    ReappointmentCaseFactory,
    ReappointmentRoundFactory,
    SafetyAnswerFactory,
    SafetyCheckFactory,
)

pytestmark = pytest.mark.django_db

FEWER = "fewer than 3"
FEWER_CODE = "fewer_than_3"
SMALL = {1, 2}
# Cells that hold numbers but no count of people: MIC's places, a contract year, a rate.
NOT_COUNTS = {"places", "contract-year", "rate"}
YEAR = 2093


# --- reading an answer ---------------------------------------------------------------------


class Cells(HTMLParser):
    """The <td> cells of the tables with these data-testids: (data-testid, text) each."""

    def __init__(self, tables: set[str]):
        super().__init__()
        self.tables, self.table, self.cell = tables, None, None
        self.cells: list[tuple[str | None, str]] = []

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "table" and attrs.get("data-testid") in self.tables:
            self.table = attrs["data-testid"]
        elif tag == "td" and self.table:
            self.cell = [attrs.get("data-testid"), ""]

    def handle_endtag(self, tag):
        if tag == "table":
            self.table = None
        elif tag == "td" and self.cell is not None:
            self.cells.append((self.cell[0], " ".join(self.cell[1].split())))
            self.cell = None

    def handle_data(self, data):
        if self.cell is not None:
            self.cell[1] += data


def numbers(text: str) -> list[int]:
    return [int(n) for n in re.findall(r"(?<![\d.,:])\d+(?![\d.,:])", text)]


def page_cells(response, *tables: str) -> list[tuple[str | None, str]]:
    assert response.status_code == 200
    parser = Cells(set(tables))
    parser.feed(response.content.decode())
    assert parser.cells, f"no cells in {tables}"
    return parser.cells


def assert_no_small_cell(cells) -> None:
    shown = [text for testid, text in cells if testid not in NOT_COUNTS]
    small = [text for text in shown if SMALL & set(numbers(text))]
    assert not small, small


def json_small(value, key: str = "") -> list:
    """Every 1 or 2 of the answer under a key that names a count."""
    if isinstance(value, dict):
        return [hit for k, v in value.items() for hit in json_small(v, k)]
    if isinstance(value, list):
        return [hit for v in value for hit in json_small(v, key)]
    labels = {"year", "places", "rate", "round", "id", "contract_year", "code", "check"}
    if type(value) is int and value in SMALL and key not in labels:
        return [(key, value)]
    return []


def csv_small(rows: list[list[str]], labels: set[str]) -> list:
    """Every 1 or 2 of the file in a column whose header is not a label's. A block's
    header is the row after its one-cell title (or the first row)."""
    small, header = [], rows[0]
    for previous, row in itertools.pairwise(rows):
        if len(previous) == 1 and previous[0]:
            header = row
            continue
        for name, value in zip(header, row, strict=False):
            if name not in labels and value.strip() in {"1", "2"}:
                small.append((name, value))
    return small


# --- the worlds ----------------------------------------------------------------------------


def current_year() -> ProgrammeYear:
    return ProgrammeYear.objects.get(is_current=True)


@pytest.fixture
def round_in_numbers(db):
    """A programme year of its own whose re-appointment round has six cases: five in
    Hyogo (offered) and one in Miyagi, ALT, year 1, whose organisation made no offer."""
    year = ProgrammeYearFactory(year=YEAR)
    miyagi = OrganisationFactory(prefecture=Prefecture.objects.get(code="04"))
    hyogo = OrganisationFactory()
    round_ = ReappointmentRoundFactory(programme_year=year)
    for organisation, answer, n in (
        (miyagi, ReappointmentCase.OrganisationAnswer.NO_OFFER, 1),
        (hyogo, ReappointmentCase.OrganisationAnswer.OFFER, 5),
    ):
        for _ in range(n):
            contract = ContractFactory(
                in_force=True,
                placement__application__programme_year=year,
                placement__position__organisation=organisation,
            )
            ReappointmentCaseFactory(
                round=round_,
                contract=contract,
                organisation_answer=answer,
                organisation_reason="No ALT post next year."
                if answer == ReappointmentCase.OrganisationAnswer.NO_OFFER
                else "",
            )
    return round_


def unused_country(year: ProgrammeYear) -> Country:
    used = Application.objects.filter(programme_year=year).values("country")
    return Country.objects.exclude(pk__in=used).order_by("pk").first()


@pytest.fixture
def one_application(db) -> Application:
    """The only submitted application of its country this year."""
    year = current_year()
    return ApplicationFactory(submitted=True, programme_year=year, country=unused_country(year))


# --- MIC: the re-appointment round in numbers ----------------------------------------------


def test_mic_round_page_shows_the_single_no_offer_as_fewer_than_3(client_as, round_in_numbers):
    page = client_as("mic").get(f"/mic/reappointment/{round_in_numbers.pk}/")
    cells = page_cells(page, "reappointment-counts", "reappointment-chart")
    assert_no_small_cell(cells)
    html = page.content.decode()
    row = re.search(r'data-testid="counts-04-ALT-1">(.*?)</tr>', html, re.S).group(1)
    assert FEWER in row
    assert 'data-testid="counts-total">6<' in html  # the total stays exact
    assert 'data-testid="small-cells"' in html


def test_mic_round_chart_draws_no_bar_for_a_hidden_count(client_as, round_in_numbers):
    page = client_as("mic").get(f"/mic/reappointment/{round_in_numbers.pk}/")
    miyagi = next(
        bar for bar in page.context["counts"]["bars"] if bar["prefecture"]["code"] == "04"
    )
    assert str(miyagi["total"]) == FEWER
    assert all(segment["width"] == "0.0" for segment in miyagi["segments"])


def test_mic_round_api_answers_fewer_than_3_and_clair_the_number(token_client, round_in_numbers):
    url = f"/api/v1/reappointment-rounds/{round_in_numbers.pk}/counts/"
    counts = token_client("mic").get(url).json()
    assert not json_small(counts), counts
    assert counts["total"] == 6
    miyagi = [row for row in counts["rows"] if row["prefecture"] == "04"]
    assert [row["n"] for row in miyagi] == [FEWER_CODE]
    # CLAIR reads these cases by name: its counts are exact.
    clair = token_client("clair").get(url).json()
    assert [row["n"] for row in clair["rows"] if row["prefecture"] == "04"] == [1]


def test_mic_round_export_writes_fewer_than_3(client_as, run_export, round_in_numbers):
    rows = run_export(
        lambda: client_as("mic").post(
            f"/mic/reappointment/{round_in_numbers.pk}/export/", {"format": "csv"}
        )
    )
    assert not csv_small(rows, {"Prefecture", "Position", "Contract year"}), rows
    miyagi = [row for row in rows if row[0] == "Miyagi"]
    assert [row[-1] for row in miyagi] == [FEWER]
    assert rows[-1][0] == "Total"
    assert rows[-1][-1] == "6"


# --- MIC and MOFA headquarters: applications against places --------------------------------


def test_mic_application_counts_hide_a_single_application(client_as, one_application):
    page = client_as("mic").get("/mic/counts/")
    assert_no_small_cell(page_cells(page, "counts-table"))
    row = next(r for r in page.context["rows"] if r["country_id"] == one_application.country_id)
    assert str(row["total"]) == str(row[Application.Status.SUBMITTED]) == FEWER
    assert row["total_pct"] == "0.0"  # the chart draws no bar for it


def test_mofa_overview_hides_a_single_application(client_as, one_application):
    page = client_as("mofa").get("/mofa/hq/overview/")
    assert_no_small_cell(page_cells(page, "overview-table"))
    row = next(r for r in page.context["rows"] if r["country_id"] == one_application.country_id)
    assert str(row["total"]) == FEWER
    assert all(segment["width"] == "0.00" for segment in row["segments"])
    # The totals row stays exact where it gives nothing away.
    total = Application.objects.filter(programme_year=current_year()).exclude(status="DRAFT")
    assert page.context["totals"]["total"] == total.count()


# --- MIC: positions by prefecture and type -------------------------------------------------


def test_mic_position_counts_hide_a_single_position(client_as):
    year = current_year()
    used = PositionRequest.objects.filter(programme_year=year).values("prefecture")
    prefecture = Prefecture.objects.exclude(pk__in=used).order_by("pk").first()
    PositionRequestFactory(
        programme_year=year, organisation=OrganisationFactory(prefecture=prefecture)
    )
    page = client_as("mic").get("/mic/positions/counts/")
    assert_no_small_cell(page_cells(page, "position-counts-table"))
    cell = re.search(
        rf'data-testid="count-{prefecture.pk}-ALT">([^<]*)<', page.content.decode()
    ).group(1)
    assert cell == f"{FEWER} (0)"  # none approved: a 0 beside no hidden count stays


# --- the programme statistics --------------------------------------------------------------

STATISTICS_TABLES = (
    "by-country",
    "by-position",
    "by-prefecture",
    "by-contract-year",
    "by-school-level",
    "applications",
    "preferences",
    "reappointment-prefecture",
    "reappointment-position",
    "leavers",
)
STATISTICS_LABELS = {
    "Programme year",
    "Country",
    "Position",
    "Prefecture",
    "Contract year",
    "School level",
    "Places",
    "Rate (%)",
}


@pytest.mark.parametrize("username", ["mic", "mofa", "mext", "clair"])
def test_statistics_page_of_a_year_hides_miyagi(client_as, round_in_numbers, username):
    page = client_as(username).get(f"/statistics/?year={YEAR}")
    assert_no_small_cell(page_cells(page, *STATISTICS_TABLES))
    html = page.content.decode()
    miyagi = re.search(r'data-testid="by-prefecture-04">(.*?)</tr>', html, re.S).group(1)
    assert FEWER in miyagi
    assert 'data-testid="participants-total">6<' in html


def test_statistics_reappointment_withholds_the_rate_of_a_hidden_count(client_as, round_in_numbers):
    page = client_as("mic").get(f"/statistics/?year={YEAR}")
    figures = page.context["figures"]["reappointment"]
    miyagi = next(row for row in figures["by_prefecture"] if row["prefecture"] == "04")
    assert str(miyagi["cases"]) == FEWER
    assert str(miyagi["rate"]) in {"withheld", FEWER}


def test_statistics_of_every_year_show_no_small_cell(client_as, token_client):
    assert_no_small_cell(page_cells(client_as("mic").get("/statistics/?year=all"), "years-table"))
    answer = token_client("mic").get("/api/v1/statistics/?year=all").json()
    assert not json_small(answer), json_small(answer)


@pytest.mark.parametrize("username", ["mic", "mext"])
def test_statistics_api_answers_fewer_than_3(token_client, round_in_numbers, username):
    answer = token_client(username).get(f"/api/v1/statistics/?year={YEAR}").json()
    assert not json_small(answer), json_small(answer)
    by_prefecture = {row["code"]: row["n"] for row in answer["participants"]["by_prefecture"]}
    assert by_prefecture["04"] == FEWER_CODE
    assert answer["participants"]["total"] == 6


def test_statistics_export_writes_fewer_than_3(client_as, run_export, round_in_numbers):
    rows = run_export(
        lambda: client_as("mic").post("/statistics/export/", {"year": YEAR, "format": "csv"})
    )
    assert not csv_small(rows, STATISTICS_LABELS), csv_small(rows, STATISTICS_LABELS)
    assert ["Miyagi", FEWER] in rows


def test_the_schema_says_a_count_may_be_a_reason(client):
    schema = client.get("/api/schema/?format=json").json()
    n = schema["components"]["schemas"]["StatisticsDimension"]["properties"]["n"]
    assert {"type": "integer", "minimum": 0} in n["oneOf"]
    assert {"type": "string", "enum": ["fewer_than_3", "withheld"]} in n["oneOf"]
    counts = schema["components"]["schemas"]["ReappointmentCountRow"]["properties"]["n"]
    assert "oneOf" in counts


# --- MOFA headquarters: a safety check by country ------------------------------------------


@pytest.fixture
def check_with_one_in_need(db):
    """Four US participants safe, and one of another country who needs help."""
    check = SafetyCheckFactory()
    for _ in range(4):
        SafetyAnswerFactory(
            safety_check=check, status=SafetyAnswer.Status.SAFE, answered_at=timezone.now()
        )
    SafetyAnswerFactory(
        safety_check=check,
        status=SafetyAnswer.Status.NEED_HELP,
        answered_at=timezone.now(),
        country=Country.objects.get(code="AU"),
    )
    return check


def test_mofa_safety_pages_hide_the_one_in_need(client_as, check_with_one_in_need):
    check = check_with_one_in_need
    mofa = client_as("mofa")
    detail = mofa.get(f"/safety/{check.pk}/")
    assert_no_small_cell(page_cells(detail, "safety-countries"))
    row = re.search(r'data-testid="country-AU">(.*?)</tr>', detail.content.decode(), re.S)
    assert FEWER in row.group(1)
    listed = mofa.get("/safety/")
    row = re.search(
        rf'data-testid="safety-check-{check.pk}">(.*?)</tr>', listed.content.decode(), re.S
    ).group(1)
    counts = re.findall(r"<td>(.*?)</td>", row, re.S)[-4:]
    assert not [c for c in counts if SMALL & set(numbers(c))], counts
    assert FEWER in counts[2]


def test_mofa_safety_api_and_export_hide_the_one_in_need(
    client_as, token_client, run_export, check_with_one_in_need
):
    check = check_with_one_in_need
    api = token_client("mofa")
    countries = api.get(f"/api/v1/safety-checks/{check.pk}/countries/").json()
    assert not json_small(countries), countries
    assert next(r for r in countries if r["country"] == "AU")["need_help"] == FEWER_CODE
    one = api.get(f"/api/v1/safety-checks/{check.pk}/").json()
    assert one["total"] == 5
    assert one["need_help"] == FEWER_CODE
    rows = run_export(
        lambda: client_as("mofa").post(f"/safety/{check.pk}/export/", {"format": "csv"})
    )
    assert not csv_small(rows, {"Country"}), rows
    assert FEWER in next(r for r in rows if r[0] == "Australia")


def test_clair_reads_the_safety_counts_exactly(token_client, check_with_one_in_need):
    countries = (
        token_client("clair")
        .get(f"/api/v1/safety-checks/{check_with_one_in_need.pk}/countries/")
        .json()
    )
    assert next(r for r in countries if r["country"] == "AU")["need_help"] == 1
