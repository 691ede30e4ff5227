"""Rendered portal responses, cached per URL and keyed by the register's change stamp.

A page is rendered once per change of what the public may see: the key is
the URL (path and query) and the entry is valid while the register's stamp
is the same and for at most ``max_age`` seconds (instrument texts carry no
change time, so an edit of one alone shows within that limit). Entries are
bounded in number and evicted least recently used first. Every answer,
cached or not, carries an ``ETag`` (hash of the body) and ``Last-Modified``
(the newest public change, or the process start when later), and a
conditional GET that matches gets 304 without a body.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import threading
import time
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from fastapi import Request
from fastapi.responses import Response
from starlette.concurrency import run_in_threadpool

from bedeco.portal import logic

STARTED = dt.datetime.now(dt.UTC).replace(microsecond=0)
STAMP_TTL = 1.0
"""Seconds the register's change stamp is reused before it is asked again (``app.state.
portal_stamp_ttl`` overrides): a public change shows within this time, and a page served from
the cache meanwhile needs neither a thread nor a query."""
CACHE_CONTROL = "public, no-cache"
"""Stored by browsers and proxies but revalidated each time: a 304 costs little."""


@dataclass(frozen=True)
class Rendered:
    body: bytes
    media_type: str
    etag: str
    last_modified: dt.datetime
    headers: tuple[tuple[str, str], ...] = ()


class PageCache:
    """A bounded LRU of rendered responses; thread-safe (handlers run in a thread pool)."""

    def __init__(self, size: int = 512, max_age: float = 30.0) -> None:
        self.size = size
        self.max_age = max_age
        self._lock = threading.Lock()
        self._entries: OrderedDict[str, tuple[str, float, Rendered]] = OrderedDict()
        self.hits = 0
        self.misses = 0

    def get(self, key: str, token: str) -> Rendered | None:
        with self._lock:
            found = self._entries.get(key)
            if found is None or found[0] != token or time.monotonic() - found[1] > self.max_age:
                self.misses += 1
                return None
            self._entries.move_to_end(key)
            self.hits += 1
            return found[2]

    def put(self, key: str, token: str, rendered: Rendered) -> None:
        with self._lock:
            self._entries[key] = (token, time.monotonic(), rendered)
            self._entries.move_to_end(key)
            while len(self._entries) > self.size:
                self._entries.popitem(last=False)

    def clear(self) -> None:
        with self._lock:
            self._entries.clear()


def page_cache(request: Request) -> PageCache:
    """The app's portal cache, made on first use (``app.state.portal_cache``)."""
    state = request.app.state
    cache = getattr(state, "portal_cache", None)
    if cache is None:
        with _MAKE_LOCK:
            cache = getattr(state, "portal_cache", None)
            if cache is None:
                cache = PageCache()
                state.portal_cache = cache
    return cache


_MAKE_LOCK = threading.Lock()


Build = Callable[[], tuple[bytes, str] | tuple[bytes, str, tuple[tuple[str, str], ...]]]


def _render(build: Build, latest: dt.datetime | None) -> Rendered:
    built = build()
    body, media_type = built[0], built[1]
    extra = built[2] if len(built) > 2 else ()
    modified = max(latest.replace(microsecond=0), STARTED) if latest else STARTED
    return Rendered(body, media_type, logic.etag_of(body), modified, tuple(extra))


def _answer(request: Request, rendered: Rendered, hit: bool = True) -> Response:
    headers = {
        "X-Portal-Cache": "hit" if hit else "miss",
        "ETag": rendered.etag,
        "Last-Modified": logic.http_date(rendered.last_modified),
        "Cache-Control": CACHE_CONTROL,
        **dict(rendered.headers),
    }
    if request.method in ("GET", "HEAD") and logic.not_modified(
        etag=rendered.etag,
        last_modified=rendered.last_modified,
        if_none_match=request.headers.get("if-none-match"),
        if_modified_since=request.headers.get("if-modified-since"),
    ):
        return Response(status_code=304, headers=headers)
    return Response(rendered.body, media_type=rendered.media_type, headers=headers)


def _key(request: Request) -> str:
    # the host is part of the key: pages carry absolute hreflang and sitemap addresses
    return str(request.base_url) + " " + request.url.path + "?" + request.url.query


def conditional(
    request: Request, *, token: str, latest: dt.datetime | None, build: Build
) -> Response:
    """The response for this URL: from the cache when the stamp is unchanged, else built; 304
    when the reader's copy is current. For routes whose token is known (a static file)."""
    cache = page_cache(request)
    rendered = cache.get(_key(request), token)
    if rendered is None:
        rendered = _render(build, latest)
        cache.put(_key(request), token, rendered)
    return _answer(request, rendered)


async def current_stamp(request: Request, read: Callable[[], Any]) -> Any:
    """The register's change stamp, reused for ``STAMP_TTL`` seconds.

    When it is older, one refresh runs in a thread and every request meanwhile is answered
    with the stamp held (for up to five times the limit): fifty requests arriving together
    never start fifty queries. ``read`` must open its own session, as it may outlive the
    request that started it. With a limit of 0 every request reads the stamp itself."""
    state = request.app.state
    ttl = float(getattr(state, "portal_stamp_ttl", STAMP_TTL))
    held = getattr(state, "portal_stamp", None)
    now = time.monotonic()
    if ttl <= 0:
        stamp = await run_in_threadpool(read)
        state.portal_stamp = (now, stamp)
        return stamp
    if held is not None and now - held[0] < ttl:
        return held[1]
    task = getattr(state, "portal_stamp_task", None)
    if task is None or task.done():
        task = asyncio.ensure_future(_refresh(state, read))
        state.portal_stamp_task = task
    if held is not None and now - held[0] < ttl * 5:
        return held[1]
    return await asyncio.shield(task)


async def _refresh(state: Any, read: Callable[[], Any]) -> Any:
    stamp = await run_in_threadpool(read)
    state.portal_stamp = (time.monotonic(), stamp)
    return stamp


async def respond(request: Request, *, read_stamp: Callable[[], Any], build: Build) -> Response:
    """The cached answer for this URL while the public stamp is unchanged; a miss is rendered
    in a thread (queries and templates must not hold up the event loop)."""
    stamp = await current_stamp(request, read_stamp)
    cache = page_cache(request)
    rendered = cache.get(_key(request), stamp.token)
    if rendered is not None:
        return _answer(request, rendered)
    # one render per address and stamp: requests that miss together wait for the same one
    inflight: dict[tuple[str, str], asyncio.Future[Rendered]] = _inflight(request)
    flight = (_key(request), stamp.token)
    pending = inflight.get(flight)
    if pending is None:
        pending = asyncio.ensure_future(run_in_threadpool(_render, build, stamp.latest))
        inflight[flight] = pending
        try:
            rendered = await asyncio.shield(pending)
            cache.put(_key(request), stamp.token, rendered)
        finally:
            inflight.pop(flight, None)
    else:
        rendered = await asyncio.shield(pending)
    return _answer(request, rendered, hit=False)


def _inflight(request: Request) -> dict[tuple[str, str], asyncio.Future[Rendered]]:
    state = request.app.state
    found = getattr(state, "portal_inflight", None)
    if found is None:
        found = {}
        state.portal_inflight = found
    return found
