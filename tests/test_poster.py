"""The poster PDF (issue 16, part 4): cover page + the map tiled over A4/A3/A1 landscape pages.

Checked from the PDF itself with pdfminer.six: page count, page size, every page's smallest text
>= 8 pt, page numbers "k / n" and the tile index on every tile page.
"""

from __future__ import annotations

import re
import shutil
import subprocess

import pytest

import journeymap as jm
from journeymap import poster

pdfminer = pytest.importorskip("pdfminer.high_level")
from pdfminer.layout import LTChar  # noqa: E402


def _chars(obj):
    if isinstance(obj, LTChar):
        yield obj
    elif hasattr(obj, "__iter__"):
        for child in obj:
            yield from _chars(child)


def _pages(path):
    """(width_in, height_in, smallest char size, text) per page."""
    out = []
    for page in pdfminer.extract_pages(str(path)):
        chars = [c for c in _chars(page) if c.get_text().strip()]
        text = "".join(c.get_text() for c in chars)
        out.append((page.width / 72, page.height / 72, min(c.size for c in chars), text, chars))
    return out


@pytest.fixture(scope="module")
def coffee():
    return jm.load(jm.shipped_journey("coffee_loyalty_app"))


@pytest.fixture(scope="module")
def a4(coffee, tmp_path_factory):
    path = tmp_path_factory.mktemp("poster") / "coffee_a4.pdf"
    jm.export(coffee, path, paper="A4")
    return path


def _expected_grid(journey, paper):
    import matplotlib.pyplot as plt

    fig = jm.plot.journey_map(journey).figure
    w, h = fig.get_size_inches()
    smallest = poster.smallest_text(fig)
    plt.close(fig)
    assert smallest < 8  # the map on its own has smaller text (7 pt ticks and channel names): it must grow
    scale = 8 / smallest
    return poster.tile_grid(w * scale, h * scale, paper)


def test_a4_every_page_smallest_text_at_least_8pt(a4):
    pages = _pages(a4)
    assert len(pages) >= 3
    for n, (_, _, smallest, _, chars) in enumerate(pages, 1):
        assert chars, f"page {n} has no text"
        assert smallest >= 8.0 - 1e-6, f"page {n}: smallest text {smallest:.2f} pt"


def test_a4_page_size_and_count(a4, coffee):
    pages = _pages(a4)
    grid = _expected_grid(coffee, "A4")
    assert grid.rows * grid.cols > 1  # the map really is tiled
    # every column of the first row holds text; a tile with nothing to read may be left out
    assert 1 + grid.cols <= len(pages) <= 1 + grid.rows * grid.cols
    for width, height, *_ in pages:
        assert width == pytest.approx(297 / 25.4, abs=0.01)  # landscape A4
        assert height == pytest.approx(210 / 25.4, abs=0.01)


def test_a4_page_numbers_and_tile_index(a4, coffee):
    pages = _pages(a4)
    total = len(pages)
    grid = _expected_grid(coffee, "A4")
    cover = pages[0][3]
    assert coffee.title.split()[0] in cover and "Aisha" in cover and "A4" in cover
    seen = []
    for k, page in enumerate(pages[1:], 2):
        text = page[3].replace(" ", "")
        assert f"{k}/{total}" in text, f"page {k}: no page number"
        found = re.search(rf"row(\d+)/{grid.rows}·column(\d+)/{grid.cols}", text)
        assert found, f"page {k}: no tile index"
        seen.append((int(found[1]), int(found[2])))
    assert seen == sorted(set(seen))  # row by row, each tile once
    assert [c for r, c in seen if r == 1] == list(range(1, grid.cols + 1))


def test_a4_tiles_show_the_map_text(a4, coffee):
    """The tiles together carry every customer action's first words (the map is not lost in the cut)."""
    text = "".join(p[3] for p in _pages(a4)[1:]).replace(" ", "")
    for tp in coffee.touchpoints:
        first = "".join(tp.action.split()[:2])
        assert first in text, tp.id


