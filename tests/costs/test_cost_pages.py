"""Programme costs on the pages, the API and the exports: who sees what (CLAIR and MIC
all, an organisation its own, nobody else anything), no person's name anywhere, exports
that escape formulas, MIC's parameters saved only after their effect was previewed, and a
page whose queries do not grow with the number of organisations."""

import datetime as dt
import re

import pytest
from django.test import Client

from apps.finance import cost_figures
from apps.finance.models import CostFigure, TravelAllowance
from tests.costs import builders

pytestmark = pytest.mark.django_db

FORBIDDEN = ["mofa", "embassy.us", "mext", "applicant", "participant"]
EVIL = '=HYPERLINK("http://evil.example/","click")'


@pytest.fixture
def world():
    builders.programme_year(2030)
    builders.programme_year(2031)
    naha = builders.organisation("Naha Costs Board")
    evil = builders.organisation(EVIL)
    kyoto = builders.organisation("Kyoto Costs City", prefecture="26")
    builders.contract(naha, start=dt.date(2030, 7, 27), end=dt.date(2031, 7, 26))
    builders.contract(naha, start=dt.date(2030, 7, 27), end=dt.date(2031, 7, 26), country="GB")
    builders.contract(evil, start=dt.date(2030, 4, 1), end=dt.date(2031, 3, 31))
    builders.contract(kyoto, start=dt.date(2030, 8, 2), end=dt.date(2031, 8, 1))
    cost_figures.recompute([2030, 2031], [naha.pk, evil.pk, kyoto.pk])
    return {"naha": naha, "evil": evil, "kyoto": kyoto}


def _export(run_export, client, fiscal_year: int) -> list[list[str]]:
    return run_export(lambda: client.post("/costs/export/", {"fy": fiscal_year, "format": "csv"}))


@pytest.mark.parametrize("username", ["mic", "clair"])
def test_mic_and_clair_see_every_organisation_and_no_person(username, world, client_as, run_export):
    client = client_as(username)
    page = client.get("/costs/?fy=2030").content.decode()
    assert 'data-testid="cost-prefecture-47"' in page
    assert 'data-testid="cost-prefecture-26"' in page
    detail = client.get("/costs/?fy=2030&prefecture=47").content.decode()
    assert "Naha Costs Board" in detail
    assert "Kyoto Costs City" not in detail
    api = client.get("/api/v1/costs/?fiscal_year=2030").json()
    names = {row["organisation_name"] for row in api["organisations"]}
    assert {"Naha Costs Board", EVIL, "Kyoto Costs City"} <= names
    by_prefecture = {row["prefecture"]: row for row in api["prefectures"]}
    naha = CostFigure.objects.get(organisation=world["naha"], fiscal_year=2030)
    evil = CostFigure.objects.get(organisation=world["evil"], fiscal_year=2030)
    assert by_prefecture["47"]["remuneration"] == naha.remuneration + evil.remuneration
    assert by_prefecture["47"]["travel"] == 240_000 + 280_000 + 240_000
    rows = _export(run_export, client, 2030)
    for text in (page, detail, str(api), str(rows)):
        assert "Costperson" not in text
        assert "Casey" not in text


def test_the_export_escapes_formulas_and_sums_to_the_national_total(world, client_as, run_export):
    rows = _export(run_export, client_as("mic"), 2030)
    header, body, total = rows[0], rows[1:-1], rows[-1]
    assert header[2] == "Contracting organisation"
    names = [row[2] for row in body]
    assert "'" + EVIL in names
    assert EVIL not in names
    remuneration = header.index("Remuneration (yen)")
    assert int(total[remuneration]) == sum(int(row[remuneration]) for row in body)


def test_an_organisation_sees_only_its_own_figures(co_hyogo, co_sapporo, client_as, run_export):
    fiscal_year = CostFigure.objects.filter(organisation=co_hyogo.organisation).first().fiscal_year
    client = client_as("co.hyogo")
    page = client.get(f"/costs/?fy={fiscal_year}").content.decode()
    assert f'data-testid="cost-organisation-{co_hyogo.organisation.pk}"' in page
    assert co_sapporo.organisation.name_en not in page
    assert 'data-testid="cost-chart"' not in page
    api = client.get(f"/api/v1/costs/?fiscal_year={fiscal_year}").json()
    assert {row["organisation"] for row in api["organisations"]} == {co_hyogo.organisation.pk}
    own = CostFigure.objects.get(organisation=co_hyogo.organisation, fiscal_year=fiscal_year)
    assert api["national"]["remuneration"] == own.remuneration
    assert api["national"]["organisations"] == 1
    rows = _export(run_export, client, fiscal_year)
    assert [row[2] for row in rows[1:-1]] == [co_hyogo.organisation.name_en]


@pytest.mark.parametrize("username", FORBIDDEN)
def test_everyone_else_is_refused_on_page_api_and_export(username, world, client_as):
    client = client_as(username)
    assert client.get("/costs/?fy=2030").status_code == 403
    assert client.get("/api/v1/costs/?fiscal_year=2030").status_code == 403
    assert client.post("/costs/export/", {"fy": 2030, "format": "csv"}).status_code == 403
    assert client.get("/mic/costs/2030/").status_code == 403
    assert client.get("/api/v1/costs/parameters/2030/").status_code == 403


