"""Use cases for people and access: users, logins with a rate limit, API tokens."""

from __future__ import annotations

import hashlib
import secrets
from collections.abc import Iterable, Sequence
from datetime import UTC, datetime, timedelta

from sqlalchemy import delete, func, select, update
from sqlalchemy.orm import Session

from bedeco.audit.service import SYSTEM, record_event
from bedeco.db import utcnow
from bedeco.errors import Conflict, InvalidInput, NotFound, NotPermitted, TooManyAttempts
from bedeco.security.logic import (
    CLEARANCES,
    NATION_NAMES,
    Classification,
    Nation,
    Principal,
    Role,
)
from bedeco.security.model import ApiToken, LoginFailure, NationRecord, User
from bedeco.security.passwords import burn_time, hash_password, verify_password

TOKEN_PREFIX = "bdc_"
MIN_PASSWORD_LENGTH = 10


def principal_for(user: User) -> Principal:
    """The principal a stored user acts as."""
    return Principal(
        user_id=user.id,
        name=user.name,
        nation=Nation(user.nation),
        clearance=Classification(user.clearance),
        roles=frozenset(Role(r) for r in user.roles),
    )


def ensure_nations(session: Session) -> None:
    """Store the three nations with their names (idempotent)."""
    for nation, names in NATION_NAMES.items():
        record = session.get(NationRecord, nation.value)
        if record is None:
            session.add(NationRecord(code=nation.value, names=dict(names)))
    session.flush()


def _require_admin(actor: Principal) -> None:
    if actor is not SYSTEM and not actor.has_role(Role.ADMIN):
        raise NotPermitted("only an admin manages people")


def add_user(
    session: Session,
    actor: Principal,
    *,
    name: str,
    nation: str,
    clearance: str,
    roles: Iterable[str],
    password: str,
) -> User:
    """Create a person; every value is checked and named when wrong."""
    _require_admin(actor)
    name = name.strip()
    if not name or len(name) > 80:
        raise InvalidInput("a name of 1 to 80 characters is required", field="name")
    try:
        nation_code = Nation(nation.upper())
    except ValueError:
        raise InvalidInput("nation must be one of BEL, NLD, LUX", field="nation") from None
    try:
        level = Classification(clearance.upper())
    except ValueError:
        level = None
    if level not in CLEARANCES:
        allowed = ", ".join(c.value for c in CLEARANCES)
        raise InvalidInput(f"clearance must be one of {allowed}", field="clearance")
    try:
        role_set = sorted({Role(r.lower()).value for r in roles})
    except ValueError:
        allowed = ", ".join(r.value for r in Role)
        raise InvalidInput(f"roles must be among {allowed}", field="role") from None
    if not role_set:
        raise InvalidInput("at least one role is required", field="role")
    if len(password) < MIN_PASSWORD_LENGTH:
        raise InvalidInput(
            f"the password needs at least {MIN_PASSWORD_LENGTH} characters", field="password"
        )
    if session.scalar(select(User.id).where(User.name == name)) is not None:
        raise Conflict(f"a user named {name!r} exists already", field="name")
    ensure_nations(session)
    user = User(
        name=name,
        nation=nation_code.value,
        clearance=level.value,
        roles=role_set,
        password_hash=hash_password(password),
    )
    session.add(user)
    session.flush()
    record_event(
        session,
        actor,
        action="user.add",
        object_type="user",
        object_id=str(user.id),
        change={
            "name": name,
            "nation": nation_code.value,
            "clearance": level.value,
            "roles": role_set,
        },
    )
    return user


def list_users(session: Session) -> Sequence[User]:
    return session.scalars(select(User).order_by(User.name)).all()


def get_user_by_name(session: Session, name: str) -> User:
    user = session.scalar(select(User).where(User.name == name))
    if user is None:
        raise NotFound(f"no user named {name!r}", field="name")
    return user


def disable_user(session: Session, actor: Principal, *, name: str) -> User:
    """Stop a person from signing in and revoke their tokens."""
    _require_admin(actor)
    user = get_user_by_name(session, name)
    user.active = False
    for token in user.tokens:
        if token.revoked_at is None:
            token.revoked_at = utcnow()
    session.flush()
    record_event(
        session, actor, action="user.disable", object_type="user", object_id=str(user.id), change={}
    )
    return user


def _window_start(now: datetime) -> datetime:
    return now - timedelta(minutes=1)


