"""The pure engine of the documents capability: text in, records out.

No database, no web, no files: a service hands in text and stores what comes
back. Entry points:

- ``parse(text) -> ParsedDocument`` and ``parse_all(text)`` for texts with
  several motions; both raise ``ParseError`` (with ``line`` and ``expected``)
  for a text that is not a parliamentary resolution, motion or recommendation;
- ``formats.json.to_json`` / ``to_data``, ``formats.akn.to_akn``,
  ``formats.markdown.to_markdown`` for output.
"""

from .model import (
    AlignedPair,
    Anomaly,
    AnomalyCode,
    Clause,
    ClauseKind,
    DocumentKind,
    Header,
    ParsedDocument,
    ParseError,
    Provision,
    Reference,
    RefKind,
    Signatory,
    SubDocument,
    Version,
)
from .parser import parse, parse_all

__all__ = [
    "AlignedPair",
    "Anomaly",
    "AnomalyCode",
    "Clause",
    "ClauseKind",
    "DocumentKind",
    "Header",
    "ParseError",
    "ParsedDocument",
    "Provision",
    "RefKind",
    "Reference",
    "Signatory",
    "SubDocument",
    "Version",
    "parse",
    "parse_all",
]
