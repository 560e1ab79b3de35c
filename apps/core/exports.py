"""Rows to files that are safe to open in a spreadsheet: CSV (UTF-8 with a byte-order
mark, so Excel shows Japanese) and Excel. Every export of the project writes through
here, so formula escaping is done once."""

import csv
import io

# Characters that make a spreadsheet read a cell as a formula (OWASP "CSV injection").
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def escape_cell(value):
    """Text a spreadsheet would run as a formula gets a leading apostrophe."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def write_csv(rows, sheet_title: str = "") -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    for values in rows:
        writer.writerow(["" if v is None else escape_cell(v) for v in values])
    return buffer.getvalue().encode("utf-8-sig")


def write_xlsx(rows, sheet_title: str = "Sheet") -> bytes:
    from openpyxl import Workbook

    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(str(sheet_title)[:31])
    for values in rows:
        sheet.append([escape_cell(v) for v in values])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


WRITERS = {"csv": write_csv, "xlsx": write_xlsx}
