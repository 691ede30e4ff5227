"""Open data: CSV and JSON of every public list with schema and licence, Atom, sitemap."""

from __future__ import annotations

import csv
import io

import pytest
from fastapi.testclient import TestClient
from lxml import etree

from bedeco.portal import logic
from tests.portal.conftest import SEED

DATASETS = {
    "commitments": f"/resolution/{SEED}/commitments",
    "initiatives": "/initiatives",
    "instruments": "/instruments",
    "relations": "/relations",
    "changes": "/changes",
}
ATOM = "{http://www.w3.org/2005/Atom}"


@pytest.mark.parametrize("name", sorted(DATASETS))
def test_json_download_carries_licence_schema_and_items(
    shared_portal: TestClient, name: str
) -> None:
    response = shared_portal.get(f"/fr{DATASETS[name]}.json")
    assert response.status_code == 200 and response.headers["content-type"] == "application/json"
    data = response.json()
    assert data["licence"]["id"] == "CC-BY-4.0" and data["language"] == "fr"
    assert [f["name"] for f in data["schema"]["fields"]] == logic.SCHEMAS[name].names
    assert data["total"] == len(data["items"]) > 0
    assert all(list(item) == logic.SCHEMAS[name].names for item in data["items"])
    assert response.headers["etag"]


@pytest.mark.parametrize("name", sorted(DATASETS))
def test_csv_download_has_the_schema_header_and_the_same_rows(
    shared_portal: TestClient, name: str
) -> None:
    response = shared_portal.get(f"/nl{DATASETS[name]}.csv")
    assert response.headers["content-type"] == "text/csv; charset=utf-8"
    rows = list(csv.DictReader(io.StringIO(response.text)))
    assert list(rows[0]) == logic.SCHEMAS[name].names
    assert len(rows) == shared_portal.get(f"/nl{DATASETS[name]}.json").json()["total"]


def test_commitment_rows_state_the_language_shown_and_the_fallback(
    shared_portal: TestClient,
) -> None:
    english = shared_portal.get(f"/en/resolution/{SEED}/commitments.json").json()["items"]
    assert [row["label"] for row in english] == [str(n) for n in range(1, 17)]
    assert english[0]["text_lang"] == "nl" and english[0]["fallback"] is True
    french = shared_portal.get(f"/fr/resolution/{SEED}/commitments.json").json()["items"]
    assert french[0]["text_lang"] == "fr" and french[0]["fallback"] is False
    assert french[0]["url"] == f"/fr/resolution/{SEED}#request-01"
    assert french[0]["status"] == "proposed" and french[0]["status_label"]


def test_atom_feed_lists_status_changes_with_links_to_the_tracker(
    shared_portal: TestClient,
) -> None:
    response = shared_portal.get("/de/feed.atom")
    assert response.headers["content-type"].startswith("application/atom+xml")
    feed = etree.fromstring(response.content)
    assert feed.tag == f"{ATOM}feed"
    entries = feed.findall(f"{ATOM}entry")
    assert len(entries) == 16
    ids = [e.findtext(f"{ATOM}id") for e in entries]
    assert len(set(ids)) == len(ids)
    link = entries[0].find(f"{ATOM}link").get("href")
    assert f"/de/resolution/{SEED}#request-" in link
    assert feed.find(f"{ATOM}link[@rel='self']").get("href").endswith("/de/feed.atom")


def test_sitemap_lists_every_public_page_in_every_language_with_alternates(
    shared_portal: TestClient,
) -> None:
    root = etree.fromstring(shared_portal.get("/sitemap.xml").content)
    ns = {"s": "http://www.sitemaps.org/schemas/sitemap/0.9", "x": "http://www.w3.org/1999/xhtml"}
    locs = root.xpath("//s:loc/text()", namespaces=ns)
    assert "http://testserver/nl/initiatives/benesam" in locs
    assert f"http://testserver/en/resolution/{SEED}" in locs
    assert len(locs) == len(set(locs))
    first = root.xpath("//s:url", namespaces=ns)[0]
    assert sorted(first.xpath("x:link/@hreflang", namespaces=ns)) == ["de", "en", "fr", "nl"]
    for loc in locs[:40]:
        assert shared_portal.get(loc.removeprefix("http://testserver")).status_code == 200


def test_data_page_documents_every_schema_and_the_licence(shared_portal: TestClient) -> None:
    from lxml import html

    doc = html.fromstring(shared_portal.get("/en/data").text)
    assert doc.xpath("//a[@rel='license']/@href") == [logic.LICENCE["url"]]
    for name, schema in logic.SCHEMAS.items():
        section = doc.xpath(f"//section[h2[@id='{name}']]")[0]
        assert section.xpath(".//tbody/tr/th/code/text()") == schema.names
