"""``parse(text) -> ParsedDocument``: the engine's front door.

The steps follow the clerk: cut the text into blocks, give each block its
language, rebuild each language's text in order, read each language into
documents (``reader``), then put the languages of each document side by
side: fill header facts one side lacks, carry signatory names across (and
say so), pair the clauses (``alignment``) and collect the references.

Only a text that is not (wholly) a document is an error: no document found,
or a document that states grounds but asks nothing. That raises
``ParseError`` with the line where reading stopped and what a resolution
would have had there; import is all-or-nothing, so nothing is half-kept.
Everything else is an ``Anomaly``.
"""

from __future__ import annotations

import dataclasses
from collections import Counter
from collections.abc import Sequence

from bedeco.i18n import N_

from .alignment import align, eid_for
from .blocks import Block, split_blocks
from .grammar import opening_phrase, request_opening
from .header import read_header
from .language import assign_languages
from .model import (
    LANGUAGES,
    Anomaly,
    AnomalyCode,
    Clause,
    ClauseKind,
    DocumentKind,
    Header,
    ParsedDocument,
    ParseError,
    Signatory,
    Version,
)
from .reader import ClauseDraft, Draft, Stage, read_language
from .references import version_references

_SHARED_HEADER_FIELDS = (
    "date",
    "document_number",
    "document_id",
    "legislature",
    "session",
    "plenary_dates",
)


def _clauses(kind: ClauseKind, drafts: Sequence[ClauseDraft], lang: str) -> tuple[Clause, ...]:
    seen: Counter[str] = Counter()
    clauses = []
    for draft in drafts:
        seen[draft.label] += 1
        text = draft.text.strip()
        clauses.append(
            Clause(
                kind=kind,
                label=draft.label,
                text=text,
                opening=opening_phrase(text)
                if kind is ClauseKind.RECITAL
                else request_opening(text, lang),
                eid=eid_for(kind, draft.label, seen[draft.label]),
                line=draft.line,
                printed_label=draft.printed,
            )
        )
    return tuple(clauses)


def _version(draft: Draft, header: Header) -> Version:
    return Version(
        lang=draft.lang,
        header=header,
        enacting_formula=" ".join(draft.enacting) or None,
        recitals=_clauses(ClauseKind.RECITAL, draft.recitals, draft.lang),
        operative_formula=draft.operative,
        requests=_clauses(ClauseKind.REQUEST, draft.requests, draft.lang),
        closing_formula=draft.closing,
        place=draft.place,
        date=draft.date,
        signatories=tuple(Signatory(function, name) for function, name in draft.signatories),
        text="\n\n".join(block.text for block in draft.blocks),
        preface="\n".join(block.text for block in draft.header_blocks),
    )


def _fill_header(header: Header, lang: str, donors: Sequence[tuple[str, Header]]) -> Header:
    """Facts a header lacks, taken from a donor: the other language of the
    same document, or the first document of the text. The chamber is words,
    so it is only taken from a donor in the same language."""
    changes: dict[str, object] = {}
    for name in (*_SHARED_HEADER_FIELDS, "chamber"):
        if getattr(header, name) in (None, ()):
            for donor_lang, donor in donors:
                value = getattr(donor, name)
                if value not in (None, ()) and (name != "chamber" or donor_lang == lang):
                    changes[name] = value
                    break
    return dataclasses.replace(header, **changes) if changes else header  # type: ignore[arg-type]


def _carry_signatories(versions: list[Version]) -> tuple[list[Version], list[Anomaly]]:
    """Give a name-less signatory the name its counterpart carries, and say so."""
    anomalies: list[Anomaly] = []
    counts = {version.lang: len(version.signatories) for version in versions}
    if len(set(counts.values())) > 1:
        summary = ", ".join(f"{lang} {count}" for lang, count in counts.items())
        anomalies.append(Anomaly(AnomalyCode.SIGNATORY_MISMATCH, f"signatories: {summary}"))
    result = []
    for version in versions:
        signatories = list(version.signatories)
        for index, signatory in enumerate(signatories):
            if signatory.name is not None:
                continue
            for other in versions:
                if other is version or index >= len(other.signatories):
                    continue
                name = other.signatories[index].name
                if name is not None and other.signatories[index].name_carried_from is None:
                    signatories[index] = Signatory(signatory.function, name, other.lang)
                    anomalies.append(
                        Anomaly(
                            AnomalyCode.CARRIED_NAME,
                            f"{version.lang} signatory {index + 1} ({signatory.function}) "
                            f"lacks a name; {name!r} carried from {other.lang}",
                            lang=version.lang,
                        )
                    )
                    break
        result.append(dataclasses.replace(version, signatories=tuple(signatories)))
    return result, anomalies


def _kind(
    headers: Sequence[tuple[Header, DocumentKind | None]], drafts: Sequence[Draft]
) -> DocumentKind:
    for _header, kind in headers:
        if kind is not None:
            return kind
    if any(draft.closing for draft in drafts):
        return DocumentKind.MOTION
    return DocumentKind.RESOLUTION


def _assemble(drafts: Sequence[Draft], first: Sequence[tuple[str, Header]]) -> ParsedDocument:
    headers = [read_header(draft.header_blocks) for draft in drafts]
    kind = _kind(headers, drafts)
    plain = [header for header, _kind_found in headers]
    donors = [*((draft.lang, header) for draft, header in zip(drafts, plain, strict=True)), *first]
    filled = [
        _fill_header(header, draft.lang, donors)
        for draft, header in zip(drafts, plain, strict=True)
    ]
    versions = [_version(draft, header) for draft, header in zip(drafts, filled, strict=True)]
    versions, anomalies = _carry_signatories(versions)
    pairs, alignment_anomalies = align(versions)
    for draft in drafts:
        for block in draft.unrecognised:
            anomalies.append(
                Anomaly(
                    AnomalyCode.UNRECOGNISED_BLOCK,
                    f"could not place {block.text[:60]!r}",
                    lang=draft.lang,
                    line=block.line,
                )
            )
    references = tuple(ref for version in versions for ref in version_references(version))
    return ParsedDocument(
        kind=kind,
        languages=tuple(version.lang for version in versions),
        versions=tuple(versions),
        alignment=pairs,
        references=references,
        anomalies=(*alignment_anomalies, *anomalies),
    )


