"""``bedeco planning …``: validate, run and compare pooling scenarios; solve FMP benchmark files.

Thin on purpose: every figure comes from the engine's validator, every
table from the engine's results; this module only reads arguments, shows
progress and prints.
"""

from __future__ import annotations

import json
from pathlib import Path

import typer
from rich.console import Console
from rich.progress import Progress, SpinnerColumn, TextColumn, TimeElapsedColumn
from rich.table import Table

from bedeco.planning.engine import fmp
from bedeco.planning.engine.compare import capacity_study, compare_policies, significant
from bedeco.planning.engine.explain import explain_infeasible, explain_shortfall
from bedeco.planning.engine.instance import Instance, Policy
from bedeco.planning.engine.render import solution_to_json
from bedeco.planning.engine.scenario import Scenario, ScenarioInvalid, load_scenario
from bedeco.planning.engine.solution import Solution
from bedeco.planning.engine.solver import Progress as SearchProgress
from bedeco.planning.engine.solver import SolveParams, solve
from bedeco.planning.engine.validation import Report, validate

app = typer.Typer(
    help="Pooling studies: maintenance and flying of shared fleets.", no_args_is_help=True
)
fmp_app = typer.Typer(
    help="The public Flight and Maintenance Planning benchmark.", no_args_is_help=True
)
app.add_typer(fmp_app, name="fmp")
console = Console()

TIME_LIMIT = typer.Option(60.0, "--time-limit", help="Seconds of search per policy.")
WORKERS = typer.Option(2, "--workers", help="CP-SAT worker threads.")
SEED = typer.Option(0, "--seed", help="Random seed of the search.")
FLOOR_MISS_BUDGET = typer.Option(
    0,
    "--floor-miss-budget",
    min=0,
    help="Floor-periods that may fall below a floor where that lowers shortfall (0: floors first).",
)


def _load(path: Path) -> Scenario:
    try:
        return load_scenario(path)
    except ScenarioInvalid as error:
        for problem in error.problems:
            console.print(f"[red]{problem}[/red]", highlight=False)
        raise typer.Exit(code=1) from None


def _search(instance: Instance, policy: Policy, params: SolveParams) -> Solution:
    with Progress(
        SpinnerColumn(), TextColumn("{task.description}"), TimeElapsedColumn(), console=console
    ) as bar:
        task = bar.add_task(f"{policy}: searching", total=None)

        def show(p: SearchProgress) -> None:
            bar.update(task, description=f"{policy}: plan {p.solutions}, gap {p.gap:.1%}")

        return solve(instance, policy, params, on_progress=show)


def _figures_table(instance: Instance, solution: Solution, report: Report) -> Table:
    f = report.figures
    table = Table(
        title=f"{instance.name} — {solution.policy} ({solution.method}, {solution.status})"
    )
    table.add_column("figure")
    table.add_column("value", justify="right")
    table.add_row("rule violations", str(len(report.violations)))
    table.add_row("floor misses (floor-periods)", str(len(f.floor_misses)))
    table.add_row("shortfall (aircraft-periods)", str(f.shortfall))
    table.add_row("checks started", str(f.checks_started))
    table.add_row("cost", str(f.cost))
    gap = solution.gap
    table.add_row("gap", "-" if gap is None else f"{gap:.1%}")
    for nation, (mean, least) in f.availability.items():
        table.add_row(f"availability {nation} (mean / least)", f"{mean:.1f} / {least}")
    return table


@app.command("validate")
def validate_command(scenario: Path) -> None:
    """Check a scenario file; name every problem by file, line and field."""
    loaded = _load(scenario)
    instance = loaded.instance
    console.print(
        f"{scenario.name}: {len(instance.aircraft)} aircraft, {len(instance.missions)} missions, "
        f"{len(instance.facilities)} facilities, {instance.periods} periods"
        + (" (illustrative)" if loaded.illustrative else "")
    )
    blocked = False
    for policy in Policy:
        for cause in explain_infeasible(instance, policy):
            blocked = True
            console.print(f"[red]{policy}: {cause.rule}: {cause.message}[/red]", highlight=False)
    if blocked:
        raise typer.Exit(code=1)
    console.print("[green]valid[/green]")


