"""``journeymap discover | conformance | funnel | attribution``: journeys and measures from event logs.

Each command reads an event log (CSV or Parquet) with
:func:`journeymap.analytics.read_events`, prints the ingest summary on stderr
(rows set aside, by reason), optionally links per-channel ids with
``--stitch email,phone,…``, and prints its result on stdout. Channels beyond
the catalogue are known through ``--journey FILE`` (its ``channels:``) or
``--channels a,b``; ``--keep-unknown-channels`` keeps any other (``discover``
then defines them in the journey it writes).
"""

from __future__ import annotations

import argparse
import sys
from typing import Any

from journeymap.i18n import frame_headers, t


def _on_file(command: Any) -> Any:
    """Run ``command(args)``; problems found in the data in memory are reported under the log's file name.

    The analytics name a DataFrame ``<events>`` (or ``<paths>``): on the command line the user gave a file,
    so every problem line starts with that file, as the README's format says.
    """
    import dataclasses
    import functools

    from journeymap.errors import JourneyError

    @functools.wraps(command)
    def run(args: argparse.Namespace) -> int:
        try:
            return command(args)
        except JourneyError as exc:
            name = str(args.events)
            raise JourneyError([dataclasses.replace(p, file=name) if p.file in ("<events>", "<paths>") else p
                                for p in exc.problems]) from None

    return run


def _split(text: str | None) -> list[str]:
    return [p.strip() for p in (text or "").split(",") if p.strip()]


def _events(args: argparse.Namespace) -> tuple[Any, str]:
    """(events, case column) after ingest and optional stitching."""
    from journeymap.analytics import read_events, stitch
    from journeymap.cli import UsageError

    ids = _split(args.stitch)
    if args.stitch is not None and not ids:
        raise UsageError(t("us_stitch", _lang(args)).format(command=args.command))
    case = None if (ids and args.case is None) else (args.case or "case_id")
    events, report = read_events(args.events, case=case, activity=args.activity, timestamp=args.timestamp,
                                 channel=None if args.no_channel else args.channel, tz=args.tz,
                                 unknown_channels="keep" if args.keep_unknown_channels else "set_aside",
                                 **_channel_options(args))
    if not args.quiet:
        print(report.text(_lang(args)), file=sys.stderr)
    if ids:
        events, stitched = stitch(events, identifiers=ids)
        if not args.quiet:
            print(stitched.text(_lang(args)), file=sys.stderr)
        return events, "customer_id"
    return events, "case_id"


def _channel_options(args: argparse.Namespace) -> dict[str, Any]:
    """``journey=`` and ``channels=`` from ``--journey FILE`` and ``--channels a,b``: the known channels."""
    path = getattr(args, "design", None) or args.journey
    if path and not hasattr(args, "_journey"):
        from journeymap.io import load

        args._journey = load(path)  # read once per command
    return {"journey": getattr(args, "_journey", None), "channels": _split(args.channels)}


def _lang(args: argparse.Namespace) -> str:
    """``--lang``, else the language of the journey given (``--journey`` or the design), else English."""
    from journeymap.i18n import lang_of

    return lang_of(getattr(args, "lang", None), getattr(args, "_journey", None))


def _table(df: Any, fmt: str, lang: str = "en") -> str:
    """``csv``: data for programs (names as they are); ``table``: for people (headers in ``lang``)."""
    if fmt == "csv":  # names from the log (e.g. '=HYPERLINK(…)') are text in a spreadsheet, never formulas
        import pandas as pd

        from journeymap.safety import csv_frame

        flat = df if isinstance(df.index, pd.RangeIndex) else df.reset_index()  # labels become a column
        return csv_frame(flat).to_csv(index=False, float_format="%.6g")
    return frame_headers(df, lang).to_string(float_format=lambda x: f"{x:.4g}") + "\n"


def _cmd_discover(args: argparse.Namespace) -> int:
    from journeymap.analytics import discover_with_stats
    from journeymap.cli import UsageError
    from journeymap.io import save

    if args.no_channel:
        raise UsageError(t("us_no_channel", _lang(args)))
    events, case = _events(args)
    found = discover_with_stats(events, case=case, stage=args.stage, id=args.id, title=args.title,
                                min_count=args.min_count, lang=_lang(args), **_channel_options(args),
                                unknown_channels="keep" if args.keep_unknown_channels else "error")
    save(found.journey, args.output)
    j = found.journey
    lang = _lang(args)
    print(t("an_wrote_discovered", lang).format(path=args.output, tps=len(j.touchpoints), trs=len(j.transitions),
                                                 stages=len(j.stages), description=j.description))
    if args.stats:
        sys.stdout.write(_table(frame_headers(found.transitions, lang), "table"))
    return 0


