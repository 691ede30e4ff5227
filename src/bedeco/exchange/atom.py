"""The Atom (RFC 4287) document of a reader's feed: pure, from plain entries to bytes."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from lxml import etree

ATOM = "http://www.w3.org/2005/Atom"


@dataclass(frozen=True)
class Entry:
    """One feed entry: a stable id, a title, a link, when it happened, a short summary."""

    id: str
    title: str
    link: str
    updated: datetime
    summary: str
    author: str


def _sub(parent: etree._Element, tag: str, text: str | None = None, **attrs: str) -> etree._Element:
    element = etree.SubElement(parent, f"{{{ATOM}}}{tag}", attrib=attrs)
    if text is not None:
        element.text = text
    return element


def render_feed(
    *,
    feed_id: str,
    title: str,
    self_url: str,
    alternate: str,
    updated: datetime,
    entries: Sequence[Entry],
) -> bytes:
    """The feed as UTF-8 XML."""
    root = etree.Element(f"{{{ATOM}}}feed", nsmap={None: ATOM})
    _sub(root, "id", feed_id)
    _sub(root, "title", title)
    _sub(root, "updated", updated.isoformat())
    _sub(root, "link", rel="self", href=self_url)
    _sub(root, "link", rel="alternate", href=alternate)
    author = _sub(root, "author")
    _sub(author, "name", "bedeco")
    for item in entries:
        entry = _sub(root, "entry")
        _sub(entry, "id", item.id)
        _sub(entry, "title", item.title)
        _sub(entry, "link", rel="alternate", href=item.link)
        _sub(entry, "updated", item.updated.isoformat())
        who = _sub(entry, "author")
        _sub(who, "name", item.author)
        _sub(entry, "summary", item.summary)
    return bytes(etree.tostring(root, xml_declaration=True, encoding="utf-8", pretty_print=True))
