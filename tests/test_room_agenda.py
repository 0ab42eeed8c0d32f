"""Issue 17 part 5: the facilitator's agenda and timer — the default agenda in en and es, agenda files (good and
bad: one line naming file, line, field and value), the countdown's arithmetic with an injected clock (no sleeps),
a restarted room keeps the time, and only the facilitator's token runs the timer."""

from __future__ import annotations

import http.client
import json
import re
import subprocess
import sys
from pathlib import Path

import pytest

import journeymap as jm
from journeymap.errors import JourneyError
from journeymap.room.agenda import DEFAULT_AGENDA, Agenda, Timer, clock_text, load_agenda, timer_path
from journeymap.room.server import RoomServer
from journeymap.room.state import Room

ROOT = Path(__file__).resolve().parents[1]
LINE = re.compile(r"^(?P<file>\S+?):(?P<line>\d+): (?P<field>[\w\[\].]+): (?P<msg>.+)$")


class Clock:
    def __init__(self, t: float = 1_800_000_000.0):
        self.t = t

    def __call__(self) -> float:
        return self.t


# -- the agenda as data ---------------------------------------------------------------------------------------
def test_default_agenda_has_the_workshop_steps_in_both_languages():
    ids = [s.id for s in DEFAULT_AGENDA.steps]
    assert ids == ["welcome", "persona", "stages", "touchpoints", "emotions", "voting", "opportunities", "wrap_up"]
    en, es = DEFAULT_AGENDA.view("en"), DEFAULT_AGENDA.view("es")
    assert [s["id"] for s in en] == [s["id"] for s in es] == ids
    assert [s["minutes"] for s in en] == [s["minutes"] for s in es] and DEFAULT_AGENDA.total_minutes == 120
    for a, b in zip(en, es, strict=True):
        assert a["title"] and b["title"] and len(a["do"]) > 40 and len(b["do"]) > 40
        assert a["do"] != b["do"]  # really translated, not copied
    assert es[0]["title"] == "Bienvenida y objetivo" and en[5]["title"] == "Dot-voting"
    assert any("ñ" in s["do"] or "á" in s["do"] for s in es)


def test_agenda_file_long_short_and_bare_list_forms(tmp_path):
    f = tmp_path / "agenda.yaml"
    f.write_text("steps:\n"
                 "  - id: intro\n    minutes: 5\n    title: {en: Hello, es: Hola}\n    do: {en: Say hi, es: Saludad}\n"
                 "  - id: map\n    minutes: 42.5\n    title: Mapa\n    do: Draw\n")
    agenda = load_agenda(f)
    assert agenda.view("es") == [{"id": "intro", "minutes": 5, "title": "Hola", "do": "Saludad"},
                                 {"id": "map", "minutes": 42.5, "title": "Mapa", "do": "Draw"}]
    assert agenda.view("en")[0]["title"] == "Hello"
    g = tmp_path / "bare.yaml"
    g.write_text("- {id: a, minutes: 1, title: A, do: B}\n")
    assert [s.id for s in load_agenda(g).steps] == ["a"]
    h = tmp_path / "agenda.json"
    h.write_text(json.dumps(DEFAULT_AGENDA.model_dump()))
    assert load_agenda(h) == DEFAULT_AGENDA


BAD = [  # (file text, expected lines: (line, field, message fragment, value shown))
    ("steps:\n  - id: a\n    minutes: -3\n    title: A\n    do: B\n",
     [(3, "steps[0].minutes", "greater than 0", "(got -3)")]),
    ("steps:\n  - id: a\n    minutes: 5\n    title: {en: A}\n    do: B\n",
     [(4, "steps[0].title.es", "field required", "(got nothing)")]),
    ("steps:\n  - id: a\n    minutes: 5\n    title: A\n    do: B\n    durtion: 3\n",
     [(6, "steps[0].durtion", "unknown field; expected one of: id, minutes, title, do", "(got 'durtion')")]),
    ("steps:\n  - {id: a, minutes: 5, title: A, do: B}\n  - {id: b, minutes: 5, title: A, do: B}\n"
     "  - {id: a, minutes: 5, title: A, do: B}\n",
     [(4, "steps[2].id", "used twice (first in steps[0])", "(got 'a')")]),
    ("steps:\n  - id: a b\n    minutes: five\n    title: A\n    do: B\n",
     [(2, "steps[0].id", "string should match pattern", "(got 'a b')"),
      (3, "steps[0].minutes", "valid number", "(got 'five')")]),
    ("- id: a\n  minutes: 5\n  title: A\n", [(1, "steps[0].do", "field required", "(got nothing)")]),
    ("steps: []\n", [(1, "steps", "at least 1 item", None)]),
]


