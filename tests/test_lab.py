"""`make lab` starts JupyterLab headless on localhost and serves the quickstart notebook."""

from __future__ import annotations

import json
import os
import secrets
import subprocess
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest
from servers import free_port, stop

ROOT = Path(__file__).resolve().parent.parent


def _get(url: str, token: str) -> tuple[int, bytes]:
    req = urllib.request.Request(url, headers={"Authorization": f"token {token}"})
    try:
        with urllib.request.urlopen(req, timeout=10) as resp:
            return resp.status, resp.read()
    except urllib.error.HTTPError as exc:
        return exc.code, b""


@pytest.mark.slow
def test_make_lab_serves_the_quickstart(tmp_path):
    port, token = free_port(), secrets.token_hex(8)
    log = tmp_path / "lab.log"
    env = {**os.environ, "DISPLAY": "", "WAYLAND_DISPLAY": ""}
    with log.open("wb") as out:
        proc = subprocess.Popen(
            ["make", "-s", "lab", f"PORT={port}", f"LAB_ARGS=--IdentityProvider.token={token}"],
            cwd=ROOT, stdout=out, stderr=subprocess.STDOUT, env=env, start_new_session=True,
        )
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 120
        status = None
        while time.monotonic() < deadline and proc.poll() is None:
            try:
                status, _ = _get(f"{base}/api/status", token)
                if status == 200:
                    break
            except OSError:
                pass
            time.sleep(0.5)
        text = log.read_text(errors="replace")
        assert status == 200, f"server did not answer:\n{text[-2000:]}"
        assert f"{base}/lab/tree/notebooks/01_quickstart.ipynb?token=" in text, "the URL is printed"
        status, body = _get(f"{base}/lab/tree/notebooks/01_quickstart.ipynb", token)
        assert status == 200 and b"JupyterLab" in body
        status, body = _get(f"{base}/api/contents/notebooks/01_quickstart.ipynb", token)
        assert status == 200, f"contents API answered {status}"
        model = json.loads(body)
        assert model["type"] == "notebook" and model["content"]["cells"]
    finally:
        stop(proc)
