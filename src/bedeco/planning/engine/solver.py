"""The search for the best plan: the scenario as one model, or part by part.

``solve`` is what every caller uses. A small scenario, or one whose aircraft
all depend on each other, is one CP-SAT model (``cpsat.py``). A large one
made of independent parts (``decompose.py``: aircraft that share no mission,
no floor and no lending cap) is searched part by part, because a part's
hard months then get the search's whole attention:

1. **First pass.** Each part, with every facility's full slots, gets a share
   of ``FIRST_PASS_SHARE`` of the budget by its size, and stops early once its
   floor misses and shortfall are proven optimal (most parts are easy).
2. **Second pass.** The time left, less ``REPAIR_SHARE`` (and
   ``BOUND_SHARE``), goes to the parts not proven, in proportion to what is
   left open, continuing from their plans.
3. **Bounds.** Floors first with a budget of ``BOUND_FROM`` seconds or more, parts still
   open get up to ``BOUND_SHARE`` of it for a shortfall bound by column
   generation over whole aircraft schedules (``colgen.py``): CP-SAT's own
   bound proves nothing about shortfall where flight hours bind.
4. **Check patterns.** With a budget of ``BOUND_FROM`` seconds or more, the
   parts still open are searched again by HiGHS among the check patterns the
   column generation's relaxation used (``patterns.py``), from their plans,
   in what is left but ``REPAIR_SHARE`` (``PATTERN_SHARE`` was kept for it,
   and ``BOUND_SHARE`` too where no bound is sought). With a floor-miss
   budget the patterns come from the relaxation without the floor rows the
   floors-first relaxation prices highest, and HiGHS may miss those rows or
   the plan's own, at most the budget's worth.
5. **Merge and fit.** The parts' plans put together respect every rule
   except perhaps the facility slots, which each part had to itself. If a
   facility is overfull, the parts are placed one by one, the one with most
   misses and shortfall first: a part whose plan does not fit in the slots
   left is searched again with the others' checks taking their slots
   (``Instance.taken_slots``), from its own plan, then from the heuristic's.
   Should that fail, the whole model is searched from the merged plan with
   the time left.
6. **Polish.** With every part proven on floors and shortfall, the time
   left goes to the whole model from the merged plan (cost and the spread of
   checks are only optimal on the whole); otherwise to the most open part
   again, around the slots the other parts' checks take.

The parts' bounds add up to a bound on the whole (the shared slots were
relaxed), so the merged plan carries a proven bound on floor misses and
shortfall like a single search does.
"""

from __future__ import annotations

import threading
import time
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, replace
from types import MappingProxyType

from bedeco.planning.engine.colgen import (
    Schedule,
    ShortfallBound,
    relaxation_support,
    schedules_of,
    shortfall_bound,
)
from bedeco.planning.engine.cpsat import (
    LNS_ONLY_ABOVE,
    BuiltModel,
    Progress,
    SolveParams,
    build_model,
    solve_model,
)
from bedeco.planning.engine.decompose import decisions, merge, split
from bedeco.planning.engine.heuristic import heuristic_plan
from bedeco.planning.engine.instance import Instance, Policy
from bedeco.planning.engine.objective import Levels, Objective, objective_for
from bedeco.planning.engine.patterns import missed_rows, offered_patterns, pattern_plan
from bedeco.planning.engine.solution import Solution
from bedeco.planning.engine.validation import validate

__all__ = [
    "LNS_ONLY_ABOVE",
    "BuiltModel",
    "Progress",
    "SolveParams",
    "build_model",
    "solve",
    "solve_model",
]

FIRST_PASS_SHARE = 0.1
"""Share of the budget the first pass spreads over the parts by size."""
FIRST_PASS_CAP = 2.0
"""Seconds a part gets at most in the first pass: every part has a plan early."""
METHOD = "cp-sat by parts"
REPAIR_SHARE = 0.1
"""Share of the budget kept for fitting the parts into the shared slots; what the fit does
not need goes to the polish."""
BOUND_SHARE = 0.15
"""Share of the budget column generation may spend proving shortfall bounds of open parts."""
BOUND_FROM = 120.0
"""Budgets (seconds) from which column generation runs by default: on the benchmark's
hard part it needs about 40 s to settle, and an unsettled bound proves little."""
PATTERN_SHARE = 0.35
"""Share of the budget kept for plans from check patterns (``patterns.py``)."""
PRICE_SHARE = 0.25
"""Share of a part's pattern time for each column generation that picks its patterns."""


