"""Planning: pooling studies of shared fleets (recital M, requests 5, 6, 7 and 15).

The capability plans maintenance checks and flying of the three nations'
fleets over years, under each pooling policy (national, pooled maintenance,
joint command), and measures what pooling gains. The pure engine lives in
:mod:`bedeco.planning.engine` (no database, no web): ``solve``,
``heuristic_plan``, ``validate``, ``explain_*``, ``compare_policies``,
``capacity_study``, the FMP benchmark reader/writer and the scenario loader.
``bedeco.planning.cli`` holds the ``bedeco planning`` commands.
"""
