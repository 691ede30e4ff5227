"""The load run, smaller, on every test run: concurrent clients, every write exactly once.

It runs the same code as ``benchmarks/bench_exchange.py`` (20 notices, 60
answers, 10 client threads against uvicorn on 127.0.0.1), on SQLite and, where
it answers, PostgreSQL; the check counts every notice, answer and version and
verifies the audit chain.
"""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path
from types import ModuleType

import pytest

from tests.conftest import postgres_url

BENCH = Path(__file__).resolve().parents[2] / "benchmarks" / "bench_exchange.py"


def bench() -> ModuleType:
    spec = importlib.util.spec_from_file_location("bench_exchange", BENCH)
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    sys.modules.setdefault("bench_exchange", module)
    spec.loader.exec_module(module)
    return module


@pytest.mark.parametrize(
    "backend", ["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)]
)
def test_concurrent_notices_and_simultaneous_answers_all_land_exactly_once(backend: str) -> None:
    module = bench()
    if backend == "postgresql":
        url = postgres_url()
        if url is None:
            pytest.skip("no PostgreSQL server answers")
    figures = module.run(backend, notices=20, answers=60, clients=10, baseline=10)
    assert figures.errors == []
    assert figures.problems == []
    assert figures.requests == 20 * 2 + 2 + 60
    assert figures.audit_events >= 20 * 2 + 60
