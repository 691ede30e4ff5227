"""The pure rules: the workflow, overdue, progress, domains, charts."""

from __future__ import annotations

import datetime as dt
import itertools

import pytest

from bedeco.register import charts, logic
from bedeco.register.logic import Status

ALL_PAIRS = list(itertools.product(Status, Status))


@pytest.mark.parametrize(("current", "target"), ALL_PAIRS)
def test_every_pair_of_statuses_is_allowed_exactly_when_the_workflow_lists_it(
    current: Status, target: Status
) -> None:
    problem = logic.transition_problem(
        current, target, comment="because", evidence_count=1, coordinator=True
    )
    assert (problem is None) == (target in logic.TRANSITIONS[current])


def test_a_contributor_may_not_decide_implement_or_drop() -> None:
    for current, target in [
        (Status.PROPOSED, Status.DECIDED),
        (Status.IN_PROGRESS, Status.IMPLEMENTED),
        (Status.PROPOSED, Status.DROPPED),
    ]:
        problem = logic.transition_problem(
            current, target, comment="x", evidence_count=1, coordinator=False
        )
        assert problem is not None and "coordinator" in problem


def test_dropping_needs_a_reason_and_implementing_needs_evidence() -> None:
    assert "reason" in str(
        logic.transition_problem(
            Status.DECIDED, Status.DROPPED, comment=" ", evidence_count=0, coordinator=True
        )
    )
    assert "evidence" in str(
        logic.transition_problem(
            Status.IN_PROGRESS, Status.IMPLEMENTED, comment="", evidence_count=0, coordinator=True
        )
    )


def test_overdue_means_past_target_and_still_open() -> None:
    today = dt.date(2026, 11, 29)
    past = dt.date(2026, 1, 1)
    assert logic.is_overdue(past, Status.IN_PROGRESS, today)
    assert not logic.is_overdue(past, Status.IMPLEMENTED, today)
    assert not logic.is_overdue(past, Status.DROPPED, today)
    assert not logic.is_overdue(today, Status.PROPOSED, today)
    assert not logic.is_overdue(None, Status.PROPOSED, today)


def test_share_implemented_leaves_dropped_commitments_out() -> None:
    progress = logic.progress_of({"implemented": 2, "dropped": 2, "proposed": 2}, overdue=1)
    assert progress.total == 6 and progress.expected == 4
    assert progress.share_implemented == pytest.approx(0.5)


def test_domains_include_the_2012_four_and_the_new_ones_of_recital_r() -> None:
    codes = {d.value for d in logic.Domain}
    assert {"logistics-maintenance", "education-training", "military-tasks", "procurement"} <= codes
    assert {
        "cyber",
        "space",
        "climate-change",
        "article-5-operations",
        "military-mobility",
    } <= codes
    with pytest.raises(ValueError):
        logic.parse_domains(["cyber", "underwater-basket-weaving"])


def test_status_bar_segments_fill_the_width_in_proportion() -> None:
    segments = charts.status_bar(logic.progress_of({"proposed": 1, "implemented": 3}, 0), 400)
    assert [s.status for s in segments] == ["proposed", "implemented"]
    assert segments[1].width == pytest.approx(300)
    assert sum(s.width for s in segments) == pytest.approx(400)


def test_only_http_links_count_as_evidence_links() -> None:
    assert logic.valid_link("https://www.benelux.int/")
    assert not logic.valid_link("javascript:alert(1)")
