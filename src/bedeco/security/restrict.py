"""The access rule as an SQL filter, so lists, counts and searches never show too much.

It mirrors ``logic.may`` exactly; a property test checks the two agree.
"""

from __future__ import annotations

from typing import Any, TypeVar

from sqlalchemy import Select, and_, false, or_, true

from bedeco.security.logic import (
    ROLES_FOR_ACTION,
    Action,
    Classification,
    Nation,
    Principal,
    visible_levels,
)

S = TypeVar("S", bound=Select[Any])


def access_clause(model: Any, principal: Principal, action: Action = Action.VIEW) -> Any:
    """A WHERE clause true exactly for the rows of ``model`` the principal may act on."""
    public_open = model.classification == Classification.PUBLIC.value
    if principal.is_anonymous or principal.nation is None:
        return public_open if action is Action.VIEW else false()
    if not principal.roles & ROLES_FOR_ACTION[action]:
        return public_open if action is Action.VIEW else false()
    column = {
        Nation.BEL: model.rel_bel,
        Nation.NLD: model.rel_nld,
        Nation.LUX: model.rel_lux,
    }[principal.nation]
    levels = [c.value for c in visible_levels(principal) if c is not Classification.PUBLIC]
    marked = and_(model.classification.in_(levels), column.is_(true())) if levels else false()
    return or_(public_open, marked)


def restrict(statement: S, model: Any, principal: Principal, action: Action = Action.VIEW) -> S:
    """``statement`` limited to the rows of ``model`` that ``principal`` may act on."""
    return statement.where(access_clause(model, principal, action))
