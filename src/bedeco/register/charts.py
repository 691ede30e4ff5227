"""Geometry of the register's server-side SVG charts (pure: numbers in, shapes out).

Templates draw the shapes; each chart has a <title> and <desc> and the same
figures in a table beside it, so the chart is never the only way to read them.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass

from bedeco.register.logic import Progress, Status

STATUS_COLOURS: dict[str, str] = {
    Status.PROPOSED.value: "#9aa5b1",
    Status.UNDER_STUDY.value: "#6c8ebf",
    Status.DECIDED.value: "#0b4f8a",
    Status.IN_PROGRESS.value: "#b7791f",
    Status.IMPLEMENTED.value: "#1d6b34",
    Status.DROPPED.value: "#a4141c",
}


@dataclass(frozen=True)
class Segment:
    status: str
    count: int
    x: float
    width: float
    colour: str


def status_bar(progress: Progress, width: float = 600.0) -> list[Segment]:
    """One horizontal bar split by status, in workflow order; empty statuses are left out."""
    total = progress.total
    segments: list[Segment] = []
    x = 0.0
    for status in Status:
        count = int(progress.counts.get(status, 0))
        if not count or not total:
            continue
        w = width * count / total
        segments.append(
            Segment(status.value, count, round(x, 2), round(w, 2), STATUS_COLOURS[status])
        )
        x += w
    return segments


@dataclass(frozen=True)
class Column:
    label: str
    count: int
    implemented: int
    x: float
    height: float
    implemented_height: float


def timeline_columns(
    points: Sequence[tuple[str, int, int]], width: float = 600.0, height: float = 140.0
) -> list[Column]:
    """Columns per month: (month, changes, of which to implemented), scaled to the largest."""
    if not points:
        return []
    most = max(count for _m, count, _i in points) or 1
    step = width / len(points)
    return [
        Column(
            label=month,
            count=count,
            implemented=done,
            x=round(i * step, 2),
            height=round(height * count / most, 2),
            implemented_height=round(height * done / most, 2),
        )
        for i, (month, count, done) in enumerate(points)
    ]


@dataclass(frozen=True)
class Node:
    key: str
    label: str
    kind: str
    x: float
    y: float


@dataclass(frozen=True)
class Edge:
    kind: str
    x1: float
    y1: float
    x2: float
    y2: float


LANES = ("resolution", "parliamentary-document", "recommendation", "answer", "declaration",
         "agreement", "strategy", "debate", "other")  # fmt: skip


def graph_layout(
    nodes: Sequence[tuple[str, str, str, dt.date | None]],
    edges: Sequence[tuple[str, str, str]],
    width: float = 900.0,
    lane_height: float = 44.0,
) -> tuple[list[Node], list[Edge], float]:
    """Instruments placed by date (x) and kind (lane, y); undated ones at the right.

    ``nodes`` are (key, label, kind, date); returns nodes, edges and the height.
    """
    dated = [d for *_rest, d in nodes if d is not None]
    first = min(dated) if dated else dt.date(2000, 1, 1)
    last = max(dated) if dated else first
    span = max((last - first).days, 1)
    margin = 60.0
    usable = width - 2 * margin - 80
    lanes = [
        lane
        for lane in LANES
        if any(
            kind == lane or (lane == "other" and kind not in LANES) for _k, _l, kind, _d in nodes
        )
    ]
    placed: dict[str, Node] = {}
    used: dict[tuple[int, int], int] = {}
    for key, label, kind, date in nodes:
        lane = kind if kind in lanes else "other"
        row = lanes.index(lane) if lane in lanes else len(lanes) - 1
        x = margin + (usable * (date - first).days / span if date else usable + 60)
        slot = (row, int(x // 40))
        offset = used.get(slot, 0)
        used[slot] = offset + 1
        y = 30 + row * lane_height + (offset % 2) * 14
        placed[key] = Node(key, label, kind, round(x, 1), round(y, 1))
    lines = [
        Edge(kind, placed[s].x, placed[s].y, placed[t].x, placed[t].y)
        for s, t, kind in edges
        if s in placed and t in placed
    ]
    return list(placed.values()), lines, 30 + max(len(lanes), 1) * lane_height + 20
