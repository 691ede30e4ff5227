"""The parser reads the seed field by field, the genre's fixtures, and awkward inputs."""

from __future__ import annotations

import datetime as dt
import re

import pytest

from bedeco.documents.engine import (
    AnomalyCode,
    ClauseKind,
    DocumentKind,
    ParsedDocument,
    ParseError,
    parse,
    parse_all,
)
from bedeco.documents.engine.blocks import split_blocks
from bedeco.documents.engine.language import assign_languages

from .conftest import read_fixture, read_seed

LETTERS = [chr(code) for code in range(ord("A"), ord("V") + 1)]
NUMBERS = [str(n) for n in range(1, 17)]


# --- the seed, field by field ----------------------------------------------------------


def test_seed_is_a_resolution_in_dutch_and_french(seed: ParsedDocument) -> None:
    assert seed.kind is DocumentKind.RESOLUTION
    assert seed.languages == ("nl", "fr")


def test_seed_dutch_header_is_read_field_by_field(seed: ParsedDocument) -> None:
    header = seed.version("nl").header
    assert header.chamber == "BELGISCHE KAMER VAN VOLKSVERTEGENWOORDIGERS"
    assert header.date == dt.date(2026, 5, 13)
    assert header.kind_label == "RESOLUTIE"
    assert header.title == "tot versterking van de defensie-samenwerking in de Benelux"
    assert header.status == "Tekst aangenomen door de plenaire vergadering"
    assert header.document_number == "Doc 56 0367"
    assert header.document_id == "be:chamber:doc:56-0367"
    assert header.legislature == 56
    assert header.session == "2024/2025"
    assert [(sub.number, sub.title) for sub in header.subdocuments] == [
        ("001", "Voorstel van resolutie van de heer Buysrogge en mevrouw Safai"),
        ("002", "Verslag"),
        ("003", "Tekst aangenomen door de commissie"),
    ]
    assert header.subdocuments[0].authors == ("Buysrogge", "Safai")
    assert header.plenary_dates == (dt.date(2026, 5, 12), dt.date(2026, 5, 13))


def test_seed_french_header_is_read_field_by_field(seed: ParsedDocument) -> None:
    header = seed.version("fr").header
    assert header.chamber == "CHAMBRE DES REPRÉSENTANTS DE BELGIQUE"
    assert header.date == dt.date(2026, 5, 13)
    assert header.kind_label == "RÉSOLUTION"
    assert header.title == (
        "visant à renforcer la coopération en matière de défense au sein du Benelux"
    )
    assert header.status == "Texte adopté par la séance plénière"
    assert header.document_number == "Doc 56 0367"
    assert header.legislature == 56
    assert header.session == "2024/2025"
    assert [sub.number for sub in header.subdocuments] == ["001", "002", "003"]
    assert header.subdocuments[0].title == "Proposition de résolution de M. Buysrogge et Mme Safai"
    assert header.subdocuments[0].authors == ("Buysrogge", "Safai")
    assert header.subdocuments[2].title == "Texte adopté par la commission"
    assert header.plenary_dates == (dt.date(2026, 5, 12), dt.date(2026, 5, 13))


def test_seed_formulas_are_read_in_both_languages(seed: ParsedDocument) -> None:
    dutch, french = seed.version("nl"), seed.version("fr")
    assert dutch.enacting_formula == "DE KAMER VAN VOLKSVERTEGENWOORDIGERS,"
    assert french.enacting_formula == "LA CHAMBRE DES REPRÉSENTANTS,"
    assert dutch.operative_formula == "VERZOEKT DE FEDERALE REGERING"
    assert french.operative_formula == "DEMANDE AU GOUVERNEMENT FÉDÉRAL"
    assert dutch.closing_formula is None and french.closing_formula is None


