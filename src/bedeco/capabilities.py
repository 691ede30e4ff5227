"""The capability packages, and a way to load one of their role modules if it exists.

The app factory, the CLI root and the migration environment iterate over this
list, so a capability is added without editing the shared modules.
"""

from __future__ import annotations

import importlib
from collections.abc import Iterator
from types import ModuleType

CAPABILITIES = (
    "security",
    "audit",
    "register",
    "documents",
    "exchange",
    "planning",
    "portal",
)


def role_modules(role: str) -> Iterator[tuple[str, ModuleType]]:
    """Yield ``(capability, module)`` for every capability that has ``<cap>.<role>``."""
    for name in CAPABILITIES:
        qualified = f"bedeco.{name}.{role}"
        try:
            module = importlib.import_module(qualified)
        except ModuleNotFoundError as exc:
            if exc.name in (qualified, f"bedeco.{name}"):
                continue
            raise
        yield name, module
