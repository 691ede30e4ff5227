"""The exchange's rules without a database: notices, life cycle, markings, answers, flags, signing."""

from __future__ import annotations

from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st

from bedeco.exchange.logic import (
    AnswerContent,
    ContributionLine,
    backoff_seconds,
    changes_between,
    lowering_needs_coordinator,
    next_status,
    sign,
    signature_matches,
    validate_answer,
    validate_notice,
)
from bedeco.security.logic import Classification
from tests.exchange.helpers import END, START, content

HIGH = Classification.CONFIDENTIAL


def fields(problems: list) -> set[str]:  # type: ignore[type-arg]
    return {p.field for p in problems}


def test_a_well_formed_notice_breaks_no_rule() -> None:
    assert validate_notice(content(), author_nation="BEL", highest=HIGH) == []


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"operation": " "}, "operation"),
        ({"framework": "OSCE"}, "framework"),
        ({"area": ""}, "area"),
        ({"period_end": date(2027, 1, 1)}, "period_end"),
        ({"answer_by": date(2028, 1, 1)}, "answer_by"),
        ({"contact": ""}, "contact"),
        ({"classification": "PUBLIC"}, "classification"),
        ({"classification": "SECRET"}, "classification"),
        ({"releasable_to": {"NLD"}}, "releasable_to"),
        ({"releasable_to": {"BEL", "FRA"}}, "releasable_to"),
        ({"text": "a\x00b"}, "text"),
        ({"lines": (ContributionLine("tanks", 1, START, END),)}, "lines.0.category"),
        ({"lines": (ContributionLine("land", 0, START, END),)}, "lines.0.quantity"),
        ({"lines": (ContributionLine("land", 1, END, START),)}, "lines.0.end_on"),
        ({"lines": (ContributionLine("land", 1, date(2026, 1, 1), END),)}, "lines.0.start_on"),
    ],
)
def test_each_broken_rule_names_its_field(overrides: dict, field: str) -> None:  # type: ignore[type-arg]
    assert field in fields(validate_notice(content(**overrides), author_nation="BEL", highest=HIGH))


def test_a_level_above_the_deployment_is_a_problem() -> None:
    problems = validate_notice(
        content(classification="CONFIDENTIAL"),
        author_nation="BEL",
        highest=Classification.RESTRICTED,
    )
    assert fields(problems) == {"classification"}


def test_the_life_cycle_allows_only_its_transitions() -> None:
    assert next_status("draft", "edit") == "draft"
    assert next_status("circulated", "edit") == "updated"
    assert next_status("draft", "circulate") == "circulated"
    assert next_status("circulated", "circulate") is None
    assert next_status("draft", "close") is None
    assert next_status("updated", "close") == "closed"
    assert next_status("draft", "withdraw") == "withdrawn"
    assert next_status("closed", "edit") is None and next_status("withdrawn", "withdraw") is None


def test_lowering_but_not_raising_needs_a_coordinator() -> None:
    assert lowering_needs_coordinator("RESTRICTED", "UNCLASSIFIED")
    assert not lowering_needs_coordinator("UNCLASSIFIED", "CONFIDENTIAL")
    assert not lowering_needs_coordinator("RESTRICTED", "RESTRICTED")


def test_answers_carry_what_their_kind_needs() -> None:
    line = (ContributionLine("medical", 2, START, END),)
    assert validate_answer(AnswerContent("will_contribute", line), START, END) == []
    assert fields(validate_answer(AnswerContent("will_contribute"), START, END)) == {"lines"}
    assert fields(validate_answer(AnswerContent("considering", line), START, END)) == {"lines"}
    assert fields(validate_answer(AnswerContent("needs_information"), START, END)) == {"question"}
    assert fields(validate_answer(AnswerContent("maybe"), START, END)) == {"kind"}


def test_changes_name_each_field_that_differs() -> None:
    before = content().snapshot()
    after = content(area="Baltic", classification="CONFIDENTIAL").snapshot()
    assert [(c.field, c.before, c.after) for c in changes_between(before, after)] == [
        ("area", "Eastern Mediterranean", "Baltic"),
        ("classification", "RESTRICTED", "CONFIDENTIAL"),
    ]


@given(st.integers(min_value=1, max_value=40))
def test_backoff_doubles_and_is_capped_at_an_hour(attempts: int) -> None:
    wait = backoff_seconds(attempts)
    assert 30 <= wait <= 3600
    assert backoff_seconds(attempts + 1) in (2 * wait, 3600)


@given(st.binary(max_size=200), st.text(min_size=16, max_size=40))
def test_a_signature_checks_only_with_the_same_secret_and_body(body: bytes, secret: str) -> None:
    header = "sha256=" + sign(secret, "1700000000", body)
    assert signature_matches(secret, "1700000000", body, header)
    assert not signature_matches(secret + "x", "1700000000", body, header)
    assert not signature_matches(secret, "1700000001", body, header)
