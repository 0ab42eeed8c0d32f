"""``journeymap segments``: any measure per segment of an event log, with a test of difference.

``journeymap segments EVENTS --by COLUMN --measure conversion --conversion checkout`` prints one row per
segment (customers, conversions, rate and interval, difference with the reference segment, its
interval and p-value, warnings) and the χ² test across all segments; ``--measure funnel --stages
a,b,c`` prints the funnel per segment and a χ² test per step; ``dfg``, ``channels``, ``attribution``,
``time_to_convert`` and ``paths`` (``--step S``) print the tidy per-segment table. ``--by`` is a column
of the log or ``first_channel``, ``cohort_month``, ``converted``. ``--format csv`` writes the table only,
with spreadsheet formulas neutralised.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Mapping
from typing import Any

#: Kept equal to journeymap.analytics.segments.DERIVED / MEASURES (a test checks): importing the analytics
#: here would load pandas for every command.
DERIVED = ("first_channel", "cohort_month", "converted")
MEASURES = ("conversion", "funnel", "channels", "dfg", "time_to_convert", "attribution", "paths")


def _cmd_segments(args: argparse.Namespace) -> int:
    from journeymap.analytics.abtest import conversion_test, funnel_test
    from journeymap.analytics.segments import by_segment
    from journeymap.cli import UsageError
    from journeymap.cli_analytics import _events, _lang, _split, _table
    from journeymap.i18n import t

    conversion = _split(args.conversion) or None
    stages = [s.split("|") if "|" in s else s for s in _split(args.stages)]
    if args.measure == "funnel" and not stages:
        raise UsageError(t("us_seg_stages", _lang(args)))
    needs = ("conversion", "channels", "attribution", "time_to_convert")
    if (args.measure in needs or args.by == "converted") and not conversion:
        raise UsageError(t("us_seg_conversion", _lang(args)).format(measure=args.measure)
                         if args.measure in needs else t("us_seg_converted", _lang(args)))
    if args.measure == "paths" and not args.step:
        raise UsageError(t("us_seg_step", _lang(args)))
    events, case = _events(args)
    common: dict[str, Any] = {"case": case}
    if args.measure == "conversion":
        assert conversion is not None  # checked above
        table = conversion_test(events, args.by, conversion, reference=args.reference, **common)
        sys.stdout.write(_table(table, args.format, _lang(args)))
        if args.format == "table":
            _overall(table.attrs, _lang(args))
        return 0
    extra: dict[str, Any] = {}
    if args.measure == "funnel":
        extra = {"stages": stages, "strict_order": not args.any_order}
    elif args.measure == "paths":
        extra = {"step": args.step, "depth": args.depth}
    tidy = by_segment(events, args.by, args.measure, conversion=conversion, **common, **extra)
    sys.stdout.write(_table(tidy, args.format, _lang(args)))
    if args.measure == "funnel" and args.format == "table":
        tests = funnel_test(events, args.by, stages, strict_order=not args.any_order, **common)
        print("\n" + t("sg_reach_test", _lang(args)))
        sys.stdout.write(_table(tests.drop(columns="reach").set_index("step"), "table", _lang(args)))
    return 0


def _overall(attrs: Mapping[Any, Any], lang: str = "en") -> None:
    import math

    from journeymap.i18n import t

    p = attrs.get("p_value", float("nan"))
    if isinstance(p, float) and math.isnan(p):
        print("\n" + t("sg_one_segment", lang))
        return
    line = "\n" + t("sg_overall", lang).format(chi2=f"{attrs['chi2']:.4g}", dof=attrs["dof"], p=f"{p:.4g}")
    if not math.isnan(attrs.get("fisher_p", float("nan"))):
        line += t("sg_fisher", lang).format(p=f"{attrs['fisher_p']:.4g}")
    print(line)
    if attrs.get("warning"):
        print(t("sg_warning", lang).format(text=attrs["warning"]))


def register(sub: argparse._SubParsersAction) -> None:
    """Add ``segments`` to the ``journeymap`` command."""
    from journeymap.cli_analytics import _log_options, _on_file

    p = sub.add_parser("segments", help="a measure per segment (column, first_channel, cohort_month, converted) "
                       "with a test of difference")
    _log_options(p)
    p.add_argument("--by", required=True, metavar="COLUMN",
                   help=f"segment: a column of the log or one of {', '.join(DERIVED)}")
    p.add_argument("--measure", choices=MEASURES, default="conversion", help="what to compute per segment "
                   "(default conversion)")
    p.add_argument("--conversion", help="activity (or a,b) that counts as converting")
    p.add_argument("--stages", help="funnel steps, comma-separated; a|b means either")
    p.add_argument("--any-order", action="store_true", help="funnel: count steps in any order")
    p.add_argument("--reference", metavar="SEGMENT", help="conversion: the segment others are compared with "
                   "(default the largest)")
    p.add_argument("--step", help="paths: the step the paths start from")
    p.add_argument("--depth", type=int, default=3, help="paths: steps after --step (default 3)")
    p.add_argument("--format", choices=["table", "csv"], default="table")
    p.set_defaults(func=_on_file(_cmd_segments))
