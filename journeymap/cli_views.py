"""``journeymap render``: draw or export a journey file (PNG, SVG, PDF, poster PDF, HTML, Mermaid, CSV, PPTX)."""

from __future__ import annotations

import argparse

from journeymap.exporting import HTML_KINDS, IMAGE_KINDS, SUFFIXES


def _cmd_render(args: argparse.Namespace) -> int:
    from pathlib import Path

    from journeymap.cli import UsageError
    from journeymap.exporting import IMAGE_SUFFIXES, export
    from journeymap.i18n import lang_of, t
    from journeymap.io import load

    lang = lang_of(args.lang, path=args.file)
    out = Path(args.output)
    suffix = out.suffix.lower()
    if suffix not in SUFFIXES:
        raise UsageError(t("us_render_suffix", lang).format(name=out.name, suffixes=", ".join(SUFFIXES)))
    if args.kind is not None:
        allowed = IMAGE_KINDS if suffix in IMAGE_SUFFIXES else HTML_KINDS if suffix in (".html", ".htm") else ()
        if args.kind not in allowed:
            choices = ", ".join(allowed) if allowed else t("us_render_one_form", lang)
            raise UsageError(t("us_render_kind", lang).format(kind=args.kind, suffix=suffix, choices=choices))
    if args.dpi <= 0:
        raise UsageError(t("us_render_dpi", lang))
    from journeymap.exporting import RenderLimitError

    if args.paper is not None and suffix != ".pdf":
        raise UsageError(t("us_render_paper", lang).format(name=out.name))
    if args.compare_with is not None and suffix != ".pptx":
        raise UsageError(t("us_render_compare", lang).format(name=out.name))
    journey = load(args.file, personas=args.personas)
    other = load(args.compare_with, personas=args.personas) if args.compare_with else None
    try:
        path = export(journey, out, kind=args.kind, lang=args.lang, dpi=args.dpi, paper=args.paper,
                      compare_with=other)
    except RenderLimitError as exc:  # refused before drawing: say why and what to write instead
        raise UsageError(f"render: {exc.text(lang)}") from None
    print(t("cli_wrote", lang_of(args.lang, journey)).format(path=path))
    return 0


def register(subparsers: argparse._SubParsersAction) -> None:
    """Add the ``render`` sub-command."""
    p = subparsers.add_parser(
        "render", help="draw a journey: map/charts (.png .svg .pdf), report (.html), Mermaid (.mmd), CSV",
        description="Render a journey file. The output suffix picks the format. A map (or the HTML report) "
                    "is drawn for at most 200 touchpoints, other charts and the network page for 2000; "
                    "larger journeys are refused up front (write .csv or .mmd, or one stage at a time).",
    )
    p.add_argument("file", metavar="FILE", help="journey file (YAML or JSON)")
    p.add_argument("-o", "--output", required=True, metavar="OUT", help="output file: " + " ".join(SUFFIXES))
    p.add_argument("--lang", choices=["en", "es"], help="label language (default: the journey's)")
    p.add_argument("--kind", choices=sorted({*IMAGE_KINDS, *HTML_KINDS}),
                   help="images: map (default), emotion, heatmap, flow, priority, opportunities; "
                        "HTML: report (default), network, network-full")
    p.add_argument("--dpi", type=int, default=150, help="resolution of PNG output (default 150)")
    p.add_argument("--paper", choices=["A4", "A3", "A1"],
                   help="with a .pdf: a poster, the map tiled over landscape pages with a cover (text >= 8 pt)")
    p.add_argument("--compare-with", metavar="FILE",
                   help="with a .pptx: add current-vs-future slides comparing this journey with FILE")
    p.add_argument("--personas", metavar="DIR", help="folder of persona files (default: nearest personas/)")
    p.set_defaults(func=_cmd_render)
