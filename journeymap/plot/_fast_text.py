"""Text for the journey map that draws quicker on Agg (PNG) and SVG, with the same pixels and bytes.

A 60-touchpoint map has ~7 000 glyphs; matplotlib 3.11 draws each with a few Python steps on top
of FreeType, which made saving the map take 1–2 s. :class:`MapText` is a plain
:class:`~matplotlib.text.Text` (same layout, same properties, found by ``findobj(Text)``) whose
``draw`` lets the renderer draw its lines through the functions below:

* **Agg**: the same glyph layout and the same FreeType rendering, but each glyph bitmap is rendered
  once per (font, size, glyph, sub-pixel offset) and reused — FreeType's output for a glyph moved by
  whole pixels is the same bitmap moved — and the per-glyph transform is computed once per line.
* **SVG** (``svg.fonttype: path``): the same ``<defs>``/``<use>`` output, without loading every
  glyph's outline again for glyphs already defined.

The font files for a set of font properties are looked up once (the map names DejaVu Sans and its
fallbacks, which is a dozen look-ups per line otherwise).

Used only with the matplotlib versions it was checked against (:data:`CHECKED`; tests compare the
output with matplotlib's own drawing): with any other version, or a mathtext/TeX/rotated line, or
path effects, matplotlib's own drawing is used.
"""

from __future__ import annotations

from typing import Any

from matplotlib.text import Text

#: matplotlib versions whose text drawing these functions reproduce (``major.minor``).
CHECKED = ("3.11",)
#: (size, dpi, hinting flags, render mode) -> {(font, glyph, x % 64, y % 64 in 1/64 px): (bitmap, left, top - rows)}
_GLYPHS: dict[tuple, dict[tuple, tuple]] = {}
_FONT_FILES: dict[tuple, Any] = {}  # font properties (without size) -> font file(s)
_FONTS: dict[tuple, Any] = {}  # font properties, thread -> FT2Font (with its fallbacks)
_HEIGHTS: dict[tuple, tuple] = {}  # font properties, size, dpi -> ascent, descent, line gap
_METRIC_TABLES = (("OS/2", "sTypoLineGap", "sTypoAscender", "sTypoDescender"), ("hhea", "lineGap", "ascent", "descent"))
_MAX_GLYPHS = 50_000
_GENERIC = ("serif", "sans-serif", "cursive", "fantasy", "monospace")  # families resolved through rcParams
_ALIAS = {"sans": "sans-serif", "sans serif": "sans-serif"}


def enabled() -> bool:
    """True when the quick drawing is used (this matplotlib version was checked)."""
    import matplotlib

    return _ENABLED and ".".join(matplotlib.__version__.split(".")[:2]) in CHECKED


_ENABLED = True  # tests switch it off to compare with matplotlib's own drawing


class MapText(Text):
    """A :class:`~matplotlib.text.Text` drawn through the quick functions of this module when possible."""

    def draw(self, renderer: Any) -> None:
        hooks = _hooks(renderer, self) if renderer is not None and enabled() and not self.get_path_effects() \
            and not self.get_usetex() and self.get_rotation() == 0 else {}
        if not hooks or any(name in vars(renderer) for name in hooks):
            super().draw(renderer)
            return
        vars(renderer).update(hooks)  # instance attributes for the time of this draw only
        try:
            super().draw(renderer)
        finally:
            for name in hooks:
                del vars(renderer)[name]


def _hooks(renderer: Any, text: Text) -> dict[str, Any]:
    """The renderer methods :meth:`MapText.draw` replaces for its own draw (none for other renderers)."""
    import matplotlib
    from matplotlib.backends.backend_agg import RendererAgg
    from matplotlib.backends.backend_mixed import MixedModeRenderer
    from matplotlib.backends.backend_svg import RendererSVG

    target = renderer._renderer if type(renderer) is MixedModeRenderer else renderer
    if type(target) is RendererAgg:
        draw, measure = _agg, _agg_measure
    elif type(target) is RendererSVG and matplotlib.rcParams["svg.fonttype"] == "path":
        draw, measure = _svg, _svg_measure
    else:
        return {}
    stock_draw, stock_measure = target.draw_text, target.get_text_width_height_descent

    def draw_text(gc, x, y, s, prop, angle, ismath=False, mtext=None):
        if ismath or angle != 0:
            return stock_draw(gc, x, y, s, prop, angle, ismath=ismath, mtext=mtext)
        return draw(target, gc, x, y, s, prop, mtext)

    def get_text_width_height_descent(s, prop, ismath):
        return stock_measure(s, prop, ismath) if ismath else measure(target, s, prop)

    hooks = {"draw_text": draw_text, "get_text_width_height_descent": get_text_width_height_descent}
    figure = text.get_figure(root=True)
    if figure is not None and not hasattr(renderer, "_get_font_height_metrics"):
        dpi = figure.dpi
        hooks["_get_font_height_metrics"] = lambda prop: _height_metrics(prop, dpi)
    return hooks