def test_seed_has_22_recitals_a_to_v_and_16_requests_in_each_language(
    seed: ParsedDocument,
) -> None:
    for version in seed.versions:
        assert [clause.label for clause in version.recitals] == LETTERS
        assert [clause.label for clause in version.requests] == NUMBERS
        assert all(clause.printed_label for clause in version.clauses())


def test_seed_recitals_keep_their_text_without_label_or_markup(seed: ParsedDocument) -> None:
    dutch, french = seed.version("nl"), seed.version("fr")
    assert dutch.recitals[0].text.startswith("aanmoedigend dat de aanbeveling (936-2)")
    assert dutch.recitals[0].text.endswith("unaniem werd aangenomen;")
    assert "21e eeuw" in dutch.recitals[12].text
    assert "European Battle Group (EUBG)" in dutch.recitals[14].text
    assert "21e siècle" in french.recitals[12].text
    assert french.requests[14].text.startswith("de toujours respecter")
    assert "principe de pooling and sharing" in french.requests[14].text
    assert dutch.requests[15].text.endswith("partners.")
    assert not any("*" in clause.text or "^" in clause.text for clause in dutch.clauses())


def test_seed_recitals_carry_their_opening_phrases(seed: ParsedDocument) -> None:
    dutch = {clause.label: clause.opening for clause in seed.version("nl").recitals}
    french = {clause.label: clause.opening for clause in seed.version("fr").recitals}
    assert dutch["A"] == "aanmoedigend dat"
    assert dutch["B"] == "attenderend op"
    assert dutch["D"] == "akte nemend van"
    assert dutch["R"] == "overwegende dat"
    assert dutch["T"] == "er op wijzende dat"
    assert french["A"] == "considérant que"
    assert french["B"] == "vu"
    assert french["O"] == "considérant qu'"
    assert french["U"] == "convaincue qu'"


def test_seed_place_date_and_signatories_are_read(seed: ParsedDocument) -> None:
    dutch, french = seed.version("nl"), seed.version("fr")
    assert (dutch.place, dutch.date) == ("Brussel", dt.date(2026, 5, 13))
    assert (french.place, french.date) == ("Bruxelles", dt.date(2026, 5, 13))
    assert [(s.function, s.name, s.name_carried_from) for s in dutch.signatories] == [
        ("De voorzitter van de Kamer van volksvertegenwoordigers", "Peter De Roover", None),
        ("De griffier van de Kamer van volksvertegenwoordigers", "Nicole Marquet", None),
    ]
    assert [(s.function, s.name, s.name_carried_from) for s in french.signatories] == [
        ("Le président de la Chambre des représentants", "Peter De Roover", "nl"),
        ("La greffière de la Chambre des représentants", "Nicole Marquet", "nl"),
    ]


def test_seed_only_anomalies_are_the_carried_signature_names(seed: ParsedDocument) -> None:
    assert [(a.code, a.lang) for a in seed.anomalies] == [
        (AnomalyCode.CARRIED_NAME, "fr"),
        (AnomalyCode.CARRIED_NAME, "fr"),
    ]


def test_seed_language_texts_are_rebuilt_in_order(seed: ParsedDocument) -> None:
    dutch = seed.version("nl").text
    french = seed.version("fr").text
    assert dutch.index("A. aanmoedigend") < dutch.index("L. geïnspireerd") < dutch.index("16. te")
    assert french.index("A. considérant") < french.index("L. considérant") < french.index("16. d'")
    assert "considérant" not in dutch and "overwegende" not in french
    assert "03705" not in dutch + french


def test_seed_blocks_get_the_language_lingua_gives_them(seed_text: str) -> None:
    from lingua import Language, LanguageDetectorBuilder

    detector = LanguageDetectorBuilder.from_languages(Language.DUTCH, Language.FRENCH).build()
    names = {Language.DUTCH: "nl", Language.FRENCH: "fr"}
    texts = [read_seed(), *(read_fixture(name) for name in FIXTURE_NAMES)]
    checked = 0
    for text in texts:
        blocks = split_blocks(text)
        ours = assign_languages([block.text for block in blocks])
        for block, lang in zip(blocks, ours, strict=True):
            if len(block.text.split()) < 6:
                continue
            confidence = detector.compute_language_confidence_values(block.text)[0]
            if confidence.value > 0.9:
                checked += 1
                assert lang == names[confidence.language], block.text
    assert checked > 150


