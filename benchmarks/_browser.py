"""What the browser benchmarks share: Chromium's flags, free ports, waiting, and the workshop app's server."""

from __future__ import annotations

import os
import socket
import subprocess
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
CHROMIUM = "/usr/bin/chromium"
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
        "--disable-component-update", "--disable-sync", "--no-first-run"]
LOCAL = ("http://127.0.0.1", "http://localhost", "ws://127.0.0.1", "data:", "blob:", "about:")


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


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


def refuse_off_machine(context, refused: list[str]) -> None:
    """Let local requests through; refuse (and note) every other one."""

    def route(r):
        if r.request.url.startswith(LOCAL):
            r.continue_()
        else:
            refused.append(r.request.url)
            r.abort()

    context.route("**/*", route)
