"""Run every benchmark in this folder, one after another, and print their tables.

Each ``bench_*.py`` measures its own baseline in the same run and prints
ratios (these machines are shared and noisy: absolute times drift).
``--quick`` (the default for ``make bench``) passes ``--quick`` to each;
``--full`` runs the budgets the issues name; ``--only NAME`` runs one.
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--full", action="store_true", help="full budgets instead of --quick")
    parser.add_argument("--only", help="run only bench_<ONLY>.py")
    args = parser.parse_args()
    scripts = sorted(HERE.glob("bench_*.py"))
    if args.only:
        scripts = [s for s in scripts if s.stem == f"bench_{args.only}"]
        if not scripts:
            print(f"no benchmark named {args.only!r}", file=sys.stderr)
            return 2
    failures = 0
    for script in scripts:
        command = [sys.executable, str(script)] + ([] if args.full else ["--quick"])
        print(f"\n=== {script.stem} ({'full' if args.full else 'quick'}) ===", flush=True)
        started = time.perf_counter()
        result = subprocess.run(command, cwd=HERE.parent)
        print(f"--- {script.stem}: exit {result.returncode}, {time.perf_counter() - started:.0f} s")
        failures += result.returncode != 0
    return 1 if failures else 0


if __name__ == "__main__":
    raise SystemExit(main())
