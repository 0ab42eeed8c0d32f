"""Export a journey by file suffix: the map as PNG/SVG/PDF, an HTML report, Mermaid, CSV.

Every file is written atomically (a reader sees the old file or the new one).

>>> import journeymap as jm, tempfile, pathlib
>>> j = jm.load(jm.shipped_journey("coffee_loyalty_app"))
>>> out = pathlib.Path(tempfile.mkdtemp())
>>> jm.export(j, out / "coffee.mmd").read_text().splitlines()[0]
'journey'
>>> jm.export(j, out / "coffee.csv").stat().st_size > 0
True
"""

from __future__ import annotations

import base64
import html
import io
import os
from pathlib import Path
from typing import TYPE_CHECKING, Any, cast

from journeymap.i18n import t
from journeymap.plot._common import friction_report, resolve_lang

if TYPE_CHECKING:
    from matplotlib.figure import Figure

    from journeymap.model import Journey

IMAGE_SUFFIXES = (".png", ".svg", ".pdf")
SUFFIXES = (*IMAGE_SUFFIXES, ".html", ".htm", ".mmd", ".csv", ".pptx")
#: What an image export can show (``kind=``); the default is the journey map.
IMAGE_KINDS = ("map", "emotion", "heatmap", "flow", "priority", "opportunities")
#: What an HTML export can be: the full report (default) or the network page alone.
HTML_KINDS = ("report", "network", "network-full")
#: The most touchpoints a journey map (image, or the HTML report that shows it) is drawn for: each
#: touchpoint is a 1.9-inch column, so 200 make a 382-inch-wide figure that takes ~20 s and ~0.5 GB.
MAX_MAP_TOUCHPOINTS = 200
#: The most touchpoints any other chart or the network page is drawn for.
MAX_DRAWN_TOUCHPOINTS = 2000
#: The widest or tallest PNG matplotlib's renderer can write, in pixels.
MAX_PIXELS = 65535


class RenderLimitError(ValueError):
    """A journey too large for the output asked for; refused before any drawing (one-line message).

    ``str()`` is English; :meth:`text` gives the message in ``lang``.
    """

    def __init__(self, key: str, **values: Any):
        self.key, self.values = key, values
        super().__init__(self.text("en"))

    def text(self, lang: str = "en") -> str:
        """The one-line message in ``lang`` (``en``/``es``)."""
        values = dict(self.values)
        if self.key == "err_render_limit":
            values["what"] = t(f"err_render_{values['what']}", lang).format(kind=values.get("kind"))
            values["network"] = t("err_render_network", lang) if values["limit"] < MAX_DRAWN_TOUCHPOINTS else ""
        return t(self.key, lang).format(**values)


def check_size(journey: Journey, suffix: str, kind: str | None = None) -> None:
    """Refuse up front (:class:`RenderLimitError`) an output too large to draw in reasonable time and memory.

    Maps and the HTML report stop at :data:`MAX_MAP_TOUCHPOINTS`, other charts and the network page at
    :data:`MAX_DRAWN_TOUCHPOINTS`; Mermaid and CSV have no limit.

    >>> import journeymap as jm
    >>> check_size(jm.load(jm.shipped_journey("hotel_stay")), ".png")  # small: fine
    """
    n = len(journey.touchpoints)
    suffix = suffix.lower()
    if suffix in (".mmd", ".csv"):
        return
    is_html = suffix in (".html", ".htm")
    draws_map = (kind or "report") == "report" if is_html else (kind or "map") == "map"
    if draws_map:
        what, limit = ("report" if is_html else "map"), MAX_MAP_TOUCHPOINTS
    else:
        what, limit = ("page" if is_html else "chart"), MAX_DRAWN_TOUCHPOINTS
    if n > limit:
        raise RenderLimitError("err_render_limit", n=n, limit=limit, what=what, kind=kind)