def _cmd_conformance(args: argparse.Namespace) -> int:
    from journeymap.analytics import conformance

    events, case = _events(args)  # read with the design's own channels (--journey is the design)
    report = conformance(args._journey, events, case=case)
    if args.format == "csv":
        sys.stdout.write(_table(report.transitions, "csv"))
        return 0
    lang = _lang(args)
    print(report.text(lang))
    sys.stdout.write(_table(frame_headers(report.transitions.set_index("key"), lang), "table"))
    if len(report.unexpected):
        print(t("an_not_designed", lang))
        sys.stdout.write(_table(frame_headers(report.unexpected.set_index("key"), lang), "table"))
    return 0


def _cmd_funnel(args: argparse.Namespace) -> int:
    from journeymap.analytics import funnel
    from journeymap.cli import UsageError

    steps = [s.split("|") if "|" in s else s for s in _split(args.stages)]
    if not steps:
        raise UsageError(t("us_funnel_stages", _lang(args)))
    events, case = _events(args)
    by = "activity" if args.by == "activity" else ("channel" if args.by == "channel" else args.by)
    if by not in events.columns:
        from journeymap.errors import JourneyError, Problem

        raise JourneyError([Problem(str(args.events), "columns", f"no column '{by}' to build the funnel on")])
    table = funnel(events, stages=steps, by=by, case=case, strict_order=not args.any_order)
    sys.stdout.write(_table(table.set_index("step"), args.format, _lang(args)))
    return 0


def _cmd_attribution(args: argparse.Namespace) -> int:
    from journeymap.analytics import MODELS, PATH_MODELS, attribution, attribution_markov, attribution_table
    from journeymap.cli import UsageError

    known = [*MODELS, *(m for m in PATH_MODELS if m not in MODELS)]
    models = _split(args.models) or list(MODELS)
    if models == ["all"]:
        models = [*PATH_MODELS, *([] if args.paths else ["time_decay"])]
    unknown = [m for m in models if m not in known]
    if unknown:
        from journeymap.safety import suggest

        raise UsageError(f"attribution: unknown model(s) {', '.join(unknown)} ({suggest(unknown[0], known)}); "
                         f"choose from {', '.join(known)} or all")
    # the comparison (attribution_table): intervals, higher orders, or a model only it has
    compare = args.ci or args.order != 1 or any(m not in MODELS for m in models)
    on_paths = [m for m in models if m in PATH_MODELS]
    options = {"ci": args.ci, "n_boot": args.n_boot, "seed": args.seed, "order": args.order}
    if args.paths:
        if compare and "time_decay" in models:
            raise UsageError(t("us_time_decay", _lang(args)))
        paths = _path_table(args.events)
        table = attribution_table(paths, on_paths, sep=args.sep, **options) if compare else \
            attribution_markov(paths, sep=args.sep)
    else:
        if not args.conversion:
            raise UsageError(t("us_attr_conversion", _lang(args)))
        events, case = _events(args)
        conversion = _split(args.conversion)
        if compare:
            table = attribution_table(events, on_paths, conversion=conversion, case=case, **options)
            if "time_decay" in models:  # needs times: from the events, without an interval
                decay = attribution(events, conversion, models=["time_decay"], case=case, half_life=args.half_life)
                table = table.join(decay, how="outer").fillna(0.0)
                table.index.name = "channel"
        else:
            table = attribution(events, conversion, models=models, case=case, half_life=args.half_life)
    sys.stdout.write(_table(table, args.format, _lang(args)))
    return 0


def _positive(text: str) -> int:
    value = int(text)
    if value < 1:
        raise argparse.ArgumentTypeError(f"expected a whole number ≥ 1 (got {text})")
    return value


def _path_table(name: str) -> Any:
    """A ``--paths`` table read and checked: bad bytes, ragged rows, non-numeric counts and missing
    columns are one line naming the line of the file."""
    from pathlib import Path

    from journeymap.analytics import REASONS, _csv
    from journeymap.analytics.pathtable import check_paths
    from journeymap.errors import JourneyError, Problem

    path = Path(name)
    if not path.is_file():
        raise JourneyError([Problem(name, "", "file not found" if not path.exists() else "not a file")])
    try:
        frame, lines, why = _csv.read(path, "\t" if path.suffix.lower() == ".tsv" else ",", progress=False)
    except (UnicodeDecodeError, ValueError, OSError, EOFError) as exc:
        raise JourneyError([Problem(name, "", f"cannot read the file: {str(exc).splitlines()[0]}")]) from None
    bad = [i for i, w in enumerate(why) if w]
    if bad:
        raise JourneyError([Problem(name, "", f"{REASONS[why[bad[0]]]} ({len(bad)} line(s) in all)",
                                    line=int(lines[bad[0]]))])
    return check_paths(frame, source=name, lines=list(lines))


