"""Write a capability's nl/fr/de catalogs from a table of translations (a developer tool).

Usage: python tools/write_po.py TABLE.py OUT_DIR DOMAIN
TABLE.py defines TRANSLATIONS = {"English source": {"nl": ..., "fr": ..., "de": ...}}.
"""

from __future__ import annotations

import runpy
import sys
from pathlib import Path

from babel.messages.catalog import Catalog
from babel.messages.pofile import write_po


def main(table: str, out_dir: str, domain: str) -> None:
    translations: dict[str, dict[str, str]] = runpy.run_path(table)["TRANSLATIONS"]
    for lang in ("nl", "fr", "de"):
        catalog = Catalog(locale=lang, domain=domain, project="bedeco")
        for source, targets in sorted(translations.items()):
            catalog.add(source, targets[lang])
        path = Path(out_dir) / lang / "LC_MESSAGES" / f"{domain}.po"
        path.parent.mkdir(parents=True, exist_ok=True)
        with path.open("wb") as handle:
            write_po(handle, catalog, width=100, omit_header=False)


if __name__ == "__main__":
    main(*sys.argv[1:4])
