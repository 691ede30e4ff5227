"""Argon2id password hashing (argon2-cffi), one hasher for the process."""

from __future__ import annotations

from functools import lru_cache

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError


@lru_cache(maxsize=1)
def _hasher() -> PasswordHasher:
    return PasswordHasher()


def hash_password(password: str) -> str:
    return _hasher().hash(password)


def verify_password(password_hash: str, password: str) -> bool:
    """True when ``password`` matches; never raises on a bad hash or a wrong password."""
    try:
        return _hasher().verify(password_hash, password)
    except (VerificationError, InvalidHashError):
        return False


DUMMY_HASH = None


def burn_time(password: str) -> None:
    """Spend the cost of a verification when the account does not exist (no timing oracle)."""
    global DUMMY_HASH
    if DUMMY_HASH is None:
        DUMMY_HASH = hash_password("not-a-real-password")
    verify_password(DUMMY_HASH, password)
