"""Fixtures of the portal's tests: an app with the reference data, and non-public records
seeded through the register's services with a marker string in every text field."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import Engine

from bedeco.register import service as register
from bedeco.register.access import EvidenceInput
from bedeco.runtime import unit_of_work
from bedeco.security.logic import Classification, Nation, Principal, Role

MARK = "zqxleak"
"""Appears in every text field of every non-public record, and nowhere else."""

INSIDER = Principal(
    user_id=4242,
    name=f"{MARK}-author",
    nation=Nation.BEL,
    clearance=Classification.RESTRICTED,
    roles=frozenset({Role.VIEWER, Role.CONTRIBUTOR, Role.COORDINATOR}),
)
SEED = "be-chamber-56-0367"


def text(field: str) -> dict[str, str]:
    return {lang: f"{MARK}-{field}-{lang} helicopter" for lang in ("nl", "fr", "de", "en")}


@dataclass(frozen=True)
class Secrets:
    instrument_key: str
    initiative_key: str
    commitment_keys: tuple[str, ...]


def seed_non_public(engine: Engine) -> Secrets:
    """Restricted and unclassified records in the register, tied to public ones where the
    register allows it: a restricted commitment on the seed resolution's request 1, overdue
    and with history and evidence; a restricted instrument related to public ones; a
    restricted initiative serving a public commitment; a public initiative serving a restricted
    commitment; public history entries whose evidence names the restricted instrument."""
    keys = []
    with unit_of_work(engine) as session:
        register.save_instrument(
            session, INSIDER, key=f"{MARK}-instrument", kind="agreement",
            title=text("instrument-title"), identifier=f"{MARK}-id", issued_on="2019-05-05",
            date_text=f"{MARK}-date", issuer=text("issuer"), url=f"https://{MARK}.example/x",
            note=text("note"), classification="RESTRICTED", releasable_to=["BEL", "NLD"],
        )  # fmt: skip
        register.relate_instruments(
            session, INSIDER, source_key=SEED, target_key=f"{MARK}-instrument", kind="cites"
        )
        register.relate_instruments(
            session, INSIDER, source_key=f"{MARK}-instrument", target_key="rec-936-2", kind="cites"
        )
        provisions = register.list_provisions(session, document_key=SEED, kind="request")
        for level, nations in (("RESTRICTED", ["BEL"]), ("UNCLASSIFIED", ["BEL", "NLD", "LUX"])):
            key = f"{SEED}/{MARK}-{level.lower()}"
            commitment = register.create_commitment(
                session, INSIDER, key=key, title=text(f"title-{level}"),
                description=text(f"description-{level}"), source_key=SEED,
                provision_id=provisions[0].id, nations=["BEL", "LUX"], domains=["cyber", "space"],
                target_on=dt.date(2020, 1, 1), classification=level, releasable_to=nations,
                comment=f"{MARK}-created",
            )  # fmt: skip
            register.change_status(
                session, INSIDER, commitment_id=commitment.id, status="under_study",
                expected_version=None, comment=f"{MARK}-comment",
                evidence=[
                    EvidenceInput(kind="link", reference=f"https://{MARK}.example/evidence"),
                    EvidenceInput(kind="document", reference=f"{MARK}-document"),
                    EvidenceInput(kind="instrument", instrument_key=f"{MARK}-instrument"),
                ],
            )  # fmt: skip
            keys.append(key)
        public = register.get_commitment_by_key(session, INSIDER, key=f"{SEED}/request-01")
        register.add_note(
            session, INSIDER, commitment_id=public.id, expected_version=None,
            comment="Public progress noted.",
            evidence=[EvidenceInput(kind="instrument", instrument_key=f"{MARK}-instrument")],
        )  # fmt: skip
        register.create_initiative(
            session, INSIDER, key=f"{MARK}-initiative", name=text("initiative-name"),
            description=text("initiative-description"), maturity=2, nations=["BEL", "NLD"],
            domains=["cyber"], commitments=[f"{SEED}/request-01", keys[0]],
            sources=f"{MARK}-sources", classification="RESTRICTED", releasable_to=["BEL"],
            comment=f"{MARK}-initiative-comment",
        )  # fmt: skip
        register.create_initiative(
            session, INSIDER, key="public-with-secret-link", name={"en": "Public initiative"},
            maturity=1, commitments=[keys[0]], classification="PUBLIC", releasable_to=(),
        )  # fmt: skip
    return Secrets(f"{MARK}-instrument", f"{MARK}-initiative", tuple(keys))


@pytest.fixture
def portal_app(app_factory: Any) -> tuple[Any, Engine]:
    """An app with the reference data (the seed resolution, instruments, initiatives); the
    register's stamp is read on every request, so a change shows at once."""
    app, engine = app_factory(reference=True)
    app.state.portal_stamp_ttl = 0
    return app, engine


@pytest.fixture
def portal(portal_app: tuple[Any, Engine]) -> Iterator[TestClient]:
    app, _engine = portal_app
    with TestClient(app) as client:
        yield client


@pytest.fixture(scope="module")
def shared_portal(
    sqlite_template: Any, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[TestClient]:
    """One app with the reference data for a whole module of read-only tests."""
    import shutil

    from bedeco.config import Settings
    from bedeco.db import make_engine
    from bedeco.reference import load_all
    from bedeco.web.app import create_app

    folder = tmp_path_factory.mktemp("portal")
    shutil.copy(sqlite_template, folder / "portal.sqlite3")
    engine = make_engine(f"sqlite:///{folder / 'portal.sqlite3'}")
    with unit_of_work(engine) as session:
        for _line in load_all(session):
            pass
    app = create_app(Settings(var_dir=folder / "var", secret_key="portal-" + "z" * 32), engine)
    with TestClient(app) as client:
        yield client
    engine.dispose()
