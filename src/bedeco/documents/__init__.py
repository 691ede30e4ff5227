"""Documents: read bilingual parliamentary texts into aligned, structured, referenced records.

The capability turns what parliaments publish (Belgian Chamber and Senate
resolutions and motions, Tweede Kamer motions, Benelux Parliament
recommendations) into records the platform can cite: each language rebuilt,
recitals and requests paired by label, instruments and dates resolved to
identifiers, and Akoma Ntoso out.

The pure engine lives in :mod:`bedeco.documents.engine` (no database, no web);
``parse`` and ``parse_all`` are its entry points. Service, API, pages and CLI
adapt stored records to it.
"""
