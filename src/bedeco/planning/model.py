"""Tables of the planning capability: pooling studies submitted to run in a worker.

A study holds its scenario text (as submitted, so a result can always be
traced back to its input), what to run (one policy, the policies compared, or
a capacity study) with its budget, where the run stands (status, timestamps,
progress, the cancel flag) and, once finished, its result or its error.
"""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum
from typing import Any

from sqlalchemy import BigInteger, Boolean, DateTime, Float, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from bedeco.db import Base, MarkedMixin, utcnow
from bedeco.i18n import N_


class PlanningStudy(MarkedMixin, Base):
    """One submitted study: scenario, kind and budget, run state and progress, result or error.

    ``result`` holds, per policy run, the plan as JSON (``solution_to_json``),
    its validated figures, the gap, the validation report and the charts drawn
    by the engine's renderers, plus the significance of the differences and,
    for a capacity study, the least slots per policy and the pooling gain.
    """

    __tablename__ = "planning_study"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    scenario_text: Mapped[str] = mapped_column(Text)
    scenario_format: Mapped[str] = mapped_column(String(8))
    scenario_file: Mapped[str] = mapped_column(String(200))
    illustrative: Mapped[bool] = mapped_column(Boolean, default=False)
    kind: Mapped[str] = mapped_column(String(16))
    policy: Mapped[str | None] = mapped_column(String(16), nullable=True)
    time_limit: Mapped[float] = mapped_column(Float)
    workers: Mapped[int] = mapped_column(Integer)
    seed: Mapped[int] = mapped_column(BigInteger)
    status: Mapped[str] = mapped_column(String(16), index=True)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    started_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True), nullable=True)
    finished_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True), nullable=True)
    progress_fraction: Mapped[float] = mapped_column(Float, default=0.0)
    progress_objective: Mapped[int | None] = mapped_column(BigInteger, nullable=True)
    progress_bound: Mapped[int | None] = mapped_column(BigInteger, nullable=True)
    progress_message: Mapped[str] = mapped_column(String(400), default="")
    progress_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True), nullable=True)
    cancel_requested: Mapped[bool] = mapped_column(Boolean, default=False)
    owner: Mapped[str] = mapped_column(String(80))
    owner_user_id: Mapped[int | None] = mapped_column(Integer, nullable=True)
    nation: Mapped[str] = mapped_column(String(3), index=True)
    result: Mapped[dict[str, Any] | None] = mapped_column(nullable=True)
    error: Mapped[str] = mapped_column(Text, default="")


class StudyKind(StrEnum):
    """What a study runs."""

    RUN = "run"
    COMPARE = "compare"
    CAPACITY = "capacity"


class StudyStatus(StrEnum):
    """Where a study stands; ``done``, ``failed`` and ``cancelled`` are final."""

    QUEUED = "queued"
    RUNNING = "running"
    DONE = "done"
    FAILED = "failed"
    CANCELLED = "cancelled"

    @property
    def final(self) -> bool:
        return self in (StudyStatus.DONE, StudyStatus.FAILED, StudyStatus.CANCELLED)


KIND_LABELS: dict[str, str] = {
    StudyKind.RUN: N_("Run one policy"),
    StudyKind.COMPARE: N_("Compare the policies"),
    StudyKind.CAPACITY: N_("Capacity study (least check slots per policy)"),
}
STATUS_LABELS: dict[str, str] = {
    StudyStatus.QUEUED: N_("queued"),
    StudyStatus.RUNNING: N_("running"),
    StudyStatus.DONE: N_("done"),
    StudyStatus.FAILED: N_("failed"),
    StudyStatus.CANCELLED: N_("cancelled"),
}
POLICY_LABELS: dict[str, str] = {
    "national": N_("national (own facilities, own aircraft on own missions)"),
    "pooled": N_("pooled maintenance (any certified facility of the three nations)"),
    "joint": N_("joint command (pooled maintenance, aircraft fly for other nations)"),
}