@pytest.mark.parametrize("username", ["clair", "co.hyogo"])
def test_only_mic_changes_the_parameters(username, world, client_as):
    client = client_as(username)
    assert client.get("/mic/costs/2030/").status_code == 403
    body = {"scale": {}, "travel": {}, "base_per_organisation": 0, "per_participant": 0}
    response = client.put("/api/v1/costs/parameters/2030/", body, content_type="application/json")
    assert response.status_code == 403
    assert (
        client.post(
            "/api/v1/costs/parameters/2030/preview/", body, content_type="application/json"
        ).status_code
        == 403
    )


def _form(client: Client, **changes) -> dict:
    page = client.get("/mic/costs/2030/").content.decode()
    data = dict(re.findall(r'<input type="number" name="([a-z_0-9A-Z]+)" value="(\d+)"', page))
    data.update(changes)
    return data


def test_mic_previews_the_effect_before_saving(world, client_as):
    client = client_as("mic")
    data = _form(client, travel_GB="300000")
    preview = client.post("/mic/costs/2030/", {**data, "action": "preview"})
    page = preview.content.decode()
    assert 'data-testid="cost-changes"' in page
    assert "Naha Costs Board" in page
    assert "Kyoto Costs City" not in page  # no GB participant there
    assert re.search(r'data-testid="delta-travel">¥20,000<', page)
    assert (
        TravelAllowance.objects.get(programme_year__year=2030, country="GB").return_airfare_yen
        == 280_000
    )

    # Saving other values than those previewed is refused, and nothing is written.
    token = re.search(r'name="preview" value="([^"]+)"', page).group(1)
    altered = client.post(
        "/mic/costs/2030/", {**data, "travel_GB": "350000", "action": "save", "preview": token}
    )
    assert "check their effect again" in altered.content.decode()
    assert (
        TravelAllowance.objects.get(programme_year__year=2030, country="GB").return_airfare_yen
        == 280_000
    )

    saved = client.post("/mic/costs/2030/", {**data, "action": "save", "preview": token})
    assert saved.status_code == 302
    assert (
        TravelAllowance.objects.get(programme_year__year=2030, country="GB").return_airfare_yen
        == 300_000
    )
    assert CostFigure.objects.get(organisation=world["naha"], fiscal_year=2030).travel == 540_000


def test_bad_parameters_get_a_clear_message_in_japanese_and_save_nothing(world, client_as):
    client = client_as("mic")
    client.post("/language/", {"language": "ja"})
    data = _form(client, scale_2="-5")
    response = client.post("/mic/costs/2030/", {**data, "action": "preview"})
    assert response.status_code == 200
    assert "cost-changes" not in response.content.decode()
    assert 'class="field-error"' in response.content.decode()
    assert "以上" in response.content.decode()  # Django's own Japanese for min_value


def test_the_api_preview_and_save_give_the_same_rows(world, client_as):
    client = client_as("mic")
    params = client.get("/api/v1/costs/parameters/2030/").json()
    params["travel"]["GB"] = 310_000
    preview = client.post(
        "/api/v1/costs/parameters/2030/preview/", params, content_type="application/json"
    )
    assert preview.status_code == 200
    assert [row["organisation"] for row in preview.json()] == [world["naha"].pk]
    saved = client.put("/api/v1/costs/parameters/2030/", params, content_type="application/json")
    assert saved.json() == preview.json()
    params["scale"] = {"1": 3_360_000}
    refused = client.put("/api/v1/costs/parameters/2030/", params, content_type="application/json")
    assert refused.status_code == 400
    assert "each contract year" in str(refused.json())


def test_the_page_queries_do_not_grow_with_organisations(
    world, django_assert_max_num_queries, client_as
):
    client = client_as("mic")
    client.get("/costs/?fy=2030&prefecture=47")  # warm the session
    with django_assert_max_num_queries(14) as few:
        client.get("/costs/?fy=2030&prefecture=47")
    for n in range(15):
        org = builders.organisation(f"Extra Costs {n}")
        builders.contract(org, start=dt.date(2030, 4, 1), end=dt.date(2031, 3, 31))
    cost_figures.recompute([2030])
    with django_assert_max_num_queries(len(few.captured_queries)):
        page = client.get("/costs/?fy=2030&prefecture=47").content.decode()
    assert "Extra Costs 14" in page


def test_the_demo_has_parameters_and_figures_for_the_current_year(co_hyogo):
    from apps.finance.models import AllocationTaxRate
    from apps.finance.selectors_costs import current_fiscal_year

    year = current_fiscal_year()
    assert AllocationTaxRate.objects.filter(programme_year__year=year).exists()
    figure = CostFigure.objects.get(organisation=co_hyogo.organisation, fiscal_year=year)
    assert figure.remuneration > 0
    assert figure.estimate > 0


def test_the_costs_pages_speak_japanese(world, client_as):
    client = client_as("mic")
    client.post("/language/", {"language": "ja"})
    overview = client.get("/costs/?fy=2030").content.decode()
    assert "プログラム経費 2030年度" in overview
    assert "全国合計" in overview
    parameters = client.get("/mic/costs/2030/").content.decode()
    assert "影響をプレビュー" in parameters
