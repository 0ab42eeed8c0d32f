"""Issue 17: the room server — nothing without the join token (403 on every route), listens only where told,
body limits, bad JSON is a one-line 400, facilitator-only actions, and the `journeymap workshop` command."""

from __future__ import annotations

import http.client
import json
import os
import re
import signal
import socket
import subprocess
import sys
import uuid
from pathlib import Path

import pytest

import journeymap as jm
from journeymap.room.server import MAX_BODY, RoomServer
from journeymap.room.state import Room

ROOT = Path(__file__).resolve().parents[1]
ROUTES = [("GET", "/"), ("GET", "/index.html"), ("GET", "/static/participant.js"), ("GET", "/static/participant.css"),
          ("GET", "/api/state"), ("GET", "/api/state?since=0"), ("GET", "/favicon.ico"), ("GET", "/nope"),
          ("HEAD", "/"), ("POST", "/api/op"), ("POST", "/api/save"), ("POST", "/nope"),
          ("GET", "/api/timer"), ("POST", "/api/timer")]


@pytest.fixture
def server(tmp_path):
    path = tmp_path / "j.yaml"
    jm.save(jm.load(jm.shipped_journey("retail_bopis_multichannel")), path)
    srv = RoomServer(Room(path), port=0).start()
    yield srv
    srv.stop()


def request(srv: RoomServer, method: str, path: str, body: bytes | None = None, headers: dict | None = None,
            host: str = "127.0.0.1") -> tuple[int, dict, bytes]:
    conn = http.client.HTTPConnection(host, srv.port, timeout=30)
    try:
        conn.request(method, path, body=body, headers=headers or {})
        res = conn.getresponse()
        return res.status, dict(res.getheaders()), res.read()
    finally:
        conn.close()


def post(srv: RoomServer, path: str, data: object, token: str) -> tuple[int, dict]:
    status, _, body = request(srv, "POST", path, json.dumps(data).encode(), {"X-Room-Token": token,
                                                                            "Content-Type": "application/json"})
    return status, json.loads(body)


def note(text: str = "x", who: str = "Ana", oid: str | None = None) -> dict:
    return {"id": oid or str(uuid.uuid4()), "participant": who, "kind": "note",
            "payload": {"on": "product_page", "kind": "pain", "text": text}}


@pytest.mark.parametrize(("method", "path"), ROUTES)
def test_no_token_no_content(server, method, path):
    for extra, headers in [("", {}), ("?t=wrong", {}), (f"?t={server.token[:-1]}", {}),
                           (f"?t={server.token.upper()}x", {}), ("", {"X-Room-Token": "nope"}),
                           (f"?t={server.token}%00", {})]:
        sep = "&" if "?" in path and extra else ""
        full = path + (extra.replace("?", "&") if sep else extra)
        status, headers_out, body = request(server, method, full, b"{}" if method == "POST" else None,
                                            {**headers, "Content-Length": "2"} if method == "POST" else headers)
        assert (status, body) == (403, b""), (method, full)
        assert "Content-Type" not in headers_out


def test_the_token_opens_the_page_in_the_query_or_a_header(server):
    status, headers, body = request(server, "GET", f"/?t={server.token}")
    assert status == 200 and f"participant.js?t={server.token}" in body.decode()
    assert "script-src 'self'" in headers["Content-Security-Policy"] and headers["Referrer-Policy"] == "no-referrer"
    assert server.facilitator_token not in body.decode()
    status, headers, js = request(server, "GET", "/static/participant.js", headers={"X-Room-Token": server.token})
    assert status == 200 and headers["Content-Type"].startswith("text/javascript")
    assert "innerHTML" not in js.decode() and "textContent" in js.decode()


def test_listens_only_where_told(server):
    assert server.server_address[0] == "127.0.0.1"
    with pytest.raises(OSError), socket.create_connection(("127.0.0.2", server.port), timeout=5):
        pass
    lan = socket.gethostbyname(socket.gethostname())
    if not lan.startswith("127."):
        with pytest.raises(OSError), socket.create_connection((lan, server.port), timeout=5):
            pass


def test_body_limits_and_bad_json(server):
    t = {"X-Room-Token": server.token}
    status, _, body = request(server, "POST", "/api/op", b"x" * (MAX_BODY + 1), t)
    assert status == 413 and b"too large" in body
    status, _, body = request(server, "POST", "/api/op", b"{bad json", t)
    assert status == 400 and body.count(b"\n") == 1 and json.loads(body)["error"].startswith("bad JSON")
    status, _, body = request(server, "POST", "/api/op", b"[1, 2]", t)
    assert status == 400 and b"expected an object" in body
    conn = http.client.HTTPConnection("127.0.0.1", server.port, timeout=30)
    conn.putrequest("POST", "/api/op")
    conn.putheader("X-Room-Token", server.token)
    conn.endheaders()
    assert conn.getresponse().status == 411
    conn.close()
    status, data = post(server, "/api/op", {**note(), "payload": {"on": "product_page", "kind": "pain",
                                                                   "text": "y" * 2001}}, server.token)
    assert status == 409 and "1 to 2000" in data["error"]
    status, data = post(server, "/api/op", {"id": 5}, server.token)
    assert status == 400 and data["error"].startswith("bad op: id")


