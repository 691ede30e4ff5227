"""The register in Chromium: filter, search, open, change status with evidence, see it all change."""

from __future__ import annotations

from typing import Any

import pytest
from playwright.sync_api import expect

from tests.browser import sign_in

pytestmark = pytest.mark.browser
SEED = "be-chamber-56-0367"


def status_count(page: Any, status: str) -> int:
    page.goto(f"/progress?instrument={SEED}")
    cell = page.locator(f"#status-table tr[data-status='{status}'] td").nth(1)
    return int(cell.inner_text())


def test_a_coordinator_filters_searches_and_moves_a_commitment_with_evidence(
    page: Any,
    live_server: Any,
) -> None:
    sign_in(page, live_server, "bel-coordinator")
    before = status_count(page, "under_study")
    bars_before = page.locator("#status-chart rect").count()

    page.goto("/commitments")
    page.get_by_label("Domain").select_option("visibility")
    page.get_by_role("button", name="Apply").click()
    # The filtered page loaded (count() does not wait; a CI run read the rows too early).
    page.wait_for_url("**domain=visibility**")
    rows = page.locator("#commitments tbody tr")
    expect(rows).to_have_count(1)
    expect(rows.first).to_contain_text(f"{SEED}/request-16")

    page.get_by_label("Domain").select_option("")
    page.get_by_label("Search").fill("zichtbaarheid")
    page.get_by_role("button", name="Apply").click()
    page.wait_for_url("**q=zichtbaarheid**")
    expect(page.locator("#commitments tbody")).to_contain_text(f"{SEED}/request-16")
    page.locator("#commitments tbody tr").first.get_by_role("link").click()
    page.wait_for_url("**/commitments/*")

    page.get_by_label("New status").select_option("under_study")
    page.get_by_label("Comment (a reason is needed to drop or reopen)").fill("Working group set up")
    page.get_by_label("Kind of evidence").select_option("file")
    page.get_by_label("File (at most 10 MiB)").set_input_files(
        files=[{"name": "minutes.txt", "mimeType": "text/plain", "buffer": b"minutes of the WG"}]
    )
    page.get_by_role("button", name="Save change").click()
    page.wait_for_url("**/commitments/*#history")

    assert page.locator("#current-status .status").get_attribute("data-status") == "under_study"
    latest = page.locator("ol.history > li").first
    assert "Under study" in latest.inner_text() and "Working group set up" in latest.inner_text()
    assert latest.get_by_role("link", name="minutes.txt").count() == 1

    assert status_count(page, "under_study") == before + 1
    assert page.locator("#status-chart rect[data-status='under_study']").count() == 1
    assert page.locator("#status-chart rect").count() >= bars_before


def test_a_coordinator_widens_a_commitments_releasability_from_its_edit_page(
    page: Any,
    live_server: Any,
) -> None:
    """On a commitment of its own (not a seed one, which other browser tests count)."""
    sign_in(page, live_server, "bel-coordinator")
    page.goto("/commitment-new")
    page.get_by_label("Title in English").fill("Marking check in the browser (illustrative)")
    page.locator("input[name=domains][value=space]").check()
    page.get_by_label("Classification").select_option("RESTRICTED")
    for nation in ("NLD", "LUX"):
        page.locator(f"input[name=releasable_to][value={nation}]").uncheck()
    page.get_by_role("button", name="Create commitment").click()
    page.wait_for_url("**/commitments/*")
    assert "BEL" in page.locator("dl.facts").inner_text()
    assert "NLD" not in page.locator("dl.facts").inner_text()

    page.get_by_role("link", name="Edit the fields").click()
    page.wait_for_url("**/edit")
    assert page.get_by_label("Classification").input_value() == "RESTRICTED"
    page.locator("input[name=releasable_to][value=NLD]").check()
    page.get_by_role("button", name="Save changes").click()
    page.wait_for_url("**/commitments/*")
    marking = page.locator("dl.facts").inner_text()
    assert "RESTRICTED" in marking and "BEL, NLD" in marking and "LUX" not in marking


def test_a_contributor_links_an_initiative_to_a_commitment_from_its_edit_page(
    page: Any,
    live_server: Any,
) -> None:
    sign_in(page, live_server, "bel-contributor")
    page.goto("/initiatives/2")
    page.get_by_role("link", name="Edit the fields").click()
    page.wait_for_url("**/initiatives/2/edit")
    keys = page.get_by_label("Commitments it serves (one key a line)")
    keys.fill(keys.input_value() + f"\n{SEED}/request-13")
    page.get_by_label("Comment").fill("serves the PESCO request")
    page.get_by_role("button", name="Save changes").click()
    page.wait_for_url("**/initiatives/2")
    assert f"{SEED}/request-13" in page.locator("dl.facts").inner_text()
    latest = page.locator("ol.history > li").last.inner_text()
    assert "commitments" in latest and "serves the PESCO request" in latest
