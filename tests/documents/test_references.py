"""References resolve to one identifier per instrument, in Dutch and French, with spans."""

from __future__ import annotations

import datetime as dt

import pytest

from bedeco.documents.engine import ParsedDocument, RefKind
from bedeco.documents.engine.dates import find_dates, parse_date
from bedeco.documents.engine.references import find_references


@pytest.mark.parametrize(
    ("text", "iso"),
    [
        ("op 18 april 2012 ondertekend", "2012-04-18"),
        ("signée le 18 avril 2012", "2012-04-18"),
        ("Integraal verslag: 12 en 13 mei 2026.", "2026-05-12/2026-05-13"),
        ("du Sommet de Madrid des 29 et 30 juin 2022", "2022-06-29/2022-06-30"),
        ("le 1er mars 2015", "2015-03-01"),
        ("le 9 decembre 2022", "2022-12-09"),
    ],
)
def test_dutch_and_french_dates_become_iso(text: str, iso: str) -> None:
    (found,) = find_dates(text)
    assert found.iso == iso
    assert text[found.start : found.end] == found.text


def test_impossible_dates_are_skipped_not_guessed() -> None:
    assert list(find_dates("op 31 februari 2022 en 30 en 29 juni 2022")) == []
    assert parse_date("zonder datum") is None
    assert parse_date("13 mei 2026") == dt.date(2026, 5, 13)


def _ids(document: ParsedDocument, lang: str) -> set[str]:
    return {r.id for r in document.references if r.lang == lang and r.kind is not RefKind.DATE}


SEED_INSTRUMENTS = {
    "benelux-parliament:doc:936-2",
    "benelux-parliament:doc:855-2",
    "benelux-parliament:doc:878-1",
    "benelux-parliament:doc:878-2",
    "eu:council:7371/22",
    "benelux:declaration:2012-04-18",
    "benelux:agreement:airspace:2015-03-04",
    "eu:strategic-compass",
    "nato:strategic-concept",
    "nato:north-atlantic-treaty:art-5",
    "un:sdg",
    "eu:pesco",
    "be:chamber:doc:56-0367",
}


def test_seed_cites_the_same_instruments_in_both_languages(seed: ParsedDocument) -> None:
    assert _ids(seed, "nl") == SEED_INSTRUMENTS
    assert _ids(seed, "fr") == SEED_INSTRUMENTS


def test_every_reference_span_points_at_its_text(seed: ParsedDocument) -> None:
    texts = {
        (version.lang, clause.eid): clause.text
        for version in seed.versions
        for clause in version.clauses()
    }
    for ref in seed.references:
        if ref.provision == "preface":
            source = seed.version(ref.lang).preface
        else:
            source = texts[(ref.lang, ref.provision)]
        assert source[ref.start : ref.end] == ref.text


def test_declaration_of_2012_is_found_where_the_seed_names_it(seed: ParsedDocument) -> None:
    where = {
        (r.lang, r.provision) for r in seed.references if r.id == "benelux:declaration:2012-04-18"
    }
    for lang in ("nl", "fr"):
        for provision in ("recital_B", "recital_O", "recital_Q", "recital_R", "para_1"):
            assert (lang, provision) in where


def test_seed_dates_include_the_madrid_summit_range(seed: ParsedDocument) -> None:
    ranges = {(r.lang, r.value) for r in seed.references if r.kind is RefKind.DATE}
    assert ("nl", "2022-06-29/2022-06-30") in ranges
    assert ("fr", "2022-06-29/2022-06-30") in ranges


def test_cover_dates_and_number_are_references_into_the_preface(seed: ParsedDocument) -> None:
    cover = {(r.lang, r.id, r.text) for r in seed.references if r.provision == "preface"}
    assert cover == {
        ("nl", "be:chamber:doc:56-0367", "Doc 56 0367"),
        ("nl", "2026-05-13", "13 mei 2026"),
        ("nl", "2026-05-12/2026-05-13", "12 en 13 mei 2026"),
        ("fr", "be:chamber:doc:56-0367", "Doc 56 0367"),
        ("fr", "2026-05-13", "13 mai 2026"),
        ("fr", "2026-05-12/2026-05-13", "12 et 13 mai 2026"),
    }


def test_undated_future_declaration_is_not_taken_for_the_2012_one() -> None:
    refs = list(find_references("in een hernieuwde Benelux-verklaring op te nemen;", "nl", "p"))
    assert refs == []


@pytest.mark.parametrize(
    ("text", "identifier"),
    [
        ("in het kader van de 5e PESCO-golf", "eu:pesco"),
        ("dans le cadre de la 5e vague de la PESCO", "eu:pesco"),
        ("resolutie 2231 van de VN-Veiligheidsraad", "un:security-council:resolution:2231"),
        ("la résolution 2231 du Conseil de sécurité", "un:security-council:resolution:2231"),
        ("le Traité de l'Atlantique Nord", "nato:north-atlantic-treaty"),
        ("het Noord-Atlantisch Verdrag", "nato:north-atlantic-treaty"),
    ],
)
def test_instruments_resolve_to_one_identifier_whatever_the_language(
    text: str, identifier: str
) -> None:
    assert identifier in {ref.id for ref in find_references(text, "nl", "p")}
