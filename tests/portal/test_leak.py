"""Only what is public: no field of a non-public record reaches any portal response.

Non-public records carrying a marker in every text field are seeded through the
register's services; then every portal route (taken from the app's route table,
so a new route is covered without editing this test) is requested in every
language and format, with public keys, non-public keys and unknown values for
its parameters, and no response may contain the marker.
"""

from __future__ import annotations

import itertools
import re
import zlib
from typing import Any
from urllib.parse import quote

import pytest
from fastapi.routing import APIRoute
from fastapi.testclient import TestClient

from bedeco.portal import report
from tests.portal.conftest import MARK, SEED, Secrets, seed_non_public

LANGS = ("nl", "fr", "de", "en")


PARAM = re.compile(r"{(\w+)(?::\w+)?}")


def portal_routes(app: Any) -> list[str]:
    """Paths of every GET route of the app whose endpoint is in the portal (included routers
    are walked, so a route added to the portal is found here without editing the test)."""
    found: set[str] = set()
    for route in app.routes:
        contexts = (
            route.effective_route_contexts() if hasattr(route, "effective_route_contexts") else []
        )
        candidates = [(c.path, c.original_route) for c in contexts]
        if isinstance(route, APIRoute):
            candidates.append((route.path, route))
        for path, original in candidates:
            endpoint = getattr(original, "endpoint", None)
            in_portal = endpoint is not None and endpoint.__module__ == "bedeco.portal.pages"
            if in_portal and "GET" in (getattr(original, "methods", None) or ()):
                found.add(path)
    return sorted(found)


def values_for(name: str, secrets: Secrets) -> list[str]:
    """Values to put in a path parameter: public keys, non-public keys, unknown ones."""
    return {
        "lang": list(LANGS),
        "key": [SEED, "benesam", "rec-936-2", "public-with-secret-link", secrets.instrument_key,
                secrets.initiative_key, *[k.rsplit("/", 1)[-1] for k in secrets.commitment_keys],
                "no-such-key"],
        "fmt": ["csv", "json", "xml"],
        "name": ["portal.css", f"{MARK}.css"],
    }.get(name, ["x"])  # fmt: skip


def expand(route: str, secrets: Secrets) -> list[str]:
    names = PARAM.findall(route)
    paths = []
    for combination in itertools.product(*(values_for(n, secrets) for n in names)):
        values = iter(combination)
        paths.append(PARAM.sub(lambda _m, given=values: next(given), route))
    return paths


def echoes(path: str, extra: str) -> list[bytes]:
    """What the reader typed, in the spellings a page may echo it (plain and URL-quoted)."""
    typed = [segment for segment in path.split("/") if MARK in segment]
    if extra:
        typed.append(extra.removeprefix("?q="))
    found = []
    for value in typed:
        for spelling in (value, quote(value, safe=""), quote(path, safe=""), path):
            found.append(spelling.encode())
    return sorted(set(found), key=len, reverse=True)


def pdf_bytes_text(body: bytes) -> bytes:
    """The PDF with its compressed streams inflated, so URIs and metadata can be searched."""
    parts = [body]
    for match in re.finditer(rb"stream\r?\n(.*?)\r?\nendstream", body, re.S):
        try:
            parts.append(zlib.decompress(match.group(1)))
        except zlib.error:
            continue
    return b"\n".join(parts)


@pytest.fixture
def leaky(portal_app: tuple[Any, Any]) -> tuple[TestClient, Secrets, Any]:
    app, engine = portal_app
    secrets = seed_non_public(engine)
    return TestClient(app), secrets, app


def test_every_portal_route_in_every_language_and_format_hides_non_public_records(
    leaky: tuple[TestClient, Secrets, Any],
) -> None:
    client, secrets, app = leaky
    routes = portal_routes(app)
    assert len(routes) >= 15, "the portal's routes were not found in the app"
    requested: list[tuple[str, int]] = []
    leaks: list[str] = []
    for route in routes:
        for path in expand(route, secrets):
            for extra in ("", "?q=helicopter", f"?q={MARK}-title-RESTRICTED-en"):
                if extra and not path.endswith("/search"):
                    continue
                response = client.get(path + extra, follow_redirects=False)
                requested.append((path + extra, response.status_code))
                assert response.status_code < 500, (path, response.text[:300])
                body = response.content
                if response.headers.get("content-type", "").startswith("application/pdf"):
                    body = pdf_bytes_text(body)
                # the reader's own input (a key typed in the address, the search words) may be
                # echoed back; any other occurrence of the marker is a leak
                for echo in echoes(path, extra):
                    body = body.replace(echo, b"")
                if MARK.encode() in body.lower():
                    leaks.append(f"{path}{extra} ({response.status_code})")
    assert leaks == []
    statuses = {status for _path, status in requested}
    assert {200, 303, 404} <= statuses
    assert any(p.endswith("report.pdf") and s == 200 for p, s in requested)


def test_pdf_text_of_the_report_hides_non_public_records(
    leaky: tuple[TestClient, Secrets, Any],
) -> None:
    client, _secrets, _app = leaky
    html = client.get(f"/en/resolution/{SEED}/report").text
    document = report.document(html.replace("report.pdf", "x"))
    from weasyprint.formatting_structure import boxes

    text = " ".join(
        box.text
        for page in document.pages
        for box in page._page_box.descendants()
        if isinstance(box, boxes.TextBox)
    )
    assert "de s'employer sans délai" in text or "onverwijld werk te maken" in text
    assert MARK not in text.lower()


def test_counts_charts_and_searches_count_public_records_only(
    leaky: tuple[TestClient, Secrets, Any],
) -> None:
    client, secrets, _app = leaky
    data = client.get(f"/en/resolution/{SEED}/commitments.json").json()
    assert data["total"] == 16
    assert all(item["overdue"] is False for item in data["items"])
    initiatives = client.get("/en/initiatives.json").json()
    assert secrets.initiative_key not in {i["key"] for i in initiatives["items"]}
    relations = client.get("/en/relations.json").json()["items"]
    assert all(MARK not in r["source"] + r["target"] for r in relations)
    found = client.get("/en/search", params={"q": f"{MARK}-title-RESTRICTED-en"})
    assert "0 results" in found.text
    assert client.get(f"/en/initiatives/{secrets.initiative_key}").status_code == 404
    assert client.get(f"/en/instruments/{secrets.instrument_key}").status_code == 404
