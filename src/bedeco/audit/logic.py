"""Hash chain rules of the audit log, pure.

Each event's hash covers its own fields and the previous event's hash, so a
changed, deleted or reordered row breaks the chain at a sequence number that
``first_broken_link`` names.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

GENESIS = "0" * 64


def canonical(value: Any) -> str:
    """Stable JSON: sorted keys, no spaces, non-ASCII kept, dates as ISO strings."""
    return json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False, default=str)


def digest_of_change(change: dict[str, Any]) -> str:
    return hashlib.sha256(canonical(change).encode()).hexdigest()


@dataclass(frozen=True)
class EventFields:
    """What an event's hash covers."""

    seq: int
    at: str
    actor: str
    nation: str
    action: str
    object_type: str
    object_id: str
    digest: str
    prev_hash: str

    def compute_hash(self) -> str:
        payload = canonical(
            {
                "seq": self.seq,
                "at": self.at,
                "actor": self.actor,
                "nation": self.nation,
                "action": self.action,
                "object_type": self.object_type,
                "object_id": self.object_id,
                "digest": self.digest,
                "prev_hash": self.prev_hash,
            }
        )
        return hashlib.sha256(payload.encode()).hexdigest()


@dataclass(frozen=True)
class StoredEvent:
    """An event as read back: its fields and the hash it claims."""

    fields: EventFields
    hash: str


def first_broken_link(events: Iterable[StoredEvent]) -> int | None:
    """The sequence number of the first event that does not chain, or None when intact.

    Events come in storage order. A link breaks when the sequence is not the
    next number (a deleted row: the missing number is named), the event does
    not point at its predecessor's hash, or its own hash does not match its
    fields (a changed or moved row).
    """
    expected_seq = 1
    previous = GENESIS
    for event in events:
        fields = event.fields
        if (
            fields.seq != expected_seq
            or fields.prev_hash != previous
            or fields.compute_hash() != event.hash
        ):
            return expected_seq
        previous = event.hash
        expected_seq += 1
    return None