@pytest.mark.parametrize(("text", "expected"), BAD)
def test_bad_agenda_files_give_one_line_per_problem(tmp_path, text, expected):
    f = tmp_path / "agenda.yaml"
    f.write_text(text)
    with pytest.raises(JourneyError) as err:
        load_agenda(f)
    lines = str(err.value).splitlines()
    assert len(lines) == len(expected), lines
    for got, (line, field, message, value) in zip(lines, expected, strict=True):
        m = LINE.match(got)
        assert m, got
        assert (m["file"], int(m["line"]), m["field"]) == (str(f), line, field), got
        assert message in m["msg"], got
        if value:
            assert m["msg"].endswith(value), got


@pytest.mark.parametrize(("text", "fragment"), [("steps: [\n", "bad YAML syntax"),
                                               ("just words\n", "expected a mapping"),
                                               ("a: 1\na: 2\n", "duplicate key 'a'")])
def test_unreadable_agenda_files_are_one_line_too(tmp_path, text, fragment):
    f = tmp_path / "agenda.yaml"
    f.write_text(text)
    with pytest.raises(JourneyError) as err:
        load_agenda(f)
    assert len(str(err.value).splitlines()) == 1 and str(err.value).startswith(f"{f}:") and fragment in str(err.value)
    with pytest.raises(JourneyError, match=r"nope\.yaml: cannot read file"):
        load_agenda(tmp_path / "nope.yaml")


# -- the timer's arithmetic -------------------------------------------------------------------------------------
def test_timer_start_pause_add_minute_and_over_time():
    clock = Clock()
    timer = Timer(clock=clock)
    assert timer.remaining() == 600 and not timer.running and not timer.used  # welcome: 10 min, not started
    clock.t += 30
    assert timer.remaining() == 600  # nothing runs before start
    timer.act("start")
    clock.t += 75.5
    assert timer.remaining() == pytest.approx(524.5) and timer.view()["clock"] == "08:45"
    timer.act("pause")
    clock.t += 1000
    assert timer.remaining() == pytest.approx(524.5) and timer.view()["running"] is False
    timer.act("pause")  # pausing twice changes nothing
    timer.act("start")
    timer.act("start")  # nor does starting twice
    clock.t += 24.5
    assert timer.remaining() == pytest.approx(500)
    timer.act("add_minute")
    assert timer.remaining() == pytest.approx(560)
    clock.t += 572
    assert timer.remaining() == pytest.approx(-12) and timer.view()["clock"] == "+00:12"


def test_timer_steps_forward_and_back_with_their_own_minutes():
    clock = Clock()
    timer = Timer(clock=clock)
    timer.act("previous")  # already at the first step
    assert timer.step == 0
    timer.act("start")
    clock.t += 200
    timer.act("add_minute")
    timer.act("next")  # persona: 15 min, still running, the extra minute stays with the welcome step
    assert (timer.step, timer.running, timer.remaining()) == (1, True, 900)
    clock.t += 60
    assert timer.remaining() == 840
    timer.act("pause")
    timer.act("next")
    assert (timer.step, timer.running, timer.remaining()) == (2, False, 900)  # stages, paused stays paused
    clock.t += 500
    assert timer.remaining() == 900
    for _ in range(20):
        timer.act("next")
    assert timer.step == 7 and timer.view()["id"] == "wrap_up"  # stops at the last step
    timer.act("previous")
    assert (timer.step, timer.remaining()) == (6, 1200)
    timer.act("reset")
    assert (timer.step, timer.running, timer.remaining()) == (0, False, 600)
    with pytest.raises(ValueError, match="unknown timer action"):
        timer.act("faster")


def test_clock_text_rounds_up_and_marks_over_time():
    assert [clock_text(s) for s in (600, 599.01, 60, 59.2, 0.3, 0, -0.2, -61, 3600)] == [
        "10:00", "10:00", "01:00", "01:00", "00:01", "00:00", "+00:01", "+01:01", "60:00"]


def test_views_for_participants_and_the_facilitator():
    timer = Timer(clock=Clock())
    mine = timer.view("participant", "es")
    assert (mine["title"], mine["step"], mine["count"], mine["clock"]) == ("Bienvenida y objetivo", 0, 8, "10:00")
    assert "steps" not in mine and "do" not in mine
    fac = timer.view("facilitator", "en")
    assert fac["title"] == "Welcome and goal" and fac["do"].startswith("Say who") and len(fac["steps"]) == 8


