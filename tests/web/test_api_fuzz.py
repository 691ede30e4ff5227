"""Every API route fuzzed through its OpenAPI schema: no input may produce a server error.

The app carries the reference data; requests go once as a coordinator with a
bearer token (so write routes are reached) and once as the anonymous public.
Every 4xx answer must have the documented error body.
"""

from __future__ import annotations

import shutil
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import schemathesis
from hypothesis import HealthCheck, settings

from bedeco.config import Settings
from bedeco.db import make_engine
from bedeco.migrate import upgrade
from bedeco.reference import load_all
from bedeco.runtime import unit_of_work
from bedeco.web.app import create_app
from tests.factories import bearer, make_token, make_user

pytestmark = pytest.mark.slow

# The schema is read when the module is collected, so the app is built here, on
# an empty database that the fixture below migrates before the first request.
FOLDER = Path(tempfile.mkdtemp(prefix="bedeco-fuzz-"))
ENGINE = make_engine(f"sqlite:///{FOLDER / 'fuzz.sqlite3'}")
APP = create_app(Settings(var_dir=FOLDER / "var", secret_key="fuzz-" + "z" * 40), ENGINE)
schema = schemathesis.openapi.from_asgi("/api/v1/openapi.json", APP)
TOKEN: dict[str, str] = {}


@pytest.fixture(scope="module", autouse=True)
def prepared_database() -> Iterator[None]:
    upgrade(ENGINE)
    with unit_of_work(ENGINE) as session:
        for _line in load_all(session):
            pass
    make_user(ENGINE, "fuzz-coordinator", roles=("viewer", "contributor", "coordinator"))
    TOKEN["value"] = make_token(ENGINE, "fuzz-coordinator")
    yield
    ENGINE.dispose()
    shutil.rmtree(FOLDER, ignore_errors=True)


def check_error_body(response: Any) -> None:
    content_type = response.headers.get("content-type", [""])
    content_type = content_type[0] if isinstance(content_type, list) else content_type
    if 400 <= response.status_code < 500 and content_type.startswith("application/json"):
        body = response.json()
        assert set(body) == {"error"}, body
        assert {"code", "message", "field"} <= set(body["error"]), body


@schema.parametrize()
@settings(max_examples=12, deadline=None, suppress_health_check=list(HealthCheck))
def test_api_never_answers_a_server_error(case: Any) -> None:
    for headers in (bearer(TOKEN["value"]), {}):
        response = case.call(headers=headers)
        assert response.status_code < 500, (case.method, case.formatted_path, response.text[:500])
        check_error_body(response)
