"""Documents: read bilingual parliamentary texts into aligned, structured, referenced records.

The capability turns what parliaments publish (Belgian Chamber and Senate
resolutions and motions, Tweede Kamer motions, Benelux Parliament
recommendations) into records the platform can cite: each language rebuilt,
recitals and requests paired by label, instruments and dates resolved to
identifiers, and Akoma Ntoso out.

The pure engine lives in :mod:`bedeco.documents.engine` (no database, no web);
``parse`` and ``parse_all`` are its entry points. Around it: ``logic`` (keys,
the engine-id to register-instrument table, stored JSON back to records),
``model`` (stored documents, provisions, references, anomalies), ``service``
(``parse_text``, ``import_document`` feeding the register's commitments,
``list_documents``, ``get_document``, ``export_document``), ``api``
(``/api/v1/documents``), ``pages`` (``/documents``), ``cli`` (``bedeco
documents parse|import|list``) and ``reference`` (the seed, stored).
"""
