"""Use cases of alerts: activities, the inbox with unread marks, feed tokens, webhooks and their outbox.

An *activity* is written whenever readers should hear of a notice
(circulated, updated, closed, withdrawn, answered). The inbox and the Atom
feed list the activities a principal may see; each nation's webhook gets one
*delivery* per activity its receiving principal may see, posted later by the
worker (``bedeco exchange deliver``). The receiving principal of a webhook is
a viewer of that nation at the webhook's clearance, by default the highest a
person can hold, so releasability decides what each nation receives.
"""

from __future__ import annotations

import hashlib
import secrets
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

from sqlalchemy import and_, case, func, or_, select, update
from sqlalchemy.orm import Session

from bedeco.audit.service import SYSTEM, record_event
from bedeco.db import utcnow
from bedeco.errors import InvalidInput, NotFound, NotPermitted
from bedeco.exchange.access import child_clause
from bedeco.exchange.model import (
    ExchangeActivity,
    ExchangeAnswer,
    ExchangeDelivery,
    ExchangeDeliveryAttempt,
    ExchangeFeedToken,
    ExchangeNotice,
    ExchangeReadMark,
    ExchangeWebhook,
)
from bedeco.security.logic import (
    CLEARANCES,
    Action,
    Classification,
    Nation,
    Principal,
    Role,
    may,
)
from bedeco.security.model import User
from bedeco.security.service import ensure_nations

FEED_TOKEN_PREFIX = "bdf_"
MIN_SECRET_LENGTH = 16


def remark_answers(session: Session, notice: ExchangeNotice) -> None:
    """Answers carry their notice's current marking (versions keep the one they had)."""
    session.execute(
        update(ExchangeAnswer)
        .where(ExchangeAnswer.notice_id == notice.id)
        .values(
            classification=notice.classification,
            rel_bel=notice.rel_bel,
            rel_nld=notice.rel_nld,
            rel_lux=notice.rel_lux,
        )
        .execution_options(synchronize_session="fetch")
    )


def webhook_principal(hook: ExchangeWebhook) -> Principal:
    """Whom a nation's webhook receives as: a viewer of that nation at the webhook's clearance."""
    return Principal(
        user_id=0,
        name=f"webhook:{hook.nation}",
        nation=Nation(hook.nation),
        clearance=Classification(hook.clearance),
        roles=frozenset({Role.VIEWER}),
    )


def record_activity(
    session: Session,
    notice: ExchangeNotice,
    principal: Principal,
    *,
    kind: str,
    answer_kind: str = "",
) -> ExchangeActivity:
    """Tell readers about a change: an inbox and feed entry, and a delivery per entitled webhook."""
    activity = ExchangeActivity(
        notice_id=notice.id,
        kind=kind,
        nation=principal.nation.value if principal.nation else "",
        actor=principal.name,
        actor_user_id=principal.user_id,
        notice_version=notice.version,
        answer_kind=answer_kind,
        at=utcnow(),
    )
    activity.set_marking(notice.classification, notice.releasable_to)
    session.add(activity)
    session.flush()
    for hook in session.scalars(select(ExchangeWebhook).where(ExchangeWebhook.active.is_(True))):
        if may(webhook_principal(hook), notice.marking, Action.VIEW):
            session.add(
                ExchangeDelivery(
                    activity_id=activity.id,
                    nation=hook.nation,
                    status="pending",
                    attempts=0,
                    next_attempt_at=activity.at,
                    last_error="",
                    created_at=activity.at,
                )
            )
    session.flush()
    return activity


@dataclass(frozen=True)
class InboxItem:
    """One line of the inbox: the activity, its notice, and whether the reader has seen it."""

    activity: ExchangeActivity
    notice: ExchangeNotice
    unread: bool


def _inbox_parts(principal: Principal) -> tuple[Any, Any]:
    uid = principal.user_id if principal.user_id is not None else -1
    unread = and_(
        or_(ExchangeReadMark.read_at.is_(None), ExchangeActivity.at > ExchangeReadMark.read_at),
        or_(ExchangeActivity.actor_user_id.is_(None), ExchangeActivity.actor_user_id != uid),
    )
    statement = (
        select(ExchangeActivity, ExchangeNotice, case((unread, 1), else_=0))
        .join(ExchangeNotice, ExchangeNotice.id == ExchangeActivity.notice_id)
        .outerjoin(
            ExchangeReadMark,
            and_(
                ExchangeReadMark.notice_id == ExchangeActivity.notice_id,
                ExchangeReadMark.user_id == uid,
            ),
        )
        .where(child_clause(ExchangeActivity, principal))
    )
    return statement, unread


