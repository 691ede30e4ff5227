"""Contracts every capability keeps, checked over the app's whole route table.

- a write through the API needs a signed-in principal: the anonymous public
  never gets a 2xx from POST, PUT, PATCH or DELETE;
- every page and list without path parameters answers with a bounded number
  of SQL statements (no N+1 queries), signed in or not.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import event

from tests.factories import login, make_user
from tests.routes import app_routes

MAX_QUERIES_PER_PAGE = 40
SKIP_PATHS = {"/logout", "/login"}


@pytest.fixture
def reference_app(app_factory: Any) -> Iterator[tuple[Any, Any]]:
    app, engine = app_factory(reference=True)
    yield app, engine


def test_anonymous_writes_through_the_api_are_refused(reference_app: tuple[Any, Any]) -> None:
    app, _engine = reference_app
    checked = 0
    with TestClient(app) as client:
        for route in app_routes(app):
            if not route.path.startswith("/api/"):
                continue
            for method in route.methods & {"POST", "PUT", "PATCH", "DELETE"}:
                response = client.request(method, route.filled(), json={})
                assert response.status_code >= 400, (method, route.path, response.status_code)
                assert response.status_code < 500, (method, route.path, response.text[:300])
                checked += 1
    assert checked > 0, "no API write route found: the capabilities are not mounted"


class QueryCounter:
    def __init__(self) -> None:
        self.count = 0

    def __call__(self, *_args: Any, **_kwargs: Any) -> None:
        self.count += 1


@pytest.mark.parametrize("signed_in", [False, True])
def test_pages_and_lists_stay_under_a_query_budget(
    reference_app: tuple[Any, Any], signed_in: bool
) -> None:
    app, engine = reference_app
    make_user(engine, "counter", roles=("viewer", "contributor", "coordinator"))
    counter = QueryCounter()
    event.listen(engine, "before_cursor_execute", counter)
    over: list[str] = []
    try:
        with TestClient(app) as client:
            if signed_in:
                login(client, "counter")
            for route in app_routes(app):
                if "GET" not in route.methods or route.params or route.path in SKIP_PATHS:
                    continue
                counter.count = 0
                response = client.get(route.path, follow_redirects=False)
                assert response.status_code < 500, (route.path, response.text[:300])
                if counter.count > MAX_QUERIES_PER_PAGE:
                    over.append(f"{route.path}: {counter.count} queries")
    finally:
        event.remove(engine, "before_cursor_execute", counter)
    assert over == []
