"""The search for the best plan: the scenario as one model, or part by part.

``solve`` is what every caller uses. A small scenario, or one whose aircraft
all depend on each other, is one CP-SAT model (``cpsat.py``). A large one
made of independent parts (``decompose.py``: aircraft that share no mission,
no floor and no lending cap) is searched part by part, because a part's
hard months then get the search's whole attention:

1. **First pass.** Each part, with every facility's full slots, gets a share
   of ``FIRST_PASS_SHARE`` of the budget by its size, and stops early once its
   floor misses and shortfall are proven optimal (most parts are easy).
2. **Spread.** Where check patterns follow, the settled parts are searched
   again as long as in the first pass for cost and the spread of their
   checks, their misses and shortfall kept: the slots are all the parts
   share, and bunched checks leave the open parts no room.
3. **Second pass.** The time left, less ``REPAIR_SHARE`` (and
   ``BOUND_SHARE``), goes to the parts not proven, in proportion to what is
   left open, continuing from their plans, in rounds: CP-SAT's neighbourhood
   search, HiGHS on the flights with the plan's checks held, CP-SAT again
   (each method stalls where the other moves). Where check patterns follow,
   each part is searched around the slots the other parts' plans take
   (refitted there first if need be), so that the plans fit together from
   here on; with a floor-miss budget the rounds also take ``PATTERN_SHARE``
   and ``BOUND_SHARE``.
4. **Bounds.** Floors first with a budget of ``BOUND_FROM`` seconds or more, parts still
   open get up to ``BOUND_SHARE`` of it for a shortfall bound by column
   generation over whole aircraft schedules (``colgen.py``): CP-SAT's own
   bound proves nothing about shortfall where flight hours bind.
5. **Check patterns.** With a budget of ``BOUND_FROM`` seconds or more, the
   parts still open are searched again by HiGHS among the check patterns the
   column generation's relaxation used (``patterns.py``), from their plans,
   in what is left but ``REPAIR_SHARE`` (floors first ``PATTERN_SHARE`` was
   kept for it; with a floor-miss budget what the rounds left), shared by what each
   part has open. With a floor-miss budget two tries run side by side, the
   patterns coming from the relaxation without the rows the plan misses, or
   without those the floors-first prices rank highest; HiGHS may miss those
   rows or the plan's own, at most the budget's worth. A part whose plan
   overlaps the others' checks has them moved out of its way first, or is
   searched together with those that would lose by moving.
6. **Merge and fit.** The parts' plans put together respect every rule
   except perhaps the facility slots, which each part had to itself. If a
   facility is overfull, the parts are placed one by one, the one with most
   misses and shortfall first: a part whose plan does not fit in the slots
   left is searched again with the others' checks taking their slots
   (``Instance.taken_slots``), from its own plan, then from the heuristic's.
   Should that fail, the whole model is searched from the merged plan with
   the time left.
7. **Polish.** With every part proven on floors and shortfall, the time
   left goes to the whole model from the merged plan (cost and the spread of
   checks are only optimal on the whole); otherwise to the most open part
   again, around the slots the other parts' checks take: where check
   patterns were searched, first its flights by the dive of ``dive.py``
   (its checks held), then CP-SAT.

The parts' bounds add up to a bound on the whole (the shared slots were
relaxed), so the merged plan carries a proven bound on floor misses and
shortfall like a single search does.
"""

from __future__ import annotations

import threading
import time
from collections import Counter
from collections.abc import Callable, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field, replace
from functools import partial
from types import MappingProxyType

