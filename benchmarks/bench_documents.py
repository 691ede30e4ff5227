"""Benchmark of the documents engine: how long a parse takes, against reading the text.

Run with ``python benchmarks/bench_documents.py [--repeat N]``. It prints the
median time to read the seed and split it into lines (the baseline), to parse
it, and to write it out as JSON and Akoma Ntoso, each with its ratio to the
baseline measured in the same run, so the figures compare across machines.
Wall time and CPU time of the process are both shown: on a shared machine the
wall time also counts waiting for a CPU, which the load average printed at the
end tells. The target is a parse under 20 ms a document.
"""

from __future__ import annotations

import argparse
import os
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
from bedeco.documents.engine.blocks import split_blocks
from bedeco.documents.engine.formats.akn import to_akn
from bedeco.documents.engine.formats.json import to_json
from bedeco.documents.engine.language import assign_languages

SEED = Path(bedeco.__file__).resolve().parent / "reference" / "data" / "be-chamber-56-0367.txt"
FIXTURES = Path(__file__).resolve().parents[1] / "tests" / "documents" / "fixtures"
TARGET_MS = 20.0


def median_ms(action: Callable[[], object], repeat: int) -> tuple[float, float]:
    """Median wall and CPU time of ``action`` in milliseconds, after a warm-up call."""
    action()
    wall, cpu = [], []
    for _ in range(repeat):
        start, start_cpu = time.perf_counter(), time.process_time()
        action()
        wall.append((time.perf_counter() - start) * 1000)
        cpu.append((time.process_time() - start_cpu) * 1000)
    return statistics.median(wall), statistics.median(cpu)


def lingua_detection(texts: list[str]) -> Callable[[], object]:
    """lingua-language-detector restricted to Dutch and French, over ``texts``."""
    from lingua import Language, LanguageDetectorBuilder

    detector = LanguageDetectorBuilder.from_languages(Language.DUTCH, Language.FRENCH).build()
    return lambda: [detector.detect_language_of(text) for text in texts]


def main() -> int:
    arguments = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    arguments.add_argument("--repeat", type=int, default=200, help="runs per measurement")
    repeat = arguments.parse_args().repeat

    text = SEED.read_text(encoding="utf-8")
    document = parse(text)
    blocks = [block.text for block in split_blocks(text)]
    fixture_texts = [path.read_text(encoding="utf-8") for path in sorted(FIXTURES.glob("*.txt"))]

    rows = [
        (
            "read + split seed into lines (baseline)",
            median_ms(lambda: SEED.read_text(encoding="utf-8").splitlines(), repeat),
        ),
        ("parse seed", median_ms(lambda: parse(text), repeat)),
        ("seed to JSON", median_ms(lambda: to_json(document), repeat)),
        (
            "seed to AKN (nl + fr)",
            median_ms(lambda: [to_akn(document, x) for x in ("nl", "fr")], repeat),
        ),
        (
            "own language detection, seed blocks",
            median_ms(lambda: assign_languages(blocks), repeat),
        ),
        (
            "lingua detection, seed blocks",
            median_ms(lingua_detection(blocks), max(repeat // 10, 3)),
        ),
    ]
    if fixture_texts:
        count = sum(len(parse_all(fixture)) for fixture in fixture_texts)
        wall, cpu = median_ms(lambda: [parse_all(f) for f in fixture_texts], max(repeat // 4, 1))
        rows.append((f"parse fixtures, per document ({count})", (wall / count, cpu / count)))

    baseline = rows[0][1][0]
    width = max(len(name) for name, _times in rows)
    print(f"{'measurement':<{width}}  {'wall ms':>9}  {'CPU ms':>9}  {'wall × baseline':>15}")
    for name, (wall, cpu) in rows:
        print(f"{name:<{width}}  {wall:>9.3f}  {cpu:>9.3f}  {wall / baseline:>15.0f}")
    parse_wall, parse_cpu = rows[1][1]
    verdict = "within" if parse_cpu < TARGET_MS else "OVER"
    load = ", ".join(f"{value:.1f}" for value in os.getloadavg())
    print(
        f"\nseed parse: {parse_wall:.2f} ms wall, {parse_cpu:.2f} ms CPU, {verdict} the "
        f"{TARGET_MS:.0f} ms target ({repeat} runs; load average {load} on {os.cpu_count()} CPUs)"
    )
    return 0 if parse_cpu < TARGET_MS else 1


if __name__ == "__main__":
    raise SystemExit(main())
