"""JSON, Akoma Ntoso and Markdown outputs: shape, schema validity, eIds aligned."""

from __future__ import annotations

import json

import pytest
from lxml import etree

from bedeco.documents.engine import ParsedDocument, parse, parse_all
from bedeco.documents.engine.formats.akn import NAMESPACE, to_akn
from bedeco.documents.engine.formats.json import SCHEMA, to_data, to_json
from bedeco.documents.engine.formats.markdown import to_markdown

from .conftest import read_fixture
from .test_parser import FIXTURE_NAMES

NS = {"akn": NAMESPACE}


def _eids(xml: bytes) -> list[str]:
    root = etree.fromstring(xml)
    return [element.get("eId") for element in root.iter() if element.get("eId") is not None]


def test_json_has_the_documented_top_level_fields(seed: ParsedDocument) -> None:
    data = json.loads(to_json(seed))
    assert data["schema"] == SCHEMA
    assert data["kind"] == "resolution"
    assert data["languages"] == ["nl", "fr"]
    assert set(data) >= {
        "schema",
        "kind",
        "languages",
        "header",
        "versions",
        "alignment",
        "references",
        "anomalies",
    }
    assert data["header"]["document_number"] == "Doc 56 0367"
    assert data["header"]["legislature"] == 56
    assert data["header"]["session"] == "2024/2025"
    assert data["header"]["plenary_dates"] == ["2026-05-12", "2026-05-13"]


def test_json_versions_list_recitals_and_requests_in_order(seed: ParsedDocument) -> None:
    versions = to_data(seed)["versions"]
    for lang in ("nl", "fr"):
        assert versions[lang]["title"]
        assert [r["label"] for r in versions[lang]["recitals"]][:3] == ["A", "B", "C"]
        assert len(versions[lang]["requests"]) == 16
        assert set(versions[lang]["requests"][0]) >= {"label", "text"}
    assert versions["fr"]["signatories"][0]["name_carried_from"] == "nl"


def test_json_references_carry_kind_id_lang_text_and_span(seed: ParsedDocument) -> None:
    references = to_data(seed)["references"]
    pesco = [r for r in references if r["id"] == "eu:pesco"]
    assert {r["lang"] for r in pesco} == {"nl", "fr"}
    for ref in references:
        assert set(ref) >= {"kind", "id", "lang", "text", "span", "provision"}
        start, end = ref["span"]
        assert end - start == len(ref["text"])


def test_json_anomalies_are_data(seed: ParsedDocument) -> None:
    anomalies = to_data(seed)["anomalies"]
    assert [a["code"] for a in anomalies] == ["carried-name", "carried-name"]


def test_json_of_several_motions_lists_documents() -> None:
    data = json.loads(to_json(parse_all(read_fixture("be_chamber_motions.txt"))))
    assert data["schema"] == SCHEMA
    assert [d["kind"] for d in data["documents"]] == ["motion", "motion"]
    assert all(d["schema"] == SCHEMA for d in data["documents"])


@pytest.mark.parametrize("lang", ["nl", "fr"])
def test_seed_akn_validates_against_the_oasis_schema(
    seed: ParsedDocument, akn_schema: etree.XMLSchema, lang: str
) -> None:
    document = etree.fromstring(to_akn(seed, lang))
    assert akn_schema.validate(document), akn_schema.error_log


def test_seed_akn_eids_match_across_languages(seed: ParsedDocument) -> None:
    dutch, french = _eids(to_akn(seed, "nl")), _eids(to_akn(seed, "fr"))
    assert dutch == french
    assert "recital_V" in dutch and "para_16" in dutch


def test_seed_akn_is_a_resolution_statement_with_its_parts(seed: ParsedDocument) -> None:
    root = etree.fromstring(to_akn(seed, "fr"))
    statement = root.find("akn:statement", NS)
    assert statement is not None and statement.get("name") == "resolution"
    language = root.find(".//akn:FRBRExpression/akn:FRBRlanguage", NS)
    assert language is not None and language.get("language") == "fra"
    assert len(root.findall(".//akn:preamble/akn:recitals/akn:recital", NS)) == 22
    assert len(root.findall(".//akn:mainBody/akn:paragraph", NS)) == 16
    num = root.find(".//akn:paragraph[@eId='para_3']/akn:num", NS)
    assert num is not None and num.text == "3."
    assert root.find(".//akn:conclusions//akn:location", NS).text == "Bruxelles"
    persons = [p.text for p in root.findall(".//akn:conclusions//akn:signature/akn:person", NS)]
    assert persons == ["Peter De Roover", "Nicole Marquet"]


def test_seed_akn_marks_references_and_dates_in_place(seed: ParsedDocument) -> None:
    root = etree.fromstring(to_akn(seed, "nl"))
    recital_b = root.find(".//akn:recital[@eId='recital_B']", NS)
    ref = recital_b.find(".//akn:ref", NS)
    assert ref.get("href") == "urn:bedeco:benelux:declaration:2012-04-18"
    date = ref.find("akn:date", NS)
    assert date.get("date") == "2012-04-18" and date.text == "18 april 2012"
    paragraph = "".join(recital_b.find("akn:p", NS).itertext())
    assert paragraph == seed.version("nl").recitals[1].text
    dutch = etree.fromstring(to_akn(seed, "nl"))
    assert dutch.find(".//akn:FRBRExpression/akn:FRBRlanguage", NS).get("language") == "nld"


@pytest.mark.parametrize("name", FIXTURE_NAMES)
def test_every_fixture_gives_valid_akn_in_each_language(
    name: str, akn_schema: etree.XMLSchema
) -> None:
    for document in parse_all(read_fixture(name)):
        eids = []
        for lang in document.languages:
            xml = to_akn(document, lang)
            assert akn_schema.validate(etree.fromstring(xml)), akn_schema.error_log
            eids.append(_eids(xml))
        assert all(other == eids[0] for other in eids)
        name_attr = etree.fromstring(to_akn(document, document.languages[0])).find(
            "akn:statement", NS
        )
        assert name_attr.get("name") == document.kind.value


def test_markdown_renders_each_language_readably(seed: ParsedDocument) -> None:
    dutch = to_markdown(seed, "nl")
    french = to_markdown(seed, "fr")
    assert dutch.startswith("**BELGISCHE KAMER VAN VOLKSVERTEGENWOORDIGERS**")
    assert "# RESOLUTIE — tot versterking" in dutch
    assert "**A.** aanmoedigend dat" in dutch
    assert "16. te investeren" in dutch
    assert "**DEMANDE AU GOUVERNEMENT FÉDÉRAL:**" in french
    assert "Peter De Roover (repris du texte nl)" in french
    assert "Bruxelles, 13 mai 2026" in french


def test_markdown_of_a_motion_keeps_its_closing_formula() -> None:
    document = parse(read_fixture("nl_tk_motion.txt"))
    rendered = to_markdown(document, "nl")
    assert "en gaat over tot de orde van de dag" in rendered
    assert "Van der Plas" in rendered
