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


def test_models_still_solve_after_another_highs_sized_the_thread_pool() -> None:
    # HiGHS's thread pool is one per process, sized by the first instance that runs:
    # a model asking for another thread count afterwards would fail outright.
    code = (
        "import highspy, numpy as np\n"
        "from bedeco.planning.engine.heuristic import heuristic_plan\n"
        "from bedeco.planning.engine.instance import Policy\n"
        "from bedeco.planning.engine.patterns import pattern_plan, offered_patterns\n"
        "from bedeco.planning.engine.colgen import schedules_of\n"
        "from tests.planning.conftest import tiny_instance\n"
        "other = highspy.Highs()\n"
        "other.setOptionValue('output_flag', False)\n"
        "other.setOptionValue('threads', 3)\n"
        "other.addVars(1, np.array([0.0]), np.array([1.0]))\n"
        "assert str(other.run()) == 'HighsStatus.kOk'\n"
        "instance = tiny_instance()\n"
        "plan = heuristic_plan(instance, Policy.NATIONAL)\n"
        "patterns = offered_patterns(schedules_of(instance, plan))\n"
        "found = pattern_plan(instance, Policy.NATIONAL, patterns, 10.0, start=plan)\n"
        "print(found is not None)\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert done.stdout.strip().endswith("True")
