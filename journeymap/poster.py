"""A printable poster of the journey map: a cover page, then the map tiled over A4/A3/A1 landscape pages.

The map is drawn once (vector), enlarged so its smallest text is at least :data:`MIN_TEXT_PT` points
on paper, and cut into tiles that overlap by :data:`OVERLAP_IN` inches so the pages can be taped
together. Every tile page carries its page number ("2 / 7"), its place in the grid (row, column) and
crop marks at the corners of the printed area; the cover page shows the title, persona, date and a
small picture of the whole map with the tile grid on it.

>>> import journeymap as jm
>>> grid = tile_grid(40.0, 10.0, "A4")
>>> grid.rows, grid.cols
(2, 4)
"""

from __future__ import annotations

import datetime as _dt
import io
import math
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, cast

if TYPE_CHECKING:
    from matplotlib.figure import Figure

    from journeymap.model import Journey

#: Paper sizes in millimetres, landscape (width, height).
PAPERS = {"A4": (297.0, 210.0), "A3": (420.0, 297.0), "A1": (841.0, 594.0)}
#: The smallest text size on paper, in points.
MIN_TEXT_PT = 8.0
MM = 1 / 25.4  # one millimetre in inches
#: The white border around the printed area of each page (room for page number and tile index).
BORDER_IN = 12 * MM
#: How much neighbouring tiles repeat of each other, for taping.
OVERLAP_IN = 10 * MM
LABEL_PT = 9.0
INK, MUTED = "#1F2933", "#52606D"


@dataclass(frozen=True)
class Grid:
    """How the enlarged map (``width`` × ``height`` inches) is cut into pages of ``paper``."""

    paper: str
    width: float
    height: float
    rows: int
    cols: int
    window: tuple[float, float]  # printed area of one page, inches
    step: tuple[float, float]  # distance between tile origins (window minus overlap)

    def origin(self, row: int, col: int) -> tuple[float, float]:
        """Top-left corner of tile (row, col) in map inches (from the map's top-left)."""
        return col * self.step[0], row * self.step[1]


def paper_size(paper: str) -> tuple[float, float]:
    """Landscape (width, height) in inches of an ``"A4"``, ``"A3"`` or ``"A1"`` sheet."""
    key = str(paper).upper()
    if key not in PAPERS:
        raise ValueError(f"paper must be one of {', '.join(PAPERS)}; got {paper!r}")
    w, h = PAPERS[key]
    return w * MM, h * MM


def _count(length: float, window: float, step: float) -> int:
    return 1 if length <= window + 1e-9 else 1 + math.ceil((length - window) / step - 1e-9)


def tile_grid(width: float, height: float, paper: str) -> Grid:
    """The tiles that cover a ``width`` × ``height`` inch map on landscape ``paper``."""
    pw, ph = paper_size(paper)
    window = (pw - 2 * BORDER_IN, ph - 2 * BORDER_IN)
    step = (window[0] - OVERLAP_IN, window[1] - OVERLAP_IN)
    return Grid(str(paper).upper(), width, height, _count(height, window[1], step[1]),
                _count(width, window[0], step[0]), window, step)


def inked_tiles(grid: Grid, boxes: list[tuple[float, float, float, float]]) -> list[tuple[int, int]]:
    """The (row, col) tiles, row by row, that hold any of ``boxes`` (text, in map inches); tiles with
    nothing to read (the empty strip right of the legend) are not printed.

    >>> grid = tile_grid(40.0, 10.0, "A4")
    >>> inked_tiles(grid, [(0.5, 0.5, 39.0, 1.0), (0.5, 9.0, 3.0, 9.5)])
    [(0, 0), (0, 1), (0, 2), (0, 3), (1, 0)]
    """
    ww, wh = grid.window
    keep = []
    for r in range(grid.rows):
        for c in range(grid.cols):
            x0, y0 = grid.origin(r, c)
            if any(bx1 >= x0 and bx0 <= x0 + ww and by1 >= y0 and by0 <= y0 + wh for bx0, by0, bx1, by1 in boxes):
                keep.append((r, c))
    return keep or [(0, 0)]


def _scale_artists(fig: Figure, s: float) -> None:
    """Enlarge every size given in points (text, line widths, markers) by ``s``."""
    import numpy as np
    from matplotlib.collections import Collection, PathCollection
    from matplotlib.lines import Line2D
    from matplotlib.patches import FancyArrowPatch, Patch
    from matplotlib.text import Text

    for a in fig.findobj():
        if isinstance(a, Text):
            a.set_fontsize(float(a.get_fontsize()) * s)
        elif isinstance(a, Line2D):
            a.set_linewidth(a.get_linewidth() * s)
            a.set_markersize(a.get_markersize() * s)
            a.set_markeredgewidth(a.get_markeredgewidth() * s)
        elif isinstance(a, Patch):
            a.set_linewidth(a.get_linewidth() * s)
            if isinstance(a, FancyArrowPatch):
                a.set_mutation_scale(a.get_mutation_scale() * s)
        elif isinstance(a, Collection):
            coll: Any = a
            coll.set_linewidths(np.asarray(coll.get_linewidths()) * s)
            if isinstance(a, PathCollection):
                a.set_sizes(np.asarray(a.get_sizes()) * s * s)


