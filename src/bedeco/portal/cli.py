"""``bedeco portal ...``: the portal's open data written to files, for mirrors and archives."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.table import Table

app = typer.Typer(help="The public portal: open data of the public records.", no_args_is_help=True)
console = Console()


@app.command("export")
def export_command(
    folder: Annotated[Path, typer.Argument(help="Folder to write into (created if missing).")],
    lang: Annotated[
        list[str] | None, typer.Option("--lang", help="Language(s) to write; all four by default.")
    ] = None,
    document: Annotated[
        str, typer.Option(help="Resolution whose commitments are written.")
    ] = "be-chamber-56-0367",
) -> None:
    """Write every public data set as CSV and JSON, laid out as on the site
    (``<lang>/initiatives.csv``, ``<lang>/resolution/<key>/commitments.json`` …)."""
    from bedeco.cli import fail, work
    from bedeco.errors import NotFound
    from bedeco.portal import exports, logic, service

    languages = lang or list(logic.LANGS)
    unknown = [code for code in languages if code not in logic.LANGS]
    if unknown:
        raise fail(
            "--lang must be one of " + ", ".join(logic.LANGS) + "; not " + ", ".join(unknown)
        )
    table = Table(title=f"open data written to {folder}")
    for column in ("file", "rows"):
        table.add_column(column)
    with work() as session:
        latest = service.stamp(session).latest
        instruments = service.list_instruments(session)
        relations = service.list_relations(session)
        initiatives = service.list_initiatives(session)
        changes = service.recent_changes(session, limit=200)
        try:
            tracker: service.Tracker | None = service.tracker(session, document_key=document)
        except NotFound:
            tracker = None
            console.print(f"no public resolution {document!r}: its commitments are not written")
        for code in languages:
            sets = {
                "initiatives": exports.initiative_rows(initiatives, code),
                "instruments": exports.instrument_rows(instruments, relations, code),
                "relations": exports.relation_rows(relations),
                "changes": exports.change_rows(changes, code),
            }
            paths = {name: f"{code}/{name}" for name in sets}
            if tracker is not None:
                sets["commitments"] = exports.commitment_rows(tracker, code)
                paths["commitments"] = f"{code}/resolution/{document}/commitments"
            for name, rows in sets.items():
                for fmt in exports.FORMATS:
                    body, _media = exports.dataset(None, code, name, fmt, rows, latest)
                    target = folder / f"{paths[name]}.{fmt}"
                    target.parent.mkdir(parents=True, exist_ok=True)
                    target.write_bytes(body)
                    table.add_row(str(target.relative_to(folder)), str(len(rows)))
    console.print(table)
