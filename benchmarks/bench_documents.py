"""Benchmark of the documents engine: how long a parse takes, against reading the text.

Run with ``python benchmarks/bench_documents.py [--repeat N]``. It prints the
median time to read the seed and split it into lines (the baseline), to
parse it, and to write it out as JSON and Akoma Ntoso, each with its ratio to
the baseline measured in the same run, so the figures compare across
machines. The target is a parse under 20 ms a document.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path

try:
    import bedeco
except ImportError:  # run from a checkout without the package installed
    sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))
    import bedeco

from bedeco.documents.engine import parse, parse_all
from bedeco.documents.engine.formats.akn import to_akn
from bedeco.documents.engine.formats.json import to_json

SEED = Path(bedeco.__file__).resolve().parent / "reference" / "data" / "be-chamber-56-0367.txt"
FIXTURES = Path(__file__).resolve().parents[1] / "tests" / "documents" / "fixtures"
TARGET_MS = 20.0


def median_ms(action: Callable[[], object], repeat: int) -> float:
    """Median wall time of ``action`` in milliseconds, after one warm-up call."""
    action()
    timings = []
    for _ in range(repeat):
        start = time.perf_counter()
        action()
        timings.append((time.perf_counter() - start) * 1000)
    return statistics.median(timings)


def _own_ms(text: str, repeat: int) -> float:
    """What the engine's word-count detector needs for the same blocks."""
    from bedeco.documents.engine.blocks import split_blocks
    from bedeco.documents.engine.language import assign_languages

    texts = [block.text for block in split_blocks(text)]
    return median_ms(lambda: assign_languages(texts), repeat)


def _lingua_ms(text: str, repeat: int) -> float:
    """What lingua-language-detector (nl/fr only) needs for the seed's blocks."""
    from lingua import Language, LanguageDetectorBuilder

    from bedeco.documents.engine.blocks import split_blocks

    detector = LanguageDetectorBuilder.from_languages(Language.DUTCH, Language.FRENCH).build()
    texts = [block.text for block in split_blocks(text)]
    return median_ms(lambda: [detector.detect_language_of(t) for t in texts], max(repeat // 10, 3))


def main() -> int:
    arguments = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    arguments.add_argument("--repeat", type=int, default=200, help="runs per measurement")
    repeat = arguments.parse_args().repeat

    text = SEED.read_text(encoding="utf-8")
    document = parse(text)
    fixtures = sorted(FIXTURES.glob("*.txt")) if FIXTURES.is_dir() else []
    fixture_texts = [path.read_text(encoding="utf-8") for path in fixtures]

    baseline = median_ms(lambda: SEED.read_text(encoding="utf-8").splitlines(), repeat)
    rows = [
        ("read + split seed into lines (baseline)", baseline),
        ("parse seed", median_ms(lambda: parse(text), repeat)),
        ("seed to JSON", median_ms(lambda: to_json(document), repeat)),
        (
            "seed to AKN (nl + fr)",
            median_ms(lambda: [to_akn(document, x) for x in ["nl", "fr"]], repeat),
        ),
    ]
    rows.append(("own language detection, seed blocks", _own_ms(text, repeat)))
    rows.append(("lingua detection, seed blocks (for comparison)", _lingua_ms(text, repeat)))
    if fixture_texts:
        documents = sum(len(parse_all(fixture)) for fixture in fixture_texts)
        total = median_ms(
            lambda: [parse_all(fixture) for fixture in fixture_texts], repeat // 4 or 1
        )
        rows.append((f"parse fixtures, per document ({documents})", total / documents))

    width = max(len(name) for name, _ms in rows)
    print(f"{'measurement':<{width}}  {'median ms':>10}  {'× baseline':>11}")
    for name, ms in rows:
        print(f"{name:<{width}}  {ms:>10.3f}  {ms / baseline:>11.0f}")
    parse_ms = rows[1][1]
    verdict = "within" if parse_ms < TARGET_MS else "OVER"
    print(
        f"\nseed parse {parse_ms:.2f} ms: {verdict} the {TARGET_MS:.0f} ms target ({repeat} runs)"
    )
    return 0 if parse_ms < TARGET_MS else 1


if __name__ == "__main__":
    raise SystemExit(main())