def _log_options(p: argparse.ArgumentParser, journey: bool = True) -> None:
    p.add_argument("events", metavar="EVENTS", help="event log: .csv or .parquet")
    g = p.add_argument_group("columns of the log")
    g.add_argument("--case", help="case (customer) id column (default case_id; none with --stitch)")
    g.add_argument("--activity", default="activity", help="activity column (default activity)")
    g.add_argument("--timestamp", default="timestamp", help="timestamp column (default timestamp)")
    g.add_argument("--channel", default="channel", help="channel column (default channel)")
    g.add_argument("--no-channel", action="store_true", help="the log has no channel column")
    g.add_argument("--tz", default="UTC", help="time zone of timestamps without an offset (default UTC)")
    g.add_argument("--stitch", metavar="COLS", help="link these id columns into customers, e.g. email,phone")
    if journey:
        g.add_argument("--journey", metavar="FILE", help="a journey file whose own channels are known (e.g. the "
                       "journey the log comes from)")
    g.add_argument("--channels", metavar="IDS", help="more known channel ids, comma-separated")
    g.add_argument("--keep-unknown-channels", action="store_true",
                   help="keep channels that are neither built in nor known (discover defines them)")
    p.add_argument("-q", "--quiet", action="store_true", help="no ingest summary on stderr")


def register(sub: argparse._SubParsersAction) -> None:
    """Add ``discover``, ``conformance``, ``funnel`` and ``attribution`` to the ``journeymap`` command."""
    p = sub.add_parser("discover", help="discover a journey from an event log and save it (YAML/JSON)")
    _log_options(p)
    p.add_argument("-o", "--output", required=True, metavar="FILE", help="journey file to write")
    p.add_argument("--stage", default="stage", help="stage column, if any (default stage)")
    p.add_argument("--id", default="discovered", help="journey id (default discovered)")
    p.add_argument("--title", help="journey title")
    p.add_argument("--min-count", type=int, default=1, help="keep transitions seen at least N times")
    p.add_argument("--stats", action="store_true", help="also print transition counts and median minutes")
    p.set_defaults(func=_on_file(_cmd_discover))

    p = sub.add_parser("conformance", help="how many customers follow a designed journey, move by move")
    p.add_argument("design", metavar="JOURNEY", help="the designed journey file (its channels are known)")
    _log_options(p, journey=False)
    p.add_argument("--format", choices=["table", "csv"], default="table",
                   help="csv: one row per designed transition (designed and observed share)")
    p.set_defaults(func=_on_file(_cmd_conformance), journey=None)

    p = sub.add_parser("funnel", help="customers reaching each step, with conversion and drop-off")
    _log_options(p)
    p.add_argument("--stages", required=True, help="steps, comma-separated; a|b means either")
    p.add_argument("--by", default="activity", help="column the steps refer to (default activity; e.g. stage)")
    p.add_argument("--any-order", action="store_true", help="count steps in any order")
    p.add_argument("--format", choices=["table", "csv"], default="table")
    p.set_defaults(func=_on_file(_cmd_funnel))

    p = sub.add_parser("attribution", help="conversions credited to channels (first/last/linear/time decay/"
                       "position/Markov/Shapley), with bootstrap intervals")
    _log_options(p)
    p.add_argument("--conversion", help="activity (or a,b) that counts as converting")
    p.add_argument("--models", help="comma-separated subset of first,last,linear,time_decay,markov,position,"
                   "shapley, or all")
    p.add_argument("--half-life", default="7D", help="time-decay half-life (default 7D)")
    p.add_argument("--paths", action="store_true",
                   help="EVENTS is a path table (path, conversions, nulls): exact Markov removal effects, or "
                   "with --models/--ci/--order the model comparison")
    p.add_argument("--ci", action="store_true", help="bootstrap 95%% intervals (<model>_low, <model>_high)")
    p.add_argument("--n-boot", type=_positive, default=200, help="bootstrap resamples (default 200)")
    p.add_argument("--seed", type=int, default=0, help="seed of the bootstrap (default 0)")
    p.add_argument("--order", type=int, choices=[1, 2, 3], default=1, help="Markov order (default 1)")
    p.add_argument("--sep", default=" > ", help="separator in --paths tables (default ' > ')")
    p.add_argument("--format", choices=["table", "csv"], default="table")
    p.set_defaults(func=_on_file(_cmd_attribution))