# --- the genre ---------------------------------------------------------------------------

FIXTURE_NAMES = [
    "be_senate_resolution.txt",
    "be_chamber_motions.txt",
    "nl_tk_motion.txt",
    "benelux_recommendation.txt",
]


@pytest.mark.parametrize("name", FIXTURE_NAMES)
def test_every_genre_fixture_parses_with_aligned_languages(name: str) -> None:
    documents = parse_all(read_fixture(name))
    assert documents
    for document in documents:
        assert all(version.requests for version in document.versions)
        codes = {anomaly.code for anomaly in document.anomalies}
        assert not codes & {
            AnomalyCode.MISSING_LABEL,
            AnomalyCode.COUNT_MISMATCH,
            AnomalyCode.UNRECOGNISED_BLOCK,
        }


def test_senate_resolution_reads_dash_recitals_and_formula_less_requests() -> None:
    document = parse(read_fixture("be_senate_resolution.txt"))
    dutch, french = document.version("nl"), document.version("fr")
    assert document.kind is DocumentKind.RESOLUTION
    assert dutch.header.chamber == "BELGISCHE SENAAT"
    assert dutch.header.document_id == french.header.document_id == "be:senate:doc:8-112"
    assert [sub.number for sub in french.header.subdocuments] == ["1", "2", "3"]
    assert [c.opening for c in dutch.recitals] == [
        "overwegende dat",
        "gelet op",
        "gelet op",
        "aangezien",
        "overwegende dat",
    ]
    assert [c.opening for c in french.recitals][3] == "attendu que"
    assert not any(c.printed_label for c in dutch.recitals)
    assert dutch.operative_formula is None and french.operative_formula is None
    assert [c.opening for c in dutch.requests][:2] == ["veroordeelt", "eist dat"]
    assert [c.opening for c in french.requests][:2] == ["condamne", "exige que"]
    assert french.signatories[0].name == "Annelies Vermeulen"
    assert french.signatories[0].name_carried_from is None


def test_chamber_motions_text_holds_two_motions_of_recommendation() -> None:
    first, second = parse_all(read_fixture("be_chamber_motions.txt"))
    assert first.kind is second.kind is DocumentKind.MOTION
    assert first.version("nl").operative_formula == "geeft de regering de aanbeveling"
    assert first.version("fr").operative_formula == "recommande au gouvernement"
    assert second.version("nl").operative_formula == "vraagt de regering"
    assert first.version("nl").enacting_formula.startswith("De Kamer, gehoord de interpellatie")
    assert first.version("fr").enacting_formula.startswith("La Chambre, ayant entendu")
    assert [len(d.version("fr").requests) for d in (first, second)] == [2, 1]
    assert [s.name for s in first.version("nl").signatories] == ["Pieter Wouters", "Els Jacobs"]
    assert first.version("nl").signatories[0].function == "Ingediend door"
    assert second.version("fr").header.chamber == "CHAMBRE DES REPRÉSENTANTS DE BELGIQUE"
    assert second.version("nl").header.date == dt.date(2025, 3, 20)


def test_several_motions_make_parse_ask_for_parse_all() -> None:
    with pytest.raises(ParseError, match="several"):
        parse(read_fixture("be_chamber_motions.txt"))


