"""The migrations build exactly the tables the models declare, on SQLite and PostgreSQL."""

from __future__ import annotations

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Engine

from bedeco.capabilities import role_modules
from bedeco.db import Base
from bedeco.migrate import MIGRATIONS, alembic_config


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
