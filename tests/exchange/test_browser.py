"""In Chromium: draft, circulate, answer from another nation's account, see the inbox and flags change."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from playwright.sync_api import expect

from tests.browser import LiveServer, sign_in

pytestmark = pytest.mark.browser


def test_a_notice_travels_from_draft_to_answer_between_two_nations(
    page,
    browser,
    live_server: LiveServer,
) -> None:
    yesterday = (date.today() - timedelta(days=1)).isoformat()
    sign_in(page, live_server, "bel-contributor")
    page.goto("/exchange/new")
    page.get_by_label("Operation").fill("")
    page.get_by_role("button", name="Save draft").click()
    expect(page.locator("#operation-error")).to_be_visible()
    expect(page.get_by_label("Operation")).to_have_attribute("aria-invalid", "true")

    page.get_by_label("Operation").fill("Browser run EUTM illustrative")
    page.get_by_label("Framework").select_option("EU")
    page.get_by_label("Area").fill("Sahel (illustrative)")
    page.get_by_label("Period starts").fill("2027-01-01")
    page.get_by_label("Period ends").fill("2027-12-31")
    page.get_by_label("Answer by").fill(yesterday)
    page.get_by_label("Point of contact").fill("BEL J3")
    for nation in ("NLD", "LUX"):
        page.locator(f"input[name=releasable_to][value={nation}]").check()
    page.locator("#line-0-category").select_option("training")
    page.locator("#line-0-quantity").fill("12")
    page.locator("#line-0-start_on").fill("2027-01-01")
    page.locator("#line-0-end_on").fill("2027-06-30")
    page.get_by_role("button", name="Save draft").click()
    expect(page.locator("#notice-status")).to_have_text("Draft")
    notice_url = page.url
    page.get_by_role("button", name="Circulate").click()
    expect(page.locator("#notice-status")).to_have_text("Circulated")
    nld_row = page.locator("#answer-board tr[data-nation=NLD]")
    assert nld_row.get_attribute("data-overdue") == "true"
    assert "Past the answer-by date" in nld_row.inner_text()

    other = browser.new_context(base_url=live_server.url, locale="en-GB")
    tab = other.new_page()
    tab.set_default_timeout(15_000)
    try:
        sign_in(tab, live_server, "nld-contributor")
        tab.goto("/exchange/inbox")
        row = tab.locator("#inbox tr", has_text="Browser run EUTM illustrative").first
        assert row.get_attribute("data-unread") == "true"
        row.get_by_role("link", name="Browser run EUTM illustrative").click()
        tab.get_by_role("link", name="Answer for your nation").click()
        tab.get_by_label("Will contribute").check()
        tab.locator("#line-0-category").select_option("medical")
        tab.locator("#line-0-quantity").fill("4")
        tab.locator("#line-0-start_on").fill("2027-02-01")
        tab.locator("#line-0-end_on").fill("2027-05-31")
        tab.get_by_role("button", name="Send the answer").click()
        tab.wait_for_url(notice_url)
        assert tab.locator("#answer-board tr[data-nation=NLD]").get_attribute("data-kind") == (
            "will_contribute"
        )
        tab.goto("/exchange/inbox")
        row = tab.locator("#inbox tr", has_text="Browser run EUTM illustrative").first
        assert row.get_attribute("data-unread") == "false"
    finally:
        other.close()

    page.goto("/exchange/inbox")
    answered = page.locator("#inbox tr", has_text="NLD answered").first
    assert answered.get_attribute("data-unread") == "true"
    page.goto(notice_url)
    nld_row = page.locator("#answer-board tr[data-nation=NLD]")
    assert nld_row.get_attribute("data-overdue") == "false"
    assert "Will contribute" in nld_row.inner_text()
    assert "Answered late" in nld_row.inner_text()
    lux_row = page.locator("#answer-board tr[data-nation=LUX]")
    assert lux_row.get_attribute("data-overdue") == "true"
    page.goto("/exchange/inbox")
    assert (
        page.locator("#inbox tr", has_text="NLD answered").first.get_attribute("data-unread")
        == "false"
    )


def test_a_coordinator_sets_and_removes_the_nations_webhook(page, live_server: LiveServer) -> None:  # type: ignore[no-untyped-def]
    sign_in(page, live_server, "lux-coordinator")
    page.goto("/exchange")
    page.get_by_role("link", name="Webhooks").click()
    page.wait_for_url("**/exchange/webhooks")
    page.get_by_label("Address (http:// or https://)").fill("ftp://nowhere")
    page.get_by_role("button", name="Save the webhook").click()
    expect(page.locator("#url-error")).to_be_visible()
    page.get_by_label("Address (http:// or https://)").fill("https://receiver.example.lu/bedeco")
    page.get_by_label("Receives as").select_option("RESTRICTED")
    page.get_by_role("button", name="Save the webhook").click()
    secret = page.locator("#webhook-secret").inner_text()
    assert len(secret) >= 16
    facts = page.locator("#webhook-LUX dl").inner_text()
    assert "https://receiver.example.lu/bedeco" in facts and "RESTRICTED" in facts
    page.get_by_role("button", name="Remove the webhook").click()
    page.wait_for_url("**/exchange/webhooks")
    expect(page.locator("#webhook-LUX")).to_contain_text("No webhook yet.")
