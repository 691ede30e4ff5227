"""The exchange API through the app: drafting, circulating, answering, stale edits, errors."""

from __future__ import annotations

from typing import Any

from fastapi.testclient import TestClient

from tests.factories import bearer, make_token, make_user

NOTICE: dict[str, Any] = {
    "operation": "EU Battlegroup standby",
    "framework": "EU",
    "area": "Sahel",
    "period_start": "2027-01-01",
    "period_end": "2027-06-30",
    "answer_by": "2026-12-15",
    "contact": "J5 Benelux desk",
    "text": "Illustrative notice.",
    "classification": "RESTRICTED",
    "releasable_to": ["BEL", "NLD", "LUX"],
    "lines": [
        {"category": "land", "quantity": 150, "start_on": "2027-01-01", "end_on": "2027-06-30"}
    ],
}


def clients(app_factory: Any) -> tuple[TestClient, dict[str, dict[str, str]]]:
    app, engine = app_factory()
    headers = {}
    for name, nation, roles in (
        ("bel", "BEL", ("viewer", "contributor")),
        ("nld", "NLD", ("viewer", "contributor")),
        ("lux", "LUX", ("viewer", "contributor")),
        ("admin", "BEL", ("admin",)),
    ):
        make_user(engine, name, nation=nation, roles=roles)
        headers[name] = bearer(make_token(engine, name))
    return TestClient(app), headers


def test_a_notice_is_drafted_circulated_and_answered_by_two_nations(app_factory: Any) -> None:
    client, h = clients(app_factory)
    created = client.post("/api/v1/notices", json=NOTICE, headers=h["bel"])
    assert created.status_code == 201, created.text
    notice = created.json()
    assert notice["status"] == "draft" and notice["version"] == 1
    assert client.get(f"/api/v1/notices/{notice['id']}", headers=h["nld"]).status_code == 404
    done = client.post(
        f"/api/v1/notices/{notice['id']}/circulate", json={"version": 1}, headers=h["bel"]
    )
    assert done.json()["status"] == "circulated"
    for who, kind in (("nld", "considering"), ("lux", "not_contributing")):
        answer = client.post(
            f"/api/v1/notices/{notice['id']}/answers", json={"kind": kind}, headers=h[who]
        )
        assert answer.status_code == 201, answer.text
    detail = client.get(f"/api/v1/notices/{notice['id']}", headers=h["lux"]).json()
    assert {s["nation"]: s["kind"] for s in detail["answer_states"]} == {
        "LUX": "not_contributing",
        "NLD": "considering",
    }
    listed = client.get("/api/v1/notices", headers=h["nld"]).json()
    assert listed["total"] == 1 and set(listed) == {"items", "total", "page", "page_size"}


def test_a_stale_edit_answers_409_and_the_first_edit_stays(app_factory: Any) -> None:
    client, h = clients(app_factory)
    notice = client.post("/api/v1/notices", json=NOTICE, headers=h["bel"]).json()
    first = client.put(
        f"/api/v1/notices/{notice['id']}",
        json={**NOTICE, "area": "Baltic", "version": 1},
        headers=h["bel"],
    )
    assert first.status_code == 200
    stale = client.put(
        f"/api/v1/notices/{notice['id']}",
        json={**NOTICE, "area": "Arctic", "version": 1},
        headers=h["bel"],
    )
    assert stale.status_code == 409
    assert stale.json()["error"]["code"] == "stale_version"
    assert stale.json()["error"]["field"] == "version"
    assert (
        client.get(f"/api/v1/notices/{notice['id']}", headers=h["bel"]).json()["area"] == "Baltic"
    )


def test_invalid_notice_names_the_field(app_factory: Any) -> None:
    client, h = clients(app_factory)
    wrong = client.post(
        "/api/v1/notices", json={**NOTICE, "period_end": "2026-01-01"}, headers=h["bel"]
    )
    assert wrong.status_code == 422
    assert wrong.json()["error"]["field"] in {"period_end", "answer_by"}
    excluded = client.post(
        "/api/v1/notices", json={**NOTICE, "releasable_to": ["NLD"]}, headers=h["bel"]
    )
    assert excluded.json()["error"]["field"] == "releasable_to"
    above = client.post(
        "/api/v1/notices", json={**NOTICE, "classification": "CONFIDENTIAL"}, headers=h["bel"]
    )
    assert above.json()["error"]["code"] == "classification_above_deployment"


