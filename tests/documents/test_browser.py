"""The documents pages in Chromium: the seed side by side, a bad upload's error at its field."""

from __future__ import annotations

from typing import Any

import pytest

from tests.browser import sign_in

pytestmark = pytest.mark.browser
SEED = "be-chamber-56-0367"


def test_the_seed_shows_recital_b_in_dutch_and_french_with_the_2012_declaration_linked(
    page: Any,
    live_server: Any,
) -> None:
    page.goto("/documents")
    page.locator("#documents tbody tr").first.get_by_role("link").click()
    page.wait_for_url(f"**/documents/{SEED}")
    row = page.locator("tr#recital_B")
    dutch = row.locator("td[lang='nl']")
    french = row.locator("td[lang='fr']")
    assert "Benelux-verklaring over samenwerking op defensievlak" in dutch.inner_text()
    assert "Déclaration Benelux de coopération" in french.inner_text()
    dutch_box, french_box = dutch.bounding_box(), french.bounding_box()
    assert dutch_box and french_box
    assert abs(dutch_box["y"] - french_box["y"]) < 2 and french_box["x"] > dutch_box["x"]
    for cell in (dutch, french):
        link = cell.locator("a.ref")
        assert link.count() == 1
        assert link.get_attribute("href") == "/instruments#benelux-decl-2012"
    french.locator("a.ref").click()
    page.wait_for_url("**/instruments#benelux-decl-2012")
    assert page.locator("tr#benelux-decl-2012").count() == 1


def test_a_contributor_uploading_a_bad_text_sees_the_error_at_the_text_field(
    page: Any,
    live_server: Any,
) -> None:
    sign_in(page, live_server, "bel-contributor")
    page.goto("/documents")
    page.get_by_role("link", name="Import a document").click()
    page.wait_for_url("**/documents/new")
    page.get_by_label("Text", exact=True).fill("Agenda\n\n1 Opening\n2 Rondvraag\n")
    page.get_by_role("button", name="Import", exact=True).click()
    error = page.locator("#text-error")
    assert "Line 1: expected" in error.inner_text()
    assert page.locator("#error-line").inner_text() == "Agenda"
    assert page.get_by_label("Text", exact=True).get_attribute("aria-invalid") == "true"
    assert page.locator(".error-summary").count() == 1
