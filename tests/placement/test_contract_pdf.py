"""The contract PDF's Japanese column in Japanese where the data has it (issue 18, point 7):
the prefecture, a designated city, a base that is the organisation itself; English only
where no Japanese exists."""

from apps.core.models import Prefecture
from apps.placement.documents import contract_pdf_html
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
