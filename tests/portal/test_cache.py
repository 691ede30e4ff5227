"""The page cache and the stamp reuse: bounded, keyed by stamp, one stamp read at a time."""

from __future__ import annotations

import asyncio
import datetime as dt
import time
from concurrent.futures import ThreadPoolExecutor
from types import SimpleNamespace
from typing import Any

from bedeco.portal import cache


def run(coroutine: Any) -> Any:
    """Run ``coroutine`` on a loop of its own in another thread (Playwright's sync API may hold
    this thread's loop when the browser tests share the worker)."""
    with ThreadPoolExecutor(1) as pool:
        return pool.submit(asyncio.run, coroutine).result()


def rendered(body: bytes = b"x") -> cache.Rendered:
    return cache.Rendered(body, "text/plain", '"e"', dt.datetime(2026, 1, 1, tzinfo=dt.UTC))


def test_entries_are_found_by_stamp_and_evicted_least_recently_used_first() -> None:
    pages = cache.PageCache(size=2)
    pages.put("a", "s1", rendered(b"a"))
    pages.put("b", "s1", rendered(b"b"))
    assert pages.get("a", "s1") is not None and pages.get("a", "s2") is None
    pages.put("c", "s1", rendered(b"c"))
    assert pages.get("b", "s1") is None and pages.get("a", "s1") is not None


def test_entries_expire_after_their_age_limit() -> None:
    pages = cache.PageCache(max_age=0.0)
    pages.put("a", "s1", rendered())
    time.sleep(0.01)
    assert pages.get("a", "s1") is None


def test_fifty_requests_with_an_old_stamp_start_one_read() -> None:
    reads: list[float] = []

    def read() -> object:
        time.sleep(0.05)
        reads.append(time.monotonic())
        return SimpleNamespace(token=f"t{len(reads)}", latest=None)

    state = SimpleNamespace(portal_stamp_ttl=0.2)
    request = SimpleNamespace(app=SimpleNamespace(state=state))

    async def burst() -> list[object]:
        return await asyncio.gather(*(cache.current_stamp(request, read) for _ in range(50)))  # type: ignore[arg-type]

    first = run(burst())
    assert len(reads) == 1 and {s.token for s in first} == {"t1"}  # type: ignore[attr-defined]
    state.portal_stamp = (time.monotonic() - 0.5, state.portal_stamp[1])  # older than the limit

    async def stale_burst() -> list[object]:
        answers = await asyncio.gather(*(cache.current_stamp(request, read) for _ in range(50)))  # type: ignore[arg-type]
        await state.portal_stamp_task
        return answers

    second = run(stale_burst())
    assert len(reads) == 2  # one refresh, while the held stamp answered meanwhile
    assert {s.token for s in second} == {"t1"}  # type: ignore[attr-defined]
    assert state.portal_stamp[1].token == "t2"


def test_with_no_reuse_every_request_reads_the_stamp() -> None:
    calls: list[int] = []
    state = SimpleNamespace(portal_stamp_ttl=0)
    request = SimpleNamespace(app=SimpleNamespace(state=state))

    def read() -> object:
        calls.append(1)
        return SimpleNamespace(token="t", latest=None)

    for _ in range(3):
        run(cache.current_stamp(request, read))  # type: ignore[arg-type]
    assert len(calls) == 3


def test_requests_that_miss_together_share_one_render() -> None:
    from starlette.requests import Request

    builds: list[int] = []
    state = SimpleNamespace(portal_stamp_ttl=60)
    app = SimpleNamespace(state=state)

    def make_request() -> Request:
        scope = {"type": "http", "method": "GET", "path": "/en/", "query_string": b"",
                 "headers": [(b"host", b"portal.test")], "scheme": "http",
                 "server": ("portal.test", 80), "app": app, "root_path": ""}  # fmt: skip
        return Request(scope)

    def build() -> tuple[bytes, str]:
        time.sleep(0.05)
        builds.append(1)
        return b"page", "text/html"

    def read() -> object:
        return SimpleNamespace(token="t", latest=None)

    async def burst() -> list[object]:
        return await asyncio.gather(
            *(cache.respond(make_request(), read_stamp=read, build=build) for _ in range(30))
        )

    answers = run(burst())
    assert len(builds) == 1
    assert {a.body for a in answers} == {b"page"}  # type: ignore[attr-defined]
    assert run(burst())[0].headers["x-portal-cache"] == "hit"  # type: ignore[attr-defined]
    assert len(builds) == 1
