"""The ``bedeco`` command: serve, init, users, audit, reference, and each capability's verbs."""

from __future__ import annotations

import os
import secrets
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Annotated, TypeVar

import typer
from rich.console import Console
from rich.table import Table
from sqlalchemy import Engine
from sqlalchemy.orm import Session

import bedeco
from bedeco.audit.service import SYSTEM, verify_chain
from bedeco.capabilities import role_modules
from bedeco.config import SettingsError, get_settings
from bedeco.db import DatabaseUnavailable
from bedeco.errors import DomainError
from bedeco.runtime import open_engine, unit_of_work
from bedeco.security import service as security

console = Console()
err = Console(stderr=True)
T = TypeVar("T")

app = typer.Typer(
    help="bedeco: the working platform of Benelux defence cooperation.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)
users_app = typer.Typer(
    help="Manage people, their clearances, roles and API tokens.", no_args_is_help=True
)
audit_app = typer.Typer(help="Inspect the tamper-evident audit trail.", no_args_is_help=True)
reference_app = typer.Typer(help="The shipped reference data set.", no_args_is_help=True)
app.add_typer(users_app, name="users")
app.add_typer(audit_app, name="audit")
app.add_typer(reference_app, name="reference")

DEMO_ROLE_SETS: dict[str, tuple[str, list[str]]] = {
    "viewer": ("UNCLASSIFIED", ["viewer"]),
    "contributor": ("RESTRICTED", ["viewer", "contributor"]),
    "coordinator": ("RESTRICTED", ["viewer", "contributor", "coordinator"]),
    "admin": ("RESTRICTED", ["admin"]),
}


def fail(message: str, code: int = 1) -> typer.Exit:
    err.print(f"[red]error:[/red] {message}", highlight=False, soft_wrap=True)
    return typer.Exit(code)


def guarded(action: Callable[[], T]) -> T:
    """Run ``action``, turning configuration, database and domain errors into one clear line."""
    try:
        return action()
    except SettingsError as exc:
        raise fail(str(exc), 2) from None
    except DatabaseUnavailable as exc:
        raise fail(str(exc), 2) from None
    except DomainError as exc:
        where = f" (field {exc.field})" if exc.field else ""
        raise fail(f"{exc.message}{where}") from None


def engine_or_exit() -> Engine:
    return guarded(lambda: open_engine(get_settings()))


@contextmanager
def work() -> Iterator[Session]:
    """A unit of work on the configured database for one command."""
    engine = engine_or_exit()
    try:
        with unit_of_work(engine) as session:
            yield session
    except DomainError as exc:
        where = f" (field {exc.field})" if exc.field else ""
        raise fail(f"{exc.message}{where}") from None
    finally:
        engine.dispose()


def version_callback(value: bool) -> None:
    if value:
        console.print(f"bedeco {bedeco.__version__}")
        raise typer.Exit()


@app.callback()
def root(
    version: Annotated[
        bool,
        typer.Option(
            "--version", callback=version_callback, is_eager=True, help="Print the version."
        ),
    ] = False,
) -> None:
    """Every command honours BEDECO_DATABASE_URL and the other BEDECO_* settings."""


@app.command()
def init(
    with_reference: Annotated[
        bool, typer.Option("--with-reference", help="Also load the shipped reference data set.")
    ] = False,
) -> None:
    """Create or migrate the database to the newest schema."""
    from bedeco.migrate import upgrade

    engine = engine_or_exit()
    with console.status("Applying migrations…"):
        upgrade(engine)
    console.print("database migrated")
    if with_reference:
        _load_reference(engine)
    engine.dispose()


def _load_reference(engine: Engine) -> None:
    from bedeco.reference import load_all

    with unit_of_work(engine) as session:
        for line in load_all(session):
            console.print(line)


@reference_app.command("load")
def reference_load() -> None:
    """Load (or refresh) the shipped reference data set; safe to run again."""
    engine = engine_or_exit()
    guarded(lambda: _load_reference(engine))
    engine.dispose()


@app.command()
def serve(
    host: Annotated[str, typer.Option(help="Address to listen on.")] = "127.0.0.1",
    port: Annotated[int, typer.Option(help="Port to listen on.", min=1, max=65535)] = 8000,
    workers: Annotated[int, typer.Option(help="Worker processes.", min=1, max=32)] = 1,
) -> None:
    """Serve the platform over HTTP."""
    import uvicorn

    engine = engine_or_exit()  # fail early, with a clear line, if the database is unreachable
    engine.dispose()
    console.print(f"serving bedeco on http://{host}:{port}")
    uvicorn.run(
        "bedeco.web.asgi:app",
        host=host,
        port=port,
        workers=workers,
        log_level="info",
    )


def _read_password(password_stdin: bool) -> str:
    if password_stdin:
        return sys.stdin.readline().rstrip("\n")
    return str(typer.prompt("Password", hide_input=True, confirmation_prompt=True))


@users_app.command("add")
def users_add(
    name: Annotated[str, typer.Argument(help="Login name.")],
    nation: Annotated[str, typer.Option(help="BEL, NLD or LUX.")],
    clearance: Annotated[str, typer.Option(help="UNCLASSIFIED, RESTRICTED or CONFIDENTIAL.")],
    role: Annotated[
        list[str], typer.Option("--role", help="viewer, contributor, coordinator or admin; repeat.")
    ],
    password_stdin: Annotated[
        bool, typer.Option("--password-stdin", help="Read the password from standard input.")
    ] = False,
) -> None:
    """Add a person with a nation, a clearance and roles."""
    password = _read_password(password_stdin)
    with work() as session:
        user = security.add_user(
            session,
            SYSTEM,
            name=name,
            nation=nation,
            clearance=clearance,
            roles=role,
            password=password,
        )
        console.print(
            f"added {user.name} ({user.nation}, {user.clearance}, {', '.join(user.roles)})"
        )


@users_app.command("list")
def users_list() -> None:
    """List people, sorted by name."""
    with work() as session:
        table = Table("name", "nation", "clearance", "roles", "active")
        for user in security.list_users(session):
            table.add_row(
                user.name,
                user.nation,
                user.clearance,
                ", ".join(user.roles),
                "yes" if user.active else "no",
            )
        console.print(table)


@users_app.command("disable")
def users_disable(name: Annotated[str, typer.Argument(help="Login name.")]) -> None:
    """Disable a person and revoke their tokens."""
    with work() as session:
        security.disable_user(session, SYSTEM, name=name)
        console.print(f"disabled {name}")


@users_app.command("token")
def users_token(
    name: Annotated[str, typer.Argument(help="Login name.")],
    label: Annotated[str, typer.Option(help="What the token is for.")] = "",
) -> None:
    """Issue a new API bearer token; it is printed once and stored only as a digest."""
    with work() as session:
        token = security.issue_token(session, SYSTEM, name=name, label=label)
    console.print(token, highlight=False, soft_wrap=True)


@users_app.command("tokens")
def users_tokens(
    name: Annotated[str | None, typer.Argument(help="Only this user's.")] = None,
) -> None:
    """List API tokens (their ids and prefixes, never the tokens)."""
    with work() as session:
        table = Table("id", "user", "prefix", "label", "created", "last used", "revoked")
        for token in security.list_tokens(session, name=name):
            table.add_row(
                str(token.id),
                token.user.name,
                token.prefix,
                token.label,
                token.created_at.isoformat(timespec="seconds"),
                token.last_used_at.isoformat(timespec="seconds") if token.last_used_at else "",
                token.revoked_at.isoformat(timespec="seconds") if token.revoked_at else "",
            )
        console.print(table)


@users_app.command("revoke")
def users_revoke(
    token_id: Annotated[int, typer.Argument(help="Token id from `users tokens`.")],
) -> None:
    """Revoke an API token."""
    with work() as session:
        security.revoke_token(session, SYSTEM, token_id=token_id)
        console.print(f"revoked token {token_id}")


@users_app.command("demo")
def users_demo(
    out: Annotated[Path, typer.Option(help="Where to write the new passwords (mode 0600).")] = Path(
        "var/demo-credentials.txt"
    ),
) -> None:
    """Create one demo user per nation and role set, with random passwords printed once."""
    created: list[tuple[str, str, str, str]] = []
    with work() as session:
        existing = {u.name for u in security.list_users(session)}
        for nation in ("BEL", "NLD", "LUX"):
            for label, (clearance, roles) in DEMO_ROLE_SETS.items():
                name = f"{nation.lower()}-{label}"
                if name in existing:
                    continue
                password = secrets.token_urlsafe(12)
                security.add_user(
                    session,
                    SYSTEM,
                    name=name,
                    nation=nation,
                    clearance=clearance,
                    roles=roles,
                    password=password,
                )
                created.append((name, password, clearance, ",".join(roles)))
    if not created:
        console.print(f"demo users exist already; their passwords are in {out}")
        return
    out.parent.mkdir(parents=True, exist_ok=True)
    fd = os.open(out, os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o600)
    os.chmod(out, 0o600)
    with os.fdopen(fd, "a") as handle:
        for name, password, clearance, roles in created:
            handle.write(f"{name}\t{password}\t{clearance}\t{roles}\n")
    table = Table("user", "password", "clearance", "roles", title="Demo users (shown once)")
    for row in created:
        table.add_row(*row)
    console.print(table)
    console.print(f"written to {out} (mode 0600)")


@audit_app.command("verify")
def audit_verify() -> None:
    """Check the hash chain; exit 1 naming the first broken link."""
    with work() as session:
        result = verify_chain(session)
    if result.ok:
        console.print(f"OK: {result.count} events, chain intact")
        return
    raise fail(f"audit chain broken at sequence {result.broken_at} ({result.count} events)")


def _mount_capabilities() -> None:
    for name, module in role_modules("cli"):
        if name in ("security", "audit"):
            continue
        app.add_typer(module.app, name=name)


_mount_capabilities()


def main() -> None:
    """Console-script entry point."""
    app()