def inbox(
    session: Session,
    principal: Principal,
    *,
    unread_only: bool = False,
    page: int = 1,
    page_size: int = 25,
) -> tuple[list[InboxItem], int, int]:
    """A page of the principal's inbox, newest first, with the total and the unread count."""
    if principal.is_anonymous:
        raise NotPermitted("the inbox is personal; sign in")
    statement, unread = _inbox_parts(principal)
    unread_count = (
        session.scalar(select(func.count()).select_from(statement.where(unread).subquery())) or 0
    )
    if unread_only:
        statement = statement.where(unread)
    total = session.scalar(select(func.count()).select_from(statement.subquery())) or 0
    rows = session.execute(
        statement.order_by(ExchangeActivity.at.desc(), ExchangeActivity.id.desc())
        .offset((page - 1) * page_size)
        .limit(page_size)
    ).all()
    return [InboxItem(a, n, bool(u)) for a, n, u in rows], total, unread_count


def mark_read(session: Session, principal: Principal, *, notice_id: int | None = None) -> int:
    """Mark one notice (or, without ``notice_id``, every visible notice) read; returns how many."""
    if principal.user_id is None or principal.is_anonymous:
        raise NotPermitted("the inbox is personal; sign in")
    statement, _ = _inbox_parts(principal)
    ids = {a.notice_id for a, _n, _u in session.execute(statement).all()}
    if notice_id is not None:
        if notice_id not in ids:
            from bedeco.exchange.service import get_notice

            get_notice(session, principal, notice_id=notice_id)  # NotFound when invisible
        ids = {notice_id}
    now = utcnow()
    marks = {
        m.notice_id: m
        for m in session.scalars(
            select(ExchangeReadMark).where(
                ExchangeReadMark.user_id == principal.user_id,
                ExchangeReadMark.notice_id.in_(ids),
            )
        )
    }
    for nid in ids:
        mark = marks.get(nid)
        if mark is None:
            session.add(ExchangeReadMark(user_id=principal.user_id, notice_id=nid, read_at=now))
        else:
            mark.read_at = now
    session.flush()
    return len(ids)


def _digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def issue_feed_token(session: Session, principal: Principal) -> tuple[ExchangeFeedToken, str]:
    """A new token for the principal's own Atom feed; shown once, stored as a digest."""
    if principal.user_id is None or principal.is_anonymous:
        raise NotPermitted("a feed is personal; sign in")
    token = FEED_TOKEN_PREFIX + secrets.token_urlsafe(32)
    record = ExchangeFeedToken(
        user_id=principal.user_id, prefix=token[:12], digest=_digest(token), created_at=utcnow()
    )
    session.add(record)
    session.flush()
    record_event(
        session,
        principal,
        action="feed_token.issue",
        object_type="exchange_feed_token",
        object_id=str(record.id),
        change={"prefix": record.prefix},
    )
    return record, token


def list_feed_tokens(session: Session, principal: Principal) -> list[ExchangeFeedToken]:
    """The principal's own feed tokens (prefixes only), newest first."""
    return list(
        session.scalars(
            select(ExchangeFeedToken)
            .where(ExchangeFeedToken.user_id == principal.user_id)
            .order_by(ExchangeFeedToken.id.desc())
        ).all()
    )


def revoke_feed_token(session: Session, principal: Principal, *, token_id: int) -> None:
    """Revoke one of the principal's feed tokens; the feed stops answering to it at once."""
    record = session.get(ExchangeFeedToken, token_id)
    if record is None or record.user_id != principal.user_id:
        raise NotFound(f"no feed token {token_id}", field="token_id")
    if record.revoked_at is None:
        record.revoked_at = utcnow()
        session.flush()
        record_event(
            session,
            principal,
            action="feed_token.revoke",
            object_type="exchange_feed_token",
            object_id=str(record.id),
            change={},
        )


def user_for_feed_token(session: Session, token: str) -> User | None:
    """The active user a feed token opens, or None when unknown, revoked or disabled."""
    record = session.scalar(
        select(ExchangeFeedToken).where(ExchangeFeedToken.digest == _digest(token))
    )
    if record is None or record.revoked_at is not None:
        return None
    user = session.get(User, record.user_id)
    if user is None or not user.active:
        return None
    return user


def _may_configure(principal: Principal, nation: str) -> None:
    if principal is SYSTEM or principal.has_role(Role.ADMIN):
        return
    if principal.has_role(Role.COORDINATOR) and principal.nation and principal.nation == nation:
        return
    raise NotPermitted("a coordinator of that nation or an admin configures its webhook")


