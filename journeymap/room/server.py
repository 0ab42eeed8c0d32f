"""The room's HTTP server (standard library only): the participant page and a small JSON API.

Every request must carry a join token (``?t=TOKEN`` or the ``X-Room-Token`` header), compared in constant
time; without it the answer is ``403`` with an empty body, whatever the path (static files too). The
facilitator has a second, separate token: the same page then shows the facilitator's controls (open and
close voting rounds, resolve comments, save, the room's ranking next to the model's).

Routes: ``GET /`` (the page), ``GET /static/participant.{js,css}``, ``GET /api/state[?since=N]``,
``POST /api/op`` (one op, JSON, at most :data:`MAX_BODY` bytes), ``POST /api/save`` (facilitator),
``GET /api/timer`` (the agenda's current step and time left; the facilitator also gets every step) and
``POST /api/timer`` ``{"action": "start|pause|next|previous|add_minute|reset"}`` (facilitator; see
:mod:`journeymap.room.agenda`).
Errors are one JSON line ``{"error": "..."}`` with 400 (bad JSON or op), 404, 409 (an op that cannot apply
now), 411/413 (no or too large body).

User text is data: the API sends it as JSON and the page sets it with ``textContent``; the page's
Content-Security-Policy allows only its own script and style.
"""

from __future__ import annotations

import hmac
import json
import secrets
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlsplit

from journeymap.room.agenda import DEFAULT_AGENDA, LANGS, Agenda, Timer, timer_path
from journeymap.room.state import Room, now_iso

#: Largest request body accepted, in bytes.
MAX_BODY = 8_192
STATIC = Path(__file__).with_name("static")
_TYPES = {".js": "text/javascript; charset=utf-8", ".css": "text/css; charset=utf-8"}
_HEADERS = {
    "Cache-Control": "no-store",
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",  # the token is in the address: never send it on
    "X-Frame-Options": "DENY",
    "Content-Security-Policy": "default-src 'none'; script-src 'self'; style-src 'self'; connect-src 'self'; "
                               "img-src 'self' data:; base-uri 'none'; form-action 'none'; frame-ancestors 'none'",
}


class _Handler(BaseHTTPRequestHandler):
    server: RoomServer
    protocol_version = "HTTP/1.1"

    def log_message(self, format: str, *args: Any) -> None:  # quiet: the terminal shows the join address
        pass

    # -- answers ---------------------------------------------------------------
    def _send(self, status: int, body: bytes = b"", ctype: str = "application/json; charset=utf-8") -> None:
        self.send_response(status)
        for k, v in _HEADERS.items():
            self.send_header(k, v)
        if body:
            self.send_header("Content-Type", ctype)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(body)

    def _json(self, status: int, data: Any) -> None:
        self._send(status, (json.dumps(data, ensure_ascii=False, separators=(",", ":")) + "\n").encode("utf-8"))

    def _error(self, status: int, message: str) -> None:
        self._json(status, {"error": " ".join(message.split())[:300]})

    # -- who is asking -----------------------------------------------------------
    def _role(self) -> str | None:
        query = parse_qs(urlsplit(self.path).query)
        given = self.headers.get("X-Room-Token") or (query.get("t") or [""])[0]
        given_b = given.encode("utf-8", "replace")
        found = None
        for role, token in (("participant", self.server.token), ("facilitator", self.server.facilitator_token)):
            if hmac.compare_digest(given_b, token.encode("ascii")):
                found = role
        return found

    def _route(self) -> tuple[str | None, str]:
        role = self._role()
        if role is None:
            self.close_connection = True
            self._send(403)
        return role, urlsplit(self.path).path

    def do_HEAD(self) -> None:
        self.do_GET()

    def do_GET(self) -> None:
        self._guarded(self._get)

    def do_POST(self) -> None:
        self._guarded(self._post)

    def _guarded(self, method: Any) -> None:
        try:
            method()
        except Exception as exc:  # never a traceback: one line, and the room goes on
            self.close_connection = True
            self._error(500, f"internal error: {type(exc).__name__}: {exc}")

    def _get(self) -> None:
        role, path = self._route()
        if role is None:
            return
        if path in ("/", "/index.html"):
            page = (STATIC / "participant.html").read_text(encoding="utf-8")
            token = self.server.facilitator_token if role == "facilitator" else self.server.token
            self._send(200, page.replace("{{TOKEN}}", token).encode("utf-8"), "text/html; charset=utf-8")
        elif path.startswith("/static/") and path[8:] in ("participant.js", "participant.css"):
            f = STATIC / path[8:]
            self._send(200, f.read_bytes(), _TYPES[f.suffix])
        elif path == "/api/state":
            query = parse_qs(urlsplit(self.path).query)
            since = query.get("since", [""])[0]
            room = self.server.room
            room.refresh()
            if since.isdigit() and int(since) == room.version:
                self._json(200, {"version": room.version, "unchanged": True})
            else:
                self._json(200, room.state(role, query.get("me", [""])[0][:60]))
        elif path == "/api/timer":
            lang = self.server.room.journey.lang
            self._json(200, self.server.timer.view(role, lang if lang in LANGS else "en"))
        else:
            self._error(404, f"no such page: {path[:80]}")

    def _body(self) -> Any:
        length = self.headers.get("Content-Length")
        if length is None or not length.isdigit():
            self._error(411, "a Content-Length header is required")
            return None
        if int(length) > MAX_BODY:
            self.close_connection = True
            self._error(413, f"request body too large ({length} bytes; at most {MAX_BODY})")
            return None
        raw = self.rfile.read(int(length))
        try:
            data = json.loads(raw.decode("utf-8"))
        except (ValueError, UnicodeDecodeError) as exc:
            self._error(400, f"bad JSON: {exc}")
            return None
        if not isinstance(data, dict):
            self._error(400, "bad JSON: expected an object")
            return None
        return data

    def _post(self) -> None:
        role, path = self._route()
        if role is None:
            return
        if path not in ("/api/op", "/api/save", "/api/timer"):
            self._error(404, f"no such page: {path[:80]}")
            return
        data = self._body()
        if data is None:
            return
        room = self.server.room
        if path == "/api/save":
            if role != "facilitator":
                self._error(403, "only the facilitator saves")
                return
            self.server.save()
            self._json(200, {"ok": True, "version": room.version})
            return
        if path == "/api/timer":
            self._timer(role, data)
            return
        op = {"id": data.get("id"), "participant": data.get("participant"), "role": role,
              "kind": data.get("kind"), "payload": data.get("payload", {}), "at": now_iso()}
        try:
            reason = room.submit(op)
        except ValueError as exc:  # too large once logged
            self._error(413, str(exc))
            return
        if reason is None:
            self._json(200, {"ok": True, "version": room.version})
        else:
            self._error(400 if reason.startswith("bad op") else 409, reason)

    def _timer(self, role: str, data: dict[str, Any]) -> None:
        if role != "facilitator":
            self._error(403, "only the facilitator runs the timer")
            return
        try:
            self.server.timer.act(str(data.get("action")))
        except ValueError as exc:
            self._error(400, f"{exc} (got {str(data.get('action'))[:40]!r})")
            return
        lang = self.server.room.journey.lang
        self._json(200, self.server.timer.view(role, lang if lang in LANGS else "en"))


