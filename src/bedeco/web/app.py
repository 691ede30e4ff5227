"""The FastAPI app factory: storage, sessions, languages, errors, and every capability's routes."""

from __future__ import annotations

import logging
from pathlib import Path

from fastapi import FastAPI
from fastapi.staticfiles import StaticFiles
from fastapi_offline import FastAPIOffline
from sqlalchemy import Engine, event
from starlette.datastructures import Headers, MutableHeaders
from starlette.middleware.sessions import SessionMiddleware
from starlette.types import ASGIApp, Message, Receive, Scope, Send

import bedeco
from bedeco.capabilities import role_modules
from bedeco.config import Settings, get_settings
from bedeco.db import make_engine, make_sessionmaker
from bedeco.i18n import negotiate
from bedeco.web import api as shell_api
from bedeco.web import pages as shell_pages
from bedeco.web.errors import install_error_handlers

STATIC = Path(__file__).parent / "static"
LANG_COOKIE = "bedeco_lang"
CSP = (
    "default-src 'self'; img-src 'self' data:; style-src 'self' 'unsafe-inline'; "
    "script-src 'self'; frame-ancestors 'none'; form-action 'self'; base-uri 'self'"
)
DOCS_CSP = CSP.replace("script-src 'self'", "script-src 'self' 'unsafe-inline'")


def _writer_engine(engine: Engine) -> Engine:
    """The same pool, but SQLite transactions start with BEGIN IMMEDIATE (no upgrade deadlocks)."""
    if engine.dialect.name != "sqlite":
        return engine
    writer = engine.execution_options(bedeco_immediate=True)
    return writer


def _install_sqlite_begin(engine: Engine) -> None:
    """Take over BEGIN from pysqlite so writers can ask for IMMEDIATE (SQLAlchemy's recipe)."""
    if engine.dialect.name != "sqlite" or getattr(engine, "_bedeco_begin", False):
        return

    @event.listens_for(engine, "connect")
    def _no_autobegin(dbapi_connection, _record):  # type: ignore[no-untyped-def]
        dbapi_connection.isolation_level = None

    @event.listens_for(engine, "begin")
    def _begin(connection):  # type: ignore[no-untyped-def]
        immediate = connection.get_execution_options().get("bedeco_immediate")
        connection.exec_driver_sql("BEGIN IMMEDIATE" if immediate else "BEGIN")

    engine._bedeco_begin = True  # type: ignore[attr-defined]


class LanguageAndHeaders:
    """Pure ASGI middleware: the reader's language on ``request.state``, security headers,
    and HEAD answered as GET without the body (link checkers and feed readers send HEAD).

    Plain ASGI rather than ``@app.middleware("http")`` because the latter
    wraps every request in extra tasks and streams, measurably slower under load.
    """

    def __init__(self, app: ASGIApp, settings: Settings) -> None:
        self.app = app
        self.settings = settings

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        headers = Headers(scope=scope)
        chosen = _cookie(headers.get("cookie", ""), LANG_COOKIE)
        if chosen not in self.settings.languages:
            chosen = negotiate(
                headers.get("accept-language"),
                self.settings.languages,
                self.settings.default_language,
            )
        scope.setdefault("state", {})["lang"] = chosen
        policy = DOCS_CSP if scope["path"] == "/api/docs" else CSP
        head = scope.get("method") == "HEAD"
        if head:
            scope = dict(scope, method="GET")

        async def send_with_headers(message: Message) -> None:
            if head and message["type"] == "http.response.body":
                message = dict(message, body=b"")
            if message["type"] == "http.response.start":
                response_headers = MutableHeaders(scope=message)
                state = scope.get("state", {})
                response_headers.setdefault("Content-Language", state.get("lang", chosen))
                response_headers.setdefault("X-Content-Type-Options", "nosniff")
                response_headers.setdefault("Referrer-Policy", "same-origin")
                response_headers.setdefault("Content-Security-Policy", policy)
            await send(message)

        await self.app(scope, receive, send_with_headers)


def _cookie(header: str, name: str) -> str | None:
    for part in header.split(";"):
        key, _, value = part.strip().partition("=")
        if key == name:
            return value
    return None


def create_app(settings: Settings | None = None, engine: Engine | None = None) -> FastAPI:
    """Build the whole platform; nothing is connected until this is called."""
    settings = settings or get_settings()
    engine = engine or make_engine(settings.resolved_database_url())
    _install_sqlite_begin(engine)

    app = FastAPIOffline(
        title="bedeco",
        version=bedeco.__version__,
        description="The working platform of Benelux defence cooperation.",
        docs_url="/api/docs",
        redoc_url=None,
        openapi_url="/api/v1/openapi.json",
        static_url="/api/docs-static",
    )
    app.state.settings = settings
    app.state.engine = engine
    app.state.read_sessions = make_sessionmaker(engine)
    app.state.write_sessions = make_sessionmaker(_writer_engine(engine))
    app.state.logger = logging.getLogger("bedeco.web")

    app.add_middleware(LanguageAndHeaders, settings=settings)
    app.add_middleware(
        SessionMiddleware,
        secret_key=settings.resolved_secret_key(),
        session_cookie="bedeco_session",
        max_age=settings.session_max_age_seconds,
        same_site="lax",
        https_only=False,
    )
    install_error_handlers(app)
    app.mount("/static", StaticFiles(directory=STATIC), name="static")
    app.include_router(shell_api.router, prefix="/api/v1")
    for _name, module in role_modules("api"):
        app.include_router(module.router, prefix="/api/v1")
    for _name, module in role_modules("pages"):
        app.include_router(module.router)
    app.include_router(shell_pages.router)
    return app
