"""The portal's routes: pages under ``/{lang}/``, open-data downloads, the feed, the sitemap.

Every route reads as the anonymous public through ``portal.service`` and
answers through ``cache.conditional`` (ETag, Last-Modified, 304). Routes
carry the language in the path with the ``lang`` convertor, so a path whose
first segment is not nl, fr, de or en never reaches them (``/login``,
``/language/fr`` and the other capabilities' pages keep working).
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable
from pathlib import Path
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Query, Request
from fastapi.responses import RedirectResponse, Response
from sqlalchemy.orm import Session
from starlette.convertors import Convertor, register_url_convertor

from bedeco.errors import NotFound
from bedeco.portal import cache, exports, logic, service
from bedeco.portal.views import render_page

router = APIRouter(include_in_schema=False)
STATIC = Path(__file__).parent / "static"


class LangConvertor(Convertor[str]):
    """A path segment that is one of the portal's languages."""

    regex = logic.LANG_PATTERN

    def convert(self, value: str) -> str:
        return value

    def to_string(self, value: str) -> str:
        return value


register_url_convertor("lang", LangConvertor())


async def page_lang(request: Request, lang: str) -> str:
    """The URL's language, if the deployment offers it; it becomes the request's language."""
    if lang not in request.app.state.settings.languages:
        raise NotFound(service.NOT_FOUND)
    request.state.lang = lang
    return lang


Lang = Annotated[str, Depends(page_lang)]


class LazySession:
    """A read session opened on first use: a page served from the cache opens none."""

    def __init__(self, factory: Callable[[], Session]) -> None:
        self._factory = factory
        self._session: Session | None = None

    def __getattr__(self, name: str) -> Any:
        if self._session is None:
            self._session = self._factory()
        return getattr(self._session, name)

    def close(self) -> None:
        if self._session is not None:
            self._session.rollback()
            self._session.close()
            self._session = None


async def reader(request: Request) -> AsyncIterator[Session]:
    """The request's read-only session (lazy); nothing is written, so it is rolled back."""
    lazy = LazySession(request.app.state.read_sessions)
    try:
        yield lazy  # type: ignore[misc]
    finally:
        lazy.close()


DbSession = Annotated[Session, Depends(reader)]


def _read_stamp(factory: Callable[[], Session]) -> Callable[[], Any]:
    """Read the public change stamp in a session of its own (the read may outlive a request)."""

    def read() -> Any:
        session = factory()
        try:
            return service.stamp(session)
        finally:
            session.rollback()
            session.close()

    return read


async def _respond(request: Request, session: Session, build: cache.Build) -> Response:
    read = _read_stamp(request.app.state.read_sessions)
    return await cache.respond(request, read_stamp=read, build=build)


async def _html(
    request: Request, session: Session, lang: str, template: str, make: Callable[[], dict[str, Any]]
) -> Response:
    def build() -> tuple[bytes, str]:
        html = render_page(request, lang, template, make())
        return html.encode("utf-8"), "text/html; charset=utf-8"

    return await _respond(request, session, build)


async def _data(
    request: Request,
    session: Session,
    lang: str,
    name: str,
    fmt: str,
    rows: Callable[[], list[dict[str, Any]]],
) -> Response:
    def build() -> tuple[bytes, str, tuple[tuple[str, str], ...]]:
        latest = service.stamp(session).latest
        body, media_type = exports.dataset(request, lang, name, fmt, rows(), latest)
        disposition = f'inline; filename="{name}-{lang}.{fmt}"'
        return body, media_type, (("Content-Disposition", disposition),)

    return await _respond(request, session, build)


# --- entry points --------------------------------------------------------------------------


@router.get("/")
async def portal_root(request: Request) -> Response:
    """``/`` goes to the portal home in the reader's language (cookie, then Accept-Language)."""
    lang = getattr(request.state, "lang", logic.DEFAULT_LANG)
    if lang not in logic.LANGS:
        lang = logic.DEFAULT_LANG
    return RedirectResponse(
        f"/{lang}/", status_code=303, headers={"Vary": "Accept-Language, Cookie"}
    )


