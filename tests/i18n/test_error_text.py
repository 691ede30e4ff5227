"""Domain errors: English for the API, the reader's language on a page."""

from __future__ import annotations

from bedeco.errors import InvalidInput
from bedeco.i18n import N_, error_text


def test_the_message_is_english_and_the_page_text_is_translated_then_filled() -> None:
    error = InvalidInput(
        N_("unknown nations: {nations}"), field="nations", values={"nations": "XYZ"}
    )
    assert error.message == str(error) == "unknown nations: XYZ"
    assert error_text(error, "nl") == "onbekende landen: XYZ"
    assert error_text(error, "fr") == "pays inconnus : XYZ"
    assert error_text(error, "en") == "unknown nations: XYZ"


def test_a_plain_message_with_braces_is_shown_as_it_is() -> None:
    error = InvalidInput("the field {x} is not a template here")
    assert error_text(error, "de") == "the field {x} is not a template here"
