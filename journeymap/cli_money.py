"""``journeymap economics``: cost to serve per customer, cost of repeats, value and net (docs/economics.md)."""

from __future__ import annotations

import argparse
import json
import math
import sys


def _plain(value: object) -> object:
    return None if isinstance(value, float) and math.isnan(value) else value


def _cmd_economics(args: argparse.Namespace) -> int:
    from journeymap.cli_score import _table
    from journeymap.cost_to_serve import economics
    from journeymap.i18n import frame_headers, lang_of, t
    from journeymap.io import load

    journey = load(args.file, personas=args.personas)
    if args.events:
        return _observed(args, journey)
    result = economics(journey, costs=args.costs)
    lang = lang_of(args.lang, journey)
    table = {"channel": result.by_channel, "stage": result.by_stage, "touchpoint": result.by_touchpoint,
             "repeats": result.repeats}[args.by]
    if args.format == "json":
        payload = {"journey": journey.id, "currency": result.currency,
                   "totals": {k: _plain(float(v)) for k, v in result.totals["value"].items()},
                   "value_per_conversion": result.value_per_conversion, "missing": result.missing,
                   "by": args.by, "rows": json.loads(_table(table, "json"))}
        sys.stdout.write(json.dumps(payload, ensure_ascii=False, indent=2) + "\n")
        return 0
    if args.format == "csv":
        sys.stdout.write(_table(table, "csv"))
        return 0
    print(result.summary(lang))
    print()
    sys.stdout.write(_table(frame_headers(table, lang), "table"))
    print()
    print(t("ec_defaults_note", lang))
    return 0


def _observed(args: argparse.Namespace, journey) -> int:
    """``--events LOG``: observed contacts per channel × cost per contact, per customer of the log."""
    from journeymap.analytics import read_events
    from journeymap.cli_score import _table
    from journeymap.cost_to_serve import economics_from_events, money
    from journeymap.i18n import frame_headers, lang_of, t

    events, _report = read_events(args.events, case=args.case, journey=journey, unknown_channels="keep")
    out = economics_from_events(events, args.costs, case="case_id", journey=journey)
    if args.format == "json":
        payload = {"journey": journey.id, "events": str(args.events), "currency": out.attrs["currency"],
                   "customers": out.attrs["customers"], "missing": out.attrs["missing"],
                   "rows": json.loads(_table(out, "json"))}
        sys.stdout.write(json.dumps(payload, ensure_ascii=False, indent=2) + "\n")
        return 0
    if args.format == "csv":
        sys.stdout.write(_table(out, "csv"))
        return 0
    lang = lang_of(args.lang, journey)
    total = float(out["cost_per_customer"].to_dict()["TOTAL"])
    print(t("ec_customers_line", lang).format(file=args.events, n=out.attrs["customers"],
                                              label=t("ec_cost_per_customer", lang),
                                              value=money(total, out.attrs["currency"], lang)))
    if out.attrs["missing"]:
        print("  " + t("ec_missing", lang).format(", ".join(out.attrs["missing"])))
    sys.stdout.write(_table(frame_headers(out, lang), "table"))
    return 0


def register(sub: argparse._SubParsersAction) -> None:
    """Add ``economics`` to the ``journeymap`` command."""
    p = sub.add_parser("economics", help="cost to serve per customer, cost of repeats, expected value and net")
    p.add_argument("file", metavar="FILE")
    p.add_argument("--costs", metavar="COSTS.yaml",
                   help="YAML file of cost per contact by channel id (overrides the journey and the catalogue)")
    p.add_argument("--by", choices=["channel", "stage", "touchpoint", "repeats"], default="channel")
    p.add_argument("--events", metavar="LOG", help="an event log (CSV/Parquet): price the observed contacts "
                                                     "per channel instead of the journey's expected ones")
    p.add_argument("--case", default="customer_id", help="customer column of the event log")
    p.add_argument("--format", choices=["table", "csv", "json"], default="table")
    p.add_argument("--lang", choices=["en", "es"], help="language of the summary (default: the journey's)")
    p.add_argument("--personas", metavar="DIR")
    p.set_defaults(func=_cmd_economics)
