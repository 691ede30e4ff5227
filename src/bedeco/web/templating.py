"""Jinja2 rendering with the reader's language, principal and CSRF token in every template.

Templates are found in ``web/templates`` and in each capability's
``templates`` folder, so a capability ships its own pages.
"""

from __future__ import annotations

from contextvars import ContextVar
from functools import lru_cache
from pathlib import Path
from typing import Any
from urllib.parse import quote

from fastapi import Request
from fastapi.responses import HTMLResponse
from jinja2 import ChoiceLoader, Environment, FileSystemLoader, select_autoescape

from bedeco.i18n import LANGUAGE_NAMES, localized, translations
from bedeco.security.logic import ANONYMOUS, Classification, within_deployment
from bedeco.web.csrf import csrf_token

PACKAGE = Path(__file__).resolve().parent.parent
RENDER_LANGUAGE: ContextVar[str] = ContextVar("bedeco_render_language", default="en")


def _gettext(message: str) -> str:
    """gettext for the page being rendered, also inside imported macros (no context there)."""
    return translations(RENDER_LANGUAGE.get()).gettext(message)


def _ngettext(singular: str, plural: str, n: int) -> str:
    return translations(RENDER_LANGUAGE.get()).ngettext(singular, plural, n)


@lru_cache(maxsize=1)
def environment() -> Environment:
    folders = [PACKAGE / "web" / "templates"]
    folders += sorted(p for p in PACKAGE.glob("*/templates") if p.parent.name != "web")
    env = Environment(
        loader=ChoiceLoader([FileSystemLoader(str(f)) for f in folders]),
        autoescape=select_autoescape(["html", "xml", "svg"]),
        extensions=["jinja2.ext.i18n"],
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.install_gettext_callables(_gettext, _ngettext, newstyle=False)  # type: ignore[attr-defined]
    env.globals["localized"] = localized
    env.globals["language_names"] = LANGUAGE_NAMES
    env.filters["urlquote"] = lambda value: quote(str(value), safe="")
    return env


def template_context(request: Request, lang: str | None = None) -> dict[str, Any]:
    """What every page needs: the language and its gettext, the principal, the CSRF token."""
    lang = lang or getattr(request.state, "lang", "en")
    catalog = translations(lang)
    settings = request.app.state.settings
    return {
        "request": request,
        "lang": lang,
        "languages": settings.languages,
        "_": catalog.gettext,
        "gettext": catalog.gettext,
        "ngettext": catalog.ngettext,
        "principal": getattr(request.state, "principal", ANONYMOUS),
        "csrf_token": csrf_token(request),
        "current_path": request.url.path + (("?" + request.url.query) if request.url.query else ""),
    }


def render(
    request: Request,
    name: str,
    context: dict[str, Any] | None = None,
    *,
    status_code: int = 200,
    headers: dict[str, str] | None = None,
    lang: str | None = None,
) -> HTMLResponse:
    """Render template ``name`` as an HTML response."""
    values = template_context(request, lang)
    values.update(context or {})
    token = RENDER_LANGUAGE.set(values["lang"])
    try:
        html = environment().get_template(name).render(values)
    finally:
        RENDER_LANGUAGE.reset(token)
    return HTMLResponse(html, status_code=status_code, headers=headers)


def deployment_levels(request: Request) -> list[str]:
    """The markings a form offers: every level up to the deployment's highest."""
    highest = Classification(request.app.state.settings.max_classification)
    return [c.value for c in Classification if within_deployment(c, highest)]