from bedeco.planning.engine.colgen import (
    FloorRow,
    Relaxation,
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
from bedeco.planning.engine.dive import flights_by_dive
from bedeco.planning.engine.heuristic import heuristic_plan
from bedeco.planning.engine.instance import Instance, Policy
from bedeco.planning.engine.objective import Levels, Objective, objective_for
from bedeco.planning.engine.offload import in_process
from bedeco.planning.engine.patterns import (
    Pattern,
    beside,
    missed_rows,
    offered_patterns,
    pattern_plan,
)
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
PATTERN_PART_SHARE = 0.15
"""Least share of the pattern time a part gets, however little it has open."""
FIT_SHARE = 0.1
"""Share of a part's pattern time for fitting the other parts around its plan first."""
ROUND_SHARE = 0.23
"""Share of the budget one round of the second pass takes (``_PartsSearch.rounds``):
CP-SAT, then HiGHS on the flights, then CP-SAT again."""
ROUND_STEPS = (0.5, 0.3, 0.2)
"""A round's shares: CP-SAT, HiGHS on the flights (the checks held), CP-SAT again."""


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
            self.spread_settled()
            self.second_pass()
            self.prove_bounds()
            self.improve_by_patterns()
        return self.finish()

    def first_pass(self, start_from: Solution | None) -> None:
        for part in self.parts:
            if self.stopped():
                return
            hint = None if start_from is None else _restricted(start_from, part.instance)
            self.search(part, self.first_pass_limit(part), hint, relaxed=True)

    def first_pass_limit(self, part: _Part) -> float:
        """A part's seconds in the first pass: its share by size, at most ``FIRST_PASS_CAP``."""
        total = sum(p.size for p in self.parts)
        share = FIRST_PASS_SHARE * self.params.time_limit * part.size / total
        return max(1.0, min(share, FIRST_PASS_CAP, self.left()))

    def spread_settled(self) -> None:
        """Search the settled parts again for cost and spread, as long as in the first pass.

        A part stops in the first pass once its misses and shortfall are
        proven, its checks bunched as they came. The facilities' slots are all
        the parts share, so bunched checks leave the open parts no room: on
        s85 the three easy parts' first plans together filled every slot in
        months the hard part's checks needed (it could not be fitted around
        them at all); spread (each part's peak 3 instead of 4 and 5) they
        left it room. A settled part keeps its misses and shortfall. Only where
        check patterns follow, as the search around the others' slots: short
        budgets keep their time for the open parts (the fit step makes room).
        """
        if not _patterns_wanted(self.params):
            return
        for part in self.parts:
            if self.stopped() or not part.settled() or part.levels[0] > part.budget:
                continue
            self.search(part, self.first_pass_limit(part), part.plan, relaxed=True, settle=False)

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

        The time left but the repair's reserve is shared by what is open (misses
        and shortfall not proven optimal), each part getting at least
        ``PATTERN_PART_SHARE`` of it, the least open first: what a part does not
        need (HiGHS proves it optimal among its patterns) goes to the most open.
        On s85 an even share gave half the time to a part one aircraft-month
        short, which needed 23 s, and the hard part had 75 s instead of 130.
        """
        if not _patterns_wanted(self.params):
            return
        waiting = [p for p in self.parts if p.plan is not None and p.plan.has_plan]
        waiting = [p for p in waiting if not p.settled()]
        weights = {id(p): 1 + p.open_shortfall() + p.levels[0] for p in waiting}
        waiting.sort(key=lambda p: weights[id(p)])
        for index, part in enumerate(waiting):
            time_left = self.left() - REPAIR_SHARE * self.params.time_limit
            if self.stopped() or time_left < 2.0:
                return
            share = weights[id(part)] / sum(weights[id(p)] for p in waiting[index:])
            self.search_patterns(part, time_left * max(share, PATTERN_PART_SHARE))

    def search_patterns(self, part: _Part, limit: float) -> None:
        """One part's pattern search; its plan is kept if a try finds one at least as good.

        The part is searched around the slots the other parts' checks take, so
        that its plan still fits when the parts are merged (``Overlap``).
        Within a floor-miss budget two tries run side by side, one per worker
        (HiGHS releases the GIL; each relaxation is priced in a process of its
        own): misses where the plan has them, and misses where the floors-first
        prices put them (``_PatternTry``). On s85's hard part, from the same
        plan, which of the two ends better changes from plan to plan.
        """
        assert part.plan is not None
        ends = time.monotonic() + limit
        overlap = self.overlap(part, time.monotonic() + FIT_SHARE * limit)
        missed = missed_rows(validate(part.instance, part.plan))
        attempt = _PatternTry(self, part, overlap, missed, ends)
        if part.budget > 0 and len(missed) <= part.budget:
            tries = [attempt.where_missed, attempt.where_priced][: max(1, self.params.workers)]
        else:
            # Beyond the budget (floors first: any miss) the plan cannot do without its
            # misses: they are dropped, and HiGHS seeks less shortfall without others.
            tries = [attempt.beyond_budget]
        together = [part, *(other for other, _, _ in overlap.holders)]
        union = overlap.union(part)
        budget = sum(member.budget for member in together)
        objective = objective_for(union, self.policy, budget)
        start = objective.of(_summed([part.levels, *overlap.refit_levels()]))
        kept = False
        for plan in _side_by_side(tries):
            report = validate(union, plan)
            if not report.ok:
                continue
            levels = [validate(p.instance, _restricted(plan, p.instance)) for p in together]
            total = objective.of(_summed([r.figures.levels for r in levels]))
            if total <= start:
                for member, checked in zip(together, levels, strict=True):
                    member.plan = _restricted(plan, member.instance)
                    member.levels = checked.figures.levels
                start, kept = total, True
        self.pattern_plans += kept

    def overlap(self, part: _Part, until: float) -> _Overlap:
        """How ``part`` is searched where its plan overlaps the other parts' checks.

        The others whose plans clash are searched again around its checks by
        ``until`` (``refitted_others``). Each that comes back no worse on floors
        and shortfall takes its new plan, and the part is searched around it. Each that would lose is
        searched with the part (a holder): its aircraft keep the checks of its
        own plan or of its new one, as HiGHS chooses, and the part's checks make
        room. On s85 an easy part refitted after the search, with the 30 s left,
        paid 10 aircraft-months in one run (ending at 57) and 4 in another (50).
        Where a part cannot be refitted at all, the part is searched alone and
        the others are fitted around it afterwards.
        """
        assert part.plan is not None
        within = self.around_others(part)
        if validate(within, part.plan).ok:
            return _Overlap(within)
        refits = self.refitted_others(part, until)
        if refits is None:
            return _Overlap(part.instance)
        losing = []
        for other, plan, levels in refits:
            # Cost and spread are searched again in the polish; the pattern model
            # knows neither, so only floors and shortfall make a holder.
            objective = objective_for(other.instance, self.policy, other.budget)
            if objective.of((*levels[:2], 0, 0)) <= objective.of((*other.levels[:2], 0, 0)):
                other.plan, other.levels = plan, levels
            else:
                losing.append((other, plan, levels))
        if any(other.levels[0] or levels[0] for other, _, levels in losing):
            # A part that misses floors (within its budget) would need its own optional
            # rows in the model: searched alone instead.
            return _Overlap(part.instance)
        within = self.around_others(part, besides=[other for other, _, _ in losing])
        return _Overlap(within, losing)

    def refitted_others(
        self, part: _Part, until: float
    ) -> list[tuple[_Part, Solution, Levels]] | None:
        """The other parts whose plans clash with ``part``'s, searched again around its checks.

        One by one, most misses and shortfall first, each around the checks placed
        so far, each with its new plan and levels; None if one finds no plan, or
        only one that misses more floors than its own.
        """
        assert part.plan is not None
        taken = _load(part.instance, part.plan)
        others = [p for p in self.parts if p is not part and p.plan is not None]
        others.sort(key=lambda p: (p.levels[0], p.levels[1]), reverse=True)
        refits = []
        for index, other in enumerate(others):
            assert other.plan is not None
            fitted = replace(other.instance, taken_slots=MappingProxyType(dict(taken)))
            plan = other.plan
            if not validate(fitted, plan).ok:

                def share(shares: int = len(others) - index) -> float:
                    return (until - time.monotonic()) / shares

                refit = self.refitted(other, fitted, share)
                if refit is None:
                    return None
                levels = validate(fitted, refit).figures.levels
                if levels[0] > other.levels[0]:
                    return None
                refits.append((other, refit, levels))
                plan = refit
            taken.update(_load(fitted, plan))
        return refits

    def report_bound(self) -> None:
        """Progress of the whole when only the bound moved (column generation's rounds)."""
        self.emit(self.levels())

    def bounds_wanted(self) -> bool:
        return _bounds_wanted(self.params)

    def reserved_share(self) -> float:
        """Share of the budget the second pass leaves to the steps after it.

        With a floor-miss budget (no bound sought) the second pass's rounds keep
        the check patterns' share too: on s85, from plans whose flights HiGHS
        had searched in the second pass, the pattern step found nothing better
        in 160 s (two runs), and rounds reached its results 115 to 185 s sooner.
        Floors first the bound needs its share, and the patterns keep theirs.
        """
        patterns = _patterns_wanted(self.params)
        if patterns and self.params.floor_miss_budget:
            return REPAIR_SHARE
        shares = REPAIR_SHARE + (PATTERN_SHARE if patterns else 0.0)
        return shares + (BOUND_SHARE if patterns or self.bounds_wanted() else 0.0)

    def second_pass(self) -> None:
        """The parts still open, the most open first, each its share of the time in rounds.

        Each part's share is searched in rounds of CP-SAT and HiGHS (``rounds``).
        Where check patterns follow, each part is searched around the slots
        the other parts' plans take (``fitted_around_others``), so that the
        parts' plans fit together from here on. Searched with the slots to
        itself, s85's hard part came back in nine of sixteen traced runs with
        checks that clashed with another part's, and making room cost 3 to 17
        aircraft-months (those runs ended at 49 to 62). Without the patterns
        (short budgets) the parts keep the slots to themselves and are fitted
        at the end: around the others, the 210-aircraft scaling instance
        ended at 335 in 60 s against 323 and 325.
        """
        reserve = self.reserved_share() * self.params.time_limit
        waiting = [p for p in self.parts if not p.settled() or p.levels[0] > p.budget]
        weights = {id(p): 1 + p.open_shortfall() + p.levels[0] for p in waiting}
        waiting.sort(key=lambda p: -weights[id(p)])
        for index, part in enumerate(waiting):
            time_left = self.left() - reserve
            if self.stopped() or time_left < 1.0:
                return
            share = weights[id(part)] / sum(weights[id(p)] for p in waiting[index:])
            ends = time.monotonic() + time_left * share
            within = None
            if _patterns_wanted(self.params):
                within = self.fitted_around_others(part, FIT_SHARE * time_left * share)
            # Bounds found among the slots the others leave bound nothing of the whole.
            relaxed = part.budget == self.params.floor_miss_budget and within is None
            self.rounds(part, ends, relaxed=relaxed, within=within)

    def rounds(self, part: _Part, ends: float, *, relaxed: bool, within: Instance | None) -> None:
        """Search ``part`` until ``ends`` in rounds, each from the best plan with a new seed.

        A round is CP-SAT's neighbourhood search, HiGHS on the flights with the
        checks held (``flights_by_highs``), then CP-SAT again. Each method
        stalls where the other moves: CP-SAT's search moves checks but leaves
        the flights far from the best for them, HiGHS finds those flights
        (hours are linear once the checks are known) and cannot move checks,
        and CP-SAT moves checks again from its plan. On s85 at 300 s with a
        budget of 3 the hard part's plans after each round were 49, 45 and 44
        (seed 0) and 49, 46 and 45 (seed 2); the code before, CP-SAT alone,
        stood at 53 after 103 s (see ``docs/planning.md``).
        """
        round_length = ROUND_SHARE * self.params.time_limit
        if ends - time.monotonic() < round_length:
            # Less than a round: CP-SAT alone. An easy part of s85 given 4.5 s of a
            # 60-s budget settles in them; spent as a round, it was left at 5 or 7.
            self.search(
                part,
                ends - time.monotonic(),
                part.plan,
                relaxed=relaxed,
                lns_only=True,
                within=within,
            )
            return
        seed = self.params.seed
        while not self.stopped() and not part.settled():
            left = ends - time.monotonic()
            if left < 1.0:
                return
            # A last round too short to be worth one takes the rest of the time.
            length = left if left < 1.5 * round_length else round_length
            search, flights, after = (share * length for share in ROUND_STEPS)
            step = partial(self.search, relaxed=relaxed, lns_only=True, within=within, seed=seed)
            step(part, search, part.plan)
            if part.settled() or self.stopped():
                return
            self.flights_by_highs(part, within, flights, seed)
            step(part, after, part.plan)
            seed += 1

    def flights_by_highs(
        self, part: _Part, within: Instance | None, limit: float, seed: int | None = None
    ) -> None:
        """HiGHS on ``part``'s flights, its plan's checks held; the best plan kept if better.

        The pattern model with one pattern per aircraft, the plan's own: the
        hours are linear there, where CP-SAT's relaxation knows nothing of
        them. The plan's misses, and the rows a month beside them, are
        optional within the budget (dropped if the plan misses more). On s85
        (seed 0) the hard part's plan of 53 after 103 s of CP-SAT stayed 53
        in 60 s more of it, where HiGHS on its flights found 48 in 20 s.

        HiGHS searches a MIP on one core, and which plans it finds in the
        time depends on its random seed, so one search per worker runs side
        by side, each with a seed of its own (``seed`` times the workers,
        plus its index). From the hard part's plan of 52, 20 s of HiGHS gave
        46, 45, 46 and 46 with seeds 0 to 3 (see ``docs/planning.md``).
        """
        instance = within or part.instance
        plan = part.plan
        if plan is None or not plan.has_plan or limit < 0.5:
            return
        missed = missed_rows(validate(instance, plan))
        relaxed: frozenset[FloorRow] = frozenset()
        optional = missed | beside(missed, instance.periods)
        if len(missed) > part.budget:
            relaxed, optional = missed, frozenset()
        patterns = offered_patterns(schedules_of(instance, plan))
        workers = max(1, self.params.workers)
        first = (self.params.seed if seed is None else seed) * workers
        search = partial(
            pattern_plan,
            instance,
            self.policy,
            patterns,
            limit,
            relaxed=relaxed,
            optional=optional,
            allowance=part.budget,
            start=plan,
            cancel=self.cancel,
        )
        tries = [partial(search, seed=first + index) for index in range(workers)]
        for found in _side_by_side(tries):
            self.keep_if_better(part, instance, found)

    def keep_if_better(self, part: _Part, instance: Instance, found: Solution) -> None:
        """``found`` becomes ``part``'s plan if valid in ``instance`` and better, and is heard."""
        report = validate(instance, found)
        objective = objective_for(instance, self.policy, part.budget)
        if report.ok and objective.of(report.figures.levels) < objective.of(part.levels):
            part.plan, part.levels = found, report.figures.levels
            self.plans_reported += 1
            self.emit(self.levels())

    def fitted_around_others(self, part: _Part, limit: float) -> Instance | None:
        """``part``'s scenario around the others' slots, its plan refitted there if need be.

        None (the part searched with the slots to itself) when no other part
        takes a slot, or when its plan could not be refitted within ``limit``.
        """
        within = self.around_others(part)
        if not within.taken_slots or part.plan is None or not part.plan.has_plan:
            return None
        return within if self.fits_into(part, within, lambda: max(0.5, limit / 2)) else None

    def search(
        self,
        part: _Part,
        limit: float,
        start_from: Solution | None,
        *,
        relaxed: bool,
        lns_only: bool | None = None,
        within: Instance | None = None,
        settle: bool = True,
        seed: int | None = None,
    ) -> None:
        """Search one part; keep its plan if it is at least as good, and its bounds if valid.

        ``relaxed``: the part had the whole floor-miss budget, so its bounds are
        bounds of a relaxation of the whole and may be added up. ``within``: the
        part's scenario with slots taken by the others, searched instead of its own.
        ``settle``: stop once misses and shortfall are proven (else cost and spread too).
        """
        instance = within or part.instance
        params = replace(
            self.params,
            time_limit=limit,
            floor_miss_budget=part.budget,
            decompose=False,
            lns_only=lns_only if lns_only is not None else self.params.lns_only,
            seed=self.params.seed if seed is None else seed,
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
            settle=settle,
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

            def share(shares: int = len(order) - index) -> float:
                return self.left() / shares

            if not self.fits_into(part, fitted, share):
                return None
            assert part.plan is not None
            taken.update(_load(fitted, part.plan))
            placed.append(part.plan)
        return merge(self.policy, placed)

    def fits_into(self, part: _Part, fitted: Instance, limit: Callable[[], float]) -> bool:
        """Whether ``part``'s plan fits in ``fitted``, refitted there (and kept) if need be.

        False when it does not fit and could not be refitted (or no time is left).
        """
        if part.plan is not None and validate(fitted, part.plan).ok:
            return True
        if self.stopped() or self.left() < 0.5:
            return False
        refitted = self.refitted(part, fitted, limit)
        if refitted is None:
            return False
        part.plan, part.levels = refitted, validate(fitted, refitted).figures.levels
        return True

    def refitted(
        self, part: _Part, fitted: Instance, limit: Callable[[], float]
    ) -> Solution | None:
        """``part`` searched again in ``fitted`` (slots the others take), each try for ``limit()``.

        From its own plan first: only the checks that clash need to move (without
        that hint an easy part of s85 came back with 11 where it had 0). Should that
        fail, from the heuristic's, which keeps the slots taken. None if no valid plan.
        """
        params = replace(
            self.params,
            time_limit=max(0.5, limit()),
            floor_miss_budget=part.budget,
            decompose=False,
            lns_only=False,
        )
        plan = solve_model(
            fitted, self.policy, params, cancel=self.cancel, settle=True, start_from=part.plan
        )
        if not plan.has_plan or not validate(fitted, plan).ok:
            params = replace(params, time_limit=max(0.5, limit()))
            plan = solve_model(fitted, self.policy, params, cancel=self.cancel, settle=True)
        if not plan.has_plan or not validate(fitted, plan).ok:
            return None
        return plan

    def around_others(self, part: _Part, besides: Sequence[_Part] = ()) -> Instance:
        """``part``'s scenario with the slots the other parts' plans take (but ``besides``)."""
        others: Counter[tuple[str, int]] = Counter()
        for other in self.parts:
            if other is part or any(other is b for b in besides):
                continue
            if other.plan is not None and other.plan.has_plan:
                others.update(_load(other.instance, other.plan))
        return replace(part.instance, taken_slots=MappingProxyType(dict(others)))

    def polish(self) -> Solution | None:
        """Spend what the fit left of the budget on the most open part, around the others' slots.

        Where check patterns were searched (long budgets), the part's flights are
        searched first by the dive of ``dive.py``, its checks held: it ends in a
        second or two where the relaxation proves the flights best for those
        checks, and otherwise finds the flights they allow, which HiGHS alone
        finds in one search of six within 30 s. CP-SAT's neighbourhood search
        takes the rest. None when every part is settled, too little time is
        left, or the part's plan does not fit around the others (the caller
        keeps the fitted plan).
        """
        waiting = [p for p in self.parts if not p.settled()]
        if not waiting or self.stopped() or self.left() < 2.0:
            return None
        part = max(waiting, key=lambda p: p.open_shortfall() + p.levels[0])
        fitted = self.around_others(part)
        if part.plan is None or not validate(fitted, part.plan).ok:
            return None
        if _patterns_wanted(self.params):
            self.dive(part, fitted, self.left())
        if self.left() >= 1.0:
            self.search(part, self.left(), part.plan, relaxed=False, lns_only=True, within=fitted)
        if not validate(fitted, part.plan).ok:
            return None
        return merge(self.policy, [p.plan for p in self.parts if p.plan is not None])

    def dive(self, part: _Part, within: Instance, limit: float) -> None:
        """The flights of ``part``'s checks by columns and a dive; the plan kept if better."""
        assert part.plan is not None
        found = flights_by_dive(
            within,
            self.policy,
            part.plan,
            limit,
            seed=self.params.seed,
            workers=self.params.workers,
            cancel=self.cancel,
        ).plan
        if found is not None:
            self.keep_if_better(part, within, found)

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


@dataclass
class _Overlap:
    """Where a part's pattern search runs (``_PartsSearch.overlap``).

    ``within``: the part's scenario with the slots taken by the other parts it
    is searched around. ``holders``: the other parts searched with it, each
    with the new plan (and its levels) it was given around the part's checks;
    each of their aircraft keeps the checks of its own plan or of the new one,
    as HiGHS chooses, and their flights are searched again.
    """

    within: Instance
    holders: list[tuple[_Part, Solution, Levels]] = field(default_factory=list)

    def union(self, part: _Part) -> Instance:
        """The scenario of ``part`` and the holders together, searched as one."""
        members = [part.instance, *(holder.instance for holder, _, _ in self.holders)]
        floors = {f.id: f for member in members for f in member.floors}
        return replace(
            self.within,
            aircraft=tuple(a for member in members for a in member.aircraft),
            missions=tuple(m for member in members for m in member.missions),
            floors=tuple(floors.values()),
        )

    def start(self, plan: Solution, policy: Policy) -> Solution:
        """``plan`` with the holders' new plans: a plan of the union, the search's start."""
        return merge(policy, [plan, *(new for _, new, _ in self.holders)])

    def refit_levels(self) -> list[Levels]:
        """The holders' levels with their new plans: the search starts from those."""
        return [levels for _, _, levels in self.holders]

    def holders_schedules(self) -> list[Schedule]:
        """The holders' aircraft's schedules in their own plans and their new ones."""
        return [
            schedule
            for holder, new, _ in self.holders
            for plan in (holder.plan, new)
            if plan is not None
            for schedule in schedules_of(holder.instance, plan)
        ]

    def room_made(self, policy: Policy) -> list[Schedule]:
        """Schedules of the part that leave the holders their own checks: the heuristic's
        around them (the relaxation's patterns know nothing of them)."""
        if not self.holders:
            return []
        taken: Counter[tuple[str, int]] = Counter(self.within.taken_slots)
        for holder, _, _ in self.holders:
            if holder.plan is not None:
                taken.update(_load(holder.instance, holder.plan))
        room = replace(self.within, taken_slots=MappingProxyType(dict(taken)))
        plan = heuristic_plan(room, policy)
        return schedules_of(room, plan) if validate(room, plan).ok else []


def _summed(levels: Sequence[Levels]) -> Levels:
    """Levels added up part by part."""
    return (
        sum(level[0] for level in levels),
        sum(level[1] for level in levels),
        sum(level[2] for level in levels),
        sum(level[3] for level in levels),
    )


class _PatternTry:
    """The tries of one part's pattern search (``_PartsSearch.search_patterns``).

    Each try takes the check patterns of a column generation's relaxation
    without some floor rows, and the plan's own, and lets HiGHS search among
    them from the plan until ``ends``. Each relaxation gets at most
    ``PRICE_SHARE`` of the part's time.
    """

    def __init__(
        self,
        search: _PartsSearch,
        part: _Part,
        overlap: _Overlap,
        missed: frozenset[FloorRow],
        ends: float,
    ) -> None:
        assert part.plan is not None
        self.search = search
        self.part = part
        self.plan = part.plan
        self.overlap = overlap
        self.missed = missed
        self.ends = ends
        self.price_time = PRICE_SHARE * (ends - time.monotonic())
        self.heard_lock = threading.Lock()
        self.also_offered = (
            *schedules_of(part.instance, part.plan),
            *overlap.room_made(search.policy),
            *overlap.holders_schedules(),
        )
        """Offered in every try beside the relaxation's: the plan's own schedules, the
        heuristic's around the holders' checks and the holders' (worked out once)."""

    def where_missed(self) -> Solution | None:
        """Misses where the plan has them: the relaxation without them, HiGHS may keep them
        or move them a month (the rows beside them are optional too).

        On s85's hard part the relaxation without the plan's misses (a block of
        months at the horizon's end) was 41.5 where the three rows the prices
        rank highest gave 43.4: the plan's misses are where the search put
        them for a reason, and each row's price only says what it is worth alone.
        Runs of misses move: from a plan missing months 16, 17 and 63, HiGHS
        found 45 missing 62 and 63 where, held to the plan's rows, it stayed at 51.
        """
        patterns = self.patterns_without(self.missed)
        near = beside(self.missed, self.part.instance.periods)
        return self.among(patterns, frozenset(), self.missed | near)

    def where_priced(self) -> Solution | None:
        """Misses where the floors-first relaxation's prices rank highest, or the plan's own."""
        priced = self.relaxation(frozenset())
        if priced is None:
            return None
        ranked = sorted(priced.floor_prices.items(), key=lambda kv: (-kv[1], kv[0]))
        dropped = frozenset(row for row, price in ranked[: self.part.budget] if price > 1e-9)
        patterns = self.patterns_without(dropped)
        return self.among(patterns, frozenset(), dropped | self.missed)

    def beyond_budget(self) -> Solution | None:
        """The plan's misses dropped (more than the budget: it cannot do without them)."""
        return self.among(self.patterns_without(self.missed), self.missed, frozenset())

    def relaxation(self, dropped: frozenset[FloorRow]) -> Relaxation | None:
        """The column generation without ``dropped``, in a process of its own: its pricing
        is Python, and the two tries' relaxations would wait for each other's GIL."""
        return in_process(
            relaxation_support,
            self.part.instance,
            self.search.policy,
            self.price_time,
            plans=[self.plan],
            relaxed=dropped,
            cancel=self.search.cancel,
        )

    def patterns_without(self, dropped: frozenset[FloorRow]) -> dict[str, list[Pattern]] | None:
        """The relaxation's check patterns (floors first: the bound's, if it has one)."""
        support = self.part.support
        if dropped or not support:
            found = self.relaxation(dropped)
            if found is None:
                return None
            support = found.support
        return offered_patterns((*support, *self.also_offered))

    def among(
        self,
        patterns: dict[str, list[Pattern]] | None,
        relaxed: frozenset[FloorRow],
        optional: frozenset[FloorRow],
    ) -> Solution | None:
        """HiGHS among ``patterns`` from the plan, at most the budget's worth of ``optional``
        rows missed (the plan's misses among them, so that it is the first incumbent)."""
        if patterns is None or self.search.stopped():
            return None
        return pattern_plan(
            self.overlap.union(self.part),
            self.search.policy,
            patterns,
            self.ends - time.monotonic(),
            relaxed=relaxed,
            optional=optional,
            allowance=self.part.budget,
            start=self.overlap.start(self.plan, self.search.policy),
            cancel=self.search.cancel,
            on_plan=self.heard if self.search.on_progress is not None else None,
        )

    def heard(self, plan: Solution) -> None:
        """Report a try's better plan as the whole's progress, one try at a time."""
        levels = validate(self.part.instance, _restricted(plan, self.part.instance)).figures.levels
        with self.heard_lock:
            self.search.plans_reported += 1
            self.search.emit(self.search.levels(self.part, levels))


def _side_by_side(tries: Sequence[Callable[[], Solution | None]]) -> list[Solution]:
    """Run the tries, each in a thread of its own when there are several; the plans found."""
    if len(tries) == 1:
        found = tries[0]()
        return [] if found is None else [found]
    with ThreadPoolExecutor(max_workers=len(tries), thread_name_prefix="patterns") as pool:
        return [plan for plan in pool.map(lambda attempt: attempt(), tries) if plan is not None]


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
