"""Import and export of the register as YAML or CSV, without loss.

Both formats carry the same flat tables (``TABLES``): one row per
instrument, relation, provision, commitment, history entry, evidence,
initiative and initiative entry. Multilingual text becomes one column per
language (``title_nl`` …), lists are joined with ``;``, dates and times are
ISO 8601 (UTC). YAML is one document ``{table: [rows]}``; CSV is a ZIP with one
``<table>.csv`` per table. Export holds only what the principal may see;
import needs a coordinator, keeps histories, authors, times and evidence
checksums exactly, and is idempotent by key.
"""

from __future__ import annotations

import csv
import datetime as dt
import hashlib
import io
import json
import zipfile
from collections.abc import Iterable
from pathlib import Path
from typing import Any

import yaml
from sqlalchemy import select
from sqlalchemy.orm import Session

from bedeco.audit.service import record_event
from bedeco.errors import InvalidInput
from bedeco.register import logic
from bedeco.register.access import (
    LANGS,
    MAX_EVIDENCE_BYTES,
    SHA256,
    EvidenceTooLarge,
    check_domains,
    check_key,
    check_marking,
    check_nations,
    marking_of,
    parse_date,
    require,
    store_evidence_file,
)
from bedeco.register.model import (
    Commitment,
    CommitmentDomain,
    Evidence,
    Initiative,
    InitiativeCommitment,
    InitiativeDomain,
    InitiativeEntry,
    Instrument,
    Provision,
    ProvisionCitation,
    StatusEntry,
)
from bedeco.register.queries import entries_of
from bedeco.register.service import (
    _index_commitment,
    _sort_title,
    list_instruments,
    list_relations,
)
from bedeco.security.logic import Action, Principal
from bedeco.security.restrict import restrict

FORMAT_VERSION = 1
TEXT = {
    "instruments": ("title", "issuer", "note"),
    "provisions": ("text",),
    "commitments": ("title", "description"),
    "initiatives": ("name", "description"),
}
COLUMNS: dict[str, list[str]] = {
    "instruments": [
        "key", "kind", "identifier", "issued_on", "date_text", "url",
        "classification", "releasable_to",
    ],
    "relations": ["source", "target", "kind"],
    "provisions": ["document_key", "kind", "label", "position", "instrument", "cites"],
    "commitments": [
        "key", "source", "provision", "status", "target_on", "nations", "domains",
        "classification", "releasable_to", "created_at", "updated_at",
    ],
    "entries": [
        "commitment", "seq", "at", "author", "nation", "from_status", "to_status",
        "comment", "changes",
    ],
    "initiatives": [
        "key", "maturity", "illustrative", "sources", "nations", "domains", "commitments",
        "classification", "releasable_to", "created_at", "updated_at",
    ],
    "initiative_entries": [
        "initiative", "seq", "at", "author", "nation", "from_maturity", "to_maturity",
        "comment", "changes",
    ],
    "evidence": [
        "owner", "record", "seq", "kind", "instrument_key", "reference", "file_name",
        "media_type", "size", "sha256",
    ],
}  # fmt: skip
for _table, _fields in TEXT.items():
    COLUMNS[_table] += [f"{f}_{lang}" for f in _fields for lang in LANGS]
TABLES = tuple(COLUMNS)


def _iso_time(value: dt.datetime) -> str:
    if value.tzinfo is None:
        value = value.replace(tzinfo=dt.UTC)
    return value.astimezone(dt.UTC).isoformat(timespec="microseconds")


def _parse_time(value: str, field_name: str) -> dt.datetime:
    try:
        parsed = dt.datetime.fromisoformat(str(value))
    except ValueError:
        raise InvalidInput(f"{field_name} must be an ISO 8601 time", field=field_name) from None
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=dt.UTC)


def _join(values: Iterable[str]) -> str:
    return ";".join(values)


def _split(value: Any) -> list[str]:
    if isinstance(value, list):
        return [str(v) for v in value]
    return [v for v in str(value or "").split(";") if v]


def _texts(row: dict[str, Any], record: Any, names: Iterable[str]) -> None:
    for name in names:
        value = getattr(record, name) or {}
        for lang in LANGS:
            row[f"{name}_{lang}"] = value.get(lang, "")


