"""Python-heavy work in a process of its own, so that it does not wait for the GIL.

The column generation's pricing is a dynamic programme in Python (``colgen.py``).
Two relaxations run side by side in threads share one interpreter lock: on
s85's hard part the relaxation without the plan's misses converged in 14 s
alone and in 37 s beside the floors-first one. In processes of their own each
has a core. HiGHS's and CP-SAT's searches release the lock and stay in threads.

The child is a fresh interpreter running this module (``python -m``), the
work and its value passed as pickles through its standard input and output.
Not ``multiprocessing``: forked, a child inherits HiGHS's thread scheduler
without its threads; spawned, it imports the caller's main module again, and
``python -m bedeco`` (or any script without a ``__main__`` guard) would run
its whole command in the child.
"""

from __future__ import annotations

import logging
import os
import pickle
import subprocess
import sys
import threading
from collections.abc import Callable
from typing import Any, TypeVar

T = TypeVar("T")

POLL = 0.1
"""Seconds between looks at ``cancel`` while the child works."""

_log = logging.getLogger(__name__)


def in_process(
    function: Callable[..., T],
    *args: Any,
    cancel: threading.Event | None = None,
    **kwargs: Any,
) -> T | None:
    """``function(*args, **kwargs)`` in a child process; None if it failed or ``cancel`` was set.

    ``function`` (importable by name), its arguments and its value must
    pickle. On ``cancel`` the child is stopped at once rather than waited for.
    A failed child is logged (a warning with the last line of its error) and
    gives None, as a search that found nothing: the caller goes on without.
    """
    work = pickle.dumps((function, args, kwargs))
    path = os.pathsep.join(p for p in sys.path if p)
    child = subprocess.Popen(
        [sys.executable, "-m", __name__],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        env={**os.environ, "PYTHONPATH": path},
    )
    pending: bytes | None = work
    try:
        while True:
            if cancel is not None and cancel.is_set():
                return None
            try:
                value, errors = child.communicate(pending, timeout=POLL)
                break
            except subprocess.TimeoutExpired:
                pending = None  # sent once; what comes back is kept across tries
        if child.returncode != 0 or not value:
            said = errors.decode(errors="replace").strip().splitlines()
            _log.warning(
                "%s failed in its process (exit %s): %s",
                getattr(function, "__qualname__", function),
                child.returncode,
                said[-1] if said else "no message",
            )
            return None
        result: T = pickle.loads(value)
        return result
    finally:
        if child.poll() is None:
            child.kill()
        child.wait()


def _child() -> None:
    """Run the work read from standard input; its value to standard output, pickled."""
    result = os.fdopen(os.dup(1), "wb")
    os.dup2(2, 1)  # anything printed (HiGHS's banner) goes to stderr, not into the value
    function, args, kwargs = pickle.load(sys.stdin.buffer)
    pickle.dump(function(*args, **kwargs), result)
    result.close()


if __name__ == "__main__":
    _child()