@router.get("/portal/static/{name}")
async def portal_static(request: Request, name: str) -> Response:
    """The portal's stylesheet (screen and print), with validators like every portal answer."""
    path = STATIC / name
    if name not in {p.name for p in STATIC.glob("*.css")}:
        raise NotFound(service.NOT_FOUND)
    body = path.read_bytes()
    return cache.conditional(
        request,
        token=logic.etag_of(body),
        latest=None,
        build=lambda: (body, "text/css; charset=utf-8"),
    )


@router.get("/sitemap.xml")
async def sitemap(request: Request, session: DbSession) -> Response:
    """Every public page in every language, with its hreflang alternates."""
    languages = tuple(lang for lang in logic.LANGS if lang in request.app.state.settings.languages)
    return await _respond(
        request,
        session,
        lambda: (
            exports.sitemap(request, exports.public_paths(session), languages),
            "application/xml",
        ),
    )


@router.get("/robots.txt")
async def robots(request: Request) -> Response:
    body = f"User-agent: *\nAllow: /\nDisallow: /api/\nSitemap: {exports.absolute(request, '/sitemap.xml')}\n"
    return Response(body, media_type="text/plain; charset=utf-8")


# --- pages ---------------------------------------------------------------------------------


@router.get("/{lang:lang}/")
async def home_page(request: Request, session: DbSession, lang: Lang) -> Response:
    return await _html(
        request, session, lang, "portal/home.html",
        lambda: {"home": service.home(session, document_key=logic.SEED_DOCUMENT)},
    )  # fmt: skip


@router.get("/{lang:lang}/resolution/{key}")
async def resolution_page(request: Request, session: DbSession, lang: Lang, key: str) -> Response:
    return await _html(
        request, session, lang, "portal/resolution.html",
        lambda: {"tracker": service.tracker(session, document_key=key)},
    )  # fmt: skip


@router.get("/{lang:lang}/resolution/{key}/report")
async def report_page(request: Request, session: DbSession, lang: Lang, key: str) -> Response:
    return await _html(
        request, session, lang, "portal/report.html",
        lambda: {"tracker": service.tracker(session, document_key=key), "pdf": False},
    )  # fmt: skip


@router.get("/{lang:lang}/resolution/{key}/report.pdf")
async def report_pdf(request: Request, session: DbSession, lang: Lang, key: str) -> Response:
    """The progress report as a PDF drawn on the server by WeasyPrint, charts included."""

    def build() -> tuple[bytes, str, tuple[tuple[str, str], ...]]:
        from bedeco.portal.report import to_pdf

        tracker = service.tracker(session, document_key=key)
        html = render_page(request, lang, "portal/report.html", {"tracker": tracker, "pdf": True})
        filename = f"{key}-progress-{lang}.pdf"
        return (
            to_pdf(html),
            "application/pdf",
            (("Content-Disposition", f'inline; filename="{filename}"'),),
        )

    return await _respond(request, session, build)


@router.get("/{lang:lang}/resolution/{key}/commitments.{fmt}")
async def resolution_data(
    request: Request, session: DbSession, lang: Lang, key: str, fmt: str
) -> Response:
    exports.check_format(fmt)
    return await _data(
        request, session, lang, "commitments", fmt,
        lambda: exports.commitment_rows(service.tracker(session, document_key=key), lang),
    )  # fmt: skip


@router.get("/{lang:lang}/initiatives")
async def initiatives_page(request: Request, session: DbSession, lang: Lang) -> Response:
    return await _html(
        request, session, lang, "portal/initiatives.html",
        lambda: {"initiatives": service.list_initiatives(session)},
    )  # fmt: skip


@router.get("/{lang:lang}/initiatives.{fmt}")
async def initiatives_data(request: Request, session: DbSession, lang: Lang, fmt: str) -> Response:
    exports.check_format(fmt)
    return await _data(
        request, session, lang, "initiatives", fmt,
        lambda: exports.initiative_rows(service.list_initiatives(session), lang),
    )  # fmt: skip


@router.get("/{lang:lang}/initiatives/{key}")
async def initiative_page(request: Request, session: DbSession, lang: Lang, key: str) -> Response:
    return await _html(
        request, session, lang, "portal/initiative.html",
        lambda: {"initiative": service.get_initiative(session, key=key)},
    )  # fmt: skip