@app.command("run")
def run_command(
    scenario: Path,
    policy: Policy = typer.Option(Policy.POOLED, "--policy"),
    time_limit: float = TIME_LIMIT,
    workers: int = WORKERS,
    seed: int = SEED,
    floor_miss_budget: int = FLOOR_MISS_BUDGET,
    out: Path | None = typer.Option(None, "--out", help="Write the plan as JSON."),
) -> None:
    """Plan one scenario under one policy and show its figures."""
    instance = _load(scenario).instance
    for cause in explain_infeasible(instance, policy):
        console.print(f"[red]{cause.rule}: {cause.message}[/red]", highlight=False)
        raise typer.Exit(code=1)
    params = SolveParams(time_limit, workers, seed, floor_miss_budget=floor_miss_budget)
    solution = _search(instance, policy, params)
    if not solution.has_plan:
        console.print(f"[red]no plan: {solution.status} {solution.message}[/red]")
        raise typer.Exit(code=1)
    report = validate(instance, solution)
    console.print(_figures_table(instance, solution, report))
    for cause in explain_shortfall(instance, solution, report)[:12]:
        console.print(cause.sentence(instance), highlight=False)
    if out is not None:
        out.write_text(json.dumps(solution_to_json(instance, solution, report), indent=1))
        console.print(f"plan written to {out}")


@app.command("compare")
def compare_command(
    scenario: Path,
    time_limit: float = TIME_LIMIT,
    workers: int = WORKERS,
    seed: int = SEED,
    capacity: bool = typer.Option(False, "--capacity", help="Also bisect the least check slots."),
) -> None:
    """Solve a scenario under every policy with the same budget; one table."""
    instance = _load(scenario).instance
    params = SolveParams(time_limit, workers, seed)
    with Progress(SpinnerColumn(), TextColumn("{task.description}"), console=console) as bar:
        task = bar.add_task("comparing", total=None)

        def show(policy: Policy, p: SearchProgress) -> None:
            bar.update(task, description=f"{policy}: plan {p.solutions}, gap {p.gap:.1%}")

        comparison = compare_policies(instance, params=params, on_progress=show)
    nations = sorted({a.nation for a in instance.aircraft})
    table = Table(title=f"{instance.name}: policies side by side ({time_limit:g} s each)")
    for column in ("policy", "floor misses", "shortfall", "proven ≥", "checks", "cost", "gap"):
        table.add_column(column, justify="right")
    for nation in nations:
        table.add_column(f"{nation} avail", justify="right")
    for run in comparison.runs:
        f = run.report.figures
        gap = run.solution.gap
        table.add_row(
            str(run.policy),
            str(run.floor_misses),
            str(run.shortfall),
            str(run.shortfall_bound),
            str(f.checks_started),
            str(f.cost),
            "-" if gap is None else f"{gap:.1%}",
            *(f"{f.availability[n][0]:.1f}/{f.availability[n][1]}" for n in nations),
        )
    console.print(table)
    use = Table(title="facility use (check-periods / slot-periods)")
    use.add_column("facility")
    for run in comparison.runs:
        use.add_column(str(run.policy), justify="right")
    for facility in instance.facilities:
        use.add_row(
            facility.id,
            *(f"{r.report.figures.facility_use[facility.id]:.0%}" for r in comparison.runs),
        )
    console.print(use)
    runs = comparison.runs
    for i, a in enumerate(runs):
        for b in runs[i + 1 :]:
            verdict = "significant" if significant(a, b) else "not significant (within the gaps)"
            console.print(
                f"{a.policy} vs {b.policy}: shortfall {a.shortfall} vs {b.shortfall}, {verdict}"
            )
    if capacity:
        study = capacity_study(instance, params=params)
        for policy, slots in study.least_slots.items():
            console.print(f"least total slots with zero shortfall, {policy}: {slots}")
        gain = study.gain()
        console.print(
            f"pooling gain (national / pooled slots): {'-' if gain is None else f'{gain:.2f}'}"
        )


@fmp_app.command("solve")
def fmp_solve(
    file: Path,
    time_limit: float = TIME_LIMIT,
    workers: int = WORKERS,
    seed: int = SEED,
    floor_miss_budget: int = FLOOR_MISS_BUDGET,
    out: Path = typer.Option(Path("PLAN.json"), "--out", help="data_out.json-format plan."),
) -> None:
    """Solve a benchmark instance; report floor misses per cluster and month; write data_out."""
    instance = fmp.read_instance(json.loads(file.read_text()), file.stem)
    params = SolveParams(time_limit, workers, seed, floor_miss_budget=floor_miss_budget)
    solution = _search(instance, Policy.NATIONAL, params)
    if not solution.has_plan:
        console.print(f"[red]no plan: {solution.status} {solution.message}[/red]")
        raise typer.Exit(code=1)
    report = validate(instance, solution)
    console.print(_figures_table(instance, solution, report))
    for miss in fmp.cluster_misses(instance, report):
        console.print(
            f"floor miss: {miss.cluster} {miss.month} {miss.kind}: {miss.got} < {miss.need}"
        )
    out.write_text(json.dumps(fmp.write_solution(instance, solution), indent=1, sort_keys=True))
    console.print(f"plan written to {out}")


from bedeco.planning.studies_cli import worker_command  # noqa: E402  (stored studies)

app.command("worker")(worker_command)
