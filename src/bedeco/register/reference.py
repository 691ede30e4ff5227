"""The register's share of the reference data: instruments, the seed's provisions, initiatives.

Instruments are those the seed cites (recitals A–K) and the resolution with
its sub-documents, with the ids of reference-facts. The seed's requests 1–16
become commitments, read by the documents engine when it is importable, else
by the small reader below. Initiatives are illustrative, drawn from public
reporting, and say so. All of it is PUBLIC: it describes public cooperation.
Loading is idempotent.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from sqlalchemy.orm import Session

from bedeco.audit.service import SYSTEM
from bedeco.reference import SEED_RESOLUTION
from bedeco.register import service
from bedeco.register.access import ProvisionInput
from bedeco.register.model import Initiative

SEED_KEY = "be-chamber-56-0367"
# key, kind, identifier, date, date text, issuer (en), title nl / fr / en
INSTRUMENTS: list[tuple[str, str, str, str, str, str, str, str, str]] = [
    ("benelux-decl-2012", "declaration", "", "2012-04-18", "", "the governments of Belgium, the Netherlands and Luxembourg",
     "Benelux-verklaring over samenwerking op defensievlak", "Déclaration Benelux de coopération en matière de Défense",
     "Benelux Declaration on defence cooperation"),
    ("rec-855-2", "recommendation", "855-2", "2013-12-11", "", "Benelux Interparliamentary Consultative Council",
     "Aanbeveling 855-2 betreffende de Benelux-samenwerking inzake defensie",
     "Recommandation 855-2 relative à la coopération Benelux en matière de défense",
     "Recommendation 855-2 on Benelux defence cooperation"),
    ("airspace-2015", "agreement", "", "2015-03-04", "", "Belgium, the Netherlands and Luxembourg",
     "Akkoord inzake integratie van de luchtruimbewaking",
     "Accord concernant l'intégration de la sécurité aérienne",
     "Agreement on the integration of air-space surveillance (air policing)"),
    ("rec-878-1", "recommendation", "878-1", "2016-11-25", "", "Benelux Interparliamentary Assembly",
     "Aanbeveling 878-1 met betrekking tot internationale defensiesamenwerking",
     "Recommandation 878-1 relative à la coopération militaire internationale",
     "Recommendation 878-1 on international military cooperation"),
    ("ans-878-2", "answer", "878-2", "2018-03-24", "", "Benelux Committee of Ministers",
     "Antwoord van het Comité van ministers (878-2) op aanbeveling 878-1",
     "Réponse du Comité de ministres (878-2) à la recommandation 878-1",
     "Answer of the Committee of Ministers (878-2) to recommendation 878-1"),
    ("eu-compass-2022", "strategy", "7371/22", "2022-03-21", "", "Council of the European Union",
     "EU-Strategisch Kompas", "Boussole stratégique de l'UE", "EU Strategic Compass"),
    ("benelux-compass-2022", "declaration", "", "2022-04-06", "", "the Benelux defence ministers",
     "Verklaring van de Benelux-ministers van Defensie over de uitvoering van het Strategisch Kompas",
     "Déclaration des ministres de la Défense du Benelux sur la mise en œuvre de la Boussole stratégique",
     "Declaration of the Benelux defence ministers on implementing the Strategic Compass"),
    ("benelux-debate-2022", "debate", "", "2022-06-03", "", "Benelux Parliament, Committee on Foreign Affairs",
     "Themadebat inzake de defensiesamenwerking van de Benelux-landen",
     "Débat thématique sur la coopération des pays du Benelux en matière de défense",
     "Thematic debate on Benelux defence cooperation"),
    ("nato-sc-2022", "strategy", "", "2022-06-29", "2022-06-29/30", "NATO",
     "NAVO-Strategisch Concept", "Concept stratégique de l'OTAN", "NATO Strategic Concept"),
    ("rec-936-2", "recommendation", "936-2", "2022-12-09", "", "Benelux Parliament",
     "Aanbeveling 936-2 inzake defensiesamenwerking in de Benelux",
     "Recommandation 936-2 relative à la coopération en matière de défense dans le Benelux",
     "Recommendation 936-2 on defence cooperation in the Benelux"),
    ("be-chamber-56-0367", "resolution", "Doc 56 0367", "2026-05-13", "", "Belgian Chamber of Representatives",
     "Resolutie tot versterking van de defensie-samenwerking in de Benelux",
     "Résolution visant à renforcer la coopération en matière de défense au sein du Benelux",
     "Resolution to strengthen defence cooperation in the Benelux"),
    ("be-chamber-56-0367-001", "parliamentary-document", "Doc 56 0367/001", "", "", "Belgian Chamber of Representatives",
     "Voorstel van resolutie (Buysrogge, Safai)", "Proposition de résolution (Buysrogge, Safai)",
     "Motion for a resolution (Buysrogge, Safai)"),
    ("be-chamber-56-0367-002", "parliamentary-document", "Doc 56 0367/002", "", "", "Belgian Chamber of Representatives",
     "Verslag", "Rapport", "Report"),
    ("be-chamber-56-0367-003", "parliamentary-document", "Doc 56 0367/003", "", "", "Belgian Chamber of Representatives",
     "Tekst aangenomen door de commissie", "Texte adopté par la commission", "Text adopted by the committee"),
]  # fmt: skip

RELATIONS = [
    ("ans-878-2", "rec-878-1", "answers"),
    ("benelux-compass-2022", "eu-compass-2022", "implements"),
    ("be-chamber-56-0367-001", SEED_KEY, "part_of"),
    ("be-chamber-56-0367-002", SEED_KEY, "part_of"),
    ("be-chamber-56-0367-003", SEED_KEY, "part_of"),
]

RECITAL_CITES: dict[str, list[str]] = {
    "A": ["rec-936-2"], "B": ["benelux-decl-2012"], "C": ["rec-855-2"], "D": ["airspace-2015"],
    "E": ["rec-878-1"], "F": ["ans-878-2", "rec-878-1"], "H": ["eu-compass-2022"],
    "I": ["benelux-compass-2022"], "J": ["benelux-debate-2022"], "K": ["nato-sc-2022"],
    "O": ["benelux-decl-2012"], "Q": ["benelux-decl-2012"], "R": ["benelux-decl-2012"],
}  # fmt: skip
"""The seed's reading, checked by hand: recital I is the ministers' declaration, J the debate.
Engine references (``benelux-parliament:doc:936-2`` …) map onto these keys via ``ENGINE_IDS``."""

REQUEST_CITES: dict[str, list[str]] = {
    "1": ["benelux-decl-2012"],
    "14": ["eu-compass-2022", "nato-sc-2022"],
}
"""Requests that name an instrument: 1 the 2012 Declaration, 14 the Compass and the Concept."""

ENGINE_IDS = {
    "benelux-parliament:doc:936-2": "rec-936-2",
    "benelux-parliament:doc:855-2": "rec-855-2",
    "benelux-parliament:doc:878-1": "rec-878-1",
    "benelux-parliament:doc:878-2": "ans-878-2",
    "benelux:declaration:2012-04-18": "benelux-decl-2012",
    "benelux:agreement:airspace:2015-03-04": "airspace-2015",
    "eu:strategic-compass": "eu-compass-2022",
    "eu:council:7371/22": "eu-compass-2022",
    "nato:strategic-concept": "nato-sc-2022",
}

REQUEST_DOMAINS: dict[str, list[str]] = {
    "1": ["logistics-maintenance", "education-training", "military-tasks", "procurement"],
    "2": ["coordination", "procurement", "industry"], "3": ["military-tasks"],
    "4": ["cyber", "space", "climate-change", "article-5-operations", "military-mobility"],
    "5": ["education-training", "military-tasks"], "6": ["education-training", "logistics-maintenance"],
    "7": ["procurement", "education-training", "logistics-maintenance"],
    "8": ["procurement", "military-tasks"], "9": ["procurement", "education-training"],
    "10": ["military-tasks"], "11": ["coordination"], "12": ["industry"],
    "13": ["industry", "procurement"], "14": ["coordination", "article-5-operations"],
    "15": ["coordination"], "16": ["visibility"],
}  # fmt: skip

ILLUSTRATIVE = "Illustrative, from public reporting; replace with your own data."
# key, maturity, nations, domains, commitments served (request numbers), name en/nl/fr, desc en
INITIATIVES: list[tuple[str, int, list[str], list[str], list[str], str, str, str, str]] = [
    ("benesam", 5, ["BEL", "NLD"], ["military-tasks", "education-training", "logistics-maintenance"], ["5"],
     "BeNeSam and Admiral Benelux", "BeNeSam en Admiral Benelux", "BeNeSam et Admiral Benelux",
     "Integrated Belgian-Dutch naval operational staff in Den Helder since 1996; the Netherlands lead on frigates, Belgium on minehunters (EGUERMIN in Ostend, maintenance in Zeebrugge)."),
    ("bnu-a400m", 4, ["BEL", "LUX"], ["military-tasks", "logistics-maintenance"], ["6"],
     "BE-LU binational A400M unit", "Belgisch-Luxemburgse A400M-eenheid", "Unité binationale belgo-luxembourgeoise A400M",
     "Binational A400M air transport unit at Melsbroek; Belgium 7 aircraft, Luxembourg 1 (public reporting)."),
    ("air-policing", 4, ["BEL", "NLD", "LUX"], ["military-tasks"], ["1"],
     "Integrated air policing", "Geïntegreerde luchtruimbewaking", "Police du ciel intégrée",
     "From the 2015 agreement: Belgium and the Netherlands take turns holding quick-reaction alert for the whole Benelux air space."),
    ("mcm-replacement", 3, ["BEL", "NLD"], ["procurement", "logistics-maintenance"], ["5"],
     "Replacement of the minehunters", "Vervanging van de mijnenjagers", "Remplacement des chasseurs de mines",
     "Twelve mine-countermeasure vessels, six Belgian and six Dutch, contract 2019, Belgian lead."),
    ("aswf-replacement", 3, ["BEL", "NLD"], ["procurement", "logistics-maintenance"], ["5"],
     "Replacement of the M-frigates", "Vervanging van de M-fregatten", "Remplacement des frégates M",
     "Four anti-submarine warfare frigates, two Belgian and two Dutch, Dutch lead."),
    ("mmf", 4, ["BEL", "NLD", "LUX"], ["logistics-maintenance", "military-tasks"], ["6"],
     "Multinational MRTT Fleet", "Multinational MRTT Fleet", "Flotte multinationale MRTT",
     "Pooled A330 MRTT tankers with the Netherlands, Luxembourg and Belgium among the participants; main bases Eindhoven and Cologne."),
    ("helicopter-command", 1, ["BEL", "NLD", "LUX"], ["procurement", "education-training", "logistics-maintenance"], ["7"],
     "Benelux helicopter command (study)", "Benelux-helikoptercommando (studie)", "Commandement d'hélicoptères Benelux (étude)",
     "Study requested by request 7: joint purchase, training and maintenance."),
    ("c-uas", 1, ["BEL", "NLD", "LUX"], ["procurement", "military-tasks"], ["8"],
     "From STUAS to counter-drone (study)", "Van STUAS naar anti-drones (studie)", "Des STUAS aux anti-drones (étude)",
     "Extend tactical drone cooperation to counter-drone systems (request 8)."),
    ("gbad", 1, ["BEL", "NLD", "LUX"], ["procurement", "education-training"], ["9"],
     "Ground-based air defence (study)", "Grondgebonden luchtverdediging (studie)", "Défense aérienne basée au sol (étude)",
     "Explore joint purchase, training and cooperation for ground-based air defence (request 9)."),
    ("be-lu-battalion", 0, ["BEL", "LUX"], ["military-tasks"], ["10"],
     "BE-LU binational battalion", "Belgisch-Luxemburgs binationaal bataljon", "Bataillon binational belgo-luxembourgeois",
     "To be created (request 10)."),
    ("pesco-5", 0, ["BEL", "NLD", "LUX"], ["industry", "procurement"], ["13"],
     "Joint Benelux PESCO projects, 5th wave", "Gezamenlijke Benelux-PESCO-projecten, 5e golf", "Projets PESCO communs du Benelux, 5e vague",
     "Joint Benelux project proposals for the fifth PESCO wave (request 13)."),
]  # fmt: skip


def _seed_clauses() -> tuple[
    dict[str, dict[str, str]], dict[str, dict[str, str]], dict[str, list[str]]
]:
    """Recitals and requests per label and language, and the instruments each recital cites."""
    text = SEED_RESOLUTION.read_text(encoding="utf-8")
    cites: dict[str, list[str]] = {label: list(keys) for label, keys in RECITAL_CITES.items()}
    try:
        from bedeco.documents.engine import parse

        parsed = parse(text)
        recitals: dict[str, dict[str, str]] = {}
        requests: dict[str, dict[str, str]] = {}
        for version in parsed.versions:
            for clause in version.recitals:
                recitals.setdefault(clause.label, {})[version.lang] = clause.text
            for clause in version.requests:
                requests.setdefault(clause.label, {})[version.lang] = clause.text
        for ref in parsed.references:
            key = ENGINE_IDS.get(ref.id)
            if key and ref.provision.startswith(("recital_", "para_")):
                label = ref.provision.removeprefix("recital_").replace("para_", "#")
                if key not in cites.setdefault(label, []):
                    cites[label].append(key)
        if len(requests) == 16:
            return recitals, requests, cites
    except Exception:  # the engine is optional here; fall back to the reader below
        pass
    recitals, requests = read_seed(text)
    return recitals, requests, cites


def read_seed(text: str) -> tuple[dict[str, dict[str, str]], dict[str, dict[str, str]]]:
    """A small reader of the seed's layout: Dutch blocks come before their French ones; a
    label seen again starts the French text; requests follow the operative formula."""
    recitals: dict[str, dict[str, str]] = {}
    requests: dict[str, dict[str, str]] = {}
    for paragraph in re.split(r"\n\s*\n", text):
        line = " ".join(paragraph.split())
        recital = re.match(r"^([A-V])\. (.+)$", line)
        request = re.match(r"^(\d{1,2})\. (.+)$", line)
        if recital:
            label, body = recital.groups()
            lang = "fr" if "nl" in recitals.get(label, {}) else "nl"
            recitals.setdefault(label, {})[lang] = body
        elif request and 1 <= int(request.group(1)) <= 16:
            label, body = request.groups()
            lang = "fr" if "nl" in requests.get(label, {}) else "nl"
            requests.setdefault(label, {})[lang] = body
    return recitals, requests


def load(session: Session) -> Iterator[str]:
    """Load instruments, relations, the seed's provisions and commitments, and initiatives."""
    for key, kind, identifier, date, date_text, issuer, nl, fr, en in INSTRUMENTS:
        service.save_instrument(
            session,
            SYSTEM,
            key=key,
            kind=kind,
            identifier=identifier,
            issued_on=date or None,
            date_text=date_text,
            issuer={"en": issuer},
            title={"nl": nl, "fr": fr, "en": en},
            classification="PUBLIC",
        )
    for source, target, kind in RELATIONS:
        service.relate_instruments(session, SYSTEM, source_key=source, target_key=target, kind=kind)
    yield f"{len(INSTRUMENTS)} instruments, {len(RELATIONS)} relations"
    recitals, requests, cites = _seed_clauses()
    cited = sorted({key for keys in cites.values() for key in keys})
    commitments = service.record_provisions(
        session,
        SYSTEM,
        document_key=SEED_KEY,
        recitals=[
            ProvisionInput(label=label, text=texts, cites=cites.get(label, []))
            for label, texts in sorted(recitals.items())
        ],
        requests=[
            ProvisionInput(
                label=label,
                text=texts,
                cites=cites.get(f"#{label}", []),
                domains=REQUEST_DOMAINS.get(label, []),
            )
            for label, texts in sorted(requests.items(), key=lambda item: int(item[0]))
        ],
        cited_instruments=cited,
        classification="PUBLIC",
        responsible=["BEL"],
    )
    yield f"{len(recitals)} recitals and {len(commitments)} commitments from {SEED_KEY}"
    by_label = {c.key.rsplit("-", 1)[-1].lstrip("0"): c.key for c in commitments}
    from sqlalchemy import select

    created = 0
    for key, maturity, nations, domains, serves, en, nl, fr, description in INITIATIVES:
        if session.scalar(select(Initiative.id).where(Initiative.key == key)) is not None:
            continue
        service.create_initiative(
            session,
            SYSTEM,
            key=key,
            name={"en": en, "nl": nl, "fr": fr},
            description={"en": description},
            maturity=maturity,
            nations=nations,
            domains=domains,
            commitments=[by_label[n] for n in serves if n in by_label],
            illustrative=True,
            sources=ILLUSTRATIVE,
            classification="PUBLIC",
            releasable_to=(),
        )
        created += 1
    yield f"{created} illustrative initiatives ({len(INITIATIVES)} in the data set)"
