"""The documents pages, parsed with lxml: list, side-by-side document, upload form errors."""

from __future__ import annotations

from typing import Any

from fastapi.testclient import TestClient
from lxml import html

from tests.documents.conftest import read_fixture
from tests.factories import csrf_from, login, make_user

SEED_KEY = "be-chamber-56-0367"


def tree(response: Any) -> Any:
    return html.fromstring(response.text)


def test_the_seed_page_shows_both_languages_side_by_side_by_eid(app_factory: Any) -> None:
    app, _engine = app_factory(reference=True)
    client = TestClient(app)
    listing = tree(client.get("/documents"))
    assert listing.xpath("//table[@id='documents']//a/@href") == [f"/documents/{SEED_KEY}"]
    response = client.get(f"/documents/{SEED_KEY}")
    assert response.status_code == 200
    page = tree(response)
    recitals = page.xpath("//table[@id='recitals-table']/tbody/tr")
    requests = page.xpath("//table[@id='requests-table']/tbody/tr")
    assert len(recitals) == 22 and len(requests) == 16
    assert [r.get("id") for r in recitals][:2] == ["recital_A", "recital_B"]
    row_b = page.xpath("//tr[@id='recital_B']")[0]
    nl, fr = row_b.xpath("./td[@lang='nl']")[0], row_b.xpath("./td[@lang='fr']")[0]
    assert nl.text_content().startswith("attenderend op de Benelux-verklaring")
    assert fr.text_content().startswith("vu la Déclaration Benelux")
    for cell in (nl, fr):
        [link] = cell.xpath(".//a[@class='ref']")
        assert link.get("href") == "/instruments#benelux-decl-2012"
        assert "18" in link.xpath("./mark")[0].text_content()
    dates = page.xpath("//tr[@id='recital_C']/td[@lang='nl']//mark[@data-ref='2013-12-11']")
    assert dates and dates[0].text_content() == "11 december 2013"
    commitment = page.xpath("//tr[@id='para_1']/th/a[@class='commitment-link']/@href")
    assert commitment and commitment[0].startswith("/commitments/")
    anomalies = page.xpath("//ul[@id='anomaly-list']/li")
    assert len(anomalies) == 2 and "carried-name" in anomalies[0].text_content()
    downloads = page.xpath("//ul[@id='downloads']//a/@href")
    assert f"/api/v1/documents/{SEED_KEY}/json" in downloads
    for lang in ("nl", "fr"):
        assert f"/api/v1/documents/{SEED_KEY}/akn/{lang}" in downloads
        assert f"/api/v1/documents/{SEED_KEY}/markdown/{lang}" in downloads
    source = client.get(f"/documents/{SEED_KEY}/source")
    assert source.status_code == 200 and "VERZOEKT DE FEDERALE REGERING" in source.text


def test_a_side_missing_in_one_language_says_so(app_factory: Any) -> None:
    app, engine = app_factory()
    make_user(engine, "writer", roles=("viewer", "contributor"))
    client = TestClient(app)
    login(client, "writer")
    text = read_fixture("be_senate_resolution.txt")
    # drop the French version of recital B: the Dutch side stands alone
    lines = text.split("\n")
    french_b = next(i for i, line in enumerate(lines) if line.startswith("- vu ") or
                    line.startswith("B. vu") or line.startswith("- considérant"))  # fmt: skip
    del lines[french_b]
    form = client.get("/documents/new")
    response = client.post(
        "/documents/new",
        data={"csrf_token": csrf_from(form.text), "text": "\n".join(lines)},
    )
    assert response.status_code == 200, response.text[:500]
    page = tree(response)
    missing = page.xpath("//td[contains(@class, 'missing')]")
    assert missing and missing[0].get("lang") == "fr"
    assert "Missing in this language." in missing[0].text_content()


def test_a_bad_upload_shows_the_error_and_the_line_next_to_the_text(app_factory: Any) -> None:
    app, engine = app_factory()
    make_user(engine, "writer", roles=("viewer", "contributor"))
    client = TestClient(app)
    login(client, "writer")
    form = client.get("/documents/new")
    assert tree(form).xpath("//form[@action='/documents/new']//textarea[@name='text']")
    bad = "Beste collega,\n\nhierbij de agenda van morgen.\n"
    response = client.post("/documents/new", data={"csrf_token": csrf_from(form.text), "text": bad})
    assert response.status_code == 422
    page = tree(response)
    field = page.xpath("//textarea[@id='text']/..")[0]
    assert "has-error" in field.get("class")
    assert page.xpath("//textarea[@id='text']/@aria-describedby") == ["text-error"]
    error = page.xpath("//*[@id='text-error']")[0].text_content()
    assert "Line 1: expected" in error
    assert page.xpath("//pre[@id='error-line']")[0].text_content() == "Beste collega,"
    assert page.xpath("//textarea[@id='text']")[0].text_content() == bad
    assert client.get("/api/v1/documents").json()["total"] == 0
    # A French reader gets the whole sentence in French, what was expected included.
    response = client.post(
        "/documents/new",
        data={"csrf_token": csrf_from(form.text), "text": bad},
        headers={"Accept-Language": "fr"},
    )
    error = tree(response).xpath("//*[@id='text-error']/p/text()")[0]
    assert error.startswith("Ligne 1 : attendu une formule introductive (telle que")


def test_a_file_upload_imports_and_redirects_to_the_document(app_factory: Any) -> None:
    app, engine = app_factory()
    make_user(engine, "writer", roles=("viewer", "contributor"))
    client = TestClient(app)
    login(client, "writer")
    form = client.get("/documents/new")
    response = client.post(
        "/documents/new",
        data={"csrf_token": csrf_from(form.text)},
        files={"file": ("senate.txt", read_fixture("be_senate_resolution.txt").encode())},
        follow_redirects=False,
    )
    assert response.status_code == 303
    assert response.headers["location"] == "/documents/be-senate-8-112"
    again = client.post(
        "/documents/new",
        data={"csrf_token": csrf_from(form.text)},
        files={"file": ("senate.txt", read_fixture("be_senate_resolution.txt").encode())},
    )
    assert again.status_code == 409
    assert "already imported" in tree(again).xpath("//*[@id='file-error']")[0].text_content()
    client.cookies.set("bedeco_lang", "nl")
    in_dutch = client.post(
        "/documents/new",
        data={"csrf_token": csrf_from(form.text)},
        files={"file": ("senate.txt", read_fixture("be_senate_resolution.txt").encode())},
    )
    assert "document be-senate-8-112 is al ingelezen" in (
        tree(in_dutch).xpath("//*[@id='file-error']")[0].text_content()
    )


def test_the_public_is_sent_to_sign_in_and_sees_no_upload_button(app_factory: Any) -> None:
    app, _engine = app_factory()
    client = TestClient(app)
    response = client.get("/documents/new", follow_redirects=False)
    assert response.status_code == 303 and response.headers["location"].startswith("/login")
    assert tree(client.get("/documents")).xpath("//a[@href='/documents/new']") == []
    assert client.get("/documents/unknown").status_code == 404


def test_the_list_filters_and_pages_are_translated(app_factory: Any) -> None:
    app, _engine = app_factory()
    client = TestClient(app)
    page = tree(client.get("/documents", headers={"Accept-Language": "fr"}))
    assert page.xpath("//h1/text()") == ["Documents"]
    assert page.xpath("//label[@for='kind']/text()") == ["Type"]
    page = tree(client.get("/documents", headers={"Accept-Language": "nl"}))
    assert page.xpath("//h1/text()") == ["Documenten"]
