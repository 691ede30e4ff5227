"""Shared fixtures: engines on SQLite and PostgreSQL, per-test transactions, principals, apps, a browser.

Layered as engine -> session -> client. Service tests take ``session``, which
runs once on SQLite and once on PostgreSQL when a server answers (set
``BEDECO_TEST_POSTGRES_URL``, or one on 127.0.0.1:5432 with database ``test``).
"""

from __future__ import annotations

import os
import shutil
import socket
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from sqlalchemy import Engine, text
from sqlalchemy.orm import Session

from bedeco.config import Settings
from bedeco.db import make_engine
from bedeco.migrate import upgrade
from bedeco.security.logic import Classification, Nation, Principal, Role

pytest_plugins = ("tests.browser",)

DEFAULT_POSTGRES_URL = "postgresql+psycopg://postgres@127.0.0.1:5432/test"


def postgres_url() -> str | None:
    """The PostgreSQL URL for tests, or None when none is configured or answering."""
    url = os.environ.get("BEDECO_TEST_POSTGRES_URL")
    if url:
        return url
    try:
        with socket.create_connection(("127.0.0.1", 5432), timeout=0.5):
            return DEFAULT_POSTGRES_URL
    except OSError:
        return None


def _worker(request: pytest.FixtureRequest) -> str:
    return os.environ.get("PYTEST_XDIST_WORKER", "main")


@pytest.fixture(scope="session")
def sqlite_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A migrated, empty SQLite file that tests copy instead of migrating again."""
    path = tmp_path_factory.mktemp("template") / "template.sqlite3"
    engine = make_engine(f"sqlite:///{path}")
    upgrade(engine)
    engine.dispose()
    return path


@pytest.fixture(scope="session")
def sqlite_engine(
    sqlite_template: Path, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Engine]:
    path = tmp_path_factory.mktemp("sqlite") / "bedeco.sqlite3"
    shutil.copy(sqlite_template, path)
    engine = make_engine(f"sqlite:///{path}")
    yield engine
    engine.dispose()


@pytest.fixture(scope="session")
def postgres_engine(request: pytest.FixtureRequest) -> Iterator[Engine]:
    """A migrated schema of its own per test worker on the PostgreSQL server."""
    url = postgres_url()
    if url is None:
        if os.environ.get("BEDECO_REQUIRE_POSTGRES"):
            pytest.fail("BEDECO_REQUIRE_POSTGRES is set but no PostgreSQL answers")
        pytest.skip("no PostgreSQL server answers (set BEDECO_TEST_POSTGRES_URL)")
    schema = f"bedeco_test_{_worker(request)}_{os.getpid()}"  # concurrent runs never share
    admin = make_engine(url)
    with admin.begin() as connection:
        connection.execute(text(f'DROP SCHEMA IF EXISTS "{schema}" CASCADE'))
        connection.execute(text(f'CREATE SCHEMA "{schema}"'))
    admin.dispose()
    engine = make_engine(
        url, connect_args={"options": f"-csearch_path={schema}", "connect_timeout": 5}
    )
    upgrade(engine)
    yield engine
    engine.dispose()
    admin = make_engine(url)
    with admin.begin() as connection:
        connection.execute(text(f'DROP SCHEMA IF EXISTS "{schema}" CASCADE'))
    admin.dispose()


@pytest.fixture(
    params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)],
)
def engine(request: pytest.FixtureRequest) -> Engine:
    """The database engine, once per backend."""
    name = "sqlite_engine" if request.param == "sqlite" else "postgres_engine"
    return request.getfixturevalue(name)


@pytest.fixture
def session(engine: Engine) -> Iterator[Session]:
    """A session inside a transaction that is rolled back after the test."""
    connection = engine.connect()
    outer = connection.begin()
    db = Session(bind=connection, join_transaction_mode="create_savepoint", expire_on_commit=False)
    try:
        yield db
    finally:
        db.close()
        outer.rollback()
        connection.close()


PrincipalFactory = Callable[..., Principal]


@pytest.fixture
def principal() -> PrincipalFactory:
    """Build a principal: ``principal(nation="BEL", clearance="RESTRICTED", roles=("viewer",))``."""

    def build(
        nation: str = "BEL",
        clearance: str = "RESTRICTED",
        roles: tuple[str, ...] | list[str] = ("viewer", "contributor"),
        name: str | None = None,
        user_id: int = 1,
    ) -> Principal:
        return Principal(
            user_id=user_id,
            name=name or f"{nation.lower()}-{'-'.join(sorted(roles))}",
            nation=Nation(nation),
            clearance=Classification(clearance),
            roles=frozenset(Role(r) for r in roles),
        )

    return build


@pytest.fixture
def settings(tmp_path: Path) -> Settings:
    """Settings for one test app: its own var folder and a fixed secret."""
    return Settings(var_dir=tmp_path / "var", secret_key="test-secret-key-" + "x" * 32)


AppFactory = Callable[..., tuple[object, Engine]]


@pytest.fixture
def app_factory(sqlite_template: Path, tmp_path: Path, settings: Settings) -> Iterator[AppFactory]:
    """Build an app on a fresh copy of the migrated SQLite template (``reference=True`` loads data)."""
    from bedeco.web.app import create_app

    engines: list[Engine] = []

    def build(reference: bool = False, **overrides: object) -> tuple[object, Engine]:
        path = tmp_path / f"app{len(engines)}.sqlite3"
        shutil.copy(sqlite_template, path)
        engine = make_engine(f"sqlite:///{path}")
        engines.append(engine)
        if reference:
            from bedeco.reference import load_all
            from bedeco.runtime import unit_of_work

            with unit_of_work(engine) as db:
                for _line in load_all(db):
                    pass
        app_settings = settings.model_copy(update=overrides) if overrides else settings
        return create_app(app_settings, engine), engine

    yield build
    for engine in engines:
        engine.dispose()


@pytest.fixture
def app_and_engine(app_factory: AppFactory) -> tuple[object, Engine]:
    return app_factory()


@pytest.fixture
def client(app_and_engine: tuple[object, Engine]) -> Iterator[object]:
    from fastapi.testclient import TestClient

    app, _engine = app_and_engine
    with TestClient(app) as test_client:  # type: ignore[arg-type]
        yield test_client
