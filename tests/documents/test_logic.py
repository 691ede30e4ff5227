"""The documents capability's pure rules: keys, the instrument table, stored JSON round trip."""

from __future__ import annotations

import datetime as dt

import pytest

from bedeco.documents import logic
from bedeco.documents.engine import ParsedDocument, parse, parse_all
from bedeco.documents.engine.formats.akn import to_akn
from bedeco.documents.engine.formats.json import document_data
from bedeco.documents.engine.formats.markdown import to_markdown
from tests.documents.conftest import FIXTURES, read_fixture

#: The instruments the seed cites, as the register keys them (reference-facts), and the
#: recitals that cite them: checked by hand against the seed's text.
SEED_CITES = {
    "A": {"rec-936-2"},
    "B": {"benelux-decl-2012"},
    "C": {"rec-855-2"},
    "D": {"airspace-2015"},
    "E": {"rec-878-1"},
    "F": {"ans-878-2", "rec-878-1"},
    "H": {"eu-compass-2022"},
    "I": {"benelux-compass-2022", "eu-compass-2022"},
    "J": {"benelux-debate-2022"},
    "K": {"nato-sc-2022"},
    "O": {"benelux-decl-2012"},
    "Q": {"benelux-decl-2012"},
    "R": {"benelux-decl-2012"},
}


def test_the_seed_is_keyed_by_its_printed_number_as_the_register_keys_it(
    seed: ParsedDocument,
) -> None:
    key = logic.document_key(
        seed.document_id, kind="resolution", date=seed.header.date, digest="0" * 64
    )
    assert key == "be-chamber-56-0367"


def test_a_text_without_a_number_is_keyed_by_kind_date_and_hash() -> None:
    key = logic.document_key(None, kind="motion", date=dt.date(2025, 3, 20), digest="ab" * 32)
    assert key == "motion-2025-03-20-abababababab"


def test_several_motions_in_one_text_get_distinct_keys() -> None:
    documents = parse_all(read_fixture("be_chamber_motions.txt"))
    keys = {
        logic.document_key(d.document_id, kind=d.kind.value, date=d.header.date,
                           digest="c" * 64, index=i, count=len(documents))
        for i, d in enumerate(documents)
    }  # fmt: skip
    assert len(keys) == len(documents) == 2


def test_every_instrument_the_seed_cites_resolves_to_its_register_key(
    seed: ParsedDocument,
) -> None:
    found: dict[str, set[str]] = {}
    for ref in seed.references:
        key = logic.instrument_key(ref.id, kind=ref.kind.value, provision=ref.provision)
        if key and ref.provision.startswith("recital_"):
            found.setdefault(ref.provision.removeprefix("recital_"), set()).add(key)
    assert found == SEED_CITES


@pytest.mark.parametrize(
    ("reference_id", "key"),
    [
        ("benelux:declaration:2012-04-18", "benelux-decl-2012"),
        ("benelux-parliament:doc:855-2", "rec-855-2"),
        ("benelux:agreement:airspace:2015-03-04", "airspace-2015"),
        ("benelux-parliament:doc:878-1", "rec-878-1"),
        ("benelux-parliament:doc:878-2", "ans-878-2"),
        ("eu:strategic-compass", "eu-compass-2022"),
        ("eu:council:7371/22", "eu-compass-2022"),
        ("nato:strategic-concept", "nato-sc-2022"),
        ("benelux-parliament:doc:936-2", "rec-936-2"),
        ("be:chamber:doc:56-0367", "be-chamber-56-0367"),
    ],
)
def test_each_named_instrument_maps_to_one_register_key(reference_id: str, key: str) -> None:
    assert logic.instrument_key(reference_id, kind="declaration", provision="recital_B") == key


def test_a_date_names_an_instrument_only_in_a_recital() -> None:
    assert logic.instrument_key("2022-04-06", kind="date", provision="recital_I") == (
        "benelux-compass-2022"
    )
    assert logic.instrument_key("2022-04-06", kind="date", provision="para_3") is None
    assert logic.instrument_key("un:sdg", kind="goals", provision="recital_S") is None


@pytest.mark.parametrize("name", ["seed", *sorted(p.name for p in FIXTURES.glob("*.txt"))])
def test_exports_rebuilt_from_the_stored_json_equal_the_engines(name: str, seed_text: str) -> None:
    text = seed_text if name == "seed" else read_fixture(name)
    for document in parse_all(text):
        data = document_data(document)
        rebuilt = logic.document_from_data(data)
        assert document_data(rebuilt) == data
        for lang in document.languages:
            assert to_akn(rebuilt, lang) == to_akn(document, lang)
            assert to_markdown(rebuilt, lang) == to_markdown(document, lang)


def test_stored_json_of_another_schema_is_refused(seed: ParsedDocument) -> None:
    data = document_data(seed) | {"schema": "bedeco.documents/2.0"}
    with pytest.raises(ValueError, match="unsupported schema"):
        logic.document_from_data(data)


def test_rows_align_by_eid_and_say_when_a_side_is_missing() -> None:
    text = read_fixture("be_senate_resolution.txt")
    document = parse(text)
    rows = logic.aligned_rows(document)
    assert [r.eid for r in rows] == [p.eid for p in document.alignment]
    assert all(len(r.sides) == len(document.languages) for r in rows)
    nl_only = parse("\n\n".join(["DE KAMER,", "A. overwegende dat het regent;",
                                 "VERZOEKT DE REGERING:", "1. een paraplu te kopen."]))  # fmt: skip
    assert [s.lang for s in logic.aligned_rows(nl_only)[0].sides] == ["nl"]


def test_segments_keep_the_text_and_highlight_outermost_references(
    seed: ParsedDocument,
) -> None:
    row = next(r for r in logic.aligned_rows(seed) if r.eid == "recital_B")
    for side in row.sides:
        assert side.text is not None
        pieces = logic.segments(side.text, side.references)
        assert "".join(p.text for p in pieces) == side.text
        marked = [p for p in pieces if p.reference]
        assert [p.reference.id for p in marked if p.reference] == ["benelux:declaration:2012-04-18"]
