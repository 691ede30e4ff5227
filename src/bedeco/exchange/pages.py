"""HTML pages of the exchange: list and search, drafting, reading, answering, the inbox, the feed,
and each nation's webhook (coordinators and admins).

Every page needs a signed-in person; notices are never public. Forms work
without JavaScript and show each error next to its field.
"""

from __future__ import annotations

import secrets
from typing import Any
from urllib.parse import quote

from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse, RedirectResponse, Response
from sqlalchemy.orm import Session

from bedeco.errors import (
    ClassificationAboveDeployment,
    DomainError,
    NotFound,
    NotPermitted,
    StaleVersion,
)
from bedeco.exchange import alerts, answers, forms, service
from bedeco.exchange.atom import Entry, render_feed
from bedeco.exchange.logic import (
    ACTIVITY_LABELS,
    ANSWER_LABELS,
    AWAITING_LABEL,
    CATEGORY_LABELS,
    FRAMEWORK_LABELS,
    NOTICE_LEVELS,
    STATUS_LABELS,
    changes_between,
    expected_answerers,
)
from bedeco.i18n import N_, translations
from bedeco.security import service as security
from bedeco.security.logic import CLEARANCES, Action, Nation, Principal, Role, may
from bedeco.web.csrf import check_csrf
from bedeco.web.deps import CurrentPrincipal, DbSession
from bedeco.web.templating import render

router = APIRouter(include_in_schema=False)

LABELS = {
    "status_labels": STATUS_LABELS,
    "framework_labels": FRAMEWORK_LABELS,
    "category_labels": CATEGORY_LABELS,
    "answer_labels": ANSWER_LABELS,
    "activity_labels": ACTIVITY_LABELS,
    "awaiting_label": AWAITING_LABEL,
    "levels": [c.value for c in NOTICE_LEVELS],
    "nations": [n.value for n in Nation],
}

ERROR_MESSAGES: dict[type[DomainError], str] = {
    StaleVersion: N_("Someone changed this meanwhile. Reload it and apply your change again."),
    ClassificationAboveDeployment: N_("This deployment holds nothing above {level}."),
    NotPermitted: N_("You may not make this change."),
}


def _login(request: Request) -> Response:
    target = request.url.path + (("?" + request.url.query) if request.url.query else "")
    return RedirectResponse("/login?next=" + quote(target, safe=""), status_code=303)


def _page(request: Request, name: str, ctx: dict[str, Any], status: int = 200) -> Response:
    return render(request, f"exchange/{name}.html", {**LABELS, **ctx}, status_code=status)


def _form_fields(form: Any) -> dict[str, list[str]]:
    return {key: [str(v) for v in form.getlist(key)] for key in form}


def _domain_error(exc: DomainError, request: Request) -> tuple[str, tuple[str, dict[str, Any]]]:
    """A domain error as a field error of a form, translated where the message is known."""
    field = exc.field or "form"
    for kind, message in ERROR_MESSAGES.items():
        if isinstance(exc, kind):
            level = request.app.state.settings.max_classification.value
            return field, (message, {"level": level})
    problems = getattr(exc, "problems", None)
    if problems:
        return problems[0].field, (problems[0].message, dict(problems[0].values))
    return field, (exc.template, exc.values)


