"""Plans as JSON, CSV and accessible SVG (plain strings, drawn on the server).

The result pages and the exports only call these functions: no template
computes a figure. The SVG carries a ``<title>`` and ``<desc>`` and a title
on every bar, so that screen readers and tooltips say what the picture shows.
"""

from __future__ import annotations

import csv
import io
from typing import Any
from xml.sax.saxutils import escape

from bedeco.planning.engine.instance import Instance
from bedeco.planning.engine.solution import Solution
from bedeco.planning.engine.validation import Report, validate

CHECK_COLOUR = "#7a3b00"
MISSION_COLOURS = ("#1f5fa8", "#2e7d32", "#6a1b9a", "#00838f", "#ad1457", "#5d4037")


def solution_to_json(
    instance: Instance, solution: Solution, report: Report | None = None
) -> dict[str, Any]:
    """The plan and its validated figures as JSON-ready data."""
    report = report or validate(instance, solution)
    figures = report.figures
    label = instance.period_label
    return {
        "instance": instance.name,
        "policy": str(solution.policy),
        "method": solution.method,
        "status": solution.status,
        "objective": solution.objective,
        "bound": solution.bound,
        "gap": solution.gap,
        "wall_time": round(solution.wall_time, 3),
        "valid": report.ok,
        "violations": [
            {"rule": v.rule, "subject": v.subject, "period": v.period, "message": v.message}
            for v in report.violations
        ],
        "figures": {
            "floor_misses": [
                {
                    "floor": m.floor,
                    "month": label(m.period),
                    "kind": m.kind,
                    "need": m.need,
                    "got": m.got,
                }
                for m in figures.floor_misses
            ],
            "shortfall": figures.shortfall,
            "checks_started": figures.checks_started,
            "cost": figures.cost,
            "peak_checks": figures.peak,
            "availability": {
                n: {"mean": round(mean, 2), "least": least}
                for n, (mean, least) in figures.availability.items()
            },
            "facility_use": {f: round(u, 3) for f, u in figures.facility_use.items()},
        },
        "checks": [
            {
                "aircraft": c.aircraft,
                "start": c.start,
                "month": label(c.start),
                "facility": c.facility,
            }
            for c in solution.checks
        ],
        "flights": [
            {
                "aircraft": f.aircraft,
                "mission": f.mission,
                "period": f.period,
                "month": label(f.period),
            }
            for f in solution.flights
        ],
    }


def solution_to_csv(instance: Instance, solution: Solution) -> str:
    """One row per aircraft and period: in check (where), flying (what) or on the ground."""
    report = validate(instance, solution)
    check_at = {}
    for check in solution.checks:
        duration = instance.check_type_of(
            next(a for a in instance.aircraft if a.id == check.aircraft)
        ).duration
        for t in range(check.start, min(check.start + duration, instance.periods)):
            check_at[check.aircraft, t] = check.facility
    flying = {(f.aircraft, f.period): f.mission for f in solution.flights}
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(
        ["aircraft", "nation", "type", "period", "month", "state", "where", "hours_left"]
    )
    for aircraft in instance.aircraft:
        for t in range(instance.periods):
            key = (aircraft.id, t)
            if key in report.figures.in_check:
                state, where = "check", check_at.get(key, "under way")
            elif key in flying:
                state, where = "mission", flying[key]
            else:
                state, where = "ground", ""
            writer.writerow(
                [
                    aircraft.id,
                    aircraft.nation,
                    aircraft.type,
                    t,
                    instance.period_label(t),
                    state,
                    where,
                    report.figures.hours[key],
                ]
            )
    return out.getvalue()


def gantt_svg(instance: Instance, solution: Solution, cell: int = 8, row: int = 12) -> str:
    """A Gantt chart: one row per aircraft, checks in brown, missions in colours."""
    left = 110
    width = left + cell * instance.periods + 10
    height = 30 + row * len(instance.aircraft)
    colours = {
        m.id: MISSION_COLOURS[i % len(MISSION_COLOURS)] for i, m in enumerate(instance.missions)
    }
    report = validate(instance, solution)
    flying = {(f.aircraft, f.period): f.mission for f in solution.flights}
    title = f"Plan of {instance.name} under the {solution.policy} policy"
    parts = [
        '<svg xmlns="http://www.w3.org/2000/svg" role="img" '
        'aria-labelledby="gantt-title gantt-desc" '
        f'width="{width}" height="{height}" viewBox="0 0 {width} {height}">',
        f'<title id="gantt-title">{escape(title)}</title>',
        f'<desc id="gantt-desc">{len(instance.aircraft)} aircraft over {instance.periods} periods; '
        f"brown: in check, coloured: flying a mission.</desc>",
    ]
    for t in range(0, instance.periods, 12):
        x = left + t * cell
        parts.append(
            f'<text x="{x}" y="12" font-size="9">{escape(instance.period_label(t))}</text>'
        )
    for i, aircraft in enumerate(instance.aircraft):
        y = 20 + i * row
        parts.append(f'<text x="2" y="{y + row - 3}" font-size="9">{escape(aircraft.id)}</text>')
        for t in range(instance.periods):
            key = (aircraft.id, t)
            x = left + t * cell
            if key in report.figures.in_check:
                label, colour = "in check", CHECK_COLOUR
            elif key in flying:
                label, colour = f"mission {flying[key]}", colours.get(flying[key], "#555")
            else:
                continue
            tip = f"{aircraft.id} {instance.period_label(t)}: {label}"
            parts.append(
                f'<rect x="{x}" y="{y}" width="{cell}" height="{row - 2}" fill="{colour}">'
                f"<title>{escape(tip)}</title></rect>"
            )
    parts.append("</svg>")
    return "".join(parts)


def facility_load_svg(instance: Instance, solution: Solution, cell: int = 8, band: int = 40) -> str:
    """Checks under way per facility and period against its slots (dashed line)."""
    report = validate(instance, solution)
    left = 110
    width = left + cell * instance.periods + 10
    height = 10 + (band + 10) * len(instance.facilities)
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" role="img" aria-labelledby="load-title" '
        f'width="{width}" height="{height}" viewBox="0 0 {width} {height}">',
        f'<title id="load-title">Facility load of {escape(instance.name)} under the '
        f"{escape(str(solution.policy))} policy</title>",
    ]
    for i, facility in enumerate(instance.facilities):
        top = 10 + i * (band + 10)
        scale = band / max(1, facility.slots)
        parts.append(
            f'<text x="2" y="{top + band // 2}" font-size="9">{escape(facility.id)}</text>'
        )
        slot_y = top + band - facility.slots * scale
        parts.append(
            f'<line x1="{left}" x2="{width - 10}" y1="{slot_y:.1f}" y2="{slot_y:.1f}" '
            f'stroke="#900" stroke-dasharray="3,2"><title>{facility.slots} slots</title></line>'
        )
        for t in range(instance.periods):
            load = report.figures.facility_load.get((facility.id, t), 0)
            if not load:
                continue
            h = load * scale
            tip = f"{facility.id} {instance.period_label(t)}: {load} of {facility.slots} slots"
            parts.append(
                f'<rect x="{left + t * cell}" y="{top + band - h:.1f}" width="{cell - 1}" '
                f'height="{h:.1f}" fill="#1f5fa8"><title>{escape(tip)}</title></rect>'
            )
    parts.append("</svg>")
    return "".join(parts)