def test_tweede_kamer_motion_reads_dutch_only_with_closing_and_signatories() -> None:
    document = parse(read_fixture("nl_tk_motion.txt"))
    version = document.version("nl")
    assert document.kind is DocumentKind.MOTION
    assert document.languages == ("nl",)
    assert version.header.chamber == "Tweede Kamer der Staten-Generaal"
    assert version.header.session == "2024/2025"
    assert version.header.document_number == "Kamerstuk 21 501-28 nr. 287"
    assert version.header.date == dt.date(2025, 3, 12)
    assert version.enacting_formula == "De Kamer, gehoord de beraadslaging,"
    assert [c.opening for c in version.recitals] == [
        "constaterende dat",
        "constaterende dat",
        "overwegende dat",
        "van mening dat",
    ]
    assert version.operative_formula == "verzoekt de regering"
    assert len(version.requests) == 1
    assert version.requests[0].text.endswith("te informeren,")
    assert version.closing_formula == "en gaat over tot de orde van de dag"
    assert [s.name for s in version.signatories] == ["Boswijk", "Tuinman", "Van der Plas"]


def test_benelux_recommendation_alternating_paragraph_by_paragraph_is_read() -> None:
    document = parse(read_fixture("benelux_recommendation.txt"))
    dutch, french = document.version("nl"), document.version("fr")
    assert document.kind is DocumentKind.RECOMMENDATION
    assert dutch.enacting_formula == "Het Beneluxparlement,"
    assert french.enacting_formula == "Le Parlement Benelux,"
    assert dutch.operative_formula == "BEVEELT DE REGERINGEN AAN"
    assert french.operative_formula == "RECOMMANDE AUX GOUVERNEMENTS"
    assert len(dutch.recitals) == len(french.recitals) == 4
    assert len(dutch.requests) == len(french.requests) == 4
    assert (dutch.place, french.place) == ("Luxemburg", "Luxembourg")
    assert dutch.header.document_id == "benelux-parliament:doc:952-2"
    assert [s.function for s in french.signatories] == ["Le Président", "Le Greffier"]
    assert document.anomalies == ()


# --- other inputs ------------------------------------------------------------------------


def _labels(document: ParsedDocument) -> list[tuple[str, list[str], list[str]]]:
    return [
        (v.lang, [c.label for c in v.recitals], [c.label for c in v.requests])
        for v in document.versions
    ]


def test_single_language_text_parses(seed: ParsedDocument) -> None:
    dutch_only = parse(seed.version("nl").text)
    assert dutch_only.languages == ("nl",)
    assert dutch_only.version("nl").recitals == seed.version("nl").recitals or _labels(
        dutch_only
    ) == [("nl", LETTERS, NUMBERS)]
    assert dutch_only.version("nl").signatories[0].name == "Peter De Roover"
    french_only = parse(seed.version("fr").text)
    assert _labels(french_only) == [("fr", LETTERS, NUMBERS)]
    assert french_only.version("fr").signatories[0].name is None


def test_windows_line_ends_parse_like_unix_ones(seed_text: str, seed: ParsedDocument) -> None:
    assert _labels(parse(seed_text.replace("\n", "\r\n"))) == _labels(seed)


def test_text_without_emphasis_or_with_extra_blank_lines_parses(seed_text: str) -> None:
    plain = re.sub(r"[*^]", "", seed_text)
    spaced = seed_text.replace("\n\n", "\n\n\n\n")
    for text in (plain, spaced):
        assert _labels(parse(text)) == [("nl", LETTERS, NUMBERS), ("fr", LETTERS, NUMBERS)]


