"""Load run of the exchange on loopback: notices and answers posted by concurrent clients.

    python benchmarks/bench_exchange.py            # 200 notices, 600 answers, 30 clients
    python benchmarks/bench_exchange.py --quick    # 20 notices, 60 answers, 10 clients
    python benchmarks/bench_exchange.py --backend sqlite

For each backend (SQLite in a temporary file; PostgreSQL at
postgresql+psycopg://postgres@127.0.0.1:5432/test in a schema of its own,
dropped afterwards) a bedeco app is served by uvicorn on a free port of
127.0.0.1, in a thread of this process. Clients (threads with httpx) then:

1. draft and circulate the notices (two requests each), each releasable to all three nations;
2. answer every notice from both other nations at the same moment (the two
   answers to a notice are sent side by side), then revise half of the
   answers, which makes ``answers`` answer versions in all;
3. read the list now and then, as readers do.

Afterwards the database is checked: every notice, answer and answer version
is present exactly once, and the audit chain verifies. Throughput, p50/p95
latency and errors are printed, with the ratio against a baseline measured in
the same run (GET /api/v1/health from the same clients).

The tests run the same check, smaller (tests/exchange/test_concurrency.py).
"""

from __future__ import annotations

import argparse
import itertools
import os
import random
import shutil
import socket
import sys
import tempfile
import threading
import time
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx
from sqlalchemy import Engine, func, select, text

POSTGRES_URL = os.environ.get(
    "BEDECO_BENCH_POSTGRES_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/test"
)
NATIONS = ("BEL", "NLD", "LUX")
USERS_PER_NATION = 3


@dataclass
class Figures:
    """What a run measured and what the check found."""

    backend: str
    notices: int
    answers: int
    clients: int
    seconds: float = 0.0
    latencies: list[float] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    baseline_rps: float = 0.0
    problems: list[str] = field(default_factory=list)
    audit_events: int = 0
    server: str = "thread"

    @property
    def requests(self) -> int:
        return len(self.latencies)

    @property
    def rps(self) -> float:
        return self.requests / self.seconds if self.seconds else 0.0

    def percentile(self, p: float) -> float:
        if not self.latencies:
            return 0.0
        ordered = sorted(self.latencies)
        return ordered[min(len(ordered) - 1, round(p * (len(ordered) - 1)))]

    @property
    def ok(self) -> bool:
        return not self.errors and not self.problems

    def report(self) -> str:
        ratio = self.rps / self.baseline_rps if self.baseline_rps else 0.0
        lines = [
            f"[{self.backend}, server in a {self.server}] {self.notices} notices, {self.answers} answers, "
            f"{self.clients} clients",
            f"  requests {self.requests} in {self.seconds:.2f} s: {self.rps:.1f} req/s "
            f"(baseline GET /health {self.baseline_rps:.1f} req/s, ratio {ratio:.2f})",
            f"  latency p50 {self.percentile(0.5) * 1000:.1f} ms, "
            f"p95 {self.percentile(0.95) * 1000:.1f} ms, "
            f"max {max(self.latencies, default=0) * 1000:.1f} ms",
            f"  errors {len(self.errors)}" + (f" (first: {self.errors[0]})" if self.errors else ""),
            f"  audit events {self.audit_events}; check: "
            + (
                "every write present exactly once, audit chain verifies"
                if not self.problems
                else "; ".join(self.problems)
            ),
        ]
        return "\n".join(lines)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@contextmanager
def sqlite_engine() -> Iterator[tuple[Engine, str]]:
    from bedeco.db import make_engine
    from bedeco.migrate import upgrade

    folder = Path(tempfile.mkdtemp(prefix="bedeco-bench-"))
    url = f"sqlite:///{folder / 'bench.sqlite3'}"
    engine = make_engine(url)
    upgrade(engine)
    try:
        yield engine, url
    finally:
        engine.dispose()
        shutil.rmtree(folder, ignore_errors=True)


