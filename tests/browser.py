"""Browser fixtures: a live bedeco server on loopback and Debian's headless Chromium via Playwright.

The root conftest registers this module as a plugin, so every test module
can take ``live_server``, ``browser`` and ``page`` as arguments without
importing them (an import would define a second session fixture and start a
second Playwright in the same thread). Import only helpers such as
``sign_in``. Every test using them carries the ``browser`` marker.
"""

from __future__ import annotations

import os
import shutil
import socket
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pytest
import uvicorn
from sqlalchemy import Engine

from bedeco.config import Settings
from bedeco.db import make_engine
from bedeco.reference import load_all
from bedeco.runtime import unit_of_work
from tests.factories import PASSWORD, make_user

CHROMIUM = os.environ.get("BEDECO_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless=new",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-dev-shm-usage",
]

LIVE_USERS = {
    # name: (nation, clearance, roles)
    "bel-viewer": ("BEL", "UNCLASSIFIED", ("viewer",)),
    "bel-contributor": ("BEL", "RESTRICTED", ("viewer", "contributor")),
    "bel-coordinator": ("BEL", "RESTRICTED", ("viewer", "contributor", "coordinator")),
    "nld-contributor": ("NLD", "RESTRICTED", ("viewer", "contributor")),
    "nld-coordinator": ("NLD", "RESTRICTED", ("viewer", "contributor", "coordinator")),
    "lux-contributor": ("LUX", "RESTRICTED", ("viewer", "contributor")),
    "lux-coordinator": ("LUX", "RESTRICTED", ("viewer", "contributor", "coordinator")),
}


@dataclass
class LiveServer:
    url: str
    engine: Engine
    password: str = PASSWORD
    users: dict[str, tuple[str, str, tuple[str, ...]]] = field(default_factory=dict)


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@pytest.fixture(scope="session")
def live_server(
    sqlite_template: Path, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[LiveServer]:
    """bedeco with the reference data and test users, served by uvicorn in a thread."""
    from bedeco.web.app import create_app

    folder = tmp_path_factory.mktemp("live")
    path = folder / "live.sqlite3"
    shutil.copy(sqlite_template, path)
    engine = make_engine(f"sqlite:///{path}")
    with unit_of_work(engine) as session:
        for _line in load_all(session):
            pass
    for name, (nation, clearance, roles) in LIVE_USERS.items():
        make_user(engine, name, nation=nation, clearance=clearance, roles=roles)
    settings = Settings(var_dir=folder / "var", secret_key="live-secret-" + "y" * 32)
    app = create_app(settings, engine)
    port = _free_port()
    config = uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning")
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 20
    while not server.started:
        if time.monotonic() > deadline:
            raise RuntimeError("the live server did not start")
        time.sleep(0.05)
    yield LiveServer(url=f"http://127.0.0.1:{port}", engine=engine, users=dict(LIVE_USERS))
    server.should_exit = True
    thread.join(timeout=10)
    engine.dispose()


@pytest.fixture(scope="session")
def browser() -> Iterator[object]:
    """Debian's Chromium driven by Playwright (no browser download)."""
    if not Path(CHROMIUM).exists():
        if os.environ.get("BEDECO_REQUIRE_BROWSER"):
            pytest.fail(f"no Chromium at {CHROMIUM}; install Debian's chromium")
        pytest.skip(f"no Chromium at {CHROMIUM}")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        instance = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield instance
        instance.close()


@pytest.fixture
def page(browser: object, live_server: LiveServer) -> Iterator[object]:
    """A fresh browser context (no cookies) per test, with the live server as base URL."""
    context = browser.new_context(base_url=live_server.url, locale="en-GB")  # type: ignore[attr-defined]
    tab = context.new_page()
    tab.set_default_timeout(15_000)
    yield tab
    context.close()


def sign_in(page: object, live_server: LiveServer, name: str) -> None:
    """Sign in through the login page as ``name``."""
    page.goto("/login")  # type: ignore[attr-defined]
    page.get_by_label("User name").fill(name)  # type: ignore[attr-defined]
    page.get_by_label("Password").fill(live_server.password)  # type: ignore[attr-defined]
    page.get_by_role("button", name="Sign in").click()  # type: ignore[attr-defined]
    page.wait_for_url(f"{live_server.url}/**")  # type: ignore[attr-defined]
