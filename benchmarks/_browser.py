"""What the browser benchmarks share: Chromium's flags, free ports, waiting, and the workshop app's server."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests"))
from servers import CHROMIUM as _CHROMIUM
from servers import CHROMIUM_ARGS as ARGS  # one copy of the flags, the route and the port finder: the tests'
from servers import LOCAL, free_port, refuse_off_machine

ROOT = Path(__file__).resolve().parents[1]
CHROMIUM = str(_CHROMIUM)
__all__ = ["ARGS", "CHROMIUM", "LOCAL", "ROOT", "free_port", "jupyter_env", "refuse_off_machine", "wait_for",
           "workshop_server"]


def wait_for(predicate: Callable[[], bool], timeout: float, what: str) -> None:
    deadline = time.monotonic() + timeout
    while not predicate():
        if time.monotonic() > deadline:
            raise SystemExit(f"timed out waiting for {what}")
        time.sleep(0.3)


def jupyter_env(home: Path, **extra: str) -> dict[str, str]:
    """A Jupyter/Voilà environment kept inside ``home`` (no user settings, nothing left behind)."""
    return {**os.environ, "HOME": str(home), "JUPYTER_CONFIG_DIR": str(home / "jc"),
            "JUPYTER_DATA_DIR": str(home / "jd"), "JUPYTER_RUNTIME_DIR": str(home / "rt"),
            "IPYTHONDIR": str(home / "ip"), "MPLBACKEND": "Agg", **extra}


@contextmanager
def workshop_server(home: Path) -> Iterator[tuple[int, Path]]:
    """``make workshop`` on a free port, new journeys under ``home/room``; yields (port, log file) once Voilà
    has a kernel ready."""
    port = free_port()
    log = home / "voila.log"
    env = jupyter_env(home, JOURNEYMAP_WORKSHOP_DIR=str(home / "room"))
    with log.open("wb") as out:
        proc = subprocess.Popen(["make", "-s", "workshop", f"PORT={port}"], cwd=ROOT, env=env, stdout=out,
                                stderr=subprocess.STDOUT, start_new_session=True)
    try:
        wait_for(lambda: "is filled with" in log.read_text(errors="replace"), 120, "Voilà's kernel pool")
        yield port, log
    finally:
        os.killpg(proc.pid, 15)
        proc.wait(timeout=30)
