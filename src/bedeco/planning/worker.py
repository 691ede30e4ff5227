"""The study worker: claim queued studies and run them, in a loop or once; a background thread.

This is a job, not a service: it owns its transactions (claim, commit; run
with progress in short transactions; finish, commit) and never holds one
open while the engine searches. ``bedeco serve`` starts :class:`BackgroundWorker`
from the planning API's lifespan when ``BEDECO_PLANNING_WORKER`` is on (the
default), so studies run without a second command; ``bedeco planning worker``
runs the same loop on its own, e.g. beside several web processes.
"""

from __future__ import annotations

import contextlib
import logging
import os
import sys
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager

from sqlalchemy import Engine
from sqlalchemy.orm import Session

from bedeco.db import make_sessionmaker
from bedeco.planning import service
from bedeco.runtime import unit_of_work

log = logging.getLogger("bedeco.planning.worker")
POLL_SECONDS = 2.0
"""How long an idle worker waits before looking for queued studies again."""
STARTUP_DELAY = 2.0
"""The background thread's first look waits this long, so short-lived apps (tests) stay idle."""
NICENESS = 10
"""The background thread (and the solver threads it starts) yield the CPU to web requests."""


def units(engine: Engine) -> service.UnitOfWork:
    """Short units of work on ``engine`` that commit at the end (BEGIN IMMEDIATE in the app)."""
    return lambda: unit_of_work(engine)


def read_units(engine: Engine) -> service.UnitOfWork:
    """Short read-only sessions on ``engine``: they never take the write lock."""
    factory = make_sessionmaker(engine)

    @contextmanager
    def unit() -> Iterator[Session]:
        session = factory()
        try:
            yield session
        finally:
            session.rollback()
            session.close()

    return unit


def run_next(engine: Engine, *, stop: threading.Event | None = None) -> int | None:
    """Claim and run one queued study and return its id; None when no study waits."""
    unit = units(engine)
    with unit() as session:
        claimed = service.claim_next_study(session)
    if claimed is None:
        return None
    log.info("planning study %s: started", claimed.id)
    status = service.execute_study(claimed, unit, read_unit=read_units(engine), stop=stop)
    log.info("planning study %s: %s", claimed.id, status or "requeued")
    return claimed.id


def run_pending(
    engine: Engine,
    *,
    once: bool = True,
    stop: threading.Event | None = None,
    poll: float = POLL_SECONDS,
    on_study: Callable[[int], None] | None = None,
) -> int:
    """Run queued studies until none waits (``once``) or until ``stop`` is set; the number run."""
    stop = stop or threading.Event()
    count = 0
    while not stop.is_set():
        try:
            outcome = run_next(engine, stop=stop)
        except Exception:  # a database hiccup must not end the loop of a long-lived worker
            if once:
                raise
            log.warning("planning worker: no study claimed (%s)", sys.exc_info()[1])
            stop.wait(poll)
            continue
        if outcome is None:
            if once:
                break
            stop.wait(poll)
            continue
        count += 1
        if on_study is not None:
            on_study(outcome)
    return count


class BackgroundWorker:
    """A daemon thread running :func:`run_pending` until stopped; a stop requeues a running study."""

    def __init__(self, engine: Engine, *, delay: float = STARTUP_DELAY) -> None:
        self.engine = engine
        self.delay = delay
        self.stop_event = threading.Event()
        self.thread = threading.Thread(target=self._run, name="planning-worker", daemon=True)

    def _run(self) -> None:
        # not on Linux, or not allowed: run at normal priority
        with contextlib.suppress(AttributeError, OSError):
            os.setpriority(os.PRIO_PROCESS, threading.get_native_id(), NICENESS)
        if self.stop_event.wait(self.delay):
            return
        run_pending(self.engine, once=False, stop=self.stop_event)

    def start(self) -> BackgroundWorker:
        self.thread.start()
        return self

    def stop(self, timeout: float = 5.0) -> None:
        """Ask the thread to stop; the search stops within a second and its study is requeued."""
        self.stop_event.set()
        self.thread.join(timeout)