def _retry_after(session: Session, account: str, address: str, limit: int, now: datetime) -> int:
    """Seconds until a new attempt is allowed, or 0 when under the limit."""
    since = _window_start(now)
    for column, value in ((LoginFailure.account, account), (LoginFailure.address, address)):
        rows = session.scalars(
            select(LoginFailure.at)
            .where(column == value, LoginFailure.at >= since)
            .order_by(LoginFailure.at)
        ).all()
        if len(rows) >= limit:
            oldest = rows[-limit]
            if oldest.tzinfo is None:
                oldest = oldest.replace(tzinfo=now.tzinfo)
            return max(1, int((oldest + timedelta(minutes=1) - now).total_seconds()) + 1)
    return 0


def authenticate(
    session: Session, *, name: str, password: str, address: str, limit: int = 5
) -> User | None:
    """The user for these credentials, or None; too many failures raise ``TooManyAttempts``.

    Failures count per account and per address over the last minute; once
    ``limit`` are reached further attempts are refused before the password is
    even checked.
    """
    now = utcnow()
    wait = _retry_after(session, name, address, limit, now)
    if wait:
        raise TooManyAttempts("too many failed logins; try again later", retry_after=wait)
    user = session.scalar(select(User).where(User.name == name))
    if user is None:
        burn_time(password)
    if user is None or not user.active or not verify_password(user.password_hash, password):
        session.add(LoginFailure(account=name[:80], address=address[:64], at=now))
        session.execute(delete(LoginFailure).where(LoginFailure.at < now - timedelta(hours=1)))
        session.flush()
        return None
    return user


def issue_token(session: Session, actor: Principal, *, name: str, label: str = "") -> str:
    """A new bearer token for user ``name``; only its digest is stored, the token shown once."""
    _require_admin(actor)
    user = get_user_by_name(session, name)
    if not user.active:
        raise Conflict(f"user {name!r} is disabled", field="name")
    token = TOKEN_PREFIX + secrets.token_urlsafe(32)
    record = ApiToken(user_id=user.id, prefix=token[:12], digest=_digest(token), label=label[:80])
    session.add(record)
    session.flush()
    record_event(
        session,
        actor,
        action="token.issue",
        object_type="api_token",
        object_id=str(record.id),
        change={"user": name, "prefix": record.prefix},
    )
    return token


def list_tokens(session: Session, *, name: str | None = None) -> Sequence[ApiToken]:
    statement = select(ApiToken).join(User).order_by(ApiToken.id)
    if name:
        statement = statement.where(User.name == name)
    return session.scalars(statement).all()


def revoke_token(session: Session, actor: Principal, *, token_id: int) -> ApiToken:
    _require_admin(actor)
    record = session.get(ApiToken, token_id)
    if record is None:
        raise NotFound(f"no token with id {token_id}", field="token_id")
    if record.revoked_at is None:
        record.revoked_at = utcnow()
        session.flush()
        record_event(
            session,
            actor,
            action="token.revoke",
            object_type="api_token",
            object_id=str(record.id),
            change={},
        )
    return record


def user_for_token(session: Session, token: str, *, touch: bool = True) -> User | None:
    """The active user a bearer token belongs to, or None when unknown or revoked.

    With ``touch`` the token's last use is noted in the caller's transaction;
    read-only requests pass ``touch=False`` and note it with ``touch_token``
    in a short write of their own (an SQLite read must not turn into a write).
    """
    record = session.scalar(select(ApiToken).where(ApiToken.digest == _digest(token)))
    if record is None or record.revoked_at is not None or not record.user.active:
        return None
    if touch:
        record.last_used_at = utcnow()
    return record.user


def token_needs_touch(session: Session, token: str, older_than: timedelta) -> bool:
    """Whether the token's last noted use is missing or older than ``older_than``."""
    last = session.scalar(select(ApiToken.last_used_at).where(ApiToken.digest == _digest(token)))
    if last is None:
        return True
    if last.tzinfo is None:
        last = last.replace(tzinfo=UTC)
    return utcnow() - last > older_than


def touch_token(session: Session, token: str) -> None:
    """Note that a bearer token was used now."""
    session.execute(
        update(ApiToken).where(ApiToken.digest == _digest(token)).values(last_used_at=utcnow())
    )


def count_users(session: Session) -> int:
    return session.scalar(select(func.count(User.id))) or 0


def _digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def get_active_user(session: Session, user_id: int) -> User | None:
    """The user behind a session cookie, or None once disabled or deleted."""
    user = session.get(User, user_id)
    return user if user is not None and user.active else None
