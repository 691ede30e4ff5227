"""Alignment pairs clauses by label and reports every disagreement as data."""

from __future__ import annotations

import re

from bedeco.documents.engine import AnomalyCode, ClauseKind, ParsedDocument, parse
from bedeco.documents.engine.alignment import eid_for, label_ordinal


def _codes(document: ParsedDocument) -> list[tuple[AnomalyCode, str | None, str | None]]:
    return [(a.code, a.lang, a.label) for a in document.anomalies]


def test_seed_pairs_all_22_recitals_and_16_requests(seed: ParsedDocument) -> None:
    recitals = [p for p in seed.alignment if p.kind is ClauseKind.RECITAL]
    requests = [p for p in seed.alignment if p.kind is ClauseKind.REQUEST]
    assert len(recitals) == 22 and len(requests) == 16
    assert all(pair.languages == ("nl", "fr") for pair in seed.alignment)
    assert [p.label for p in recitals][:3] == ["A", "B", "C"]
    assert requests[-1].eid == "para_16"


def test_label_missing_on_one_side_is_an_anomaly_and_the_rest_still_pairs(
    seed_text: str,
) -> None:
    text = re.sub(r"\nG\. vu l'invasion russe[^\n]*\n", "\n", seed_text)
    document = parse(text)
    assert (AnomalyCode.MISSING_LABEL, "fr", "G") in _codes(document)
    assert any(a.code is AnomalyCode.COUNT_MISMATCH for a in document.anomalies)
    pair_h = next(p for p in document.alignment if p.eid == "recital_H")
    assert pair_h.languages == ("nl", "fr")
    pair_g = next(p for p in document.alignment if p.eid == "recital_G")
    assert pair_g.languages == ("nl",)


def test_duplicate_label_is_reported_and_gets_its_own_eid(seed_text: str) -> None:
    text = seed_text.replace("\nD. vu l'accord", "\nC. vu l'accord")
    document = parse(text)
    codes = _codes(document)
    assert (AnomalyCode.DUPLICATE_LABEL, "fr", "C") in codes
    assert (AnomalyCode.MISSING_LABEL, "fr", "D") in codes
    french = [c.eid for c in document.version("fr").recitals]
    assert "recital_C_2" in french and len(set(french)) == len(french)


def test_order_break_is_reported(seed_text: str) -> None:
    text = seed_text.replace("\n5. specifiek", "\n7. specifiek").replace(
        "\n7. de oprichting", "\n5. de oprichting"
    )
    document = parse(text)
    breaks = [(a.lang, a.label) for a in document.anomalies if a.code is AnomalyCode.ORDER_BREAK]
    assert ("nl", "7") in breaks and ("nl", "5") in breaks
    assert not any(a.code is AnomalyCode.MISSING_LABEL for a in document.anomalies)


def test_signature_count_mismatch_is_reported(seed_text: str) -> None:
    text = seed_text.replace("*La greffière de la Chambre\ndes représentants,*", "")
    document = parse(text)
    assert any(a.code is AnomalyCode.SIGNATORY_MISMATCH for a in document.anomalies)
    assert document.version("fr").signatories[0].name == "Peter De Roover"


def test_labels_map_to_ordinals_and_eids() -> None:
    assert [label_ordinal(x) for x in ("A", "Z", "AA", "1", "16", "a)")] == [1, 26, 27, 1, 16, None]
    assert eid_for(ClauseKind.RECITAL, "B", 1) == "recital_B"
    assert eid_for(ClauseKind.REQUEST, "3", 2) == "para_3_2"


def test_provisions_join_both_languages_by_eid_for_storage(seed: ParsedDocument) -> None:
    provisions = seed.provisions()
    assert len(provisions) == 38
    first, last = provisions[0], provisions[-1]
    assert (first.kind, first.label, first.eid) == (ClauseKind.RECITAL, "A", "recital_A")
    assert set(first.texts) == {"nl", "fr"}
    assert first.texts["fr"].startswith("considérant que la recommandation (936-2)")
    assert first.openings == {"nl": "aanmoedigend dat", "fr": "considérant que"}
    assert (last.kind, last.label) == (ClauseKind.REQUEST, "16")
    assert seed.titles()["nl"] == "tot versterking van de defensie-samenwerking in de Benelux"
    assert seed.document_id == "be:chamber:doc:56-0367"
