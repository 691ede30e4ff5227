"""In Chromium: a coordinator submits a study, watches its progress, cancels one, reads a result.

The live server runs studies in its background worker (``BEDECO_PLANNING_WORKER``
is on by default), exactly as ``bedeco serve`` does.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import expect
from sqlalchemy import select

from bedeco.planning import service
from bedeco.planning.model import PlanningStudy
from bedeco.runtime import unit_of_work
from bedeco.security.logic import Classification, Nation, Principal, Role
from tests.browser import sign_in
from tests.planning.tiny_study import TINY

pytestmark = pytest.mark.browser

SETUP = Principal(
    user_id=-1,
    name="test-setup",
    nation=Nation.BEL,
    clearance=Classification.RESTRICTED,
    roles=frozenset({Role.VIEWER, Role.CONTRIBUTOR, Role.COORDINATOR}),
)


def stop_other_studies(live_server: Any) -> None:
    """Studies already queued (the reference study) would keep the worker busy for a minute."""
    with unit_of_work(live_server.engine) as session:
        waiting = session.scalars(
            select(PlanningStudy.id).where(PlanningStudy.status.in_(("queued", "running")))
        ).all()
        for study_id in waiting:
            service.request_cancel(session, SETUP, study_id)


# The reference study keeps CP-SAT busy for its whole budget, so a run of it is
# still running when the test cancels it (a tiny scenario may be proven at once).
LONG = (
    Path(__file__).resolve().parents[2] / "src/bedeco/planning/data/reference-study.yaml"
).read_text()


def submit(page: Any, name: str, time_limit: str, scenario: str = TINY) -> None:
    page.goto("/planning/new")
    page.get_by_label("Name", exact=True).fill(name)
    page.get_by_label("What to run").select_option("compare")
    page.get_by_label("Seconds of search per policy").fill(time_limit)
    page.get_by_label("Solver threads").fill("1")
    page.get_by_label("Scenario (YAML or JSON)").fill(scenario)
    page.get_by_role("button", name="Submit the study").click()
    page.wait_for_url(re.compile(r"/planning/\d+$"))


def test_coordinator_cancels_a_running_study_and_reads_another_ones_gantt_chart(
    page: Any,
    live_server: Any,
) -> None:
    stop_other_studies(live_server)
    sign_in(page, live_server, "bel-coordinator")

    submit(page, "long study", "60", LONG)
    status = page.locator("#study-status")
    expect(status).to_have_text("running", timeout=90_000)
    expect(page.locator("#progress-bar")).to_be_visible()
    page.get_by_role("button", name="Cancel the study").click()
    expect(status).to_have_text("cancelled", timeout=60_000)
    expect(page.locator("#progress-bar")).to_have_count(0)

    submit(page, "tiny study", "1")
    expect(page.locator("#progress-heading")).to_be_visible()
    expect(status).to_have_text("done", timeout=90_000)
    expect(page.locator("#illustrative-label")).to_be_visible()
    expect(page.locator("table#comparison tbody tr")).to_have_count(3)
    gantt = page.locator("figure.gantt svg").first
    expect(gantt).to_be_visible()
    assert gantt.locator("rect").count() > 0
    expect(page.locator("figure.load svg")).to_have_count(3)