def smallest_text(fig: Figure) -> float:
    """The smallest font size (points) of the visible, non-empty texts in ``fig``."""
    from matplotlib.text import Text

    sizes = [float(a.get_fontsize()) for a in fig.findobj(Text) if a.get_visible() and a.get_text().strip()]
    return min(sizes) if sizes else MIN_TEXT_PT


def _extents(fig: Figure, ax: Any) -> list[tuple[Any, tuple[float, float, float, float]]]:
    """Each drawable artist of the map with its box (x0, y0, x1, y1) in inches from the map's top-left."""
    import numpy as np

    renderer = cast(Any, fig.canvas).get_renderer()
    dpi, height = fig.dpi, fig.get_size_inches()[1]
    out = []
    for a in ax.get_children():
        if not a.get_visible() or a is ax.patch:
            continue
        try:
            box = a.get_window_extent(renderer)
        except Exception:
            continue
        if not (np.isfinite(box.x0) and np.isfinite(box.x1)) or (box.width <= 0 and box.height <= 0):
            continue
        out.append((a, (box.x0 / dpi, height - box.y1 / dpi, box.x1 / dpi, height - box.y0 / dpi)))
    return out


def _cover(pdf: Any, journey: Journey, grid: Grid, tiles: list[tuple[int, int]], overview: bytes, lang: str,
           date: str, scale: float) -> None:
    import matplotlib.pyplot as plt
    from matplotlib.patches import Rectangle

    from journeymap.i18n import t

    pw, ph = paper_size(grid.paper)
    fig = plt.figure(figsize=(pw, ph))
    from journeymap.plot._style import block_height, wrap

    persona = journey.persona_obj()
    who = persona.name if persona else (journey.persona if isinstance(journey.persona, str) else "")
    title = wrap(journey.title, (pw - 2 * BORDER_IN) * 72, 24, weight="bold", max_lines=2)
    fig.text(BORDER_IN / pw, 1 - BORDER_IN / ph, "\n".join(title), fontsize=24, fontweight="bold", color=INK,
             va="top", ha="left", parse_math=False)
    y = BORDER_IN + block_height(len(title), 24) / 72 + 0.15
    lines = [x for x in (
        f"{t('persona', lang).capitalize()}: {who}" if who else "",
        f"{t(journey.state, lang)}  ·  {len(journey.stages)} {t('stages', lang)}  ·  "
        f"{len(journey.touchpoints)} {t('touchpoints', lang)}",
        date,
        f"{len(tiles)} {'páginas' if lang == 'es' else 'pages'} ({grid.rows} × {grid.cols}) · "
        f"{grid.paper} · {scale:.0%}") if x]
    fig.text(BORDER_IN / pw, 1 - y / ph, "\n".join(lines), fontsize=12, color=MUTED, va="top", ha="left",
             linespacing=1.5, parse_math=False)
    y += len(lines) * 12 * 1.5 / 72 + 0.3
    # the whole map, small, with the tile grid on it (a picture: its text need not be readable here)
    import matplotlib.image as mpimg

    img = mpimg.imread(io.BytesIO(overview), format="png")
    top = 1 - y / ph
    box_w, box_h = 1 - 2 * BORDER_IN / pw, top - BORDER_IN / ph - 0.03
    ax = fig.add_axes((BORDER_IN / pw, BORDER_IN / ph + 0.03, box_w, box_h))
    ax.imshow(img, extent=(0, grid.width, grid.height, 0), interpolation="antialiased")
    ax.set_xlim(0, max(grid.width, grid.cols * grid.step[0] + OVERLAP_IN))
    ax.set_ylim(max(grid.height, grid.rows * grid.step[1] + OVERLAP_IN), 0)
    ax.set_aspect("equal", anchor="NW")
    ax.set_axis_off()
    for page, (r, c) in enumerate(tiles, 2):
        x0, y0 = grid.origin(r, c)
        ax.add_patch(Rectangle((x0, y0), grid.window[0], grid.window[1], fill=False, ec="#0072B2", lw=0.8))
        ax.text(x0 + 0.15, y0 + 0.15, f"{page}", fontsize=max(MIN_TEXT_PT, 9), color="#0072B2",
                fontweight="bold", va="top", ha="left", parse_math=False)
    pdf.savefig(fig)
    plt.close(fig)


