"""Properties (hypothesis): layout does not change what is read, and nothing but
``ParseError`` ever escapes the parser."""

from __future__ import annotations

import contextlib
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from bedeco.documents.engine import ParseError, parse, parse_all
from bedeco.documents.engine.blocks import Block, split_blocks
from bedeco.documents.engine.formats.json import to_data
from bedeco.documents.engine.language import assign_languages

from .conftest import read_fixture, read_seed
from .test_parser import FIXTURE_NAMES

SEED = read_seed()
PROPERTY_SETTINGS = settings(max_examples=40, deadline=None)


def _without_lines(value: Any) -> Any:
    """The parse result with input line numbers dropped (layout moves them)."""
    if isinstance(value, dict):
        return {key: _without_lines(item) for key, item in value.items() if key != "line"}
    if isinstance(value, list):
        return [_without_lines(item) for item in value]
    return value


def _result(text: str) -> Any:
    return _without_lines(to_data(parse_all(text)))


def _runs(text: str) -> list[tuple[str, list[Block]]]:
    """Consecutive blocks of one language, as a two-column conversion leaves them."""
    blocks = split_blocks(text)
    runs: list[tuple[str, list[Block]]] = []
    for block, lang in zip(blocks, assign_languages([b.text for b in blocks]), strict=True):
        if runs and runs[-1][0] == lang:
            runs[-1][1].append(block)
        else:
            runs.append((lang, [block]))
    return runs


def _render(runs: list[tuple[str, list[Block]]]) -> str:
    return "\n\n".join("\n".join(block.lines) for _lang, blocks in runs for block in blocks)


SEED_RUNS = _runs(SEED)
SEED_RESULT = _result(_render(SEED_RUNS))


def test_seed_has_the_interleaved_runs_the_issue_describes() -> None:
    assert [lang for lang, _blocks in SEED_RUNS] == ["nl", "fr"] * 6


@PROPERTY_SETTINGS
@given(st.permutations([lang for lang, _blocks in SEED_RUNS]))
def test_shuffling_language_blocks_does_not_change_the_result(order: list[str]) -> None:
    queues = {lang: [run for run in SEED_RUNS if run[0] == lang] for lang in ("nl", "fr")}
    merged = [queues[lang].pop(0) for lang in order]
    assert _result(_render(merged)) == SEED_RESULT


BILINGUAL_FIXTURES = [
    "be_senate_resolution.txt",
    "be_chamber_motions.txt",
    "benelux_recommendation.txt",
]


@PROPERTY_SETTINGS
@given(st.sampled_from(BILINGUAL_FIXTURES), st.data())
def test_shuffling_language_blocks_of_every_bilingual_fixture_changes_nothing(
    name: str, data: st.DataObject
) -> None:
    runs = _runs(read_fixture(name))
    order = data.draw(st.permutations([lang for lang, _blocks in runs]))
    queues = {lang: [run for run in runs if run[0] == lang] for lang in ("nl", "fr")}
    merged = [queues[lang].pop(0) for lang in order]
    assert _result(_render(merged)) == _result(_render(runs))


@PROPERTY_SETTINGS
@given(st.sampled_from([SEED, *(read_fixture(name) for name in FIXTURE_NAMES)]), st.data())
def test_adding_blank_lines_does_not_change_the_result(text: str, data: st.DataObject) -> None:
    pieces = text.split("\n\n")
    extra = data.draw(st.lists(st.integers(0, 3), min_size=len(pieces), max_size=len(pieces)))
    spaced = "".join(
        piece + "\n\n" + "\n" * count + (" \n" if count == 3 else "")
        for piece, count in zip(pieces, extra, strict=True)
    )
    lead = data.draw(st.sampled_from(["", "\n", "\n\n\n"]))
    assert _result(lead + spaced) == _result(text)


@PROPERTY_SETTINGS
@given(st.sampled_from([SEED, *(read_fixture(name) for name in FIXTURE_NAMES)]), st.data())
def test_removing_markdown_emphasis_does_not_change_the_result(
    text: str, data: st.DataObject
) -> None:
    marks = [index for index, char in enumerate(text) if char == "*"]
    if not marks:
        marks = [0]
    keep = set(data.draw(st.lists(st.sampled_from(marks), unique=True)))
    stripped = "".join(char for index, char in enumerate(text) if char != "*" or index in keep)
    assert _result(stripped) == _result(text)


FRAGMENTS = [
    "DE KAMER VAN VOLKSVERTEGENWOORDIGERS,",
    "LA CHAMBRE DES REPRÉSENTANTS,",
    "A. overwegende dat de Benelux-verklaring van 18 april 2012 geldt;",
    "B. vu la Déclaration Benelux du 18 avril 2012;",
    "VERZOEKT DE FEDERALE REGERING:",
    "DEMANDE AU GOUVERNEMENT FÉDÉRAL:",
    "1. te onderzoeken;",
    "1. d'examiner;",
    "- gelet op het NAVO-Strategisch Concept;",
    "en gaat over tot de orde van de dag.",
    "Brussel, 13 mei 2026.",
    "*De voorzitter,*",
    "Peter De Roover",
    "Doc 56 **0367/ (2024/2025):**",
    "12 en 31 februari 2026",
    "03705",
    "",
    "\r\n",
    "^e^",
]


@settings(max_examples=150, deadline=None)
@given(
    st.lists(
        st.one_of(st.sampled_from(FRAGMENTS), st.text(max_size=40)),
        max_size=30,
    )
)
def test_random_text_raises_nothing_but_parse_error(parts: list[str]) -> None:
    text = "\n".join(parts)
    try:
        documents = parse_all(text)
    except ParseError as error:
        assert error.line >= 1 and error.expected
    else:
        assert all(document.versions for document in documents)


@settings(max_examples=60, deadline=None)
@given(st.data())
def test_deleting_random_lines_of_the_seed_raises_nothing_but_parse_error(
    data: st.DataObject,
) -> None:
    lines = SEED.split("\n")
    dropped = set(data.draw(st.lists(st.integers(0, len(lines) - 1), max_size=40)))
    text = "\n".join(line for index, line in enumerate(lines) if index not in dropped)
    with contextlib.suppress(ParseError):
        parse(text)


@settings(max_examples=80, deadline=None)
@given(st.lists(st.one_of(st.sampled_from(FRAGMENTS), st.text(max_size=30)), max_size=30))
def test_whatever_the_parser_accepts_gives_schema_valid_akn(parts: list[str]) -> None:
    from lxml import etree

    from bedeco.documents.engine.formats.akn import to_akn

    from .conftest import load_akn_schema

    try:
        documents = parse_all("\n\n".join(parts))
    except ParseError:
        return
    schema = load_akn_schema()
    for document in documents:
        for lang in document.languages:
            assert schema.validate(etree.fromstring(to_akn(document, lang))), schema.error_log
