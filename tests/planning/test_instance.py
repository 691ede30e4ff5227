"""The scenario's dataclasses: what the engine's other modules rely on beyond the rules."""

from __future__ import annotations

import dataclasses
import pickle
from types import MappingProxyType

import pytest

from .conftest import tiny_instance


def test_an_instance_pickles_with_its_read_only_mappings() -> None:
    # A part's relaxation runs in a process of its own (offload.py): its instance,
    # slots taken by the other parts included, must travel there whole.
    instance = dataclasses.replace(
        tiny_instance(),
        joint_cap=MappingProxyType({"BEL": 1}),
        taken_slots=MappingProxyType({("BEL-F", 3): 1}),
    )
    copied = pickle.loads(pickle.dumps(instance))
    assert copied == instance
    assert copied.taken_slots == {("BEL-F", 3): 1}
    assert copied.joint_cap == {"BEL": 1}
    for mapping in (copied.taken_slots, copied.joint_cap):
        assert isinstance(mapping, MappingProxyType)
        with pytest.raises(TypeError):
            mapping["x"] = 1  # type: ignore[index]
