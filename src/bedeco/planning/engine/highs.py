"""A HiGHS instance that prints nothing, not even its banner.

HiGHS prints a banner to the process's standard output the first time an
instance is created, before any option can turn it off. A CLI that writes
JSON to standard output would then write invalid JSON, so the first
instance is created with file descriptor 1 pointed at the null device.
"""

from __future__ import annotations

import os
import sys
import threading

import highspy

_lock = threading.Lock()
_bannered = False


def silent_highs() -> highspy.Highs:
    """A new HiGHS with logging off."""
    global _bannered
    with _lock:
        if _bannered:
            model = highspy.Highs()  # type: ignore[no-untyped-call]
        else:
            sys.stdout.flush()
            saved = os.dup(1)
            null = os.open(os.devnull, os.O_WRONLY)
            try:
                os.dup2(null, 1)
                model = highspy.Highs()  # type: ignore[no-untyped-call]
            finally:
                os.dup2(saved, 1)
                os.close(null)
                os.close(saved)
            _bannered = True
    model.setOptionValue("output_flag", False)
    return model