@contextmanager
def postgres_engine(url: str = POSTGRES_URL) -> Iterator[tuple[Engine, str]]:
    from bedeco.db import make_engine
    from bedeco.migrate import upgrade

    schema = f"bedeco_bench_{os.getpid()}_{random.randrange(10**6)}"
    admin = make_engine(url)
    with admin.begin() as connection:
        connection.execute(text(f'CREATE SCHEMA "{schema}"'))
    engine = make_engine(
        url,
        connect_args={"options": f"-csearch_path={schema}", "connect_timeout": 5},
        pool_size=20,
        max_overflow=20,
    )
    try:
        upgrade(engine)
        yield engine, f"{url}?options=-csearch_path%3D{schema}"
    finally:
        engine.dispose()
        with admin.begin() as connection:
            connection.execute(text(f'DROP SCHEMA IF EXISTS "{schema}" CASCADE'))
        admin.dispose()


SERVER = """
import sys
import uvicorn
from bedeco.config import Settings
from bedeco.web.app import create_app
url, folder, port = sys.argv[1], sys.argv[2], int(sys.argv[3])
app = create_app(
    Settings(database_url=url, var_dir=folder, secret_key="bench-" + "k" * 40, planning_worker=False)
)
uvicorn.run(app, host="127.0.0.1", port=port, log_level="warning", access_log=False)
"""


@contextmanager
def served_process(url: str, folder: Path) -> Iterator[str]:
    """The app served by uvicorn in a process of its own on a free port of 127.0.0.1."""
    import subprocess

    port = free_port()
    process = subprocess.Popen([sys.executable, "-c", SERVER, url, str(folder), str(port)])
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 60
    try:
        while True:
            try:
                if (
                    httpx.get(base + "/api/v1/health", timeout=2, trust_env=False).status_code
                    == 200
                ):
                    break
            except httpx.HTTPError:
                pass
            if process.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError("the server process did not start")
            time.sleep(0.2)
        yield base
    finally:
        process.terminate()
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            process.kill()


@contextmanager
def served(engine: Engine, folder: Path) -> Iterator[str]:
    """The app on a free port of 127.0.0.1, served by uvicorn in a thread."""
    import uvicorn

    from bedeco.config import Settings
    from bedeco.web.app import create_app

    settings = Settings(var_dir=folder, secret_key="bench-" + "k" * 40, planning_worker=False)
    app = create_app(settings, engine)
    port = free_port()
    server = uvicorn.Server(
        uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning", access_log=False)
    )
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 30
    while not server.started:
        if time.monotonic() > deadline:
            raise RuntimeError("the server did not start")
        time.sleep(0.02)
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        thread.join(timeout=15)


def make_people(engine: Engine) -> dict[str, list[str]]:
    """Contributors of each nation and their bearer tokens."""
    from bedeco.audit.service import SYSTEM
    from bedeco.runtime import unit_of_work
    from bedeco.security import service as security

    tokens: dict[str, list[str]] = {n: [] for n in NATIONS}
    with unit_of_work(engine) as session:
        for nation, index in itertools.product(NATIONS, range(USERS_PER_NATION)):
            name = f"bench-{nation.lower()}-{index}"
            security.add_user(
                session,
                SYSTEM,
                name=name,
                nation=nation,
                clearance="RESTRICTED",
                roles=["viewer", "contributor"],
                password=f"bench password {index} {nation}",
            )
            tokens[nation].append(security.issue_token(session, SYSTEM, name=name))
    return tokens


def notice_body(index: int) -> dict[str, Any]:
    return {
        "operation": f"Load run operation {index:04d}",
        "framework": "EU",
        "area": "Illustrative area",
        "period_start": "2027-03-01",
        "period_end": "2027-09-30",
        "answer_by": "2027-01-31",
        "contact": "Load run desk",
        "text": "Generated by the load run (illustrative).",
        "classification": "RESTRICTED",
        "releasable_to": list(NATIONS),
        "lines": [
            {
                "category": "logistics",
                "quantity": 1 + index % 7,
                "start_on": "2027-03-01",
                "end_on": "2027-09-30",
            }
        ],
    }


