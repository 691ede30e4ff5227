"""The web shell in a real headless Chromium: languages, switching, signing in and out, form errors."""

from __future__ import annotations

import pytest

from tests.browser import sign_in

pytestmark = pytest.mark.browser

SIGN_IN = {"nl": "Aanmelden", "fr": "Se connecter", "de": "Anmelden", "en": "Sign in"}


@pytest.mark.parametrize("lang", ["nl", "fr", "de", "en"])
def test_home_page_in_each_language(browser, live_server, lang: str) -> None:
    context = browser.new_context(
        base_url=live_server.url, locale=lang, extra_http_headers={"Accept-Language": lang}
    )
    tab = context.new_page()
    tab.goto("/")
    assert tab.locator("html").get_attribute("lang") == lang
    assert tab.get_by_role("navigation", name=None).first.is_visible()
    assert tab.locator("header").get_by_role("link", name=SIGN_IN[lang]).is_visible()
    context.close()


def test_switching_language_is_remembered_across_pages(page) -> None:
    page.goto("/")
    page.get_by_role("link", name="Français").click()
    page.wait_for_load_state()
    assert page.locator("html").get_attribute("lang") == "fr"
    page.goto("/login")
    assert page.locator("html").get_attribute("lang") == "fr"
    assert page.get_by_role("heading", name="Se connecter").is_visible()
    page.get_by_role("link", name="Nederlands").click()
    page.wait_for_load_state()
    assert page.locator("html").get_attribute("lang") == "nl"
    assert page.url.endswith("/login")


def test_signing_in_and_out(page, live_server) -> None:
    sign_in(page, live_server, "nld-contributor")
    page.goto("/account")
    assert page.get_by_role("heading", name="Your account").is_visible()
    assert page.locator("dd").first.inner_text() == "nld-contributor"
    page.get_by_role("button", name="Sign out").click()
    page.wait_for_load_state()
    assert page.locator("header").get_by_role("link", name="Sign in").is_visible()
    page.goto("/account")
    assert page.url.endswith("/login?next=/account")


def test_form_error_is_shown_next_to_its_field(page) -> None:
    page.goto("/login")
    page.get_by_label("User name").fill("nld-contributor")
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_load_state()
    password = page.get_by_label("Password")
    assert password.get_attribute("aria-invalid") == "true"
    error = page.locator("#password-error")
    assert error.inner_text() == "Enter your password."
    assert (
        page.locator(".field.has-error").filter(has=password).locator(".field-error").count() == 1
    )
