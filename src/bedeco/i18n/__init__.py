"""Languages: catalogs for nl, fr, de (English is the source), negotiation, and ``localized``.

The interface strings live in gettext catalogs: the foundation's in
``i18n/locales`` and each capability's in ``<cap>/locales``, merged per
language. ``make`` compiles them to ``.mo`` at install; a catalog whose
``.po`` is newer than its ``.mo`` is compiled in memory, so an edit shows at
once during development.
"""

from __future__ import annotations

import gettext as _gettext
from collections.abc import Mapping
from dataclasses import dataclass
from functools import lru_cache
from io import BytesIO
from pathlib import Path

from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po

from bedeco.errors import DomainError

PACKAGE = Path(__file__).resolve().parent.parent
LANGUAGES = ("nl", "fr", "de", "en")
FALLBACK_ORDER = ("en", "nl", "fr", "de")
LANGUAGE_NAMES = {"nl": "Nederlands", "fr": "Français", "de": "Deutsch", "en": "English"}


def N_(message: str) -> str:
    """Mark a string for extraction; it is translated where it is shown."""
    return message


def catalog_files(lang: str) -> list[Path]:
    """Every ``.po`` file of ``lang``: the foundation's (``i18n/locales``) and the capabilities'."""
    return sorted(PACKAGE.glob(f"*/locales/{lang}/LC_MESSAGES/*.po"))


def _load(po_path: Path) -> _gettext.GNUTranslations:
    mo_path = po_path.with_suffix(".mo")
    if mo_path.exists() and mo_path.stat().st_mtime >= po_path.stat().st_mtime:
        with mo_path.open("rb") as handle:
            return _gettext.GNUTranslations(handle)
    with po_path.open("rb") as handle:
        catalog = read_po(handle)
    buffer = BytesIO()
    write_mo(buffer, catalog)
    buffer.seek(0)
    return _gettext.GNUTranslations(buffer)


@lru_cache(maxsize=8)
def translations(lang: str) -> _gettext.NullTranslations:
    """The merged catalogs of ``lang``; English (the source) translates to itself."""
    merged: _gettext.NullTranslations = _gettext.NullTranslations()
    if lang == "en":
        return merged
    for po_path in catalog_files(lang):
        merged.add_fallback(_load(po_path))
    return merged


def gettext(message: str, lang: str) -> str:
    return translations(lang).gettext(message)


def negotiate(accept_language: str | None, supported: tuple[str, ...], default: str) -> str:
    """The best of ``supported`` for an Accept-Language header, by quality then order."""
    if not accept_language:
        return default
    choices: list[tuple[float, int, str]] = []
    for index, part in enumerate(accept_language.split(",")):
        pieces = part.strip().split(";")
        tag = pieces[0].strip().lower()
        quality = 1.0
        for param in pieces[1:]:
            name, _, value = param.strip().partition("=")
            if name == "q":
                try:
                    quality = float(value)
                except ValueError:
                    quality = 0.0
        if tag:
            choices.append((-quality, index, tag))
    for negative_quality, _index, tag in sorted(choices):
        if negative_quality >= 0:
            continue
        primary = tag.split("-")[0]
        if primary in supported:
            return primary
    return default


@dataclass(frozen=True)
class Localized:
    """Text in a language, and whether it is a fallback from the one asked for."""

    text: str
    lang: str
    fallback: bool

    def __str__(self) -> str:
        return self.text


def localized(value: dict[str, str] | None, lang: str) -> Localized:
    """``value`` in ``lang``, else the first present in the fallback order, marked as such."""
    value = value or {}
    if value.get(lang):
        return Localized(value[lang], lang, False)
    for candidate in FALLBACK_ORDER:
        if value.get(candidate):
            return Localized(value[candidate], candidate, True)
    return Localized("", lang, False)


def template_text(template: str, values: Mapping[str, object], lang: str) -> str:
    """A message template in ``lang``: translated, then filled with ``values``."""
    translated = translations(lang).gettext(template)
    return translated.format(**values) if values else translated


def error_text(error: DomainError, lang: str) -> str:
    """A domain error's message in ``lang``: its template translated, then filled."""
    return template_text(error.template, error.values, lang)