class Clients:
    """A pool of client threads sharing one timing record."""

    def __init__(self, base: str, size: int, figures: Figures) -> None:
        self.base = base
        self.figures = figures
        self.lock = threading.Lock()
        self.local = threading.local()
        self.pool = ThreadPoolExecutor(max_workers=size)
        self.clients: list[httpx.Client] = []

    def client(self) -> httpx.Client:
        if not hasattr(self.local, "client"):
            client = httpx.Client(base_url=self.base, timeout=60.0, trust_env=False)
            self.local.client = client
            with self.lock:
                self.clients.append(client)
        return self.local.client  # type: ignore[no-any-return]

    def call(self, method: str, path: str, token: str, body: Any = None) -> httpx.Response | None:
        started = time.perf_counter()
        try:
            response = self.client().request(
                method, path, json=body, headers={"Authorization": f"Bearer {token}"}
            )
        except httpx.HTTPError as exc:
            with self.lock:
                self.figures.errors.append(f"{method} {path}: {type(exc).__name__}: {exc}")
            return None
        elapsed = time.perf_counter() - started
        with self.lock:
            self.figures.latencies.append(elapsed)
            if response.status_code >= 300:
                self.figures.errors.append(
                    f"{method} {path}: {response.status_code} {response.text[:200]}"
                )
        return response

    def run_all(self, tasks: list[Callable[[], Any]]) -> list[Any]:
        return list(self.pool.map(lambda task: task(), tasks))

    def close(self) -> None:
        self.pool.shutdown(wait=True)
        for client in self.clients:
            client.close()


def drive(
    base: str, tokens: dict[str, list[str]], figures: Figures, seed: int = 7, baseline: int = 200
) -> None:
    """The load itself: notices, simultaneous answers, revisions, some reads."""
    rng = random.Random(seed)
    clients = Clients(base, figures.clients, figures)
    # baseline: the cheapest request the app answers, from the same clients
    started = time.perf_counter()
    clients.run_all([lambda: clients.client().get("/api/v1/health") for _ in range(baseline)])
    figures.baseline_rps = baseline / (time.perf_counter() - started)

    authors = [rng.choice(NATIONS) for _ in range(figures.notices)]

    def post_notice(index: int) -> tuple[int, str] | None:
        who = rng.choice(tokens[authors[index]])
        created = clients.call("POST", "/api/v1/notices", who, notice_body(index))
        if created is None or created.status_code != 201:
            return None
        notice_id = int(created.json()["id"])
        done = clients.call("POST", f"/api/v1/notices/{notice_id}/circulate", who, {"version": 1})
        if index % 10 == 0:
            clients.call("GET", "/api/v1/notices?page_size=25", who)
        return (notice_id, authors[index]) if done is not None else None

    started = time.perf_counter()
    posted = [
        p
        for p in clients.run_all([lambda i=i: post_notice(i) for i in range(figures.notices)])
        if p
    ]
    first_answers = [
        (notice_id, nation)
        for notice_id, author in posted
        for nation in NATIONS
        if nation != author
    ]
    first_answers = first_answers[: figures.answers]
    revisions = max(0, figures.answers - len(first_answers))

    def answer(notice_id: int, nation: str, version: int | None) -> None:
        kind = rng.choice(
            ["will_contribute", "considering", "not_contributing", "needs_information"]
        )
        body: dict[str, Any] = {"kind": kind, "version": version}
        if kind == "will_contribute":
            body["lines"] = [
                {
                    "category": "medical",
                    "quantity": 2,
                    "start_on": "2027-03-01",
                    "end_on": "2027-09-30",
                }
            ]
        if kind == "needs_information":
            body["question"] = "Which port of embarkation?"
        clients.call(
            "POST", f"/api/v1/notices/{notice_id}/answers", rng.choice(tokens[nation]), body
        )

    # the two answers to a notice are adjacent in the queue: they run at the same moment
    clients.run_all([lambda n=n, c=c: answer(n, c, None) for n, c in first_answers])
    clients.run_all([lambda n=n, c=c: answer(n, c, 1) for n, c in first_answers[:revisions]])
    figures.seconds = time.perf_counter() - started
    clients.close()
    figures.notices = len(posted)


