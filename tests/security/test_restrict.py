"""The SQL filter agrees with the rule, and lists and counts show each nation exactly its records."""

from __future__ import annotations

import itertools
from collections.abc import Iterator

import pytest
from sqlalchemy import Integer, String, func, select
from sqlalchemy.orm import DeclarativeBase, Mapped, Session, mapped_column

from bedeco.db import MarkedMixin
from bedeco.security.logic import (
    ANONYMOUS,
    Action,
    Classification,
    Marking,
    Nation,
    Principal,
    Role,
    may,
)
from bedeco.security.restrict import restrict


class ProbeBase(DeclarativeBase):
    pass


class Probe(MarkedMixin, ProbeBase):
    """A marked record that exists only for these tests."""

    __tablename__ = "test_probe"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    label: Mapped[str] = mapped_column(String(40))


NATIONS = ("BEL", "NLD", "LUX")
LEVELS = ("PUBLIC", "UNCLASSIFIED", "RESTRICTED", "CONFIDENTIAL")
RELEASABILITY = [frozenset(c) for n in range(0, 4) for c in itertools.combinations(NATIONS, n)]


@pytest.fixture
def probes(session: Session) -> Iterator[list[Probe]]:
    ProbeBase.metadata.create_all(session.connection())
    rows = []
    for level, releasable in itertools.product((*LEVELS, "BOGUS"), RELEASABILITY):
        row = Probe(label=f"{level}:{'+'.join(sorted(releasable))}")
        row.set_marking(level, releasable)
        rows.append(row)
    session.add_all(rows)
    session.flush()
    yield rows


def principals() -> list[Principal]:
    roles_options = [("viewer",), ("contributor",), ("coordinator",), ("admin",), ()]
    result = [ANONYMOUS]
    for nation, clearance, roles in itertools.product(
        NATIONS, ("UNCLASSIFIED", "RESTRICTED", "CONFIDENTIAL"), roles_options
    ):
        result.append(
            Principal(
                user_id=1,
                name="p",
                nation=Nation(nation),
                clearance=Classification(clearance),
                roles=frozenset(Role(r) for r in roles),
            )
        )
    return result


def test_sql_filter_returns_exactly_what_the_rule_allows(
    session: Session, probes: list[Probe]
) -> None:
    for principal in principals():
        for action in Action:
            allowed = {
                p.id
                for p in probes
                if may(principal, Marking.of(p.classification, p.releasable_to), action)
            }
            found = set(session.scalars(restrict(select(Probe.id), Probe, principal, action)))
            assert found == allowed, (principal, action)


def test_each_nation_lists_and_counts_exactly_the_records_released_to_it(
    session: Session, probes: list[Probe]
) -> None:
    for nation in NATIONS:
        reader = Principal(
            user_id=1,
            name=nation,
            nation=Nation(nation),
            clearance=Classification.CONFIDENTIAL,
            roles=frozenset({Role.VIEWER}),
        )
        listed = session.scalars(restrict(select(Probe), Probe, reader).order_by(Probe.id)).all()
        counted = session.scalar(restrict(select(func.count(Probe.id)), Probe, reader))
        expected = [
            p
            for p in probes
            if p.classification == "PUBLIC"
            or (p.classification in LEVELS and nation in p.releasable_to)
        ]
        assert [p.id for p in listed] == [p.id for p in expected]
        assert counted == len(expected)
        assert all(p.classification != "BOGUS" for p in listed)
