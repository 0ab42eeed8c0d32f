"""Starting and stopping the local servers the tests drive (JupyterLab, Voilà), and the Chromium that drives them.

Browser test modules (and benchmarks/_browser.py) import from here: a second ``conftest.py`` under tests/browser
would clash with tests/conftest.py under pytest's rootdir import mode.
"""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import time
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any

CHROMIUM = Path("/usr/bin/chromium")
#: Flags for Debian's Chromium in a sandboxed, offline machine.
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run"]
#: Addresses a page may load from: this machine, and what a page makes itself.
LOCAL = ("http://127.0.0.1", "http://localhost", "ws://127.0.0.1", "data:", "blob:", "about:")


def write_notebook(path: Path, source: str) -> Path:
    """A one-cell Python notebook at ``path`` (for Voilà or JupyterLab to run); returns ``path``."""
    nb = {"cells": [{"cell_type": "code", "metadata": {}, "outputs": [], "execution_count": None, "source": source}],
          "metadata": {"kernelspec": {"name": "python3", "display_name": "Python 3", "language": "python"}},
          "nbformat": 4, "nbformat_minor": 5}
    path.write_text(json.dumps(nb))
    return path


@contextmanager
def chromium(home: Path) -> Iterator[Any]:
    """Debian's headless Chromium through Playwright, its profile and settings kept inside ``home``."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS,
                                    env={**os.environ, "HOME": str(home), "XDG_CONFIG_HOME": str(home / ".config")})
        try:
            yield browser
        finally:
            browser.close()


def refuse_off_machine(context: Any, refused: list[str], local: Sequence[str] = LOCAL) -> None:
    """Route every request of a browser ``context``: addresses starting with one of ``local`` go through; any
    other is noted in ``refused`` and aborted."""
    prefixes = tuple(local)

    def route(r: Any) -> None:
        if r.request.url.startswith(prefixes):
            r.continue_()
        else:
            refused.append(r.request.url)
            r.abort()

    context.route("**/*", route)


def free_port() -> int:
    """A TCP port nobody listens on right now (on 127.0.0.1)."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def stop(proc: subprocess.Popen) -> None:
    """Stop a server started with ``start_new_session=True`` and everything it spawned."""
    try:
        os.killpg(proc.pid, signal.SIGTERM)
        proc.wait(timeout=20)
    except ProcessLookupError:
        return
    except subprocess.TimeoutExpired:
        os.killpg(proc.pid, signal.SIGKILL)
        proc.wait()


def jupyter_env(home: Path) -> dict[str, str]:
    """Environment for a Jupyter/Voilà server whose settings, kernels and caches all stay inside ``home``."""
    return {**os.environ, "HOME": str(home), "JUPYTER_CONFIG_DIR": str(home / "jupyter"),
            "JUPYTER_DATA_DIR": str(home / "jupyter-data"), "JUPYTER_RUNTIME_DIR": str(home / "runtime"),
            "IPYTHONDIR": str(home / "ipython"), "MPLBACKEND": "Agg", "DISPLAY": "", "WAYLAND_DISPLAY": ""}


def serve(cmd: list[str], folder: Path, home: Path, port: int, timeout: float = 120) -> subprocess.Popen:
    """Start a server (``cmd``) in ``folder`` and wait until it listens on ``port``; its log is
    ``home/server.log``. Raises ``RuntimeError`` with the log's end if it does not start."""
    log = home / "server.log"
    with log.open("wb") as out:
        proc = subprocess.Popen(cmd, cwd=folder, env=jupyter_env(home), stdout=out, stderr=subprocess.STDOUT,
                                start_new_session=True)
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline and proc.poll() is None:
        with socket.socket() as s:
            if s.connect_ex(("127.0.0.1", port)) == 0:
                return proc
        time.sleep(0.3)
    stop(proc)
    raise RuntimeError(f"server did not start:\n{log.read_text(errors='replace')[-3000:]}")


@contextmanager
def voila(folder: Path, home: Path, bin_dir: Path) -> Iterator[str]:
    """A Voilà server on ``folder`` (from ``bin_dir``); yields the address notebooks render under."""
    port = free_port()
    proc = serve([str(bin_dir / "voila"), "--no-browser", f"--port={port}", "--Voila.ip=127.0.0.1", str(folder)],
                 folder, home, port)
    try:
        yield f"http://127.0.0.1:{port}/voila/render/"
    finally:
        stop(proc)
