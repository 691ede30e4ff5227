"""Benchmark of the planning engine: `python benchmarks/bench_planning.py [--quick]`.

Prints, from one run, tables with ratios against a baseline measured in the
same run (the constructive heuristic) and against the best published plans
of the two public FMP instances:

1. the two FMP instances at each budget (60 s and 300 s by default): floor
   misses, shortfall, gap, time to first plan, rule violations; where the
   published plan misses floors, once more at the last budget with a
   floor-miss budget of as many misses (the same terms as that plan);
2. a scaling series generated from the benchmark's published parameters
   (45 to 255 aircraft, 90 months) at the first budget;
3. the illustrative reference study, every policy at the first budget;
4. the column generation's pricing on s85's hard part: each aircraft's best
   schedules on Pareto labels against the array programme, at the same
   prices (the master's first), and a whole relaxation on labels.

``--quick`` uses 10 s budgets and a short series, for a busy day.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

from bedeco.planning.engine import fmp  # noqa: E402
from bedeco.planning.engine.colgen import (  # noqa: E402
    Master,
    _Pricing,
    relaxation_support,
    schedules_of,
)
from bedeco.planning.engine.compare import compare_policies  # noqa: E402
from bedeco.planning.engine.decompose import split  # noqa: E402
from bedeco.planning.engine.generator import generate  # noqa: E402
from bedeco.planning.engine.heuristic import heuristic_plan  # noqa: E402
from bedeco.planning.engine.instance import Instance, Policy  # noqa: E402
from bedeco.planning.engine.scenario import load_scenario  # noqa: E402
from bedeco.planning.engine.solution import Solution  # noqa: E402
from bedeco.planning.engine.solver import SolveParams, solve  # noqa: E402
from bedeco.planning.engine.validation import validate  # noqa: E402

FMP_DIR = ROOT / "benchmarks" / "fmp"
REFERENCE = ROOT / "src" / "bedeco" / "planning" / "data" / "reference-study.yaml"
PUBLISHED = {"a060_p04_s81": (0, 0), "a060_p04_s85": (3, 44)}


def _ratio(value: float, base: float) -> str:
    if base == 0:
        return "=" if value == 0 else f"+{value:g}"
    return f"{value / base:.2f}"


def _row(instance: Instance, solution: Solution, began: float) -> dict[str, Any]:
    report = validate(instance, solution)
    first = solution.first_plan_time
    return {
        "method": solution.method,
        "status": solution.status,
        "violations": len(report.violations),
        "floor_misses": len(report.figures.floor_misses),
        "shortfall": report.figures.shortfall,
        "shortfall_bound": solution.shortfall_bound,
        "gap": solution.gap,
        "first_plan_s": None if first is None else round(first, 2),
        "wall_s": round(time.monotonic() - began, 1),
        # What the search did (parts fitted, patterns used): why a run went as it did.
        "message": solution.message,
    }


def _print(title: str, header: list[str], rows: list[list[str]]) -> None:
    widths = [max(len(h), *(len(r[i]) for r in rows)) for i, h in enumerate(header)]
    print(f"\n{title}")
    print("  ".join(h.rjust(w) for h, w in zip(header, widths, strict=True)))
    for row in rows:
        print("  ".join(c.rjust(w) for c, w in zip(row, widths, strict=True)))
    sys.stdout.flush()


def _fmt_gap(gap: float | None) -> str:
    return "-" if gap is None else f"{gap:.1%}"


def bench_fmp(budgets: list[float], workers: int, seed: int) -> list[dict[str, Any]]:
    results = []
    rows = []
    for name, (pub_floors, pub_short) in PUBLISHED.items():
        instance = fmp.read_instance(json.loads((FMP_DIR / f"{name}.json").read_text()), name)
        began = time.monotonic()
        base = _row(instance, heuristic_plan(instance, Policy.NATIONAL), began)
        base["first_plan_s"] = base["wall_s"]
        results.append({"instance": name, "budget": 0, **base})
        rows.append(
            [
                name,
                "heuristic",
                str(base["violations"]),
                f"{base['floor_misses']} ({pub_floors})",
                f"{base['shortfall']} ({pub_short})",
                "-",
                _ratio(base["shortfall"], pub_short),
                "1.00",
                "-",
                str(base["first_plan_s"]),
            ]
        )
        # Where the published plan misses floors, also solve once allowing as many misses.
        # The first budget once more as one whole model: what the search by parts gains.
        runs = [(budget, 0, True) for budget in budgets]
        runs.insert(1, (budgets[0], 0, False))
        if pub_floors:
            runs.append((budgets[-1], pub_floors, True))
        for budget, allowed, by_parts in runs:
            began = time.monotonic()
            params = SolveParams(
                budget,
                workers,
                seed,
                floor_miss_budget=allowed,
                decompose=None if by_parts else False,
            )
            solution = solve(instance, Policy.NATIONAL, params)
            row = _row(instance, solution, began)
            results.append(
                {
                    "instance": name,
                    "budget": budget,
                    "floor_miss_budget": allowed,
                    "by_parts": solution.method == "cp-sat by parts",
                    **row,
                }
            )
            method = "cp-sat" + (" by parts" if solution.method == "cp-sat by parts" else " whole")
            rows.append(
                [
                    name,
                    f"{method} {budget:g}s" + (f", <= {allowed} misses" if allowed else ""),
                    str(row["violations"]),
                    f"{row['floor_misses']} ({pub_floors})",
                    f"{row['shortfall']} ({pub_short})",
                    f">= {row['shortfall_bound'] or 0}",
                    _ratio(row["shortfall"], pub_short),
                    _ratio(row["shortfall"], base["shortfall"]),
                    _fmt_gap(row["gap"]),
                    str(row["first_plan_s"]),
                ]
            )
    _print(
        "FMP benchmark (published best in brackets; ratios: shortfall / published, / baseline)",
        [
            "instance",
            "method",
            "violations",
            "floor misses",
            "shortfall",
            "proven",
            "vs pub",
            "vs base",
            "gap",
            "first plan s",
        ],
        rows,
    )
    return results


def bench_scaling(sizes: list[int], budget: float, workers: int, seed: int) -> list[dict[str, Any]]:
    results = []
    rows = []
    for size in sizes:
        instance = fmp.read_instance(generate(size, seed=size), f"gen{size}")
        began = time.monotonic()
        base = _row(instance, heuristic_plan(instance, Policy.NATIONAL), began)
        began = time.monotonic()
        row = _row(
            instance, solve(instance, Policy.NATIONAL, SolveParams(budget, workers, seed)), began
        )
        results.append({"size": size, "baseline": base, "cp_sat": row})
        rows.append(
            [
                str(size),
                str(base["wall_s"]),
                str(row["first_plan_s"]),
                f"{base['floor_misses']}/{row['floor_misses']}",
                f"{base['shortfall']}/{row['shortfall']}",
                _ratio(row["shortfall"], base["shortfall"]),
                _fmt_gap(row["gap"]),
                str(row["violations"]),
            ]
        )
    _print(
        f"Scaling series (generated from the published parameters, 90 months, {budget:g} s)",
        [
            "aircraft",
            "heuristic s",
            "cp-sat first s",
            "floors base/cp",
            "shortfall base/cp",
            "vs base",
            "gap",
            "violations",
        ],
        rows,
    )
    return results


def bench_reference(budget: float, workers: int, seed: int) -> list[dict[str, Any]]:
    instance = load_scenario(REFERENCE).instance
    began = time.monotonic()
    comparison = compare_policies(instance, params=SolveParams(budget, workers, seed))
    elapsed = time.monotonic() - began
    results = []
    rows = []
    national = comparison.run(Policy.NATIONAL).shortfall
    for run in comparison.runs:
        base = validate(instance, heuristic_plan(instance, run.policy)).figures
        f = run.report.figures
        results.append(
            {
                "policy": str(run.policy),
                "floor_misses": run.floor_misses,
                "shortfall": run.shortfall,
                "shortfall_bound": run.shortfall_bound,
                "cost": f.cost,
                "gap": run.solution.gap,
                "violations": len(run.report.violations),
                "wall_s": round(run.solution.wall_time, 1),
                "baseline_shortfall": base.shortfall,
            }
        )
        rows.append(
            [
                str(run.policy),
                str(len(run.report.violations)),
                str(run.floor_misses),
                f"{run.shortfall} (>= {run.shortfall_bound})",
                _ratio(run.shortfall, national),
                f"{base.shortfall}",
                str(f.cost),
                _fmt_gap(run.solution.gap),
                f"{run.solution.wall_time:.1f}",
            ]
        )
    _print(
        f"Reference study (illustrative), every policy at {budget:g} s ({elapsed:.0f} s in all)",
        [
            "policy",
            "violations",
            "floor misses",
            "shortfall",
            "vs national",
            "heuristic",
            "cost",
            "gap",
            "wall s",
        ],
        rows,
    )
    return results


def bench_pricing(repeats: int) -> dict[str, Any]:
    """Labels against arrays on the part of s85 the heuristic leaves most short of."""
    instance = fmp.read_instance(json.loads((FMP_DIR / "a060_p04_s85.json").read_text()), "s85")
    plans = [
        (part, heuristic_plan(part, Policy.NATIONAL)) for part in split(instance, Policy.NATIONAL)
    ]
    part, plan = max(plans, key=lambda pp: validate(pp[0], pp[1]).figures.shortfall)
    master = Master(part, 0)
    for schedule in schedules_of(part, plan):
        master.add(schedule)
    _, duals = master.solve_lp()
    pricers = [_Pricing(part, Policy.NATIONAL, a) for a in part.aircraft]
    for pricer in pricers:  # lay out the graphs (and compile the kernel) outside the clock
        pricer.by_labels(duals, 1)
    timed: dict[str, float] = {}
    values: dict[str, list[list[float]]] = {}
    for way in ("by_arrays", "by_labels"):
        began = time.perf_counter()
        for _ in range(repeats):
            values[way] = [[v for v, _ in getattr(p, way)(duals, 4)] for p in pricers]
        timed[way] = (time.perf_counter() - began) / (repeats * len(pricers))
    same = all(
        abs(a - b) < 1e-6
        for arrays, labels in zip(values["by_arrays"], values["by_labels"], strict=True)
        for a, b in zip(arrays, labels, strict=True)
    )
    began = time.perf_counter()
    relaxed = relaxation_support(part, Policy.NATIONAL, 120.0, plans=[plan])
    relaxation_s = time.perf_counter() - began
    _print(
        f"Pricing on s85's hard part ({len(part.aircraft)} aircraft, {part.periods} months), "
        f"the master's first prices, {repeats} repeats",
        ["way", "ms per aircraft", "vs arrays", "same values"],
        [
            ["arrays", f"{1000 * timed['by_arrays']:.1f}", "1.00", "-"],
            [
                "labels",
                f"{1000 * timed['by_labels']:.1f}",
                _ratio(timed["by_labels"], timed["by_arrays"]),
                "yes" if same else "NO",
            ],
        ],
    )
    value = None if relaxed is None else round(relaxed.value, 4)
    print(f"relaxation floors first on labels: {relaxation_s:.1f} s, value {value}")
    return {
        "arrays_ms": 1000 * timed["by_arrays"],
        "labels_ms": 1000 * timed["by_labels"],
        "same_values": same,
        "relaxation_s": relaxation_s,
        "relaxation": value,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="10 s budgets, short series")
    parser.add_argument("--budgets", default="60,300", help="FMP budgets in seconds")
    parser.add_argument("--sizes", default="45,90,150,210,255", help="scaling series sizes")
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--skip", default="", help="comma list of fmp,scaling,reference,pricing")
    parser.add_argument("--json", type=Path, help="also write the figures as JSON")
    args = parser.parse_args()
    budgets = [10.0] if args.quick else [float(b) for b in args.budgets.split(",")]
    sizes = [45, 90] if args.quick else [int(s) for s in args.sizes.split(",")]
    skip = set(args.skip.split(","))
    out: dict[str, Any] = {"budgets": budgets, "workers": args.workers}
    if "fmp" not in skip:
        out["fmp"] = bench_fmp(budgets, args.workers, args.seed)
    if "scaling" not in skip:
        out["scaling"] = bench_scaling(sizes, budgets[0], args.workers, args.seed)
    if "reference" not in skip:
        out["reference"] = bench_reference(budgets[0], args.workers, args.seed)
    if "pricing" not in skip:
        out["pricing"] = bench_pricing(2 if args.quick else 5)
    if args.json:
        args.json.write_text(json.dumps(out, indent=1))


if __name__ == "__main__":
    main()
