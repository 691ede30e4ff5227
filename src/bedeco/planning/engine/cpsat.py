"""One CP-SAT model searched for the best plan: anytime, with the proven bound and the gap.

``build_model`` turns an instance and a policy into a model (variables, every
rule family, the lexicographic objective). ``solve_model`` runs it with a time
limit, a worker count and a seed, warm-started from the constructive
heuristic, reports each better plan to a progress callback, stops when a
cancel event is set, and returns the best plan found. ``solver.solve`` decides
whether the whole scenario is one model or several parts; loading, printing
and validating belong to the callers.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, replace

from ortools.sat.python import cp_model

from bedeco.planning.engine.constraints import RULES
from bedeco.planning.engine.heuristic import heuristic_plan
from bedeco.planning.engine.instance import Instance, Policy
from bedeco.planning.engine.objective import Levels, Objective, objective_for
from bedeco.planning.engine.solution import Flight, PlannedCheck, Solution
from bedeco.planning.engine.validation import validate
from bedeco.planning.engine.variables import ModelVars, create_variables

LNS_ONLY_ABOVE = 2_000
"""Decision variables above which the search spends both workers on improving the plan."""


@dataclass(frozen=True)
class SolveParams:
    """Budget and determinism of one search (2 workers suit the 2-core machine)."""

    time_limit: float = 60.0
    workers: int = 2
    seed: int = 0
    warm_start: bool = True
    log: bool = False
    lns_only: bool | None = None
    """Only large-neighbourhood search from the warm start; None: for models above
    ``LNS_ONLY_ABOVE`` variables. On two cores the full search's worker adds a weak
    bound on the benchmark but halves the search for better plans."""
    floor_miss_budget: int = 0
    """Floor-periods the planner accepts below a floor where that lowers shortfall.
    0 (the default) puts every floor first; N ranks misses beyond N first, then
    shortfall, then misses within N. Misses are always reported."""
    column_bound: bool | None = None
    """Prove shortfall bounds of parts left open by column generation over aircraft
    schedules (``colgen.py``); None: floors first (no floor-miss budget) when ``time_limit``
    is at least ``solver.BOUND_FROM``."""
    pattern_search: bool | None = None
    """Search parts left open again among the column generation's check patterns with
    HiGHS (``patterns.py``); None: when ``time_limit`` is at least ``solver.BOUND_FROM``."""
    decompose: bool | None = None
    """Search independent parts of the scenario one by one (``solver.py``); None: when
    the model is above ``LNS_ONLY_ABOVE`` decisions and has more than one part."""


@dataclass(frozen=True)
class Progress:
    """One better plan found during the search."""

    elapsed: float
    objective: int
    bound: int
    solutions: int

    @property
    def gap(self) -> float:
        return (
            0.0 if self.objective <= 0 else max(0.0, (self.objective - self.bound) / self.objective)
        )


@dataclass
class BuiltModel:
    """A model ready to solve, with its variables and the weight of each objective level."""

    vars: ModelVars
    objective: Objective
    excess: cp_model.IntVar | None = None

    @property
    def weights(self) -> Levels:
        """Weights of floor misses (beyond the budget, if any), shortfall, cost and peak."""
        return self.objective.weights

    def objective_of(self, levels: Levels) -> int:
        """The objective of a plan from its validated levels (misses, shortfall, cost, peak)."""
        return self.objective.of(levels)

    @property
    def model(self) -> cp_model.CpModel:
        return self.vars.model

    def fix(self, solution: Solution) -> None:
        """Pin every decision to ``solution``.

        The tests break one rule in a plan and expect the pinned model to be infeasible.
        """
        v = self.vars
        chosen = {(c.aircraft, c.start, c.facility) for c in solution.checks}
        for key, var in v.start.items():
            v.model.add(var == int(key in chosen))
        if chosen - set(v.start):
            v.impossible()
        flown = {(f.aircraft, f.mission, f.period) for f in solution.flights}
        for flight_key, var in v.fly.items():
            v.model.add(var == int(flight_key in flown))
        if flown - set(v.fly):
            v.impossible()

    def hint(self, instance: Instance, solution: Solution) -> None:
        """Offer ``solution`` and every value it implies as the search's first plan."""
        v = self.vars
        figures = validate(instance, solution).figures
        values: dict[int, tuple[cp_model.IntVar, int]] = {}

        def hint(var: cp_model.IntVar, value: int) -> None:
            values[var.index] = (var, value)

        chosen = {(c.aircraft, c.start, c.facility) for c in solution.checks}
        starts = {(c.aircraft, c.start) for c in solution.checks}
        flown = {(f.aircraft, f.mission, f.period) for f in solution.flights}
        for key, var in v.start.items():
            hint(var, int(key in chosen))
        for (a, t), var in v.starts_at.items():
            hint(var, int((a, t) in starts))
        for (a, t), busy in v.in_check.items():
            if not isinstance(busy, int):
                hint(busy, int((a, t) in figures.in_check))
        for flight_key, var in v.fly.items():
            hint(var, int(flight_key in flown))
        for hours_key, var in v.hours.items():
            hint(var, max(0, figures.hours[hours_key]))
        for short_key, var in v.shortfall.items():
            hint(var, figures.shortfall_by.get(short_key, 0))
        missed = {(m.floor, m.period, m.kind) for m in figures.floor_misses}
        for (floor, t), var in v.available_miss.items():
            hint(var, int((floor, t, "available") in missed))
        for (floor, t), var in v.hours_miss.items():
            hint(var, int((floor, t, "hours") in missed))
        if v.peak is not None:
            hint(v.peak, figures.peak)
        if self.excess is not None:
            hint(self.excess, max(0, len(figures.floor_misses) - self.objective.budget))
        for var, value in values.values():
            v.model.add_hint(var, value)


