"""Generated documents: the bilingual contract of employment as a PDF.

WeasyPrint lays the page out with Pango, so Japanese needs a Japanese font installed on
the machine (Debian's fonts-noto-cjk; `.ci/run` and the Dockerfile install it and
`make run` warns when it is missing). The document is bilingual whatever the reader's
language: each clause in Japanese and English side by side, the labels translated from
the same catalogue as the screens.
"""

import logging
import shutil
import subprocess
from functools import cache

from django.template.loader import render_to_string
from django.utils import timezone

from apps.recruitment.places import CITY_NAMES

logger = logging.getLogger(__name__)

FONT_FAMILY = '"Noto Sans CJK JP", "Noto Sans JP", "IPAexGothic", "TakaoGothic", sans-serif'


@cache
def japanese_font_available() -> bool:
    fc_list = shutil.which("fc-list")
    if fc_list is None:
        return False
    # A fixed argument list, no shell: nothing from a request reaches this call.
    found = subprocess.run(  # noqa: S603
        [fc_list, ":lang=ja", "family"], capture_output=True, text=True, check=False
    ).stdout
    return bool(found.strip())


def contract_pdf(contract) -> bytes:
    from weasyprint import HTML

    if not japanese_font_available():
        logger.warning(
            "No Japanese font is installed: the contract PDF's Japanese text will not show. "
            "Install fonts-noto-cjk."
        )
    return HTML(string=contract_pdf_html(contract)).write_pdf()


def contract_pdf_html(contract) -> str:
    """The document the PDF is laid out from."""
    placement = contract.placement
    return render_to_string(
        "programme/contract_pdf.html",
        {
            "contract": contract,
            "placement": placement,
            "application": placement.application,
            "position": placement.position,
            "organisation": placement.position.organisation,
            "participant": placement.application.applicant,
            "place_ja": place_of_work_ja(placement.position),
            "font_family": FONT_FAMILY,
            "generated_at": timezone.now(),
        },
    )


def place_of_work_ja(position) -> dict[str, str]:
    """The Japanese column's place of work, in Japanese as far as the data has it: the
    prefecture, a designated city's name ("神戸市"), the municipality and the base as the
    organisation wrote them in Japanese, the base when it is the organisation itself; a
    name given only in English stays in English."""
    city = CITY_NAMES.get(f"{position.prefecture.code}-{position.municipality}")
    organisation = position.organisation
    base = position.base_ja or position.base
    if not position.base_ja and organisation.name_ja and base == organisation.name_en:
        base = organisation.name_ja
    if city:
        area = f"{position.prefecture.name_ja}{city[2]}"
    elif position.municipality_ja:
        area = f"{position.prefecture.name_ja}{position.municipality_ja}"
    else:
        area = f"{position.prefecture.name_ja} {position.municipality}"
    return {"area": area, "base": base}


def contract_pdf_filename(contract) -> str:
    return (
        f"contract-{contract.placement.application.number}"
        f"-year{contract.contract_year}-v{contract.version}.pdf"
    )
