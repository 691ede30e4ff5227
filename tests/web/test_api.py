"""The API shell: bearer tokens, error bodies, the OpenAPI document and offline docs."""

from __future__ import annotations

from fastapi import APIRouter
from fastapi.testclient import TestClient
from lxml import html
from sqlalchemy.orm import Session

from bedeco.audit.service import SYSTEM
from bedeco.runtime import unit_of_work
from bedeco.security import service as security
from bedeco.web.deps import DbSession, SignedIn
from tests.factories import PASSWORD, bearer, csrf_from, login, make_token, make_user


def test_bearer_token_authenticates_api_calls(client, app_and_engine) -> None:  # type: ignore[no-untyped-def]
    engine = app_and_engine[1]
    make_user(engine, "jan", nation="NLD", roles=("viewer",))
    me = client.get("/api/v1/me", headers=bearer(make_token(engine, "jan"))).json()
    assert me == {
        "name": "jan",
        "nation": "NLD",
        "clearance": "RESTRICTED",
        "roles": ["viewer"],
        "anonymous": False,
    }


def test_revoked_or_unknown_token_gets_401_with_error_body(client, app_and_engine) -> None:  # type: ignore[no-untyped-def]
    engine = app_and_engine[1]
    make_user(engine, "jan", nation="NLD")
    token = make_token(engine, "jan")
    with unit_of_work(engine) as session:
        record = security.list_tokens(session, name="jan")[0]
        security.revoke_token(session, SYSTEM, token_id=record.id)
    for value in (token, "bdc_unknown"):
        response = client.get("/api/v1/me", headers=bearer(value))
        assert response.status_code == 401
        assert response.json()["error"]["code"] == "not_authenticated"


def test_unknown_api_route_answers_json_404(client) -> None:  # type: ignore[no-untyped-def]
    response = client.get("/api/v1/nowhere")
    assert response.status_code == 404
    assert set(response.json()["error"]) == {"code", "message", "field"}


def test_invalid_query_gets_422_naming_the_field(client) -> None:  # type: ignore[no-untyped-def]
    response = client.get("/api/v1/nations?page=0")
    assert response.status_code == 422
    assert response.json()["error"]["field"] == "page"


def test_lists_are_paginated(client) -> None:  # type: ignore[no-untyped-def]
    body = client.get("/api/v1/nations?page=2&page_size=2").json()
    assert [n["code"] for n in body["items"]] == ["NLD"]
    assert (body["total"], body["page"], body["page_size"]) == (3, 2, 2)


def test_cookie_authenticated_api_writes_need_the_csrf_header(app_factory) -> None:  # type: ignore[no-untyped-def]
    app, engine = app_factory()
    probe = APIRouter()

    @probe.post("/api/v1/probe")
    def write(principal: SignedIn) -> dict[str, str]:
        return {"by": principal.name}

    app.include_router(probe)  # type: ignore[attr-defined]
    make_user(engine, "anna")
    with TestClient(app) as client:  # type: ignore[arg-type]
        login(client, "anna")
        assert client.post("/api/v1/probe").status_code == 403
        assert client.post("/api/v1/probe", headers={"X-CSRF-Token": "forged"}).status_code == 403
        token = csrf_from(client.get("/account").text)
        answer = client.post("/api/v1/probe", headers={"X-CSRF-Token": token})
        assert answer.status_code == 200 and answer.json() == {"by": "anna"}


def test_openapi_document_is_served_under_api_v1(client) -> None:  # type: ignore[no-untyped-def]
    document = client.get("/api/v1/openapi.json").json()
    assert document["info"]["title"] == "bedeco"
    assert "/api/v1/me" in document["paths"]


def test_api_docs_load_their_assets_from_this_server_only(client) -> None:  # type: ignore[no-untyped-def]
    page = client.get("/api/docs")
    assert page.status_code == 200
    tree = html.fromstring(page.text)
    sources = tree.xpath("//script/@src") + tree.xpath("//link/@href")
    assert sources and all(src.startswith("/") for src in sources), sources
    for src in sources:
        assert client.get(src).status_code == 200, src


def test_nations_are_listed_with_names_in_four_languages(client) -> None:  # type: ignore[no-untyped-def]
    body = client.get("/api/v1/nations").json()
    assert [n["code"] for n in body["items"]] == ["BEL", "LUX", "NLD"]
    assert body["items"][2]["names"]["fr"] == "Pays-Bas"
    assert body["total"] == 3


def test_a_write_is_committed_before_its_response_is_sent(app_factory) -> None:  # type: ignore[no-untyped-def]
    """A browser follows a 303 at once; the page it lands on must see the write."""
    app, engine = app_factory()
    probe = APIRouter()

    @probe.post("/api/v1/probe-write")
    def write(session: DbSession) -> dict[str, str]:
        security.add_user(
            session,
            SYSTEM,
            name="written",
            nation="BEL",
            clearance="RESTRICTED",
            roles=("viewer",),
            password=PASSWORD,
        )
        return {"done": "yes"}

    app.include_router(probe)  # type: ignore[attr-defined]
    seen_at_response_start: list[bool] = []

    async def watching(scope, receive, send):  # type: ignore[no-untyped-def]
        async def watched_send(message):  # type: ignore[no-untyped-def]
            if message["type"] == "http.response.start" and scope["path"].endswith("probe-write"):
                with Session(engine) as session:  # a plain reader, as the next request is
                    seen_at_response_start.append(
                        any(u.name == "written" for u in security.list_users(session))
                    )
            await send(message)

        await app(scope, receive, watched_send)  # type: ignore[operator]

    with TestClient(watching) as client:  # type: ignore[arg-type]
        assert client.post("/api/v1/probe-write").status_code == 200
    assert seen_at_response_start == [True]