def _text_of(row: dict[str, Any], name: str) -> dict[str, str]:
    return {lang: str(row[f"{name}_{lang}"]) for lang in LANGS if row.get(f"{name}_{lang}")}


def _evidence_rows(
    owner: str, record: str, seq: int, items: list[Evidence]
) -> list[dict[str, Any]]:
    return [
        {
            "owner": owner,
            "record": record,
            "seq": seq,
            "kind": e.kind,
            "instrument_key": e.instrument_key,
            "reference": e.reference,
            "file_name": e.file_name,
            "media_type": e.media_type,
            "size": "" if e.size is None else e.size,
            "sha256": e.sha256,
        }
        for e in items
    ]


def export_data(session: Session, principal: Principal) -> dict[str, list[dict[str, Any]]]:
    """Every record of the register the principal may see, as flat tables."""
    data: dict[str, list[dict[str, Any]]] = {t: [] for t in TABLES}
    instruments = list_instruments(session, principal)
    keys = {i.id: i.key for i in instruments}
    for i in instruments:
        row: dict[str, Any] = {
            "key": i.key,
            "kind": i.kind,
            "identifier": i.identifier,
            "issued_on": i.issued_on.isoformat() if i.issued_on else "",
            "date_text": i.date_text,
            "url": i.url,
            "classification": i.classification,
            "releasable_to": _join(sorted(i.releasable_to)),
        }
        _texts(row, i, TEXT["instruments"])
        data["instruments"].append(row)
    data["relations"] = [
        {"source": r.source.key, "target": r.target.key, "kind": r.kind}
        for r in list_relations(session, principal)
    ]
    provisions = {}
    for p in session.scalars(
        select(Provision).order_by(Provision.document_key, Provision.kind, Provision.position)
    ):
        provisions[p.id] = f"{p.document_key}#{p.kind}#{p.label}"
        row = {
            "document_key": p.document_key,
            "kind": p.kind,
            "label": p.label,
            "position": p.position,
            "instrument": keys.get(p.instrument_id or -1, ""),
            "cites": _join(p.cites or []),
        }
        _texts(row, p, TEXT["provisions"])
        data["provisions"].append(row)
    commitments = list(
        session.scalars(
            restrict(select(Commitment), Commitment, principal).order_by(Commitment.key)
        )
    )
    commitment_keys = {c.id: c.key for c in commitments}
    for c in commitments:
        row = {
            "key": c.key,
            "source": keys.get(c.source_id or -1, ""),
            "provision": provisions.get(c.provision_id or -1, ""),
            "status": c.status,
            "target_on": c.target_on.isoformat() if c.target_on else "",
            "nations": _join(c.nations),
            "domains": _join(c.domains),
            "classification": c.classification,
            "releasable_to": _join(sorted(c.releasable_to)),
            "created_at": _iso_time(c.created_at),
            "updated_at": _iso_time(c.updated_at),
        }
        _texts(row, c, TEXT["commitments"])
        data["commitments"].append(row)
    grouped = entries_of(session, commitment_keys)
    for c in commitments:
        for seq, e in enumerate(grouped[c.id], start=1):
            data["entries"].append(
                {
                    "commitment": c.key,
                    "seq": seq,
                    "at": _iso_time(e.at),
                    "author": e.author,
                    "nation": e.nation,
                    "from_status": e.from_status or "",
                    "to_status": e.to_status,
                    "comment": e.comment,
                    "changes": json.dumps(e.changes or {}, sort_keys=True, ensure_ascii=False),
                }
            )
            data["evidence"] += _evidence_rows("commitment", c.key, seq, e.evidence)
    initiatives = list(
        session.scalars(
            restrict(select(Initiative), Initiative, principal).order_by(Initiative.key)
        )
    )
    initiative_entries: dict[int, list[InitiativeEntry]] = {}
    if initiatives:
        for entry in session.scalars(
            select(InitiativeEntry)
            .where(InitiativeEntry.initiative_id.in_([n.id for n in initiatives]))
            .order_by(InitiativeEntry.at, InitiativeEntry.id)
        ):
            initiative_entries.setdefault(entry.initiative_id, []).append(entry)
    for n in initiatives:
        row = {
            "key": n.key,
            "maturity": n.maturity,
            "illustrative": "yes" if n.illustrative else "no",
            "sources": n.sources,
            "nations": _join(n.nations),
            "domains": _join(n.domains),
            "commitments": _join(
                sorted(
                    commitment_keys[link.commitment_id]
                    for link in n.commitment_links
                    if link.commitment_id in commitment_keys
                )
            ),
            "classification": n.classification,
            "releasable_to": _join(sorted(n.releasable_to)),
            "created_at": _iso_time(n.created_at),
            "updated_at": _iso_time(n.updated_at),
        }
        _texts(row, n, TEXT["initiatives"])
        data["initiatives"].append(row)
        for seq, ie in enumerate(initiative_entries.get(n.id, []), start=1):
            data["initiative_entries"].append(
                {
                    "initiative": n.key,
                    "seq": seq,
                    "at": _iso_time(ie.at),
                    "author": ie.author,
                    "nation": ie.nation,
                    "from_maturity": "" if ie.from_maturity is None else ie.from_maturity,
                    "to_maturity": ie.to_maturity,
                    "comment": ie.comment,
                    "changes": json.dumps(ie.changes or {}, sort_keys=True, ensure_ascii=False),
                }
            )
            data["evidence"] += _evidence_rows("initiative", n.key, seq, ie.evidence)
    return data


