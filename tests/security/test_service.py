"""People and tokens through the service layer, on SQLite and PostgreSQL."""

from __future__ import annotations

import pytest
from sqlalchemy.orm import Session

from bedeco.audit.service import SYSTEM
from bedeco.errors import Conflict, InvalidInput, NotPermitted, TooManyAttempts
from bedeco.security import service as security


def add(session: Session, name: str = "anna", **overrides: object) -> object:
    values: dict[str, object] = {
        "name": name,
        "nation": "BEL",
        "clearance": "RESTRICTED",
        "roles": ["viewer"],
        "password": "long enough password",
    }
    values.update(overrides)
    return security.add_user(session, SYSTEM, **values)  # type: ignore[arg-type]


def test_added_user_keeps_an_argon2_hash_not_the_password(session: Session) -> None:
    user = add(session)
    assert user.password_hash.startswith("$argon2id$")  # type: ignore[attr-defined]
    assert "long enough password" not in user.password_hash  # type: ignore[attr-defined]


@pytest.mark.parametrize(
    ("field", "value"),
    [("nation", "FRA"), ("clearance", "SECRET"), ("roles", ["pilot"]), ("password", "short")],
)
def test_wrong_user_values_are_refused_naming_the_field(
    session: Session, field: str, value: object
) -> None:
    with pytest.raises(InvalidInput) as error:
        add(session, **{field: value})
    assert error.value.field == {"roles": "role"}.get(field, field)


def test_duplicate_user_name_is_a_conflict(session: Session) -> None:
    add(session)
    with pytest.raises(Conflict):
        add(session)


def test_only_an_admin_adds_people(session: Session, principal) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(NotPermitted):
        security.add_user(
            session,
            principal(roles=("coordinator",)),
            name="x",
            nation="BEL",
            clearance="RESTRICTED",
            roles=["viewer"],
            password="long enough password",
        )


def test_token_is_stored_as_digest_and_stops_working_when_revoked(session: Session) -> None:
    add(session)
    token = security.issue_token(session, SYSTEM, name="anna")
    stored = security.list_tokens(session, name="anna")
    assert len(stored) == 1 and token not in stored[0].digest
    assert security.user_for_token(session, token).name == "anna"  # type: ignore[union-attr]
    security.revoke_token(session, SYSTEM, token_id=stored[0].id)
    assert security.user_for_token(session, token) is None


def test_disabled_user_cannot_authenticate(session: Session) -> None:
    add(session)
    security.disable_user(session, SYSTEM, name="anna")
    assert (
        security.authenticate(
            session, name="anna", password="long enough password", address="10.0.0.1"
        )
        is None
    )


def test_sixth_failed_login_within_a_minute_is_refused(session: Session) -> None:
    add(session)
    for _ in range(5):
        assert (
            security.authenticate(session, name="anna", password="wrong", address="192.0.2.1")
            is None
        )
    with pytest.raises(TooManyAttempts) as error:
        security.authenticate(
            session, name="anna", password="long enough password", address="192.0.2.1"
        )
    assert error.value.retry_after >= 1


def test_failures_from_one_address_limit_other_accounts_too(session: Session) -> None:
    for index in range(5):
        security.authenticate(session, name=f"guess{index}", password="x", address="198.51.100.7")
    with pytest.raises(TooManyAttempts):
        security.authenticate(session, name="someone", password="x", address="198.51.100.7")