def figure(journey: Journey, kind: str = "map", lang: str | None = None, report: Any = None) -> Figure:
    """The matplotlib Figure for an image export (``kind`` from :data:`IMAGE_KINDS`)."""
    from journeymap import plot

    if kind not in IMAGE_KINDS:
        raise ValueError(f"image kind must be one of {', '.join(IMAGE_KINDS)}; got {kind!r}")
    if kind == "map":
        ax = plot.journey_map(journey, lang=lang, report=report)
    elif kind == "emotion":
        ax = plot.emotion_curve(journey, lang=lang)
    elif kind == "heatmap":
        metric = "friction" if friction_report(journey, report) is not None else "emotion"
        ax = plot.friction_heatmap(journey, lang=lang, report=report, metric=metric)
    elif kind == "flow":
        ax = plot.channel_flow(journey, lang=lang, report=report)
    else:
        ax = plot.priority_matrix(journey, lang=lang, kind="pain_points" if kind == "priority" else "opportunities")
    return cast("Figure", ax.figure)


def image_bytes(journey: Journey, fmt: str = "png", kind: str = "map", lang: str | None = None,
                report: Any = None, dpi: int = 150) -> bytes:
    """The chart as PNG/SVG/PDF bytes (no dates embedded, so exports are reproducible)."""
    import matplotlib.pyplot as plt

    from journeymap.alt_text import alt_text

    check_size(journey, "." + fmt, kind)
    report = friction_report(journey, report)
    fig = figure(journey, kind, lang, report if report is not None else False)
    alt = alt_text(journey, kind, resolve_lang(journey, lang), report if report is not None else False)
    width, height = (float(v) * dpi for v in fig.get_size_inches())
    if fmt == "png" and max(width, height) > MAX_PIXELS:
        import matplotlib.pyplot as plt

        plt.close(fig)
        raise RenderLimitError("err_render_pixels", width=f"{width:.0f}", height=f"{height:.0f}", most=MAX_PIXELS,
                               dpi=int(MAX_PIXELS / max(width / dpi, height / dpi)))
    # The text alternative travels with the file: PNG Description, SVG <title>/<desc> (below), PDF Subject.
    metadata = {"png": {"Software": None, "Description": alt}, "svg": {"Date": None},
                "pdf": {"CreationDate": None, "Subject": alt}}[fmt]
    buffer = io.BytesIO()
    from journeymap.plot._style import style

    try:
        with style():  # svg.hashsalt etc. apply when saving; missing glyphs draw a box, quietly
            # PNG: zlib level 3, not 6 — same pixels, half the encoding time of a wide map, ~1.6x the bytes
            extra: dict[str, Any] = {"pil_kwargs": {"compress_level": 3}} if fmt == "png" else {}
            fig.savefig(buffer, format=fmt, dpi=dpi, metadata=metadata, **extra)
    finally:
        plt.close(fig)
    if fmt == "svg":
        return _svg_described(buffer.getvalue(), t(_alt_kind(kind), resolve_lang(journey, lang)), alt)
    return buffer.getvalue()


def _alt_kind(kind: str) -> str:
    from journeymap.alt_text import KINDS

    return KINDS.get(kind, "journey_map")


def _svg_described(svg: bytes, title: str, desc: str) -> bytes:
    """The SVG with ``<title>`` and ``<desc>`` as the root element's first children (read by screen readers)."""
    text = svg.decode("utf-8")
    start = text.find("<svg")
    end = text.find(">", start) + 1
    if start < 0 or end <= 0:
        return svg
    head = text[start:end]
    if "aria-labelledby" not in head:
        head = head[:-1] + ' role="img" aria-labelledby="jm-title jm-desc">'
    described = (f'\n <title id="jm-title">{html.escape(title, quote=False)}</title>'
                 f'\n <desc id="jm-desc">{html.escape(desc, quote=False)}</desc>')
    return (text[:start] + head + described + text[end:]).encode("utf-8")


