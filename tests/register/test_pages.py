"""The register's pages, parsed with lxml."""

from __future__ import annotations

from typing import Any

from fastapi.testclient import TestClient
from lxml import html

from tests.factories import csrf_from, login, make_user


def tree(response: Any) -> Any:
    assert response.status_code in (200, 409, 422), response.text[:300]
    return html.fromstring(response.text)


def signed_in(app_factory: Any, roles: tuple[str, ...]) -> TestClient:
    app, engine = app_factory(reference=True)
    make_user(engine, "someone", roles=roles)
    client = TestClient(app)
    login(client, "someone")
    return client


def test_the_commitment_list_filters_by_domain_and_searches(app_factory: Any) -> None:
    app, _ = app_factory(reference=True)
    client = TestClient(app)
    rows = tree(client.get("/commitments")).xpath("//table[@id='commitments']/tbody/tr")
    assert len(rows) == 16
    cyber = tree(client.get("/commitments", params={"domain": "cyber"}))
    keys = [t.strip() for t in cyber.xpath("//table[@id='commitments']/tbody/tr/td[1]/text()")]
    assert keys == ["be-chamber-56-0367/request-04"]
    found = tree(client.get("/commitments", params={"q": "bataillon"}))
    assert [t.strip() for t in found.xpath("//table[@id='commitments']/tbody/tr/td[1]/text()")] == [
        "be-chamber-56-0367/request-10"
    ]


def test_the_public_sees_no_change_form(app_factory: Any) -> None:
    app, _ = app_factory(reference=True)
    page = tree(TestClient(app).get("/commitments/1"))
    assert page.xpath("//form[contains(@action, '/status')]") == []
    assert page.xpath("//ol[contains(@class, 'history')]/li")


def test_an_illegal_change_is_shown_next_to_the_status_field(app_factory: Any) -> None:
    client = signed_in(app_factory, ("viewer", "contributor", "coordinator"))
    form = client.get("/commitments/1")
    page = tree(
        client.post(
            "/commitments/1/status",
            data={"csrf_token": csrf_from(form.text), "version": "1", "status": "implemented"},
        )
    )
    errors = page.xpath("//p[@id='status-error']/text()")
    assert errors and "can only become" in errors[0]


def test_a_change_without_the_csrf_token_is_refused(app_factory: Any) -> None:
    client = signed_in(app_factory, ("viewer", "contributor"))
    answer = client.post("/commitments/1/status", data={"status": "under_study", "version": "1"})
    assert answer.status_code == 403


def test_a_new_commitment_form_names_the_missing_title(app_factory: Any) -> None:
    client = signed_in(app_factory, ("viewer", "contributor"))
    form = client.get("/commitment-new")
    page = tree(
        client.post(
            "/commitment-new",
            data={"csrf_token": csrf_from(form.text), "releasable_to": ["BEL"]},
        )
    )
    assert page.xpath("//p[@id='title-error']")
    created = client.post(
        "/commitment-new",
        data={
            "csrf_token": csrf_from(form.text),
            "title_en": "Joint cyber range",
            "domains": ["cyber"],
            "releasable_to": ["BEL", "NLD"],
        },
        follow_redirects=False,
    )
    assert created.status_code == 303
    detail = tree(client.get(created.headers["location"]))
    assert "Joint cyber range" in detail.xpath("string(//p[@class='lead'])")


def test_instruments_page_draws_the_citation_graph_with_title_and_description(
    app_factory: Any,
) -> None:
    app, _ = app_factory(reference=True)
    page = tree(TestClient(app).get("/instruments"))
    svg = page.xpath("//svg")[0]
    assert svg.xpath("./title") and svg.xpath("./desc")
    assert len(svg.xpath(".//g[@class='node']")) == 14
    assert len(svg.xpath(".//line")) >= 14
    assert page.xpath("//tr[@id='ans-878-2']//a[@href='#rec-878-1']")


def test_progress_page_shows_the_chart_and_the_same_figures_as_a_table(app_factory: Any) -> None:
    app, _ = app_factory(reference=True)
    page = tree(TestClient(app).get("/progress", params={"instrument": "be-chamber-56-0367"}))
    bars = page.xpath("//svg[@id='status-chart']/rect")
    assert [(b.get("data-status"), b.get("data-count")) for b in bars] == [("proposed", "16")]
    assert (
        page.xpath("string(//table[@id='status-table']//tr[@data-status='proposed']/td[2])") == "16"
    )


