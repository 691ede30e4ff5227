"""Work run in a child process (a fresh interpreter): its value, its failure, its cancelling."""

from __future__ import annotations

import operator
import os
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

from bedeco.planning.engine.offload import in_process


def test_the_function_runs_in_another_process_and_its_value_comes_back() -> None:
    assert in_process(os.getpid) not in (None, os.getpid())
    assert in_process(divmod, 17, 5) == (3, 2)
    assert in_process(sorted, [3, 1, 2], reverse=True) == [3, 2, 1]


def test_a_function_that_raises_gives_none_and_a_warning_naming_it(
    caplog: pytest.LogCaptureFixture,
) -> None:
    assert in_process(operator.truediv, 1, 0) is None
    assert "truediv failed in its process (exit 1): ZeroDivisionError" in caplog.text


def test_cancel_stops_the_child_at_once() -> None:
    cancel = threading.Event()
    threading.Timer(0.5, cancel.set).start()
    began = time.monotonic()
    assert in_process(time.sleep, 60, cancel=cancel) is None
    assert time.monotonic() - began < 10


def test_a_script_without_a_main_guard_runs_once(tmp_path: Path) -> None:
    # multiprocessing's spawn would import the script again in the child and run it
    # there too (``python -m bedeco`` has no guard); a fresh interpreter does not.
    script = tmp_path / "unguarded.py"
    script.write_text(
        "import os\n"
        "from bedeco.planning.engine.offload import in_process\n"
        "print('ran', in_process(os.getpid) not in (None, os.getpid()))\n"
    )
    done = subprocess.run(
        [sys.executable, str(script)], capture_output=True, text=True, timeout=60, check=True
    )
    assert done.stdout.splitlines() == ["ran True"]