def solve(
    instance: Instance,
    policy: Policy = Policy.POOLED,
    params: SolveParams | None = None,
    *,
    on_progress: Callable[[Progress], None] | None = None,
    cancel: threading.Event | None = None,
    start_from: Solution | None = None,
) -> Solution:
    """Best plan for ``instance`` under ``policy`` within the budget of ``params``.

    The constructive heuristic's plan (or ``start_from``) is the first plan;
    if nothing better is found in time, that plan is returned. ``cancel``
    stops the search at the next opportunity with the best plan so far.
    """
    params = params or SolveParams()
    if params.decompose is not False:
        parts = split(instance, policy)
        large = params.decompose or decisions(instance, policy) > LNS_ONLY_ABOVE
        if len(parts) > 1 and large:
            search = _PartsSearch(instance, policy, parts, params, on_progress, cancel)
            return search.run(start_from)
    if not _bounds_wanted(params):
        return solve_model(
            instance, policy, params, on_progress=on_progress, cancel=cancel, start_from=start_from
        )
    began = time.monotonic()
    searched = replace(params, time_limit=params.time_limit * (1 - BOUND_SHARE))
    found = solve_model(
        instance, policy, searched, on_progress=on_progress, cancel=cancel, start_from=start_from
    )
    left = params.time_limit - (time.monotonic() - began)
    heard = None
    if on_progress is not None:
        report = on_progress

        def heard(objective: int, bound: int) -> None:
            elapsed = time.monotonic() - began
            report(Progress(elapsed, objective, bound, found.solutions_found))

    bounded = _with_column_bound(instance, policy, params, found, left, cancel, heard)
    return replace(bounded, wall_time=time.monotonic() - began)


def _bounds_wanted(params: SolveParams) -> bool:
    """Column generation on demand, else floors first on budgets of ``BOUND_FROM`` s or more.

    With a floor-miss budget the relaxation spreads the misses thinly over
    months and proves little (25 against 47 on s85), for time the search needs.
    """
    if params.column_bound is None:
        return params.time_limit >= BOUND_FROM and not params.floor_miss_budget
    return params.column_bound


def _patterns_wanted(params: SolveParams) -> bool:
    """Plans from check patterns on demand, else on budgets of ``BOUND_FROM`` s or more."""
    if params.pattern_search is None:
        return params.time_limit >= BOUND_FROM
    return params.pattern_search


def _with_column_bound(
    instance: Instance,
    policy: Policy,
    params: SolveParams,
    found: Solution,
    limit: float,
    cancel: threading.Event | None,
    on_bound: Callable[[int, int], None] | None = None,
) -> Solution:
    """``found`` with its shortfall bound raised by column generation, where it is open.

    ``on_bound(objective, bound)`` hears each round's bound in the objective's units.

    Only at a proven floor level: the bound then holds for every plan at that
    level, which is what the lexicographic bound needs.
    """
    if not found.has_plan or limit < 1.0 or (cancel is not None and cancel.is_set()):
        return found
    budget = params.floor_miss_budget
    misses, shortfall, _, _ = validate(instance, found).figures.levels
    excess = max(0, misses - budget)
    floor_proven = excess == 0 or max(0, (found.floor_bound or 0) - budget) >= excess
    known = found.shortfall_bound or 0
    if not floor_proven or known >= shortfall:
        return found
    objective = objective_for(instance, policy, budget)

    def weighted(proven: ShortfallBound) -> int:
        return max(found.bound or 0, objective.bound(budget + excess, proven.shortfall))

    def heard(proven: ShortfallBound) -> None:
        if on_bound is not None and found.objective is not None:
            on_bound(found.objective, weighted(proven))

    proven = shortfall_bound(
        instance, policy, budget + excess, limit, plans=[found], cancel=cancel, on_round=heard
    )
    if proven is None or proven.shortfall <= known:
        return found
    heard(proven)
    bound = weighted(proven)
    optimal = found.objective is not None and bound >= found.objective
    note = f"shortfall bounded by column generation at {proven.shortfall}"
    return replace(
        found,
        bound=bound,
        shortfall_bound=proven.shortfall,
        status="OPTIMAL" if optimal else found.status,
        message=f"{found.message}; {note}" if found.message else note,
    )