def test_a_restarted_room_keeps_the_timer(tmp_path):
    clock = Clock()
    f = timer_path(tmp_path / "j.yaml")
    assert f == tmp_path / "j.ops.timer.json"
    timer = Timer(path=f, clock=clock)
    assert not f.exists()  # nothing written before the facilitator uses it
    timer.act("next")
    timer.act("start")
    clock.t += 100
    again = Timer(path=f, clock=clock)  # another process, same file: the same step and time
    assert (again.step, again.running, again.remaining(), again.used) == (1, True, 800, True)
    clock.t += 50
    assert again.remaining() == timer.remaining() == 750  # a restart loses no time: the timer ran on meanwhile
    again.act("pause")
    clock.t += 300
    third = Timer(path=f, clock=clock)
    assert (third.running, third.remaining()) == (False, 750)
    short = Agenda.model_validate({"steps": [{"id": "only", "minutes": 1, "title": "x", "do": "y"}]})
    assert Timer(short, path=f, clock=clock).step == 0  # a shorter agenda than the file's step: its last step
    f.write_text("{not json")
    assert Timer(path=f, clock=clock).step == 0  # an unreadable timer file starts from the first step


# -- the server's routes ----------------------------------------------------------------------------------------
@pytest.fixture
def server(tmp_path):
    path = tmp_path / "j.yaml"
    jm.save(jm.load(jm.shipped_journey("retail_bopis_multichannel")), path)
    clock = Clock()
    srv = RoomServer(Room(path), port=0, timer=Timer(path=timer_path(path), clock=clock)).start()
    srv.clock = clock  # type: ignore[attr-defined]
    yield srv
    srv.stop()


def call(srv, method: str, path: str, token: str | None, data: object = None) -> tuple[int, bytes]:
    conn = http.client.HTTPConnection("127.0.0.1", srv.port, timeout=30)
    body = json.dumps(data).encode() if data is not None else None
    headers = {"X-Room-Token": token} if token else {}
    if body is not None:
        headers["Content-Type"] = "application/json"
    try:
        conn.request(method, path, body=body, headers=headers)
        res = conn.getresponse()
        return res.status, res.read()
    finally:
        conn.close()


def test_timer_routes_need_a_token_and_only_the_facilitator_runs_the_timer(server):
    for method, data in (("GET", None), ("POST", {"action": "start"}), ("HEAD", None)):
        for token in (None, "wrong", server.token[:-1]):
            assert call(server, method, "/api/timer", token, data) == (403, b"")
    status, body = call(server, "POST", "/api/timer", server.token, {"action": "start"})
    assert status == 403 and "only the facilitator" in json.loads(body)["error"]
    for action in ("next", "pause", "add_minute", "reset", "previous"):
        assert call(server, "POST", "/api/timer", server.token, {"action": action})[0] == 403
    assert not server.timer.running and server.timer.step == 0 and not server.timer.used
    assert not timer_path(server.room.path).exists()  # a participant's attempt changed nothing
    status, body = call(server, "POST", "/api/timer", server.facilitator_token, {"action": "start"})
    assert status == 200 and json.loads(body)["running"] is True
    status, body = call(server, "POST", "/api/timer", server.facilitator_token, {"action": "jump"})
    assert status == 400 and len(body.splitlines()) == 1 and "'jump'" in json.loads(body)["error"]


def test_every_page_sees_the_same_step_and_time(server):
    fac = server.facilitator_token
    call(server, "POST", "/api/timer", fac, {"action": "start"})
    server.clock.t += 90
    call(server, "POST", "/api/timer", fac, {"action": "add_minute"})
    status, body = call(server, "GET", "/api/timer", server.token)
    seen = json.loads(body)
    assert status == 200 and (seen["title"], seen["remaining"], seen["clock"], seen["used"]) == (
        "Welcome and goal", 570, "09:30", True)
    assert "steps" not in seen and "do" not in seen  # participants: the step and the time only
    other_tab = json.loads(call(server, "GET", "/api/timer", fac)[1])
    assert other_tab["remaining"] == 570 and [s["id"] for s in other_tab["steps"]][:2] == ["welcome", "persona"]
    call(server, "POST", "/api/timer", fac, {"action": "next"})
    assert json.loads(call(server, "GET", "/api/timer", server.token)[1])["title"] == "Persona"


def test_spanish_journey_gets_the_spanish_agenda(tmp_path):
    path = tmp_path / "s.yaml"
    jm.save(jm.load(jm.shipped_journey("salud_cita_medica")), path)
    srv = RoomServer(Room(path), port=0).start()
    try:
        seen = json.loads(call(srv, "GET", "/api/timer", srv.facilitator_token)[1])
    finally:
        srv.stop()
    assert seen["title"] == "Bienvenida y objetivo" and seen["steps"][5]["title"] == "Votación con puntos"


