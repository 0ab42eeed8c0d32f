"""``journeymap portfolio DIR``: every journey of a folder in one picture (see docs/portfolio.md).

Files that do not load are reported on stderr, one line per problem (``FILE:LINE: field: message``), and
the rest is still summarised; the exit status is then 1. ``--html`` writes the self-contained report.
"""

from __future__ import annotations

import argparse
import json
import sys

#: What ``--table`` can choose (the table written by ``--format csv``; the text format shows them all).
TABLES = ("journeys", "heatmap", "pains", "opportunities", "pairs")


def _tables(pf, state: str | None) -> dict:
    return {"journeys": pf.journeys, "heatmap": pf.heatmap(state), "pains": pf.pain_points,
            "opportunities": pf.opportunities, "pairs": pf.pairs}


def _localised(df, lang: str):
    from journeymap.portfolio import word

    out = df.copy()
    out.columns = [word(str(c), lang) for c in out.columns]
    if out.index.name:
        out.index.name = word(str(out.index.name), lang)
    return out


def _text(pf, args: argparse.Namespace) -> str:
    from journeymap.portfolio import word

    lang, top = args.lang, args.top
    fmt = {"friction": "{:.1f}".format, "conversion": "{:.1%}".format, "continuity": "{:.0f}".format,
           "observed": "{:.0%}".format, "assumed": "{:.0%}".format, "proposed": "{:.0%}".format}
    journeys = pf.journeys[["persona", "state", "friction", "conversion", "continuity", "observed", "assumed",
                            "proposed"]].copy()
    journeys["state"] = [word(s, lang) for s in journeys["state"]]
    for col, f in fmt.items():
        journeys[col] = journeys[col].map(f)
    heat = pf.heatmap(args.state).T.round(0)
    pains = pf.pain_points.head(top)[["journey", "id", "where", "severity", "frequency", "reach", "impact"]]
    opps = pf.opportunities.head(top)[["journeys", "n_journeys", "effort", "friction_removed", "removed_per_effort"]]
    parts = [pf.summary(lang), "", f"== {word('journeys_h', lang)}", _localised(journeys, lang).to_string(), "",
             f"== {word('heatmap', lang)}", _localised(heat, lang).to_string(na_rep="·", float_format="{:.0f}".format),
             "", f"== {word('pains', lang)}",
             _localised(pains, lang).to_string(float_format="{:.2f}".format), "",
             f"== {word('opportunities', lang)}", _localised(opps, lang).to_string(float_format="{:.2f}".format), "",
             f"== {word('pairs', lang)}"]
    if len(pf.pairs):
        pairs = pf.pairs.drop(columns=["persona"]).set_index(["current", "future"]).T
        pairs.index = [word(str(i), lang) for i in pairs.index]
        parts.append(pairs.to_string(float_format="{:.3f}".format))
    else:
        parts.append(word("no_pairs", lang))
    return "\n".join(parts) + "\n"


def _json(pf, state: str | None, lang: str) -> str:
    doc = {"summary": pf.summary(lang), "problems": [str(p) for p in pf.problems]}
    for name, df in _tables(pf, state).items():
        if name != "pairs":  # the index is data (journey key, persona, rank, group)
            df = df.reset_index()
        doc[name] = json.loads(df.to_json(orient="records", force_ascii=False))
    return json.dumps(doc, ensure_ascii=False, indent=2) + "\n"


def _cmd_portfolio(args: argparse.Namespace) -> int:
    from journeymap.portfolio import portfolio

    source = args.paths[0] if len(args.paths) == 1 else args.paths
    pairs = [tuple(p.split(":", 1)) for p in args.pair] if args.pair else None
    pf = portfolio(source, weights=args.weights, personas=args.personas, pairs=pairs)
    for problem in pf.problems:
        print(problem, file=sys.stderr)
    langs = set(pf.journeys["lang"])
    args.lang = args.lang or (langs.pop() if len(langs) == 1 else "en")
    if args.html:
        from journeymap.portfolio_report import write_portfolio_html

        write_portfolio_html(pf, args.html, lang=args.lang, state=args.state)
        print(f"wrote {args.html}", file=sys.stderr)
    if args.format == "json":
        sys.stdout.write(_json(pf, args.state, args.lang))
    elif args.format == "csv":
        from journeymap.safety import csv_text

        df = _tables(pf, args.state)[args.table]
        sys.stdout.write(csv_text(df, float_format="%.6g", index=args.table != "pairs"))
    else:
        sys.stdout.write(_text(pf, args))
    return 1 if pf.problems else 0


def _state(value: str) -> str | None:
    if value not in ("current", "future", "all"):
        raise argparse.ArgumentTypeError("choose current, future or all")
    return None if value == "all" else value


def register(subparsers: argparse._SubParsersAction) -> None:
    """Add the ``portfolio`` sub-command."""
    p = subparsers.add_parser(
        "portfolio", help="every journey of a folder: friction, conversion, heatmap, shared opportunities",
        description="Score every journey file of a folder (or the files given) once and summarise them: one row "
                    "per journey, a persona x stage friction heatmap, pain points and opportunities ranked across "
                    "journeys, current vs future. Exit 1 when a file could not be used (the rest is summarised).")
    p.add_argument("paths", nargs="+", metavar="DIR", help="a folder of journey files (or journey files)")
    p.add_argument("--html", metavar="OUT.html", help="also write the HTML portfolio report")
    p.add_argument("--lang", choices=["en", "es"],
                   help="language of headers and labels (default: the journeys' language when they share one, else en)")
    p.add_argument("--format", choices=["text", "csv", "json"], default="text")
    p.add_argument("--table", choices=TABLES, default="journeys", help="the table --format csv writes")
    p.add_argument("--state", type=_state, default="current", metavar="{current,future,all}",
                   help="journeys in the heatmap (default current)")
    p.add_argument("--top", type=int, default=10, help="pain points and opportunities shown as text (default 10)")
    p.add_argument("--pair", action="append", metavar="CURRENT:FUTURE",
                   help="compare these two journey ids as current vs future (repeatable; default: found)")
    p.add_argument("--weights", metavar="W.yaml", help="YAML file of weights (see docs/friction.md)")
    p.add_argument("--personas", metavar="DIR", help="folder of persona files (default: nearest personas/)")
    p.set_defaults(func=_cmd_portfolio)
