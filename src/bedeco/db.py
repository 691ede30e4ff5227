"""Storage: the declarative base, engines for SQLite and PostgreSQL, and shared column types.

Engines are built on demand (``make_engine``), never at import time. SQLite
runs in WAL mode with foreign keys enforced; PostgreSQL goes through psycopg 3.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from typing import Any, ClassVar

from sqlalchemy import JSON, Boolean, Engine, MetaData, String, create_engine, event
from sqlalchemy.engine import make_url
from sqlalchemy.exc import OperationalError
from sqlalchemy.orm import DeclarativeBase, Mapped, Session, mapped_column, sessionmaker

from bedeco.security.logic import Marking, Nation

NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}

Multilingual = dict[str, str]
"""Text users read, keyed by ISO 639-1 language: ``{"nl": …, "fr": …, "de": …, "en": …}``."""


class Base(DeclarativeBase):
    """Base of every table; the naming convention keeps migrations stable across databases."""

    metadata = MetaData(naming_convention=NAMING_CONVENTION)
    type_annotation_map: ClassVar[dict[Any, Any]] = {
        Multilingual: JSON,
        dict[str, Any]: JSON,
        list[str]: JSON,
    }


def utcnow() -> datetime:
    """Timezone-aware now, the one clock services use."""
    return datetime.now(UTC)


class MarkedMixin:
    """Columns of a record that carries a classification and a releasability set.

    Releasability is three booleans rather than a set column so that the access
    rule filters in plain SQL on SQLite and PostgreSQL alike.
    """

    classification: Mapped[str] = mapped_column(String(16))
    rel_bel: Mapped[bool] = mapped_column(Boolean, default=False)
    rel_nld: Mapped[bool] = mapped_column(Boolean, default=False)
    rel_lux: Mapped[bool] = mapped_column(Boolean, default=False)

    @property
    def releasable_to(self) -> frozenset[str]:
        flags = {Nation.BEL: self.rel_bel, Nation.NLD: self.rel_nld, Nation.LUX: self.rel_lux}
        return frozenset(n.value for n, on in flags.items() if on)

    @property
    def marking(self) -> Marking:
        return Marking.of(self.classification, self.releasable_to)

    def set_marking(self, classification: str, releasable_to: frozenset[str] | set[str]) -> None:
        self.classification = classification
        self.rel_bel = Nation.BEL.value in releasable_to
        self.rel_nld = Nation.NLD.value in releasable_to
        self.rel_lux = Nation.LUX.value in releasable_to


def hide_password(url: str) -> str:
    """The URL with its password replaced, for messages and logs."""
    try:
        return make_url(url).render_as_string(hide_password=True)
    except Exception:  # a malformed URL: mask anything between ':' and '@'
        return re.sub(r":[^:@/]*@", ":***@", url)


class DatabaseUnavailable(Exception):
    """The database at the configured URL cannot be reached; the message hides the password."""


def _sqlite_pragmas(dbapi_connection: Any, _record: Any) -> None:
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.execute("PRAGMA busy_timeout=30000")  # as long as the connect timeout
    cursor.close()


def make_engine(url: str, *, check: bool = True, **kwargs: Any) -> Engine:
    """An engine for ``url``; with ``check`` it connects once and fails with a clear line."""
    if url.startswith("postgresql://") or url.startswith("postgres://"):
        url = "postgresql+psycopg://" + url.split("://", 1)[1]
    parsed = make_url(url)
    if parsed.get_backend_name() == "sqlite":
        if parsed.database and parsed.database != ":memory:":
            from pathlib import Path

            Path(parsed.database).parent.mkdir(parents=True, exist_ok=True)
        kwargs.setdefault("connect_args", {"check_same_thread": False, "timeout": 30})
        engine = create_engine(url, **kwargs)
        event.listen(engine, "connect", _sqlite_pragmas)
    else:
        kwargs.setdefault("pool_pre_ping", True)
        if parsed.get_backend_name() == "postgresql":
            kwargs.setdefault("connect_args", {"connect_timeout": 5})
        engine = create_engine(url, **kwargs)
    if check:
        try:
            with engine.connect():
                pass
        except OperationalError as exc:
            reason = str(exc.orig).strip().splitlines()[0] if exc.orig else str(exc)
            raise DatabaseUnavailable(
                f"cannot reach the database at {hide_password(url)}: {reason}"
            ) from None
    return engine


def make_sessionmaker(engine: Engine) -> sessionmaker[Session]:
    return sessionmaker(bind=engine, expire_on_commit=False)


@contextmanager
def transaction(factory: sessionmaker[Session]) -> Iterator[Session]:
    """One unit of work: commit when the block ends, roll back on any error."""
    session = factory()
    try:
        yield session
        session.commit()
    except BaseException:
        session.rollback()
        raise
    finally:
        session.close()
