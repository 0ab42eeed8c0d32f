"""Browser tests need Debian's Chromium: required when ``CI=true``; skipped loudly elsewhere if absent."""

import os

import pytest
from servers import CHROMIUM


def pytest_collection_modifyitems(config, items):
    if CHROMIUM.exists():
        return
    if os.environ.get("CI") == "true":
        raise pytest.UsageError("CI=true but /usr/bin/chromium is missing: `apt-get install -y chromium`")
    skip = pytest.mark.skip(reason="SKIPPED BROWSER TESTS: /usr/bin/chromium is not installed "
                                   "(apt-get install -y chromium)")
    for item in items:
        if "browser" in item.path.parts:
            item.add_marker(skip)
