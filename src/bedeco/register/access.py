"""Helpers the register's services share: markings, access checks, inputs, the evidence store."""

from __future__ import annotations

import datetime as dt
import hashlib
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from bedeco.config import get_settings
from bedeco.errors import (
    ClassificationAboveDeployment,
    DomainError,
    InvalidInput,
    NotFound,
    NotPermitted,
)
from bedeco.i18n import N_
from bedeco.register import logic
from bedeco.security.logic import (
    Action,
    Classification,
    Marking,
    Nation,
    Principal,
    marking_is_valid,
    may,
    within_deployment,
)

LANGS = ("nl", "fr", "de", "en")
MAX_EVIDENCE_BYTES = 10 * 1024 * 1024
"""Largest evidence file accepted (10 MiB); larger uploads get HTTP 413."""
SHA256 = re.compile(r"^[0-9a-f]{64}$")
KEY = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._/-]{0,119}$")


class EvidenceTooLarge(DomainError):
    """An uploaded evidence file exceeds ``MAX_EVIDENCE_BYTES``."""

    status_code = 413
    code = "too_large"


@dataclass(frozen=True)
class EvidenceInput:
    """One piece of evidence as given by a form, the API or an import."""

    kind: str
    instrument_key: str = ""
    reference: str = ""
    file_name: str = ""
    media_type: str = ""
    size: int | None = None
    sha256: str = ""


@dataclass(frozen=True)
class ProvisionInput:
    """A labelled clause handed over by the documents service: ``text`` per language,
    ``cites`` the instrument keys it cites, ``domains`` the taxonomy codes it concerns."""

    label: str
    text: Mapping[str, str]
    cites: list[str] = field(default_factory=list)
    domains: list[str] = field(default_factory=list)


def check_marking(
    classification: str, releasable_to: Iterable[str], *, highest: Classification | None = None
) -> tuple[str, frozenset[str]]:
    """A valid marking within the deployment's highest level, or a named ``InvalidInput``."""
    try:
        level = Classification(str(classification).strip().upper())
    except ValueError:
        allowed = ", ".join(c.value for c in Classification)
        raise InvalidInput(
            N_("classification must be one of {allowed}"),
            field="classification",
            values={"allowed": allowed},
        ) from None
    highest = highest or get_settings().max_classification
    if not within_deployment(level, highest):
        raise ClassificationAboveDeployment(
            f"this deployment holds nothing above {highest.value}", field="classification"
        )
    nations = frozenset(n.strip().upper() for n in releasable_to if n and n.strip())
    unknown = nations - {n.value for n in Nation}
    if unknown:
        raise InvalidInput(
            N_("releasability names unknown nations: {nations}"),
            field="releasable_to",
            values={"nations": ", ".join(sorted(unknown))},
        )
    if level is not Classification.PUBLIC and not nations:
        raise InvalidInput(
            N_("a record that is not PUBLIC must be releasable to at least one nation"),
            field="releasable_to",
        )
    return level.value, nations


def check_nations(nations: Iterable[str], field_name: str) -> list[str]:
    chosen = sorted({n.strip().upper() for n in nations if n and n.strip()})
    unknown = [n for n in chosen if n not in {x.value for x in Nation}]
    if unknown:
        raise InvalidInput(
            N_("unknown nations: {nations}"),
            field=field_name,
            values={"nations": ", ".join(unknown)},
        )
    return chosen


def check_domains(domains: Iterable[str]) -> list[str]:
    try:
        return [d.value for d in logic.parse_domains(domains)]
    except ValueError as exc:
        allowed = ", ".join(d.value for d in logic.Domain)
        raise InvalidInput(
            N_("unknown domain {domain}; use one of {allowed}"),
            field="domains",
            values={"domain": str(exc), "allowed": allowed},
        ) from None


def check_text(
    value: Mapping[str, str] | None, field_name: str, *, required: bool
) -> dict[str, str]:
    clean = {
        lang: str(text).strip()
        for lang, text in (value or {}).items()
        if lang in LANGS and text and str(text).strip()
    }
    if required and not clean:
        raise InvalidInput(N_("Give a text in at least one language."), field=field_name)
    for lang, text in clean.items():
        if len(text) > 20_000:
            raise InvalidInput(
                N_("The text in {lang} is too long (at most 20,000 characters)."),
                field=field_name,
                values={"lang": lang},
            )
    return clean


