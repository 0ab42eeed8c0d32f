"""The deck's map at readable size: every map slide's smallest text is ≥ 10 pt as shown on the 13.33-inch slide.

The displayed size of a picture's text is its size as drawn (the smallest font of the figure's visible
Text artists, recorded when the picture is built) times the picture's scale on the slide (its width on
the slide over the figure's width in inches, read back from the .pptx).
"""

from __future__ import annotations

import io

import pytest

import journeymap as jm
import journeymap.deck as deck_mod
from journeymap.deck import MAX_COLUMNS, MIN_SLIDE_PT, deck_bytes, map_pictures, part_journey, stage_groups

pytest.importorskip("pptx")
from pptx import Presentation
from pptx.util import Emu

DPI = 40
SHIPPED = sorted(p.stem for p in jm.shipped_journey("hotel_stay").parent.glob("*.yaml"))


def _built(journey, monkeypatch, lang=None):
    """The deck, opened back, and the map pictures deck_bytes built for it (in slide order)."""
    made = []

    def recording(*args, **kwargs):
        made.extend(map_pictures(*args, **kwargs))
        return made

    monkeypatch.setattr(deck_mod, "map_pictures", recording)
    prs = Presentation(io.BytesIO(deck_bytes(journey, lang=lang, dpi=DPI)))
    return prs, made


def _map_shapes(prs, titles):
    return [shape for slide in prs.slides for shape in slide.shapes if shape.shape_type == 13 and shape.name in titles]


@pytest.mark.parametrize("name", SHIPPED)
def test_every_map_slide_shows_text_at_least_10_pt(name, monkeypatch):
    journey = jm.load(jm.shipped_journey(name))
    prs, made = _built(journey, monkeypatch)
    assert len(made) >= 2  # the key and at least one part of the map
    shapes = _map_shapes(prs, {m.title for m in made})
    assert [s.name for s in shapes] == [m.title for m in made]  # one picture per map slide, in order
    slide_w, slide_h = Emu(prs.slide_width).inches, Emu(prs.slide_height).inches
    assert slide_w == pytest.approx(13.333, abs=0.01)
    for shape, pic in zip(shapes, made, strict=True):
        w_px, _ = shape.image.size
        drawn_in = w_px / DPI
        assert drawn_in == pytest.approx(pic.width, abs=2 / DPI)  # the picture is the figure (cropped to its body)
        scale = Emu(shape.width).inches / drawn_in
        shown = pic.smallest_pt * scale
        assert shown >= MIN_SLIDE_PT, f"{pic.title}: {pic.smallest_pt} pt × {scale:.2f} = {shown:.1f} pt"
        # ... and the picture is on the slide
        assert Emu(shape.left + shape.width).inches <= slide_w + 0.01
        assert Emu(shape.top + shape.height).inches <= slide_h + 0.01


def test_smallest_size_is_read_from_the_drawn_texts():
    """A map part's recorded smallest size is the map's smallest font (7 pt tick and channel names)."""
    journey = jm.load(jm.shipped_journey("hotel_stay"))
    pictures = map_pictures(journey, "en", None, DPI)
    assert pictures[0].title == "How to read the map" and pictures[0].smallest_pt == pytest.approx(7.6)
    assert min(p.smallest_pt for p in pictures[1:]) == pytest.approx(7.0)


def _wide(journey, columns: int):
    data = journey.model_dump(by_alias=True)
    first = data["stages"][0]["id"]
    for tp in data["touchpoints"][:columns]:
        tp["stage"] = first
    return jm.Journey.model_validate(data)


def test_a_wide_stage_continues_over_slides():
    journey = _wide(jm.load(jm.shipped_journey("hotel_stay")), 7)
    groups = stage_groups(journey)
    first_stage = journey.stages[0].name
    assert [len(g) for g in groups[:3]] == [3, 2, 2]
    assert all(len(g) <= MAX_COLUMNS for g in groups)
    titles = [p.title for p in map_pictures(journey, "en", False, 20)]
    parts = [t for t in titles if t.startswith("Journey map")]
    assert parts[0].startswith(f"Journey map 1/{len(groups)}: {first_stage} · ")
    assert any(t.startswith(f"Journey map 2/{len(groups)}: {first_stage} (continued) · ") for t in parts)
    assert any(t.startswith(f"Journey map 3/{len(groups)}: {first_stage} (continued) · ") for t in parts)
    assert not any("(continued)" in t for t in parts if t.startswith(f"Journey map 4/{len(groups)}:"))
    es = [p.title for p in map_pictures(journey, "es", False, 20)]
    assert es[0] == "Cómo leer el mapa" and any("(continuación)" in t for t in es)


def test_a_part_keeps_its_columns_in_map_order():
    journey = jm.load(jm.shipped_journey("retail_bopis_multichannel"))
    for ids in stage_groups(journey):
        assert [tp.id for tp in part_journey(journey, ids).touchpoints] == ids
