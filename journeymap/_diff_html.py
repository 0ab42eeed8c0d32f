"""A :class:`~journeymap.diff.JourneyDiff` as one self-contained HTML page.

The page holds the score figures before/after, the two journey maps side by side (PNG drawn by
:func:`journeymap.plot.journey_map`, embedded as data URLs with their alt text) and one table per
section whose rows are marked added / removed / changed — by a word as well as a colour. Every user
text (labels, ids, values, file names) is escaped with :func:`html.escape`; the page runs no script
and its Content-Security-Policy allows none.
"""

from __future__ import annotations

import html
import json
from typing import TYPE_CHECKING, Any

from journeymap._diff_text import delta_text, figure_text, word

if TYPE_CHECKING:
    from journeymap.diff import JourneyDiff

CSP = "default-src 'none'; style-src 'unsafe-inline'; img-src data:"
_CSS = """
body { font-family: "DejaVu Sans", Arial, sans-serif; color: #1F2933; margin: 0; background: #F5F7FA; }
main { max-width: 1600px; margin: 0 auto; padding: 24px; }
h1 { font-size: 24px; margin: 0 0 6px; } h2 { font-size: 18px; margin: 26px 0 10px; }
.meta { color: #52606D; margin: 0 0 14px; }
.card { background: #fff; border-radius: 8px; padding: 14px 18px; box-shadow: 0 1px 3px rgba(0,0,0,.08);
        margin-bottom: 14px; }
.maps { display: grid; grid-template-columns: 1fr 1fr; gap: 14px; }
.maps figure { margin: 0; background: #fff; border-radius: 8px; padding: 10px; overflow: auto;
               box-shadow: 0 1px 3px rgba(0,0,0,.08); }
.maps figcaption { font-weight: bold; margin-bottom: 6px; overflow-wrap: anywhere; }
.maps img { width: 100%; min-width: 560px; height: auto; }
@media (max-width: 900px) { .maps { grid-template-columns: 1fr; } }
table { border-collapse: collapse; font-size: 13px; width: 100%; }
th, td { padding: 5px 8px; border-bottom: 1px solid #E4E7EB; text-align: left; vertical-align: top; }
td.num, th.num { text-align: right; white-space: nowrap; }
td.id { font-family: "DejaVu Sans Mono", monospace; white-space: nowrap; }
.badge { display: inline-block; padding: 1px 7px; border-radius: 10px; font-size: 12px; font-weight: bold;
         white-space: nowrap; }
tr.added { background: #E3F9E5; } tr.added .badge { background: #31836E; color: #fff; }
tr.removed { background: #FFE3E3; } tr.removed .badge { background: #AB091E; color: #fff; }
tr.removed td.label { text-decoration: line-through; }
tr.changed { background: #FFF8E1; } tr.changed .badge { background: #8D2B0B; color: #fff; }
ul.fields { margin: 0; padding-left: 16px; } ul.fields code { overflow-wrap: anywhere; }
.old { color: #AB091E; } .new { color: #1B6B5A; }
.note { color: #8D2B0B; }
"""


def _e(value: object) -> str:
    return html.escape(str(value), quote=True)


def _value(value: Any, limit: int = 160) -> str:
    text = "–" if value is None else value if isinstance(value, str) else json.dumps(value, ensure_ascii=False)
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _side(d: JourneyDiff, side: str) -> str:
    return f"{side.upper()} ({d.a_label if side == 'a' else d.b_label})"


def _scores(d: JourneyDiff, lang: str) -> str:
    if not d.scores:
        return ""
    head = (f"<tr><th>{_e(word('figure', lang))}</th><th class='num'>{_e(word('before', lang))}</th>"
            f"<th class='num'>{_e(word('after', lang))}</th><th class='num'>{_e(word('change', lang))}</th></tr>")
    rows = [f"<tr><td>{_e(word(name, lang))}</td><td class='num'>{_e(figure_text(name, s.a))}</td>"
            f"<td class='num'>{_e(figure_text(name, s.b))}</td>"
            f"<td class='num'>{_e(delta_text(name, s.delta, lang))}</td></tr>" for name, s in d.scores.items()]
    notes = [f"<p class='note'>{_e(word('not_scored', lang, side=_side(d, side), why=why))}"
             "</p>" for side, why in d.score_errors.items()]
    return f"<div class='card'><table>{head}{''.join(rows)}</table>{''.join(notes)}</div>"