def export(journey: Journey, path: str | os.PathLike[str], kind: str | None = None, lang: str | None = None,
           report: Any = None, dpi: int = 150, paper: str | None = None,
           compare_with: Journey | None = None) -> Path:
    """Write ``journey`` to ``path``; the suffix picks the format. Returns the path.

    * ``.png`` ``.svg`` ``.pdf``: the journey map, or another chart with ``kind`` = ``emotion``,
      ``heatmap``, ``flow``, ``priority`` (pain points) or ``opportunities``.
    * ``.html``: one self-contained report (map, network, friction tables, persona card, pain points
      and opportunities) that makes no external request; ``kind="network"`` (or ``"network-full"``)
      writes the interactive network page alone.
    * ``.mmd``: a Mermaid ``journey`` diagram (:func:`journeymap.mermaid.to_mermaid`).
    * Too large a journey for the output (see :func:`check_size`) raises :class:`RenderLimitError`
      before anything is drawn.
    * ``.pdf`` with ``paper="A4"|"A3"|"A1"``: a poster, the map tiled over landscape pages at 8 pt or
      larger text, with a cover page (:func:`journeymap.poster.poster_bytes`).
    * ``.pptx``: a slide deck (:func:`journeymap.deck.deck_bytes`): title, persona, the map by stage,
      emotion curve, top pain points, opportunities, scorecard and, with ``compare_with=`` (e.g. the
      future journey), current vs future; editable text, alt text on every picture.
    * Every image carries a text alternative (:func:`journeymap.alt_text.alt_text`): PNG
      ``Description``, SVG ``<title>``/``<desc>``, PDF subject, ``alt`` in the HTML report.
    * ``.csv``: one row per touchpoint (:func:`journeymap.frames.to_frame`); text cells starting with
      ``= + - @``, tab or CR get a leading ``'`` so a spreadsheet shows them as text
      (:func:`journeymap.safety.csv_cell`); :func:`journeymap.frames.from_csv` removes it again.
    """
    from journeymap.io import atomic_write

    path = Path(path)
    suffix = path.suffix.lower()
    if suffix not in SUFFIXES:
        raise ValueError(f"cannot export to '{path.name}': use one of {', '.join(SUFFIXES)}")
    check_size(journey, suffix, kind)
    if paper is not None:
        if suffix != ".pdf" or (kind or "map") != "map":
            raise ValueError(f"paper= makes a poster of the map: write a .pdf (got '{path.name}')")
        from journeymap.poster import poster_bytes

        atomic_write(path, poster_bytes(journey, paper, lang, report))
    elif suffix in IMAGE_SUFFIXES:
        atomic_write(path, image_bytes(journey, suffix[1:], kind or "map", lang, report, dpi))
    elif suffix in (".html", ".htm"):
        kind = kind or "report"
        if kind not in HTML_KINDS:
            raise ValueError(f"HTML kind must be one of {', '.join(HTML_KINDS)}; got {kind!r}")
        if kind == "report":
            atomic_write(path, report_html(journey, lang=lang, report=report))
        else:
            from journeymap.network import network_html

            atomic_write(path, network_html(journey, lang=lang, kind="full" if kind == "network-full" else "flow",
                                            report=report))
    elif suffix == ".pptx":
        from journeymap.deck import deck_bytes

        atomic_write(path, deck_bytes(journey, lang, report, compare_with, dpi))
    elif suffix == ".mmd":
        from journeymap.mermaid import to_mermaid

        atomic_write(path, to_mermaid(journey, lang=lang))
    else:
        from journeymap.safety import csv_text

        # Text cells that a spreadsheet would run as a formula get a leading ' (from_csv removes it again).
        atomic_write(path, csv_text(journey.to_frame(), index=False))
    return path


# -- the HTML report ---------------------------------------------------------------------------
_CSS = """
body { font-family: "DejaVu Sans", Arial, "Noto Sans", "Noto Sans Arabic", "Noto Sans Devanagari",
  "Noto Sans CJK SC", "PingFang SC", "Microsoft YaHei", sans-serif, "Apple Color Emoji", "Segoe UI Emoji",
  "Noto Color Emoji"; color: #1F2933; margin: 0; background: #F5F7FA; }
main { max-width: 1280px; margin: 0 auto; padding: 24px; }
h1 { font-size: 26px; margin: 0 0 6px; } h2 { font-size: 19px; margin: 28px 0 10px; }
.meta { color: #52606D; margin: 0 0 16px; }
.card { background: #fff; border-radius: 8px; padding: 16px 20px; box-shadow: 0 1px 3px rgba(0,0,0,.08);
        margin-bottom: 16px; }
.persona { display: grid; grid-template-columns: repeat(auto-fit, minmax(240px, 1fr)); gap: 8px 24px; }
.persona h3 { font-size: 14px; margin: 6px 0 4px; color: #52606D; }
.persona ul { margin: 0; padding-left: 18px; }
.quote { font-style: italic; color: #52606D; }
img.chart { max-width: 100%; height: auto; }
.scroll { overflow-x: auto; } .scroll img.chart { max-width: none; width: 2200px; }
table { border-collapse: collapse; font-size: 13px; margin-bottom: 12px; }
th, td { padding: 4px 10px; border-bottom: 1px solid #E4E7EB; text-align: left; }
td.num, th.num { text-align: right; }
iframe { width: 100%; height: 760px; border: 0; background: #fff; }
.kpis { display: flex; gap: 32px; font-size: 15px; } .kpis b { font-size: 24px; display: block; }
footer { color: #52606D; font-size: 12px; margin-top: 24px; }
"""


