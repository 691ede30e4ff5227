"""REST API of the exchange: /notices (with answers, versions, export), the inbox, feed tokens, webhooks."""

from __future__ import annotations

from datetime import date, datetime
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Path, Query, Request
from pydantic import BaseModel, Field

from bedeco.exchange import alerts, answers, service
from bedeco.exchange.logic import AnswerContent, ContributionLine, NoticeContent
from bedeco.exchange.model import ExchangeNotice, ExchangeWebhook
from bedeco.web.deps import DbSession, Paging, SignedIn

router = APIRouter(tags=["exchange"])

NoticeId = Annotated[int, Path(ge=1, le=2_147_483_647, description="notice id")]


class LineIn(BaseModel):
    """One contribution line: so many of a capability category for a period."""

    category: str = Field(max_length=40)
    quantity: int = Field(ge=1, le=100_000)
    start_on: date
    end_on: date


class NoticeCreate(BaseModel):
    operation: str = Field(max_length=200)
    framework: str = Field(max_length=16, description="EU, NATO, UN, coalition or national")
    area: str = Field(max_length=200)
    period_start: date
    period_end: date
    answer_by: date
    contact: str = Field(max_length=200)
    text: str = Field(default="", max_length=20_000)
    classification: str = Field(max_length=16, description="UNCLASSIFIED, RESTRICTED, CONFIDENTIAL")
    releasable_to: list[str] = Field(max_length=3, description="BEL, NLD, LUX; the author's nation")
    lines: list[LineIn] = Field(default_factory=list, max_length=50)


class NoticeUpdate(NoticeCreate):
    version: int = Field(ge=1, le=2_147_483_647, description="the version being edited")


class VersionBody(BaseModel):
    version: int = Field(ge=1, le=2_147_483_647)


class EndBody(VersionBody):
    reason: str = Field(max_length=2000)


class AnswerStateRead(BaseModel):
    nation: str
    kind: str | None
    answered_on: date | None
    overdue: bool
    late: bool


class NoticeRead(BaseModel):
    id: int
    version: int
    status: str
    author_nation: str
    author: str
    operation: str
    framework: str
    area: str
    period_start: date
    period_end: date
    answer_by: date
    contact: str
    text: str
    classification: str
    releasable_to: list[str]
    lines: list[LineIn]
    reason: str
    created_at: datetime
    updated_at: datetime
    circulated_at: datetime | None


class NoticeDetail(NoticeRead):
    answer_states: list[AnswerStateRead]


class NoticeList(BaseModel):
    items: list[NoticeRead]
    total: int
    page: int
    page_size: int


class VersionRead(BaseModel):
    version: int
    status: str
    author: str
    at: datetime
    content: dict[str, Any]
    changed: list[str]


class AnswerCreate(BaseModel):
    kind: str = Field(
        max_length=24,
        description="will_contribute, considering, not_contributing or needs_information",
    )
    lines: list[LineIn] = Field(default_factory=list, max_length=50)
    question: str = Field(default="", max_length=20_000)
    comment: str = Field(default="", max_length=20_000)
    version: int | None = Field(
        default=None, ge=0, le=2_147_483_647, description="the answer version being revised"
    )


class AnswerRead(BaseModel):
    id: int
    notice_id: int
    nation: str
    version: int
    kind: str
    lines: list[LineIn]
    question: str
    comment: str
    author: str
    first_answered_at: datetime
    updated_at: datetime


class AnswerList(BaseModel):
    items: list[AnswerRead]
    total: int
    page: int
    page_size: int


class InboxItemRead(BaseModel):
    activity_id: int
    kind: str
    nation: str
    actor: str
    at: datetime
    notice_id: int
    operation: str
    status: str
    answer_kind: str
    unread: bool


class InboxList(BaseModel):
    items: list[InboxItemRead]
    total: int
    unread: int
    page: int
    page_size: int


class ReadBody(BaseModel):
    notice_id: int | None = Field(
        default=None, ge=1, le=2_147_483_647, description="one notice, or all when omitted"
    )


class FeedTokenRead(BaseModel):
    id: int
    prefix: str
    created_at: datetime
    revoked_at: datetime | None


class FeedTokenIssued(FeedTokenRead):
    token: str
    feed_url: str


class WebhookSet(BaseModel):
    url: str = Field(max_length=500)
    secret: str = Field(max_length=200)
    clearance: str | None = Field(default=None, max_length=16)


class WebhookRead(BaseModel):
    nation: str
    url: str
    clearance: str
    active: bool
    updated_at: datetime


def _content(body: NoticeCreate) -> NoticeContent:
    return NoticeContent(
        operation=body.operation,
        framework=body.framework,
        area=body.area,
        period_start=body.period_start,
        period_end=body.period_end,
        answer_by=body.answer_by,
        contact=body.contact,
        text=body.text,
        classification=body.classification.upper(),
        releasable_to=frozenset(n.upper() for n in body.releasable_to),
        lines=_lines(body.lines),
    )


