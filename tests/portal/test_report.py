"""The printable progress report: a print stylesheet, and a PDF drawn by WeasyPrint with charts."""

from __future__ import annotations

from fastapi.testclient import TestClient
from lxml import html

from bedeco.portal import report
from tests.portal.conftest import SEED


def layout_text(document: object) -> str:
    from weasyprint.formatting_structure import boxes

    return " ".join(
        box.text
        for page in document.pages  # type: ignore[attr-defined]
        for box in page._page_box.descendants()
        if isinstance(box, boxes.TextBox)
    )


def test_report_page_has_a_print_stylesheet_charts_and_every_request(
    shared_portal: TestClient,
) -> None:
    doc = html.fromstring(shared_portal.get(f"/fr/resolution/{SEED}/report").text)
    css = shared_portal.get("/portal/static/portal.css").text
    assert "@media print" in css and "@page" in css
    assert doc.xpath("//link[@rel='stylesheet'][@href='/portal/static/portal.css']")
    assert len(doc.xpath("//svg[@role='img']")) == 2
    assert len(doc.xpath("//tr[@class='report-row']")) == 16


def test_pdf_is_drawn_on_the_server_with_the_report_text_and_charts(
    shared_portal: TestClient,
) -> None:
    response = shared_portal.get(f"/nl/resolution/{SEED}/report.pdf")
    assert response.status_code == 200 and response.headers["content-type"] == "application/pdf"
    body = response.content
    assert body.startswith(b"%PDF-") and body.rstrip().endswith(b"%%EOF") and len(body) > 10_000
    page_html = shared_portal.get(f"/nl/resolution/{SEED}/report").text
    document = report.document(page_html)
    assert 2 <= len(document.pages) <= 8
    text = layout_text(document)
    assert "Voortgangsrapport" in text and "onverwijld werk te maken" in text
    assert "Verbintenissen per status" in text  # the chart's legend and table, laid out
    assert (
        shared_portal.get(
            f"/nl/resolution/{SEED}/report.pdf", headers={"If-None-Match": response.headers["etag"]}
        ).status_code
        == 304
    )


def test_pdf_fetches_nothing_but_its_own_stylesheets() -> None:
    fetcher = report._fetcher()
    css = fetcher.fetch(report.BASE_URL + "portal/static/portal.css")
    assert b"@media print" in css.read()
    for url in ("https://example.org/x.css", "file:///etc/passwd", report.BASE_URL + "api/v1/me"):
        try:
            fetcher.fetch(url)
        except ValueError:
            continue
        raise AssertionError(f"fetched {url}")
