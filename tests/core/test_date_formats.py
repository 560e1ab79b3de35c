"""One way of writing a date per language (issue 18, point 7): English "Nov. 20, 2026",
Japanese "2026年11月20日"; never "10/18/2026" or "2026-10-18" beside them on a page.
Bilingual PDFs keep their neutral numeric stamps."""

import re
from pathlib import Path

from django.conf import settings
from django.utils import translation
from django.utils.formats import date_format

from apps.core.models import User
from apps.placement.models import Contract

TEMPLATES = Path(settings.BASE_DIR) / "templates"
PDF_TEMPLATES = {"programme/contract_pdf.html", "course/certificate_pdf.html"}
NUMERIC = re.compile(r'\|date:"(SHORT_DATE_FORMAT|SHORT_DATETIME_FORMAT|[Ymd][-/.][^"]*)"')
SLASHED = re.compile(r"\b\d{1,2}/\d{1,2}/\d{4}\b|\b\d{4}/\d{1,2}/\d{1,2}\b")


def test_no_page_template_writes_a_numeric_date():
    offenders = [
        f"{path.relative_to(TEMPLATES)}: {match[0]}"
        for path in TEMPLATES.rglob("*.html")
        if str(path.relative_to(TEMPLATES)) not in PDF_TEMPLATES
        for match in NUMERIC.finditer(path.read_text())
    ]
    assert offenders == []


def test_the_contract_versions_read_their_dates_in_each_language(client_as):
    year_1 = Contract.objects.get(
        placement__application__applicant__username="participant", contract_year=1
    )
    client = client_as("participant")
    english = client.get("/participant/placement/").content.decode()
    with translation.override("en"):
        assert date_format(year_1.start_date, "DATE_FORMAT") in english
    assert not SLASHED.search(english)

    User.objects.filter(username="participant").update(language="ja")
    japanese = client_as("participant").get("/participant/placement/").content.decode()
    assert '<html lang="ja"' in japanese
    start = year_1.start_date
    assert f"{start.year}年{start.month}月{start.day}日" in japanese
    assert not SLASHED.search(japanese)
