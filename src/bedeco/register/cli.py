"""``bedeco register ...``: list, progress, export and import of the register."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.table import Table
from sqlalchemy.orm import Session

from bedeco.security.logic import Principal

app = typer.Typer(
    help="The register of commitments, initiatives and instruments.", no_args_is_help=True
)
console = Console()
AS_HELP = "Act as this user (their nation, clearance and roles decide what is seen and allowed)."


def _principal(session: Session, name: str) -> Principal:
    from bedeco.security import service as security

    return security.principal_for(security.get_user_by_name(session, name))


@app.command("list")
def list_command(
    as_user: Annotated[str, typer.Option("--as", help=AS_HELP)],
    status: Annotated[str, typer.Option(help="Only this status.")] = "",
    domain: Annotated[str, typer.Option(help="Only this domain code.")] = "",
    q: Annotated[str, typer.Option(help="Full-text search.")] = "",
    limit: Annotated[int, typer.Option(min=1, max=1000, help="How many to show.")] = 50,
) -> None:
    """List commitments, sorted by key."""
    from bedeco.cli import work
    from bedeco.i18n import localized
    from bedeco.register import service

    with work() as session:
        principal = _principal(session, as_user)
        page = service.list_commitments(
            session,
            principal,
            query=service.CommitmentQuery(status=status, domain=domain, q=q),
            page_size=limit,
        )
        table = Table(title=f"{page.total} commitments")
        table.add_column("key", no_wrap=True)
        for column in ("status", "target", "title"):
            table.add_column(column)
        for c in page.items:
            table.add_row(
                c.key,
                c.status,
                c.target_on.isoformat() if c.target_on else "",
                localized(c.title, "en").text[:70],
            )
        console.print(table)


@app.command("progress")
def progress_command(
    as_user: Annotated[str, typer.Option("--as", help=AS_HELP)],
    instrument: Annotated[str, typer.Option(help="Instrument key, e.g. be-chamber-56-0367.")] = "",
) -> None:
    """Counts per status, share implemented and overdue."""
    from bedeco.cli import work
    from bedeco.register import logic, service

    with work() as session:
        principal = _principal(session, as_user)
        report = service.progress(
            session,
            principal,
            query=service.CommitmentQuery(instrument=instrument),
            timeline=False,
        )
        p = report.progress
        for status in logic.Status:
            count = p.counts.get(status, 0)
            console.print(f"{status.value:12} {count}")
        console.print(
            f"implemented {p.share_implemented:.0%} of {p.expected} expected; {p.overdue} overdue"
        )


@app.command("export")
def export_command(
    out: Annotated[Path, typer.Argument(help="File to write: .yaml, or .zip for CSV tables.")],
    as_user: Annotated[str, typer.Option("--as", help=AS_HELP)],
) -> None:
    """Export what the user may see, as YAML or as CSV tables in a ZIP."""
    from bedeco.cli import work
    from bedeco.config import get_settings
    from bedeco.register import service

    with work() as session:
        data = service.export_data(session, _principal(session, as_user))
    counts = ", ".join(f"{len(rows)} {table}" for table, rows in data.items())
    if out.suffix == ".zip":
        evidence = service.evidence_dir(get_settings().var_dir)
        out.write_bytes(service.to_csv_zip(data, evidence))
        cited = service.cited_files(data)
        kept = sum(1 for digest in cited if (evidence / digest).is_file())
        counts += f", {kept} of {len(cited)} evidence files"
    else:
        out.write_text(service.to_yaml(data), encoding="utf-8")
        counts += " (evidence files travel only in a .zip export)"
    console.print(f"wrote {out}: {counts}")


@app.command("import")
def import_command(
    source: Annotated[Path, typer.Argument(help="A .yaml export or a .zip of CSV tables.")],
    as_user: Annotated[str, typer.Option("--as", help=AS_HELP + " Must be a coordinator.")],
) -> None:
    """Import an export; idempotent by key, histories kept."""
    from bedeco.cli import fail, guarded, work
    from bedeco.register import service

    if not source.exists():
        raise fail(f"no such file: {source}")
    from bedeco.config import get_settings

    content = source.read_bytes()
    zipped = content[:2] == b"PK"
    data = guarded(
        lambda: (
            service.from_csv_zip(content)
            if zipped
            else service.from_yaml(content.decode("utf-8", errors="replace"))
        )
    )
    files = (
        guarded(lambda: service.evidence_files_of(content, service.cited_files(data)))
        if zipped
        else {}
    )
    with work() as session:
        done = service.import_data(session, _principal(session, as_user), data)
        done["evidence_files"] = service.keep_evidence_files(get_settings().var_dir, files)
    console.print("imported " + ", ".join(f"{n} {table}" for table, n in done.items() if n))