def _failure(blocks: Sequence[Block], drafts: Sequence[Draft]) -> ParseError:
    if not blocks:
        return ParseError(1, N_("a parliamentary text (the input is empty)"))
    furthest = max(drafts, key=lambda draft: (draft.stage, len(draft.recitals)))
    if furthest.stage >= Stage.PREAMBLE:
        return ParseError(
            furthest.last_line + 1,
            N_(
                "an operative formula (such as 'VERZOEKT DE FEDERALE REGERING:') "
                "or a numbered request after the recitals"
            ),
        )
    return ParseError(
        blocks[0].line,
        N_(
            "an enacting formula (such as 'DE KAMER VAN VOLKSVERTEGENWOORDIGERS,'), "
            "a labelled recital (such as 'A. overwegende dat ...') or an operative formula"
        ),
        blocks[0].text[:60],
    )


def _read(blocks: Sequence[Block], languages: Sequence[str]) -> dict[str, list[Draft]]:
    per_lang = {
        lang: [block for block, found in zip(blocks, languages, strict=True) if found == lang]
        for lang in LANGUAGES
    }
    return {lang: read_language(found, lang) for lang, found in per_lang.items() if found}


def _fold_stray_languages(languages: list[str], drafts: dict[str, list[Draft]]) -> dict[int, str]:
    """Give blocks of a language that holds no document to the language around them.

    A Dutch text may quote a French title; read on its own, that block would
    make a French "version" with one recital and no request, and sink the
    import. When one language has a complete document and another has none,
    the other's blocks are quotations: they go to the language before them
    (or after, at the start). Only a few blocks are moved (a tenth of the text
    at most): a whole version without requests is a broken text, refused as
    such, not folded into the other. Returns the first line of each moved block with
    the language it was read as, for the anomaly report; ``languages`` is
    changed in place.
    """
    complete = [lang for lang, found in drafts.items() if any(d.requests for d in found)]
    stray = {lang for lang in drafts if lang not in complete}
    if not complete or not stray:
        return {}
    moved = {block.line: lang for lang in stray for draft in drafts[lang] for block in draft.blocks}
    if len(moved) > max(2, len(languages) // 10):
        return {}
    home = next((lang for lang in languages if lang not in stray), complete[0])
    # Walk in input order so each stray block joins the language read just before it.
    for index in range(len(languages)):
        if languages[index] in stray:
            languages[index] = home
        else:
            home = languages[index]
    return moved


def parse_all(text: str) -> tuple[ParsedDocument, ...]:
    """Every document in ``text`` (a text may hold several motions).

    Raises ``ParseError`` when no document with requests can be read, or
    when a document states grounds but never asks anything: import is
    all-or-nothing, so a half-read text is refused, not half-kept.
    """
    blocks = split_blocks(text)
    languages = assign_languages([block.text for block in blocks])
    drafts = _read(blocks, languages)
    folded = _fold_stray_languages(languages, drafts)
    if folded:
        drafts = _read(blocks, languages)
    all_drafts = [draft for lang_drafts in drafts.values() for draft in lang_drafts]
    kept = {
        lang: [draft for draft in lang_drafts if draft.recitals or draft.requests]
        for lang, lang_drafts in drafts.items()
    }
    incomplete = [
        draft for lang_drafts in kept.values() for draft in lang_drafts if not draft.requests
    ]
    if incomplete or not any(kept.values()):
        raise _failure(blocks, incomplete or all_drafts)
    count = max(len(lang_drafts) for lang_drafts in kept.values())
    documents = []
    firsts: list[tuple[str, Header]] = []
    for index in range(count):
        group = [lang_drafts[index] for lang_drafts in kept.values() if index < len(lang_drafts)]
        document = _assemble(group, firsts)
        if index == 0:
            firsts = [(version.lang, version.header) for version in document.versions]
        strays = [
            Anomaly(
                AnomalyCode.FOREIGN_BLOCK,
                f"block read as {was} in a text without a {was} version; kept in {draft.lang}",
                lang=draft.lang,
                line=block.line,
            )
            for draft in group
            for block in draft.blocks
            if block.line in folded
            for was in (folded[block.line],)
        ]
        if strays:
            document = dataclasses.replace(document, anomalies=(*document.anomalies, *strays))
        if len(group) < len(kept):
            missing = sorted(set(kept) - {draft.lang for draft in group})
            document = dataclasses.replace(
                document,
                anomalies=(
                    *document.anomalies,
                    Anomaly(
                        AnomalyCode.DOCUMENT_COUNT_MISMATCH,
                        f"document {index + 1} has no {', '.join(missing)} version",
                    ),
                ),
            )
        documents.append(document)
    return tuple(documents)


def parse(text: str) -> ParsedDocument:
    """The one document in ``text``; see ``parse_all`` for texts with several.

    Raises ``ParseError`` when the text is not a document, or holds more than
    one (naming the line where the second begins).
    """
    documents = parse_all(text)
    if len(documents) > 1:
        line = documents[1].versions[0].recitals[:1] or documents[1].versions[0].requests[:1]
        raise ParseError(
            line[0].line if line else 1,
            N_("a single document; this text holds several (use parse_all)"),
        )
    return documents[0]