def test_the_api_needs_a_principal(app_factory: Any) -> None:
    client, _h = clients(app_factory)
    assert client.get("/api/v1/notices").status_code == 401
    assert client.get("/api/v1/exchange/inbox").status_code == 401


def test_feed_tokens_are_issued_once_and_revocable(app_factory: Any) -> None:
    client, h = clients(app_factory)
    issued = client.post("/api/v1/exchange/feed-tokens", headers=h["nld"]).json()
    assert issued["token"].startswith("bdf_")
    feed = client.get("/exchange/feed.atom", params={"token": issued["token"]})
    assert feed.status_code == 200 and feed.headers["content-type"].startswith(
        "application/atom+xml"
    )
    listed = client.get("/api/v1/exchange/feed-tokens", headers=h["nld"]).json()
    assert "token" not in listed[0]
    assert (
        client.delete(f"/api/v1/exchange/feed-tokens/{issued['id']}", headers=h["nld"]).status_code
        == 204
    )
    assert client.get("/exchange/feed.atom", params={"token": issued["token"]}).status_code == 404


def test_only_a_coordinator_of_the_nation_or_an_admin_sets_a_webhook(app_factory: Any) -> None:
    client, h = clients(app_factory)
    body = {"url": "http://127.0.0.1:9/hook", "secret": "s" * 32}
    assert (
        client.put("/api/v1/exchange/webhooks/NLD", json=body, headers=h["nld"]).status_code == 403
    )
    done = client.put("/api/v1/exchange/webhooks/NLD", json=body, headers=h["admin"])
    assert done.status_code == 200 and done.json()["clearance"] == "CONFIDENTIAL"
    assert "secret" not in done.json()
    bad = client.put(
        "/api/v1/exchange/webhooks/NLD", json={**body, "url": "ftp://x"}, headers=h["admin"]
    )
    assert bad.json()["error"]["field"] == "url"


def test_circulating_never_waits_for_a_webhook_the_worker_posts_later(app_factory: Any) -> None:
    from sqlalchemy import select

    from bedeco.exchange.model import ExchangeDelivery
    from bedeco.runtime import unit_of_work

    app, engine = app_factory()
    make_user(engine, "admin", nation="BEL", roles=("admin",))
    make_user(engine, "bel", nation="BEL")
    client = TestClient(app)
    admin, bel = bearer(make_token(engine, "admin")), bearer(make_token(engine, "bel"))
    hook = {"url": "http://127.0.0.1:9/closed-port", "secret": "s" * 32}
    assert client.put("/api/v1/exchange/webhooks/NLD", json=hook, headers=admin).status_code == 200
    notice = client.post("/api/v1/notices", json=NOTICE, headers=bel).json()
    done = client.post(
        f"/api/v1/notices/{notice['id']}/circulate", json={"version": 1}, headers=bel
    )
    assert done.status_code == 200
    with unit_of_work(engine) as session:
        queued = session.scalars(select(ExchangeDelivery)).all()
        assert [(d.nation, d.status, d.attempts) for d in queued] == [("NLD", "pending", 0)]


def test_a_bearer_read_still_notes_the_tokens_last_use(
    app_factory: Any,
) -> None:
    from bedeco.runtime import unit_of_work
    from bedeco.security import service as security

    app, engine = app_factory()
    make_user(engine, "bel", nation="BEL")
    token = make_token(engine, "bel")
    client = TestClient(app)
    assert client.get("/api/v1/notices", headers=bearer(token)).status_code == 200
    with unit_of_work(engine) as session:
        stored = security.list_tokens(session, name="bel")
        assert stored[0].last_used_at is not None
