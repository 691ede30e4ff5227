"""A claimed study run with the engine, and its result as stored JSON (no database here).

Every figure comes from the engine's independent validator, every chart from
its renderers (``gantt_svg``, ``facility_load_svg``), every export from
``solution_to_json`` / ``solution_to_csv``; this module only calls them and
shapes what the service stores.
"""

from __future__ import annotations

import csv
import io
import threading
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Protocol

from bedeco.planning.engine.instance import Instance, Policy
from bedeco.planning.engine.scenario import parse_scenario
from bedeco.planning.engine.solution import Flight, PlannedCheck, Solution

SHORTFALL_CAUSES = 12
"""Shortfall explanations kept per run (the largest first, as the engine orders them)."""


class StudySpec(Protocol):
    kind: str
    policy: str | None
    time_limit: float
    workers: int
    seed: int
    scenario_text: str
    scenario_file: str


ProgressHook = Callable[[str, float, int, int, int], None]


@dataclass(frozen=True)
class Outcome:
    """The result to store, or None with the error that stopped the study."""

    result: dict[str, Any] | None
    error: str = ""


def _run_json(instance: Instance, run: Any) -> dict[str, Any]:
    from bedeco.planning.engine.explain import explain_shortfall
    from bedeco.planning.engine.render import facility_load_svg, gantt_svg, solution_to_json

    solution: Solution = run.solution
    data: dict[str, Any] = {
        "policy": str(run.policy),
        "has_plan": solution.has_plan,
        "status": solution.status,
        "method": solution.method,
        "message": solution.message,
        "gap": solution.gap,
        "wall_time": round(solution.wall_time, 2),
        "first_plan_time": solution.first_plan_time,
    }
    if not solution.has_plan:
        return data
    figures = run.report.figures
    data.update(
        {
            "shortfall": figures.shortfall,
            "shortfall_bound": run.shortfall_bound,
            "floor_misses": run.floor_misses,
            "checks_started": figures.checks_started,
            "cost": figures.cost,
            "availability": {
                n: {"mean": round(mean, 2), "least": least}
                for n, (mean, least) in sorted(figures.availability.items())
            },
            "facility_use": {f: round(u, 3) for f, u in figures.facility_use.items()},
            "validation": {
                "ok": run.report.ok,
                "violations": [
                    {"rule": v.rule, "subject": v.subject, "period": v.period, "message": v.message}
                    for v in run.report.violations
                ],
            },
            "shortfall_causes": [
                c.sentence(instance)
                for c in explain_shortfall(instance, solution, run.report)[:SHORTFALL_CAUSES]
            ],
            "solution": solution_to_json(instance, solution, run.report),
            "gantt_svg": gantt_svg(instance, solution),
            "load_svg": facility_load_svg(instance, solution),
        }
    )
    return data


def compute(
    spec: StudySpec,
    *,
    on_progress: ProgressHook | None = None,
    on_phase: Callable[[str, int, int], None] | None = None,
    cancel: threading.Event | None = None,
) -> Outcome:
    """Run ``spec`` with the engine; the result holds every run, significance and capacity."""
    from bedeco.planning.engine.compare import (
        Comparison,
        capacity_study,
        compare_policies,
        significant,
    )
    from bedeco.planning.engine.explain import explain_infeasible
    from bedeco.planning.engine.solver import Progress, SolveParams

    scenario = parse_scenario(spec.scenario_text, spec.scenario_file)
    instance = scenario.instance
    if spec.kind == "run":
        policies: tuple[Policy, ...] = (Policy(spec.policy or "pooled"),)
    else:
        policies = tuple(Policy)
    blocked: dict[str, list[str]] = {}
    for policy in policies:
        causes = explain_infeasible(instance, policy)
        if causes:
            blocked[str(policy)] = [f"{c.rule}: {c.message}" for c in causes]
    if len(blocked) == len(policies):
        lines = [f"{p}: {m}" for p, messages in blocked.items() for m in messages]
        return Outcome(None, "the scenario cannot be planned: " + "; ".join(lines))
    runnable = tuple(p for p in policies if str(p) not in blocked)
    params = SolveParams(spec.time_limit, spec.workers, spec.seed)

    def progress(policy: Policy, p: Progress) -> None:
        if on_progress is not None:
            on_progress(str(policy), p.elapsed, p.objective, p.bound, p.solutions)

    steps = len(runnable) * (2 if spec.kind == "capacity" else 1)
    found: list[Any] = []
    for index, policy in enumerate(runnable):
        if cancel is not None and cancel.is_set():
            break
        if on_phase is not None:
            on_phase(f"{policy}: building the model and searching", index, steps)
        found += compare_policies(
            instance, (policy,), params, on_progress=progress, cancel=cancel
        ).runs
    comparison = Comparison(tuple(found))
    runs = comparison.runs
    result: dict[str, Any] = {
        "kind": spec.kind,
        "instance": instance.name,
        "illustrative": scenario.illustrative,
        "note": scenario.note,
        "periods": instance.periods,
        "start_month": instance.start_month,
        "nations": sorted({a.nation for a in instance.aircraft}),
        "facilities": [f.id for f in instance.facilities],
        "aircraft": len(instance.aircraft),
        "missions": len(instance.missions),
        "time_limit": spec.time_limit,
        "blocked": blocked,
        "runs": [_run_json(instance, run) for run in runs],
        "significance": [
            {"a": str(a.policy), "b": str(b.policy), "significant": significant(a, b)}
            for i, a in enumerate(runs)
            for b in runs[i + 1 :]
            if a.solution.has_plan and b.solution.has_plan
        ],
    }
    if spec.kind == "capacity":
        least: dict[str, int | None] = {}
        for index, policy in enumerate(runnable):
            if cancel is not None and cancel.is_set():
                break
            if on_phase is not None:
                on_phase(f"{policy}: capacity bisection", len(runnable) + index, steps)
            study = capacity_study(instance, (policy,), params, cancel=cancel)
            if study.cancelled:
                break
            least[str(policy)] = study.least_slots.get(policy)
        national, pooled = least.get("national"), least.get("pooled")
        result["capacity"] = {
            "least_slots": least,
            "slots_today": sum(f.slots for f in instance.facilities),
            "gain": national / pooled if national and pooled else None,
        }
    return Outcome(result)


def stored_solution(run: dict[str, Any]) -> Solution:
    """A stored run's plan back as the engine's ``Solution`` (for the CSV renderer)."""
    plan = run["solution"]
    return Solution(
        policy=Policy(run["policy"]),
        checks=tuple(
            PlannedCheck(c["aircraft"], c["start"], c["facility"]) for c in plan["checks"]
        ),
        flights=tuple(Flight(f["aircraft"], f["mission"], f["period"]) for f in plan["flights"]),
        method=str(plan.get("method", "")),
        status=str(plan.get("status", "")),
    )


def plans_csv(scenario_text: str, scenario_file: str, result: dict[str, Any]) -> str:
    """Each stored plan through the engine's CSV, a ``policy`` column in front."""
    from bedeco.planning.engine.render import solution_to_csv

    instance = parse_scenario(scenario_text, scenario_file).instance
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    header_written = False
    for run in result.get("runs", []):
        if not run.get("has_plan") or "solution" not in run:
            continue
        rows = list(csv.reader(io.StringIO(solution_to_csv(instance, stored_solution(run)))))
        if not header_written:
            writer.writerow(["policy", *rows[0]])
            header_written = True
        for row in rows[1:]:
            writer.writerow([run["policy"], *row])
    return out.getvalue()