def _map(d: JourneyDiff, side: str, lang: str) -> str:
    from journeymap.exporting import _img

    journey = d.a if side == "a" else d.b
    label = d.a_label if side == "a" else d.b_label
    caption = f"{word('before' if side == 'a' else 'after', lang)}: {label}"
    if journey is None:
        return ""
    report = d.reports.get(side)
    try:
        picture = _img(journey, "map", lang, report if report is not None else False, journey.title, dpi=80)
    except Exception as exc:  # too large to draw, or a plotting problem: say so, keep the page
        picture = f"<p class='note'>{_e(' '.join(str(exc).split())[:300])}</p>"
    return f"<figure><figcaption>{_e(caption)}</figcaption>{picture}</figure>"


def _fields(change: Any, lang: str) -> str:
    items = []
    if change.old_key:
        items.append(f"<li>{_e(word('id_changed', lang))}: <code class='old'>{_e(change.old_key)}</code> → "
                     f"<code class='new'>{_e(change.key)}</code></li>")
    items += [f"<li><b>{_e(f.path)}</b>: <code class='old'>{_e(_value(f.old))}</code> → "
              f"<code class='new'>{_e(_value(f.new))}</code></li>" for f in change.fields]
    return f"<ul class='fields'>{''.join(items)}</ul>"


def _label(item: Any) -> str:
    return "" if item.label == item.key else _e(_value(item.label, 200))


def _section(kind: str, section: Any, lang: str) -> str:
    rows = []
    for state, items in (("added", section.added), ("removed", section.removed)):
        for item in items:
            at = item.data.get("at")
            where = f"{word('at', lang)} {at}" if at else ""
            rows.append(f"<tr class='{state}'><td><span class='badge'>{_e(word(state, lang))}</span></td>"
                        f"<td class='id'>{_e(item.key)}</td><td class='label'>{_label(item)}</td>"
                        f"<td>{_e(where)}</td></tr>")
    for change in section.changed:
        rows.append(f"<tr class='changed'><td><span class='badge'>{_e(word('changed', lang))}</span></td>"
                    f"<td class='id'>{_e(change.key)}</td><td class='label'>{_label(change)}</td>"
                    f"<td>{_fields(change, lang)}</td></tr>")
    head = (f"<tr><th>{_e(word('change', lang))}</th><th>id</th><th>{_e(word('item', lang))}</th>"
            f"<th>{_e(word('fields', lang))}</th></tr>")
    title = f"{word(kind, lang)} — {word('counts', lang, **section.counts())}"
    return (f"<h2 id='{_e(kind)}'>{_e(title)}</h2><div class='card'>"
            f"<table class='changes' data-section='{_e(kind)}'>{head}{''.join(rows)}</table></div>")


def as_html(d: JourneyDiff, lang: str = "en", maps: bool = True) -> str:
    """The page as text (see the module docstring); ``maps=False`` leaves the two pictures out."""
    if lang not in ("en", "es"):
        raise ValueError(f"lang must be 'en' or 'es', got {lang!r}")
    title = f"{word('title', lang)}: {d.a_label} → {d.b_label}"
    body = [f"<h1>{_e(title)}</h1>"]
    counts = ", ".join(f"{word(k, lang)} {sum(s.counts().values())}" for k, s in d.sections.items() if s)
    body.append(f"<p class='meta'>{_e(counts or word('no_changes', lang))}</p>")
    body.append(_scores(d, lang))
    if maps:
        body.append(f"<h2>{_e(word('maps', lang))}</h2>"
                    f"<div class='maps'>{_map(d, 'a', lang)}{_map(d, 'b', lang)}</div>")
    body += [_section(kind, s, lang) for kind, s in d.sections.items() if s]
    return (f'<!DOCTYPE html>\n<html lang="{_e(lang)}">\n<head>\n<meta charset="utf-8">\n'
            f'<meta http-equiv="Content-Security-Policy" content="{CSP}">\n'
            f'<meta name="viewport" content="width=device-width, initial-scale=1">\n'
            f"<title>{_e(title)}</title>\n<style>{_CSS}</style>\n</head>\n<body><main>\n"
            + "\n".join(b for b in body if b) + "\n</main></body>\n</html>\n")
