"""The exchange's HTML pages, parsed with lxml: drafting with field errors, reading, answering."""

from __future__ import annotations

from typing import Any

from fastapi.testclient import TestClient
from lxml import html

from tests.factories import csrf_from, login, make_user


def signed_in(app_factory: Any, *names: tuple[str, str]) -> tuple[Any, dict[str, TestClient]]:
    app, engine = app_factory()
    out = {}
    for name, nation in names:
        make_user(engine, name, nation=nation)
        client = TestClient(app)
        login(client, name)
        out[name] = client
    return engine, out


FORM = {
    "operation": "Caribbean counter-drug patrol",
    "framework": "coalition",
    "area": "Caribbean Sea",
    "period_start": "2027-02-01",
    "period_end": "2027-05-31",
    "answer_by": "2027-01-10",
    "contact": "Navy staff",
    "text": "Illustrative.",
    "classification": "RESTRICTED",
    "releasable_to": ["BEL", "NLD"],
    "line-0-category": "maritime",
    "line-0-quantity": "1",
    "line-0-start_on": "2027-02-01",
    "line-0-end_on": "2027-05-31",
}


def submit(client: TestClient, path: str, data: dict[str, Any], form_path: str) -> Any:
    token = csrf_from(client.get(form_path).text)
    return client.post(path, data={**data, "csrf_token": token}, follow_redirects=False)


def test_pages_need_a_signed_in_person(app_factory: Any) -> None:
    app, _engine = app_factory()
    client = TestClient(app)
    for path in ("/exchange", "/exchange/inbox", "/exchange/new", "/exchange/1", "/exchange/feed"):
        response = client.get(path, follow_redirects=False)
        assert response.status_code == 303 and response.headers["location"].startswith("/login")


def test_drafting_form_shows_each_error_beside_its_field(app_factory: Any) -> None:
    _engine, c = signed_in(app_factory, ("bel", "BEL"))
    wrong = {**FORM, "operation": "", "period_end": "2027-01-01", "line-0-quantity": "many"}
    response = submit(c["bel"], "/exchange/new", wrong, "/exchange/new")
    assert response.status_code == 422
    tree = html.fromstring(response.text)
    assert tree.xpath("//p[@id='line-0-quantity-error' or @id='lines-0-quantity-error']")
    response = submit(c["bel"], "/exchange/new", {**FORM, "operation": ""}, "/exchange/new")
    tree = html.fromstring(response.text)
    assert tree.xpath("//input[@id='operation'][@aria-invalid='true']")
    assert tree.xpath("//p[@id='operation-error']")[0].text_content().strip()


def test_a_notice_is_drafted_circulated_and_answered_through_the_pages(app_factory: Any) -> None:
    _engine, c = signed_in(app_factory, ("bel", "BEL"), ("nld", "NLD"))
    created = submit(c["bel"], "/exchange/new", FORM, "/exchange/new")
    assert created.status_code == 303
    path = created.headers["location"]
    page = html.fromstring(c["bel"].get(path).text)
    version = page.xpath("//form[contains(@action,'circulate')]//input[@name='version']/@value")[0]
    done = submit(c["bel"], path + "/lifecycle/circulate", {"version": version}, path)
    assert done.status_code == 303
    inbox = html.fromstring(c["nld"].get("/exchange/inbox").text)
    assert inbox.xpath("//tr[@data-unread='true']")
    answered = submit(
        c["nld"], path + "/answer", {"kind": "considering", "version": ""}, path + "/answer"
    )
    assert answered.status_code == 303
    c["nld"].get(path)  # reading the notice marks it read
    board = html.fromstring(c["bel"].get(path).text)
    row = board.xpath("//table[@id='answer-board']//tr[@data-nation='NLD']")[0]
    assert row.get("data-kind") == "considering"
    inbox = html.fromstring(c["nld"].get("/exchange/inbox").text)
    assert not inbox.xpath("//tr[@data-unread='true']")


def test_a_stale_page_edit_is_refused_with_409_and_loses_nothing(app_factory: Any) -> None:
    _engine, c = signed_in(app_factory, ("bel", "BEL"))
    path = submit(c["bel"], "/exchange/new", FORM, "/exchange/new").headers["location"]
    first = submit(c["bel"], path + "/edit", {**FORM, "area": "Atlantic", "version": "1"}, path)
    assert first.status_code == 303
    stale = submit(c["bel"], path + "/edit", {**FORM, "area": "Pacific", "version": "1"}, path)
    assert stale.status_code == 409
    tree = html.fromstring(c["bel"].get(path).text)
    assert "Atlantic" in tree.xpath("//dl[@class='facts']")[0].text_content()


