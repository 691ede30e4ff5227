"""CSRF protection: a random token kept in the signed session, echoed by every form."""

from __future__ import annotations

import hmac
import secrets

from fastapi import Request

from bedeco.errors import DomainError
from bedeco.i18n import N_

FORM_FIELD = "csrf_token"
HEADER = "X-CSRF-Token"


class CsrfFailed(DomainError):
    """A form or cookie-authenticated call came without the session's CSRF token."""

    status_code = 403
    code = "csrf_failed"


def csrf_token(request: Request) -> str:
    """The session's token, created on first use."""
    if "session" not in request.scope:
        return ""
    token = request.session.get("csrf")
    if not token:
        token = secrets.token_urlsafe(32)
        request.session["csrf"] = token
    return str(token)


def check_csrf(request: Request, supplied: str | None) -> None:
    expected = request.session.get("csrf") if "session" in request.scope else None
    if not expected or not supplied or not hmac.compare_digest(str(expected), supplied):
        raise CsrfFailed(
            N_(
                "The form has expired or did not come from this site; reload the page and try again."
            )
        )
