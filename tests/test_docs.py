"""Every setting and every command is documented; the README keeps the two-command contract."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import typer.main

from bedeco.cli import app
from bedeco.config import Settings

ROOT = Path(__file__).resolve().parent.parent
DOCS = ROOT / "docs"


def command_paths(command: Any, prefix: tuple[str, ...] = ()) -> list[tuple[str, ...]]:
    paths = []
    if hasattr(command, "commands"):
        for name, sub in command.commands.items():
            paths += command_paths(sub, (*prefix, name))
    else:
        paths.append(prefix)
    return paths


def test_readme_opens_with_the_two_commands() -> None:
    readme = (ROOT / "README.md").read_text()
    head = readme[: readme.index("## What it is")]
    assert "make run" in head and "make test" in head


def test_every_setting_is_documented() -> None:
    text = (DOCS / "settings.md").read_text()
    missing = [
        f"BEDECO_{name.upper()}"
        for name in Settings.model_fields
        if f"BEDECO_{name.upper()}" not in text
    ]
    assert missing == []


def test_every_command_is_documented_with_help() -> None:
    root = typer.main.get_command(app)
    pages = {path.stem: path.read_text() for path in DOCS.glob("*.md")}
    missing = []
    for path in command_paths(root):
        words = " ".join(path)
        page = pages.get(path[0], "") + pages["cli"]
        if f"bedeco {words}" not in page:
            missing.append(words)
        command: Any = root
        for name in path:
            command = command.commands[name]
        assert (command.help or "").strip(), f"bedeco {words} has no help text"
    assert missing == []


def test_docs_links_point_at_existing_pages() -> None:
    import re

    for page in [ROOT / "README.md", *DOCS.glob("*.md")]:
        for target in re.findall(r"\]\(([^)#:]+\.md)\)", page.read_text()):
            assert (page.parent / target).exists(), f"{page.name} links to missing {target}"
