"""Output formats of a parsed document.

JSON (``json``), Akoma Ntoso (``akn``) and Markdown (``markdown``).

Each module is a pure function of a ``ParsedDocument``; none reads files.
"""