def test_the_page_has_the_agenda_controls_in_both_languages():
    js = (ROOT / "journeymap/room/static/participant.js").read_text()
    html = (ROOT / "journeymap/room/static/participant.html").read_text()
    for key in ("stepOf", "lastMinute", "timeUp", "sayStep", "sayLast", "addMinute"):
        assert len(re.findall(rf"\b{key}: \"", js)) == 2, key
    assert 'id="agenda-live" class="sr-only" aria-live="polite"' in html
    assert html.count('role="timer"') == 2  # a timer is not a live region: it does not speak every second
    for control in ("agenda-previous", "agenda-toggle", "agenda-next", "agenda-plus"):
        assert f'id="{control}"' in html


def test_workshop_command_bad_agenda_is_one_line(tmp_path):
    path = tmp_path / "j.yaml"
    jm.save(jm.load(jm.shipped_journey("retail_bopis_multichannel")), path)
    bad = tmp_path / "agenda.yaml"
    bad.write_text("steps:\n  - id: a\n    minutes: 0\n    title: A\n    do: B\n")
    res = subprocess.run([sys.executable, "-m", "journeymap.cli", "workshop", str(path), "--agenda", str(bad)],
                         cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert res.returncode == 1 and "Traceback" not in res.stderr
    assert res.stderr.strip() == f"{bad}:3: steps[0].minutes: input should be greater than 0 (got 0)"
    assert not list(tmp_path.glob("j.ops.*"))  # refused before any room file is made


def test_a_restarted_server_shows_the_same_step_and_time(tmp_path):
    path = tmp_path / "j.yaml"
    jm.save(jm.load(jm.shipped_journey("retail_bopis_multichannel")), path)
    clock = Clock()
    first = RoomServer(Room(path), port=0, timer=Timer(path=timer_path(path), clock=clock)).start()
    for action in ("next", "next", "start"):
        call(first, "POST", "/api/timer", first.facilitator_token, {"action": action})
    clock.t += 61
    first.stop()
    clock.t += 9  # the room was down for 9 s: the step's time ran on
    again = RoomServer(Room(path), port=0, token=first.token, facilitator_token=first.facilitator_token,
                       timer=Timer(path=timer_path(path), clock=clock)).start()
    try:
        seen = json.loads(call(again, "GET", "/api/timer", again.token)[1])
    finally:
        again.stop()
    assert (seen["title"], seen["running"], seen["remaining"], seen["clock"]) == ("Stages", True, 830, "13:50")


def test_workshop_command_with_an_agenda_file_and_fresh(tmp_path):
    import os
    import signal

    path = tmp_path / "j.yaml"
    jm.save(jm.load(jm.shipped_journey("retail_bopis_multichannel")), path)
    agenda = tmp_path / "agenda.yaml"
    agenda.write_text("- {id: hello, minutes: 3, title: {en: Hello, es: Hola}, do: Say hi}\n"
                      "- {id: bye, minutes: 2, title: Bye, do: Wave}\n")

    def run(*extra: str) -> dict:
        proc = subprocess.Popen([sys.executable, "-m", "journeymap.cli", "workshop", str(path), "--no-qr",
                                 "--agenda", str(agenda), *extra], cwd=ROOT, stdout=subprocess.PIPE,
                                stderr=subprocess.PIPE, text=True, env={**os.environ, "PYTHONUNBUFFERED": "1"})
        try:
            head = "".join(proc.stdout.readline() for _ in range(3))
            fac = re.search(r"facilitator: +http://127\.0\.0\.1:(\d+)/\?t=(\S+)", head)
            assert fac, head
            srv = type("S", (), {"port": int(fac.group(1))})()
            if not extra:
                assert call(srv, "POST", "/api/timer", fac.group(2), {"action": "next"})[0] == 200
            return json.loads(call(srv, "GET", "/api/timer", fac.group(2))[1])
        finally:
            proc.send_signal(signal.SIGTERM)
            proc.communicate(timeout=120)

    seen = run()
    assert (seen["title"], seen["count"], seen["clock"]) == ("Bye", 2, "02:00")
    assert json.loads(timer_path(path).read_text())["step_id"] == "bye"
    seen = run("--fresh")  # a new room: the agenda from its first step, the old timer kept aside
    assert (seen["title"], seen["used"]) == ("Hello", False)
    assert not timer_path(path).exists() and list(tmp_path.glob("j.ops.timer.json.*"))
