"""The documents API through the app: upload in three forms, dry run, errors, list, exports."""

from __future__ import annotations

from typing import Any

from fastapi.testclient import TestClient
from lxml import etree

from tests.documents.conftest import read_fixture, read_seed
from tests.factories import bearer, make_token, make_user

SEED_KEY = "be-chamber-56-0367"


def contributor_client(app_factory: Any, reference: bool = False) -> tuple[TestClient, dict]:
    app, engine = app_factory(reference=reference)
    make_user(engine, "writer", roles=("viewer", "contributor"))
    make_user(engine, "reader", roles=("viewer",))
    return TestClient(app), {
        "writer": bearer(make_token(engine, "writer")),
        "reader": bearer(make_token(engine, "reader")),
    }


def test_a_plain_text_upload_stores_the_document_and_its_commitments(app_factory: Any) -> None:
    client, auth = contributor_client(app_factory)
    response = client.post(
        "/api/v1/documents",
        content=read_seed().encode(),
        headers={**auth["writer"], "Content-Type": "text/plain; charset=utf-8"},
        params={"filename": "seed.txt"},
    )
    assert response.status_code == 201, response.text
    body = response.json()
    [stored] = body["stored"]
    assert stored["key"] == SEED_KEY and stored["filename"] == "seed.txt"
    assert stored["provisions"] == 38 and stored["classification"] == "PUBLIC"
    assert len(body["commitments_created"]) == 16 and body["commitments_updated"] == []
    again = client.post(
        "/api/v1/documents",
        content=read_seed().encode(),
        headers={**auth["writer"], "Content-Type": "text/plain"},
    )
    assert again.status_code == 409
    assert again.json()["error"]["code"] == "document_already_imported"
    replaced = client.post(
        "/api/v1/documents",
        content=read_seed().encode(),
        headers={**auth["writer"], "Content-Type": "text/plain"},
        params={"replace": "true"},
    )
    assert replaced.status_code == 201 and replaced.json()["replaced"] == [SEED_KEY]
    assert len(replaced.json()["commitments_updated"]) == 16


def test_json_and_multipart_uploads_are_accepted(app_factory: Any) -> None:
    client, auth = contributor_client(app_factory)
    as_json = client.post(
        "/api/v1/documents",
        json={"text": read_fixture("be_senate_resolution.txt"), "filename": "senate.txt"},
        headers=auth["writer"],
    )
    assert as_json.status_code == 201, as_json.text
    assert as_json.json()["stored"][0]["key"] == "be-senate-8-112"
    as_file = client.post(
        "/api/v1/documents",
        files={"file": ("motion.txt", read_fixture("nl_tk_motion.txt").encode(), "text/plain")},
        headers=auth["writer"],
    )
    assert as_file.status_code == 201, as_file.text
    assert as_file.json()["stored"][0]["filename"] == "motion.txt"


def test_a_dry_run_parses_without_storing(app_factory: Any) -> None:
    client, auth = contributor_client(app_factory)
    response = client.post(
        "/api/v1/documents",
        json={"text": read_seed()},
        params={"dry_run": "true"},
        headers=auth["writer"],
    )
    assert response.status_code == 200
    data = response.json()
    assert data["schema"] == "bedeco.documents/1.0"
    assert len(data["versions"]["fr"]["recitals"]) == 22
    assert client.get("/api/v1/documents", headers=auth["writer"]).json()["total"] == 0


def test_an_unreadable_text_is_a_422_on_the_text_field_naming_the_line(app_factory: Any) -> None:
    client, auth = contributor_client(app_factory)
    response = client.post(
        "/api/v1/documents",
        content=b"Hello,\n\nthis is a letter, not a resolution.\n",
        headers={**auth["writer"], "Content-Type": "text/plain"},
    )
    assert response.status_code == 422
    error = response.json()["error"]
    assert error["field"] == "text" and error["code"] == "unreadable_document"
    assert error["message"].startswith("line 1: expected ")
    not_utf8 = client.post(
        "/api/v1/documents",
        content="Résolution".encode("latin-1"),
        headers={**auth["writer"], "Content-Type": "text/plain"},
    )
    assert not_utf8.status_code == 422 and not_utf8.json()["error"]["field"] == "text"
    assert client.get("/api/v1/documents").json()["total"] == 0


def test_uploads_need_a_signed_in_contributor(app_factory: Any) -> None:
    client, auth = contributor_client(app_factory)
    anonymous = client.post(
        "/api/v1/documents", content=read_seed().encode(), headers={"Content-Type": "text/plain"}
    )
    assert anonymous.status_code == 401
    viewer = client.post(
        "/api/v1/documents",
        content=read_seed().encode(),
        headers={**auth["reader"], "Content-Type": "text/plain"},
    )
    assert viewer.status_code == 403


def test_the_reference_seed_is_listed_and_detailed_in_the_documented_schema(
    app_factory: Any,
) -> None:
    app, _engine = app_factory(reference=True)
    client = TestClient(app)
    listing = client.get("/api/v1/documents", params={"sort": "key", "page_size": 10})
    assert listing.status_code == 200
    body = listing.json()
    assert set(body) == {"items", "total", "page", "page_size"} and body["total"] == 1
    assert body["items"][0]["key"] == SEED_KEY
    detail = client.get(f"/api/v1/documents/{SEED_KEY}").json()
    document = detail["document"]
    assert document["schema"] == "bedeco.documents/1.0"
    assert [r["label"] for r in document["versions"]["nl"]["requests"]] == [
        str(n) for n in range(1, 17)
    ]
    assert detail["instruments"]["benelux:declaration:2012-04-18"] == "benelux-decl-2012"
    assert len(detail["commitments"]) == 16
    assert client.get("/api/v1/documents", params={"kind": "motion"}).json()["total"] == 0
    assert client.get("/api/v1/documents", params={"sort": "colour"}).status_code == 422


def test_akn_markdown_and_json_downloads(app_factory: Any) -> None:
    app, _engine = app_factory(reference=True)
    client = TestClient(app)
    akn = client.get(f"/api/v1/documents/{SEED_KEY}/akn/fr")
    assert akn.status_code == 200
    assert akn.headers["content-type"].startswith("application/akn+xml")
    root = etree.fromstring(akn.content)
    ns = {"a": "http://docs.oasis-open.org/legaldocml/ns/akn/3.0"}
    assert root.xpath("//a:FRBRlanguage/@language", namespaces=ns)[0] == "fra"
    assert len(root.xpath("//a:recital", namespaces=ns)) == 22
    markdown = client.get(f"/api/v1/documents/{SEED_KEY}/markdown/nl")
    assert markdown.status_code == 200 and markdown.headers["content-type"].startswith(
        "text/markdown"
    )
    assert "VERZOEKT DE FEDERALE REGERING" in markdown.text
    as_json = client.get(f"/api/v1/documents/{SEED_KEY}/json")
    assert as_json.status_code == 200 and as_json.json()["kind"] == "resolution"
    missing = client.get(f"/api/v1/documents/{SEED_KEY}/akn/de")
    assert missing.status_code == 404 and missing.json()["error"]["field"] == "lang"
    assert client.get("/api/v1/documents/no-such-thing").status_code == 404
    assert client.get("/api/v1/documents/" + "x" * 500).status_code == 422
