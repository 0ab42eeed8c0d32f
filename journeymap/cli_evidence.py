"""``journeymap calibrate``: a designed journey calibrated from an event log, and the drift report.

``journeymap calibrate JOURNEY EVENTS -o calibrated.yaml [--report drift.csv] [--mapping map.csv]``
reads the log like the other analytics commands (ingest summary on stderr),
writes the calibrated journey (observed shares, entries and visits marked
``evidence: observed``, provenance under ``sources:``) and prints the drift
summary; ``--report`` writes every assumed-vs-observed value as CSV.
"""

from __future__ import annotations

import argparse
from pathlib import Path

from journeymap.cli_analytics import _events, _log_options, _on_file


def read_mapping(name: str) -> dict[str, str]:
    """``activity → touchpoint id`` from a CSV (columns ``activity,touchpoint``) or a YAML mapping.

    Problems are one line naming the file and line.
    """
    from journeymap.errors import JourneyError, Problem

    path = Path(name)
    if not path.is_file():
        raise JourneyError([Problem(name, "", "file not found" if not path.exists() else "not a file")])
    try:
        text = path.read_text(encoding="utf-8-sig")
    except (UnicodeDecodeError, OSError) as exc:
        raise JourneyError([Problem(name, "", f"cannot read the file: {str(exc).splitlines()[0]}")]) from None
    if path.suffix.lower() == ".csv":
        import csv
        import io

        rows = list(csv.reader(io.StringIO(text)))
        header = [h.strip() for h in rows[0]] if rows else []
        if header[:2] != ["activity", "touchpoint"]:
            raise JourneyError([Problem(name, "columns", f"expected the columns activity,touchpoint (got "
                                        f"{','.join(header) or 'nothing'})", line=1)])
        out: dict[str, str] = {}
        for i, row in enumerate(rows[1:], start=2):
            if len(row) < 2 or not row[0].strip() or not row[1].strip():
                raise JourneyError([Problem(name, "", f"expected 'activity,touchpoint' (got {','.join(row)!r})",
                                            line=i)])
            out[row[0].strip()] = row[1].strip()
        return out
    from journeymap.yamlmap import parse

    data = parse(text, name).data
    if not isinstance(data, dict) or not all(isinstance(k, str) and isinstance(v, str) for k, v in data.items()):
        raise JourneyError([Problem(name, "", "expected a mapping of activity: touchpoint_id")])
    return dict(data)


def _cmd_calibrate(args: argparse.Namespace) -> int:
    from journeymap.analytics import calibrate
    from journeymap.io import save

    mapping = read_mapping(args.mapping) if args.mapping else None
    events, case = _events(args)  # the design's own channels are known (--journey is the design)
    result = calibrate(args._journey, events, case=case, mapping=mapping, source_id=args.source_id,
                       file=Path(args.events).name)
    save(result.journey, args.output)
    src = result.journey.sources[-1]
    print(f"wrote {args.output}: calibrated from {src.rows:,} events of {src.customers:,} customers "
          f"({src.start} to {src.end})")
    print(result.drift)
    if args.report:
        result.drift.to_csv(args.report)
        print(f"wrote {args.report}: {len(result.drift.table)} values, assumed vs observed")
    return 0


def register(sub: argparse._SubParsersAction) -> None:
    """Add ``calibrate`` to the ``journeymap`` command."""
    p = sub.add_parser("calibrate", help="write observed shares, entries and visits from an event log into a "
                                         "designed journey, and report the drift")
    p.add_argument("design", metavar="JOURNEY", help="the designed journey file (its channels are known)")
    _log_options(p, journey=False)
    p.add_argument("-o", "--output", required=True, metavar="FILE", help="calibrated journey file to write")
    p.add_argument("--report", metavar="CSV", help="write the drift report (every assumed vs observed value)")
    p.add_argument("--mapping", metavar="FILE", help="activity → touchpoint id: CSV (activity,touchpoint) or YAML")
    p.add_argument("--source-id", default="events", help="id of the log under sources: (default events)")
    p.set_defaults(func=_on_file(_cmd_calibrate), journey=None)
