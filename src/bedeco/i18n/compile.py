"""Compile every ``.po`` catalog of the package to ``.mo`` (run by ``make`` at install)."""

from __future__ import annotations

import sys

from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po

from bedeco.i18n import LANGUAGES, catalog_files


def compile_all() -> int:
    count = 0
    for lang in LANGUAGES:
        for po_path in catalog_files(lang):
            with po_path.open("rb") as handle:
                catalog = read_po(handle, locale=lang)
            with po_path.with_suffix(".mo").open("wb") as handle:
                write_mo(handle, catalog)
            count += 1
    return count


if __name__ == "__main__":
    print(f"compiled {compile_all()} catalogs", file=sys.stderr)
