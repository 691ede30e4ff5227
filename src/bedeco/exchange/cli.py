"""``bedeco exchange ...``: export a notice, run webhook deliveries, configure webhooks."""

from __future__ import annotations

import json
import secrets
import sys
from pathlib import Path
from typing import Annotated

import typer

app = typer.Typer(
    help="Early information notices between the nations: export, webhooks, deliveries.",
    no_args_is_help=True,
)
webhook_app = typer.Typer(help="Each nation's outgoing webhook.", no_args_is_help=True)
app.add_typer(webhook_app, name="webhook")


@app.command("export")
def export(
    notice_id: Annotated[int, typer.Argument(help="The notice's id.")],
    as_user: Annotated[
        str, typer.Option("--as", help="Export as this person: their access rule applies.")
    ],
    out: Annotated[
        Path | None, typer.Option(help="Write to this file instead of standard output.")
    ] = None,
) -> None:
    """Export a notice with its answers, every version and its audit trail, as JSON."""
    from bedeco.cli import console, work
    from bedeco.exchange import answers
    from bedeco.security import service as security

    with work() as session:
        principal = security.principal_for(security.get_user_by_name(session, as_user))
        data = answers.export_notice(session, principal, notice_id=notice_id)
    text = json.dumps(data, indent=2, ensure_ascii=False, sort_keys=True)
    if out is None:
        sys.stdout.write(text + "\n")
    else:
        out.write_text(text + "\n", encoding="utf-8")
        console.print(f"wrote notice {notice_id} to {out}")


@app.command("deliver")
def deliver(
    loop: Annotated[bool, typer.Option("--loop", help="Keep running, pass after pass.")] = False,
    interval: Annotated[
        float, typer.Option(help="Seconds to wait when nothing is due (with --loop).", min=0.1)
    ] = 5.0,
    limit: Annotated[int, typer.Option(help="Deliveries per pass.", min=1, max=1000)] = 50,
) -> None:
    """Post due webhook deliveries once (or forever with --loop); failures retry with back-off."""
    from bedeco.cli import console, engine_or_exit
    from bedeco.exchange.worker import DeliveryReport, deliver_due, deliver_forever

    engine = engine_or_exit()

    def show(report: DeliveryReport) -> None:
        if report.attempted or not loop:
            console.print(f"delivered {report.delivered}, to retry {report.retrying}")
        for line in report.errors:
            console.print(f"  {line}", highlight=False)

    try:
        if loop:
            deliver_forever(engine, interval=interval, on_pass=show)
        else:
            show(deliver_due(engine, limit=limit))
    except KeyboardInterrupt:
        console.print("stopped")
    finally:
        engine.dispose()


@app.command("deliveries")
def deliveries(
    nation: Annotated[str, typer.Argument(help="BEL, NLD or LUX.")],
    limit: Annotated[int, typer.Option(help="How many, newest first.", min=1, max=1000)] = 20,
) -> None:
    """List the latest deliveries to a nation's webhook: status, attempts, last error."""
    from rich.table import Table

    from bedeco.audit.service import SYSTEM
    from bedeco.cli import console, work
    from bedeco.exchange import alerts

    with work() as session:
        table = Table("id", "activity", "status", "attempts", "next attempt", "last error")
        for d in alerts.list_deliveries(session, SYSTEM, nation=nation, limit=limit):
            table.add_row(
                str(d.id),
                str(d.activity_id),
                d.status,
                str(d.attempts),
                d.next_attempt_at.isoformat(timespec="seconds"),
                d.last_error,
            )
        console.print(table)


@webhook_app.command("set")
def webhook_set(
    nation: Annotated[str, typer.Argument(help="BEL, NLD or LUX.")],
    url: Annotated[str, typer.Option(help="Where to POST (http:// or https://).")],
    secret_stdin: Annotated[
        bool, typer.Option("--secret-stdin", help="Read the shared secret from standard input.")
    ] = False,
    clearance: Annotated[
        str | None,
        typer.Option(help="Receive as this clearance (default: CONFIDENTIAL, the highest)."),
    ] = None,
) -> None:
    """Set a nation's webhook; without --secret-stdin a secret is generated and printed once."""
    from bedeco.audit.service import SYSTEM
    from bedeco.cli import console, work
    from bedeco.exchange import alerts

    secret = sys.stdin.readline().strip() if secret_stdin else secrets.token_urlsafe(32)
    with work() as session:
        hook = alerts.set_webhook(
            session, SYSTEM, nation=nation, url=url, secret=secret, clearance=clearance
        )
        console.print(f"webhook of {hook.nation}: {hook.url} (receives as {hook.clearance})")
    if not secret_stdin:
        console.print("shared secret (shown once):")
        console.print(secret, highlight=False, soft_wrap=True)


@webhook_app.command("list")
def webhook_list() -> None:
    """List the nations' webhooks (never their secrets)."""
    from rich.table import Table

    from bedeco.audit.service import SYSTEM
    from bedeco.cli import console, work
    from bedeco.exchange import alerts

    with work() as session:
        table = Table("nation", "url", "clearance", "active", "updated")
        for hook in alerts.list_webhooks(session, SYSTEM):
            table.add_row(
                hook.nation,
                hook.url,
                hook.clearance,
                "yes" if hook.active else "no",
                hook.updated_at.isoformat(timespec="seconds"),
            )
        console.print(table)


@webhook_app.command("remove")
def webhook_remove(nation: Annotated[str, typer.Argument(help="BEL, NLD or LUX.")]) -> None:
    """Remove a nation's webhook; its pending deliveries are dropped."""
    from bedeco.audit.service import SYSTEM
    from bedeco.cli import console, work
    from bedeco.exchange import alerts

    with work() as session:
        alerts.remove_webhook(session, SYSTEM, nation=nation)
    console.print(f"removed the webhook of {nation.upper()}")
