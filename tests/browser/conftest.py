"""The Chromium every browser test drives: Debian's, headless, offline flags, its profile in a temp HOME."""

from __future__ import annotations

import os

import pytest
from servers import CHROMIUM, CHROMIUM_ARGS


@pytest.fixture(scope="module")
def browser(tmp_path_factory):
    from playwright.sync_api import sync_playwright

    home = tmp_path_factory.mktemp("chromium-home")
    with sync_playwright() as p:
        chromium = p.chromium.launch(executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS,
                                     env={**os.environ, "HOME": str(home), "XDG_CONFIG_HOME": str(home / ".config")})
        yield chromium
        chromium.close()