def test_long_map_no_blank_pages(tmp_path):
    """60 touchpoints on A4: many tiles, each with map text on it besides its own labels."""
    import sys
    from pathlib import Path

    sys.path.insert(0, str(Path(__file__).parents[1] / "benchmarks"))
    from bench_views import journey

    pages = _pages(jm.export(journey(60, 6), tmp_path / "long.pdf", paper="A4"))
    assert len(pages) > 10
    for k, page in enumerate(pages[1:], 2):
        chars = [c for c in page[4] if c.size < poster.LABEL_PT - 0.01 or c.size > poster.LABEL_PT + 0.01]
        assert len(chars) > 20, f"page {k} is (nearly) blank"
        assert page[2] >= 8.0 - 1e-6


def test_tile_grid_covers_the_map_with_overlap():
    grid = poster.tile_grid(40.0, 10.0, "A4")
    assert (grid.rows, grid.cols) == (2, 4)
    x_last, y_last = grid.origin(grid.rows - 1, grid.cols - 1)
    assert x_last + grid.window[0] >= 40.0 and y_last + grid.window[1] >= 10.0
    assert grid.window[0] - grid.step[0] == pytest.approx(poster.OVERLAP_IN)
    # no tile more than needed: one column fewer would not reach the right edge
    assert (grid.cols - 2) * grid.step[0] + grid.window[0] < 40.0
    small = poster.tile_grid(5.0, 3.0, "A1")
    assert (small.rows, small.cols) == (1, 1)


@pytest.mark.parametrize("paper", ["A3", "A1"])
def test_larger_paper(coffee, tmp_path, paper):
    path = jm.export(coffee, tmp_path / f"coffee_{paper}.pdf", paper=paper)
    pages = _pages(path)
    w_mm, h_mm = poster.PAPERS[paper]
    assert pages[0][0] == pytest.approx(w_mm / 25.4, abs=0.01) and pages[0][1] == pytest.approx(h_mm / 25.4, abs=0.01)
    grid = _expected_grid(coffee, paper)
    assert 1 + grid.cols <= len(pages) <= 1 + grid.rows * grid.cols
    assert all(p[2] >= 8.0 - 1e-6 for p in pages)
    assert f"{len(pages)} / {len(pages)}".replace(" ", "") in pages[-1][3].replace(" ", "")


def test_bad_paper_and_wrong_suffix(coffee, tmp_path):
    with pytest.raises(ValueError, match="paper must be one of A4, A3, A1"):
        jm.export(coffee, tmp_path / "x.pdf", paper="letter")
    with pytest.raises(ValueError, match=r"write a \.pdf"):
        jm.export(coffee, tmp_path / "x.png", paper="A4")
    assert not (tmp_path / "x.pdf").exists()


def test_plain_pdf_export_is_unchanged(coffee, tmp_path):
    """Without paper= a .pdf is still the one-page map."""
    pages = _pages(jm.export(coffee, tmp_path / "map.pdf"))
    assert len(pages) == 1 and pages[0][0] > 20  # the map's own size, not a sheet of paper


def test_spanish_labels(coffee, tmp_path):
    pages = _pages(jm.export(coffee, tmp_path / "es.pdf", paper="A4", lang="es"))
    assert "fila1/" in pages[1][3].replace(" ", "") and "páginas" in pages[0][3]


def test_pages_render(a4, tmp_path):
    """Rasterised with poppler, the tile pages show ink (not blank) inside the printed area."""
    if shutil.which("pdftoppm") is None:
        pytest.skip("pdftoppm (poppler-utils) is not installed")
    subprocess.run(["pdftoppm", "-r", "30", "-f", "1", "-l", "2", "-png", str(a4), str(tmp_path / "p")], check=True)
    from matplotlib.image import imread

    files = sorted(tmp_path.glob("p-*.png"))
    assert len(files) == 2
    for f in files:
        img = imread(f)
        assert (img[..., :3].mean(axis=2) < 0.5).mean() > 0.01, f.name  # some dark ink on the page