def test_page_numbers_between_blocks_are_dropped(seed_text: str, seed: ParsedDocument) -> None:
    paragraphs = seed_text.split("\n\n")
    numbered = []
    for index, paragraph in enumerate(paragraphs):
        numbered.append(paragraph)
        if index % 9 == 8:
            numbered.append(f"- {index // 9 + 1} -" if index % 2 else str(index // 9 + 1))
    document = parse("\n\n".join(numbered))
    assert _labels(document) == _labels(seed)
    assert document.anomalies == seed.anomalies


def test_page_break_inside_a_recital_joins_the_two_halves() -> None:
    text = read_fixture("nl_tk_motion.txt").replace(
        "schaalvoordelen oplevert en", "schaalvoordelen oplevert\n\n4\n\nen"
    )
    version = parse(text).version("nl")
    assert len(version.recitals) == 4
    assert "schaalvoordelen oplevert en de interoperabiliteit" in version.recitals[2].text


def test_resolution_with_fewer_recitals_parses(seed_text: str) -> None:
    kept = [line for line in seed_text.split("\n") if not re.match(r"^[C-K]\. |^[M-V]\. ", line)]
    document = parse("\n".join(kept))
    for version in document.versions:
        assert [c.label for c in version.recitals] == ["A", "B", "L"]
        assert len(version.requests) == 16
    order = [a for a in document.anomalies if a.code is AnomalyCode.ORDER_BREAK]
    assert {(a.lang, a.label) for a in order} == {("nl", "L"), ("fr", "L")}


def test_text_that_is_not_a_resolution_fails_naming_line_and_expectation() -> None:
    letter = (
        "Geachte heer,\n\nHierbij stuur ik u het verslag van de vergadering.\n\n"
        "Met vriendelijke groet,\n"
    )
    with pytest.raises(ParseError) as caught:
        parse(letter)
    assert caught.value.line == 1
    assert "enacting formula" in caught.value.expected
    assert "line 1" in str(caught.value)


def test_recitals_without_any_request_fail_after_the_last_recital(seed_text: str) -> None:
    cut = seed_text.split("VERZOEKT DE FEDERALE REGERING")[0]
    cut = "\n".join(line for line in cut.split("\n") if not re.match(r"^[L-V]\. ", line))
    with pytest.raises(ParseError) as caught:
        parse(cut)
    assert "operative formula" in caught.value.expected
    # The Dutch recitals end with K on line 79 of the seed.
    assert caught.value.line == 80


def test_empty_text_fails_with_a_parse_error() -> None:
    with pytest.raises(ParseError) as caught:
        parse("\n\n  \n")
    assert caught.value.line == 1


def test_clause_eids_are_the_same_in_both_languages(seed: ParsedDocument) -> None:
    dutch = [c.eid for c in seed.version("nl").clauses()]
    french = [c.eid for c in seed.version("fr").clauses()]
    assert dutch == french
    assert dutch[0] == "recital_A" and dutch[-1] == "para_16"
    assert {c.kind for c in seed.version("nl").recitals} == {ClauseKind.RECITAL}


def test_running_page_headers_in_the_body_are_not_anomalies(seed_text: str) -> None:
    text = seed_text.replace("\n\nG. inroepende", "\n\n12\n\nDOC 56 0367/003\n\nG. inroepende")
    document = parse(text)
    assert _labels(document) == [("nl", LETTERS, NUMBERS), ("fr", LETTERS, NUMBERS)]
    assert len(document.anomalies) == 2


def test_a_block_nobody_can_place_is_reported_not_dropped_silently(seed_text: str) -> None:
    text = seed_text.replace("Brussel, 13 mei 2026.", "Brussel, 13 mei 2026.\n\nZIE ACHTERZIJDE!")
    document = parse(text)
    unplaced = [a for a in document.anomalies if a.code is AnomalyCode.UNRECOGNISED_BLOCK]
    assert [(a.lang, a.line) for a in unplaced] == [("nl", 217)]


def test_signature_function_split_by_a_blank_line_is_joined(seed_text: str) -> None:
    text = seed_text.replace(
        "*De voorzitter van de Kamer\nvan", "*De voorzitter van de Kamer\n\nvan"
    )
    signatory = parse(text).version("nl").signatories[0]
    assert signatory.function == "De voorzitter van de Kamer van volksvertegenwoordigers"
    assert signatory.name == "Peter De Roover"


def test_closing_date_without_place_is_read() -> None:
    text = read_fixture("nl_tk_motion.txt").replace(
        "en gaat over tot de orde van de dag.",
        "en gaat over tot de orde van de dag.\n\n13 maart 2025",
    )
    assert parse(text).version("nl").date == dt.date(2025, 3, 13)


def test_a_motion_without_requests_fails_the_whole_text() -> None:
    text = read_fixture("be_chamber_motions.txt")
    request = (
        "vraagt de regering:\n\n- te onderzoeken hoe de luchtcomponent een vergelijkbare "
        "integratie met Nederland kan bereiken.\n\n"
    )
    assert request in text
    with pytest.raises(ParseError) as caught:
        parse_all(text.replace(request, ""))
    assert "operative formula" in caught.value.expected


def test_request_openings_name_what_is_asked(seed: ParsedDocument) -> None:
    dutch = [c.opening for c in seed.version("nl").requests]
    french = [c.opening for c in seed.version("fr").requests]
    assert dutch[:4] == ["te maken", "te blijven", "te zetten", "te onderzoeken"]
    assert french[:4] == ["de s'employer", "de continuer", "de poursuivre", "d'examiner"]


def test_paragraphs_rewrapped_at_sixty_columns_read_the_same(seed_text: str) -> None:
    import textwrap

    paragraphs = seed_text.split("\n\n")
    wrapped = "\n\n".join(
        "\n".join(textwrap.wrap(p, 60, break_on_hyphens=False)) if len(p) > 60 else p
        for p in paragraphs
    )
    document = parse(wrapped)
    for version in document.versions:
        reference = parse(seed_text).version(version.lang)
        assert version.header.subdocuments == reference.header.subdocuments
        assert [c.text for c in version.clauses()] == [c.text for c in reference.clauses()]


def test_a_french_quotation_in_a_dutch_text_stays_in_the_dutch_version() -> None:
    quotation = (
        "overwegende dat de verklaring « la coopération des pays du Benelux en matière de "
        "défense est un exemple pour l'Europe » door de drie ministers werd ondertekend;\n\n"
    )
    text = read_fixture("nl_tk_motion.txt").replace("van mening dat", quotation + "van mening dat")
    document = parse(text)
    assert document.languages == ("nl",)
    version = document.version("nl")
    assert len(version.recitals) == 5
    assert version.recitals[3].text.startswith("overwegende dat de verklaring « la coopération")
    assert [(a.code, a.lang) for a in document.anomalies] == [(AnomalyCode.FOREIGN_BLOCK, "nl")]


def test_a_french_version_without_requests_is_refused_not_folded(seed_text: str) -> None:
    from bedeco.documents.engine.language import detect

    def french_request(line: str) -> bool:
        return bool(re.match(r"^\d+\. ", line)) and detect(line) == "fr"

    lines = [line for line in seed_text.split("\n") if not french_request(line)]
    lines = [line for line in lines if not line.startswith("DEMANDE AU GOUVERNEMENT")]
    assert len(lines) == len(seed_text.split("\n")) - 17
    with pytest.raises(ParseError) as caught:
        parse("\n".join(lines))
    assert "operative formula" in caught.value.expected


def test_text_that_lost_all_blank_lines_keeps_clauses_formulas_and_signatures(
    seed_text: str,
) -> None:
    dense = re.sub(r"\n\s*\n+", "\n", seed_text)
    document = parse(dense)
    assert _labels(document) == [("nl", LETTERS, NUMBERS), ("fr", LETTERS, NUMBERS)]
    dutch, french = document.version("nl"), document.version("fr")
    assert dutch.operative_formula == "VERZOEKT DE FEDERALE REGERING"
    assert french.enacting_formula == "LA CHAMBRE DES REPRÉSENTANTS,"
    assert dutch.recitals[-1].text.endswith("nog steeds te beperkt is;")
    assert dutch.requests[-1].text.endswith("internationale partners.")
    assert (french.place, french.signatories[1].name) == ("Bruxelles", "Nicole Marquet")
    assert [a.code for a in document.anomalies] == [AnomalyCode.CARRIED_NAME] * 2
