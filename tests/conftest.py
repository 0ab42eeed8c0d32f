"""Shared fixtures: a small valid journey as plain data, and a writer for test files."""

from __future__ import annotations

import copy
import os
from pathlib import Path

import pytest
import yaml
from servers import CHROMIUM

# Parquet logs in the tests are small: without this they would run in memory (journeymap/analytics/_memory.py)
# and the DuckDB engine would go untested; tests of the in-memory route set it themselves.
os.environ.setdefault("JOURNEYMAP_MEMORY_ROWS", "0")

BASE = {
    "id": "mini",
    "title": "Mini journey",
    "stages": [
        {"id": "aware", "name": "Awareness"},
        {"id": "buy", "name": "Purchase"},
    ],
    "touchpoints": [
        {"id": "ad", "stage": "aware", "channel": "instagram", "action": "Sees an ad", "emotion": 1},
        {"id": "web", "stage": "buy", "channel": "website", "action": "Orders", "effort": 3,
         "pain_points": [{"id": "slow", "text": "Slow checkout", "severity": 3, "frequency": 0.4}]},
        {"id": "shop", "stage": "buy", "channel": "store", "action": "Picks up", "emotion": -1},
    ],
    "transitions": [
        {"from": "ad", "to": "web", "share": 0.3, "context": "partial"},
        {"from": "web", "to": "shop", "share": 0.9, "context": "none", "recognised": False},
    ],
    "opportunities": [{"id": "fast", "text": "One-click checkout", "addresses": ["slow"]}],
}


@pytest.fixture
def base() -> dict:
    """A fresh deep copy of a small valid journey, as data."""
    return copy.deepcopy(BASE)


@pytest.fixture
def write(tmp_path: Path):
    """Write data (dict → YAML) or raw text to a file in tmp_path and return its path."""

    def _write(content, name: str = "journey.yaml") -> Path:
        path = tmp_path / name
        path.parent.mkdir(parents=True, exist_ok=True)
        text = content if isinstance(content, str) else yaml.safe_dump(content, sort_keys=False)
        path.write_text(text, encoding="utf-8")
        return path

    return _write


def pytest_collection_modifyitems(config, items):
    """Browser tests need Debian's Chromium: required when ``CI=true``; skipped loudly elsewhere if absent."""
    browser_items = [item for item in items if "browser" in item.path.parts]
    if not browser_items or CHROMIUM.exists():
        return
    if os.environ.get("CI") == "true":
        raise pytest.UsageError("CI=true but /usr/bin/chromium is missing: `apt-get install -y chromium`")
    skip = pytest.mark.skip(reason="SKIPPED BROWSER TESTS: /usr/bin/chromium is not installed "
                                   "(apt-get install -y chromium)")
    for item in browser_items:
        item.add_marker(skip)


@pytest.fixture(scope="session")
def spark():
    """One local Spark session for every Spark test (2 cores, UTC); skipped without Java outside CI."""
    import shutil

    in_ci = os.environ.get("CI") == "true"
    if shutil.which("java") is None and not in_ci:
        pytest.skip("no Java runtime (required in CI)")
    if not in_ci:
        pytest.importorskip("pyspark")
    from pyspark.sql import SparkSession

    session = (SparkSession.builder.master("local[2]").appName("journeymap-tests")
               .config("spark.sql.shuffle.partitions", "2").config("spark.default.parallelism", "2")
               .config("spark.ui.enabled", "false").config("spark.sql.session.timeZone", "UTC")
               .config("spark.driver.memory", "1g").config("spark.sql.adaptive.enabled", "true")
               .getOrCreate())
    session.sparkContext.setLogLevel("ERROR")
    yield session
    session.stop()