def build_model(instance: Instance, policy: Policy, floor_miss_budget: int = 0) -> BuiltModel:
    """Variables, every rule family, and the lexicographic objective."""
    model = cp_model.CpModel()
    v = create_variables(instance, policy, model)
    for rule in RULES:
        rule.apply(v)
    assert v.peak is not None
    objective = objective_for(instance, policy, floor_miss_budget)
    floors = sum(v.available_miss.values()) + sum(v.hours_miss.values())
    shortfall = sum(v.shortfall.values())
    cost = sum(price * var for var, price in v.cost_terms)
    excess = None
    terms = [objective.shortfall * shortfall, objective.cost * cost, objective.peak * v.peak]
    if floor_miss_budget > 0:
        floor_ub = len(v.available_miss) + len(v.hours_miss)
        excess = model.new_int_var(0, floor_ub, "floor_misses_beyond_budget")
        model.add(excess >= floors - floor_miss_budget)
        terms += [objective.floor * excess, objective.per_miss * floors]
    else:
        terms.append(objective.floor * floors)
    model.minimize(cp_model.LinearExpr.sum(terms))
    return BuiltModel(v, objective, excess)


class _Watcher(cp_model.CpSolverSolutionCallback):
    """Reports each better plan and stops the search when asked to.

    With ``settle_at`` (the shortfall weight) it also stops once the plan's
    floor and shortfall levels equal what the bound proves: cost and spread
    are not worth a part's time while another part still has shortfall.
    """

    def __init__(
        self,
        began: float,
        on_progress: Callable[[Progress], None] | None,
        cancel: threading.Event | None,
        settle_at: int | None = None,
    ) -> None:
        super().__init__()
        self.began = began
        self.on_progress = on_progress
        self.cancel = cancel
        self.settle_at = settle_at
        self.first: float | None = None
        self.count = 0
        self.best: int | None = None
        self.settled = False
        self.halt: Callable[[], None] = self.stop_search

    def on_solution_callback(self) -> None:
        self.count += 1
        elapsed = time.monotonic() - self.began
        if self.first is None:
            self.first = elapsed
        self.best = int(self.objective_value)
        if self.on_progress is not None:
            self.on_progress(
                Progress(elapsed, self.best, int(self.best_objective_bound), self.count)
            )
        if self.cancel is not None and self.cancel.is_set():
            self.stop_search()
        self.check_settled(self.best_objective_bound)

    def check_settled(self, bound: float) -> None:
        """Stop when the top two levels of the best plan are proven."""
        if self.settle_at is None or self.best is None or self.settled:
            return
        if self.best // self.settle_at <= int(bound) // self.settle_at:
            self.settled = True
            self.halt()