def poster_bytes(journey: Journey, paper: str = "A4", lang: str | None = None, report: Any = None,
                 date: str | None = None) -> bytes:
    """The poster as PDF bytes: a cover page, then the map tiled over landscape ``paper`` pages.

    ``date`` is printed on the cover (default: today, ISO); the PDF itself carries no creation date.
    """
    import matplotlib.pyplot as plt
    from matplotlib.backends.backend_pdf import PdfPages
    from matplotlib.patches import Rectangle
    from matplotlib.text import Text

    from journeymap.exporting import check_size
    from journeymap.plot import journey_map
    from journeymap.plot._common import resolve_lang
    from journeymap.plot._fonts import quiet_glyphs
    from journeymap.plot._style import rc

    pw, ph = paper_size(paper)
    check_size(journey, ".pdf", "map")
    lang = resolve_lang(journey, lang)
    date = date or _dt.date.today().isoformat()
    ax = journey_map(journey, lang=lang, report=report)
    fig = cast("Figure", ax.figure)
    try:
        with plt.rc_context(rc()), quiet_glyphs():
            w, h = (float(v) for v in fig.get_size_inches())
            buf = io.BytesIO()
            fig.savefig(buf, format="png", dpi=max(20, min(100, 1600 / w)))
            scale = max(1.0, MIN_TEXT_PT / smallest_text(fig))
            _scale_artists(fig, scale)
            W, H = w * scale, h * scale
            fig.set_size_inches(W, H)
            grid = tile_grid(W, H, paper)
            fig.set_dpi(72)
            extents = _extents(fig, ax)
            tiles = inked_tiles(grid, [box for a, box in extents if isinstance(a, Text) and a.get_text().strip()])
            out = io.BytesIO()
            with PdfPages(out, metadata={"CreationDate": None}) as pdf:
                _cover(pdf, journey, grid, tiles, buf.getvalue(), lang, date, scale)
                fig.set_size_inches(pw, ph)
                ww, wh = grid.window
                bx, by, e = BORDER_IN / pw, BORDER_IN / ph, 0.05  # e: past the sheet's edge too
                masks = [Rectangle((-e, -e), 1 + 2 * e, by + e), Rectangle((-e, 1 - by), 1 + 2 * e, by + e),
                         Rectangle((-e, -e), bx + e, 1 + 2 * e), Rectangle((1 - bx, -e), bx + e, 1 + 2 * e)]
                for m in masks:
                    m.set(transform=fig.transFigure, fc="white", ec="none", zorder=10)
                    fig.add_artist(m)
                marks = _crop_marks(pw, ph)
                for m in marks:
                    fig.add_artist(m)
                total = len(tiles) + 1
                for page, (r, c) in enumerate(tiles, 2):
                    x0, y0 = grid.origin(r, c)
                    ax.set_position(((BORDER_IN - x0) / pw, (ph - BORDER_IN + y0 - H) / ph, W / pw, H / ph))
                    for a, (ax0, ay0, ax1, ay1) in extents:
                        a.set_visible(ax1 >= x0 and ax0 <= x0 + ww and ay1 >= y0 and ay0 <= y0 + wh)
                    labels = _page_labels(fig, pw, ph, page, total, r, c, grid, lang)
                    pdf.savefig(fig)
                    for lab in labels:
                        lab.remove()
    finally:
        plt.close(fig)
    return out.getvalue()


def _crop_marks(pw: float, ph: float) -> list:
    from matplotlib.lines import Line2D

    marks, n = [], 6 * MM
    for x, dx in ((BORDER_IN, -1), (pw - BORDER_IN, 1)):
        for y, dy in ((BORDER_IN, -1), (ph - BORDER_IN, 1)):
            for xs, ys in (([x + dx * 1 * MM, x + dx * n], [y, y]), ([x, x], [y + dy * 1 * MM, y + dy * n])):
                marks.append(Line2D([v / pw for v in xs], [v / ph for v in ys], lw=0.5, color=INK, zorder=11))
    return marks


def _page_labels(fig: Figure, pw: float, ph: float, page: int, total: int, r: int, c: int, grid: Grid,
                 lang: str) -> list:
    row, col = ("fila", "columna") if lang == "es" else ("row", "column")
    y = BORDER_IN / 2 / ph
    kw: dict[str, Any] = {"fontsize": LABEL_PT, "color": MUTED, "va": "center", "zorder": 12, "parse_math": False}
    left = fig.text((BORDER_IN + 3 * MM) / pw, y, f"{row} {r + 1}/{grid.rows} · {col} {c + 1}/{grid.cols}  ·  "
                    f"{'solapa' if lang == 'es' else 'overlap'} {OVERLAP_IN / MM:.0f} mm", ha="left", **kw)
    right = fig.text(1 - (BORDER_IN + 3 * MM) / pw, y, f"{page} / {total}", ha="right", fontweight="bold", **kw)
    return [left, right]
