"""Portal pages through HTTP, parsed with lxml: languages in URLs, alternates, fallbacks,
the tracker, conditional requests, and the shell's own pages still in place."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient
from lxml import html

from bedeco.register import service as register
from bedeco.runtime import unit_of_work
from tests.portal.conftest import INSIDER, SEED

PAGES = ["/", f"/resolution/{SEED}", f"/resolution/{SEED}/report", "/initiatives",
         "/initiatives/benesam", "/instruments", "/instruments/rec-936-2", "/timeline",
         "/search?q=helicopter", "/data"]  # fmt: skip


def tree(response: object) -> html.HtmlElement:
    return html.fromstring(response.text)  # type: ignore[attr-defined]


def test_root_redirects_to_the_negotiated_language(client: TestClient) -> None:
    response = client.get(
        "/", headers={"Accept-Language": "de-CH, fr;q=0.5"}, follow_redirects=False
    )
    assert response.status_code == 303 and response.headers["location"] == "/de/"
    client.get("/language/nl?next=/login")
    assert client.get("/", follow_redirects=False).headers["location"] == "/nl/"


@pytest.mark.parametrize("lang", ["nl", "fr", "de", "en"])
@pytest.mark.parametrize("page", PAGES)
def test_every_page_answers_in_its_language_with_hreflang_alternates(
    shared_portal: TestClient, lang: str, page: str
) -> None:
    response = shared_portal.get(f"/{lang}{page}")
    assert response.status_code == 200
    assert response.headers["content-language"] == lang
    doc = tree(response)
    assert doc.get("lang") == lang
    path = page.split("?")[0]
    alternates = {
        link.get("hreflang"): link.get("href")
        for link in doc.xpath("//head/link[@rel='alternate'][@hreflang]")
    }
    site = "http://testserver"
    assert alternates == {
        **{code: f"{site}/{code}{path}" for code in ("nl", "fr", "de", "en")},
        "x-default": f"{site}/en{path}",
    }
    assert doc.xpath("//head/link[@rel='canonical']/@href") == [f"{site}/{lang}{path}"]
    assert len(doc.xpath("//h1")) == 1
    assert "set-cookie" not in response.headers


def test_language_switcher_links_to_the_same_page_in_the_other_language(
    shared_portal: TestClient,
) -> None:
    doc = tree(shared_portal.get("/fr/initiatives/benesam"))
    links = doc.xpath("//nav[contains(@class,'lang-nav')]//a")
    assert {a.get("hreflang"): a.get("href") for a in links}[
        "nl"
    ] == "/language/nl?next=%2Fnl%2Finitiatives%2Fbenesam"
    response = shared_portal.get(
        "/language/nl?next=%2Fnl%2Finitiatives%2Fbenesam", follow_redirects=False
    )
    assert response.headers["location"] == "/nl/initiatives/benesam"
    assert [a.get("aria-current") for a in links if a.get("hreflang") == "fr"] == ["true"]


def test_tracker_shows_each_request_beside_its_status_with_a_fallback_note(
    shared_portal: TestClient,
) -> None:
    doc = tree(shared_portal.get(f"/de/resolution/{SEED}"))
    items = doc.xpath("//ol[@class='tracker']/li")
    assert [li.get("id") for li in items] == [f"request-{n:02d}" for n in range(1, 17)]
    first = items[0]
    quote = first.xpath(".//blockquote")[0]
    assert quote.xpath(".//span[@lang='nl']") and quote.xpath(".//span[@class='fallback-note']")
    assert first.xpath(".//span[@class='status']") and first.xpath(".//ol[@class='history']/li")
    french = tree(shared_portal.get(f"/fr/resolution/{SEED}")).xpath(
        "//li[@id='request-16']//blockquote"
    )[0]
    assert "visibilité" in french.text_content() and not french.xpath(
        ".//span[@class='fallback-note']"
    )


def test_status_change_with_evidence_appears_on_the_tracker(
    portal_app: tuple, portal: TestClient
) -> None:
    from bedeco.register.access import EvidenceInput

    _app, engine = portal_app
    with unit_of_work(engine) as session:
        commitment = register.get_commitment_by_key(session, INSIDER, key=f"{SEED}/request-16")
        register.change_status(
            session, INSIDER, commitment_id=commitment.id, status="under_study",
            expected_version=None, comment="Portal opened to the public.",
            evidence=[EvidenceInput(kind="link", reference="https://example.org/portal")],
        )  # fmt: skip
    item = tree(portal.get(f"/en/resolution/{SEED}")).xpath("//li[@id='request-16']")[0]
    assert item.xpath(".//span[@class='status']")[0].text_content().strip() == "Under study"
    assert item.xpath(".//a[@href='https://example.org/portal']")
    assert "Portal opened to the public." in item.text_content()


def test_charts_have_a_title_and_a_description(shared_portal: TestClient) -> None:
    for path in (
        "/en/",
        f"/en/resolution/{SEED}",
        "/en/initiatives",
        "/en/instruments",
        "/en/timeline",
    ):
        for svg in tree(shared_portal.get(path)).xpath("//svg"):
            assert svg.get("role") == "img"
            ids = svg.get("aria-labelledby").split()
            assert (
                svg.xpath("./title")[0].get("id") == ids[0]
                and svg.xpath("./desc")[0].text_content().strip()
            )


def test_unknown_keys_and_languages_are_404_pages(shared_portal: TestClient) -> None:
    assert shared_portal.get("/en/initiatives/no-such-initiative").status_code == 404
    assert shared_portal.get("/xx/initiatives").status_code == 404
    assert shared_portal.get("/en/initiatives.xml").status_code == 404
    response = shared_portal.get("/fr/instruments/nothing-here")
    assert response.status_code == 404 and tree(response).get("lang") == "fr"


def test_a_language_the_deployment_does_not_offer_is_404(app_factory: object) -> None:
    app, _engine = app_factory(reference=True, languages=("nl", "fr"))  # type: ignore[operator]
    with TestClient(app) as client:
        assert client.get("/de/initiatives").status_code == 404
        assert client.get("/nl/initiatives").status_code == 200
        hreflangs = tree(client.get("/nl/initiatives")).xpath("//head/link[@hreflang]/@hreflang")
        assert hreflangs == ["nl", "fr", "x-default"]


def test_conditional_requests_get_304_by_etag_and_by_date(shared_portal: TestClient) -> None:
    first = shared_portal.get("/en/initiatives")
    etag, modified = first.headers["etag"], first.headers["last-modified"]
    assert first.headers["cache-control"] == "public, no-cache"
    again = shared_portal.get("/en/initiatives", headers={"If-None-Match": etag})
    assert again.status_code == 304 and again.content == b"" and again.headers["etag"] == etag
    assert (
        shared_portal.get("/en/initiatives", headers={"If-Modified-Since": modified}).status_code
        == 304
    )
    assert (
        shared_portal.get("/en/initiatives", headers={"If-None-Match": '"stale"'}).status_code
        == 200
    )
    assert (
        shared_portal.get(
            "/en/initiatives", headers={"If-Modified-Since": "Mon, 01 Jan 2001 00:00:00 GMT"}
        ).status_code
        == 200
    )


def test_a_public_change_gives_a_new_etag(portal_app: tuple, portal: TestClient) -> None:
    _app, engine = portal_app
    etag = portal.get("/en/initiatives").headers["etag"]
    with unit_of_work(engine) as session:
        benesam = next(
            i
            for i in register.list_initiatives(session, INSIDER, page_size=200).items
            if i.key == "benesam"
        )
        register.change_maturity(
            session, INSIDER, initiative_id=benesam.id, maturity=4, expected_version=None,
            comment="Reassessed.",
        )  # fmt: skip
    response = portal.get("/en/initiatives", headers={"If-None-Match": etag})
    assert response.status_code == 200 and response.headers["etag"] != etag


def test_shell_pages_keep_working_beside_the_portal(portal: TestClient) -> None:
    assert portal.get("/login").status_code == 200
    assert portal.get("/account", follow_redirects=False).status_code == 303
    assert (
        portal.get("/language/fr?next=/fr/", follow_redirects=False).headers["location"] == "/fr/"
    )
    assert portal.get("/healthz").json()["status"] == "ok"


def test_pages_work_without_javascript(shared_portal: TestClient) -> None:
    for page in PAGES:
        doc = tree(shared_portal.get(f"/en{page}"))
        assert not doc.xpath("//script") and not doc.xpath("//*[@onclick]")
    form = tree(shared_portal.get("/en/search")).xpath("//form[@role='search']")[0]
    assert form.get("method") == "get" and form.xpath(".//label[@for='q']")