def _nation(value: str) -> str:
    try:
        return Nation(value.upper()).value
    except ValueError:
        raise InvalidInput("nation must be one of BEL, NLD, LUX", field="nation") from None


def set_webhook(
    session: Session,
    principal: Principal,
    *,
    nation: str,
    url: str,
    secret: str,
    clearance: str | None = None,
) -> ExchangeWebhook:
    """Create or replace a nation's webhook: an http(s) URL, a shared secret, a clearance."""
    code = _nation(nation)
    _may_configure(principal, code)
    try:
        parts = urlsplit(url.strip())
        host = parts.hostname
    except ValueError:  # e.g. an unclosed IPv6 bracket
        host = None
    if host is None or parts.scheme not in ("http", "https") or len(url) > 500 or "\x00" in url:
        raise InvalidInput("the URL must be http:// or https:// with a host", field="url")
    if len(secret) < MIN_SECRET_LENGTH or len(secret) > 200 or "\x00" in secret:
        raise InvalidInput(
            f"the secret needs {MIN_SECRET_LENGTH} to 200 characters", field="secret"
        )
    wanted = (clearance or CLEARANCES[-1].value).strip().upper()
    if wanted not in {c.value for c in CLEARANCES}:
        raise InvalidInput(
            "clearance must be one of " + ", ".join(c.value for c in CLEARANCES),
            field="clearance",
        )
    level = Classification(wanted)
    ensure_nations(session)
    hook = session.get(ExchangeWebhook, code)
    if hook is None:
        hook = ExchangeWebhook(nation=code)
        session.add(hook)
    hook.url = url.strip()
    hook.secret = secret
    hook.clearance = level.value
    hook.active = True
    hook.updated_at = utcnow()
    session.flush()
    record_event(
        session,
        principal,
        action="webhook.set",
        object_type="exchange_webhook",
        object_id=code,
        change={"url": hook.url, "clearance": hook.clearance},
    )
    return hook


def remove_webhook(session: Session, principal: Principal, *, nation: str) -> None:
    """Stop a nation's webhook; pending deliveries to it are dropped."""
    code = _nation(nation)
    _may_configure(principal, code)
    hook = session.get(ExchangeWebhook, code)
    if hook is None:
        raise NotFound(f"no webhook for {code}", field="nation")
    session.delete(hook)
    session.execute(
        update(ExchangeDelivery)
        .where(ExchangeDelivery.nation == code, ExchangeDelivery.status == "pending")
        .values(status="dropped", last_error="webhook removed")
    )
    session.flush()
    record_event(
        session,
        principal,
        action="webhook.remove",
        object_type="exchange_webhook",
        object_id=code,
        change={},
    )


def manageable_nations(principal: Principal) -> list[str]:
    """The nations whose webhook the principal configures: all for an admin, its own for a
    coordinator, none for anyone else (the rule ``_may_configure`` enforces)."""
    if principal is SYSTEM or principal.has_role(Role.ADMIN):
        return [n.value for n in Nation]
    if principal.has_role(Role.COORDINATOR) and principal.nation is not None:
        return [principal.nation.value]
    return []


def list_webhooks(session: Session, principal: Principal) -> list[ExchangeWebhook]:
    """The webhooks the principal may manage: all for an admin, its own nation's for a coordinator."""
    nations = manageable_nations(principal)
    if not nations:
        return []
    statement = select(ExchangeWebhook).where(ExchangeWebhook.nation.in_(nations))
    return list(session.scalars(statement.order_by(ExchangeWebhook.nation)).all())


def list_deliveries(
    session: Session, principal: Principal, *, nation: str, limit: int = 100
) -> list[ExchangeDelivery]:
    """The latest deliveries to a nation's webhook (status and attempts, never the content)."""
    code = _nation(nation)
    _may_configure(principal, code)
    return list(
        session.scalars(
            select(ExchangeDelivery)
            .where(ExchangeDelivery.nation == code)
            .order_by(ExchangeDelivery.id.desc())
            .limit(limit)
        ).all()
    )


def delivery_attempts(session: Session, delivery_id: int) -> list[ExchangeDeliveryAttempt]:
    return list(
        session.scalars(
            select(ExchangeDeliveryAttempt)
            .where(ExchangeDeliveryAttempt.delivery_id == delivery_id)
            .order_by(ExchangeDeliveryAttempt.id)
        ).all()
    )


def feed_entries(session: Session, principal: Principal, *, limit: int = 50) -> Sequence[InboxItem]:
    """The newest activities the principal may see, for the Atom feed."""
    items, _total, _unread = inbox(session, principal, page=1, page_size=limit)
    return items
