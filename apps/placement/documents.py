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
    placement = contract.placement
    html = render_to_string(
        "programme/contract_pdf.html",
        {
            "contract": contract,
            "placement": placement,
            "application": placement.application,
            "position": placement.position,
            "organisation": placement.position.organisation,
            "participant": placement.application.applicant,
            "font_family": FONT_FAMILY,
            "generated_at": timezone.now(),
        },
    )
    return HTML(string=html).write_pdf()


def contract_pdf_filename(contract) -> str:
    return (
        f"contract-{contract.placement.application.number}"
        f"-year{contract.contract_year}-v{contract.version}.pdf"
    )
