"""Study pages, parsed with lxml: list, submit form with errors at the field, progress, results."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from fastapi.testclient import TestClient
from lxml import html

from bedeco.planning.worker import run_pending
from tests.factories import csrf_from, login, make_user
from tests.planning.tiny_study import BROKEN, TINY


@pytest.fixture
def signed_in(app_factory: Any) -> Iterator[tuple[TestClient, Any]]:
    app, engine = app_factory(planning_worker=False)
    make_user(engine, "anna", nation="BEL")
    with TestClient(app) as client:
        login(client, "anna")
        yield client, engine


def form(client: TestClient, **overrides: str) -> dict[str, str]:
    values = {
        "csrf_token": csrf_from(client.get("/planning/new").text),
        "name": "tiny study",
        "kind": "compare",
        "policy": "pooled",
        "time_limit": "1",
        "workers": "1",
        "seed": "0",
        "classification": "UNCLASSIFIED",
        "scenario": TINY,
    }
    values.update(overrides)
    return values


def test_a_broken_scenario_is_shown_at_its_field_with_file_line_and_field(signed_in) -> None:  # type: ignore[no-untyped-def]
    client, _engine = signed_in
    response = client.post("/planning/new", data=form(client, scenario=BROKEN))
    assert response.status_code == 422
    tree = html.fromstring(response.text)
    field = tree.xpath("//textarea[@id='scenario']")[0]
    assert field.get("aria-invalid") == "true"
    error = tree.get_element_by_id(field.get("aria-describedby"))
    problems = [li.text_content() for li in error.xpath(".//li")]
    assert problems == ["scenario.yaml:5: check_types[0].duration: must be an integer >= 1"]
    assert field.text_content().startswith("name: broken study")


def test_scenario_problems_are_shown_in_the_readers_language(signed_in) -> None:  # type: ignore[no-untyped-def]
    client, _engine = signed_in
    unknown_type = BROKEN.replace("duration: two", "duration: 2") + (
        "aircraft:\n  - {id: X-1, nation: BEL, type: X, hours_left: 10, months_left: 3}\n"
    )
    for lang, wanted in (
        ("nl", "scenario.yaml:5: check_types[0].duration: moet een geheel getal >= 1 zijn"),
        ("fr", "scenario.yaml:5: check_types[0].duration: doit être un entier >= 1"),
    ):
        response = client.post(
            "/planning/new", data=form(client, scenario=BROKEN), headers={"Accept-Language": lang}
        )
        problems = html.fromstring(response.text).xpath("//ul[@class='problems']/li/text()")
        assert problems == [wanted]
    # A problem that names a value keeps it in the translation.
    response = client.post(
        "/planning/new", data=form(client, scenario=unknown_type), headers={"Accept-Language": "de"}
    )
    problems = html.fromstring(response.text).xpath("//ul[@class='problems']/li/text()")
    assert (
        "scenario.yaml:5: check_types: kein Inspektionstyp deckt den Luftfahrzeugtyp 'X' ab"
        in problems
    )


def test_a_wrong_number_is_shown_at_its_field(signed_in) -> None:  # type: ignore[no-untyped-def]
    client, _engine = signed_in
    response = client.post("/planning/new", data=form(client, time_limit="ten"))
    tree = html.fromstring(response.text)
    assert tree.xpath("//input[@id='time_limit']/@aria-invalid") == ["true"]
    assert "600" in tree.get_element_by_id("time_limit-error").text_content()


def test_an_uploaded_file_is_named_in_the_errors(signed_in) -> None:  # type: ignore[no-untyped-def]
    client, _engine = signed_in
    response = client.post(
        "/planning/new",
        data=form(client, scenario=""),
        files={"scenario_file": ("fleet.yaml", BROKEN.encode())},
    )
    tree = html.fromstring(response.text)
    assert tree.xpath("//ul[@class='problems']/li/text()")[0].startswith("fleet.yaml:5:")


def test_a_form_without_its_csrf_token_is_refused(signed_in) -> None:  # type: ignore[no-untyped-def]
    client, _engine = signed_in
    assert client.post("/planning/new", data=form(client, csrf_token="x")).status_code == 403


def test_a_running_study_refreshes_and_offers_cancel_then_shows_its_results(signed_in) -> None:  # type: ignore[no-untyped-def]
    client, engine = signed_in
    submitted = client.post("/planning/new", data=form(client), follow_redirects=False)
    assert submitted.status_code == 303
    page = html.fromstring(client.get(submitted.headers["location"]).text)
    assert page.xpath("//meta[@http-equiv='refresh']/@content") == ["3"]
    assert page.xpath("//progress[@id='progress-bar']/@value") == ["0"]
    assert page.xpath("//form[@id='cancel-form']//input[@name='csrf_token']/@value")
    assert page.get_element_by_id("illustrative-label") is not None

    run_pending(engine, once=True)
    page = html.fromstring(client.get(submitted.headers["location"]).text)
    assert page.xpath("//meta[@http-equiv='refresh']") == []
    assert page.xpath("//form[@id='cancel-form']") == []
    rows = page.xpath("//table[@id='comparison']/tbody/tr/@data-policy")
    assert rows == ["national", "pooled", "joint"]
    header = [th.text_content() for th in page.xpath("//table[@id='comparison']/thead//th")]
    assert "BEL: mean / least available" in header and "Gap" in header
    gantts = page.xpath("//figure[contains(@class,'gantt')]/*[local-name()='svg']")
    assert len(gantts) == 3
    titles = page.xpath("//*[local-name()='svg']/*[local-name()='title']/@id")
    assert len(titles) == len(set(titles)) == 6
    assert len(page.xpath("//figure[contains(@class,'load')]/*[local-name()='svg']")) == 3
    facilities = page.xpath("//table[@id='facility-use']/tbody/tr/th/text()")
    assert facilities == ["BEL-F", "NLD-F"]
    links = page.xpath("//a[@download]/@href")
    assert any(h.endswith("/export.csv") for h in links) and any(
        h.endswith("/export.json") for h in links
    )
    assert page.xpath("//ul[@id='significance']/li")


def test_cancel_from_the_page_cancels_a_queued_study(signed_in) -> None:  # type: ignore[no-untyped-def]
    client, _engine = signed_in
    location = client.post("/planning/new", data=form(client), follow_redirects=False).headers[
        "location"
    ]
    token = csrf_from(client.get(location).text)
    response = client.post(f"{location}/cancel", data={"csrf_token": token})
    page = html.fromstring(response.text)
    assert page.get_element_by_id("study-status").text_content() == "cancelled"


def test_the_list_shows_what_the_reader_may_see(app_factory: Any) -> None:
    app, _engine = app_factory(reference=True, planning_worker=False)
    with TestClient(app) as client:
        page = html.fromstring(client.get("/planning").text)
        names = page.xpath("//table[@id='studies']//td[1]/a/text()")
        assert any(n.startswith("Reference study") for n in names)
        assert page.xpath("//a[@href='/planning/new']") == []
        assert client.get("/planning/new", follow_redirects=False).status_code == 303


def test_the_study_page_speaks_the_readers_language(signed_in) -> None:  # type: ignore[no-untyped-def]
    client, _engine = signed_in
    location = client.post("/planning/new", data=form(client), follow_redirects=False).headers[
        "location"
    ]
    page = html.fromstring(client.get(location, headers={"Accept-Language": "nl"}).text)
    assert page.xpath("//h2[@id='progress-heading']/text()") == ["Voortgang"]