@router.get("/{lang:lang}/instruments")
async def instruments_page(request: Request, session: DbSession, lang: Lang) -> Response:
    def make() -> dict[str, Any]:
        instruments = service.list_instruments(session)
        relations = service.list_relations(session)
        nodes, links, height = logic.graph_layout(
            [(i.key, i.kind, i.issued_on) for i in instruments],
            [(r.source, r.target, r.kind) for r in relations],
        )
        return {
            "instruments": instruments,
            "relations": relations,
            "graph": {"nodes": nodes, "links": links, "height": height},
            "by_key": {i.key: i for i in instruments},
        }

    return await _html(request, session, lang, "portal/instruments.html", make)


@router.get("/{lang:lang}/instruments.{fmt}")
async def instruments_data(request: Request, session: DbSession, lang: Lang, fmt: str) -> Response:
    exports.check_format(fmt)
    return await _data(
        request, session, lang, "instruments", fmt,
        lambda: exports.instrument_rows(service.list_instruments(session), service.list_relations(session), lang),
    )  # fmt: skip


@router.get("/{lang:lang}/relations.{fmt}")
async def relations_data(request: Request, session: DbSession, lang: Lang, fmt: str) -> Response:
    exports.check_format(fmt)
    return await _data(
        request, session, lang, "relations", fmt,
        lambda: exports.relation_rows(service.list_relations(session)),
    )  # fmt: skip


@router.get("/{lang:lang}/instruments/{key}")
async def instrument_page(request: Request, session: DbSession, lang: Lang, key: str) -> Response:
    def make() -> dict[str, Any]:
        instrument = service.get_instrument(session, key=key)
        instruments = {i.key: i for i in service.list_instruments(session)}
        relations = service.list_relations(session)
        return {
            "instrument": instrument,
            "by_key": instruments,
            "outgoing": [r for r in relations if r.source == key],
            "incoming": [r for r in relations if r.target == key],
            "commitments": service.commitments_citing(session, key=key),
        }

    return await _html(request, session, lang, "portal/instrument.html", make)


@router.get("/{lang:lang}/timeline")
async def timeline_page(request: Request, session: DbSession, lang: Lang) -> Response:
    def make() -> dict[str, Any]:
        changes = service.recent_changes(session, limit=200)
        months: dict[str, int] = {}
        for change in changes:
            month = change.at.strftime("%Y-%m")
            months[month] = months.get(month, 0) + 1
        return {
            "instruments": service.list_instruments(session),
            "changes": changes,
            "months": sorted(months.items()),
            "columns": logic.month_columns(sorted(months.items())),
        }

    return await _html(request, session, lang, "portal/timeline.html", make)


@router.get("/{lang:lang}/changes.{fmt}")
async def changes_data(request: Request, session: DbSession, lang: Lang, fmt: str) -> Response:
    exports.check_format(fmt)
    return await _data(
        request, session, lang, "changes", fmt,
        lambda: exports.change_rows(service.recent_changes(session, limit=200), lang),
    )  # fmt: skip


@router.get("/{lang:lang}/feed.atom")
async def feed(request: Request, session: DbSession, lang: Lang) -> Response:
    """Status changes of public commitments as an Atom feed (RFC 4287), newest first."""
    return await _respond(
        request,
        session,
        lambda: (
            exports.atom(request, lang, service.recent_changes(session, limit=50)),
            "application/atom+xml; charset=utf-8",
        ),
    )


@router.get("/{lang:lang}/search")
async def search_page(
    request: Request,
    session: DbSession,
    lang: Lang,
    q: Annotated[str, Query(max_length=200, description="words to look for")] = "",
) -> Response:
    return await _html(
        request, session, lang, "portal/search.html",
        lambda: {"result": service.search(session, q=q), "q": q},
    )  # fmt: skip


@router.get("/{lang:lang}/data")
async def data_page(request: Request, session: DbSession, lang: Lang) -> Response:
    return await _html(
        request, session, lang, "portal/data.html",
        lambda: {"schemas": logic.SCHEMAS, "licence": logic.LICENCE, "seed": logic.SEED_DOCUMENT},
    )  # fmt: skip
