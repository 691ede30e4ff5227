"""HTML routes of the shell: home, sign in and out, language choice, health."""

from __future__ import annotations

from typing import Annotated
from urllib.parse import urlsplit

from fastapi import APIRouter, Form, Request
from fastapi.responses import JSONResponse, RedirectResponse, Response
from sqlalchemy import text

from bedeco.errors import TooManyAttempts
from bedeco.i18n import N_
from bedeco.security import service as security
from bedeco.web.csrf import check_csrf
from bedeco.web.deps import CurrentPrincipal, DbSession
from bedeco.web.templating import render

router = APIRouter(include_in_schema=False)
LANG_COOKIE = "bedeco_lang"
ONE_YEAR = 365 * 24 * 3600


def safe_next(target: str | None, default: str = "/") -> str:
    """Only same-site relative paths are followed after a redirect (no open redirect)."""
    if not target:
        return default
    parts = urlsplit(target)
    if parts.scheme or parts.netloc or not target.startswith("/") or target.startswith("//"):
        return default
    return target


@router.get("/healthz")
def healthz(session: DbSession) -> JSONResponse:
    session.execute(text("SELECT 1"))
    return JSONResponse({"status": "ok", "database": "ok"})


@router.get("/")
def home(request: Request, principal: CurrentPrincipal) -> Response:
    return render(request, "web/home.html", {})


@router.get("/language/{lang}")
def choose_language(request: Request, lang: str, next: str | None = None) -> Response:
    """Remember the reader's language in a cookie and go back where they were."""
    settings = request.app.state.settings
    if lang not in settings.languages:
        return render(
            request,
            "web/error.html",
            {
                "status": 404,
                "code": "not_found",
                "message": N_("Unknown language."),
                "field": "lang",
            },
            status_code=404,
        )
    response = RedirectResponse(safe_next(next), status_code=303)
    response.set_cookie(LANG_COOKIE, lang, max_age=ONE_YEAR, samesite="lax", httponly=True)
    return response


@router.get("/login")
def login_form(request: Request, principal: CurrentPrincipal, next: str | None = None) -> Response:
    return render(request, "web/login.html", {"next": safe_next(next), "errors": {}, "name": ""})


@router.post("/login")
def login(
    request: Request,
    session: DbSession,
    principal: CurrentPrincipal,
    name: Annotated[str, Form()] = "",
    password: Annotated[str, Form()] = "",
    csrf_token: Annotated[str, Form()] = "",
    next: Annotated[str, Form()] = "/",
) -> Response:
    check_csrf(request, csrf_token)
    errors: dict[str, str] = {}
    if not name.strip():
        errors["name"] = N_("Enter your user name.")
    if not password:
        errors["password"] = N_("Enter your password.")
    user = None
    status = 422
    headers = None
    if not errors:
        address = request.client.host if request.client else "unknown"
        limit = request.app.state.settings.login_attempts_per_minute
        try:
            user = security.authenticate(
                session, name=name.strip(), password=password, address=address, limit=limit
            )
        except TooManyAttempts as exc:
            errors["password"] = N_("Too many failed attempts. Wait a minute and try again.")
            status, headers = 429, {"Retry-After": str(exc.retry_after)}
        else:
            if user is None:
                errors["password"] = N_("The user name or password is not right.")
                status = 401
    if user is None:
        return render(
            request,
            "web/login.html",
            {"next": safe_next(next), "errors": errors, "name": name},
            status_code=status,
            headers=headers,
        )
    request.session.clear()
    request.session["user_id"] = user.id
    return RedirectResponse(safe_next(next), status_code=303)


@router.post("/logout")
def logout(request: Request, csrf_token: Annotated[str, Form()] = "") -> Response:
    check_csrf(request, csrf_token)
    request.session.clear()
    return RedirectResponse("/", status_code=303)


@router.get("/account")
def account(request: Request, principal: CurrentPrincipal) -> Response:
    if principal.is_anonymous:
        return RedirectResponse("/login?next=/account", status_code=303)
    return render(request, "web/account.html", {})
