"""Every interface string in code and templates is translated to nl, fr and de."""

from __future__ import annotations

from pathlib import Path

import pytest
from babel.messages.extract import extract_from_dir
from babel.messages.pofile import read_po

from bedeco.i18n import Localized, catalog_files, localized, negotiate

SRC = Path(__file__).resolve().parents[2] / "src" / "bedeco"
METHODS = [("**/templates/**.html", "jinja2"), ("**.py", "python")]
OPTIONS = {"**/templates/**.html": {"extensions": "jinja2.ext.i18n"}}


def extracted() -> dict[str, str]:
    found: dict[str, str] = {}
    for filename, _line, message, _comments, _context in extract_from_dir(
        str(SRC), METHODS, options_map=OPTIONS, keywords={"_": None, "gettext": None, "N_": None}
    ):
        text = message if isinstance(message, str) else message[0]
        if text:
            found.setdefault(text, filename)
    return found


def translated(lang: str) -> dict[str, str]:
    result: dict[str, str] = {}
    for path in catalog_files(lang):
        with path.open("rb") as handle:
            for message in read_po(handle):
                if message.id and message.string and not message.fuzzy:
                    result[str(message.id)] = str(message.string)
    return result


def test_strings_are_extracted_from_templates_and_code() -> None:
    messages = extracted()
    assert "Skip to main content" in messages and "Enter your user name." in messages


@pytest.mark.parametrize("lang", ["nl", "fr", "de"])
def test_catalog_translates_every_interface_string(lang: str) -> None:
    catalog = translated(lang)
    missing = sorted(
        f"{where}: {text!r}" for text, where in extracted().items() if text not in catalog
    )
    assert missing == []


@pytest.mark.parametrize("lang", ["nl", "fr", "de"])
def test_translations_keep_the_placeholders(lang: str) -> None:
    import re

    for source, target in translated(lang).items():
        assert set(re.findall(r"\{\w+\}", source)) == set(re.findall(r"\{\w+\}", target)), source


def test_negotiation_takes_the_best_supported_quality() -> None:
    supported = ("nl", "fr", "de", "en")
    assert negotiate("es, fr;q=0.8, nl;q=0.9", supported, "en") == "nl"
    assert negotiate("de-CH", supported, "en") == "de"
    assert negotiate("ja", supported, "en") == "en"
    assert negotiate(None, supported, "fr") == "fr"
    assert negotiate("nl;q=0, fr;q=abc", supported, "en") == "en"


def test_localized_falls_back_visibly() -> None:
    assert localized({"nl": "hallo", "fr": "bonjour"}, "fr") == Localized("bonjour", "fr", False)
    assert localized({"nl": "hallo", "fr": "bonjour"}, "de") == Localized("hallo", "nl", True)
    assert localized({"en": "hello", "nl": "hallo"}, "de") == Localized("hello", "en", True)
    assert localized({}, "nl").text == ""
