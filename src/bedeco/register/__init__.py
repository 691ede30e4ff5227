"""The register of Benelux defence cooperation: instruments, commitments and initiatives.

Recital Q says the 2012 Declaration was only partly implemented; request 1 asks
for its full implementation, request 4 for a renewed declaration with new
domains, request 14 for the Strategic Compass and the Strategic Concept as
frame. This capability is where every commitment and initiative is recorded,
followed and proven:

- instruments (declarations, recommendations, agreements, strategies, the
  resolution itself) with their relations and a citation graph;
- a taxonomy of domains (``logic.Domain``) every record can carry;
- commitments with a status workflow (``logic.TRANSITIONS``), a dated history
  with evidence, and a version for concurrent edits;
- initiatives with a maturity level (``logic.Maturity``);
- progress per instrument, domain and nation; CSV and YAML import and export.

Other capabilities call ``register.service`` only: the documents service calls
``record_provisions`` on import, the portal the ``list_*`` and ``progress_*``
functions with the anonymous principal.
"""