def check(engine: Engine, figures: Figures, expected_notices: int, expected_answers: int) -> None:
    """Every write present exactly once; the audit chain verifies."""
    from bedeco.audit.model import AuditEvent
    from bedeco.audit.service import verify_chain
    from bedeco.exchange.model import (
        ExchangeAnswer,
        ExchangeAnswerVersion,
        ExchangeNotice,
        ExchangeNoticeVersion,
    )
    from bedeco.runtime import unit_of_work

    with unit_of_work(engine) as session:
        notices = session.scalar(select(func.count()).select_from(ExchangeNotice)) or 0
        operations = (
            session.scalar(select(func.count(func.distinct(ExchangeNotice.operation)))) or 0
        )
        circulated = (
            session.scalar(
                select(func.count()).where(
                    ExchangeNotice.status == "circulated", ExchangeNotice.version == 2
                )
            )
            or 0
        )
        notice_versions = session.scalar(select(func.count()).select_from(ExchangeNoticeVersion))
        answers = session.scalar(select(func.count()).select_from(ExchangeAnswer)) or 0
        answer_versions = (
            session.scalar(select(func.count()).select_from(ExchangeAnswerVersion)) or 0
        )
        pairs = session.scalar(
            select(func.count()).select_from(
                select(ExchangeAnswer.notice_id, ExchangeAnswer.nation).distinct().subquery()
            )
        )
        events = {
            action: count
            for action, count in session.execute(
                select(AuditEvent.action, func.count()).group_by(AuditEvent.action)
            )
        }
        chain = verify_chain(session)
    first = min(expected_answers, 2 * expected_notices)
    wanted = {
        "notices": (notices, expected_notices),
        "distinct operations": (operations, expected_notices),
        "circulated at version 2": (circulated, expected_notices),
        "notice versions": (notice_versions, 2 * expected_notices),
        "answers": (answers, first),
        "distinct (notice, nation) answers": (pairs, first),
        "answer versions": (answer_versions, expected_answers),
        "audit notice.create": (events.get("notice.create", 0), expected_notices),
        "audit notice.circulate": (events.get("notice.circulate", 0), expected_notices),
        "audit answer.given": (events.get("answer.given", 0), first),
        "audit answer.revised": (events.get("answer.revised", 0), expected_answers - first),
    }
    for name, (got, want) in wanted.items():
        if got != want:
            figures.problems.append(f"{name}: {got}, expected {want}")
    if not chain.ok:
        figures.problems.append(f"audit chain broken at {chain.broken_at}")
    figures.audit_events = chain.count


def run(
    backend: str,
    notices: int,
    answers: int,
    clients: int,
    baseline: int = 200,
    server: str = "thread",
) -> Figures:
    """One bounded load run on one backend, with its check."""
    figures = Figures(
        backend=backend, notices=notices, answers=answers, clients=clients, server=server
    )
    opener = sqlite_engine if backend == "sqlite" else postgres_engine
    folder = Path(tempfile.mkdtemp(prefix="bedeco-bench-var-"))
    try:
        with opener() as (engine, url):
            tokens = make_people(engine)
            serving = served(engine, folder) if server == "thread" else served_process(url, folder)
            with serving as base:
                drive(base, tokens, figures, baseline=baseline)
            check(engine, figures, notices, answers)
    finally:
        shutil.rmtree(folder, ignore_errors=True)
    return figures


def postgres_answers() -> bool:
    try:
        with socket.create_connection(("127.0.0.1", 5432), timeout=0.5):
            return True
    except OSError:
        return False


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--quick", action="store_true", help="20 notices, 60 answers, 10 clients")
    parser.add_argument("--backend", choices=["sqlite", "postgresql", "both"], default="both")
    parser.add_argument(
        "--server",
        choices=["process", "thread"],
        default="process",
        help="serve from a process of its own (default) or a thread beside the clients",
    )
    args = parser.parse_args(argv)
    notices, answers, clients = (20, 60, 10) if args.quick else (200, 600, 30)
    backends = ["sqlite", "postgresql"] if args.backend == "both" else [args.backend]
    failed = False
    for backend in backends:
        if backend == "postgresql" and not postgres_answers():
            print(f"[postgresql] skipped: nothing answers at {POSTGRES_URL}")
            failed = True
            continue
        figures = run(backend, notices, answers, clients, server=args.server)
        print(figures.report(), flush=True)
        failed = failed or not figures.ok
    return 1 if failed else 0


if __name__ == "__main__":
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "src"))
    sys.exit(main())
