"""Read the blocks of one language, in order, into drafts of documents.

A careful clerk reads a resolution in four moves: the cover (header), the
grounds (enacting formula and recitals), the operative part (formula and
requests) and the closing (place, date, signatures). ``read_language`` is
that reading as a small state machine over blocks. It never raises: what it
cannot place becomes an ``unrecognised`` block that the parser reports, and
whether the result is a document at all is decided by the parser.

Several motions in one text are cut where a new enacting formula or a new
kind label (``Motie``, ``MOTION``) appears after requests.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from enum import IntEnum

from .blocks import Block
from .dates import find_dates, parse_date
from .grammar import (
    CLOSING_FORMULA,
    DASH_ITEM,
    ENACTING,
    ENACTING_CONTINUATION,
    KIND_LABEL,
    LETTER_LABEL,
    NUMBER_LABEL,
    OPERATIVE,
    REQUEST_VERB,
    RUNNING_HEADER,
    SUBMITTED_BY,
    is_function,
    is_recital_start,
    place_and_date,
)
from .language import looks_like_names


class Stage(IntEnum):
    """Where the reader is in the document; it only moves forward."""

    HEADER = 0
    PREAMBLE = 1
    REQUESTS = 2
    CLOSING = 3


@dataclass
class ClauseDraft:
    """A recital or request being read; blocks may still be appended to it."""

    label: str
    printed: bool
    text: str
    line: int


@dataclass
class Draft:
    """One document in one language while it is being read."""

    lang: str
    stage: Stage = Stage.HEADER
    header_blocks: list[Block] = field(default_factory=list)
    enacting: list[str] = field(default_factory=list)
    recitals: list[ClauseDraft] = field(default_factory=list)
    operative: str | None = None
    requests: list[ClauseDraft] = field(default_factory=list)
    closing: str | None = None
    place: str | None = None
    date: dt.date | None = None
    signatories: list[list[str | None]] = field(default_factory=list)
    blocks: list[Block] = field(default_factory=list)
    unrecognised: list[Block] = field(default_factory=list)
    last_line: int = 1
    submitters_function: str | None = None

    def add_function(self, text: str) -> None:
        self.signatories.append([text.rstrip(" ,:"), None])

    def add_name(self, text: str) -> None:
        if self.signatories and self.signatories[-1][1] is None:
            self.signatories[-1][1] = text.rstrip(" ,")
        else:
            # After "Ingediend door:" every name shares that function.
            self.signatories.append([self.submitters_function, text.rstrip(" ,")])


def _continues(previous: ClauseDraft | None, text: str) -> bool:
    """A block that carries on the previous clause: cut by a page break or a
    line left open (no closing punctuation), or starting in lower case."""
    if previous is None:
        return False
    return not previous.text.rstrip().endswith((";", ".", ":", ",", "!", "?")) or (
        text[:1].islower() and not is_recital_start(text) and not REQUEST_VERB.match(text)
    )


def _split_closing(text: str) -> tuple[str, str | None]:
    match = CLOSING_FORMULA.search(text)
    if not match:
        return text, None
    return text[: match.start()].rstrip(" ,;"), match.group("formula")


def _add_request(draft: Draft, label: str | None, text: str, line: int) -> None:
    text, closing = _split_closing(text)
    if closing:
        draft.closing = closing
        draft.stage = Stage.CLOSING
    if text:
        printed = label is not None
        draft.requests.append(
            ClauseDraft(label or str(len(draft.requests) + 1), printed, text, line)
        )


def _read_header(draft: Draft, block: Block) -> bool:
    """True when the block belongs to the cover; moves on otherwise."""
    text = block.text
    if ENACTING.match(text):
        draft.enacting.append(text)
        draft.stage = Stage.PREAMBLE
        return True
    dash = DASH_ITEM.match(text)
    if (
        LETTER_LABEL.match(text)
        or is_recital_start(text)
        or (dash and is_recital_start(dash.group("rest")))
        or OPERATIVE.match(text)
    ):
        draft.stage = Stage.PREAMBLE
        return False
    draft.header_blocks.append(block)
    return True


def _read_preamble(draft: Draft, block: Block) -> bool:
    """True when the block was a ground or part of the enacting formula."""
    text = block.text
    previous = draft.recitals[-1] if draft.recitals else None
    if not draft.recitals and draft.enacting and ENACTING_CONTINUATION.match(text):
        draft.enacting.append(text)
        return True
    operative = OPERATIVE.match(text)
    if operative:
        rest = operative.group("rest").strip()
        formula = operative.group("formula")
        if len(rest.rstrip(":").split()) <= 1:
            formula, rest = f"{formula} {rest}".strip(), ""
        draft.operative = formula.rstrip(" :,")
        draft.stage = Stage.REQUESTS
        if rest:
            _add_request(draft, None, rest, block.line)
        return True
    letter = LETTER_LABEL.match(text)
    dash = DASH_ITEM.match(text)
    if NUMBER_LABEL.match(text) or (dash and REQUEST_VERB.match(dash.group("rest"))):
        draft.stage = Stage.REQUESTS
        return False
    if letter:
        draft.recitals.append(
            ClauseDraft(letter.group("label"), True, letter.group("rest"), block.line)
        )
    elif dash or is_recital_start(text):
        body = dash.group("rest") if dash else text
        draft.recitals.append(ClauseDraft(str(len(draft.recitals) + 1), False, body, block.line))
    elif _continues(previous, text) and previous is not None:
        previous.text = f"{previous.text} {text}"
    elif REQUEST_VERB.match(text):
        draft.stage = Stage.REQUESTS
        return False
    elif text.endswith((";", ",")) and (draft.enacting or draft.recitals):
        draft.recitals.append(ClauseDraft(str(len(draft.recitals) + 1), False, text, block.line))
    else:
        draft.unrecognised.append(block)
    return True


def _read_requests(draft: Draft, block: Block) -> bool:
    """True when the block was a request or its continuation."""
    text = block.text
    previous = draft.requests[-1] if draft.requests else None
    number = NUMBER_LABEL.match(text)
    dash = DASH_ITEM.match(text)
    if number:
        _add_request(draft, number.group("label"), number.group("rest"), block.line)
    elif dash:
        _add_request(draft, None, dash.group("rest"), block.line)
    elif (
        CLOSING_FORMULA.match(text)
        or place_and_date(text)
        or is_function(text)
        or SUBMITTED_BY.match(block.lines[0])
    ):
        draft.stage = Stage.CLOSING
        return False
    elif _continues(previous, text) and previous is not None:
        extended, closing = _split_closing(f"{previous.text} {text}")
        previous.text = extended
        if closing:
            draft.closing, draft.stage = closing, Stage.CLOSING
    elif (not draft.requests or not draft.requests[-1].printed) and not all(
        looks_like_names(line) for line in block.lines
    ):
        _add_request(draft, None, text, block.line)
    else:
        draft.stage = Stage.CLOSING
        return False
    return True


def _read_closing(draft: Draft, block: Block) -> None:
    text = block.text
    closing = CLOSING_FORMULA.match(text)
    where_when = place_and_date(text)
    if closing:
        draft.closing = closing.group("formula")
        return
    if where_when:
        draft.place, draft.date = where_when[0], parse_date(where_when[1])
        return
    if draft.date is None and _only_a_date(text):
        draft.date = parse_date(text)
        return
    last = draft.signatories[-1] if draft.signatories else None
    if last is not None and last[1] is None and last[0] and text[:1].islower():
        # A function cut in two by a blank line: "De voorzitter van de Kamer" /
        # "van volksvertegenwoordigers,".
        last[0] = f"{last[0]} {text}".rstrip(" ,:")
        return
    pending: list[str] = []
    for line in block.lines:
        submitted = SUBMITTED_BY.match(line)
        if submitted and not pending:
            draft.submitters_function = submitted.group("function")
            continue
        if pending or is_function(line):
            pending.append(line)
            if line.endswith((",", ":")):
                draft.add_function(" ".join(pending))
                pending = []
        elif looks_like_names(line):
            draft.add_name(line)
        else:
            draft.unrecognised.append(block)
            return
    if pending:
        draft.add_function(" ".join(pending))


def _only_a_date(text: str) -> bool:
    dates = list(find_dates(text))
    return len(dates) == 1 and len(text.strip(" .,")) == len(dates[0].text)


def _starts_new_document(draft: Draft, text: str) -> bool:
    if draft.stage < Stage.REQUESTS:
        return False
    kind = KIND_LABEL.match(text)
    return bool(ENACTING.match(text)) or (kind is not None and len(text.split()) <= 14)


def read_language(blocks: list[Block], lang: str) -> list[Draft]:
    """Every document the blocks of one language hold, in order."""
    drafts = [Draft(lang)]
    for block in blocks:
        draft = drafts[-1]
        if _starts_new_document(draft, block.text):
            draft = Draft(lang)
            drafts.append(draft)
        if draft.stage > Stage.HEADER and RUNNING_HEADER.match(block.text):
            # The print repeats the document number at the top of every page.
            continue
        draft.blocks.append(block)
        draft.last_line = block.line + len(block.lines) - 1
        if draft.stage == Stage.HEADER and _read_header(draft, block):
            continue
        if draft.stage == Stage.PREAMBLE and _read_preamble(draft, block):
            continue
        if draft.stage == Stage.REQUESTS and _read_requests(draft, block):
            continue
        if draft.stage == Stage.CLOSING:
            _read_closing(draft, block)
    return drafts
