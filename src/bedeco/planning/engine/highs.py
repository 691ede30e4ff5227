"""A HiGHS instance that prints nothing, not even its banner.

HiGHS prints a banner to the process's standard output the first time an
instance is created, before any option can turn it off. A CLI that writes
JSON to standard output would then write invalid JSON, so the first
instance is created with file descriptor 1 pointed at the null device.

The thread count is left to HiGHS. Its threads form one scheduler per
process, sized by the first instance that runs; an instance that asks for
another count afterwards fails outright ("global scheduler has already been
initialized"), so ``threads=1`` here broke every model in a process where
any other HiGHS (a test's cross-check, a library) had run first. HiGHS's
default takes the scheduler as it finds it (a thread per core when first).
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
