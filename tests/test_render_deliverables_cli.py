"""``journeymap render`` writes the deliverables: a poster PDF (--paper) and a deck with current vs future."""

from __future__ import annotations

import pytest

import journeymap as jm
from journeymap.cli import main

MULTI = str(jm.shipped_journey("retail_bopis_multichannel"))
OMNI = str(jm.shipped_journey("retail_bopis_omnichannel"))


def test_render_paper_writes_a_poster(tmp_path, capsys):
    pdfminer = pytest.importorskip("pdfminer.high_level")

    out = tmp_path / "poster.pdf"
    assert main(["render", MULTI, "-o", str(out), "--paper", "A4"]) == 0
    pages = list(pdfminer.extract_pages(str(out)))
    assert len(pages) >= 2  # a cover and at least one tile
    assert {(round(p.width), round(p.height)) for p in pages} == {(842, 595)}  # A4 landscape, in points
    assert str(out) in capsys.readouterr().out


def test_render_compare_with_adds_current_vs_future_slides(tmp_path):
    from pptx import Presentation

    alone, both = tmp_path / "a.pptx", tmp_path / "b.pptx"
    assert main(["render", MULTI, "-o", str(alone)]) == 0
    assert main(["render", MULTI, "-o", str(both), "--compare-with", OMNI]) == 0
    n_alone, n_both = len(Presentation(alone).slides), len(Presentation(both).slides)
    assert n_both > n_alone
    titles = [shape.text_frame.text for slide in Presentation(both).slides for shape in slide.shapes
              if shape.name == "Title" and shape.has_text_frame]
    assert len(titles) == n_both
    assert "Current vs future" in titles and "Current vs future" not in titles[:n_alone]


@pytest.mark.parametrize("args, lang, words", [
    (["-o", "x.png", "--paper", "A3"], "en", "--paper makes a poster: write a .pdf (got 'x.png')"),
    (["-o", "x.pdf", "--compare-with", OMNI], "en", "write a .pptx (got 'x.pdf')"),
    (["-o", "x.png", "--paper", "A3", "--lang", "es"], "es", "--paper crea un póster: escribe un .pdf"),
])
def test_render_deliverable_options_on_the_wrong_format_are_one_line_errors(tmp_path, capsys, args, lang, words):
    args = [a.replace("x.", str(tmp_path / "x.")) if a.startswith("x.") else a for a in args]
    assert main(["render", MULTI, *args]) == 2
    err = capsys.readouterr().err
    assert words in err and "Traceback" not in err and len(err.strip().splitlines()) == 1
    assert not list(tmp_path.iterdir())
