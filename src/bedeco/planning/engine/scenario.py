"""Scenario files (YAML or JSON): the documented schema, loaded and validated.

Every problem is reported with the file, the line (from PyYAML's node marks)
and the field, e.g. ``study.yaml:42: missions[3].hours: must be an integer >= 0``,
and all problems are collected before anything is raised, so a planner fixes
a file in one pass. JSON is read by the same YAML loader (JSON is YAML's
flow style), so the line numbers work for both. The schema is described in
``docs/planning.md``.
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from types import MappingProxyType
from typing import Any

import yaml

from bedeco.i18n import N_
from bedeco.planning.engine.instance import (
    JOINT,
    Aircraft,
    CheckType,
    CheckUnderWay,
    Facility,
    Floor,
    Instance,
    Mission,
    MissionUnderWay,
)

Path_ = tuple[str | int, ...]
MONTH = re.compile(r"^\d{4}-(0[1-9]|1[0-2])$")


@dataclass(frozen=True)
class Problem:
    """One thing wrong in a scenario file.

    ``template`` is the English text with ``{name}`` placeholders filled from
    ``values``: the CLI and the API show ``message``, a page translates the
    template first (``bedeco.i18n.template_text``).
    """

    file: str
    line: int
    field: str
    template: str
    values: Mapping[str, str] = dataclasses.field(default_factory=lambda: MappingProxyType({}))

    @property
    def message(self) -> str:
        return self.template.format(**self.values) if self.values else self.template

    def __str__(self) -> str:
        return f"{self.file}:{self.line}: {self.field}: {self.message}"


class ScenarioInvalid(Exception):
    """A scenario file that cannot be planned as written; ``problems`` says where."""

    def __init__(self, problems: list[Problem]) -> None:
        super().__init__("\n".join(str(p) for p in problems))
        self.problems = problems


@dataclass(frozen=True)
class Scenario:
    """A validated scenario: the instance, and what the file says about itself."""

    instance: Instance
    illustrative: bool
    note: str


def _marks(node: yaml.Node, path: Path_, out: dict[Path_, int]) -> None:
    out[path] = node.start_mark.line + 1
    if isinstance(node, yaml.MappingNode):
        for key, value in node.value:
            name = str(key.value)
            out[(*path, name)] = key.start_mark.line + 1
            _marks(value, (*path, name), out)
    elif isinstance(node, yaml.SequenceNode):
        for index, item in enumerate(node.value):
            _marks(item, (*path, index), out)


def _field(path: Path_) -> str:
    text = ""
    for part in path:
        text += f"[{part}]" if isinstance(part, int) else (f".{part}" if text else part)
    return text or "(document)"


class _Reader:
    """Typed access to the parsed document that records problems instead of raising."""

    def __init__(self, file: str, marks: dict[Path_, int]) -> None:
        self.file = file
        self.marks = marks
        self.problems: list[Problem] = []

    def problem(self, path: Path_, template: str, **values: str) -> None:
        probe = path
        while probe and probe not in self.marks:
            probe = probe[:-1]
        line = self.marks.get(probe, 1)
        self.problems.append(Problem(self.file, line, _field(path), template, values))

    def get(
        self, obj: Mapping[str, Any], path: Path_, key: str, kind: str, default: Any = ...
    ) -> Any:
        if key not in obj:
            if default is ...:
                self.problem(path, N_("missing required field '{key}'"), key=key)
            return None if default is ... else default
        value = obj[key]
        where = (*path, key)
        if kind == "int" and (not isinstance(value, int) or isinstance(value, bool) or value < 0):
            self.problem(where, N_("must be an integer >= 0"))
            return None
        if kind == "anyint" and (not isinstance(value, int) or isinstance(value, bool)):
            self.problem(where, N_("must be an integer"))
            return None
        if kind == "pos" and (not isinstance(value, int) or isinstance(value, bool) or value < 1):
            self.problem(where, N_("must be an integer >= 1"))
            return None
        if kind == "str" and (not isinstance(value, str) or not value):
            self.problem(where, N_("must be a non-empty text"))
            return None
        if kind == "bool" and not isinstance(value, bool):
            self.problem(where, N_("must be true or false"))
            return None
        if kind == "strs":
            if not isinstance(value, list) or not all(isinstance(v, str | int) for v in value):
                self.problem(where, N_("must be a list of names"))
                return None
            return frozenset(str(v) for v in value)
        if kind == "list" and not isinstance(value, list):
            self.problem(where, N_("must be a list"))
            return None
        if kind == "map" and not isinstance(value, dict):
            self.problem(where, N_("must be a mapping"))
            return None
        return value

    def items(self, doc: Mapping[str, Any], key: str) -> list[tuple[Path_, dict[str, Any]]]:
        values = self.get(doc, (), key, "list", [])
        out: list[tuple[Path_, dict[str, Any]]] = []
        for index, item in enumerate(values or []):
            if isinstance(item, dict):
                out.append(((key, index), item))
            else:
                self.problem((key, index), N_("must be a mapping"))
        return out


def load_scenario(path: str | Path) -> Scenario:
    """Read, validate and build a scenario; raises :class:`ScenarioInvalid` with every problem."""
    file = Path(path)
    return parse_scenario(file.read_text(encoding="utf-8"), file.name)


def parse_scenario(text: str, file: str = "<scenario>") -> Scenario:
    """Validate and build a scenario from its text (YAML or JSON)."""
    try:
        node = yaml.compose(text, Loader=yaml.SafeLoader)
        doc = yaml.safe_load(text)
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        line = mark.line + 1 if mark is not None else 1
        raise ScenarioInvalid(
            [Problem(file, line, "(document)", N_("not YAML/JSON: {error}"), {"error": str(error)})]
        ) from None
    marks: dict[Path_, int] = {}
    if node is not None:
        _marks(node, (), marks)
    r = _Reader(file, marks)
    if not isinstance(doc, dict):
        raise ScenarioInvalid([Problem(file, 1, "(document)", N_("must be a mapping"))])
    scenario = _build(doc, r)
    if r.problems or scenario is None:
        raise ScenarioInvalid(r.problems)
    return scenario


def _period(r: _Reader, value: Any, where: Path_, start: str | None) -> int | None:
    if isinstance(value, int) and not isinstance(value, bool) and value >= 0:
        return value
    if isinstance(value, str) and MONTH.match(value) and start and MONTH.match(start):
        year, month = value.split("-")
        year0, month0 = start.split("-")
        return (int(year) - int(year0)) * 12 + int(month) - int(month0)
    r.problem(where, N_("must be a period number >= 0 or a month YYYY-MM"))
    return None


def _build(doc: dict[str, Any], r: _Reader) -> Scenario | None:
    name = r.get(doc, (), "name", "str")
    start = r.get(doc, (), "start", "str")
    if start is not None and not MONTH.match(start):
        r.problem(("start",), N_("must be a month YYYY-MM"))
        start = None
    periods = r.get(doc, (), "periods", "pos")
    illustrative = r.get(doc, (), "illustrative", "bool", False)
    note = r.get(doc, (), "note", "str", "")
    cap_doc = r.get(doc, (), "joint_cap", "map", {}) or {}
    joint_cap: dict[str, int] = {}
    for nation, cap in cap_doc.items():
        if isinstance(cap, int) and not isinstance(cap, bool) and cap >= 0:
            joint_cap[str(nation)] = cap
        else:
            r.problem(("joint_cap", str(nation)), N_("must be an integer >= 0"))

    checks = []
    for where, item in r.items(doc, "check_types"):
        values = [
            r.get(item, where, "id", "str"),
            r.get(item, where, "aircraft_types", "strs"),
            r.get(item, where, "duration", "pos"),
            r.get(item, where, "max_hours", "pos"),
            r.get(item, where, "max_months", "pos"),
            r.get(item, where, "window", "int"),
        ]
        if None in values:
            continue
        check = CheckType(*values)
        if check.window >= check.duration + check.max_months - check.window:
            r.problem(
                (*where, "window"),
                N_("must be shorter than half the cycle (duration + max_months)"),
            )
        checks.append(check)
    typed = {t for c in checks for t in c.aircraft_types}

    facilities = []
    for where, item in r.items(doc, "facilities"):
        values = [
            r.get(item, where, "id", "str"),
            r.get(item, where, "nation", "str"),
            r.get(item, where, "types", "strs"),
            r.get(item, where, "slots", "int"),
            r.get(item, where, "cost", "int", 0),
            r.get(item, where, "transit_cost", "int", 0),
        ]
        if None not in values:
            facilities.append(Facility(*values))
    facility_ids = {f.id for f in facilities}

    aircraft: list[Aircraft] = []
    for where, item in r.items(doc, "fleets"):
        aircraft.extend(_fleet(r, where, item, checks))
    for where, item in r.items(doc, "aircraft"):
        one = _one_aircraft(r, where, item, facility_ids)
        if one is not None:
            aircraft.append(one)
    seen: set[str] = set()
    for index, a in enumerate(aircraft):
        if a.id in seen:
            r.problem(("aircraft", index), N_("duplicate aircraft id '{id}'"), id=a.id)
        seen.add(a.id)
        if checks and a.type not in typed:
            r.problem(
                ("check_types",), N_("no check type covers aircraft type '{type}'"), type=a.type
            )
            typed.add(a.type)
    nations = {a.nation for a in aircraft}

    missions = []
    for where, item in r.items(doc, "missions"):
        mid = r.get(item, where, "id", "str")
        nation = r.get(item, where, "nation", "str")
        first = _period(r, item.get("start"), (*where, "start"), start) if "start" in item else None
        last = _period(r, item.get("end"), (*where, "end"), start) if "end" in item else None
        if "start" not in item or "end" not in item:
            r.problem(where, N_("missing required field 'start' or 'end'"))
        required = r.get(item, where, "required", "pos")
        hours = r.get(item, where, "hours", "int")
        stay = r.get(item, where, "min_consecutive", "pos", 1)
        caps = r.get(item, where, "capabilities", "strs", frozenset())
        kind = r.get(item, where, "type", "str", None)
        if nation is not None and nation != JOINT and nations and nation not in nations:
            r.problem(
                (*where, "nation"),
                N_("no aircraft of nation '{nation}' (or use {joint})"),
                nation=str(nation),
                joint=JOINT,
            )
        if first is not None and last is not None and last < first:
            r.problem((*where, "end"), N_("must not come before start"))
        if first is not None and last is not None and None not in (mid, nation, required, hours):
            missions.append(
                Mission(
                    id=mid,
                    nation=nation,
                    start=first,
                    end=last,
                    required=required,
                    hours=hours,
                    min_consecutive=stay,
                    capabilities=caps,
                    aircraft_type=kind,
                )
            )
    mission_ids = {m.id for m in missions}
    for index, a in enumerate(aircraft):
        if a.mission_under_way is not None and a.mission_under_way.mission not in mission_ids:
            r.problem(("aircraft", index, "mission_under_way"), N_("names an unknown mission"))

    floors = []
    for where, item in r.items(doc, "floors"):
        least = r.get(item, where, "min_available", "int", 0)
        hours = r.get(item, where, "min_hours", "int", 0)
        nation = r.get(item, where, "nation", "str", None)
        kind = r.get(item, where, "type", "str", None)
        caps = r.get(item, where, "capabilities", "strs", frozenset())
        default_id = f"{nation or 'all'}-{kind or 'all'}"
        fid = r.get(item, where, "id", "str", default_id)
        if None in (least, hours, fid, caps):
            continue
        floors.append(Floor(fid, least, hours, nation, kind, caps))

    if r.problems or name is None or periods is None:
        return None
    instance = Instance(
        name=name,
        periods=periods,
        aircraft=tuple(aircraft),
        missions=tuple(missions),
        check_types=tuple(checks),
        facilities=tuple(facilities),
        floors=tuple(floors),
        start_month=start or "",
        joint_cap=MappingProxyType(joint_cap),
    )
    return Scenario(instance, bool(illustrative), str(note))


def _fleet(
    r: _Reader, where: Path_, item: dict[str, Any], checks: list[CheckType]
) -> list[Aircraft]:
    """A fleet expands to ``count`` aircraft with hours and months left spread evenly."""
    nation = r.get(item, where, "nation", "str")
    kind = r.get(item, where, "type", "str")
    count = r.get(item, where, "count", "pos")
    caps = r.get(item, where, "capabilities", "strs", frozenset())
    prefix = r.get(item, where, "id_prefix", "str", f"{nation}-{kind}")
    if None in (nation, kind, count, caps):
        return []
    check = next((c for c in checks if kind in c.aircraft_types), None)
    if check is None:
        r.problem(
            (*where, "type"), N_("no check type covers aircraft type '{type}'"), type=str(kind)
        )
        return []
    out = []
    for i in range(count):
        share = (i + 0.5) / count
        out.append(
            Aircraft(
                id=f"{prefix}-{i + 1:02d}",
                nation=nation,
                type=kind,
                capabilities=caps | {kind},
                hours_left=round(share * check.max_hours),
                months_left=round(share * check.max_months),
            )
        )
    return out


def _one_aircraft(
    r: _Reader, where: Path_, item: dict[str, Any], facility_ids: set[str]
) -> Aircraft | None:
    values = [
        r.get(item, where, "id", "str"),
        r.get(item, where, "nation", "str"),
        r.get(item, where, "type", "str"),
        r.get(item, where, "capabilities", "strs", frozenset()),
        r.get(item, where, "hours_left", "int"),
        r.get(item, where, "months_left", "anyint"),
    ]
    check = None
    if "check_under_way" in item:
        cw = r.get(item, where, "check_under_way", "map") or {}
        at = (*where, "check_under_way")
        first = cw.get("start")
        facility = r.get(cw, at, "facility", "str")
        if not isinstance(first, int) or isinstance(first, bool):
            r.problem((*at, "start"), N_("must be an integer period (negative before the horizon)"))
        elif facility is not None:
            if facility not in facility_ids:
                r.problem(
                    (*at, "facility"), N_("unknown facility '{facility}'"), facility=str(facility)
                )
            check = CheckUnderWay(first, facility)
    mission = None
    if "mission_under_way" in item:
        mw = r.get(item, where, "mission_under_way", "map") or {}
        at = (*where, "mission_under_way")
        mid = r.get(mw, at, "mission", "str")
        served = r.get(mw, at, "served", "pos")
        if mid is not None and served is not None:
            mission = MissionUnderWay(mid, served)
    if None in values:
        return None
    aid, nation, kind, caps, hours, months = values
    return Aircraft(aid, nation, kind, caps | {kind}, hours, months, check, mission)
