"""``bedeco documents ...``: parse a text to JSON, Akoma Ntoso or Markdown; import; list.

``parse`` needs no database. A text the engine cannot read prints
``FILE:LINE: expected ...`` on stderr and exits 1; a missing file or a wrong
option is one line on stderr and exit 2.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Any

import typer
from rich.console import Console
from rich.table import Table

app = typer.Typer(
    help="Parliamentary texts: parse, import into the register, list.", no_args_is_help=True
)
console = Console()
FORMATS = ("json", "akn", "md")
AS_HELP = (
    "Act as this user (their nation, clearance and roles decide what is seen and allowed); "
    "without it the command acts as the system operator."
)


def _fail(message: str, code: int) -> typer.Exit:
    typer.echo(f"error: {message}", err=True)
    return typer.Exit(code)


def _read(file: str) -> str:
    path = Path(file)
    if not path.is_file():
        raise _fail(f"{file}: no such file", 2)
    try:
        return path.read_text(encoding="utf-8-sig")
    except UnicodeDecodeError as exc:
        raise _fail(f"{file}: not UTF-8 text (byte {exc.start})", 2) from None
    except OSError as exc:
        raise _fail(f"{file}: {exc.strerror}", 2) from None


def _unreadable(file: str, error: Any) -> typer.Exit:
    found = f" (found {error.found!r})" if getattr(error, "found", "") else ""
    typer.echo(f"{file}:{error.line}: expected {error.expected}{found}", err=True)
    return typer.Exit(1)


@app.command("parse")
def parse_command(
    file: Annotated[str, typer.Argument(help="The text file (UTF-8) to read.")],
    output: Annotated[
        str, typer.Option("--format", "-f", help="json, akn (Akoma Ntoso 3.0 XML) or md.")
    ] = "json",
    lang: Annotated[
        str, typer.Option(help="Language for akn and md: nl or fr (default: the first).")
    ] = "",
    document: Annotated[
        int, typer.Option(help="For a text holding several motions: which one (1-based).")
    ] = 0,
) -> None:
    """Read FILE and print it as JSON (schema bedeco.documents/1.0), AKN or Markdown."""
    from bedeco.documents.engine import ParseError, parse_all
    from bedeco.documents.engine.formats.akn import to_akn
    from bedeco.documents.engine.formats.json import to_json
    from bedeco.documents.engine.formats.markdown import to_markdown

    if output not in FORMATS:
        raise _fail(f"--format must be one of {', '.join(FORMATS)}, not {output!r}", 2)
    if lang and lang not in ("nl", "fr"):
        raise _fail(f"--lang must be nl or fr, not {lang!r}", 2)
    text = _read(file)
    try:
        documents = list(parse_all(text))
    except ParseError as error:
        raise _unreadable(file, error) from None
    if document:
        if not 1 <= document <= len(documents):
            raise _fail(f"--document must be between 1 and {len(documents)}", 2)
        documents = [documents[document - 1]]
    if output == "json":
        typer.echo(to_json(documents))
        return
    if output == "akn" and len(documents) > 1:
        raise _fail(
            f"{file} holds {len(documents)} documents; choose one with --document for akn", 2
        )
    for parsed in documents:
        chosen = lang or parsed.languages[0]
        if chosen not in parsed.languages:
            raise _fail(f"{file} has no {chosen} version; it has {', '.join(parsed.languages)}", 2)
        if output == "akn":
            typer.echo(to_akn(parsed, chosen).decode("utf-8"), nl=False)
        else:
            typer.echo(to_markdown(parsed, chosen))


@app.command("import")
def import_command(
    file: Annotated[str, typer.Argument(help="The text file (UTF-8) to import.")],
    as_user: Annotated[str, typer.Option("--as", help=AS_HELP)] = "",
    classification: Annotated[
        str, typer.Option(help="PUBLIC (default for parliamentary texts) … CONFIDENTIAL.")
    ] = "PUBLIC",
    releasable_to: Annotated[
        list[str] | None,
        typer.Option("--releasable-to", help="A nation (BEL, NLD, LUX); repeat for more."),
    ] = None,
    replace: Annotated[
        bool, typer.Option("--replace", help="Overwrite the document if it is stored already.")
    ] = False,
) -> None:
    """Store FILE's documents with provisions and references; requests become commitments."""
    from bedeco.audit.service import SYSTEM
    from bedeco.cli import work
    from bedeco.documents import service
    from bedeco.errors import InvalidInput
    from bedeco.security import service as security

    text = _read(file)
    with console.status(f"reading {file} …"):
        try:
            service.parse_text(text)
        except service.DocumentUnreadable as error:
            raise _unreadable(file, error) from None
        except InvalidInput as error:
            raise _fail(f"{file}: {error.message}", 1) from None
    console.print(f"[green]✓[/green] read {file}")
    with work() as session:
        principal = (
            security.principal_for(security.get_user_by_name(session, as_user))
            if as_user
            else SYSTEM
        )
        with console.status("storing and recording provisions in the register …"):
            result = service.import_document(
                session,
                principal,
                text=text,
                filename=Path(file).name,
                classification=classification,
                releasable_to=releasable_to or [],
                replace=replace,
            )
        for key in result.replaced:
            console.print(f"replaced {key}")
        for doc in result.documents:
            console.print(
                f"[green]✓[/green] stored {doc.key} ({doc.kind}, {', '.join(doc.languages)}): "
                f"{doc.provision_count} provisions, {len(doc.references)} references, "
                f"{doc.anomaly_count} anomalies"
            )
        console.print(f"commitments: {len(result.created)} created, {len(result.updated)} updated")
        for key in result.created:
            console.print(f"  + {key}")


@app.command("list")
def list_command(
    as_user: Annotated[str, typer.Option("--as", help=AS_HELP)] = "",
    kind: Annotated[str, typer.Option(help="Only resolution, motion or recommendation.")] = "",
    q: Annotated[str, typer.Option(help="Search key, number and file name.")] = "",
    sort: Annotated[
        str, typer.Option(help="key, date, kind or created; '-' descending.")
    ] = "-date",
    limit: Annotated[int, typer.Option(min=1, max=200, help="How many to show.")] = 50,
) -> None:
    """List stored documents."""
    from bedeco.audit.service import SYSTEM
    from bedeco.cli import work
    from bedeco.documents import service
    from bedeco.i18n import localized
    from bedeco.security import service as security

    with work() as session:
        principal = (
            security.principal_for(security.get_user_by_name(session, as_user))
            if as_user
            else SYSTEM
        )
        page = service.list_documents(
            session, principal, kind=kind or None, q=q or None, sort=sort, page_size=limit
        )
        table = Table(title=f"{page.total} documents")
        for column in ("key", "kind", "date", "languages", "provisions", "anomalies", "title"):
            table.add_column(column, no_wrap=column in ("key", "kind", "date"))
        for d in page.items:
            table.add_row(
                d.key,
                d.kind,
                d.document_date,
                ", ".join(d.languages),
                str(d.provision_count),
                str(d.anomaly_count),
                localized(d.title, "en").text,
            )
        console.print(table)