def _lines(lines: list[LineIn]) -> tuple[ContributionLine, ...]:
    return tuple(ContributionLine(x.category, x.quantity, x.start_on, x.end_on) for x in lines)


def _highest(request: Request) -> Any:
    return request.app.state.settings.max_classification


def _detail(session: DbSession, principal: SignedIn, notice: ExchangeNotice) -> dict[str, Any]:
    given = answers.notice_answers(session, principal, notice_id=notice.id)
    data = answers.notice_dict(notice)
    data["answer_states"] = [s.__dict__ for s in answers.answer_board(notice, given)]
    return data


@router.get("/notices", response_model=NoticeList, summary="Notices you may see")
def list_notices(
    session: DbSession,
    principal: SignedIn,
    paging: Annotated[Paging, Depends()],
    q: Annotated[str | None, Query(max_length=200, description="words to search")] = None,
    status: Annotated[str | None, Query(max_length=16)] = None,
    framework: Annotated[str | None, Query(max_length=16)] = None,
    author_nation: Annotated[str | None, Query(max_length=3)] = None,
    sort: Annotated[
        str, Query(max_length=20, description="updated_at, answer_by, operation, id, status")
    ] = "-updated_at",
) -> dict[str, Any]:
    items, total = service.list_notices(
        session,
        principal,
        q=q,
        status=status,
        framework=framework,
        author_nation=author_nation,
        sort=sort,
        page=paging.page,
        page_size=paging.page_size,
    )
    return {
        "items": [answers.notice_dict(n) for n in items],
        "total": total,
        "page": paging.page,
        "page_size": paging.page_size,
    }


@router.post("/notices", response_model=NoticeDetail, status_code=201, summary="Draft a notice")
def create_notice(
    request: Request, session: DbSession, principal: SignedIn, body: NoticeCreate
) -> dict[str, Any]:
    notice = service.create_notice(
        session, principal, content=_content(body), highest=_highest(request)
    )
    return _detail(session, principal, notice)


@router.get("/notices/{notice_id}", response_model=NoticeDetail, summary="One notice")
def get_notice(session: DbSession, principal: SignedIn, notice_id: NoticeId) -> dict[str, Any]:
    return _detail(session, principal, service.get_notice(session, principal, notice_id=notice_id))


@router.put("/notices/{notice_id}", response_model=NoticeDetail, summary="Edit a notice")
def update_notice(
    request: Request,
    session: DbSession,
    principal: SignedIn,
    notice_id: NoticeId,
    body: NoticeUpdate,
) -> dict[str, Any]:
    notice = service.update_notice(
        session,
        principal,
        notice_id=notice_id,
        version=body.version,
        content=_content(body),
        highest=_highest(request),
    )
    return _detail(session, principal, notice)


@router.post(
    "/notices/{notice_id}/circulate", response_model=NoticeDetail, summary="Circulate a draft"
)
def circulate_notice(
    session: DbSession, principal: SignedIn, notice_id: NoticeId, body: VersionBody
) -> dict[str, Any]:
    notice = service.circulate_notice(session, principal, notice_id=notice_id, version=body.version)
    return _detail(session, principal, notice)


@router.post("/notices/{notice_id}/close", response_model=NoticeDetail, summary="Close")
def close_notice(
    session: DbSession, principal: SignedIn, notice_id: NoticeId, body: EndBody
) -> dict[str, Any]:
    notice = service.end_notice(
        session,
        principal,
        notice_id=notice_id,
        version=body.version,
        verb="close",
        reason=body.reason,
    )
    return _detail(session, principal, notice)


@router.post("/notices/{notice_id}/withdraw", response_model=NoticeDetail, summary="Withdraw")
def withdraw_notice(
    session: DbSession, principal: SignedIn, notice_id: NoticeId, body: EndBody
) -> dict[str, Any]:
    notice = service.end_notice(
        session,
        principal,
        notice_id=notice_id,
        version=body.version,
        verb="withdraw",
        reason=body.reason,
    )
    return _detail(session, principal, notice)


@router.get(
    "/notices/{notice_id}/versions",
    response_model=list[VersionRead],
    summary="Every kept version, with what changed",
)
def notice_versions(
    session: DbSession, principal: SignedIn, notice_id: NoticeId
) -> list[dict[str, Any]]:
    from bedeco.exchange.logic import changes_between

    versions = service.notice_versions(session, principal, notice_id=notice_id)
    out: list[dict[str, Any]] = []
    previous: dict[str, Any] = {}
    for v in versions:
        changed = [c.field for c in changes_between(previous, v.content)] if previous else []
        out.append(
            {
                "version": v.version,
                "status": v.status,
                "author": v.author,
                "at": v.at,
                "content": v.content,
                "changed": changed,
            }
        )
        previous = v.content
    return out


@router.get("/notices/{notice_id}/answers", response_model=AnswerList, summary="Answers")
def notice_answers(session: DbSession, principal: SignedIn, notice_id: NoticeId) -> dict[str, Any]:
    given = answers.notice_answers(session, principal, notice_id=notice_id)
    items = [answers.answer_dict(a) for a in given]
    return {"items": items, "total": len(items), "page": 1, "page_size": max(1, len(items))}


