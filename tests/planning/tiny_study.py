"""A tiny scenario for the study tests: four helicopters, two facilities, twelve months."""

from __future__ import annotations

TINY = """\
# A tiny study scenario (invented figures).
name: tiny study
illustrative: true
note: invented for tests
start: 2027-01
periods: 12
joint_cap: {BEL: 1, NLD: 1}
check_types:
  - {id: H-check, aircraft_types: [H], duration: 2, max_hours: 100, max_months: 6, window: 2}
facilities:
  - {id: BEL-F, nation: BEL, types: [H], slots: 1, cost: 10, transit_cost: 5}
  - {id: NLD-F, nation: NLD, types: [H], slots: 1, cost: 12, transit_cost: 5}
aircraft:
  - {id: BEL-1, nation: BEL, type: H, hours_left: 60, months_left: 4}
  - {id: BEL-2, nation: BEL, type: H, hours_left: 100, months_left: 7}
  - {id: NLD-1, nation: NLD, type: H, hours_left: 40, months_left: 3}
  - {id: NLD-2, nation: NLD, type: H, hours_left: 90, months_left: 8}
missions:
  - {id: BEL-m, nation: BEL, start: 2027-01, end: 2027-12, required: 1, hours: 20, min_consecutive: 2}
  - {id: NLD-m, nation: NLD, start: 0, end: 11, required: 2, hours: 20, min_consecutive: 2}
floors:
  - {nation: BEL, type: H, min_available: 1, min_hours: 40}
"""

BROKEN = """\
name: broken study
start: 2027-01
periods: 12
check_types:
  - {id: H-check, aircraft_types: [H], duration: two, max_hours: 100, max_months: 6, window: 2}
"""
"""Line 5 holds ``check_types[0].duration``, which is not a number."""