def test_initiatives_show_maturity_and_are_labelled_illustrative(app_factory: Any) -> None:
    app, _ = app_factory(reference=True)
    client = TestClient(app)
    page = tree(client.get("/initiatives", params={"maturity": "5"}))
    names = page.xpath("//table[@id='initiatives']/tbody/tr/td[1]/a/text()")
    assert names == ["BeNeSam and Admiral Benelux"]
    assert page.xpath("//span[@class='badge']")
    assert page.xpath("//p[@class='illustrative']")


def test_instruments_show_the_recitals_of_the_seed_that_cite_them(app_factory: Any) -> None:
    app, _ = app_factory(reference=True)
    client = TestClient(app)
    page = tree(client.get("/instruments"))
    assert page.xpath("string(//tr[@id='rec-936-2']/td[@class='cited-in'])").startswith(
        "recital A (be-chamber-56-0367)"
    )
    body = client.get("/api/v1/instruments").json()
    decl = next(i for i in body["items"] if i["key"] == "benelux-decl-2012")
    assert {(c["kind"], c["label"]) for c in decl["cited_in"]} == {
        ("recital", "B"),
        ("recital", "O"),
        ("recital", "Q"),
        ("recital", "R"),
        ("request", "1"),
    }


def test_pages_speak_the_readers_language(app_factory: Any) -> None:
    app, _ = app_factory(reference=True)
    page = tree(TestClient(app).get("/commitments", headers={"Accept-Language": "nl"}))
    assert page.xpath("string(//h1)") == "Verbintenissen"
    first = page.xpath("string(//table[@id='commitments']/tbody/tr[1]/td[2]/a)")
    assert first.startswith("onverwijld werk te maken")


def test_editing_with_a_stale_version_keeps_the_input_and_says_why(app_factory: Any) -> None:
    client = signed_in(app_factory, ("viewer", "contributor"))
    form = tree(client.get("/commitments/3/edit"))
    version = form.xpath("string(//input[@name='version']/@value)")
    token = form.xpath("string(//input[@name='csrf_token']/@value)")
    fields = {"csrf_token": token, "version": version, "title_nl": "eerste versie",
              "domains": ["military-tasks"], "target_on": "2027-06-30"}  # fmt: skip
    saved = client.post("/commitments/3/edit", data=fields, follow_redirects=False)
    assert saved.status_code == 303
    stale = client.post("/commitments/3/edit", data={**fields, "title_nl": "tweede versie"})
    assert stale.status_code == 409
    page = tree(stale)
    assert page.xpath("string(//input[@name='title_nl']/@value)") == "tweede versie"
    assert page.xpath("//p[@id='version-error']")
    detail = tree(client.get("/commitments/3"))
    assert "2027-06-30" in detail.xpath("string(//dl[@class='facts'])")


def test_a_coordinator_changes_the_marking_on_the_edit_page(app_factory: Any) -> None:
    app, engine = app_factory(reference=True)
    make_user(engine, "co", roles=("viewer", "contributor", "coordinator"))
    client = TestClient(app)
    login(client, "co")
    form = tree(client.get("/commitments/3/edit"))
    assert form.xpath("string(//select[@name='classification']/option[@selected]/@value)") == (
        "PUBLIC"
    )
    fields = {
        "csrf_token": form.xpath("string(//input[@name='csrf_token']/@value)"),
        "version": form.xpath("string(//input[@name='version']/@value)"),
        "title_nl": form.xpath("string(//input[@name='title_nl']/@value)"),
        "title_fr": form.xpath("string(//input[@name='title_fr']/@value)"),
        "domains": form.xpath("//input[@name='domains'][@checked]/@value"),
        "classification": "RESTRICTED",
        "releasable_to": ["BEL", "NLD"],
    }
    saved = client.post("/commitments/3/edit", data=fields, follow_redirects=False)
    assert saved.status_code == 303, saved.text[:400]
    detail = tree(client.get("/commitments/3"))
    assert "RESTRICTED" in detail.text_content()
    assert TestClient(app).get("/commitments/3").status_code == 404, "no longer public"


