"""The migrations build exactly the tables the models declare, on SQLite and PostgreSQL."""

from __future__ import annotations

from pathlib import Path

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Engine, text

from bedeco.capabilities import role_modules
from bedeco.db import Base, make_engine
from bedeco.migrate import MIGRATIONS, alembic_config, upgrade


def test_every_capability_branch_is_a_single_head_chain() -> None:
    script = ScriptDirectory.from_config(alembic_config())
    heads = script.get_heads()
    assert heads, "no migrations"
    names = [path.name for path in (MIGRATIONS / "versions").glob("*.py")]
    assert all(name[:10].count("-") == 2 and name[10] == "_" for name in names), names


def test_migrated_schema_matches_the_models(engine: Engine) -> None:
    for _name, _module in role_modules("model"):
        pass
    with engine.connect() as connection:
        context = MigrationContext.configure(connection)
        differences = compare_metadata(context, Base.metadata)
    assert differences == []


def test_search_text_indexed_before_folding_is_folded_by_the_migration(tmp_path: Path) -> None:
    engine = make_engine(f"sqlite:///{tmp_path / 'old.sqlite3'}")
    upgrade(engine, "0100_register")
    insert = text(
        "INSERT INTO search_entry (scope, record_id, lang, body, classification, "
        "rel_bel, rel_nld, rel_lux) VALUES ('test', 1, 'fr', :body, 'PUBLIC', 1, 1, 1)"
    )
    with engine.begin() as connection:
        connection.execute(insert, {"body": "défense aérienne"})
    upgrade(engine)
    with engine.connect() as connection:
        body = connection.execute(text("SELECT body FROM search_entry")).scalar_one()
    assert body == "defense aerienne"
    engine.dispose()
