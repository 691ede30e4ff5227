"""The planning share of the reference data: the illustrative reference study, queued.

``bedeco init --with-reference`` (``make run``) stores the shipped scenario
(``data/reference-study.yaml``: the three nations' helicopters and the A400M
fleet over 60 months, labelled illustrative) as a compare-policies study,
PUBLIC because it holds only public reporting and invented figures. It is
only queued here, never solved: the worker that ``bedeco serve`` starts
computes it (three policies at 15 s of search each, about a minute on a quiet machine) and its
page shows the comparison. Loading again changes nothing.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session

from bedeco.audit.service import SYSTEM
from bedeco.planning.model import PlanningStudy, StudyKind
from bedeco.security.logic import Classification

SCENARIO = Path(__file__).resolve().parent / "data" / "reference-study.yaml"
NAME = "Reference study: Benelux helicopters and A400M, 2027-2031 (illustrative)"
OWNER = SYSTEM.name
TIME_LIMIT = 15.0
"""Seconds of search per policy: the three policies finish within about a minute."""


def load(session: Session) -> Iterator[str]:
    """Queue the reference study once; later loads only say where it stands."""
    from bedeco.planning import service

    existing = session.scalar(
        select(PlanningStudy).where(PlanningStudy.owner == OWNER, PlanningStudy.name == NAME)
    )
    if existing is not None:
        yield f"reference study present (study {existing.id}, {existing.status})"
        return
    study = service.submit_study(
        session,
        SYSTEM,
        data=service.StudyInput(
            name=NAME,
            scenario_text=SCENARIO.read_text(encoding="utf-8"),
            scenario_file=SCENARIO.name,
            kind=StudyKind.COMPARE,
            time_limit=TIME_LIMIT,
            workers=2,
            seed=0,
            classification=Classification.PUBLIC,
        ),
        highest=Classification.PUBLIC,
        audit=False,
    )
    yield f"reference study queued (study {study.id}); the server's worker computes it"