@router.post(
    "/notices/{notice_id}/answers",
    response_model=AnswerRead,
    status_code=201,
    summary="Answer for your nation, or revise its answer (give the version)",
)
def answer_notice(
    session: DbSession, principal: SignedIn, notice_id: NoticeId, body: AnswerCreate
) -> dict[str, Any]:
    answer = answers.answer_notice(
        session,
        principal,
        notice_id=notice_id,
        version=body.version,
        content=AnswerContent(
            kind=body.kind, lines=_lines(body.lines), question=body.question, comment=body.comment
        ),
    )
    return answers.answer_dict(answer)


@router.get(
    "/notices/{notice_id}/export",
    summary="The notice with its answers and whole history, as JSON",
)
def export_notice(session: DbSession, principal: SignedIn, notice_id: NoticeId) -> dict[str, Any]:
    return answers.export_notice(session, principal, notice_id=notice_id)


@router.get("/exchange/inbox", response_model=InboxList, summary="Your inbox")
def inbox(
    session: DbSession,
    principal: SignedIn,
    paging: Annotated[Paging, Depends()],
    unread: Annotated[bool, Query(description="only unread items")] = False,
) -> dict[str, Any]:
    items, total, unread_count = alerts.inbox(
        session, principal, unread_only=unread, page=paging.page, page_size=paging.page_size
    )
    return {
        "items": [
            {
                "activity_id": i.activity.id,
                "kind": i.activity.kind,
                "nation": i.activity.nation,
                "actor": i.activity.actor,
                "at": i.activity.at,
                "notice_id": i.notice.id,
                "operation": i.notice.operation,
                "status": i.notice.status,
                "answer_kind": i.activity.answer_kind,
                "unread": i.unread,
            }
            for i in items
        ],
        "total": total,
        "unread": unread_count,
        "page": paging.page,
        "page_size": paging.page_size,
    }


@router.post("/exchange/inbox/read", summary="Mark one notice, or everything, read")
def mark_read(session: DbSession, principal: SignedIn, body: ReadBody) -> dict[str, int]:
    return {"marked": alerts.mark_read(session, principal, notice_id=body.notice_id)}


def _token(record: Any) -> dict[str, Any]:
    return {
        "id": record.id,
        "prefix": record.prefix,
        "created_at": record.created_at,
        "revoked_at": record.revoked_at,
    }


@router.get("/exchange/feed-tokens", response_model=list[FeedTokenRead], summary="Feed tokens")
def feed_tokens(session: DbSession, principal: SignedIn) -> list[dict[str, Any]]:
    return [_token(t) for t in alerts.list_feed_tokens(session, principal)]


@router.post(
    "/exchange/feed-tokens",
    response_model=FeedTokenIssued,
    status_code=201,
    summary="Issue a token for your Atom feed (shown once)",
)
def issue_feed_token(request: Request, session: DbSession, principal: SignedIn) -> dict[str, Any]:
    record, token = alerts.issue_feed_token(session, principal)
    url = str(request.base_url).rstrip("/") + "/exchange/feed.atom?token=" + token
    return {**_token(record), "token": token, "feed_url": url}


@router.delete("/exchange/feed-tokens/{token_id}", status_code=204, summary="Revoke a feed token")
def revoke_feed_token(
    session: DbSession,
    principal: SignedIn,
    token_id: Annotated[int, Path(ge=1, le=2_147_483_647)],
) -> None:
    alerts.revoke_feed_token(session, principal, token_id=token_id)


def _hook(hook: ExchangeWebhook) -> dict[str, Any]:
    return {
        "nation": hook.nation,
        "url": hook.url,
        "clearance": hook.clearance,
        "active": hook.active,
        "updated_at": hook.updated_at,
    }


@router.get("/exchange/webhooks", response_model=list[WebhookRead], summary="Webhooks you manage")
def webhooks(session: DbSession, principal: SignedIn) -> list[dict[str, Any]]:
    return [_hook(h) for h in alerts.list_webhooks(session, principal)]


@router.put(
    "/exchange/webhooks/{nation}",
    response_model=WebhookRead,
    summary="Set a nation's webhook (coordinator of that nation, or admin)",
)
def set_webhook(
    session: DbSession,
    principal: SignedIn,
    nation: Annotated[str, Path(max_length=3)],
    body: WebhookSet,
) -> dict[str, Any]:
    hook = alerts.set_webhook(
        session,
        principal,
        nation=nation,
        url=body.url,
        secret=body.secret,
        clearance=body.clearance,
    )
    return _hook(hook)


@router.delete("/exchange/webhooks/{nation}", status_code=204, summary="Remove a webhook")
def remove_webhook(
    session: DbSession, principal: SignedIn, nation: Annotated[str, Path(max_length=3)]
) -> None:
    alerts.remove_webhook(session, principal, nation=nation)
