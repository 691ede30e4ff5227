"""HiGHS stays silent: nothing reaches standard output, where a CLI writes its JSON."""

from __future__ import annotations

import subprocess
import sys


def test_the_first_highs_of_a_process_prints_no_banner() -> None:
    code = (
        "from bedeco.planning.engine.highs import silent_highs\n"
        "silent_highs(); silent_highs(); print('only this')\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert done.stdout == "only this\n"
