"""The progress report as a PDF, drawn on the server by WeasyPrint from the report page.

WeasyPrint is imported when a PDF is asked for (it loads Pango). It reaches
no network: the page's two stylesheets are read from the package and every
other address is refused. The charts are inline SVG in the page and are
drawn into the PDF as vectors; the print rules of ``portal.css`` lay it out
on A4 with page numbers.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

PACKAGE = Path(__file__).resolve().parent.parent
LOCAL_FILES = {
    "/static/bedeco.css": PACKAGE / "web" / "static" / "bedeco.css",
    "/portal/static/portal.css": Path(__file__).parent / "static" / "portal.css",
}
BASE_URL = "http://portal.invalid/"
"""A base that resolves the page's relative addresses; nothing is ever fetched from it."""


def _fetcher() -> Any:
    from weasyprint.urls import URLFetcher, URLFetcherResponse

    class LocalOnly(URLFetcher):  # type: ignore[misc]
        """Serves the portal's stylesheets from the package and refuses every other URL."""

        def fetch(self, url: str, headers: Any = None) -> Any:
            path = "/" + url.removeprefix(BASE_URL).split("?", 1)[0].lstrip("/")
            local = LOCAL_FILES.get(path)
            if url.startswith(BASE_URL) and local is not None:
                return URLFetcherResponse(
                    url,
                    body=local.read_bytes(),
                    headers={"Content-Type": "text/css; charset=utf-8"},
                )
            raise ValueError(f"the report fetches nothing from {url}")

    return LocalOnly()


def document(html: str) -> Any:
    """The laid-out WeasyPrint document of ``html`` (its ``pages`` can be counted)."""
    import weasyprint

    return weasyprint.HTML(string=html, base_url=BASE_URL, url_fetcher=_fetcher()).render()


def to_pdf(html: str) -> bytes:
    """The PDF bytes of ``html``."""
    return bytes(document(html).write_pdf())