def to_yaml(data: dict[str, list[dict[str, Any]]]) -> str:
    document = {"format": "bedeco-register", "version": FORMAT_VERSION, **data}
    return yaml.safe_dump(document, allow_unicode=True, sort_keys=False, width=100)


def from_yaml(text: str) -> dict[str, list[dict[str, Any]]]:
    try:
        document = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        raise InvalidInput(f"the file is not valid YAML: {exc}", field="file") from None
    if not isinstance(document, dict) or document.get("format") != "bedeco-register":
        raise InvalidInput("the file is not a bedeco register export", field="file")
    return {t: [_as_text_row(r) for r in document.get(t) or []] for t in TABLES}


def _as_text_row(row: Any) -> dict[str, Any]:
    if not isinstance(row, dict):
        raise InvalidInput("every row must be a mapping", field="file")
    return {str(k): "" if v is None else v for k, v in row.items()}


EVIDENCE_FOLDER = "evidence/"
"""Where a ZIP export carries the evidence files it cites, each named by its SHA-256."""


def to_csv_zip(data: dict[str, list[dict[str, Any]]], evidence: Path | None = None) -> bytes:
    """The tables as CSV files in a ZIP; with ``evidence`` (the folder of stored evidence
    files), also each file an exported evidence row cites, as ``evidence/<sha256>``."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for table in TABLES:
            text = io.StringIO()
            writer = csv.DictWriter(text, fieldnames=COLUMNS[table], lineterminator="\n")
            writer.writeheader()
            for row in data.get(table, []):
                writer.writerow({k: row.get(k, "") for k in COLUMNS[table]})
            archive.writestr(f"{table}.csv", text.getvalue())
        if evidence is not None:
            for digest in cited_files(data):
                path = evidence / digest
                if path.is_file():
                    archive.write(path, EVIDENCE_FOLDER + digest)
    return buffer.getvalue()


def cited_files(data: dict[str, list[dict[str, Any]]]) -> list[str]:
    """The checksums of the files the evidence rows cite, sorted."""
    return sorted({str(r["sha256"]) for r in data.get("evidence", []) if r.get("sha256")})


def evidence_files_of(content: bytes, cited: Iterable[str]) -> dict[str, bytes]:
    """The evidence files a ZIP export carries for the checksums in ``cited``, each checked:
    its name is its SHA-256, its content hashes to it, and it is at most 10 MiB."""
    wanted = set(cited)
    try:
        archive = zipfile.ZipFile(io.BytesIO(content))
    except zipfile.BadZipFile:
        raise InvalidInput("the CSV export must be a ZIP of CSV files", field="file") from None
    files: dict[str, bytes] = {}
    for info in archive.infolist():
        if not info.filename.startswith(EVIDENCE_FOLDER) or info.is_dir():
            continue
        digest = info.filename[len(EVIDENCE_FOLDER) :]
        if not SHA256.match(digest):
            raise InvalidInput(
                f"{info.filename}: an evidence file must be named by its SHA-256", field="file"
            )
        if digest not in wanted:
            continue
        if info.file_size > MAX_EVIDENCE_BYTES:
            raise EvidenceTooLarge(f"{info.filename}: larger than 10 MiB", field="file")
        payload = archive.read(info)
        if hashlib.sha256(payload).hexdigest() != digest:
            raise InvalidInput(
                f"{info.filename}: the content does not match its SHA-256", field="file"
            )
        files[digest] = payload
    return files


def keep_evidence_files(var_dir: Path, files: dict[str, bytes]) -> int:
    """Store imported evidence files beside the uploaded ones; how many there were."""
    for payload in files.values():
        store_evidence_file(var_dir, data=payload, file_name="imported")
    return len(files)


def from_csv_zip(content: bytes) -> dict[str, list[dict[str, Any]]]:
    try:
        archive = zipfile.ZipFile(io.BytesIO(content))
    except zipfile.BadZipFile:
        raise InvalidInput("the CSV export must be a ZIP of CSV files", field="file") from None
    data: dict[str, list[dict[str, Any]]] = {}
    names = set(archive.namelist())
    for table in TABLES:
        if f"{table}.csv" not in names:
            data[table] = []
            continue
        try:
            text = archive.read(f"{table}.csv").decode("utf-8")
        except (UnicodeDecodeError, zipfile.BadZipFile, OSError):
            raise InvalidInput(f"{table}.csv is not readable UTF-8 text", field="file") from None
        data[table] = [dict(r) for r in csv.DictReader(io.StringIO(text))]
    return data


def _instrument_id(session: Session, key: str) -> int | None:
    if not key:
        return None
    found = session.scalar(select(Instrument.id).where(Instrument.key == key))
    if found is None:
        raise InvalidInput(f"unknown instrument {key!r}", field="source")
    return found


def import_data(
    session: Session, principal: Principal, data: dict[str, list[dict[str, Any]]]
) -> dict[str, int]:
    """Load an export: create what is missing, update what exists (by key), add history entries
    not yet present. Needs a coordinator for every record imported. A row missing a column or
    holding a value of the wrong type is refused as ``InvalidInput``."""
    try:
        return _import(session, principal, data)
    except (KeyError, TypeError, ValueError, AttributeError) as exc:
        raise InvalidInput(f"the import has a malformed row: {exc!r}", field="file") from None


def _import(
    session: Session,
    principal: Principal,
    data: dict[str, list[dict[str, Any]]],
) -> dict[str, int]:
    from bedeco.register.service import relate_instruments, save_instrument

    done = dict.fromkeys(TABLES, 0)
    for row in data.get("instruments", []):
        save_instrument(
            session,
            principal,
            key=str(row["key"]),
            kind=str(row["kind"]),
            title=_text_of(row, "title"),
            identifier=str(row.get("identifier", "")),
            issued_on=str(row.get("issued_on") or "") or None,
            date_text=str(row.get("date_text", "")),
            issuer=_text_of(row, "issuer"),
            url=str(row.get("url", "")),
            note=_text_of(row, "note"),
            classification=str(row["classification"]),
            releasable_to=_split(row.get("releasable_to")),
        )
        done["instruments"] += 1
    for row in data.get("relations", []):
        relate_instruments(
            session,
            principal,
            source_key=str(row["source"]),
            target_key=str(row["target"]),
            kind=str(row["kind"]),
        )
        done["relations"] += 1
    provisions: dict[str, int] = {}
    for row in data.get("provisions", []):
        key = (str(row["document_key"]), str(row["kind"]), str(row["label"]))
        provision = session.scalar(
            select(Provision).where(
                Provision.document_key == key[0],
                Provision.kind == key[1],
                Provision.label == key[2],
            )
        )
        if provision is None:
            provision = Provision(document_key=key[0], kind=key[1], label=key[2])
            session.add(provision)
        provision.position = int(row.get("position") or 0)
        provision.text = _text_of(row, "text")
        provision.instrument_id = _instrument_id(session, str(row.get("instrument") or ""))
        provision.cites = _split(row.get("cites"))
        session.flush()
        for cited in provision.cites:
            cited_id = _instrument_id(session, cited)
            exists = session.scalar(
                select(ProvisionCitation.id).where(
                    ProvisionCitation.provision_id == provision.id,
                    ProvisionCitation.instrument_id == cited_id,
                )
            )
            if exists is None and cited_id is not None:
                session.add(ProvisionCitation(provision_id=provision.id, instrument_id=cited_id))
        provisions["#".join(key)] = provision.id
        done["provisions"] += 1
    evidence = _evidence_by_entry(data.get("evidence", []))
    commitments: dict[str, Commitment] = {}
    for row in data.get("commitments", []):
        commitments[str(row["key"])] = _import_commitment(session, principal, row, provisions)
        done["commitments"] += 1
    for row in data.get("entries", []):
        commitment = commitments.get(str(row["commitment"]))
        if commitment is None:
            raise InvalidInput(
                f"history of unknown commitment {row['commitment']!r}", field="entries"
            )
        if _add_entry(
            session,
            StatusEntry,
            "commitment_id",
            commitment.id,
            row,
            evidence.get(("commitment", commitment.key, int(row["seq"])), []),
        ):
            done["entries"] += 1
    for row in data.get("initiatives", []):
        initiative = _import_initiative(session, principal, row)
        done["initiatives"] += 1
        for entry_row in [
            r for r in data.get("initiative_entries", []) if r["initiative"] == row["key"]
        ]:
            if _add_entry(
                session,
                InitiativeEntry,
                "initiative_id",
                initiative.id,
                entry_row,
                evidence.get(("initiative", initiative.key, int(entry_row["seq"])), []),
            ):
                done["initiative_entries"] += 1
    session.flush()
    record_event(
        session,
        principal,
        action="register.import",
        object_type="register",
        object_id="import",
        change={k: v for k, v in done.items() if v},
    )
    return done


def _evidence_by_entry(rows: list[dict[str, Any]]) -> dict[tuple[str, str, int], list[Evidence]]:
    grouped: dict[tuple[str, str, int], list[Evidence]] = {}
    for row in rows:
        kind = str(row["kind"])
        if kind not in {k.value for k in logic.EvidenceKind}:
            raise InvalidInput(f"unknown evidence kind {kind!r}", field="evidence")
        size = row.get("size")
        grouped.setdefault((str(row["owner"]), str(row["record"]), int(row["seq"])), []).append(
            Evidence(
                kind=kind,
                instrument_key=str(row.get("instrument_key") or ""),
                reference=str(row.get("reference") or ""),
                file_name=str(row.get("file_name") or ""),
                media_type=str(row.get("media_type") or ""),
                size=int(size) if size not in (None, "") else None,
                sha256=str(row.get("sha256") or ""),
            )
        )
    return grouped


def _add_entry(
    session: Session,
    model: Any,
    owner_column: str,
    owner_id: int,
    row: dict[str, Any],
    evidence: list[Evidence],
) -> bool:
    at = _parse_time(row["at"], "at")
    status_columns = (
        ("from_status", "to_status") if model is StatusEntry else ("from_maturity", "to_maturity")
    )
    existing = session.scalars(
        select(model).where(
            getattr(model, owner_column) == owner_id, model.author == str(row["author"])
        )
    ).all()
    for entry in existing:
        stored = entry.at if entry.at.tzinfo else entry.at.replace(tzinfo=dt.UTC)
        if stored == at and str(getattr(entry, status_columns[1])) == str(row[status_columns[1]]):
            return False
    values: dict[str, Any] = {
        owner_column: owner_id,
        "at": at,
        "author": str(row["author"]),
        "nation": str(row.get("nation") or ""),
        "comment": str(row.get("comment") or ""),
        "changes": json.loads(row.get("changes") or "{}")
        if isinstance(row.get("changes"), str)
        else dict(row.get("changes") or {}),
        "evidence": evidence,
    }
    if model is StatusEntry:
        values["from_status"] = str(row.get("from_status") or "") or None
        values["to_status"] = str(row["to_status"])
    else:
        values["from_maturity"] = (
            int(row["from_maturity"]) if row.get("from_maturity") not in (None, "") else None
        )
        values["to_maturity"] = int(row["to_maturity"])
    session.add(model(**values))
    return True


def _import_commitment(
    session: Session, principal: Principal, row: dict[str, Any], provisions: dict[str, int]
) -> Commitment:
    key = check_key(str(row["key"]))
    level, rel = check_marking(str(row["classification"]), _split(row.get("releasable_to")))
    require(principal, marking_of(level, rel), Action.COORDINATE, "commitment")
    status = logic.parse_status(str(row["status"]))
    if status is None:
        raise InvalidInput(f"commitment {key}: unknown status", field="status")
    commitment = session.scalar(select(Commitment).where(Commitment.key == key))
    if commitment is None:
        commitment = Commitment(key=key)
    else:
        require(principal, commitment.marking, Action.COORDINATE, "commitment")
    commitment.title = _text_of(row, "title")
    commitment.description = _text_of(row, "description")
    commitment.sort_title = _sort_title(commitment.title)
    commitment.source_id = _instrument_id(session, str(row.get("source") or ""))
    provision_key = str(row.get("provision") or "")
    commitment.provision_id = provisions.get(provision_key) if provision_key else None
    if provision_key and commitment.provision_id is None:
        document_key, kind, label = ([*provision_key.split("#"), "", "", ""])[:3]
        commitment.provision_id = session.scalar(
            select(Provision.id).where(
                Provision.document_key == document_key,
                Provision.kind == kind,
                Provision.label == label,
            )
        )
    commitment.status = status.value
    commitment.target_on = parse_date(str(row.get("target_on") or "") or None, "target_on")
    commitment.set_nations(check_nations(_split(row.get("nations")), "nations"))
    commitment.set_marking(level, rel)
    codes = check_domains(_split(row.get("domains")))
    if sorted(commitment.domains) != codes:
        commitment.domain_links = [CommitmentDomain(domain=d) for d in codes]
    if row.get("created_at"):
        commitment.created_at = _parse_time(row["created_at"], "created_at")
    if row.get("updated_at"):
        commitment.updated_at = _parse_time(row["updated_at"], "updated_at")
    session.add(commitment)
    session.flush()
    _index_commitment(session, commitment)
    return commitment


def _import_initiative(session: Session, principal: Principal, row: dict[str, Any]) -> Initiative:
    from bedeco.register.initiatives import _commitment_ids, _index

    key = check_key(str(row["key"]))
    level, rel = check_marking(str(row["classification"]), _split(row.get("releasable_to")))
    require(principal, marking_of(level, rel), Action.COORDINATE, "initiative")
    initiative = session.scalar(select(Initiative).where(Initiative.key == key))
    if initiative is None:
        initiative = Initiative(key=key)
    else:
        require(principal, initiative.marking, Action.COORDINATE, "initiative")
    initiative.name = _text_of(row, "name")
    initiative.description = _text_of(row, "description")
    try:
        initiative.maturity = int(logic.Maturity(int(row["maturity"])))
    except (TypeError, ValueError):
        raise InvalidInput(f"initiative {key}: maturity must be 0 to 5", field="maturity") from None
    initiative.illustrative = str(row.get("illustrative", "")).lower() in ("yes", "true", "1")
    initiative.sources = str(row.get("sources") or "")
    initiative.set_nations(check_nations(_split(row.get("nations")), "nations"))
    initiative.set_marking(level, rel)
    codes = check_domains(_split(row.get("domains")))
    if sorted(initiative.domains) != codes:
        initiative.domain_links = [InitiativeDomain(domain=d) for d in codes]
    ids = _commitment_ids(session, principal, _split(row.get("commitments")))
    if sorted(link.commitment_id for link in initiative.commitment_links) != sorted(ids):
        initiative.commitment_links = [InitiativeCommitment(commitment_id=i) for i in ids]
    if row.get("created_at"):
        initiative.created_at = _parse_time(row["created_at"], "created_at")
    if row.get("updated_at"):
        initiative.updated_at = _parse_time(row["updated_at"], "updated_at")
    session.add(initiative)
    session.flush()
    _index(session, initiative)
    return initiative
