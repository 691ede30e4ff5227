"""Alembic environment: the connection comes from the caller (``bedeco.migrate``) or the URL."""

from __future__ import annotations

from alembic import context

from bedeco.capabilities import role_modules
from bedeco.db import Base, make_engine

for _name, _module in role_modules("model"):
    pass  # importing the model modules registers every table on Base.metadata

config = context.config
target_metadata = Base.metadata


def run_migrations_online() -> None:
    connection = config.attributes.get("connection")
    if connection is not None:
        context.configure(connection=connection, target_metadata=target_metadata)
        with context.begin_transaction():
            context.run_migrations()
        return
    engine = make_engine(config.get_main_option("sqlalchemy.url") or "")
    with engine.connect() as conn:
        context.configure(connection=conn, target_metadata=target_metadata)
        with context.begin_transaction():
            context.run_migrations()


run_migrations_online()