@router.get("/exchange")
def notice_list(
    request: Request,
    session: DbSession,
    principal: CurrentPrincipal,
    q: str = "",
    status: str = "",
    framework: str = "",
    author_nation: str = "",
    sort: str = "-updated_at",
    page: int = 1,
) -> Response:
    if principal.is_anonymous:
        return _login(request)
    page = max(1, min(page, 100_000))
    if sort.removeprefix("-") not in service.SORTS:
        sort = "-updated_at"
    items, total = service.list_notices(
        session,
        principal,
        q=q[:200] or None,
        status=status[:16] or None,
        framework=framework[:16] or None,
        author_nation=author_nation[:3] or None,
        sort=sort,
        page=page,
        page_size=25,
    )
    _inbox, _all, unread = alerts.inbox(session, principal, page=1, page_size=1)
    return _page(
        request,
        "list",
        {
            "items": items,
            "total": total,
            "page": page,
            "pages": max(1, (total + 24) // 25),
            "filters": {
                "q": q,
                "status": status,
                "framework": framework,
                "author_nation": author_nation,
                "sort": sort,
            },
            "unread": unread,
            "may_draft": bool(principal.roles & {Role.CONTRIBUTOR, Role.COORDINATOR}),
        },
    )


@router.get("/exchange/inbox")
def inbox_page(
    request: Request,
    session: DbSession,
    principal: CurrentPrincipal,
    unread: bool = False,
    page: int = 1,
) -> Response:
    if principal.is_anonymous:
        return _login(request)
    page = max(1, min(page, 100_000))
    items, total, unread_count = alerts.inbox(
        session, principal, unread_only=unread, page=page, page_size=25
    )
    return _page(
        request,
        "inbox",
        {
            "items": items,
            "total": total,
            "unread_count": unread_count,
            "unread_only": unread,
            "page": page,
            "pages": max(1, (total + 24) // 25),
        },
    )


@router.post("/exchange/inbox/read")
async def inbox_read(request: Request, session: DbSession, principal: CurrentPrincipal) -> Response:
    form = await request.form()
    check_csrf(request, str(form.get("csrf_token", "")))
    if principal.is_anonymous:
        return _login(request)
    alerts.mark_read(session, principal)
    return RedirectResponse("/exchange/inbox", status_code=303)


def _empty_notice(principal: Principal) -> dict[str, Any]:
    nation = principal.nation.value if principal.nation else ""
    return {
        "framework": "EU",
        "classification": "RESTRICTED",
        "releasable_to": [nation],
        "line_rows": forms.padded([]),
    }


@router.get("/exchange/new")
def new_form(request: Request, principal: CurrentPrincipal) -> Response:
    if principal.is_anonymous:
        return _login(request)
    return _page(
        request, "form", {"values": _empty_notice(principal), "errors": {}, "notice": None}
    )


@router.post("/exchange/new")
async def new_submit(request: Request, session: DbSession, principal: CurrentPrincipal) -> Response:
    form = await request.form()
    check_csrf(request, str(form.get("csrf_token", "")))
    if principal.is_anonymous:
        return _login(request)
    content, parsed = forms.parse_notice(_form_fields(form))
    if content is not None:
        try:
            notice = service.create_notice(
                session,
                principal,
                content=content,
                highest=request.app.state.settings.max_classification,
            )
        except DomainError as exc:
            field, message = _domain_error(exc, request)
            parsed.errors[field] = message
            parsed.add(getattr(exc, "problems", []))
        else:
            return RedirectResponse(f"/exchange/{notice.id}", status_code=303)
    session.rollback()
    return _page(
        request, "form", {"values": parsed.values, "errors": parsed.errors, "notice": None}, 422
    )


def _history(versions: list[Any]) -> list[dict[str, Any]]:
    out: list[dict[str, Any]] = []
    previous: dict[str, Any] | None = None
    for version in versions:
        changes = changes_between(previous, version.content) if previous is not None else []
        out.append({"version": version, "changes": changes})
        previous = version.content
    return list(reversed(out))


@router.get("/exchange/{notice_id:int}")
def detail(
    request: Request, session: DbSession, principal: CurrentPrincipal, notice_id: int
) -> Response:
    if principal.is_anonymous:
        return _login(request)
    snap = answers.read_notice(session, principal, notice_id=notice_id)
    notice = snap.notice
    nation = principal.nation.value if principal.nation else ""
    author_side = nation == notice.author_nation and may(principal, notice.marking, Action.CHANGE)
    answering = nation in expected_answerers(notice.releasable_to, notice.author_nation) and may(
        principal, notice.marking, Action.CHANGE
    )
    _mark_read(request, principal, notice_id)
    return _page(
        request,
        "detail",
        {
            "notice": notice,
            "snap": snap,
            "answers": {a.nation: a for a in snap.answers},
            "history": _history(snap.versions),
            "answer_history": snap.answer_versions,
            "author_side": author_side,
            "answering": answering,
            "errors": {},
        },
    )


def _mark_read(request: Request, principal: Principal, notice_id: int) -> None:
    """Reading a notice marks it read, in a short write of its own (the page itself only reads)."""
    factory = request.app.state.write_sessions
    writer: Session = factory()
    try:
        alerts.mark_read(writer, principal, notice_id=notice_id)
        writer.commit()
    except DomainError:
        writer.rollback()
    finally:
        writer.close()


@router.get("/exchange/{notice_id:int}/edit")
def edit_form(
    request: Request, session: DbSession, principal: CurrentPrincipal, notice_id: int
) -> Response:
    if principal.is_anonymous:
        return _login(request)
    notice = service.get_notice(session, principal, notice_id=notice_id)
    values = forms.values_of(service.content_of(notice))
    return _page(request, "form", {"values": values, "errors": {}, "notice": notice})


@router.post("/exchange/{notice_id:int}/edit")
async def edit_submit(
    request: Request, session: DbSession, principal: CurrentPrincipal, notice_id: int
) -> Response:
    form = await request.form()
    check_csrf(request, str(form.get("csrf_token", "")))
    if principal.is_anonymous:
        return _login(request)
    notice = service.get_notice(session, principal, notice_id=notice_id)
    content, parsed = forms.parse_notice(_form_fields(form))
    try:
        version = int(str(form.get("version", "")))
    except ValueError:
        version = -1
    if content is not None:
        try:
            service.update_notice(
                session,
                principal,
                notice_id=notice_id,
                version=version,
                content=content,
                highest=request.app.state.settings.max_classification,
            )
        except DomainError as exc:
            field, message = _domain_error(exc, request)
            parsed.errors[field] = message
            parsed.add(getattr(exc, "problems", []))
        else:
            return RedirectResponse(f"/exchange/{notice_id}", status_code=303)
    session.rollback()
    notice = service.get_notice(session, principal, notice_id=notice_id)
    status = 409 if "version" in parsed.errors else 422
    return _page(
        request,
        "form",
        {"values": parsed.values, "errors": parsed.errors, "notice": notice},
        status,
    )


@router.post("/exchange/{notice_id:int}/lifecycle/{verb}")
async def lifecycle(
    request: Request, session: DbSession, principal: CurrentPrincipal, notice_id: int, verb: str
) -> Response:
    """Circulate, close or withdraw, from the buttons on the notice page."""
    form = await request.form()
    check_csrf(request, str(form.get("csrf_token", "")))
    if principal.is_anonymous:
        return _login(request)
    if verb not in ("circulate", "close", "withdraw"):
        raise NotFound("no such action", field="verb")
    try:
        version = int(str(form.get("version", "")))
    except ValueError:
        version = -1
    try:
        if verb == "circulate":
            service.circulate_notice(session, principal, notice_id=notice_id, version=version)
        else:
            service.end_notice(
                session,
                principal,
                notice_id=notice_id,
                version=version,
                verb=verb,
                reason=str(form.get("reason", "")),
            )
    except NotFound:
        raise
    except DomainError as exc:
        session.rollback()
        snap = answers.read_notice(session, principal, notice_id=notice_id)
        field, message = _domain_error(exc, request)
        if field == "reason":
            message = (N_("Give a reason (1 to 2000 characters)."), {})
        return _page(
            request,
            "detail",
            {
                "notice": snap.notice,
                "snap": snap,
                "answers": {a.nation: a for a in snap.answers},
                "history": _history(snap.versions),
                "answer_history": snap.answer_versions,
                "author_side": True,
                "answering": False,
                "errors": {f"{verb}.{field}": message},
            },
            409 if isinstance(exc, StaleVersion) else 422,
        )
    return RedirectResponse(f"/exchange/{notice_id}", status_code=303)


@router.get("/exchange/{notice_id:int}/answer")
def answer_form(
    request: Request, session: DbSession, principal: CurrentPrincipal, notice_id: int
) -> Response:
    if principal.is_anonymous:
        return _login(request)
    notice = service.get_notice(session, principal, notice_id=notice_id)
    nation = principal.nation.value if principal.nation else ""
    current = {a.nation: a for a in answers.notice_answers(session, principal, notice_id=notice_id)}
    mine = current.get(nation)
    values: dict[str, Any] = {"kind": "", "question": "", "comment": "", "line_rows": []}
    if mine is not None:
        values = {
            "kind": mine.kind,
            "question": mine.question,
            "comment": mine.comment,
            "line_rows": [{k: str(v) for k, v in line.items()} for line in mine.lines],
        }
    values["line_rows"] = forms.padded(values["line_rows"])
    return _page(
        request,
        "answer",
        {"notice": notice, "values": values, "errors": {}, "mine": mine},
    )


@router.post("/exchange/{notice_id:int}/answer")
async def answer_submit(
    request: Request, session: DbSession, principal: CurrentPrincipal, notice_id: int
) -> Response:
    form = await request.form()
    check_csrf(request, str(form.get("csrf_token", "")))
    if principal.is_anonymous:
        return _login(request)
    notice = service.get_notice(session, principal, notice_id=notice_id)
    content, parsed = forms.parse_answer(_form_fields(form))
    raw_version = str(form.get("version", "")).strip()
    version = int(raw_version) if raw_version.isdigit() else None
    if content is not None:
        try:
            answers.answer_notice(
                session, principal, notice_id=notice_id, content=content, version=version
            )
        except DomainError as exc:
            if isinstance(exc, NotFound):
                raise
            field, message = _domain_error(exc, request)
            parsed.errors[field] = message
            parsed.add(getattr(exc, "problems", []))
        else:
            return RedirectResponse(f"/exchange/{notice_id}", status_code=303)
    session.rollback()
    notice = service.get_notice(session, principal, notice_id=notice_id)
    nation = principal.nation.value if principal.nation else ""
    mine = {a.nation: a for a in answers.notice_answers(session, principal, notice_id=notice_id)}
    return _page(
        request,
        "answer",
        {
            "notice": notice,
            "values": parsed.values,
            "errors": parsed.errors,
            "mine": mine.get(nation),
        },
        409 if "version" in parsed.errors else 422,
    )


@router.get("/exchange/{notice_id:int}/export.json")
def export_json(
    request: Request, session: DbSession, principal: CurrentPrincipal, notice_id: int
) -> Response:
    if principal.is_anonymous:
        return _login(request)
    data = answers.export_notice(session, principal, notice_id=notice_id)
    return JSONResponse(
        data,
        headers={"Content-Disposition": f'attachment; filename="notice-{notice_id}.json"'},
    )


@router.get("/exchange/feed")
def feed_page(request: Request, session: DbSession, principal: CurrentPrincipal) -> Response:
    if principal.is_anonymous:
        return _login(request)
    tokens = alerts.list_feed_tokens(session, principal)
    return _page(request, "feed", {"tokens": tokens, "issued": None})


@router.post("/exchange/feed/tokens")
async def feed_issue(request: Request, session: DbSession, principal: CurrentPrincipal) -> Response:
    form = await request.form()
    check_csrf(request, str(form.get("csrf_token", "")))
    if principal.is_anonymous:
        return _login(request)
    _record, token = alerts.issue_feed_token(session, principal)
    url = str(request.base_url).rstrip("/") + "/exchange/feed.atom?token=" + token
    tokens = alerts.list_feed_tokens(session, principal)
    return _page(request, "feed", {"tokens": tokens, "issued": url}, 201)


@router.post("/exchange/feed/tokens/{token_id:int}/revoke")
async def feed_revoke(
    request: Request, session: DbSession, principal: CurrentPrincipal, token_id: int
) -> Response:
    form = await request.form()
    check_csrf(request, str(form.get("csrf_token", "")))
    if principal.is_anonymous:
        return _login(request)
    alerts.revoke_feed_token(session, principal, token_id=token_id)
    return RedirectResponse("/exchange/feed", status_code=303)


WEBHOOK_DELIVERIES_SHOWN = 20


def _webhooks_page(
    request: Request,
    session: Any,
    principal: Principal,
    *,
    issued: dict[str, str] | None = None,
    errors: dict[str, Any] | None = None,
    errors_for: str = "",
    values: dict[str, str] | None = None,
    status: int = 200,
) -> Response:
    nations = alerts.manageable_nations(principal)
    hooks = {h.nation: h for h in alerts.list_webhooks(session, principal)}
    deliveries = {
        n: alerts.list_deliveries(session, principal, nation=n, limit=WEBHOOK_DELIVERIES_SHOWN)
        for n in nations
    }
    return _page(
        request,
        "webhooks",
        {
            "manageable": nations,
            "hooks": hooks,
            "deliveries": deliveries,
            "clearances": [c.value for c in CLEARANCES],
            "issued": issued,
            "errors": errors or {},
            "errors_for": errors_for,
            "values": values or {},
        },
        status,
    )


@router.get("/exchange/webhooks")
def webhooks_page(request: Request, session: DbSession, principal: CurrentPrincipal) -> Response:
    if principal.is_anonymous:
        return _login(request)
    return _webhooks_page(request, session, principal)


@router.post("/exchange/webhooks/{nation}")
async def webhook_save(
    request: Request, session: DbSession, principal: CurrentPrincipal, nation: str
) -> Response:
    """Set a nation's webhook; an empty secret field makes one, shown once on the answer."""
    form = await request.form()
    check_csrf(request, str(form.get("csrf_token", "")))
    if principal.is_anonymous:
        return _login(request)
    url = str(form.get("url", ""))
    typed = str(form.get("secret", ""))
    secret = typed or secrets.token_urlsafe(32)
    try:
        hook = alerts.set_webhook(
            session,
            principal,
            nation=nation,
            url=url,
            secret=secret,
            clearance=str(form.get("clearance", "")) or None,
        )
    except DomainError as exc:
        if isinstance(exc, NotFound):
            raise
        session.rollback()
        field, (message, values) = _domain_error(exc, request)
        errors = {field if field in ("url", "secret") else "url": (message, values)}
        return _webhooks_page(
            request,
            session,
            principal,
            errors=errors,
            errors_for=nation.upper(),
            values={"url": url},
            status=exc.status_code,
        )
    issued = None if typed else {"nation": hook.nation, "secret": secret}
    return _webhooks_page(request, session, principal, issued=issued)


@router.post("/exchange/webhooks/{nation}/remove")
async def webhook_remove(
    request: Request, session: DbSession, principal: CurrentPrincipal, nation: str
) -> Response:
    form = await request.form()
    check_csrf(request, str(form.get("csrf_token", "")))
    if principal.is_anonymous:
        return _login(request)
    alerts.remove_webhook(session, principal, nation=nation)
    return RedirectResponse("/exchange/webhooks", status_code=303)


@router.get("/exchange/feed.atom")
def feed_atom(request: Request, session: DbSession, token: str = "") -> Response:
    """The reader's Atom feed, opened by a feed token (not the session cookie)."""
    user = alerts.user_for_feed_token(session, token[:200]) if token else None
    if user is None:
        raise NotFound("unknown or revoked feed token", field="token")
    principal = security.principal_for(user)
    lang = getattr(request.state, "lang", "en")
    _ = translations(lang).gettext
    base = str(request.base_url).rstrip("/")
    items = alerts.feed_entries(session, principal)
    entries = [
        Entry(
            id=f"{base}/exchange/activity/{i.activity.id}",
            title=_(ACTIVITY_LABELS[i.activity.kind]).format(nation=i.activity.nation)
            + ": "
            + i.notice.operation,
            link=f"{base}/exchange/{i.notice.id}",
            updated=i.activity.at,
            summary=" · ".join(
                [
                    i.notice.classification,
                    _(STATUS_LABELS[i.notice.status]),  # type: ignore[index]
                    _("Answer by {date}").format(date=i.notice.answer_by.isoformat()),
                ]
                + ([_(ANSWER_LABELS[i.activity.answer_kind])] if i.activity.answer_kind else [])  # type: ignore[index]
            ),
            author=i.activity.actor,
        )
        for i in items
    ]
    updated = items[0].activity.at if items else user.created_at
    body = render_feed(
        feed_id=f"{base}/exchange/feed/{user.id}",
        title=_("Notices for {name}").format(name=user.name),
        self_url=f"{base}/exchange/feed.atom",
        alternate=f"{base}/exchange/inbox",
        updated=updated,
        entries=entries,
    )
    return Response(
        body,
        media_type="application/atom+xml",
        headers={"Cache-Control": "private, no-store", "Referrer-Policy": "no-referrer"},
    )
