"""A scaling series of FMP-like instances, written from the benchmark's published parameters.

Only two of the benchmark's 53 instances are shipped; for time-to-plan and
gap at larger sizes (45 to 255 aircraft, 90 months) this generator draws new
ones with the parameters every instance file records: one mission line per
15 aircraft (``num_parallel_tasks`` 4 for 60 aircraft), missions of 6 to 12
months needing 1 to 6 aircraft, least stays of 2, 3 or 6 months, 10/50/100
flight hours a month (triangular), check capacity 15 % of the fleet, 7 % of
the fleet in a check at the start, 10 % with an extra capability. The output
is the benchmark's own ``data_in.json`` structure, read by ``fmp.read_instance``.
It is not the authors' generator: figures on it are indicative, not
comparable with published ones.
"""

from __future__ import annotations

import math
import random
from typing import Any

START_YEAR = 2018
PERIODS = 90


def _label(index: int) -> str:
    year, month = divmod(index, 12)
    return f"{START_YEAR + year:04d}-{month + 1:02d}"


def generate(aircraft: int, seed: int = 0, periods: int = PERIODS) -> dict[str, Any]:
    """One instance in the benchmark's format with ``aircraft`` aircraft."""
    rng = random.Random(seed)
    lines = max(1, round(aircraft / 15))
    capacity = math.ceil(0.15 * aircraft)
    resources: dict[str, Any] = {}
    in_check = set(rng.sample(range(aircraft), round(0.07 * aircraft)))
    for i in range(aircraft):
        line = i % lines
        caps = [str(line)]
        if rng.random() < 0.1:
            caps.append(chr(ord("A") + line % 26))
        states: dict[str, str] = {}
        if i in in_check:
            elapsed, used = 60, 1000
            for k in range(rng.randint(1, 5)):
                states[_label(-1 - k)] = "M"
        else:
            elapsed = rng.randint(4, 60)
            used = max(0, min(1000, round((elapsed + rng.randint(-3, 3)) * 1000 / 60)))
        resources[str(i)] = {
            "type": line,
            "capacities": caps,
            "initial_used": used,
            "initial_elapsed": elapsed,
            "states": states,
        }
    tasks: dict[str, Any] = {}
    for line in range(lines):
        t = 0
        while t < periods:
            length = rng.randint(6, 12)
            caps = [str(line)]
            if rng.random() < 0.1:
                caps.append(chr(ord("A") + line % 26))
            tasks[str(len(tasks))] = {
                "start": _label(t),
                "end": _label(min(t + length, periods) - 1),
                "num_resource": rng.randint(1, 6),
                "consumption": round(rng.triangular(10, 100, 50)),
                "min_assign": rng.choice([2, 3, 6]),
                "capacities": caps,
                "type_resource": line,
            }
            t += length
    return {
        "parameters": {
            "start": _label(0),
            "end": _label(periods - 1),
            "num_period": periods,
            "maint_capacity": capacity,
            "min_avail_percent": 0.1,
            "min_avail_value": 1,
            "min_hours_perc": 0.5,
            "seed": seed,
        },
        "maintenances": {
            "M": {
                "capacity": capacity,
                "duration_periods": 6,
                "max_used_time": 1000,
                "max_elapsed_time": 60,
                "elapsed_time_size": 15,
            }
        },
        "resources": resources,
        "tasks": tasks,
    }


def scaling_series(
    sizes: tuple[int, ...] = (45, 90, 150, 210, 255), seed: int = 1
) -> list[dict[str, Any]]:
    """The series the benchmark reports: one instance per fleet size."""
    return [generate(n, seed=seed + n) for n in sizes]