def _files_key(prop: Any) -> tuple:
    import matplotlib
    from matplotlib.font_manager import fontManager

    rc: Any = matplotlib.rcParams
    families = tuple(prop.get_family())
    generic = tuple(tuple(rc[f"font.{_ALIAS.get(name, name)}"]) for name in families
                    if _ALIAS.get(name, name) in _GENERIC)
    key = (id(fontManager), families, generic, prop.get_style(), prop.get_variant(), prop.get_weight(),
           prop.get_stretch(), prop.get_file(), prop.get_math_fontfamily())
    return key


def _font_files(prop: Any) -> Any:
    from matplotlib.font_manager import fontManager

    key = _files_key(prop)
    files = _FONT_FILES.get(key)
    if files is None:
        files = _FONT_FILES[key] = fontManager._find_fonts_by_props(prop)
    return files


def _font(prop: Any) -> Any:
    """``get_font(fontManager._find_fonts_by_props(prop))``, remembered per font properties and thread."""
    import threading

    import matplotlib
    from matplotlib.font_manager import get_font

    key = (_files_key(prop), matplotlib.rcParams["text.kerning_factor"], matplotlib.rcParams["font.enable_last_resort"],
           threading.get_ident())
    font: Any = _FONTS.get(key)
    if font is None:
        font = _FONTS[key] = get_font(_font_files(prop))
    font._set_transform([[0x10000, 0], [0, 0x10000]], [0, 0])  # as get_font does
    return font


def _height_metrics(prop: Any, dpi: float) -> tuple[Any, Any, Any]:
    """``(ascent, descent, line gap)`` of the font, as ``Text._get_layout`` computes them (matplotlib 3.11)."""
    key = (_files_key(prop), prop.get_size_in_points(), dpi)
    found = _HEIGHTS.get(key)
    if found is None:
        found = (None, None, None)
        font = _font(prop)
        for table_name, gap_key, ascent_key, descent_key in _METRIC_TABLES:
            table = font.get_sfnt_table(table_name)
            if table is None:
                continue
            scale = 1 / font.get_sfnt_table("head")["unitsPerEm"] * prop.get_size_in_points() * dpi / 72
            found = (table[ascent_key] * scale, -table[descent_key] * scale, table[gap_key] * scale)
            break
        _HEIGHTS[key] = found
    return found


def _agg_measure(r: Any, s: str, prop: Any) -> tuple[float, float, float]:
    """``RendererAgg.get_text_width_height_descent`` for a non-math line (matplotlib 3.11)."""
    from matplotlib.backends.backend_agg import get_hinting_flag
    font = _font(prop)
    font.clear()
    font.set_size(prop.get_size_in_points(), r.dpi)
    font.set_text(s, 0.0, flags=get_hinting_flag())
    w, h = font.get_width_height()
    return w / 64.0, h / 64.0, font.get_descent() / 64.0


def _svg_measure(r: Any, s: str, prop: Any) -> tuple[float, float, float]:
    """``RendererSVG.get_text_width_height_descent`` for a non-math line (``TextToPath``, matplotlib 3.11)."""
    from matplotlib.ft2font import LoadFlags

    text2path = r._text2path
    scale = prop.get_size_in_points() / text2path.FONT_SCALE
    font = _font(prop)
    font.set_size(text2path.FONT_SCALE, text2path.DPI)
    font.set_text(s, 0.0, flags=LoadFlags.NO_HINTING)
    w, h = font.get_width_height()
    return w / 64.0 * scale, h / 64.0 * scale, font.get_descent() / 64.0 * scale


def _features(mtext: Any) -> tuple[Any, Any]:
    if mtext is None:
        return None, None
    return mtext.get_fontfeatures(), mtext.get_language()


