"""Dependencies point inward: a test walks the imports of every module and checks the rules.

- ``logic.py`` and engines import nothing of the web, the database or another layer.
- a capability reaches another capability only through its ``service`` (or pure ``logic``).
- ``service`` does not import the web layer.
"""

from __future__ import annotations

import ast
from pathlib import Path

from bedeco.capabilities import CAPABILITIES

SRC = Path(__file__).resolve().parent.parent / "src" / "bedeco"
SHARED_CAPS = {"security", "audit"}
FORBIDDEN_IN_PURE = ("sqlalchemy", "fastapi", "starlette", "bedeco.web", "bedeco.db", "typer")


def imports_of(path: Path) -> list[str]:
    tree = ast.parse(path.read_text(), filename=str(path))
    names: list[str] = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names += [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.append(node.module)
            names += [f"{node.module}.{alias.name}" for alias in node.names]
    return names


def pure_modules() -> list[Path]:
    paths = list(SRC.glob("*/logic.py"))
    paths += [p for p in SRC.glob("*/engine/**/*.py")]
    return paths


def test_logic_and_engines_import_no_web_or_database() -> None:
    offenders = []
    for path in pure_modules():
        for name in imports_of(path):
            if name.startswith(FORBIDDEN_IN_PURE):
                offenders.append(f"{path.relative_to(SRC)} imports {name}")
    assert offenders == []


def test_capabilities_use_each_other_only_through_service_or_logic() -> None:
    offenders = []
    for capability in CAPABILITIES:
        folder = SRC / capability
        if not folder.exists() or capability in SHARED_CAPS:
            continue
        for path in folder.rglob("*.py"):
            for name in imports_of(path):
                parts = name.split(".")
                if len(parts) < 3 or parts[0] != "bedeco" or parts[1] == capability:
                    continue
                other = parts[1]
                if other in CAPABILITIES and other not in SHARED_CAPS:
                    allowed = parts[2] in ("service", "logic", "engine")
                    if not allowed:
                        offenders.append(f"{path.relative_to(SRC)} imports {name}")
    assert offenders == []


def test_services_do_not_import_the_web_layer() -> None:
    offenders = [
        f"{path.relative_to(SRC)} imports {name}"
        for path in SRC.glob("*/service.py")
        for name in imports_of(path)
        if name.startswith(("fastapi", "starlette", "bedeco.web"))
    ]
    assert offenders == []
