"""A fast SVG preview of a journey map: stages, channels, the emotion curve and the friction strip.

The full journey map (:func:`journeymap.plot.journey_map`) lays out and wraps
every text and takes a second or more on long journeys; the editor redraws on
every change, so it shows this compact view instead (milliseconds), with the
full map one click away. All user text is escaped.

>>> import journeymap as jm
>>> j = jm.load(jm.shipped_journey("hotel_stay"))
>>> svg = svg_preview(j, jm.score(j))
>>> svg.startswith("<svg") and "Booking" in svg
True
"""

from __future__ import annotations

from html import escape
from typing import Any

from journeymap.model import Journey
from journeymap.plot._alt import alt_text
from journeymap.plot._style import INK, KIND_COLOURS, MUTED, NEGATIVE, NEUTRAL, POSITIVE, hex_colour, ink_on

COL = 78  # px per touchpoint column
TOP = 26  # stage header
ROW_CH, ROW_EMO, ROW_HEAT = 26, 74, 24
LEFT = 74  # lane labels



def _heat(friction: float) -> str:
    from journeymap.plot._style import heat_colour

    return hex_colour(heat_colour(friction))


def _emotion(emotion: float) -> str:
    return POSITIVE if emotion > 0.25 else NEGATIVE if emotion < -0.25 else NEUTRAL


def ordered(journey: Journey) -> list:
    """Touchpoints left to right: by stage order, then file order."""
    rank = {s.id: i for i, s in enumerate(journey.ordered_stages())}
    return sorted(journey.touchpoints, key=lambda tp: rank[tp.stage])


def _clip(text: str, n: int) -> str:
    return text if len(text) <= n else text[: n - 1] + "…"


def svg_preview(journey: Journey, report: Any = None, lang: str | None = None,
                selected: str | None = None) -> str:
    """The compact map as an SVG string; ``selected`` highlights one touchpoint."""
    from journeymap.i18n import t

    lang = lang or journey.lang
    tps = ordered(journey)
    friction = report.by_touchpoint["friction"].to_dict() if report is not None else {}
    width = LEFT + COL * len(tps) + 8
    y_ch, y_emo = TOP + 6, TOP + 6 + ROW_CH + 6
    y_heat = y_emo + ROW_EMO + 6
    height = y_heat + ROW_HEAT + 6
    alt = escape(alt_text(journey, "preview", lang, report), quote=True)
    out = [f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" '
           f'viewBox="0 0 {width} {height}" font-family="DejaVu Sans, sans-serif" font-size="10" '
           f'role="img" aria-label="{alt}"><title>{alt}</title>']
    x = LEFT
    for i, stage in enumerate(journey.ordered_stages()):
        n = sum(tp.stage == stage.id for tp in tps)
        if not n:
            continue
        fill = "#F3F5F8" if i % 2 == 0 else "#FFFFFF"
        out.append(f'<rect x="{x}" y="0" width="{COL * n}" height="{height}" fill="{fill}"/>')
        out.append(f'<text x="{x + 4}" y="16" font-weight="bold" fill="{INK}"><title>{escape(stage.name)}</title>'
                   f'{escape(_clip(stage.name, 11 * n))}</text>')
        x += COL * n
    for label, y, h in (("channel", y_ch, ROW_CH), ("emotion", y_emo, ROW_EMO), ("friction", y_heat, ROW_HEAT)):
        out.append(f'<text x="4" y="{y + h / 2 + 4}" fill="{MUTED}">{escape(t(label, lang))}</text>')
    points = []
    for i, tp in enumerate(tps):
        cx = LEFT + COL * i + COL / 2
        kind = journey.channel_info(tp.channel).kind
        short = journey.channel_info(tp.channel).short or tp.channel[:5].upper()
        stroke = ' stroke="#1F2933" stroke-width="2"' if tp.id == selected else ""
        chip = KIND_COLOURS.get(kind, "#7B8794")
        out.append(f'<g><title>{escape(tp.id)}: {escape(tp.action)}</title>'
                   f'<rect x="{cx - COL / 2 + 4}" y="{y_ch}" width="{COL - 8}" height="{ROW_CH}" rx="4" '
                   f'fill="{chip}"{stroke}/>'
                   f'<text x="{cx}" y="{y_ch + 17}" text-anchor="middle" fill="{ink_on(chip)}" font-weight="bold">'
                   f'{escape(short)}</text></g>')
        cy = y_emo + ROW_EMO / 2 - tp.emotion * (ROW_EMO / 2 - 8) / 2
        points.append((cx, cy, tp))
        if tp.id in friction:
            f = friction[tp.id]
            ink = ink_on(_heat(f))
            out.append(f'<rect x="{cx - COL / 2 + 4}" y="{y_heat}" width="{COL - 8}" height="{ROW_HEAT}" '
                       f'fill="{_heat(f)}"/><text x="{cx}" y="{y_heat + 16}" text-anchor="middle" '
                       f'fill="{ink}">{f:.0f}</text>')
    mid = y_emo + ROW_EMO / 2
    out.append(f'<line x1="{LEFT}" y1="{mid}" x2="{width - 8}" y2="{mid}" stroke="#9AA5B1" '
               'stroke-dasharray="3 3"/>')
    if points:
        path = " ".join(f"{x:.1f},{y:.1f}" for x, y, _ in points)
        out.append(f'<polyline points="{path}" fill="none" stroke="{INK}" stroke-width="1.5"/>')
    for px, py, tp in points:
        out.append(f'<circle cx="{px:.1f}" cy="{py:.1f}" r="5" fill="{_emotion(tp.emotion)}" stroke="#FFFFFF">'
                   f'<title>{escape(tp.id)}: {tp.emotion:+g}</title></circle>')
    out.append("</svg>")
    return "".join(out)
