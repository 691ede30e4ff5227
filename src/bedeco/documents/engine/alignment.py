"""Pair the languages clause by clause, and say where they disagree.

A bilingual resolution is one decision in two languages: recital B in Dutch
is recital B in French. Pairing is therefore by label, never by position, so
that one missing recital does not shift every pair after it. Whatever does
not fit (a label on one side only, a label used twice, labels out of order,
different counts) is reported as an ``Anomaly`` for a clerk to look at; the
document is still read.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Sequence

from .model import AlignedPair, Anomaly, AnomalyCode, Clause, ClauseKind, Version

_EID_PREFIX = {ClauseKind.RECITAL: "recital", ClauseKind.REQUEST: "para"}
_UNSAFE = re.compile(r"[^A-Za-z0-9]+")


def label_ordinal(label: str) -> int | None:
    """Position a label names: ``1`` for ``A`` or ``1``, ``27`` for ``AA``."""
    if label.isdigit():
        return int(label)
    if label.isalpha() and label.isupper():
        value = 0
        for char in label:
            value = value * 26 + (ord(char) - ord("A") + 1)
        return value
    return None


def eid_for(kind: ClauseKind, label: str, occurrence: int) -> str:
    """The Akoma Ntoso eId of a clause; the same in every language."""
    base = f"{_EID_PREFIX[kind]}_{_UNSAFE.sub('-', label).strip('-') or 'x'}"
    return base if occurrence == 1 else f"{base}_{occurrence}"


def _sequence_anomalies(lang: str, kind: ClauseKind, clauses: Sequence[Clause]) -> list[Anomaly]:
    anomalies: list[Anomaly] = []
    counts = Counter(clause.label for clause in clauses)
    for label, count in counts.items():
        if count > 1:
            line = [clause.line for clause in clauses if clause.label == label][1]
            anomalies.append(
                Anomaly(
                    AnomalyCode.DUPLICATE_LABEL,
                    f"{kind.value} {label} appears {count} times in {lang}",
                    lang,
                    kind,
                    label,
                    line,
                )
            )
    previous: int | None = 0
    previous_label = "(start)"
    for clause in clauses:
        ordinal = label_ordinal(clause.label)
        out_of_step = ordinal is not None and previous is not None and ordinal != previous + 1
        # A repeated label is already a duplicate; it breaks order only if it goes back.
        repeated = counts[clause.label] > 1 and ordinal is not None and ordinal >= (previous or 0)
        if out_of_step and not repeated:
            anomalies.append(
                Anomaly(
                    AnomalyCode.ORDER_BREAK,
                    f"{kind.value} {clause.label} follows {previous_label} in {lang}",
                    lang,
                    kind,
                    clause.label,
                    clause.line,
                )
            )
        previous, previous_label = ordinal, clause.label
    return anomalies


def align(versions: Sequence[Version]) -> tuple[tuple[AlignedPair, ...], tuple[Anomaly, ...]]:
    """Pairs by label across ``versions`` and every anomaly of labelling."""
    pairs: list[AlignedPair] = []
    anomalies: list[Anomaly] = []
    for kind in ClauseKind:
        per_lang = {
            version.lang: version.recitals if kind is ClauseKind.RECITAL else version.requests
            for version in versions
        }
        for lang, clauses in per_lang.items():
            anomalies.extend(_sequence_anomalies(lang, kind, clauses))
        order: list[str] = []
        seen: dict[str, tuple[Clause, set[str]]] = {}
        for lang, clauses in per_lang.items():
            for clause in clauses:
                if clause.eid not in seen:
                    seen[clause.eid] = (clause, set())
                    order.append(clause.eid)
                seen[clause.eid][1].add(lang)
        languages = [version.lang for version in versions]
        for eid in order:
            clause, present = seen[eid]
            ordered = tuple(lang for lang in languages if lang in present)
            pairs.append(AlignedPair(kind, clause.label, eid, ordered))
            for lang in languages:
                if lang not in present:
                    anomalies.append(
                        Anomaly(
                            AnomalyCode.MISSING_LABEL,
                            f"{kind.value} {clause.label} has no {lang} counterpart",
                            lang,
                            kind,
                            clause.label,
                            clause.line,
                        )
                    )
        counts = {lang: len(clauses) for lang, clauses in per_lang.items()}
        if len(set(counts.values())) > 1:
            summary = ", ".join(f"{lang} {count}" for lang, count in counts.items())
            anomalies.append(
                Anomaly(AnomalyCode.COUNT_MISMATCH, f"{kind.value}s: {summary}", kind=kind)
            )
    return tuple(pairs), tuple(anomalies)
