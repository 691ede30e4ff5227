"""Every portal page in each language in Chromium: accessibility audit (axe-core), no
JavaScript needed, readable on a 360 px wide screen (screenshots kept in the test's tmp dir)."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.portal.conftest import SEED

pytestmark = pytest.mark.browser

PAGES = ["/", f"/resolution/{SEED}", f"/resolution/{SEED}/report", "/initiatives",
         "/initiatives/benesam", "/instruments", "/instruments/rec-936-2", "/timeline",
         "/search?q=helicopter", "/data"]  # fmt: skip
BLOCKING = {"serious", "critical"}


def _context(chromium: object, server: object, width: int, lang: str) -> object:
    return chromium.new_context(  # type: ignore[attr-defined]
        base_url=server.url,  # type: ignore[attr-defined]
        viewport={"width": width, "height": 800},
        locale=lang,
        java_script_enabled=True,
        bypass_csp=True,  # axe is injected by the test, not served by the site
    )


@pytest.mark.parametrize("lang", ["nl", "fr", "de", "en"])
@pytest.mark.parametrize("path", PAGES)
def test_page_passes_the_accessibility_audit_and_fits_360_px(
    browser,
    live_server,
    lang: str,
    path: str,
    tmp_path: Path,
) -> None:
    from axe_playwright_python.sync_playwright import Axe

    context = _context(browser, live_server, 1280, lang)
    tab = context.new_page()  # type: ignore[attr-defined]
    response = tab.goto(f"/{lang}{path}")
    assert response.status == 200
    assert tab.locator("html").get_attribute("lang") == lang
    results = Axe().run(tab)
    blocking = [
        f"{v['id']} ({v['impact']}): {v['nodes'][0]['target']}"
        for v in results.response["violations"]
        if v["impact"] in BLOCKING
    ]
    assert blocking == []
    tab.set_viewport_size({"width": 360, "height": 800})
    tab.reload()
    overflow = tab.evaluate("document.documentElement.scrollWidth - window.innerWidth")
    assert overflow <= 0, f"{overflow}px wider than a 360 px screen"
    assert tab.get_by_role("heading", level=1).is_visible()
    name = (lang + path).replace("/", "_").replace("?", "_").replace("=", "_")
    tab.screenshot(path=str(tmp_path / f"{name}-360.png"), full_page=True)
    assert (tmp_path / f"{name}-360.png").stat().st_size > 5_000
    context.close()  # type: ignore[attr-defined]


def test_portal_works_with_javascript_disabled(browser, live_server) -> None:
    context = browser.new_context(base_url=live_server.url, java_script_enabled=False)
    tab = context.new_page()
    tab.goto("/en/")
    tab.get_by_role("link", name="Search").first.click()
    tab.get_by_label("Words to look for").fill("helikopter")
    tab.get_by_role("button", name="Search").click()
    tab.wait_for_load_state()
    assert "/en/search?q=helikopter" in tab.url
    tab.get_by_role("link", name="Français").click()
    tab.wait_for_load_state()
    assert tab.url.endswith("/fr/search?q=helikopter")
    assert tab.locator("html").get_attribute("lang") == "fr"
    context.close()


def test_root_goes_to_the_browser_language_and_the_tracker_is_one_click_away(
    page,
    live_server,
) -> None:
    page.goto("/")
    assert page.url == f"{live_server.url}/en/"
    page.get_by_role("link", name="Resolution tracker").click()
    page.wait_for_load_state()
    assert page.locator("#request-16 .status").inner_text() != ""
    assert page.get_by_role("heading", name="Request 16").is_visible()
