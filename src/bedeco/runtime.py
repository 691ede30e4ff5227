"""Opening storage for commands and workers: engine and unit of work, with clear errors."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from sqlalchemy import Engine
from sqlalchemy.orm import Session

from bedeco.config import Settings, get_settings
from bedeco.db import make_engine, make_sessionmaker, transaction


def open_engine(settings: Settings | None = None) -> Engine:
    """The configured database's engine; ``DatabaseUnavailable`` names the URL, password hidden."""
    settings = settings or get_settings()
    return make_engine(settings.resolved_database_url())


@contextmanager
def unit_of_work(engine: Engine) -> Iterator[Session]:
    """A session whose work commits at the end of the block, or rolls back on error.

    On an engine the web app took over (``_bedeco_begin``), the unit starts with
    BEGIN IMMEDIATE like the app's writers: a deferred transaction that reads
    and then writes fails at once ("database is locked") whenever another writer
    of the process (a request, the planning worker) commits in between.
    """
    if getattr(engine, "_bedeco_begin", False):
        engine = engine.execution_options(bedeco_immediate=True)
    with transaction(make_sessionmaker(engine)) as session:
        yield session
