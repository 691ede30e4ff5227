"""Builders for the register's tests."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from sqlalchemy.orm import Session

from bedeco.register import service
from bedeco.register.model import Commitment
from bedeco.security.logic import Principal


@pytest.fixture
def coordinator(principal: Callable[..., Principal]) -> Principal:
    return principal(nation="BEL", roles=("viewer", "contributor", "coordinator"), name="bel-co")


@pytest.fixture
def contributor(principal: Callable[..., Principal]) -> Principal:
    return principal(nation="NLD", roles=("viewer", "contributor"), name="nld-contrib")


@pytest.fixture
def make_commitment(session: Session, coordinator: Principal) -> Callable[..., Commitment]:
    counter = iter(range(1, 10_000))

    def build(**values: Any) -> Commitment:
        values.setdefault("title", {"en": f"Commitment {next(counter)}"})
        values.setdefault("nations", ["BEL"])
        return service.create_commitment(session, values.pop("by", coordinator), **values)

    return build