def _agg(r: Any, gc: Any, x: float, y: float, s: str, prop: Any, mtext: Any) -> None:
    """``RendererAgg.draw_text`` for an unrotated, non-math line (matplotlib 3.11), glyph bitmaps reused."""
    import numpy as np
    from matplotlib.backends.backend_agg import get_hinting_flag
    from matplotlib.ft2font import RenderMode

    font = _font(prop)
    font.clear()
    size = prop.get_size_in_points()
    dpi = r.dpi
    font.set_size(size, dpi)
    flags = get_hinting_flag()
    features, language = _features(mtext)
    items = font._layout(s, flags=flags, features=features, language=language)
    antialiased = gc.get_antialiased()
    mode = RenderMode.NORMAL if antialiased else RenderMode.MONO
    identity = np.array([[0x10000, 0], [0, 0x10000]])  # the unrotated, unslanted transform matplotlib sets
    height = r.height
    base_x, base_y = 0x40 * x, 0x40 * (height - y)  # FreeType's y is upwards
    bottom = int(height)
    draw = r._renderer.draw_text_image
    if len(_GLYPHS) > 64:  # many sizes × resolutions: start again rather than keep them all
        _GLYPHS.clear()
    glyphs = _GLYPHS.setdefault((size, dpi, flags.value, mode.value), {})
    if len(glyphs) > _MAX_GLYPHS:
        glyphs.clear()
    for item in items:
        ft = item.ft_object
        dx, dy = round(base_x + 0x40 * item.x), round(base_y + 0x40 * item.y)
        key = (ft, item.glyph_index, dx & 63, dy & 63)
        found = glyphs.get(key)
        if found is None:
            ft.set_size(size, dpi)
            ft._set_transform(identity, [dx & 63, dy & 63])
            bitmap = ft._render_glyph(item.glyph_index, flags, mode)
            buffer = np.array(bitmap.buffer)  # a copy: FreeType reuses its glyph slot
            if not antialiased:
                buffer *= 0xff
            found = glyphs[key] = (buffer, bitmap.left, bitmap.top - buffer.shape[0])
        buffer, left, top = found
        # draw_text_image's y is downwards & the bitmap bottom side: int(height) - bitmap.top + rows
        draw(buffer, left + (dx >> 6), bottom - (dy >> 6) - top, 0, gc)


def stored_glyphs() -> int:
    """How many rendered glyph bitmaps are kept for reuse."""
    return sum(len(kept) for kept in _GLYPHS.values())


def _svg(r: Any, gc: Any, x: float, y: float, s: str, prop: Any, mtext: Any) -> None:
    """``RendererSVG.draw_text`` with ``svg.fonttype: path`` for a non-math line (matplotlib 3.11)."""
    from matplotlib.backends.backend_svg import _generate_css, _generate_transform, _short_float_fmt
    from matplotlib.colors import rgb2hex
    from matplotlib.ft2font import LoadFlags

    writer = r.writer
    clip_attrs = r._get_clip_attrs(gc)
    if clip_attrs:
        writer.start("g", **clip_attrs)
    url = gc.get_url()
    if url is not None:
        writer.start("a", {"xlink:href": url, "target": "_blank"})

    writer.comment(s)
    text2path = r._text2path
    style = {}
    color = rgb2hex(gc.get_rgb())
    if color != "#000000":
        style["fill"] = color
    alpha = gc.get_alpha() if gc.get_forced_alpha() else gc.get_rgb()[3]
    if alpha != 1:
        style["opacity"] = _short_float_fmt(alpha)
    font_scale = prop.get_size_in_points() / text2path.FONT_SCALE
    writer.start("g", style=_generate_css(style),
                 transform=_generate_transform([("translate", (x, y)), ("rotate", (-0.0,)),
                                                ("scale", (font_scale, -font_scale))]))
    font = _font(prop)
    font.set_size(text2path.FONT_SCALE, text2path.DPI)
    features, language = _features(mtext)
    glyph_map = r._glyph_map
    new: dict[str, Any] = {}
    placed = []
    for item in font._layout(s, LoadFlags.NO_HINTING, features=features, language=language):
        ft = item.ft_object
        glyph_repr = _glyph_repr(ft, item.glyph_index)
        if glyph_repr not in glyph_map and glyph_repr not in new:
            ft.load_glyph(item.glyph_index, flags=LoadFlags.NO_HINTING)
            new[glyph_repr] = ft.get_path()
        placed.append((glyph_repr, item.x, item.y))
    r._update_glyph_map_defs(new)
    for glyph_repr, gx, gy in placed:  # _generate_transform([("translate", (gx, gy)), ("scale", (1.0,))])
        move = "" if gx == 0 and gy == 0 else f"translate({_short_float_fmt(gx)} {_short_float_fmt(gy)})"
        writer.element("use", transform=move, attrib={"xlink:href": f"#{glyph_repr}"})
    writer.end("g")

    if url is not None:
        writer.end("a")
    if clip_attrs:
        writer.end("g")


_REPRS: dict[tuple, str] = {}


def _glyph_repr(ft: Any, glyph: int) -> str:
    """matplotlib's ``TextToPath._get_glyph_repr`` (a URL-quoted ``postscript_name-glyph``), remembered."""
    key = (ft, glyph)
    found = _REPRS.get(key)
    if found is None:
        import urllib.parse

        found = _REPRS[key] = urllib.parse.quote(f"{ft.postscript_name}-{glyph:x}")
    return found