@dataclass
class _Part:
    """One part's scenario, its best plan so far and what was proven about it."""

    instance: Instance
    size: int
    budget: int
    plan: Solution | None = None
    levels: Levels = (0, 0, 0, 0)
    floor_bound: int = 0
    shortfall_bound: int = 0
    bound_levels: Levels = (0, 0, 0, 0)
    """Without a floor-miss budget: levels every plan of the part is lexicographically at or above."""
    support: tuple[Schedule, ...] = ()
    """Schedules the column generation's last relaxation used (their check patterns)."""

    def settled(self) -> bool:
        """Floor misses and shortfall proven optimal (within the part's budget)."""
        return (
            self.plan is not None and self.floor_proven() and self.shortfall_bound >= self.levels[1]
        )

    def floor_proven(self) -> bool:
        """No plan of the part has fewer floor misses (beyond its budget) than its plan."""
        misses = self.levels[0]
        return misses <= self.budget or self.floor_bound >= misses

    def open_shortfall(self) -> int:
        return max(0, self.levels[1] - self.shortfall_bound)


class _PartsSearch:
    """The three passes of a search by parts (see the module docstring)."""

    def __init__(
        self,
        instance: Instance,
        policy: Policy,
        parts: list[Instance],
        params: SolveParams,
        on_progress: Callable[[Progress], None] | None,
        cancel: threading.Event | None,
    ) -> None:
        self.instance = instance
        self.policy = policy
        self.params = params
        self.on_progress = on_progress
        self.cancel = cancel
        self.began = time.monotonic()
        self.deadline = self.began + params.time_limit
        self.objective = objective_for(instance, policy, params.floor_miss_budget)
        budget = params.floor_miss_budget
        self.parts = [_Part(p, max(1, decisions(p, policy)), budget) for p in parts]
        self.plans_reported = 0
        self.whole_bound = 0
        self.first_plan: float | None = None
        self.column_bounds: list[ShortfallBound] = []
        self.pattern_plans = 0

    def left(self) -> float:
        return self.deadline - time.monotonic()

    def stopped(self) -> bool:
        return self.cancel is not None and self.cancel.is_set()

    def run(self, start_from: Solution | None) -> Solution:
        self.first_pass(start_from)
        if not self.stopped():
            self.share_floor_budget()
            self.second_pass()
            self.prove_bounds()
            self.improve_by_patterns()
        return self.finish()

    def first_pass(self, start_from: Solution | None) -> None:
        total = sum(p.size for p in self.parts)
        for part in self.parts:
            if self.stopped():
                return
            share = FIRST_PASS_SHARE * self.params.time_limit * part.size / total
            hint = None if start_from is None else _restricted(start_from, part.instance)
            limit = max(1.0, min(share, FIRST_PASS_CAP, self.left()))
            self.search(part, limit, hint, relaxed=True)

    def share_floor_budget(self) -> None:
        """Each part had the whole floor-miss budget; share it out once.

        First the misses each part is proven to need (its floor bound). Then a
        miss buys coverage only where coverage is short: the rest goes to the
        part with most shortfall not proven optimal, all of it, since its
        first plan's misses say little of what more would buy (on s85, a
        zero-shortfall part kept a miss the hard part needed). What is still
        left keeps the other parts' plans as they are, most misses first. A
        part given fewer misses than its plan spends is searched again in the
        second pass.
        """
        if not self.params.floor_miss_budget:
            return
        left = self.params.floor_miss_budget
        for part in sorted(self.parts, key=lambda p: (-p.floor_bound, -p.levels[1])):
            part.budget = min(part.floor_bound, left)
            left -= part.budget
        short = [p for p in self.parts if p.open_shortfall() > 0]
        if short:
            neediest = max(short, key=lambda p: (p.open_shortfall(), p.levels[0]))
            neediest.budget += left
            left = 0
        for part in sorted(self.parts, key=lambda p: -p.levels[0]):
            more = min(max(0, part.levels[0] - part.budget), left)
            part.budget += more
            left -= more

    def prove_bounds(self) -> None:
        """Prove shortfall bounds of the open parts by column generation (``colgen.py``).

        Only where the part's floor level is proven and the part had the whole
        floor-miss budget: the bound then holds for every plan at that level,
        and the parts' bounds still add up.
        """
        if not self.bounds_wanted():
            return
        budget = self.params.floor_miss_budget
        open_parts = [
            p
            for p in self.parts
            if p.plan is not None
            and p.plan.has_plan
            and not p.settled()
            and p.budget == budget
            and p.floor_proven()
        ]
        total = sum(p.size for p in open_parts)
        for part in open_parts:
            share = BOUND_SHARE * self.params.time_limit * part.size / total
            limit = min(share, self.left() - REPAIR_SHARE * self.params.time_limit)
            if self.stopped() or limit < 1.0:
                return
            assert part.plan is not None
            excess = max(0, part.levels[0] - budget)

            def raise_bound(proven: ShortfallBound, part: _Part = part) -> None:
                part.shortfall_bound = max(part.shortfall_bound, proven.shortfall)
                if not budget:
                    level = (part.levels[0], proven.shortfall, 0, 0)
                    part.bound_levels = max(part.bound_levels, level)
                self.report_bound()

            proven = shortfall_bound(
                part.instance,
                self.policy,
                budget + excess,
                limit,
                plans=[part.plan],
                cancel=self.cancel,
                on_round=raise_bound,
            )
            if proven is not None:
                self.column_bounds.append(proven)
                part.support = proven.support
                raise_bound(proven)

    def improve_by_patterns(self) -> None:
        """Search the open parts again among the relaxation's check patterns (``patterns.py``).

        The most open part first, each an even share of the time left but the
        repair's reserve. Floors first, the patterns are those the shortfall
        bound's relaxation used; with a floor-miss budget, the floor rows worth
        most to the floors-first relaxation are dropped (the misses placed where
        they buy most) and the patterns come from the relaxation without them.
        """
        if not _patterns_wanted(self.params):
            return
        waiting = [p for p in self.parts if p.plan is not None and p.plan.has_plan]
        waiting = [p for p in waiting if not p.settled()]
        waiting.sort(key=lambda p: -(p.open_shortfall() + p.levels[0]))
        for index, part in enumerate(waiting):
            time_left = self.left() - REPAIR_SHARE * self.params.time_limit
            if self.stopped() or time_left < 2.0:
                return
            self.search_patterns(part, time_left / (len(waiting) - index))

    def search_patterns(self, part: _Part, limit: float) -> None:
        """One part's pattern search; its plan is kept if at least as good.

        The part is searched around the slots the other parts' checks take where
        its plan fits there, so that its plan still fits when the parts are merged.
        """
        assert part.plan is not None
        ends = time.monotonic() + limit
        within = self.around_others(part)
        if not validate(within, part.plan).ok:
            # Its plan overlaps the others' checks: search it alone, the others are
            # fitted around it later (the most open part is placed first).
            within = part.instance
        # A plan that misses more floors than its budget cannot do without its misses:
        # they are dropped. Within the budget, the rows the prices rank highest are.
        missed = missed_rows(validate(part.instance, part.plan))
        dropped = missed
        support = part.support
        priced_misses = part.budget > 0 and len(missed) <= part.budget
        if priced_misses:
            priced = relaxation_support(
                part.instance,
                self.policy,
                limit * PRICE_SHARE,
                plans=[part.plan],
                cancel=self.cancel,
            )
            if priced is None:
                return
            ranked = sorted(priced.floor_prices.items(), key=lambda kv: (-kv[1], kv[0]))
            dropped = frozenset(row for row, price in ranked[: part.budget] if price > 1e-9)
        if dropped or not support:
            found = relaxation_support(
                part.instance,
                self.policy,
                limit * PRICE_SHARE,
                plans=[part.plan],
                relaxed=dropped,
                cancel=self.cancel,
            )
            if found is None:
                return
            support = found.support
        patterns = offered_patterns((*support, *schedules_of(part.instance, part.plan)))
        objective = objective_for(part.instance, self.policy, part.budget)

        def heard(plan: Solution) -> None:
            self.plans_reported += 1
            self.emit(self.levels(part, validate(part.instance, plan).figures.levels))

        # Within the budget the model may miss the priced rows or the plan's own, at
        # most the budget's worth, so that the plan stays a solution (HiGHS's first
        # incumbent); beyond it, the plan's misses stay dropped.
        relaxed, optional = (
            (frozenset(), dropped | missed) if priced_misses else (missed, frozenset())
        )
        plan = pattern_plan(
            within,
            self.policy,
            patterns,
            ends - time.monotonic(),
            relaxed=relaxed,
            optional=optional,
            allowance=part.budget,
            start=part.plan,
            cancel=self.cancel,
            on_plan=heard if self.on_progress is not None else None,
        )
        if plan is None:
            return
        report = validate(within, plan)
        if report.ok and objective.of(report.figures.levels) <= objective.of(part.levels):
            part.plan, part.levels = plan, report.figures.levels
            self.pattern_plans += 1

    def report_bound(self) -> None:
        """Progress of the whole when only the bound moved (column generation's rounds)."""
        self.emit(self.levels())

    def bounds_wanted(self) -> bool:
        return _bounds_wanted(self.params)

    def reserved_share(self) -> float:
        """Share of the budget the second pass leaves to the steps after it.

        Without a bound (a floor-miss budget) the bound's share goes to the check
        patterns: HiGHS's plans kept improving there long after CP-SAT's stopped.
        """
        patterns = _patterns_wanted(self.params)
        shares = REPAIR_SHARE + (PATTERN_SHARE if patterns else 0.0)
        return shares + (BOUND_SHARE if patterns or self.bounds_wanted() else 0.0)

    def second_pass(self) -> None:
        """One round over the parts still open, the most open first, each its share of the time."""
        reserve = self.reserved_share() * self.params.time_limit
        waiting = [p for p in self.parts if not p.settled() or p.levels[0] > p.budget]
        weights = {id(p): 1 + p.open_shortfall() + p.levels[0] for p in waiting}
        waiting.sort(key=lambda p: -weights[id(p)])
        for index, part in enumerate(waiting):
            time_left = self.left() - reserve
            if self.stopped() or time_left < 1.0:
                return
            share = weights[id(part)] / sum(weights[id(p)] for p in waiting[index:])
            relaxed = part.budget == self.params.floor_miss_budget
            self.search(part, time_left * share, part.plan, relaxed=relaxed, lns_only=True)

    def search(
        self,
        part: _Part,
        limit: float,
        start_from: Solution | None,
        *,
        relaxed: bool,
        lns_only: bool | None = None,
        within: Instance | None = None,
    ) -> None:
        """Search one part; keep its plan if it is at least as good, and its bounds if valid.

        ``relaxed``: the part had the whole floor-miss budget, so its bounds are
        bounds of a relaxation of the whole and may be added up. ``within``: the
        part's scenario with slots taken by the others, searched instead of its own.
        """
        instance = within or part.instance
        params = replace(
            self.params,
            time_limit=limit,
            floor_miss_budget=part.budget,
            decompose=False,
            lns_only=lns_only if lns_only is not None else self.params.lns_only,
        )
        objective = objective_for(instance, self.policy, part.budget)
        started = time.monotonic() - self.began
        found = solve_model(
            instance,
            self.policy,
            params,
            on_progress=lambda p: self.report_part(part, objective, p),
            cancel=self.cancel,
            start_from=start_from,
            settle=True,
        )
        if not found.has_plan:
            if part.plan is None:
                part.plan = found
            return
        levels = validate(instance, found).figures.levels
        if (
            part.plan is None
            or not part.plan.has_plan
            or objective.of(levels) <= objective.of(part.levels)
        ):
            part.plan, part.levels = found, levels
        if relaxed:
            part.floor_bound = max(part.floor_bound, found.floor_bound or 0)
            part.shortfall_bound = max(part.shortfall_bound, found.shortfall_bound or 0)
            if not part.budget and found.bound is not None:
                part.bound_levels = max(part.bound_levels, objective.levels(max(0, found.bound)))
        if self.first_plan is None and all(p.plan is not None for p in self.parts):
            self.first_plan = started + (found.first_plan_time or found.wall_time)

    def report_part(self, part: _Part, objective: Objective, progress: Progress) -> None:
        """Forward a part's better plan as progress of the whole (levels summed)."""
        if self.on_progress is None:
            return
        self.plans_reported += 1
        self.emit(self.levels(part, objective.levels(progress.objective)))

    def levels(self, part: _Part | None = None, instead: Levels | None = None) -> Levels:
        """The parts' levels summed, with ``part``'s taken as ``instead`` when given."""
        totals = [0, 0, 0, 0]
        for other in self.parts:
            levels = instead if other is part and instead is not None else other.levels
            for i, value in enumerate(levels):
                totals[i] += value
        return (totals[0], totals[1], totals[2], totals[3])

    def emit(self, totals: Levels) -> None:
        """Report the whole's progress: the summed levels and the bound so far."""
        if self.on_progress is None:
            return
        elapsed = time.monotonic() - self.began
        objective = self.objective.of(totals)
        self.on_progress(Progress(elapsed, objective, self.bound(), self.plans_reported))

    def bound(self) -> int:
        """A lower bound on the whole's objective from the parts' (their slots relaxed).

        Without a floor-miss budget the parts' level bounds add up level by level
        (a sum of lexicographic lower bounds is one), except the peak of checks,
        which is at least the largest part's; with a budget only misses and
        shortfall are bounded.
        """
        floors = sum(p.floor_bound for p in self.parts)
        shortfall = sum(p.shortfall_bound for p in self.parts)
        top = self.objective.bound(floors, shortfall)
        if self.params.floor_miss_budget:
            return max(top, self.whole_bound)
        summed = (
            sum(p.bound_levels[0] for p in self.parts),
            sum(p.bound_levels[1] for p in self.parts),
            sum(p.bound_levels[2] for p in self.parts),
            max(p.bound_levels[3] for p in self.parts),
        )
        return max(top, self.objective.of(summed), self.whole_bound)

    def finish(self) -> Solution:
        """Merge the parts' plans, fit them into the shared slots, say why when nothing fits."""
        elapsed = time.monotonic() - self.began
        failed = next((p.plan for p in self.parts if p.plan and not p.plan.has_plan), None)
        if failed is not None:
            return replace(failed, method=METHOD, wall_time=elapsed)
        for part in self.parts:
            if part.plan is None:
                part.plan = heuristic_plan(part.instance, self.policy)
        merged = merge(self.policy, [p.plan for p in self.parts if p.plan is not None])
        note = f"searched in {len(self.parts)} parts"
        if self.column_bounds:
            proven = sum(b.shortfall for b in self.column_bounds)
            note += (
                f"; shortfall of {len(self.column_bounds)} open part(s) bounded by column "
                f"generation at {proven}"
            )
        if self.pattern_plans:
            note += f"; {self.pattern_plans} part(s) improved among check patterns (HiGHS)"
        from_parts = validate(self.instance, merged).ok
        if not from_parts and not self.stopped():
            fitted = self.fit()
            from_parts = fitted is not None
            merged = fitted or self.repair(merged)
            note += "; the parts overfilled a facility together and were fitted around each other"
        if from_parts and all(p.settled() for p in self.parts):
            whole = self.polish_whole(merged)
            if whole is not None:
                merged = whole
                note += (
                    "; every part proven on floors and shortfall, cost and spread searched whole"
                )
        elif from_parts:
            merged = self.polish() or merged
        report = validate(self.instance, merged)
        if not report.ok:
            fallback = heuristic_plan(self.instance, self.policy)
            if not validate(self.instance, fallback).ok:
                status = "INFEASIBLE" if merged.status == "INFEASIBLE" else "UNKNOWN"
                return Solution(
                    self.policy,
                    (),
                    (),
                    METHOD,
                    status,
                    wall_time=time.monotonic() - self.began,
                    message="the parts' plans do not fit the shared facilities together",
                )
            merged, report = fallback, validate(self.instance, fallback)
            note += " without success; the heuristic plan stands"
        floor_bound = sum(p.floor_bound for p in self.parts)
        shortfall_bound = sum(p.shortfall_bound for p in self.parts)
        objective = self.objective.of(report.figures.levels)
        bound = self.bound()
        status = "OPTIMAL" if bound >= objective else "FEASIBLE"
        return replace(
            merged,
            method=merged.method if merged.method == "heuristic" else METHOD,
            status="HEURISTIC" if merged.method == "heuristic" else status,
            objective=objective,
            bound=bound,
            floor_bound=floor_bound,
            shortfall_bound=shortfall_bound,
            wall_time=time.monotonic() - self.began,
            first_plan_time=self.first_plan,
            solutions_found=self.plans_reported,
            message=note,
        )

    def fit(self) -> Solution | None:
        """Place the parts one by one, the one with most misses and shortfall first.

        A part keeps its plan if it fits in the slots the parts placed before it
        left; otherwise it is searched again with those slots taken. None if a
        part finds no plan in the time left.
        """
        order = sorted(self.parts, key=lambda p: (p.levels[0], p.levels[1]), reverse=True)
        taken: Counter[tuple[str, int]] = Counter()
        placed = []
        for index, part in enumerate(order):
            fitted = replace(part.instance, taken_slots=MappingProxyType(dict(taken)))
            plan = part.plan
            assert plan is not None
            if not validate(fitted, plan).ok:
                if self.stopped() or self.left() < 0.5:
                    return None
                params = replace(
                    self.params,
                    time_limit=self.left() / (len(order) - index),
                    floor_miss_budget=part.budget,
                    decompose=False,
                    lns_only=False,
                )
                # From its own plan: only the checks that clash need to move. Should
                # that fail, from the heuristic's, which keeps the slots taken.
                plan = solve_model(
                    fitted, self.policy, params, cancel=self.cancel, settle=True, start_from=plan
                )
                if not plan.has_plan or not validate(fitted, plan).ok:
                    params = replace(
                        params, time_limit=max(0.5, self.left() / (len(order) - index))
                    )
                    plan = solve_model(fitted, self.policy, params, cancel=self.cancel, settle=True)
                if not plan.has_plan or not validate(fitted, plan).ok:
                    return None
                part.plan, part.levels = plan, validate(fitted, plan).figures.levels
            taken.update(_load(fitted, plan))
            placed.append(plan)
        return merge(self.policy, placed)

    def around_others(self, part: _Part) -> Instance:
        """``part``'s scenario with the slots the other parts' plans take."""
        others: Counter[tuple[str, int]] = Counter()
        for other in self.parts:
            if other is not part and other.plan is not None and other.plan.has_plan:
                others.update(_load(other.instance, other.plan))
        return replace(part.instance, taken_slots=MappingProxyType(dict(others)))

    def polish(self) -> Solution | None:
        """Spend what the fit left of the budget on the most open part, around the others' slots.

        None when every part is settled, too little time is left, or the part's
        plan does not fit around the others (the caller keeps the fitted plan).
        """
        waiting = [p for p in self.parts if not p.settled()]
        if not waiting or self.stopped() or self.left() < 2.0:
            return None
        part = max(waiting, key=lambda p: p.open_shortfall() + p.levels[0])
        fitted = self.around_others(part)
        if part.plan is None or not validate(fitted, part.plan).ok:
            return None
        self.search(part, self.left(), part.plan, relaxed=False, lns_only=True, within=fitted)
        if not validate(fitted, part.plan).ok:
            return None
        return merge(self.policy, [p.plan for p in self.parts if p.plan is not None])

    def polish_whole(self, merged: Solution) -> Solution | None:
        """With floors and shortfall proven in every part, search cost and spread on the whole.

        The merged plan is the hint, so the result is never worse; the whole's
        bound is kept when it proves more than the parts'. None when too little
        time is left or the search returned no better plan of its own.
        """
        if self.stopped() or self.left() < 2.0:
            return None
        found = self.search_whole(merged, lns_only=self.params.lns_only)
        if found.method != "cp-sat" or not found.has_plan or not validate(self.instance, found).ok:
            return None
        self.whole_bound = max(self.whole_bound, found.bound or 0)
        return found

    def search_whole(self, merged: Solution, lns_only: bool | None) -> Solution:
        """The whole scenario as one model, hinted with the merged plan, for the time left."""
        params = replace(self.params, time_limit=self.left(), decompose=False, lns_only=lns_only)
        return solve_model(
            self.instance, self.policy, params, cancel=self.cancel, start_from=merged
        )

    def repair(self, merged: Solution) -> Solution:
        """Search the whole model from the merged plan (when fitting part by part failed)."""
        if self.stopped() or self.left() < 0.5:
            return merged
        found = self.search_whole(merged, lns_only=False)
        if found.status == "INFEASIBLE" or (found.has_plan and validate(self.instance, found).ok):
            return found
        return merged


def _load(instance: Instance, plan: Solution) -> Counter[tuple[str, int]]:
    """Slots the plan's checks take, per facility and period (checks under way included)."""
    figures = validate(replace(instance, taken_slots=MappingProxyType({})), plan).figures
    return Counter(figures.facility_load)


def _restricted(plan: Solution, part: Instance) -> Solution:
    """The decisions of ``plan`` that concern the aircraft of ``part``."""
    ids = {a.id for a in part.aircraft}
    return replace(
        plan,
        checks=tuple(c for c in plan.checks if c.aircraft in ids),
        flights=tuple(f for f in plan.flights if f.aircraft in ids),
    )
