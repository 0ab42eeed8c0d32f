"""A slide deck (.pptx) of a journey: what facilitators hand out and present.

Slides, in order: title, persona (when the journey has one), the map's key, the journey map split by
stage over slides of at most :data:`MAX_COLUMNS` touchpoint columns and a few lanes, so its smallest
text shows at ≥ :data:`MIN_SLIDE_PT` points on the 13.33-inch slide, the emotion curve, the top pain
points (an editable table), the opportunities matrix with the best opportunities (a table), the
omnichannel scorecard (a table) and, with ``compare_with=``, current vs future. Text is real, editable text
(text boxes and tables), never only a picture; every picture carries its text alternative
(:func:`journeymap.alt_text.alt_text`) as its description, which PowerPoint and LibreOffice read out.

>>> import journeymap as jm, io
>>> from pptx import Presentation
>>> deck = Presentation(io.BytesIO(deck_bytes(jm.load(jm.shipped_journey("hotel_stay")))))
>>> len(deck.slides) >= 6
True
"""

from __future__ import annotations

import io
import itertools
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, cast

from journeymap.alt_text import alt_text
from journeymap.i18n import t
from journeymap.plot._common import column_order, friction_report, resolve_lang
from journeymap.safety import terminal
from journeymap.scoring.scorecard import scorecard

if TYPE_CHECKING:
    from matplotlib.figure import Figure

    from journeymap.model import Journey

#: The smallest map text on a slide, in points as displayed on the 13.33-inch slide.
MIN_SLIDE_PT = 10.0
#: The smallest text the map draws (points, as drawn: the channel names and emotion ticks).
MAP_MIN_PT = 7.0
#: How much a map picture is enlarged on its slide at least, so its smallest text shows at MIN_SLIDE_PT.
MAP_SCALE = MIN_SLIDE_PT / MAP_MIN_PT
#: ... and at most (a one-column part is not blown up to fill the slide).
MAP_MAX_SCALE = 1.6
#: The most touchpoint columns one map slide holds: 3 columns (7.75 in drawn) × MAP_SCALE fit the slide.
MAX_COLUMNS = 3
#: The tallest map part (stage header and lanes, inches as drawn) one slide holds at MAP_SCALE;
#: taller parts spread their lanes over more slides.
MAX_MAP_HEIGHT = 6.35 / MAP_SCALE - 0.05
#: How many pain points / opportunities the ranked tables list.
TOP_N = 8

_WORDS = {
    "en": {"map_part": "Journey map", "top_pains": "Top pain points", "opps": "Opportunities", "card": "Scorecard",
           "compare": "Current vs future", "where": "Where", "impact": "Impact", "removed": "Friction removed",
           "component": "Measure", "value": "Value", "explanation": "What it means", "measure": "Measure",
           "delta": "Change", "segment": "Segment", "no_pains": "No pain points recorded.",
           "no_opps": "No opportunities recorded.", "no_score": "Scoring is not available for this journey.",
           "friction": "friction", "conversion": "expected conversion", "continuity": "continuity index",
           "repeats": "repeats per customer", "continued": "(continued)", "key": "How to read the map"},
    "es": {"map_part": "Mapa del recorrido", "top_pains": "Principales puntos de dolor", "opps": "Oportunidades",
           "card": "Cuadro de mando", "compare": "Actual frente a futuro", "where": "Dónde", "impact": "Impacto",
           "removed": "Fricción eliminada", "component": "Medida", "value": "Valor", "explanation": "Qué significa",
           "measure": "Medida", "delta": "Cambio", "segment": "Segmento", "no_pains": "No hay puntos de dolor.",
           "no_opps": "No hay oportunidades.", "no_score": "No se puede puntuar este recorrido.",
           "friction": "fricción", "conversion": "conversión esperada", "continuity": "índice de continuidad",
           "repeats": "repeticiones por cliente", "continued": "(continuación)", "key": "Cómo leer el mapa"},
}


def _clean(text: object, limit: int = 600) -> str:
    """Plain text safe for the deck's XML: control characters dropped, overly long text shortened."""
    s = "".join(ch for ch in terminal(text) if ch in "\n\t" or ch.isprintable())
    return s if len(s) <= limit else s[: limit - 1] + "…"


