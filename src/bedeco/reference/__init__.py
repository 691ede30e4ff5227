"""The shipped reference data set: nations, the seed resolution, and each capability's share.

Each capability that ships reference data has a ``<cap>/reference.py`` with
``load(session) -> Iterable[str]`` (lines of what it loaded). Loading is
idempotent: running it again refreshes and never duplicates.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

from sqlalchemy.orm import Session

from bedeco.capabilities import role_modules
from bedeco.security import service as security

DATA = Path(__file__).parent / "data"
SEED_RESOLUTION = DATA / "be-chamber-56-0367.txt"


def load_all(session: Session) -> Iterator[str]:
    """Load every capability's reference data in capability order; yield what was done."""
    security.ensure_nations(session)
    yield "nations: BEL, NLD, LUX"
    for name, module in role_modules("reference"):
        for line in module.load(session):
            yield f"{name}: {line}"
