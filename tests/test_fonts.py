"""Emoji and non-Latin text: drawn with installed fallback fonts (not tofu), measured with them, and quiet.

The fallback fonts come from Debian (fonts-noto-core, fonts-droid-fallback, fonts-symbola, installed by
.ci/run); tests that need a glyph drawn skip, saying which font is missing, when it is not installed.
"""

from __future__ import annotations

import io
import warnings

import numpy as np
import pytest

import journeymap as jm
from journeymap.plot._fonts import FALLBACKS, PRIMARY, families, quiet_glyphs

EMOJI, CJK, ARABIC, DEVANAGARI = "😀👍", "顧客", "عميل", "ग्राहक"
WORLD = f"Cliente {EMOJI} {CJK} {ARABIC} {DEVANAGARI}"


def _installed(*names: str) -> list[str]:
    return [n for n in names if n in families()]


def _need(script: str, *names: str) -> None:
    if not _installed(*names):
        pytest.skip(f"no {script} font installed (looked for {', '.join(names)}; on Debian: "
                    "apt-get install fonts-noto-core fonts-droid-fallback fonts-symbola)")


EMOJI_FONTS = ("Noto Emoji", "Symbola", "OpenMoji", "Segoe UI Emoji", "Segoe UI Symbol")
CJK_FONTS = ("Noto Sans CJK JP", "Noto Sans CJK SC", "Source Han Sans", "WenQuanYi Micro Hei", "Droid Sans Fallback",
             "PingFang SC", "Hiragino Sans", "Microsoft YaHei", "Yu Gothic")
DEVANAGARI_FONTS = ("Noto Sans Devanagari",)


@pytest.fixture(scope="module")
def world():
    """A shipped journey whose texts mix emoji, Chinese, Arabic and Devanagari."""
    data = jm.load(jm.shipped_journey("hotel_stay")).model_dump(by_alias=True)
    data["title"] = f"Hotel {EMOJI} {CJK} {ARABIC} {DEVANAGARI}"
    for i, tp in enumerate(data["touchpoints"]):
        tp["action"] = f"{WORLD} — {tp['action']}"
        tp["thoughts"] = f"{['😀', '😡', '👍', '☕'][i % 4]} {CJK}、{ARABIC}، {DEVANAGARI}"
        for pain in tp["pain_points"]:
            pain["text"] = f"😡 {pain['text']} {CJK}"
    data["stages"][0]["name"] = f"{DEVANAGARI} {CJK}"
    return jm.Journey.model_validate(data)


def _glyph_warnings(caught) -> list[str]:
    return [str(w.message) for w in caught if "missing from font" in str(w.message)]


def _render(text: str, family: list[str], size: float = 40) -> np.ndarray:
    import matplotlib.pyplot as plt

    fig = plt.figure(figsize=(1.2, 0.8), dpi=72)
    fig.text(0.1, 0.3, text, family=family, size=size, parse_math=False)
    buf = io.BytesIO()
    with quiet_glyphs():
        fig.savefig(buf, format="png")
    plt.close(fig)
    from PIL import Image

    return np.asarray(Image.open(io.BytesIO(buf.getvalue())).convert("L"), dtype=float)


def test_families_start_with_dejavu_and_name_only_installed_fonts():
    from matplotlib import font_manager

    fams = families()
    assert fams[0] == PRIMARY == "DejaVu Sans"
    names = {f.name for f in font_manager.fontManager.ttflist}
    assert all(f in names and f in FALLBACKS for f in fams[1:])
    from journeymap.plot._style import rc

    assert rc()["font.family"] == list(fams)


def test_map_and_emotion_curve_save_without_glyph_warnings(world):
    _need("emoji", *EMOJI_FONTS)
    _need("CJK", *CJK_FONTS)
    _need("Devanagari", *DEVANAGARI_FONTS)
    import matplotlib.pyplot as plt

    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        for ax in (jm.plot.journey_map(world), jm.plot.emotion_curve(world)):
            buf = io.BytesIO()
            ax.figure.savefig(buf, format="png", dpi=50)  # drawn outside journeymap: no filter helps here
            plt.close(ax.figure)
            assert buf.getvalue().startswith(b"\x89PNG")
    assert _glyph_warnings(caught) == []


def test_exports_are_quiet_even_without_the_fonts(world, tmp_path, monkeypatch):
    """With DejaVu Sans only (fonts missing), exports draw boxes for the glyphs but warn nothing."""
    import journeymap.plot._style as style_mod

    monkeypatch.setattr(style_mod, "font_families", lambda: (PRIMARY,))
    style_mod.text_width.cache_clear()
    try:
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            jm.export(world, tmp_path / "map.png", dpi=40)
            jm.export(world, tmp_path / "emotion.png", kind="emotion", dpi=40)
            from journeymap.widgets._common import figure_png

            assert figure_png(jm.plot.emotion_curve(world).figure, dpi=30).startswith(b"\x89PNG")  # widget previews
        assert (tmp_path / "map.png").stat().st_size > 0
        assert _glyph_warnings(caught) == []
        # ... and the filter is not global: the same drawing outside journeymap's context still warns
        with warnings.catch_warnings(record=True) as outside:
            warnings.simplefilter("always")
            _ = _render_warning_prone()
        assert _glyph_warnings(outside)
    finally:
        style_mod.text_width.cache_clear()


