"""Full-text search behind one interface: SQLite FTS5 and PostgreSQL text search.

A capability indexes the readable text of a record, per language, with the
record's marking, and asks for the ids that match a query. Every search goes
through the access rule (``security.restrict.access_clause``) on the index
itself, so a search never returns *or counts* a record the principal may not
see, even before the capability applies its own filter.

Languages:

- PostgreSQL: each entry is searched with its language's dictionary
  (``dutch``, ``french``, ``german``, ``english``; ``simple`` otherwise), so a
  query word is stemmed the same way as the text; a GIN index over the same
  expression makes it fast.
- Both: the indexed text and the query words are stored and asked without
  diacritics (:func:`fold`), so ``defense`` finds ``défense`` and the other
  way round on either database.
- SQLite: an FTS5 table with the ``unicode61`` tokenizer removing diacritics
  (``défense`` finds ``defense``), and prefix matching on each query word, as
  FTS5 has no Dutch or French stemmer.

The FTS5 table (and the triggers that keep it in step with ``search_entry``)
is created on first use rather than by a migration, so a migrated database
holds exactly the tables of the metadata; it is rebuilt from ``search_entry``
when created, so nothing indexed before is lost.

Use: ``index_record`` when a record is created or changed, ``remove_record``
when it goes, ``matching_ids`` for a sub-select to combine with a list query,
``search`` for ids and a total.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from sqlalchemy import (
    Index,
    Integer,
    Select,
    String,
    Text,
    delete,
    func,
    insert,
    literal_column,
    select,
    text,
)
from sqlalchemy.orm import Mapped, Session, mapped_column

from bedeco.db import Base, MarkedMixin
from bedeco.security.logic import Marking, Nation, Principal
from bedeco.security.restrict import access_clause

PG_CONFIGS: dict[str, str] = {"nl": "dutch", "fr": "french", "de": "german", "en": "english"}
"""PostgreSQL text-search configuration per ISO 639-1 language."""

PG_CONFIG_EXPR = (
    "\n"
    "CASE lang\n"
    "    WHEN 'nl'::text THEN 'dutch'::regconfig\n"
    "    WHEN 'fr'::text THEN 'french'::regconfig\n"
    "    WHEN 'de'::text THEN 'german'::regconfig\n"
    "    WHEN 'en'::text THEN 'english'::regconfig\n"
    "    ELSE 'simple'::regconfig\n"
    "END"
)
"""Laid out as PostgreSQL prints it back, so that comparing metadata with the database agrees."""
PG_VECTOR_EXPR = f"to_tsvector({PG_CONFIG_EXPR}, body)"
FTS_TABLE = "search_entry_fts"
WORD = re.compile(r"\w+", re.UNICODE)
MAX_TERMS = 12


class SearchEntry(MarkedMixin, Base):
    """The searchable text of one record in one language, with the record's marking."""

    __tablename__ = "search_entry"
    __table_args__ = (
        Index("ix_search_entry_scope_record", "scope", "record_id"),
        Index(
            "ix_search_entry_tsv",
            text(PG_VECTOR_EXPR),
            postgresql_using="gin",
        ).ddl_if(dialect="postgresql"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    scope: Mapped[str] = mapped_column(String(40))
    record_id: Mapped[int] = mapped_column(Integer)
    lang: Mapped[str] = mapped_column(String(2))
    body: Mapped[str] = mapped_column(Text)


def fold(value: str) -> str:
    """``value`` without diacritics (``défense`` → ``defense``): accents never decide a match."""
    decomposed = unicodedata.normalize("NFKD", value)
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def terms(query: str) -> list[str]:
    """The words of a query, folded and lower-cased, at most ``MAX_TERMS``; operators go."""
    return [w.lower() for w in WORD.findall(fold(query or ""))][:MAX_TERMS]


def _dialect(session: Session) -> str:
    return session.get_bind().dialect.name


def ensure_index(session: Session) -> None:
    """Create the SQLite FTS5 table and its triggers if missing (no-op on PostgreSQL)."""
    if _dialect(session) != "sqlite":
        return
    exists = session.execute(
        text("SELECT 1 FROM sqlite_master WHERE type='table' AND name=:n"), {"n": FTS_TABLE}
    ).first()
    if exists:
        return
    for statement in (
        f"CREATE VIRTUAL TABLE IF NOT EXISTS {FTS_TABLE} USING fts5("
        "body, content='search_entry', content_rowid='id', "
        "tokenize='unicode61 remove_diacritics 2')",
        f"CREATE TRIGGER IF NOT EXISTS {FTS_TABLE}_ai AFTER INSERT ON search_entry BEGIN "
        f"INSERT INTO {FTS_TABLE}(rowid, body) VALUES (new.id, new.body); END",
        f"CREATE TRIGGER IF NOT EXISTS {FTS_TABLE}_ad AFTER DELETE ON search_entry BEGIN "
        f"INSERT INTO {FTS_TABLE}({FTS_TABLE}, rowid, body) VALUES ('delete', old.id, old.body); "
        "END",
        f"CREATE TRIGGER IF NOT EXISTS {FTS_TABLE}_au AFTER UPDATE OF body ON search_entry BEGIN "
        f"INSERT INTO {FTS_TABLE}({FTS_TABLE}, rowid, body) VALUES ('delete', old.id, old.body); "
        f"INSERT INTO {FTS_TABLE}(rowid, body) VALUES (new.id, new.body); END",
        f"INSERT INTO {FTS_TABLE}({FTS_TABLE}) VALUES ('rebuild')",
    ):
        session.execute(text(statement))


def _marking_values(marking: Marking) -> dict[str, Any]:
    nations = marking.releasable_to
    return {
        "classification": marking.classification or "",
        "rel_bel": Nation.BEL.value in nations,
        "rel_nld": Nation.NLD.value in nations,
        "rel_lux": Nation.LUX.value in nations,
    }


def entry_rows(
    scope: str, record_id: int, texts: Mapping[str, Iterable[str] | str], marking: Marking
) -> list[dict[str, Any]]:
    """The ``search_entry`` rows for one record: one per language that has text."""
    rows = []
    for lang, parts in sorted(texts.items()):
        pieces = [parts] if isinstance(parts, str) else list(parts)
        body = fold("\n".join(p for p in pieces if p and p.strip()))
        if body:
            rows.append(
                {
                    "scope": scope,
                    "record_id": record_id,
                    "lang": lang[:2],
                    "body": body,
                    **_marking_values(marking),
                }
            )
    return rows


def index_record(
    session: Session,
    *,
    scope: str,
    record_id: int,
    texts: Mapping[str, Iterable[str] | str],
    marking: Marking,
) -> None:
    """(Re)index one record: ``texts`` maps a language to its text (or pieces of text)."""
    ensure_index(session)
    remove_record(session, scope=scope, record_id=record_id)
    rows = entry_rows(scope, record_id, texts, marking)
    if rows:
        session.execute(insert(SearchEntry), rows)


def index_many(session: Session, rows: list[dict[str, Any]]) -> None:
    """Bulk insert rows made by ``entry_rows`` (for imports and benchmarks)."""
    ensure_index(session)
    if rows:
        session.execute(insert(SearchEntry), rows)


def remove_record(session: Session, *, scope: str, record_id: int) -> None:
    session.execute(
        delete(SearchEntry).where(SearchEntry.scope == scope, SearchEntry.record_id == record_id)
    )


def _match_clause(session: Session, words: list[str], langs: Iterable[str] | None) -> Any:
    if _dialect(session) == "postgresql":
        # One tsquery: the words stemmed by each language's dictionary, OR-ed. The GIN index
        # answers it alone (no per-row to_tsvector in a filter); a stem of one language that
        # also matches a text of another is a prefix of the same word, so it is kept.
        query = " & ".join(f"{w}:*" for w in words)
        chosen = sorted({PG_CONFIGS.get(lang, "simple") for lang in langs} if langs else
                        {*PG_CONFIGS.values(), "simple"})  # fmt: skip
        combined: Any = None
        for config in chosen:
            part = func.to_tsquery(literal_column(f"'{config}'::regconfig"), query)
            combined = part if combined is None else combined.op("||")(part)
        clause: Any = literal_column(PG_VECTOR_EXPR).op("@@")(combined)
        if langs:
            clause = clause & SearchEntry.lang.in_(list(langs))
        return clause
    ensure_index(session)
    fts_query = " ".join('"' + w.replace('"', "") + '"*' for w in words)
    matched = text(f"SELECT rowid FROM {FTS_TABLE} WHERE {FTS_TABLE} MATCH :fts_query").bindparams(
        fts_query=fts_query
    )
    in_index: Any = SearchEntry.id.in_(matched)
    if langs:
        in_index = in_index & SearchEntry.lang.in_(list(langs))
    return in_index


def matching_ids(
    session: Session,
    principal: Principal,
    *,
    scope: str,
    query: str,
    langs: Iterable[str] | None = None,
) -> Select[Any]:
    """A sub-select of the ids of ``scope`` records whose text matches every word of ``query``
    in one language, limited to what ``principal`` may see. An empty query matches nothing."""
    words = terms(query)
    statement = select(SearchEntry.record_id).where(SearchEntry.scope == scope)
    if not words:
        return statement.where(text("1=0"))
    statement = statement.where(_match_clause(session, words, langs))
    return statement.where(access_clause(SearchEntry, principal))


@dataclass(frozen=True)
class SearchPage:
    ids: list[int]
    total: int


def search(
    session: Session,
    principal: Principal,
    *,
    scope: str,
    query: str,
    langs: Iterable[str] | None = None,
    limit: int = 20,
    offset: int = 0,
) -> SearchPage:
    """Ids of matching records the principal may see (ordered by id) and how many there are."""
    ids = matching_ids(session, principal, scope=scope, query=query, langs=langs).distinct()
    total = session.scalar(select(func.count()).select_from(ids.subquery())) or 0
    page = session.scalars(ids.order_by(SearchEntry.record_id).limit(limit).offset(offset)).all()
    return SearchPage(ids=[int(i) for i in page], total=int(total))