def _e(value: object) -> str:
    return html.escape(str(value), quote=True)


def _img(journey: Journey, kind: str, lang: str, report: Any, title: str, dpi: int = 100) -> str:
    """The chart as an inline PNG whose alt text is written from the model (title, stages, touchpoints, top pain)."""
    from journeymap.alt_text import alt_text

    data = base64.b64encode(image_bytes(journey, "png", kind, lang, report, dpi)).decode("ascii")
    alt = alt_text(journey, kind, lang, report)
    return f'<img class="chart" alt="{_e(alt)}" title="{_e(title)}" src="data:image/png;base64,{data}">'


def _persona_card(journey: Journey, lang: str) -> str:
    persona = journey.persona_obj()
    if persona is None:
        return ""
    facts = " · ".join(f"{_e(k)}: {_e(v)}" for k, v in persona.demographics.items())
    parts = [f"<h2>{_e(t('persona', lang).capitalize())}: {_e(persona.name)}</h2>", '<div class="card">']
    if persona.segment or facts:
        parts.append(f'<p class="meta">{_e(persona.segment)}{" · " if persona.segment and facts else ""}{facts}</p>')
    if persona.summary:
        parts.append(f"<p>{_e(persona.summary)}</p>")
    if persona.quote:
        parts.append(f'<p class="quote">“{_e(persona.quote)}”</p>')
    parts.append('<div class="persona">')
    channels = [journey.channel_info(c).name(lang) for c in persona.preferred_channels]
    for key, items in (("goals", persona.goals), ("motivations", persona.motivations),
                       ("frustrations", persona.frustrations), ("preferred_channels", channels)):
        if items:
            lis = "".join(f"<li>{_e(i)}</li>" for i in items)
            parts.append(f"<div><h3>{_e(t(key, lang))}</h3><ul>{lis}</ul></div>")
    parts.append("</div></div>")
    return "\n".join(parts)


def _table(frame, columns: list[str], lang: str) -> str:
    """A score table: headers (and channel kinds) in ``lang``; the index is headed by its name."""
    from journeymap.i18n import frame_headers

    shown = frame[[c for c in columns if c in frame.columns]].copy()
    if "kind" in shown.columns:
        shown["kind"] = [t(k, lang) for k in shown["kind"]]
    shown.columns = [t(c, lang) if c in ("stage", "channel", "effort", "emotion", "friction", "reach") else c
                     for c in shown.columns]
    return frame_headers(shown, lang).to_html(escape=True, float_format=lambda v: f"{v:.1f}", border=0, na_rep="")


def _pains_html(journey: Journey, lang: str) -> str:
    rows = []
    for pain, where in journey.pain_points():
        rows.append(f"<tr><td>{_e(pain.text)}</td><td>{_e(where)}</td><td class='num'>{pain.severity}</td>"
                    f"<td class='num'>{pain.frequency:.0%}</td></tr>")
    if not rows:
        return ""
    head = (f"<tr><th>{_e(t('pain_points', lang).capitalize())}</th><th>{_e(t('touchpoint', lang))}</th>"
            f"<th class='num'>{_e(t('severity_short', lang))}</th><th class='num'>{_e(t('frequency_short', lang))}"
            "</th></tr>")
    return f"<table>{head}{''.join(rows)}</table>"


def _opps_html(journey: Journey, lang: str) -> str:
    rows = [f"<tr><td>{_e(o.text)}</td><td>{_e(', '.join(o.addresses))}</td><td class='num'>{o.value}</td>"
            f"<td class='num'>{o.effort}</td></tr>" for o in journey.opportunities]
    if not rows:
        return ""
    head = (f"<tr><th>{_e(t('opportunities', lang).capitalize())}</th><th>{_e(t('addresses', lang))}</th>"
            f"<th class='num'>{_e(t('value_short', lang))}</th><th class='num'>{_e(t('effort_short', lang))}</th></tr>")
    return f"<table>{head}{''.join(rows)}</table>"