def _render_warning_prone() -> bytes:
    import matplotlib.pyplot as plt

    fig = plt.figure(figsize=(1, 1))
    fig.text(0.1, 0.5, CJK, family=[PRIMARY], parse_math=False)
    buf = io.BytesIO()
    fig.savefig(buf, format="png")
    plt.close(fig)
    return buf.getvalue()


@pytest.mark.parametrize(("script", "text", "fonts"), [("emoji", "👍", EMOJI_FONTS), ("CJK", "顧", CJK_FONTS),
                                                      ("Devanagari", "ग्रा", DEVANAGARI_FONTS)])
def test_glyphs_are_drawn_not_tofu(script, text, fonts):
    _need(script, *fonts)
    ours = _render(text, list(families()))
    tofu = _render(text, [PRIMARY])  # DejaVu Sans has none of these: matplotlib draws its last-resort box
    assert (ours < 128).sum() > 20  # ink
    assert np.abs(ours - tofu).mean() > 2  # a different picture from the box


def test_arabic_is_joined_right_to_left():
    """Arabic letters take their joined forms (matplotlib ≥ 3.11 shapes text): not the isolated letters."""
    joined = _render(ARABIC, list(families()), size=30)
    isolated = _render(" ".join(ARABIC), list(families()), size=30)
    assert (joined < 128).sum() > 20
    assert np.abs(joined - isolated).mean() > 2


def test_text_width_measures_with_the_fallback():
    _need("CJK", *CJK_FONTS)
    from journeymap.plot._style import text_width, wrap

    assert text_width(CJK * 5, 10) == pytest.approx(100, abs=2)  # ten full-width ideographs: 1 em each
    # wrapped lines really fit when drawn
    import matplotlib.pyplot as plt

    sentence = "顧客は店舗で商品を受け取り、返品もできることを期待しています。" * 2
    lines = wrap(sentence, 120, 9)
    assert len(lines) >= 4
    fig = plt.figure(figsize=(4, 4), dpi=72)
    renderer = fig.canvas.get_renderer()
    for line in lines:
        drawn = fig.text(0, 0.5, line, size=9, family=list(families()), parse_math=False)
        assert drawn.get_window_extent(renderer).width <= 120 + 0.5
    plt.close(fig)


def test_html_and_network_font_stacks_name_emoji_and_cjk_fonts(world):
    from journeymap.exporting import report_html

    page = report_html(world)
    assert "Noto Color Emoji" in page and "Noto Sans CJK" in page
    pytest.importorskip("pyvis")
    from journeymap.network import network_html

    graph = network_html(world)
    assert '"face": "DejaVu Sans, Arial, Noto Sans' in graph and "Noto Color Emoji" in graph
    assert 'font-family: "DejaVu Sans", Arial, "Noto Sans"' in graph


def test_deck_keeps_non_latin_text(world):
    pytest.importorskip("pptx")
    from pptx import Presentation

    from journeymap.deck import deck_bytes

    prs = Presentation(io.BytesIO(deck_bytes(world, dpi=30)))
    texts = [shape.text_frame.text for slide in prs.slides for shape in slide.shapes if shape.has_text_frame]
    assert texts[0] == world.title
    cells = [cell.text for slide in prs.slides for shape in slide.shapes if shape.has_table
             for row in shape.table.rows for cell in row.cells]
    assert any("😡" in c and CJK in c for c in cells)


def test_poster_pdf_embeds_the_fallback_fonts(world):
    """The poster (PDF) draws the same glyphs: the fallback fonts are embedded, no last-resort boxes."""
    _need("emoji", *EMOJI_FONTS)
    _need("CJK", *CJK_FONTS)
    import re

    from journeymap.deck import part_journey
    from journeymap.poster import poster_bytes

    part = part_journey(world, [tp.id for tp in world.touchpoints[:3]])
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        pdf = poster_bytes(part, paper="A4", report=False)
    assert _glyph_warnings(caught) == []
    fonts = {name.split(b"+")[-1] for name in re.findall(rb"/BaseFont\s*/([A-Za-z0-9+_-]+)", pdf)}
    assert b"LastResortHE-Regular" not in fonts
    assert any(not f.startswith(b"DejaVu") for f in fonts), fonts  # emoji and CJK come from other fonts
