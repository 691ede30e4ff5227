"""The audit chain: appends verify, and a changed, deleted or reordered row is named."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from sqlalchemy import text
from sqlalchemy.exc import DBAPIError
from sqlalchemy.orm import Session

from bedeco.audit.model import AuditEvent
from bedeco.audit.service import record_event, verify_chain


def append(session: Session, principal, count: int) -> None:  # type: ignore[no-untyped-def]
    actor = principal(nation="NLD")
    for index in range(count):
        record_event(
            session,
            actor,
            action="probe.change",
            object_type="probe",
            object_id=str(index),
            change={"index": index, "text": "wijziging é"},
        )


def test_intact_chain_verifies_with_its_count(session: Session, principal) -> None:  # type: ignore[no-untyped-def]
    append(session, principal, 5)
    result = verify_chain(session)
    assert result.ok and result.count == 5


def test_events_record_actor_nation_and_digest(session: Session, principal) -> None:  # type: ignore[no-untyped-def]
    append(session, principal, 1)
    event = session.get(AuditEvent, 1)
    assert event is not None
    assert (event.nation, event.action, event.object_id) == ("NLD", "probe.change", "0")
    assert len(event.digest) == 64 and event.prev_hash == "0" * 64


@pytest.fixture
def sqlite_session(sqlite_engine) -> Iterator[Session]:  # type: ignore[no-untyped-def]
    """Tampering is tried on SQLite: on PostgreSQL a trigger refuses it (tested below)."""
    connection = sqlite_engine.connect()
    outer = connection.begin()
    session = Session(bind=connection, join_transaction_mode="create_savepoint")
    yield session
    session.close()
    outer.rollback()
    connection.close()


def test_changed_row_is_detected_at_its_sequence(sqlite_session: Session, principal) -> None:  # type: ignore[no-untyped-def]
    append(sqlite_session, principal, 6)
    sqlite_session.execute(text("UPDATE audit_event SET actor = 'mallory' WHERE seq = 4"))
    sqlite_session.expire_all()
    assert verify_chain(sqlite_session).broken_at == 4


def test_deleted_row_is_detected_at_the_next_sequence(sqlite_session: Session, principal) -> None:  # type: ignore[no-untyped-def]
    append(sqlite_session, principal, 6)
    sqlite_session.execute(text("DELETE FROM audit_event WHERE seq = 3"))
    sqlite_session.expire_all()
    assert verify_chain(sqlite_session).broken_at == 3


def test_reordered_rows_are_detected(sqlite_session: Session, principal) -> None:  # type: ignore[no-untyped-def]
    append(sqlite_session, principal, 6)
    # swap the contents of rows 2 and 5, keeping their sequence numbers
    sqlite_session.execute(text("UPDATE audit_event SET seq = -2 WHERE seq = 2"))
    sqlite_session.execute(text("UPDATE audit_event SET seq = 2 WHERE seq = 5"))
    sqlite_session.execute(text("UPDATE audit_event SET seq = 5 WHERE seq = -2"))
    sqlite_session.expire_all()
    assert verify_chain(sqlite_session).broken_at == 2


@pytest.mark.postgres
def test_postgres_refuses_update_and_delete_of_audit_rows(postgres_engine, principal) -> None:  # type: ignore[no-untyped-def]
    with postgres_engine.connect() as connection:
        outer = connection.begin()
        session = Session(bind=connection, join_transaction_mode="create_savepoint")
        append(session, principal, 2)
        for statement in (
            "UPDATE audit_event SET actor = 'mallory' WHERE seq = 1",
            "DELETE FROM audit_event WHERE seq = 1",
        ):
            nested = connection.begin_nested()
            with pytest.raises(DBAPIError, match="append-only"):
                connection.execute(text(statement))
            nested.rollback()
        session.close()
        outer.rollback()
