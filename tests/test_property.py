"""Property test: every valid journey survives save → load unchanged, in YAML and in JSON."""

from __future__ import annotations

import tempfile
from pathlib import Path

from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st
from strategies import journeys

import journeymap as jm
from journeymap.references import endless_loops


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(journeys(), st.sampled_from([".yaml", ".json"]))
def test_load_save_round_trip(journey, suffix):
    assume(not endless_loops(journey))  # a loop customers can never leave is refused on load, by design
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / f"j{suffix}"
        jm.save(journey, path)
        assert jm.load(path) == journey
