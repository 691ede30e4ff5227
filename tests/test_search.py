"""The shared full-text search on SQLite (FTS5) and PostgreSQL, always under the access rule."""

from __future__ import annotations

from collections.abc import Callable

from sqlalchemy.orm import Session

from bedeco import search
from bedeco.security.logic import ANONYMOUS, Marking, Principal

PUBLIC = Marking.of("PUBLIC")
BEL_ONLY = Marking.of("RESTRICTED", {"BEL"})


def index(
    session: Session, record_id: int, texts: dict[str, str], marking: Marking = PUBLIC
) -> None:
    search.index_record(session, scope="test", record_id=record_id, texts=texts, marking=marking)


def test_a_dutch_word_is_found_in_a_dutch_text(session: Session) -> None:
    index(session, 1, {"nl": "de oprichting van een volwaardig Benelux-helikoptercommando"})
    index(session, 2, {"fr": "un véritable commandement d'hélicoptères"})
    assert search.search(session, ANONYMOUS, scope="test", query="oprichting").ids == [1]


def test_a_french_word_is_found_in_a_french_text_with_or_without_accents(session: Session) -> None:
    index(session, 1, {"nl": "gelaagde luchtverdediging"})
    index(session, 2, {"fr": "une défense aérienne multicouche"})
    assert search.search(session, ANONYMOUS, scope="test", query="défense aérienne").ids == [2]
    assert search.search(session, ANONYMOUS, scope="test", query="defense aerienne").ids == [2]
    assert search.search(
        session, ANONYMOUS, scope="test", query="multicouche", langs=["fr"]
    ).ids == [2]
    assert (
        search.search(session, ANONYMOUS, scope="test", query="multicouche", langs=["nl"]).ids == []
    )


def test_a_search_never_returns_or_counts_a_record_the_user_may_not_see(
    session: Session, principal: Callable[..., Principal]
) -> None:
    index(session, 1, {"nl": "geheime samenwerking"}, BEL_ONLY)
    index(session, 2, {"nl": "openbare samenwerking"})
    lux = principal(nation="LUX", roles=("viewer",))
    bel = principal(nation="BEL", roles=("viewer",))
    for who in (ANONYMOUS, lux):
        page = search.search(session, who, scope="test", query="samenwerking")
        assert page.ids == [2] and page.total == 1
    assert search.search(session, bel, scope="test", query="samenwerking").total == 2


def test_reindexing_replaces_the_old_text_and_removing_forgets_it(session: Session) -> None:
    index(session, 1, {"en": "air policing"})
    index(session, 1, {"en": "military mobility"})
    assert search.search(session, ANONYMOUS, scope="test", query="policing").total == 0
    assert search.search(session, ANONYMOUS, scope="test", query="mobility").ids == [1]
    search.remove_record(session, scope="test", record_id=1)
    assert search.search(session, ANONYMOUS, scope="test", query="mobility").total == 0


def test_operators_and_punctuation_in_a_query_are_only_words(session: Session) -> None:
    index(session, 1, {"en": "counter drone cooperation"})
    assert search.search(session, ANONYMOUS, scope="test", query='drone" * (:').ids == [1]
    assert search.search(session, ANONYMOUS, scope="test", query="  ").total == 0


def test_a_text_typed_without_accents_is_found_by_a_word_with_them(session: Session) -> None:
    index(session, 1, {"fr": "la defense aerienne basee au sol"})
    index(session, 2, {"de": "gemeinsame Übungen der Streitkräfte"})
    assert search.search(session, ANONYMOUS, scope="test", query="défense basée").ids == [1]
    assert search.search(session, ANONYMOUS, scope="test", query="ubungen").ids == [2]


def test_folding_removes_diacritics_and_nothing_else() -> None:
    assert search.fold("Défense aérienne, Übung, coöperatie, ça") == (
        "Defense aerienne, Ubung, cooperatie, ca"
    )