def stage_groups(journey: Journey, max_columns: int = MAX_COLUMNS) -> list[list[str]]:
    """Touchpoint ids in map column order, in groups of whole stages of at most ``max_columns`` columns.

    Stages are packed together while they fit; a stage wider than ``max_columns`` is cut into
    near-equal pieces (7 columns by 3: 3, 2, 2), each on slides of its own.
    """
    by_stage: dict[str, list[str]] = {}
    for tp in column_order(journey):
        by_stage.setdefault(tp.stage, []).append(tp.id)
    groups: list[list[str]] = []
    current: list[str] = []
    for ids in by_stage.values():
        if current and len(current) + len(ids) > max_columns:
            groups.append(current)
            current = []
        if len(ids) > max_columns:
            q, r = divmod(len(ids), -(-len(ids) // max_columns))
            sizes = [q + 1] * r + [q] * (-(-len(ids) // max_columns) - r)
            bounds = list(itertools.accumulate(sizes, initial=0))
            groups += [ids[a:b] for a, b in itertools.pairwise(bounds)]
            continue
        current = current + ids
    if current:
        groups.append(current)
    return groups


def part_journey(journey: Journey, tp_ids: list[str]) -> Journey:
    """The journey cut down to these touchpoints (their stages, the transitions and opportunities among them)."""
    from journeymap.model import Journey as JourneyModel

    keep = set(tp_ids)
    data = journey.model_dump(by_alias=True)
    data["touchpoints"] = [tp for tp in data["touchpoints"] if tp["id"] in keep]
    stages = {tp["stage"] for tp in data["touchpoints"]}
    data["stages"] = [s for s in data["stages"] if s["id"] in stages]
    data["transitions"] = [tr for tr in data["transitions"] if tr["from"] in keep and tr["to"] in keep]
    pains = {p["id"] for tp in data["touchpoints"] for p in tp["pain_points"]}
    pains |= {p["id"] for tr in data["transitions"] for p in tr["pain_points"]}
    opps = []
    for opp in data["opportunities"]:
        addresses = [p for p in opp["addresses"] if p in pains]
        if addresses:
            opps.append({**opp, "addresses": addresses})
    data["opportunities"] = opps
    return JourneyModel.model_validate(data)


def deck_bytes(journey: Journey, lang: str | None = None, report: Any = None,
               compare_with: Journey | None = None, dpi: int = 150) -> bytes:
    """The deck as .pptx bytes (see the module docstring); ``report``: a FrictionReport to show."""
    from journeymap.deck_slides import Deck

    lang = resolve_lang(journey, lang)
    if lang not in _WORDS:
        lang = "en"
    report = friction_report(journey, report)
    words = _WORDS[lang]
    deck = Deck(dpi)
    persona = journey.persona_obj()
    who = persona.name if persona else (journey.persona if isinstance(journey.persona, str) else "")
    sub = [f"{t('persona', lang).capitalize()}: {who}" if who else "", t(journey.state, lang).capitalize(),
           f"{len(journey.stages)} {t('stages', lang)} · {len(journey.touchpoints)} {t('touchpoints', lang)}"]
    deck.title_slide(_clean(journey.title, 300), _clean(" · ".join(s for s in sub if s)),
                     _clean(journey.description, 400))
    if persona is not None:
        deck.persona_slide(persona, lang, _clean)
    for part in map_pictures(journey, lang, report, dpi):
        deck.picture_slide(part.title, part.png, part.alt, max_scale=MAP_MAX_SCALE)
    deck.picture_slide(t("emotion_curve", lang).capitalize(), _png(journey, "emotion", lang, report, dpi),
                       alt_text(journey, "emotion", lang, report if report is not None else False))
    deck.table_slide(words["top_pains"], *_pain_rows(journey, report, lang, words), empty=words["no_pains"])
    opp_head, opp_rows = _opp_rows(journey, report, lang, words)
    picture = _png(journey, "opportunities", lang, report, dpi) if journey.opportunities else None
    deck.picture_table_slide(words["opps"], picture,
                             alt_text(journey, "opportunities", lang, report if report is not None else False),
                             opp_head, opp_rows, empty=words["no_opps"],
                             widths=(0.45, 2.783, 0.75, 0.75, 1.2) if len(opp_head) == 5 else (0.45, 3.883, 0.8, 0.8))
    if report is not None:
        card = scorecard(report, lang)
        rows = [[_clean(str(k).replace("_", " ")), f"{float(row['value']):.1f}", _clean(row["explanation"], 300)]
                for k, row in card.iterrows()]
        deck.table_slide(words["card"], [words["component"], words["value"], words["explanation"]], rows,
                         widths=(2.6, 1.2, 8.6))
    else:
        deck.table_slide(words["card"], [], [], empty=words["no_score"])
    if compare_with is not None:
        _compare_slides(deck, journey, compare_with, report, lang, words, dpi)
    return deck.to_bytes()


def _png(journey: Journey, kind: str, lang: str, report: Any, dpi: int) -> bytes:
    from journeymap.exporting import image_bytes

    return image_bytes(journey, "png", kind, lang, report, dpi)


def lane_slides(part: Journey, lang: str, report: Any, max_height: float = MAX_MAP_HEIGHT) -> list[tuple[str, ...]]:
    """The map's lanes split over slides: each slide repeats the channel lane and adds lanes while the
    picture (stage header and lanes, :func:`body_height`) stays at most ``max_height`` inches tall (a
    lane taller than that gets a slide of its own)."""
    from journeymap.plot.journey_map import DEFAULT_LANES

    slides: list[tuple[str, ...]] = []
    current: tuple[str, ...] = ("channel",)
    for lane in (lane for lane in DEFAULT_LANES[1:] if _has_lane(part, lane, report)):
        trial = (*current, lane)
        if len(current) > 1 and body_height(part, lang, trial, report) > max_height:
            slides.append(current)
            trial = ("channel", lane)
        current = trial
    slides.append(current)
    return slides


def body_height(part: Journey, lang: str, lanes: tuple[str, ...], report: Any) -> float:
    """Height in inches (as drawn) of the map's stage header and ``lanes``: what a map slide shows."""
    from journeymap.plot._map_layout import plan_map

    plan = plan_map(part, lang, lanes, friction_report(part, report))
    return plan.body_bottom - plan.header_top + _PAD_TOP + _PAD_BOTTOM


def _has_lane(part: Journey, lane: str, report: Any) -> bool:
    """Whether the map draws ``lane`` for this part (empty lanes get no slide and no mention)."""
    tps = part.touchpoints
    has = {"actions": True, "emotion": True, "thoughts": any(tp.thoughts for tp in tps),
           "pain_points": bool(part.pain_points()), "opportunities": bool(part.opportunities),
           "friction": report is not None and report is not False,
           "metrics": any(tp.metrics is not None for tp in tps) or any(s.metrics is not None for s in part.stages),
           "backstage": any(tp.backstage for tp in tps)}
    return has.get(lane, True)


_PAD_TOP, _PAD_BOTTOM = 0.06, 0.1  # inches kept above the stage header and below the last lane


@dataclass
class MapPicture:
    """One map slide's picture: ``smallest_pt`` is its smallest text as drawn, ``width`` its width in inches."""

    title: str
    png: bytes
    alt: str
    smallest_pt: float
    width: float


def map_pictures(journey: Journey, lang: str, report: Any = None, dpi: int = 150) -> list[MapPicture]:
    """The map slides' pictures: first the map's key (its legend), then the map by stage groups
    (:func:`stage_groups`) and lanes (:func:`lane_slides`), each drawn without the map's own title and
    legend so it can be shown at ≥ :data:`MAP_SCALE` × its drawn size. A stage cut over several
    groups is titled "(continued)" after its first."""
    lang = lang if lang in _WORDS else "en"
    words = _WORDS[lang]
    report = friction_report(journey, report)
    no_report = report if report is not None else False
    names = {s.id: s.name for s in journey.stages}
    out = [_key_picture(journey, lang, no_report, dpi)]
    groups = stage_groups(journey)
    seen: set[str] = set()
    for i, ids in enumerate(groups, 1):
        part = part_journey(journey, ids)
        stage_ids = list(dict.fromkeys(journey.touchpoint(x).stage for x in ids))
        stage_names = [names[sid] for sid in stage_ids]
        label = ", ".join(f"{names[sid]} {words['continued']}" if sid in seen else names[sid] for sid in stage_ids)
        seen.update(stage_ids)
        for lanes in lane_slides(part, lang, no_report):
            shown = ", ".join(t(f"lane_{lane}", lang) for lane in lanes if lane != "channel")
            heading = f"{words['map_part']} {i}/{len(groups)}: {label} · {shown}"
            png, smallest, width = _map_png(part, lanes, lang, no_report, dpi)
            out.append(MapPicture(_clean(heading, 200), png,
                                  alt_text(journey, "map", lang, no_report, part=stage_names), smallest, width))
    return out


def _body(fig: Figure, top: float, bottom: float) -> float:
    """Hide the texts of ``fig`` outside ``top`` … ``bottom`` (inches from the top); their smallest size."""
    from matplotlib.text import Text

    sizes = []
    for text in fig.findobj(Text):
        y = float(text.get_position()[1])
        if not text.get_text().strip() or not text.get_visible():
            continue
        if not top <= y <= bottom:
            text.set_visible(False)
            continue
        sizes.append(float(text.get_fontsize()))
    return min(sizes) if sizes else MAP_MIN_PT


def _save_crop(fig: Figure, top: float, bottom: float, dpi: int) -> tuple[bytes, float]:
    """``fig`` as PNG bytes cut to the band ``top`` … ``bottom`` (inches from the top); and its width."""
    import matplotlib.pyplot as plt
    from matplotlib.transforms import Bbox

    from journeymap.plot._style import style

    width, height = (float(v) for v in fig.get_size_inches())
    buffer = io.BytesIO()
    try:
        with style():
            fig.savefig(buffer, format="png", dpi=dpi, metadata={"Software": None},
                        bbox_inches=Bbox([[0, height - bottom], [width, height - top]]))
    finally:
        plt.close(fig)
    return buffer.getvalue(), width


def _map_png(part: Journey, lanes: tuple[str, ...], lang: str, report: Any, dpi: int) -> tuple[bytes, float, float]:
    """The part's map (stage header and ``lanes``, no title or legend) as PNG; its smallest text and width."""
    from journeymap.plot import journey_map
    from journeymap.plot._map_layout import plan_map

    plan = plan_map(part, lang, lanes, friction_report(part, report))
    fig = cast("Figure", journey_map(part, lang=lang, lanes=lanes, report=report).figure)
    top, bottom = plan.header_top - _PAD_TOP, plan.body_bottom + _PAD_BOTTOM
    smallest = _body(fig, top, bottom)
    png, width = _save_crop(fig, top, bottom, dpi)
    return png, smallest, width


def _key_picture(journey: Journey, lang: str, report: Any, dpi: int) -> MapPicture:
    """The map's legend, drawn alone on a figure narrow enough to be shown at MAP_SCALE."""
    import matplotlib.pyplot as plt

    from journeymap.plot._legend import draw_legend, legend_height, legend_items
    from journeymap.plot._style import style
    from journeymap.scoring.evidence import has_evidence

    width = 12.43 / MAP_SCALE - 0.05
    friction, evidence = report is not None and report is not False, has_evidence(journey)
    height = legend_height(journey, lang, width, friction, evidence) + 0.2
    with style():
        fig = plt.figure(figsize=(width, height))
        ax = fig.add_axes((0, 0, 1, 1))
        ax.set_xlim(0, width)
        ax.set_ylim(height, 0)
        ax.set_axis_off()
        draw_legend(ax, journey, lang, width, 0.1, friction, evidence)
    smallest = _body(fig, 0, height)
    png, width = _save_crop(fig, 0, height, dpi)
    groups: list[list[str]] = []
    for kind, _, label in legend_items(journey, lang, friction, evidence):
        if kind == "heading" or not groups:
            groups.append([])
        groups[-1].append(str(label).rstrip(":") + (":" if kind == "heading" else ""))
    alt = f"{_WORDS[lang]['key']}. " + "; ".join(" ".join(g[:1]) + " " + ", ".join(g[1:]) for g in groups) + "."
    return MapPicture(_WORDS[lang]["key"], png, _clean(alt), smallest, width)


def _pain_rows(journey: Journey, report: Any, lang: str, words: dict) -> tuple[list[str], list[list[str]]]:
    head = [t("pain_points", lang).capitalize(), words["where"], t("severity_short", lang),
            t("frequency_short", lang), words["impact"]]
    if report is not None:
        ranked = report.pain_ranking().head(TOP_N)
        rows = [[_clean(r["text"]), _clean(r["where"], 120), str(int(r["severity"])), f"{r['frequency']:.0%}",
                 f"{r['impact']:.2f}"] for _, r in ranked.iterrows()]
    else:
        pains = sorted(journey.pain_points(), key=lambda pw: -pw[0].severity * pw[0].frequency)[:TOP_N]
        rows = [[_clean(p.text), _clean(w, 120), str(p.severity), f"{p.frequency:.0%}",
                 f"{p.severity * p.frequency:.2f}"] for p, w in pains]
    return head, rows


def _opp_rows(journey: Journey, report: Any, lang: str, words: dict) -> tuple[list[str], list[list[str]]]:
    # "#" is the opportunity's number in the matrix picture beside the table (file order).
    number = {o.id: str(n) for n, o in enumerate(journey.opportunities, 1)}
    head = ["#", t("opportunities", lang).capitalize(), t("value_short", lang), t("effort_short", lang)]
    if report is not None and journey.opportunities:
        ranked = report.opportunity_ranking().head(TOP_N)
        head.append(words["removed"])
        rows = [[number[str(i)], _clean(r["text"], 300), str(int(r["value"])), str(int(r["effort"])),
                 f"{r['friction_removed']:.1f}"] for i, r in ranked.iterrows()]
    else:
        rows = [[number[o.id], _clean(o.text, 300), str(o.value), str(o.effort)] for o in journey.opportunities[:TOP_N]]
    return head, rows


def _compare_slides(deck: Any, a: Journey, b: Journey, report: Any, lang: str, words: dict, dpi: int) -> None:
    from journeymap.comparison import compare_reports
    from journeymap.exporting import RenderLimitError
    from journeymap.scoring import score

    rep_a = report if report is not None else score(a)
    comp = compare_reports(rep_a, score(b, rep_a.weights))
    rows = []
    labels = {"friction": words["friction"], "expected_conversion": words["conversion"],
              "continuity": words["continuity"], "repeats_per_customer": words["repeats"]}
    for key, row in comp.totals.iterrows():
        if key not in labels:
            continue
        pct = key == "expected_conversion"
        fmt = (lambda v: f"{v:.1%}") if pct else (lambda v: f"{v:.1f}")
        rows.append([labels[key], fmt(float(row["a"])), fmt(float(row["b"])),
                     (f"{100 * float(row['delta']):+.1f} pp" if pct else f"{float(row['delta']):+.1f}")])
    names = ([t(a.state, lang).capitalize(), t(b.state, lang).capitalize()] if a.state != b.state
             else [_clean(a.title, 40), _clean(b.title, 40)])
    head = [words["measure"], *names, words["delta"]]
    import matplotlib.pyplot as plt

    from journeymap.plot import emotion_curve
    from journeymap.plot._style import style

    try:
        ax = emotion_curve({f"{t(a.state, lang)}: {a.title}": a, f"{t(b.state, lang)}: {b.title}": b}, lang=lang)
        fig = cast("Figure", ax.figure)
        buffer = io.BytesIO()
        with style():
            fig.savefig(buffer, format="png", dpi=dpi, metadata={"Software": None})
        plt.close(fig)
        picture: bytes | None = buffer.getvalue()
    except RenderLimitError:  # pragma: no cover - the emotion curve has no size limit below 2000 touchpoints
        picture = None
    alt = f"{alt_text(a, 'emotion', lang, rep_a)} {alt_text(b, 'emotion', lang, comp.b)}"
    deck.picture_table_slide(words["compare"], picture, alt, head, rows, empty="", widths=(1.9, 1.55, 1.55, 1.083))
