"""Who may see which notice: the foundation's rule, plus drafts stay with their author's nation.

Every query of notices, versions, answers and activities in this capability
goes through these clauses, so lists, counts, searches, the inbox, the feed,
exports and webhooks apply one rule.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import and_, false, or_

from bedeco.exchange.logic import NoticeStatus
from bedeco.exchange.model import ExchangeNotice
from bedeco.security.logic import Action, Principal
from bedeco.security.restrict import access_clause


def notice_clause(principal: Principal, action: Action = Action.VIEW) -> Any:
    """True for the notices ``principal`` may act on; a draft only within its author's nation."""
    if principal.nation is None:
        return false()
    return and_(
        access_clause(ExchangeNotice, principal, action),
        or_(
            ExchangeNotice.status != NoticeStatus.DRAFT.value,
            ExchangeNotice.author_nation == principal.nation.value,
        ),
    )


def child_clause(model: Any, principal: Principal) -> Any:
    """True for rows of a marked child table (version, answer, activity) the principal may see.

    The row's own marking (as it was when written) and its notice's current
    marking must both admit the principal; the caller joins the notice.
    """
    return and_(access_clause(model, principal, Action.VIEW), notice_clause(principal))
