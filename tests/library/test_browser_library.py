"""The library in a real browser: CLAIR publishes a handbook for contracting
organisations with its PDF, Hyogo's board of education finds it by a Japanese word and
downloads it, and a participant never sees it. Every page passes axe (no serious or
critical violation)."""

import pytest
from playwright.sync_api import expect

from apps.demo.documents import pdf_bytes

pytestmark = pytest.mark.browser


def test_clair_publishes_and_a_contracting_organisation_reads(
    app, new_page, sign_in, axe_clean, tmp_path
):
    handbook = tmp_path / "handbook.pdf"
    handbook.write_bytes(pdf_bytes("Handbook for boards of education 2027"))

    clair = new_page()
    sign_in(clair, "clair")
    clair.goto(f"{app}/library/")
    axe_clean(clair)
    clair.get_by_test_id("library-new").click()
    axe_clean(clair)
    clair.get_by_label("Kind of document").select_option("HANDBOOK")
    clair.get_by_label("Who it is for").select_option("CONTRACTING")
    clair.locator("#id_title_en").fill("Handbook for boards of education 2027")
    clair.locator("#id_title_ja").fill("教育委員会向けハンドブック2027")
    clair.locator("#id_summary_en").fill("Positions, placements and contracts.")
    clair.get_by_label("First version (PDF)").set_input_files(str(handbook))
    with clair.expect_navigation():
        clair.get_by_test_id("library-save").click()
    expect(clair.get_by_test_id("library-title")).to_have_text(
        "Handbook for boards of education 2027"
    )
    axe_clean(clair)
    clair.get_by_label("New version (PDF)").set_input_files(str(handbook))
    clair.get_by_label("What changed").fill("Second edition")
    with clair.expect_navigation():
        clair.get_by_role("button", name="Publish the version").click()
    expect(clair.get_by_test_id("library-older")).to_be_visible()
    axe_clean(clair)

    board = new_page()
    sign_in(board, "co.hyogo")
    board.goto(f"{app}/library/")
    board.get_by_label("Search titles and summaries (English or Japanese)").fill("教育委員会")
    with board.expect_navigation():
        board.get_by_role("button", name="Search").click()
    axe_clean(board)
    board.get_by_role("link", name="Handbook for boards of education 2027").click()
    expect(board.get_by_test_id("library-current")).to_contain_text("version 2")
    axe_clean(board)
    with board.expect_download() as download:
        board.get_by_role("link", name="Download version 2 (PDF)").click()
    assert download.value.suggested_filename == "handbook.pdf"

    person = new_page()
    sign_in(person, "participant")
    person.goto(f"{app}/library/")
    expect(person.get_by_test_id("library-table")).to_be_visible()
    expect(person.get_by_role("link", name="Handbook for boards of education 2027")).to_have_count(
        0
    )
    axe_clean(person)
