"""``journeymap score`` and ``journeymap compare``: friction from the command line."""

from __future__ import annotations

import argparse
import json
import sys


def _table(df, fmt: str) -> str:
    if fmt == "csv":
        from journeymap.safety import csv_text

        # Names a spreadsheet would run as formulas (``=HYPERLINK(…)``) get a leading ' (OWASP).
        return csv_text(df, float_format="%.4g")
    if fmt == "json":
        return df.reset_index().to_json(orient="records", force_ascii=False, indent=2) + "\n"
    return df.to_string(float_format=lambda x: f"{x:.2f}") + "\n"


SMALL_N = 30  #: fewer answers than this are flagged as a small sample


def _metric_cell(key: str, value, n) -> str:
    import math

    if value is None or (isinstance(value, float) and math.isnan(value)):
        return ""
    shown = f"{value:+.0f}" if key == "nps" else f"{value:.1f}" if key == "ces" else f"{value:.0f}%"
    if n is None or (isinstance(n, float) and math.isnan(n)):
        return f"{shown} n=?"
    return f"{shown} n={int(n)}" + ("*" if n < SMALL_N else "")


def _with_n(df):
    """For the table format: each survey metric shown with its n (``-12 n=45``; ``*`` when n < 30)."""
    keys = [k for k in ("nps", "csat", "ces") if k in df.columns]
    if not keys:
        return df, False
    out = df.copy()
    small = False
    for key in keys:
        ns = out[f"{key}_n"] if f"{key}_n" in out.columns else [None] * len(out)
        cells = [_metric_cell(key, v, n) for v, n in zip(out[key], ns, strict=True)]
        small = small or any(c.endswith("*") for c in cells)
        out[key] = cells
    return out.drop(columns=[f"{k}_n" for k in keys if f"{k}_n" in out.columns]), small


def _scorecard_in(report, table, lang: str):
    """The scorecard in ``lang`` (see :func:`journeymap.scoring.scorecard.scorecard`)."""
    from journeymap.scoring.scorecard import scorecard

    return scorecard(report, lang)


def _cmd_score(args: argparse.Namespace) -> int:
    from journeymap.io import load
    from journeymap.scoring import load_weights, score

    weights = load_weights(args.weights) if args.weights else None
    journey = load(args.file, personas=args.personas)
    report = score(journey, weights)
    table = {"touchpoint": report.by_touchpoint, "stage": report.by_stage, "channel": report.by_channel,
             "transition": report.by_transition, "scorecard": _scorecard_in(report, None, "en")}[args.by]
    if args.format == "json":
        ev = report.evidence_summary()
        payload = {"journey": journey.id, "total": report.total, "continuity": report.continuity,
                   "expected_conversion": report.expected_conversion,
                   "evidence": {"observed": ev.observed, "assumed": ev.assumed, "proposed": ev.proposed,
                                "flow_observed": ev.flow_observed},
                   "by": args.by, "rows": json.loads(_table(table, "json"))}
        sys.stdout.write(json.dumps(payload, ensure_ascii=False, indent=2) + "\n")
        return 0
    if args.format == "table":
        from journeymap.i18n import frame_headers, lang_of, t

        lang = lang_of(args.lang, journey)
        print(t("sc_headline", lang).format(id=journey.id, total=f"{report.total:.1f}",
                                            continuity=f"{report.continuity:.0f}",
                                            conversion=f"{report.expected_conversion:.1%}"))
        print(t("sc_evidence", lang).format(text=report.evidence_summary().text(lang)))
        shown, small = _with_n(_scorecard_in(report, table, lang) if args.by == "scorecard" else table)
        sys.stdout.write(_table(frame_headers(shown, lang, rows=args.by == "scorecard"), "table"))
        if small:
            print(t("sc_small", lang).format(n=SMALL_N))
        return 0
    sys.stdout.write(_table(table, args.format))
    return 0


def _cmd_compare(args: argparse.Namespace) -> int:
    from journeymap.comparison import compare
    from journeymap.io import load
    from journeymap.scoring import load_weights

    weights = load_weights(args.weights) if args.weights else None
    a, b = load(args.a, personas=args.personas), load(args.b, personas=args.personas)
    result = compare(a, b, weights, costs=args.costs)
    tables = {"totals": result.totals, "stage": result.by_stage, "channel": result.by_channel}
    if args.format == "table":
        from journeymap.i18n import frame_headers, lang_of

        lang = lang_of(args.lang, a if a.lang == b.lang else None)
        print(result.summary(lang))
        print()
        sys.stdout.write(_table(frame_headers(tables[args.by], lang, rows=args.by == "totals"), "table"))
        return 0
    if args.format == "json":
        payload = {k: json.loads(_table(v, "json")) for k, v in tables.items()}
        sys.stdout.write(json.dumps({"a": a.id, "b": b.id, **payload}, ensure_ascii=False, indent=2) + "\n")
        return 0
    sys.stdout.write(_table(tables[args.by], args.format))
    return 0


def register(sub: argparse._SubParsersAction) -> None:
    """Add ``score`` and ``compare`` to the ``journeymap`` command."""
    p = sub.add_parser("score", help="friction scores of a journey (per touchpoint, stage, channel, …)")
    p.add_argument("file", metavar="FILE")
    p.add_argument("--weights", metavar="W.yaml", help="YAML file of weights (see docs/friction.md)")
    p.add_argument("--by", choices=["touchpoint", "stage", "channel", "transition", "scorecard"],
                   default="touchpoint")
    p.add_argument("--format", choices=["table", "csv", "json"], default="table")
    p.add_argument("--personas", metavar="DIR")
    p.set_defaults(func=_cmd_score)

    p = sub.add_parser("compare", help="compare two journeys' friction (e.g. multichannel vs omnichannel)")
    p.add_argument("a", metavar="A")
    p.add_argument("b", metavar="B")
    p.add_argument("--weights", metavar="W.yaml")
    p.add_argument("--by", choices=["totals", "stage", "channel"], default="totals")
    p.add_argument("--costs", metavar="COSTS.yaml", help="cost per contact by channel id (docs/economics.md)")
    p.add_argument("--format", choices=["table", "csv", "json"], default="table")
    p.add_argument("--personas", metavar="DIR")
    p.set_defaults(func=_cmd_compare)