def test_the_inbox_speaks_the_readers_language(app_factory: Any) -> None:
    _engine, c = signed_in(app_factory, ("bel", "BEL"))
    c["bel"].cookies.set("bedeco_lang", "nl")
    tree = html.fromstring(c["bel"].get("/exchange/inbox").text)
    assert tree.xpath("string(//h1)").strip() == "Postvak"
    assert tree.xpath("string(//*[@id='unread-count'])").strip() == "0 ongelezen"


def _coordinator(app_factory: Any, nation: str = "NLD") -> tuple[Any, TestClient]:
    app, engine = app_factory()
    make_user(engine, "coord", nation=nation, roles=("viewer", "contributor", "coordinator"))
    client = TestClient(app)
    login(client, "coord")
    return engine, client


def test_a_coordinator_sets_the_nations_webhook_and_sees_the_secret_once(
    app_factory: Any,
) -> None:
    _engine, client = _coordinator(app_factory)
    page = html.fromstring(client.get("/exchange/webhooks").text)
    assert [s.get("id") for s in page.xpath("//section")] == ["webhook-NLD"]
    data = {"url": "https://receiver.example.nl/bedeco", "secret": "", "clearance": "RESTRICTED"}
    saved = submit(client, "/exchange/webhooks/NLD", data, "/exchange/webhooks")
    assert saved.status_code == 200
    tree = html.fromstring(saved.text)
    secret = tree.xpath("string(//code[@id='webhook-secret'])")
    assert len(secret) >= 16
    again = client.get("/exchange/webhooks").text
    assert secret not in again, "the secret is shown once"
    facts = html.fromstring(again).xpath("string(//section[@id='webhook-NLD']//dl)")
    assert "https://receiver.example.nl/bedeco" in facts and "RESTRICTED" in facts
    removed = submit(client, "/exchange/webhooks/NLD/remove", {}, "/exchange/webhooks")
    assert removed.status_code == 303
    assert "No webhook yet." in client.get("/exchange/webhooks").text


def test_a_bad_webhook_address_is_named_beside_its_field(app_factory: Any) -> None:
    _engine, client = _coordinator(app_factory)
    data = {"url": "ftp://receiver", "secret": "x" * 20, "clearance": "RESTRICTED"}
    refused = submit(client, "/exchange/webhooks/NLD", data, "/exchange/webhooks")
    assert refused.status_code == 422
    tree = html.fromstring(refused.text)
    assert "http" in tree.xpath("string(//p[@id='url-error'])")
    assert tree.xpath("string(//input[@name='url']/@value)") == "ftp://receiver"
    short = submit(
        client,
        "/exchange/webhooks/NLD",
        {**data, "url": "https://r.example", "secret": "short"},
        "/exchange/webhooks",
    )
    assert short.status_code == 422
    assert "16" in html.fromstring(short.text).xpath("string(//p[@id='secret-error'])")


def test_another_nations_webhook_or_a_contributor_is_refused(app_factory: Any) -> None:
    _engine, client = _coordinator(app_factory, "NLD")
    data = {"url": "https://receiver.example.be/", "secret": "x" * 20, "clearance": "RESTRICTED"}
    other = submit(client, "/exchange/webhooks/BEL", data, "/exchange/webhooks")
    assert other.status_code == 403
    _engine, people = signed_in(app_factory, ("anna", "BEL"))
    page = people["anna"].get("/exchange/webhooks")
    assert page.status_code == 200 and "not-allowed" in page.text
    assert not html.fromstring(page.text).xpath("//a[@href='/exchange/webhooks']")
    assert html.fromstring(client.get("/exchange").text).xpath("//a[@href='/exchange/webhooks']")


def test_a_refused_step_is_explained_in_the_readers_language(app_factory: Any) -> None:
    _engine, people = signed_in(app_factory, ("anna", "BEL"))
    client = people["anna"]
    client.cookies.set("bedeco_lang", "fr")
    draft = submit(client, "/exchange/new", {**FORM, "releasable_to": ["BEL"]}, "/exchange/new")
    assert draft.status_code == 303
    notice = draft.headers["location"]
    token = csrf_from(client.get(notice).text)
    version = html.fromstring(client.get(notice).text).xpath(
        "string(//form[contains(@action, '/lifecycle/circulate')]//input[@name='version']/@value)"
    )
    refused = client.post(
        f"{notice}/lifecycle/circulate", data={"csrf_token": token, "version": version}
    )
    assert refused.status_code == 422
    assert "désignez au moins un autre pays avant de diffuser" in refused.text
    closing = client.post(
        f"{notice}/lifecycle/close",
        data={"csrf_token": token, "version": version, "reason": "not needed"},
    )
    assert closing.status_code == 422
    assert "Dans son état actuel (draft), la notification ne peut pas" in closing.text
