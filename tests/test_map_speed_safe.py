"""The journey map's quicker text drawing (``journeymap.plot._fast_text``) draws exactly what matplotlib draws.

No timing here (see ``benchmarks/bench_views.py``): these tests compare the quick path with matplotlib's
own drawing, pixel for pixel (PNG) and byte for byte (SVG), on ordinary, Spanish, bold/italic,
emoji and non-Latin text, at several dpi, and check it steps aside where it does not apply.
"""

from __future__ import annotations

import io

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt
import numpy as np
import pytest
from matplotlib.text import Text
from PIL import Image

import journeymap as jm
from journeymap.exporting import image_bytes
from journeymap.plot import _fast_text
from journeymap.plot._common import map_text
from journeymap.plot._style import rc

pytestmark = pytest.mark.skipif(not _fast_text.enabled(), reason="quick text drawing not checked for this matplotlib")


@pytest.fixture
def stock(monkeypatch):
    """A function that runs ``draw()`` once with matplotlib's own text drawing and returns its result."""
    def run(draw):
        monkeypatch.setattr(_fast_text, "_ENABLED", False)
        try:
            return draw()
        finally:
            monkeypatch.setattr(_fast_text, "_ENABLED", True)
    return run


def _pixels(png: bytes) -> np.ndarray:
    return np.asarray(Image.open(io.BytesIO(png)))


def _mixed_scripts() -> jm.Journey:
    j = jm.load(jm.shipped_journey("retail_bopis_omnichannel")).model_copy(deep=True)
    j.title = "Cliente 😀 顧客 عميل — “Costs $5 or $10”"
    j.touchpoints[0].action = "Reserva en línea: ¿dónde está mi pedido? Ünïcödé ÅÆØ fi fl ffi"
    j.touchpoints[1].thoughts = "Κάτι δεν πάει καλά… Что-то не так"
    return j


JOURNEYS = {
    "retail": lambda: jm.load(jm.shipped_journey("retail_bopis_omnichannel")),
    "salud_es": lambda: jm.load(jm.shipped_journey("salud_cita_medica")),
    "mixed_scripts": _mixed_scripts,
}


@pytest.mark.parametrize("name", sorted(JOURNEYS))
@pytest.mark.parametrize("dpi", [72, 100])
def test_png_is_pixel_identical_to_matplotlib(name, dpi, stock):
    j = JOURNEYS[name]()
    expected = stock(lambda: image_bytes(j, "png", dpi=dpi, report=False))
    before = _fast_text.stored_glyphs()
    actual = image_bytes(j, "png", dpi=dpi, report=False)
    assert np.array_equal(_pixels(actual), _pixels(expected))
    assert _fast_text.stored_glyphs() > before or before > 0  # the quick path ran (its glyph store is in use)


@pytest.mark.parametrize("name", sorted(JOURNEYS))
def test_svg_is_byte_identical_to_matplotlib(name, stock):
    j = JOURNEYS[name]()
    expected = stock(lambda: image_bytes(j, "svg", report=False))
    assert image_bytes(j, "svg", report=False) == expected


def test_scored_map_with_friction_and_evidence_is_identical(stock):
    j = jm.load(jm.shipped_journey("retail_bopis_omnichannel"))
    report = jm.score(j)
    expected = stock(lambda: image_bytes(j, "png", dpi=60, report=report))
    assert np.array_equal(_pixels(image_bytes(j, "png", dpi=60, report=report)), _pixels(expected))


def test_quick_path_runs_and_glyphs_are_reused():
    _fast_text._GLYPHS.clear()
    j = jm.load(jm.shipped_journey("hotel_stay"))
    image_bytes(j, "png", dpi=100, report=False)
    stored = _fast_text.stored_glyphs()
    assert stored > 0  # matplotlib's own drawing never fills it
    image_bytes(j, "png", dpi=100, report=False)  # same glyphs at the same places: nothing new to render
    assert _fast_text.stored_glyphs() == stored


def test_map_texts_are_plain_text_artists_and_literal():
    j = jm.load(jm.shipped_journey("hotel_stay")).model_copy(deep=True)
    j.title = "Costs $5 or $10 \x1b[2J"
    ax = jm.plot.journey_map(j, report=False)
    texts = ax.figure.findobj(Text)
    mine = [t for t in texts if isinstance(t, _fast_text.MapText)]
    assert len(mine) > 20
    assert all(not t.get_parse_math() for t in texts)
    assert any(t.get_text() == "Costs $5 or $10 [2J" for t in mine)  # control character removed
    plt.close(ax.figure)


def test_renderer_is_left_as_it_was_after_a_draw():
    ax = jm.plot.journey_map(jm.load(jm.shipped_journey("hotel_stay")), report=False)
    fig = ax.figure
    with plt.rc_context(rc()):
        fig.canvas.draw()
    renderer = fig.canvas.get_renderer()
    assert not {"draw_text", "get_text_width_height_descent", "_get_font_height_metrics"} & set(vars(renderer))
    plt.close(fig)


def _one_text(**kwargs) -> bytes:
    with plt.rc_context(rc()):
        fig = plt.figure(figsize=(3, 1))
        ax = fig.add_axes((0, 0, 1, 1))
        ax.set_axis_off()
        map_text(ax, 0.1, 0.5, "Quick $x$ fox — ÅÆØ fi Ωμέγα\nsecond line", fontsize=9, **kwargs)
        buffer = io.BytesIO()
        fig.savefig(buffer, format="png", dpi=90)
    plt.close(fig)
    return buffer.getvalue()


def _outlined() -> dict:
    from matplotlib import patheffects

    return {"path_effects": [patheffects.withStroke(linewidth=2, foreground="w")]}


@pytest.mark.parametrize("kwargs", [
    {}, {"antialiased": False}, {"rotation": 30}, {"fontweight": "bold", "style": "italic"}, _outlined(),
    {"ha": "center", "va": "center", "multialignment": "right"},
], ids=["plain", "not-antialiased", "rotated", "bold-italic", "path-effects", "aligned"])
def test_single_texts_match_matplotlib(kwargs, stock):
    assert np.array_equal(_pixels(_one_text(**kwargs)), _pixels(stock(lambda: _one_text(**kwargs))))


def test_unchecked_matplotlib_version_uses_matplotlibs_own_drawing(monkeypatch):
    monkeypatch.setattr(_fast_text, "CHECKED", ("0.0",))
    assert not _fast_text.enabled()
    _fast_text._GLYPHS.clear()
    image_bytes(jm.load(jm.shipped_journey("hotel_stay")), "png", dpi=40, report=False)
    assert not _fast_text.stored_glyphs()


def test_figure_drawn_at_two_dpi_matches_each_time(stock):
    def both():
        ax = jm.plot.journey_map(jm.load(jm.shipped_journey("hotel_stay")), report=False)
        out = []
        with plt.rc_context(rc()):
            for dpi in (50, 80, 50):
                buffer = io.BytesIO()
                ax.figure.savefig(buffer, format="png", dpi=dpi)
                out.append(_pixels(buffer.getvalue()))
        plt.close(ax.figure)
        return out

    expected = stock(both)
    for got, want in zip(both(), expected, strict=True):
        assert np.array_equal(got, want)
