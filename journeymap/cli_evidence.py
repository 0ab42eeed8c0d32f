"""``journeymap calibrate`` and ``journeymap evidence``: bring measured data to a designed journey.

``journeymap calibrate JOURNEY EVENTS -o calibrated.yaml [--report drift.csv] [--mapping map.csv]``
reads the log like the other analytics commands (ingest summary on stderr),
writes the calibrated journey (observed shares, entries and visits marked
``evidence: observed``, provenance under ``sources:``) and prints the drift
summary; ``--report`` writes every assumed-vs-observed value as CSV.

``journeymap evidence JOURNEY [--survey S.csv] [--quotes Q.csv --keywords K.yaml] [-o OUT] [--accept IDS]``
prints the survey metrics per step (n and 95 % interval, small samples flagged),
the mentions per touchpoint and the suggestions the quotes (and the survey's CES)
support; with ``-o`` it writes a copy with the metrics and top quotes attached and
only the suggestions named in ``--accept`` (or ``all``) applied.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

from journeymap.cli_analytics import _events, _log_options, _on_file
from journeymap.i18n import frame_headers, header, lang_of, t


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
    lang = lang_of(args.lang, args._journey)
    print(t("an_calibrated", lang).format(path=args.output, rows=f"{src.rows:,}", customers=f"{src.customers:,}",
                                          start=src.start, end=src.end))
    print(result.drift.text(lang))
    if args.report:
        result.drift.to_csv(args.report)
        print(t("an_drift_written", lang).format(path=args.report, n=len(result.drift.table)))
    return 0


def _metric_cell(row: dict, m: str, digits: int) -> str:
    n = int(row[f"{m}_n"])
    if not n:
        return ""
    low, high = row[f"{m}_low"], row[f"{m}_high"]
    span = "" if low != low else f" [{low:.{digits}f}, {high:.{digits}f}]"  # NaN: one CES answer
    return f"{row[m]:.{digits}f}{span} n={n}{'*' if n < 30 else ''}"


def _metrics_table(survey: Any, lang: str = "en") -> Any:
    import pandas as pd

    table = survey.metrics(by="touchpoint")
    stages = survey.metrics(by="stage")
    if len(stages):
        table = pd.concat([table, stages.assign(step=[t("an_stage_step", lang).format(id=s) for s in stages["step"]])],
                          ignore_index=True)
    rows = table.to_dict("records")
    return pd.DataFrame({"step": [r["step"] for r in rows],
                         "NPS": [_metric_cell(r, "nps", 0) for r in rows],
                         "CSAT %": [_metric_cell(r, "csat", 0) for r in rows],
                         "CES": [_metric_cell(r, "ces", 2) for r in rows]}).set_index("step").rename_axis(
        header("step", lang))


def _cmd_evidence(args: argparse.Namespace) -> int:
    from journeymap import evidence as ev
    from journeymap.cli import UsageError
    from journeymap.io import load, save

    if not (args.survey or args.quotes):
        raise UsageError(t("us_evidence_inputs", lang_of(args.lang, path=args.journey)))
    if args.quotes and not args.keywords:
        raise UsageError(t("us_evidence_keywords", lang_of(args.lang, path=args.journey)))
    journey = load(args.journey)
    lang = lang_of(args.lang, journey)
    survey = tagged = None
    if args.survey:
        survey = ev.read_survey(args.survey, journey=journey)
        if not args.quiet:
            print(survey.report, file=sys.stderr)
        print(t("an_survey_head", lang))
        print(_metrics_table(survey, lang).to_string())
        journey = survey.attach(journey, replace=args.replace_metrics)
    if args.quotes:
        quotes = ev.read_quotes(args.quotes)
        if not args.quiet:
            print(quotes.report, file=sys.stderr)
        tagged = ev.tag(quotes, ev.load_keywords(args.keywords, journey=journey))
        found = ev.mentions(tagged)
        print("\n" + t("an_quotes", lang).format(n=len(quotes), about=tagged["quote"].nunique() if len(tagged) else 0))
        if len(found):
            print(frame_headers(found[["touchpoint", "mentions", "negative", "share_negative", "mean_tone"]]
                                .set_index("touchpoint"), lang).to_string(float_format=lambda x: f"{x:.2f}"))
        journey = ev.attach_quotes(journey, tagged, file=Path(args.quotes).name)
    proposals = ev.suggest(journey, tagged if tagged is not None else _no_tags(), survey=survey)
    print("\n" + (t("an_suggestions", lang).format(n=len(proposals)) if proposals else t("an_no_suggestions", lang)))
    for s in proposals:
        what = s.value.text if hasattr(s.value, "text") else f"{s.current} → {s.value}"
        reason = s.reason_es if lang == "es" else s.reason
        print(f"  {s.id}: {what} ({reason})")
    wanted = _split_ids(args.accept)
    if wanted and wanted != ["all"]:
        unknown = [w for w in wanted if w not in {s.id for s in proposals}]
        if unknown:
            from journeymap.safety import suggest as did_you_mean

            raise UsageError(f"evidence: no suggestion '{unknown[0]}'"
                             f"{did_you_mean(unknown[0], [s.id for s in proposals])}")
    for s in proposals:
        if wanted == ["all"] or s.id in wanted:
            journey = ev.accept(journey, s)
    if args.output:
        save(journey, args.output)
        print("\n" + t("cli_wrote", lang).format(path=args.output))
    return 0


def _split_ids(text: str | None) -> list[str]:
    return [p.strip() for p in (text or "").split(",") if p.strip()]


def _no_tags() -> Any:
    import pandas as pd

    from journeymap.evidence.tagger import COLUMNS

    return pd.DataFrame(columns=COLUMNS)


def register(sub: argparse._SubParsersAction) -> None:
    """Add ``calibrate`` and ``evidence`` to the ``journeymap`` command."""
    p = sub.add_parser("calibrate", help="write observed shares, entries and visits from an event log into a "
                                         "designed journey, and report the drift")
    p.add_argument("design", metavar="JOURNEY", help="the designed journey file (its channels are known)")
    _log_options(p, journey=False)
    p.add_argument("-o", "--output", required=True, metavar="FILE", help="calibrated journey file to write")
    p.add_argument("--report", metavar="CSV", help="write the drift report (every assumed vs observed value)")
    p.add_argument("--mapping", metavar="FILE", help="activity → touchpoint id: CSV (activity,touchpoint) or YAML")
    p.add_argument("--source-id", default="events", help="id of the log under sources: (default events)")
    p.set_defaults(func=_on_file(_cmd_calibrate), journey=None)

    p = sub.add_parser("evidence", help="survey metrics with n and intervals, quotes per touchpoint, and the "
                                        "changes they suggest (applied only with --accept)")
    p.add_argument("journey", metavar="JOURNEY", help="the journey file")
    p.add_argument("--survey", metavar="FILE", help="raw survey answers: respondent, touchpoint or stage, nps, "
                                                    "csat, ces, comment, date, segment (CSV/TSV/Parquet)")
    p.add_argument("--quotes", metavar="FILE", help="quotes: text[, id, source, date, lang] (CSV/TSV/Parquet)")
    p.add_argument("--keywords", metavar="FILE", help="YAML: touchpoint_id: [phrases] that tag the quotes")
    p.add_argument("--accept", metavar="IDS", help="suggestion ids to apply, comma-separated, or all")
    p.add_argument("--replace-metrics", action="store_true",
                   help="replace metrics written by hand or from another source on the same steps")
    p.add_argument("-o", "--output", metavar="FILE", help="write the journey with the evidence attached")
    p.add_argument("-q", "--quiet", action="store_true", help="no ingest summaries on stderr")
    p.set_defaults(func=_cmd_evidence)
