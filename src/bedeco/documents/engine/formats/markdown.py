"""A readable Markdown rendering of one language version.

For people, not machines: a reviewer checks the parse by reading the text
back as the chamber printed it, one language at a time, with the labels,
formulas and signatures where a clerk expects them. Carried signatory names
are marked so nobody mistakes them for printed ones.
"""

from __future__ import annotations

from ..model import ParsedDocument
from .akn import spell_date

_CARRIED = {"nl": "overgenomen uit de {lang}-tekst", "fr": "repris du texte {lang}"}


def to_markdown(document: ParsedDocument, lang: str) -> str:
    """The ``lang`` version of ``document`` as Markdown."""
    version = document.version(lang)
    header = version.header
    out: list[str] = []
    if header.chamber:
        out.append(f"**{header.chamber}**")
    facts = [
        value
        for value in (
            spell_date(header.date, lang) if header.date else None,
            header.document_number,
            f"({header.session})" if header.session else None,
        )
        if value
    ]
    if facts:
        out.append(" · ".join(facts))
    heading = " — ".join(part for part in (header.kind_label, header.title) if part)
    out.append(f"# {heading or document.kind.value}")
    if header.status:
        out.append(f"*{header.status}*")
    if header.subdocuments:
        out.append("\n".join(f"- {sub.number}: {sub.title}" for sub in header.subdocuments))
    if version.enacting_formula:
        out.append(f"**{version.enacting_formula}**")
    for clause in version.recitals:
        label = f"**{clause.label}.** " if clause.printed_label else "- "
        out.append(f"{label}{clause.text}")
    if version.operative_formula:
        out.append(f"**{version.operative_formula}:**")
    for clause in version.requests:
        label = f"{clause.label}. " if clause.printed_label else "- "
        out.append(f"{label}{clause.text}")
    if version.closing_formula:
        out.append(version.closing_formula)
    if version.place or version.date:
        when = spell_date(version.date, lang) if version.date else ""
        out.append(", ".join(part for part in (version.place, when) if part))
    for signatory in version.signatories:
        lines = [f"*{signatory.function}*"] if signatory.function else []
        if signatory.name:
            note = ""
            if signatory.name_carried_from:
                template = _CARRIED.get(lang, _CARRIED["nl"])
                note = f" ({template.format(lang=signatory.name_carried_from)})"
            lines.append(f"{signatory.name}{note}")
        out.append("  \n".join(lines))
    return "\n\n".join(out) + "\n"
