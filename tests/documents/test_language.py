"""Language of blocks: Dutch or French, and blocks without evidence follow their neighbours."""

from __future__ import annotations

from bedeco.documents.engine.language import assign_languages, detect, looks_like_names


def test_short_dutch_and_french_blocks_are_told_apart() -> None:
    assert detect("13 mei 2026") == "nl"
    assert detect("13 mai 2026") == "fr"
    assert detect("CHAMBRE DES REPRÉSENTANTS DE BELGIQUE") == "fr"
    assert detect("BELGISCHE KAMER VAN VOLKSVERTEGENWOORDIGERS") == "nl"
    assert detect("Het Beneluxparlement,") == "nl"
    assert detect("Le Parlement Benelux,") == "fr"
    assert detect("vu l'accord conclu entre la Belgique et les Pays-Bas;") == "fr"
    assert detect("gelet op het akkoord tussen België en Nederland;") == "nl"


def test_names_and_bare_numbers_carry_no_evidence() -> None:
    assert looks_like_names("Peter De Roover")
    assert looks_like_names("Van der Plas")
    assert not looks_like_names("De Kamer,")
    assert detect("Peter De Roover") is None
    assert detect("RESOLUTIE") == "nl"
    assert detect("03705 0367/") is None


def test_blocks_without_evidence_take_the_language_before_them() -> None:
    texts = ["Le président de la Chambre,", "Peter De Roover", "De voorzitter van de Kamer,", "X"]
    assert assign_languages(texts) == ["fr", "fr", "nl", "nl"]
    assert assign_languages(["Peter De Roover", "considérant que la Chambre"]) == ["fr", "fr"]
    assert assign_languages(["12345"]) == ["nl"]