class RoomServer(ThreadingHTTPServer):
    """Serves one :class:`~journeymap.room.state.Room` on ``host:port`` (``port=0``: any free port)."""

    daemon_threads = True
    allow_reuse_address = True

    def __init__(self, room: Room, host: str = "127.0.0.1", port: int = 0, token: str | None = None,
                 facilitator_token: str | None = None, autosave_s: float | None = None,
                 agenda: Agenda | None = None, timer: Timer | None = None):
        self.room = room
        #: The facilitator's agenda and countdown, kept in ``<journey>.ops.timer.json``.
        self.timer = timer or Timer(agenda or DEFAULT_AGENDA, timer_path(room.path))
        self.token = token or secrets.token_urlsafe(18)
        self.facilitator_token = facilitator_token or secrets.token_urlsafe(18)
        if hmac.compare_digest(self.token, self.facilitator_token):
            raise ValueError("the facilitator's token must differ from the join token")
        super().__init__((host, port), _Handler)
        self._saved_version = -1
        self._save_lock = threading.Lock()
        self._stop = threading.Event()
        self._autosave = autosave_s
        self._thread: threading.Thread | None = None

    @property
    def port(self) -> int:
        return self.server_address[1]

    def url(self, host: str | None = None, facilitator: bool = False) -> str:
        """The join address (``facilitator=True``: the facilitator's)."""
        token = self.facilitator_token if facilitator else self.token
        bound = self.server_address[0]
        shown = host or (bound.decode() if isinstance(bound, bytes) else str(bound))
        return f"http://{shown}:{self.port}/?t={token}"

    def save(self) -> bool:
        """Save the room's journey if it changed since the last save; ``True`` if written."""
        with self._save_lock:
            self.room.refresh()
            if self.room.version == self._saved_version:
                return False
            self.room.save()
            self._saved_version = self.room.version
            return True

    def _autosaver(self) -> None:
        assert self._autosave is not None
        while not self._stop.wait(self._autosave):
            self.save()

    def start(self) -> RoomServer:
        """Serve in background threads (and autosave, if asked); returns self."""
        self._thread = threading.Thread(target=self.serve_forever, daemon=True)
        self._thread.start()
        if self._autosave:
            threading.Thread(target=self._autosaver, daemon=True).start()
        return self

    def stop(self) -> None:
        """Stop serving, save and close the socket."""
        self._stop.set()
        self.shutdown()
        self.save()
        self.server_close()
