"""Cut raw text into blocks, the units that carry one language each.

Parliamentary prints reach us converted from two columns, so a Dutch
paragraph and its French twin arrive one after the other; the block is the
smallest unit that is wholly in one language. A block starts after a blank
line, at a line that opens a list item (``A.``, ``12.``, ``- ``), or at a
formula, heading, place and date or function that follows a closed sentence,
so texts without blank lines read the same as texts with many. Print noise (page
numbers, print codes such as ``03705``) is dropped here, and the inline
mark-up of the conversion (Markdown emphasis, ``21^e^`` superscripts) is
removed so that everything downstream reads plain words.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from .grammar import CLOSING_FORMULA, ENACTING, OPERATIVE, is_function, place_and_date

# A line that is only a page number or a print code: "3", "- 3 -", "blz. 3",
# "Page 3/12", "03705". Labels such as "3." keep their dot and are not noise.
_NOISE_LINE = re.compile(
    r"^\s*[-–—]?\s*(?:(?:blz|bladzijde|p|pag|page|pagina)\.?\s*)?\d{1,6}"
    r"(?:\s*/\s*\d{1,6})?\s*[-–—]?\s*$",
    re.IGNORECASE,
)
# Lines that open a list item and so always start a new block.
_ITEM_START = re.compile(
    r"^\s*(?:[-–—•]\s+|[A-Z]{1,2}\.\s+|\d{1,3}[.)]\s+|(?:nr\.|n°)\s*\d{1,3}\s*:)", re.IGNORECASE
)
# Pandoc writes superscripts as ``21^e^``; the seed's conversion left ``21^e``.
_SUPERSCRIPT = re.compile(r"\^([^\^\s]{1,6})\^?")
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ud800-\udfff\ufffe\uffff]")
_EMPHASIS = re.compile(r"\*+|(?<![\w])_{1,2}(?=\S)|(?<=\S)_{1,2}(?![\w])")


@dataclass(frozen=True, slots=True)
class Block:
    """A run of lines read as one unit; ``line`` is 1-based in the input."""

    line: int
    lines: tuple[str, ...]
    text: str = ""

    def __post_init__(self) -> None:
        # The joined text is read many times per parse; compute it once.
        if not self.text:
            object.__setattr__(self, "text", " ".join(self.lines))


def normalise_newlines(text: str) -> str:
    """Windows and old Mac line ends become ``\\n``; a BOM is dropped, and so are
    control characters, which no printed text holds and XML cannot carry."""
    text = text.lstrip("\ufeff").replace("\r\n", "\n").replace("\r", "\n")
    return _CONTROL.sub("", text)


def clean_inline(line: str) -> str:
    """Remove conversion mark-up and squeeze spaces; the words stay as printed."""
    if "^" in line:
        line = _SUPERSCRIPT.sub(r"\1", line)
    if "*" in line or "_" in line:
        line = _EMPHASIS.sub("", line)
    if "\u00ad" in line:
        line = line.replace("\u00ad", "")
    return " ".join(line.split())


def is_noise(line: str) -> bool:
    """True for page numbers and print codes standing alone on a line."""
    return bool(_NOISE_LINE.match(line))


def _opens_part(previous: str, line: str) -> bool:
    """After a line that closes a sentence, a formula, a heading, a place and
    date or a signatory's function starts a block of its own, so texts that
    lost their blank lines still separate ``...;`` from ``VERZOEKT DE
    FEDERALE REGERING:`` and ``partners.`` from ``Brussel, 13 mei 2026.``."""
    if not previous.endswith((";", ".", ":")):
        return False
    if line.isupper() and len(line) > 3:
        return True
    if len(line) > 120 or line[:1].isdigit():
        # Formulas, places and functions are short and never open with a number.
        return False
    return bool(
        ENACTING.match(line)
        or OPERATIVE.match(line)
        or CLOSING_FORMULA.match(line)
        or is_function(line)
        or place_and_date(line)
    )


def split_blocks(text: str) -> list[Block]:
    """Split ``text`` into blocks of clean, non-empty lines, in input order."""
    blocks: list[Block] = []
    current: list[str] = []
    start = 0
    for number, raw in enumerate(normalise_newlines(text).split("\n"), start=1):
        line = clean_inline(raw)
        if not line or is_noise(line):
            # A noise line ends nothing by itself, but a blank line does.
            if not line and current:
                blocks.append(Block(start, tuple(current)))
                current = []
            continue
        if current and (_ITEM_START.match(line) or _opens_part(current[-1], line)):
            blocks.append(Block(start, tuple(current)))
            current = []
        if not current:
            start = number
        current.append(line)
    if current:
        blocks.append(Block(start, tuple(current)))
    return blocks
