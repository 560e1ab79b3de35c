"""The contract PDF's Japanese column in Japanese where the data has it (issue 18, point 7):
the prefecture, a designated city, a base that is the organisation itself; English only
where no Japanese exists."""

import re

from apps.core.models import Prefecture
from apps.placement.documents import contract_pdf_html
from apps.placement.models import Contract, PositionRequest
from tests.factories import ContractFactory, OrganisationFactory, PositionRequestFactory


def _place_cells(html: str) -> tuple[str, str]:
    row = html.split("Place of work")[1].split("</tr>")[0]
    japanese, english = (cell.split("</td>")[0] for cell in row.split("<td>")[1:3])
    return japanese, english


def test_a_designated_city_and_an_organisation_base_read_in_japanese(db):
    school = OrganisationFactory(
        name_en="Kobe Municipal Fukiai High School", name_ja="神戸市立葺合高等学校"
    )
    position = PositionRequestFactory(
        approved=True,
        organisation=school,
        base=school.name_en,
        municipality="Kobe",
        city="Kobe",
        prefecture=Prefecture.objects.get(code="28"),
    )
    contract = ContractFactory(
        placement__position=position,
        placement__application__programme_year=position.programme_year,
    )

    japanese, english = _place_cells(contract_pdf_html(contract))

    assert japanese == "兵庫県神戸市<br>神戸市立葺合高等学校"
    assert english == "Kobe Municipal Fukiai High School, Kobe, Hyogo"


def test_a_municipality_known_only_in_english_stays_in_english(db):
    position = PositionRequestFactory(
        approved=True, base="Hyogo Prefectural Awaji Senior High School", municipality="Awaji"
    )
    contract = ContractFactory(
        placement__position=position,
        placement__application__programme_year=position.programme_year,
    )

    japanese, _english = _place_cells(contract_pdf_html(contract))

    assert japanese == "兵庫県 Awaji<br>Hyogo Prefectural Awaji Senior High School"


def test_the_municipality_and_school_the_organisation_wrote_in_japanese(db):
    position = PositionRequestFactory(
        approved=True,
        base="Hyogo Prefectural Awaji Senior High School",
        base_ja="兵庫県立淡路高等学校",
        municipality="Awaji",
        municipality_ja="淡路市",
    )
    contract = ContractFactory(
        placement__position=position,
        placement__application__programme_year=position.programme_year,
    )

    japanese, english = _place_cells(contract_pdf_html(contract))

    assert japanese == "兵庫県淡路市<br>兵庫県立淡路高等学校"
    assert "Awaji" in english


def test_every_demo_contract_names_its_place_of_work_in_japanese(db):
    """The demo's contracts show a Japanese column with no Latin letters in the place of
    work: every demo position carries its names in Japanese."""
    contracts = Contract.objects.select_related(
        "placement__position__prefecture", "placement__position__organisation"
    )
    assert contracts.exists()
    for contract in contracts:
        japanese, _english = _place_cells(contract_pdf_html(contract))
        assert not re.search(r"[A-Za-z]", japanese.replace("<br>", "")), japanese


JAPANESE_NAMES = {"base_ja": "淡路市スポーツ振興課", "municipality_ja": "淡路市"}
POSITION = {
    "type": "SEA",
    "base": "Awaji City Sports Office",
    "municipality": "Awaji",
    "location": "RURAL",
    "housing": "PROVIDED",
}


def test_an_organisation_gives_the_japanese_names_on_the_api(api_as):
    response = api_as("co.hyogo").post(
        "/api/v1/positions/", POSITION | JAPANESE_NAMES, format="json"
    )

    assert response.status_code == 201, response.content
    assert response.json()[0]["base_ja"] == "淡路市スポーツ振興課"
    position = PositionRequest.objects.get(base="Awaji City Sports Office")
    assert (position.base_ja, position.municipality_ja) == ("淡路市スポーツ振興課", "淡路市")


def test_an_organisation_gives_the_japanese_names_on_the_page(login):
    client = login("co.hyogo")
    form = client.get("/contracting/positions/").content.decode()
    assert 'name="base_ja"' in form
    assert 'name="municipality_ja"' in form

    response = client.post(
        "/contracting/positions/", POSITION | JAPANESE_NAMES | {"seats": 1}, follow=True
    )

    assert response.status_code == 200
    position = PositionRequest.objects.get(base="Awaji City Sports Office")
    assert position.municipality_ja == "淡路市"
