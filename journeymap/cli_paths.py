"""``journeymap paths EVENTS --from STEP``: where customers go after (or came from before) a step.

Prints one row per node of :func:`journeymap.analytics.paths_from`'s tree: level, the path from the step
(``a > b > c``; with ``--backward`` ``a < b < c``: a came just before the step, b before a), customers,
share of the step's customers and, with ``--conversion``, the share who convert.
``--format csv`` neutralises cells a spreadsheet would run as formulas.
"""

from __future__ import annotations

import argparse
import sys
from typing import Any


def _flat(tree: Any, sep: str = " > ") -> Any:
    """The tree with its ``prefix`` tuple and ``activity`` joined into one ``path`` column."""
    out = tree.copy()
    out.insert(1, "path", [sep.join((*p, a)) if lv else a for lv, p, a in
                           out[["level", "prefix", "activity"]].itertuples(index=False)])
    return out.drop(columns=["prefix"])


def _cmd_paths(args: argparse.Namespace) -> int:
    from journeymap.analytics import paths_from
    from journeymap.cli import UsageError
    from journeymap.cli_analytics import _events, _lang, _split, _table
    from journeymap.i18n import t

    if args.depth < 1:
        raise UsageError(t("us_paths_depth", _lang(args)).format(value=args.depth))
    if args.top is not None and args.top < 1:
        raise UsageError(t("us_paths_top", _lang(args)).format(value=args.top))
    events, case = _events(args)
    conversion = _split(args.conversion) or None
    tree = paths_from(events, args.step, depth=args.depth, direction="backward" if args.backward else "forward",
                      top=args.top, conversion=conversion, case=case, activity="activity",
                      timestamp="timestamp")
    flat = _flat(tree, " < " if args.backward else " > ")  # backward: each step is preceded by the next
    if args.format == "table":
        flat = flat.drop(columns=["activity"]).set_index("path")
    sys.stdout.write(_table(flat, args.format, _lang(args)))
    return 0


def register(sub: argparse._SubParsersAction) -> None:
    """Add ``paths`` to the ``journeymap`` command."""
    from journeymap.cli_analytics import _log_options, _on_file

    p = sub.add_parser("paths", help="where customers go after a step (or came from, --backward), N steps deep")
    _log_options(p)
    p.add_argument("--from", dest="step", required=True, metavar="STEP", help="the activity paths start from "
                   "(each customer's first occurrence)")
    p.add_argument("--depth", type=int, default=5, help="steps to follow (default 5)")
    p.add_argument("--backward", action="store_true", help="the steps before STEP, nearest first")
    p.add_argument("--top", type=int, metavar="N", help="keep the N largest next steps per node; the rest "
                   "become (other)")
    p.add_argument("--conversion", metavar="ACTIVITY", help="activity (or a,b) that counts as converting: "
                   "adds the share converting at or after STEP")
    p.add_argument("--format", choices=["table", "csv"], default="table")
    p.set_defaults(func=_on_file(_cmd_paths))