def report_html(journey: Journey, lang: str | None = None, report: Any = None) -> str:
    """The self-contained HTML report as text (see :func:`export`)."""
    from journeymap.exporting_evidence import CSS, evidence_html, metrics_html
    from journeymap.network import CSP, network_html

    lang = resolve_lang(journey, lang)
    report = friction_report(journey, report)
    network = network_html(journey, lang=lang, report=report if report is not None else False)
    body = [f"<h1>{_e(journey.title)}</h1>",
            f'<p class="meta">{_e(t(journey.state, lang))} · {len(journey.stages)} {_e(t("stages", lang))} · '
            f'{len(journey.touchpoints)} {_e(t("touchpoints", lang))}</p>']
    if journey.description:
        body.append(f"<p>{_e(journey.description)}</p>")
    body.append(_persona_card(journey, lang))
    body.append(f"<h2>{_e(t('journey_map', lang).capitalize())}</h2>")
    body.append(f'<div class="card scroll" tabindex="0" role="region" aria-label="{_e(t("journey_map", lang))}">'
                f'{_img(journey, "map", lang, report, t("journey_map", lang))}</div>')
    body.append(f"<h2>{_e(t('network', lang))}</h2>")
    body.append(f'<div class="card"><iframe title="{_e(t("network", lang))}" sandbox="allow-scripts" '
                f'srcdoc="{html.escape(network, quote=True)}"></iframe></div>')
    if report is not None:
        body.append(f"<h2>{_e(t('scores', lang))}</h2><div class='card'><div class='kpis'>"
                    f"<div><b>{report.total:.0f}</b>{_e(t('total_friction', lang))}</div>"
                    f"<div><b>{report.expected_conversion:.0%}</b>{_e(t('expected_conversion', lang))}</div></div>")
        body.append(_img(journey, "heatmap", lang, report, t("friction_heatmap", lang)))
        comps = ["reach", "effort", "emotion", "pain", "wait", "handoff", "friction"]
        body.append(f"<h3>{_e(t('by_stage', lang))}</h3>{_table(report.by_stage, ['name', *comps], lang)}")
        by_channel = _table(report.by_channel, ["name", "kind", *comps], lang)
        body.append(f"<h3>{_e(t('by_channel', lang))}</h3>{by_channel}")
        body.append(f"<h3>{_e(t('by_touchpoint', lang))}</h3>"
                    f"{_table(report.by_touchpoint, ['stage', 'channel', *comps], lang)}</div>")
        body.append(evidence_html(journey, report, lang))
        from journeymap.exporting_money import money_html

        body.append(money_html(journey, report, lang))
    else:
        body.append(f"<p class='meta'>{_e(t('no_scoring', lang))}</p>")
    body.append(metrics_html(journey, lang))
    body.append(f"<h2>{_e(t('emotion_curve', lang))}</h2>")
    body.append(f'<div class="card">{_img(journey, "emotion", lang, report, t("emotion_curve", lang))}</div>')
    pains, opps = _pains_html(journey, lang), _opps_html(journey, lang)
    if pains or opps:
        body.append(f"<h2>{_e(t('pain_points', lang).capitalize())} · {_e(t('opportunities', lang))}</h2>"
                    f'<div class="card scroll" tabindex="0" role="region" aria-label="{_e(t("pain_points", lang))}">'
                    f'{pains}{opps}</div>')
    from journeymap.exporting_room import CSS as ROOM_CSS
    from journeymap.exporting_room import workshop_html

    body.append(workshop_html(journey, report, lang))
    body.append(f"<footer>{_e(t('generated_by', lang))}</footer>")
    return (f'<!DOCTYPE html>\n<html lang="{_e(lang)}">\n<head>\n<meta charset="utf-8">\n'
            f'<meta http-equiv="Content-Security-Policy" content="{CSP}">\n'
            f'<meta name="viewport" content="width=device-width, initial-scale=1">\n'
            f"<title>{_e(journey.title)}</title>\n<style>{_CSS}{CSS}{ROOM_CSS}</style>\n</head>\n<body><main>\n"
            + "\n".join(b for b in body if b) + "\n</main></body>\n</html>\n")