def check_key(key: str, field_name: str = "key") -> str:
    key = key.strip()
    if not KEY.match(key):
        raise InvalidInput(
            N_("a key is 1 to 120 letters, digits, '.', '_', '/' or '-'"), field=field_name
        )
    return key


def parse_date(value: str | dt.date | None, field_name: str) -> dt.date | None:
    if value is None or value == "":
        return None
    if isinstance(value, dt.date):
        return value
    try:
        return dt.date.fromisoformat(str(value).strip())
    except ValueError:
        raise InvalidInput(N_("Give a date as YYYY-MM-DD."), field=field_name) from None


MAX_ID = 2**31 - 1


def valid_id(value: int) -> bool:
    """Ids outside the 32-bit range cannot exist; checking first spares the database a bad query."""
    return 1 <= value <= MAX_ID


def marking_of(level: str, nations: Iterable[str]) -> Marking:
    return Marking.of(level, nations)


def is_system(principal: Principal) -> bool:
    """The set-up principal (reference data, CLI imports): ``bedeco.audit.service.SYSTEM``."""
    return principal.user_id == 0 and principal.name == "system" and principal.nation is None


def can(principal: Principal, marking: Marking, action: Action) -> bool:
    """The foundation's rule, with set-up work (``SYSTEM``) allowed on valid markings."""
    if is_system(principal):
        return marking_is_valid(marking)
    return may(principal, marking, action)


def require(principal: Principal, marking: Marking, action: Action, what: str) -> None:
    """NotFound when the record may not be seen; NotPermitted when seen but not to be changed."""
    if not can(principal, marking, Action.VIEW):
        raise NotFound(f"no such {what}")
    if action is not Action.VIEW and not can(principal, marking, action):
        if principal.is_anonymous:
            from bedeco.errors import NotAuthenticated

            raise NotAuthenticated("sign in first")
        raise NotPermitted(N_("Your role does not allow this change."))


def author_of(principal: Principal) -> tuple[str, str]:
    return principal.name, principal.nation.value if principal.nation else ""


def evidence_dir(var_dir: Path) -> Path:
    return var_dir / "evidence"


def store_evidence_file(
    var_dir: Path, *, data: bytes, file_name: str, media_type: str = ""
) -> EvidenceInput:
    """Keep an uploaded file under ``var/evidence/<sha256>`` and describe it as evidence."""
    if not data:
        raise InvalidInput(N_("the evidence file is empty"), field="evidence_file")
    if len(data) > MAX_EVIDENCE_BYTES:
        raise EvidenceTooLarge(
            f"the evidence file is larger than {MAX_EVIDENCE_BYTES // (1024 * 1024)} MiB",
            field="evidence_file",
        )
    digest = hashlib.sha256(data).hexdigest()
    folder = evidence_dir(var_dir)
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / digest
    if not path.exists():
        partial = folder / f".{digest}.part"
        partial.write_bytes(data)
        partial.replace(path)
    name = Path(file_name or "evidence").name[:255]
    return EvidenceInput(
        kind=logic.EvidenceKind.FILE.value,
        file_name=name,
        media_type=(media_type or "application/octet-stream")[:100],
        size=len(data),
        sha256=digest,
    )


def evidence_file_path(var_dir: Path, sha256: str) -> Path:
    if not SHA256.match(sha256):
        raise NotFound("no such evidence file")
    path = evidence_dir(var_dir) / sha256
    if not path.exists():
        raise NotFound("no such evidence file")
    return path


def evidence_from_mapping(data: Mapping[str, Any]) -> EvidenceInput:
    return EvidenceInput(
        kind=str(data.get("kind", "")),
        instrument_key=str(data.get("instrument_key") or ""),
        reference=str(data.get("reference") or ""),
        file_name=str(data.get("file_name") or ""),
        media_type=str(data.get("media_type") or ""),
        size=int(data["size"]) if data.get("size") not in (None, "") else None,
        sha256=str(data.get("sha256") or ""),
    )
