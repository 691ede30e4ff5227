"""``bedeco planning worker``: run stored studies outside the web server.

The web app runs studies in a background thread by default
(``BEDECO_PLANNING_WORKER``); this command runs the same worker loop on its
own, for a deployment that switches the thread off or wants more workers.
Ctrl-C or SIGTERM stops the search within a second and puts a study that was
running back in the queue.
"""

from __future__ import annotations

import signal
import threading
from typing import Any

import typer
from rich.console import Console

console = Console()


def worker_command(
    once: bool = typer.Option(
        False, "--once", help="Run the queued studies, then stop (default: wait for more)."
    ),
    poll: float = typer.Option(
        2.0, "--poll", min=0.1, max=3600, help="Seconds between looks for queued studies."
    ),
) -> None:
    """Claim queued studies one by one, run them with the engine and store their results."""
    from bedeco.cli import engine_or_exit
    from bedeco.planning.worker import run_pending

    engine = engine_or_exit()
    stop = threading.Event()
    counted: list[int] = []

    def report(study_id: int) -> None:
        counted.append(study_id)
        console.print(f"study {study_id} finished")

    def loop() -> None:
        run_pending(engine, once=once, stop=stop, poll=poll, on_study=report)

    def on_signal(_signum: int, _frame: Any) -> None:
        stop.set()

    previous = signal.signal(signal.SIGTERM, on_signal)
    thread = threading.Thread(target=loop, name="planning-worker")
    thread.start()
    try:
        while thread.is_alive():
            thread.join(0.5)
    except KeyboardInterrupt:
        console.print("stopping: a running study goes back to the queue")
        stop.set()
        thread.join(60)
    finally:
        signal.signal(signal.SIGTERM, previous)
        engine.dispose()
    console.print(f"{len(counted)} studies run")