def test_a_contributor_sees_no_marking_fields_and_cannot_send_them(app_factory: Any) -> None:
    client = signed_in(app_factory, ("viewer", "contributor"))
    form = tree(client.get("/commitments/3/edit"))
    assert not form.xpath("//select[@name='classification']")
    fields = {
        "csrf_token": form.xpath("string(//input[@name='csrf_token']/@value)"),
        "version": form.xpath("string(//input[@name='version']/@value)"),
        "title_nl": form.xpath("string(//input[@name='title_nl']/@value)"),
        "classification": "RESTRICTED",
        "releasable_to": ["BEL"],
    }
    refused = client.post("/commitments/3/edit", data=fields, follow_redirects=False)
    assert refused.status_code == 403
    assert TestClient(client.app).get("/commitments/3").status_code == 200, "still public"


def _initiative_fields(form: Any) -> dict[str, Any]:
    return {
        "csrf_token": form.xpath("string(//input[@name='csrf_token']/@value)"),
        "version": form.xpath("string(//input[@name='version']/@value)"),
        "name_en": form.xpath("string(//input[@name='name_en']/@value)"),
        "name_nl": form.xpath("string(//input[@name='name_nl']/@value)"),
        "name_fr": form.xpath("string(//input[@name='name_fr']/@value)"),
        "description_en": form.xpath("string(//textarea[@name='description_en'])"),
        "nations": form.xpath("//input[@name='nations'][@checked]/@value"),
        "domains": form.xpath("//input[@name='domains'][@checked]/@value"),
        "commitments": form.xpath("string(//textarea[@name='commitments'])"),
    }


def test_a_contributor_edits_an_initiatives_fields_and_the_history_says_so(
    app_factory: Any,
) -> None:
    client = signed_in(app_factory, ("viewer", "contributor"))
    detail = tree(client.get("/initiatives/1"))
    assert detail.xpath("//a[@href='/initiatives/1/edit']")
    fields = _initiative_fields(tree(client.get("/initiatives/1/edit")))
    fields["commitments"] += "\nbe-chamber-56-0367/request-04"
    fields["comment"] = "linked to the cyber request"
    saved = client.post("/initiatives/1/edit", data=fields, follow_redirects=False)
    assert saved.status_code == 303, saved.text[:400]
    after = tree(client.get("/initiatives/1"))
    assert "be-chamber-56-0367/request-04" in after.xpath("string(//dl[@class='facts'])")
    latest = after.xpath("string(//ol[@class='history']/li[last()])")
    assert "commitments" in latest and "linked to the cyber request" in latest


def test_an_unknown_commitment_key_is_named_next_to_its_field(app_factory: Any) -> None:
    client = signed_in(app_factory, ("viewer", "contributor"))
    fields = _initiative_fields(tree(client.get("/initiatives/1/edit")))
    fields["commitments"] = "no/such-key"
    page = tree(client.post("/initiatives/1/edit", data=fields))
    assert "no/such-key" in page.xpath("string(//p[@id='commitments-error'])")
    assert page.xpath("string(//textarea[@name='commitments'])") == "no/such-key"
    stale = client.post("/initiatives/1/edit", data={**fields, "commitments": "", "version": "0"})
    assert stale.status_code == 409 and tree(stale).xpath("//p[@id='version-error']")


def test_the_public_cannot_edit_an_initiative(app_factory: Any) -> None:
    app, _ = app_factory(reference=True)
    client = TestClient(app)
    assert not tree(client.get("/initiatives/1")).xpath("//a[@href='/initiatives/1/edit']")
    answer = client.get("/initiatives/1/edit", follow_redirects=False)
    assert answer.status_code == 303 and answer.headers["location"].startswith("/login")


def test_a_form_error_is_shown_in_the_readers_language(app_factory: Any) -> None:
    client = signed_in(app_factory, ("viewer", "contributor"))
    client.cookies.set("bedeco_lang", "nl")
    form = tree(client.get("/commitments/3/edit"))
    fields = {
        "csrf_token": form.xpath("string(//input[@name='csrf_token']/@value)"),
        "version": form.xpath("string(//input[@name='version']/@value)"),
        "title_nl": "een titel",
        "target_on": "30/06/2027",
    }
    refused = tree(client.post("/commitments/3/edit", data=fields))
    assert refused.xpath("string(//p[@id='target_on-error'])") == "Geef een datum als JJJJ-MM-DD."
    wrong_move = tree(
        client.post(
            "/commitments/3/status",
            data={
                "csrf_token": fields["csrf_token"],
                "version": form.xpath("string(//input[@name='version']/@value)"),
                "status": "implemented",
            },
        )
    )
    message = wrong_move.xpath("string(//p[@class='field-error'])")
    assert message.startswith("een verbintenis die proposed is, kan alleen worden:"), message
