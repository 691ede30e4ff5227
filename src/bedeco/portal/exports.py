"""Open data of the portal: rows of each public list, CSV and JSON bodies, Atom, the sitemap.

Rows follow ``logic.SCHEMAS``; text fields are in the URL's language or a
stated fallback (``text_lang``, ``fallback``). JSON bodies carry the licence,
the schema and the list; CSV bodies the header row and the rows.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Sequence
from typing import Any

from fastapi import Request
from lxml import etree
from sqlalchemy.orm import Session

from bedeco.errors import NotFound
from bedeco.i18n import localized, translations
from bedeco.portal import logic, service
from bedeco.register import logic as register_logic

FORMATS = ("csv", "json")
ATOM = "http://www.w3.org/2005/Atom"
SITEMAP = "http://www.sitemaps.org/schemas/sitemap/0.9"
XHTML = "http://www.w3.org/1999/xhtml"


def check_format(fmt: str) -> None:
    if fmt not in FORMATS:
        raise NotFound(service.NOT_FOUND)


def absolute(request: Request, path: str) -> str:
    return str(request.base_url).rstrip("/") + path


def _text(value: dict[str, str], lang: str) -> tuple[str, str, bool]:
    shown = localized(value, lang)
    return shown.text, shown.lang, shown.fallback


def _iso(moment: dt.datetime | dt.date | None) -> str:
    return moment.isoformat() if moment else ""


def commitment_rows(tracker: service.Tracker, lang: str) -> list[dict[str, Any]]:
    gettext = translations(lang).gettext
    labels = {s.value: gettext(label) for s, label in register_logic.STATUS_LABELS.items()}
    rows = []
    for c in tracker.commitments:
        text, text_lang, fallback = _text(c.title, lang)
        rows.append(
            {
                "key": c.key,
                "label": c.label,
                "title": text,
                "text_lang": text_lang,
                "fallback": fallback,
                "status": c.status,
                "status_label": labels.get(c.status, c.status),
                "target_on": _iso(c.target_on),
                "overdue": c.overdue,
                "nations": " ".join(c.nations),
                "domains": " ".join(c.domains),
                "changes": c.changes,
                "updated_at": _iso(c.updated_at),
                "url": f"/{lang}/resolution/{tracker.document.key}#{c.anchor}",
            }
        )
    return rows


def initiative_rows(
    initiatives: Sequence[service.InitiativeView], lang: str
) -> list[dict[str, Any]]:
    gettext = translations(lang).gettext
    rows = []
    for i in initiatives:
        name, text_lang, fallback = _text(i.name, lang)
        description, description_lang, _description_fallback = _text(i.description, lang)
        rows.append(
            {
                "key": i.key,
                "name": name,
                "description": description,
                "text_lang": text_lang,
                "fallback": fallback,
                "description_lang": description_lang if description else "",
                "maturity": i.maturity,
                "maturity_label": gettext(
                    register_logic.MATURITY_LABELS[register_logic.Maturity(i.maturity)]
                ),
                "nations": " ".join(i.nations),
                "domains": " ".join(i.domains),
                "illustrative": i.illustrative,
                "updated_at": _iso(i.updated_at),
                "url": f"/{lang}/initiatives/{i.key}",
            }
        )
    return rows


def instrument_rows(
    instruments: Sequence[service.InstrumentView],
    relations: Sequence[service.RelationView],
    lang: str,
) -> list[dict[str, Any]]:
    rows = []
    for i in instruments:
        title, text_lang, fallback = _text(i.title, lang)
        issuer, _issuer_lang, _f = _text(i.issuer, lang)
        rows.append(
            {
                "key": i.key,
                "kind": i.kind,
                "identifier": i.identifier,
                "issued_on": _iso(i.issued_on),
                "title": title,
                "text_lang": text_lang,
                "fallback": fallback,
                "issuer": issuer,
                "cites": " ".join(r.target for r in relations if r.source == i.key),
                "url": f"/{lang}/instruments/{i.key}",
            }
        )
    return rows


def relation_rows(relations: Sequence[service.RelationView]) -> list[dict[str, Any]]:
    return [{"source": r.source, "kind": r.kind, "target": r.target} for r in relations]


def change_rows(changes: Sequence[service.ChangeView], lang: str) -> list[dict[str, Any]]:
    rows = []
    for c in changes:
        title, text_lang, fallback = _text(c.title, lang)
        rows.append(
            {
                "at": _iso(c.at),
                "commitment": c.commitment_key,
                "title": title,
                "text_lang": text_lang,
                "fallback": fallback,
                "from_status": c.from_status or "",
                "to_status": c.to_status,
                "nation": c.nation,
                "comment": c.comment,
                "evidence": c.evidence,
            }
        )
    return rows


def dataset(
    request: Request | None,
    lang: str,
    name: str,
    fmt: str,
    rows: list[dict[str, Any]],
    updated: dt.datetime | None,
) -> tuple[bytes, str]:
    """The body and media type of a data set in ``fmt`` (addresses in it are site-relative, so
    ``request`` may be None, as in ``bedeco portal export``)."""
    schema = logic.SCHEMAS[name]
    if fmt == "csv":
        return logic.to_csv(schema, rows).encode("utf-8"), "text/csv; charset=utf-8"
    document = {
        "name": name,
        "title": translations(lang).gettext(schema.title),
        "language": lang,
        "licence": logic.LICENCE,
        "attribution": "bedeco, Benelux defence cooperation",
        "documentation": f"/{lang}/data",
        "updated": _iso(updated),
        "schema": schema.as_dict(),
        "total": len(rows),
        "items": [{k: logic.json_value(row.get(k)) for k in schema.names} for row in rows],
    }
    body = json.dumps(document, ensure_ascii=False, indent=1, sort_keys=False)
    return body.encode("utf-8"), "application/json"


# --- Atom ----------------------------------------------------------------------------------


def _sub(parent: Any, tag: str, text: str | None = None, **attrs: str) -> Any:
    element = etree.SubElement(parent, f"{{{ATOM}}}{tag}", attrib=attrs)
    if text is not None:
        element.text = text
    return element


def atom(request: Request, lang: str, changes: Sequence[service.ChangeView]) -> bytes:
    """Status changes of public commitments as an Atom feed (RFC 4287)."""
    gettext = translations(lang).gettext
    labels = {s.value: gettext(label) for s, label in register_logic.STATUS_LABELS.items()}
    root = etree.Element(f"{{{ATOM}}}feed", nsmap={None: ATOM})
    root.set("{http://www.w3.org/XML/1998/namespace}lang", lang)
    base = absolute(request, "")
    _sub(root, "id", f"{base}/{lang}/feed.atom")
    _sub(root, "title", gettext("Benelux defence cooperation: status changes"))
    newest = max((c.at for c in changes), default=dt.datetime(2026, 1, 1, tzinfo=dt.UTC))
    _sub(root, "updated", newest.isoformat())
    _sub(root, "link", rel="self", href=f"{base}/{lang}/feed.atom")
    _sub(root, "link", rel="alternate", href=f"{base}/{lang}/timeline")
    _sub(root, "rights", logic.LICENCE["name"])
    author = _sub(root, "author")
    _sub(author, "name", "bedeco")
    for change in changes:
        title, _text_lang, _fallback = _text(change.title, lang)
        entry = _sub(root, "entry")
        _sub(entry, "id", f"{base}/{lang}/changes/{change.commitment_key}/{change.at.isoformat()}")
        status = labels.get(change.to_status, change.to_status)
        _sub(entry, "title", f"{status}: {title[:120]}")
        link = (
            f"{base}/{lang}/resolution/{change.document_key}#{change.anchor}"
            if change.document_key
            else f"{base}/{lang}/timeline"
        )
        _sub(entry, "link", rel="alternate", href=link)
        _sub(entry, "updated", change.at.isoformat())
        summary = title if not change.comment else f"{title}\n\n{change.comment}"
        _sub(entry, "summary", summary)
    return bytes(etree.tostring(root, xml_declaration=True, encoding="utf-8", pretty_print=True))


# --- sitemap -------------------------------------------------------------------------------


def public_paths(session: Session) -> list[str]:
    """Every public page, without its language prefix."""
    paths = ["/", "/initiatives", "/instruments", "/timeline", "/data", "/search"]
    for instrument in service.list_instruments(session):
        paths.append(f"/instruments/{instrument.key}")
        if instrument.kind == register_logic.InstrumentKind.RESOLUTION.value:
            paths.append(f"/resolution/{instrument.key}")
            paths.append(f"/resolution/{instrument.key}/report")
    for initiative in service.list_initiatives(session):
        paths.append(f"/initiatives/{initiative.key}")
    return paths


def sitemap(request: Request, paths: Sequence[str], languages: Sequence[str]) -> bytes:
    """A sitemap (sitemaps.org 0.9) with ``xhtml:link`` hreflang alternates for each page."""
    root = etree.Element(f"{{{SITEMAP}}}urlset", nsmap={None: SITEMAP, "xhtml": XHTML})
    for rest in paths:
        for lang in languages:
            url = etree.SubElement(root, f"{{{SITEMAP}}}url")
            etree.SubElement(url, f"{{{SITEMAP}}}loc").text = absolute(
                request, logic.localized_path(lang, rest)
            )
            for other in languages:
                etree.SubElement(
                    url,
                    f"{{{XHTML}}}link",
                    rel="alternate",
                    hreflang=other,
                    href=absolute(request, logic.localized_path(other, rest)),
                )
    return bytes(etree.tostring(root, xml_declaration=True, encoding="utf-8", pretty_print=True))