def test_ops_once_roles_and_state(server):
    first = note("=HYPERLINK(\"http://x\") <img src=x onerror=alert(1)>")
    assert post(server, "/api/op", first, server.token) == (200, {"ok": True, "version": 1})
    assert post(server, "/api/op", first, server.token) == (200, {"ok": True, "version": 1})  # a retry
    status, data = post(server, "/api/op", {"id": str(uuid.uuid4()), "participant": "Ana", "kind": "open_round",
                                            "payload": {"round": "r1"}}, server.token)
    assert status == 409 and "only the facilitator" in data["error"]
    status, data = post(server, "/api/op", {"id": str(uuid.uuid4()), "participant": "Fac", "kind": "open_round",
                                            "payload": {"round": "r1", "dots": 2}}, server.facilitator_token)
    assert status == 200
    assert post(server, "/api/save", {}, server.token)[0] == 403
    assert post(server, "/api/save", {}, server.facilitator_token) == (200, {"ok": True, "version": 2})
    saved = jm.load(server.room.path)
    assert [p.text for p in saved.touchpoint("product_page").pain_points][-1] == first["payload"]["text"]
    status, _, body = request(server, "GET", "/api/state?me=Ana", headers={"X-Room-Token": server.token})
    state = json.loads(body)
    assert state["version"] == 2 and state["role"] == "participant" and "ranking" not in state
    assert first["payload"]["text"] in [p["text"] for c in state["cards"] for p in c["pains"]]
    assert state["votes"][0]["open"] and state["votes"][0]["dots"] == 2
    status, _, body = request(server, "GET", "/api/state?since=2", headers={"X-Room-Token": server.token})
    assert json.loads(body) == {"version": 2, "unchanged": True}
    status, _, body = request(server, "GET", "/api/state", headers={"X-Room-Token": server.facilitator_token})
    ranking = json.loads(body)["ranking"]
    assert {"id", "kind", "dots", "room_rank", "model_rank"} <= set(ranking[0])
    assert len(server.room.log.ops()) == 2


def test_workshop_command_prints_the_join_address_and_saves_on_stop(tmp_path):
    path = tmp_path / "j.yaml"
    jm.save(jm.load(jm.shipped_journey("retail_bopis_multichannel")), path)
    proc = subprocess.Popen([sys.executable, "-m", "journeymap.cli", "workshop", str(path), "--autosave", "60"],
                            cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                            env={**os.environ, "PYTHONUNBUFFERED": "1"})
    try:
        head = "".join(proc.stdout.readline() for _ in range(3))
        join = re.search(r"participants join: http://127\.0\.0\.1:(\d+)/\?t=(\S+)", head)
        assert join, head
        port, token = int(join.group(1)), join.group(2)
        srv = type("S", (), {"port": port})()
        assert request(srv, "GET", "/")[0] == 403
        assert request(srv, "GET", f"/?t={token}")[0] == 200
        assert post(srv, "/api/op", note("from the CLI room"), token)[0] == 200
    finally:
        proc.send_signal(signal.SIGTERM)
        _out, err = proc.communicate(timeout=120)
    assert proc.returncode == 0, err
    assert "from the CLI room" in [p.text for p in jm.load(path).touchpoint("product_page").pain_points]
    assert (tmp_path / "j.ops.jsonl").exists() and oct((tmp_path / "j.ops.room.json").stat().st_mode)[-3:] == "600"


def test_workshop_command_bad_file_is_one_line(tmp_path):
    bad = tmp_path / "bad.yaml"
    bad.write_text("id: x\n")
    res = subprocess.run([sys.executable, "-m", "journeymap.cli", "workshop", str(bad)], cwd=ROOT,
                         capture_output=True, text=True, timeout=120)
    assert res.returncode == 1 and "Traceback" not in res.stderr and res.stderr.startswith(str(bad))
    assert not list(tmp_path.glob("bad.ops.*"))


def test_page_words_have_both_languages():
    js = (ROOT / "journeymap/room/static/participant.js").read_text()
    blocks = re.search(r"const WORDS = \{\s*en: \{(.*?)\},\s*es: \{(.*?)\},\s*\};", js, re.S)
    assert blocks
    en, es = (set(re.findall(r"(?:^|,)\s*(\w+): \"", b, re.M)) for b in blocks.groups())
    assert en == es and len(en) > 30
    html = (ROOT / "journeymap/room/static/participant.html").read_text()
    for control in re.findall(r"<(?:input|textarea|select)[^>]*id=\"([\w-]+)\"", html):
        assert f'for="{control}"' in html, control  # every field has a visible label


def test_listens_on_the_host_given(tmp_path):
    path = tmp_path / "j.yaml"
    jm.save(jm.load(jm.shipped_journey("hotel_stay")), path)
    srv = RoomServer(Room(path), host="127.0.0.2", port=0).start()
    try:
        assert srv.url().startswith(f"http://127.0.0.2:{srv.port}/?t=")
        assert request(srv, "GET", f"/?t={srv.token}", host="127.0.0.2")[0] == 200
        with pytest.raises(OSError), socket.create_connection(("127.0.0.1", srv.port), timeout=5):
            pass
    finally:
        srv.stop()


def test_join_qr_code_files_and_terminal_text(tmp_path):
    from journeymap.cli_room import write_qr

    files, text = write_qr("http://192.168.1.20:8765/?t=abcdefghijklmnop", tmp_path / "j.yaml")
    svg, png = files
    assert svg.name == "j.join.svg" and "<svg" in svg.read_text() and "Join the workshop room" in svg.read_text()
    assert png.name == "j.join.png" and png.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    rows = text.splitlines()
    assert len(rows) > 10 and set("".join(rows)) <= set("█▀▄ ") and "\x1b" not in text
