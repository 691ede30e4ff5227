"""The pure planning engine: no database, no web, plain frozen dataclasses in and out.

Shaped like the OR-Tools CP-SAT primer: ``instance.py`` (the problem),
``constraints.py`` (one class per rule family), ``cpsat.py`` (one CP-SAT model,
anytime, warm-started from ``heuristic.py``), ``solver.py`` (the whole as one
model or, through ``decompose.py``, part by part), ``validation.py`` (every
rule and figure recomputed without the solver). Around them: ``explain.py``, ``compare.py``,
``bounds.py``, ``fmp.py`` and ``generator.py`` (the public benchmark),
``scenario.py`` (YAML/JSON files) and ``render.py`` (JSON, CSV, SVG).
Service and worker code calls ``solve``, ``validate``, ``compare_policies``,
``capacity_study``, ``explain_infeasible``, ``explain_shortfall`` and the
renderers; see ``docs/planning.md``.
"""
