"""Policies side by side on one scenario, and what pooling gains in check slots.

Recital M claims economies of scale for the cooperation; this module
measures them. ``compare_policies`` solves one scenario under each policy with
the same budget and keeps every figure from the independent validator.
``capacity_study`` finds, by bisection, the least total check slots that give
zero shortfall under each policy; the ratio national / pooled is the pooling
gain. A difference smaller than the runs' gaps is reported as not significant.
"""

from __future__ import annotations

import dataclasses
import functools
import threading
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from bedeco.planning.engine.bounds import shortfall_lower_bound
from bedeco.planning.engine.instance import Instance, Policy
from bedeco.planning.engine.solution import Solution
from bedeco.planning.engine.solver import Progress, SolveParams, solve
from bedeco.planning.engine.validation import Report, validate


@dataclass(frozen=True)
class PolicyRun:
    """One policy's best plan and its independently recomputed figures."""

    policy: Policy
    solution: Solution
    report: Report
    decomposed_bound: int = 0

    @property
    def shortfall(self) -> int:
        return self.report.figures.shortfall

    @property
    def floor_misses(self) -> int:
        return len(self.report.figures.floor_misses)

    @property
    def shortfall_bound(self) -> int:
        """Least shortfall any plan can have, as far as the search proved (0 if unproven)."""
        solution = self.solution
        proven = self.decomposed_bound
        if solution.floor_bound is not None and solution.floor_bound >= self.floor_misses:
            proven = max(proven, solution.shortfall_bound or 0)
        return min(proven, self.shortfall)


@dataclass(frozen=True)
class Comparison:
    """The runs of one scenario, one per policy, with the same budget."""

    runs: tuple[PolicyRun, ...]

    def run(self, policy: Policy) -> PolicyRun:
        return next(r for r in self.runs if r.policy is policy)


def significant(a: PolicyRun, b: PolicyRun) -> bool:
    """Whether ``a`` and ``b`` differ by more than what their gaps leave open.

    Each run's shortfall lies between its proven bound and its plan; only
    when those intervals do not overlap is the difference a finding.
    """
    if a.floor_misses != b.floor_misses:
        a_low = a.solution.floor_bound or 0
        b_low = b.solution.floor_bound or 0
        return a.floor_misses < b_low or b.floor_misses < a_low
    return a.shortfall < b.shortfall_bound or b.shortfall < a.shortfall_bound


def compare_policies(
    instance: Instance,
    policies: Sequence[Policy] = tuple(Policy),
    params: SolveParams | None = None,
    *,
    on_progress: Callable[[Policy, Progress], None] | None = None,
    cancel: threading.Event | None = None,
    bound_time: float | None = None,
) -> Comparison:
    """Solve ``instance`` under each policy with the same budget.

    Each run also gets a decomposition bound on shortfall (``bounds.py``),
    searched for ``bound_time`` seconds (default a tenth of the budget, at
    most 10 s), so that differences can be judged against proven gaps.
    """
    params = params or SolveParams()
    if bound_time is None:
        bound_time = min(10.0, params.time_limit / 10)
    runs = []
    for policy in policies:
        if cancel is not None and cancel.is_set():
            break
        report_progress = None if on_progress is None else functools.partial(on_progress, policy)
        solution = solve(instance, policy, params, on_progress=report_progress, cancel=cancel)
        bound = shortfall_lower_bound(instance, policy, bound_time, params.seed)
        runs.append(PolicyRun(policy, solution, validate(instance, solution), bound))
    return Comparison(tuple(runs))


def with_total_slots(instance: Instance, total: int) -> Instance:
    """The instance with ``total`` check slots shared as today's are, at least one each."""
    facilities = instance.facilities
    today = sum(f.slots for f in facilities) or 1
    shares = [max(1.0, total * f.slots / today) for f in facilities]
    slots = [int(s) for s in shares]
    order = sorted(range(len(facilities)), key=lambda i: shares[i] - slots[i], reverse=True)
    for i in order[: max(0, total - sum(slots))]:
        slots[i] += 1
    return dataclasses.replace(
        instance,
        facilities=tuple(
            dataclasses.replace(f, slots=s) for f, s in zip(facilities, slots, strict=True)
        ),
    )


@dataclass(frozen=True)
class CapacityStudy:
    """Least total slots with zero shortfall under each policy (None: not reached)."""

    least_slots: dict[Policy, int | None]
    cancelled: bool = False
    """The study was stopped: policies missing from ``least_slots`` were not finished."""

    def gain(self, pooled: Policy = Policy.POOLED) -> float | None:
        """National slots over pooled slots: how many times fewer slots pooling needs."""
        national = self.least_slots.get(Policy.NATIONAL)
        other = self.least_slots.get(pooled)
        if not national or not other:
            return None
        return national / other


def _zero_shortfall(
    instance: Instance, policy: Policy, params: SolveParams, cancel: threading.Event | None
) -> bool:
    solution = solve(instance, policy, params, cancel=cancel)
    if not solution.has_plan:
        return False
    report = validate(instance, solution)
    return report.ok and report.figures.shortfall == 0


def capacity_study(
    instance: Instance,
    policies: Sequence[Policy] = tuple(Policy),
    params: SolveParams | None = None,
    *,
    ceiling: int | None = None,
    cancel: threading.Event | None = None,
) -> CapacityStudy:
    """Bisection on total slots for each policy (each probe gets the full budget).

    Setting ``cancel`` stops the probe under way; the policy it belonged to is
    left out (a stopped probe proves nothing) and the study says it was cancelled.
    """
    params = params or SolveParams()
    low_start = len(instance.facilities)
    high_start = ceiling or 2 * sum(f.slots for f in instance.facilities)
    least: dict[Policy, int | None] = {}

    def zero(slots: int, policy: Policy) -> bool:
        return _zero_shortfall(with_total_slots(instance, slots), policy, params, cancel)

    def stopped() -> bool:
        return cancel is not None and cancel.is_set()

    for policy in policies:
        reachable = not stopped() and zero(high_start, policy)
        if stopped():
            return CapacityStudy(least, cancelled=True)
        if not reachable:
            least[policy] = None
            continue
        low, high = low_start, high_start
        while low < high:
            middle = (low + high) // 2
            if zero(middle, policy):
                high = middle
            else:
                low = middle + 1
            if stopped():
                return CapacityStudy(least, cancelled=True)
        least[policy] = high
    return CapacityStudy(least)
