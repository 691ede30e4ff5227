"""Rendering portal pages: the language from the URL, the public principal, labels and charts.

Portal pages are the same for everyone, so they are rendered without the
session (no CSRF token, the anonymous principal); that keeps them cacheable
and sets no cookie.
"""

from __future__ import annotations

from typing import Any

from fastapi import Request

from bedeco.i18n import LANGUAGE_NAMES, localized, translations
from bedeco.portal import logic
from bedeco.register import logic as register_logic
from bedeco.security.logic import ANONYMOUS, NATION_NAMES, Nation
from bedeco.web.templating import environment

STATUS_COLOURS: dict[str, str] = {
    register_logic.Status.PROPOSED.value: "#6b7682",
    register_logic.Status.UNDER_STUDY.value: "#4a6fa5",
    register_logic.Status.DECIDED.value: "#0b4f8a",
    register_logic.Status.IN_PROGRESS.value: "#8a5a00",
    register_logic.Status.IMPLEMENTED.value: "#1d6b34",
    register_logic.Status.DROPPED.value: "#a4141c",
}
"""Each colour has at least 4.5:1 contrast against white, so white text on it stays legible."""


def nation_name(code: str, lang: str) -> str:
    try:
        return NATION_NAMES[Nation(code)].get(lang, code)
    except ValueError:
        return code


def portal_context(request: Request, lang: str) -> dict[str, Any]:
    """What every portal template needs."""
    catalog = translations(lang)
    settings = request.app.state.settings
    _lang, rest = logic.split_lang(request.url.path)
    languages = tuple(code for code in logic.LANGS if code in settings.languages)
    default = settings.default_language if settings.default_language in languages else languages[0]
    return {
        "request": request,
        "lang": lang,
        "languages": languages,
        "language_names": LANGUAGE_NAMES,
        "_": catalog.gettext,
        "gettext": catalog.gettext,
        "ngettext": catalog.ngettext,
        "principal": ANONYMOUS,
        "csrf_token": "",
        "current_path": request.url.path,
        "rest": rest,
        "rest_with_query": rest + ("?" + request.url.query if request.url.query else ""),
        "alternates": logic.alternates(rest, languages, default),
        "site": str(request.base_url).rstrip("/"),
        "localized": localized,
        "status_labels": {s.value: label for s, label in register_logic.STATUS_LABELS.items()},
        "status_colours": STATUS_COLOURS,
        "statuses": [s.value for s in register_logic.Status],
        "domain_labels": {d.value: label for d, label in register_logic.DOMAIN_LABELS.items()},
        "maturity_labels": {int(m): label for m, label in register_logic.MATURITY_LABELS.items()},
        "maturity_help": {int(m): text for m, text in register_logic.MATURITY_HELP.items()},
        "kind_labels": {
            k.value: label for k, label in register_logic.INSTRUMENT_KIND_LABELS.items()
        },
        "relation_labels": {k.value: label for k, label in register_logic.RELATION_LABELS.items()},
        "evidence_labels": {k.value: label for k, label in register_logic.EVIDENCE_LABELS.items()},
        "nation_name": nation_name,
        "licence": logic.LICENCE,
        "seed": logic.SEED_DOCUMENT,
        "stacked_bar": logic.stacked_bar,
        "bar_rows": logic.bar_rows,
        "month_columns": logic.month_columns,
    }


def render_page(request: Request, lang: str, template: str, values: dict[str, Any]) -> str:
    """Render a portal template in ``lang``."""
    context = portal_context(request, lang)
    context.update(values)
    return environment().get_template(template).render(context)
