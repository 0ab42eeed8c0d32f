"""``journeymap workshop FILE``: run a workshop room for a journey (see docs/workshop_room.md)."""

from __future__ import annotations

import argparse
import json
import os
import secrets
import signal
import socket
import sys
from pathlib import Path
from typing import Any

#: What the command prints, in the journey's language (or --lang).
WORDS: dict[str, dict[str, str]] = {
    "en": {"room": "Workshop room for {title!r} ({n} ops in {log})", "join": "  participants join: {url}",
           "facilitator": "  facilitator:       {url}", "qr": "  QR code of the join address: {files}",
           "no_qr": "  (no QR code: install segno)",
           "stop": "Ctrl-C ends the room: the journey is saved, the op log stays beside it.",
           "saved": "saved {path}"},
    "es": {"room": "Sala de taller de {title!r} ({n} operaciones en {log})",
           "join": "  participantes:     {url}", "facilitator": "  facilitación:      {url}",
           "qr": "  código QR de la dirección de acceso: {files}", "no_qr": "  (sin código QR: instala segno)",
           "stop": "Ctrl-C cierra la sala: el recorrido se guarda y el registro de operaciones queda a su lado.",
           "saved": "guardado {path}"},
}


def _lan_address() -> str:
    """This machine's address on the local network (no packet is sent), else 127.0.0.1."""
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as s:
        try:
            s.connect(("10.255.255.255", 1))
            return str(s.getsockname()[0])
        except OSError:
            return "127.0.0.1"


def room_settings(journey: Path, fresh: bool) -> dict[str, Any]:
    """The room's tokens and port, kept (owner-only) in ``<name>.ops.room.json`` so a restarted room keeps the
    addresses participants already have; new ones with ``fresh``."""
    f = journey.with_name(f"{journey.stem}.ops.room.json")
    if f.exists() and not fresh:
        try:
            data = json.loads(f.read_text())
            if all(isinstance(data.get(k), str) and len(data[k]) >= 16 for k in ("token", "facilitator_token")):
                return data
        except ValueError:
            pass
    data = {"token": secrets.token_urlsafe(18), "facilitator_token": secrets.token_urlsafe(18), "port": 0}
    fd = os.open(f, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w") as fh:
        json.dump(data, fh)
    return data


def _remember_port(journey: Path, data: dict[str, Any], port: int) -> None:
    f = journey.with_name(f"{journey.stem}.ops.room.json")
    fd = os.open(f, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w") as fh:
        json.dump({**data, "port": port}, fh)


def write_qr(url: str, journey: Path) -> tuple[list[Path], str]:
    """The join address as a QR code: SVG and PNG files beside the journey and a text version for the terminal.
    Made locally by ``segno``; without it, no files and an empty text."""
    try:
        import segno
    except ImportError:
        return [], ""
    import io

    qr = segno.make(url, error="m")
    files = [journey.with_name(f"{journey.stem}.join.svg"), journey.with_name(f"{journey.stem}.join.png")]
    qr.save(str(files[0]), scale=6, border=4, title="Join the workshop room")
    qr.save(str(files[1]), scale=8, border=4)
    out = io.StringIO()
    qr.terminal(out=out, compact=True, border=2)
    return files, out.getvalue()


def _cmd_workshop(args: argparse.Namespace) -> int:
    from journeymap.errors import JourneyError, Problem
    from journeymap.i18n import lang_of
    from journeymap.room.agenda import DEFAULT_AGENDA, load_agenda, timer_path
    from journeymap.room.server import RoomServer
    from journeymap.room.state import Room

    journey = Path(args.file)
    agenda = load_agenda(args.agenda) if args.agenda else DEFAULT_AGENDA  # a bad file: one line per problem
    room = Room(journey, fresh=args.fresh)
    timer_file = timer_path(journey)
    if args.fresh and timer_file.exists():  # a new room starts its agenda from the first step
        timer_file.rename(timer_file.with_name(f"{timer_file.name}.{timer_file.stat().st_mtime_ns}"))
    settings = room_settings(journey, args.fresh)
    port = args.port if args.port is not None else int(settings.get("port") or 0)
    try:
        server = RoomServer(room, host=args.host, port=port, token=settings["token"],
                            facilitator_token=settings["facilitator_token"], autosave_s=args.autosave,
                            agenda=agenda)
    except OSError as exc:
        raise JourneyError([Problem(str(journey), "--host", f"cannot listen there: {exc.strerror or exc}",
                                    f"{args.host}:{port}")]) from None
    _remember_port(journey, settings, server.port)
    shown = _lan_address() if args.host in ("0.0.0.0", "", "::") else args.host
    join = server.url(shown)
    files, text = ([], "") if args.no_qr else write_qr(join, journey)
    words = WORDS[lang_of(getattr(args, "lang", None), room.journey)]
    print(words["room"].format(title=room.journey.title, n=len(room.log.ops()), log=room.log_file.name))
    print(words["join"].format(url=join))
    print(words["facilitator"].format(url=server.url(shown, facilitator=True)))
    if files:
        print(words["qr"].format(files=", ".join(str(f) for f in files)))
        print(text, end="")
    elif not args.no_qr:
        print(words["no_qr"])
    print(words["stop"], flush=True)

    def stop(signum: int, frame: Any) -> None:
        raise KeyboardInterrupt

    signal.signal(signal.SIGTERM, stop)
    try:
        server.start()
        signal.pause() if hasattr(signal, "pause") else server._stop.wait()
    except KeyboardInterrupt:
        pass
    finally:
        server.stop()
        print(words["saved"].format(path=journey), file=sys.stderr)
    return 0


def register(subparsers: argparse._SubParsersAction) -> None:
    """Add the ``workshop`` sub-command."""
    p = subparsers.add_parser(
        "workshop", help="run a workshop room: participants join from their browsers (notes, votes, comments)",
        description="Serve a journey to a room: each participant's browser shows the map, adds sticky notes, "
                    "votes and comments; every change is one line of FILE's op log (.ops.jsonl), merged into "
                    "the journey, which is saved every few seconds and at the end. Listens on 127.0.0.1 unless "
                    "--host is given; every request needs the join token in the printed address.")
    p.add_argument("file", metavar="FILE", help="the journey file")
    p.add_argument("--host", default="127.0.0.1",
                   help="address to listen on (default 127.0.0.1; 0.0.0.0 for the room's network)")
    p.add_argument("--port", type=int, default=None, help="port (default: the room's last one, else any free one)")
    p.add_argument("--fresh", action="store_true",
                   help="start a new room from the file as it is (the old log is kept, renamed) with new tokens")
    p.add_argument("--autosave", type=float, default=5.0, metavar="S", help="save every S seconds (default 5)")
    p.add_argument("--agenda", metavar="AGENDA", default=None,
                   help="the workshop's steps and minutes, a YAML file (default: an 8-step, 2-hour agenda; "
                        "see docs/workshop_room.md)")
    p.add_argument("--no-qr", action="store_true", help="print no QR code and write no QR files")
    p.set_defaults(func=_cmd_workshop)
