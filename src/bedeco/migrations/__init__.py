"""Alembic migrations, shipped inside the package so that ``bedeco init`` finds them."""
