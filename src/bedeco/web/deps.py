"""Request dependencies: the unit of work, the principal, CSRF checks and paging.

A request owns its transaction: ``db_session`` commits when the route
returns, before the response is sent, and rolls back when it raises, so a
change and its audit event land together or not at all.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import timedelta
from typing import Annotated

from fastapi import Depends, Path, Query, Request
from sqlalchemy.exc import OperationalError
from sqlalchemy.orm import Session

from bedeco.errors import NotAuthenticated, NotPermitted
from bedeco.i18n import N_
from bedeco.security import service as security
from bedeco.security.logic import ANONYMOUS, Principal, Role
from bedeco.web.csrf import HEADER, check_csrf

UNSAFE_METHODS = {"POST", "PUT", "PATCH", "DELETE"}
TOUCH_INTERVAL = timedelta(minutes=1)
"""How often a read notes a bearer token's last use."""
MAX_ID = 2**63 - 1

RecordId = Annotated[int, Path(ge=1, le=MAX_ID, description="record id")]
"""A path id bounded to what both databases store, so a huge number is a 422, not a crash."""


def db_session(request: Request) -> Iterator[Session]:
    """One session per request; writes use the writer factory (BEGIN IMMEDIATE on SQLite)."""
    factory = (
        request.app.state.write_sessions
        if request.method in UNSAFE_METHODS
        else request.app.state.read_sessions
    )
    session: Session = factory()
    try:
        yield session
        session.commit()
    except BaseException:
        session.rollback()
        raise
    finally:
        session.close()


DbSession = Annotated[Session, Depends(db_session, scope="function")]
"""``scope="function"`` commits before the response leaves: a client that follows
a 303 after a write must read what it wrote, not the state before the commit."""


def resolve_principal(request: Request, session: DbSession) -> Principal:
    """Who is asking: a bearer token, else the signed session cookie, else the public."""
    principal = ANONYMOUS
    authorization = request.headers.get("authorization", "")
    if authorization.lower().startswith("bearer "):
        token = authorization[7:].strip()
        writing = request.method in UNSAFE_METHODS
        user = security.user_for_token(session, token, touch=writing)
        if user is None:
            raise NotAuthenticated("the bearer token is unknown or revoked")
        if not writing and security.token_needs_touch(session, token, TOUCH_INTERVAL):
            _touch_token(request, token)
        principal = security.principal_for(user)
        request.state.auth = "token"
    elif "session" in request.scope and request.session.get("user_id"):
        user = security.get_active_user(session, int(request.session["user_id"]))
        if user is None:
            request.session.pop("user_id", None)
        else:
            principal = security.principal_for(user)
            request.state.auth = "cookie"
            if request.url.path.startswith("/api/") and request.method in UNSAFE_METHODS:
                check_csrf(request, request.headers.get(HEADER))
    request.state.principal = principal
    return principal


def _touch_token(request: Request, token: str) -> None:
    """Note a token's use from a read in a short write of its own, at most once a minute.

    A read transaction on SQLite that turns into a write fails with "database
    is locked" as soon as another writer committed meanwhile; so reads never
    write in their own transaction. Failing to note the use never fails the read.
    """
    writer: Session = request.app.state.write_sessions()
    try:
        security.touch_token(writer, token)
        writer.commit()
    except OperationalError:
        writer.rollback()
    finally:
        writer.close()


CurrentPrincipal = Annotated[Principal, Depends(resolve_principal)]


def require_principal(principal: CurrentPrincipal) -> Principal:
    """The signed-in principal; the anonymous public gets 401."""
    if principal.is_anonymous:
        raise NotAuthenticated(N_("Sign in first."))
    return principal


SignedIn = Annotated[Principal, Depends(require_principal)]


def require_admin(principal: SignedIn) -> Principal:
    if not principal.has_role(Role.ADMIN):
        raise NotPermitted("only an admin may do this")
    return principal


class Paging:
    """``page`` and ``page_size`` query parameters, bounded."""

    def __init__(
        self,
        page: Annotated[int, Query(ge=1, le=100_000, description="1-based page number")] = 1,
        page_size: Annotated[int, Query(ge=1, le=200, description="items per page")] = 25,
    ) -> None:
        self.page = page
        self.page_size = page_size

    @property
    def offset(self) -> int:
        return (self.page - 1) * self.page_size