def solve_model(
    instance: Instance,
    policy: Policy = Policy.POOLED,
    params: SolveParams | None = None,
    *,
    on_progress: Callable[[Progress], None] | None = None,
    cancel: threading.Event | None = None,
    start_from: Solution | None = None,
    settle: bool = False,
) -> Solution:
    """Best plan for ``instance`` under ``policy`` within the budget of ``params``.

    The constructive heuristic's plan (or ``start_from``) is the hint; if the
    search finds nothing better in time, that plan is returned with the
    search's bound. ``cancel`` stops the search at the next opportunity.
    ``settle`` stops it once floor misses and shortfall are proven optimal.
    """
    params = params or SolveParams()
    began = time.monotonic()
    built = build_model(instance, policy, params.floor_miss_budget)
    baseline = start_from
    if baseline is None and params.warm_start:
        baseline = heuristic_plan(instance, policy)
    if baseline is not None:
        built.hint(instance, baseline)
    lns_only = params.lns_only
    if lns_only is None:
        lns_only = len(built.vars.fly) + len(built.vars.start) > LNS_ONLY_ABOVE
    solver = cp_model.CpSolver()
    solver.parameters.max_time_in_seconds = max(0.1, params.time_limit - (time.monotonic() - began))
    solver.parameters.num_workers = params.workers
    solver.parameters.random_seed = params.seed
    solver.parameters.log_search_progress = params.log
    solver.parameters.max_presolve_iterations = 1
    if lns_only and baseline is not None and params.workers > 1:
        solver.parameters.use_lns_only = True
    watcher = _Watcher(began, on_progress, cancel, built.objective.shortfall if settle else None)
    if settle:
        watcher.halt = solver.stop_search
        solver.best_bound_callback = watcher.check_settled
    stopper = _stop_on_cancel(solver, cancel)
    status = solver.solve(built.model, watcher)
    if stopper is not None:
        stopper.set()
    name = solver.status_name(status)
    if status in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        solution = _found(built, solver, policy, name, watcher)
        return replace(solution, wall_time=time.monotonic() - began)
    elapsed = time.monotonic() - began
    message = "cancelled" if cancel is not None and cancel.is_set() else name
    if baseline is not None and name != "INFEASIBLE" and validate(instance, baseline).ok:
        return Solution(
            policy=policy,
            checks=baseline.checks,
            flights=baseline.flights,
            method="heuristic",
            status="HEURISTIC",
            wall_time=elapsed,
            first_plan_time=baseline.wall_time,
            message=f"search returned {message}; the heuristic plan stands",
        )
    return Solution(policy, (), (), "cp-sat", name, wall_time=elapsed, message=message)


def _found(
    built: BuiltModel, solver: cp_model.CpSolver, policy: Policy, status: str, watcher: _Watcher
) -> Solution:
    """The solver's plan with what its bound proves about floor misses and shortfall."""
    bound = round(solver.best_objective_bound)
    floor_w, shortfall_w, _, _ = built.weights
    floors_found = sum(solver.value(x) for x in built.vars.available_miss.values()) + sum(
        solver.value(x) for x in built.vars.hours_miss.values()
    )
    excess_found = max(0, floors_found - built.objective.budget)
    excess_bound = bound // floor_w
    floor_bound = excess_bound + built.objective.budget if excess_bound > 0 else 0
    shortfall_bound = (
        max(0, bound - floor_w * excess_found) // shortfall_w if excess_bound >= excess_found else 0
    )
    return Solution(
        policy=policy,
        checks=_checks(built.vars, solver),
        flights=_flights(built.vars, solver),
        method="cp-sat",
        status=status,
        objective=round(solver.objective_value),
        bound=bound,
        floor_bound=floor_bound,
        shortfall_bound=shortfall_bound,
        first_plan_time=watcher.first,
        solutions_found=watcher.count,
    )


def _stop_on_cancel(
    solver: cp_model.CpSolver, cancel: threading.Event | None
) -> threading.Event | None:
    """A thread that stops the search when ``cancel`` is set, even before any plan is found."""
    if cancel is None:
        return None
    done = threading.Event()

    def watch() -> None:
        while not done.is_set():
            if cancel.wait(0.1):
                solver.stop_search()
                return

    threading.Thread(target=watch, daemon=True).start()
    return done


def _checks(v: ModelVars, solver: cp_model.CpSolver) -> tuple[PlannedCheck, ...]:
    return tuple(
        sorted(PlannedCheck(a, t, f) for (a, t, f), var in v.start.items() if solver.value(var))
    )


def _flights(v: ModelVars, solver: cp_model.CpSolver) -> tuple[Flight, ...]:
    return tuple(sorted(Flight(a, m, t) for (a, m, t), var in v.fly.items() if solver.value(var)))
