"""The slide deck (.pptx): opened back with python-pptx, and rendered by LibreOffice when it is installed."""

from __future__ import annotations

import io
import itertools
import re
import shutil
import subprocess

import pytest

import journeymap as jm
from journeymap.deck import (
    MAP_SCALE,
    MAX_COLUMNS,
    MAX_MAP_HEIGHT,
    TOP_N,
    body_height,
    deck_bytes,
    lane_slides,
    part_journey,
    stage_groups,
)

pptx = pytest.importorskip("pptx")
from pptx import Presentation  # noqa: E402


@pytest.fixture(scope="module")
def current():
    return jm.load(jm.shipped_journey("retail_bopis_multichannel"))


@pytest.fixture(scope="module")
def future():
    return jm.load(jm.shipped_journey("retail_bopis_omnichannel"))


@pytest.fixture(scope="module")
def deck_file(current, future, tmp_path_factory):
    path = tmp_path_factory.mktemp("deck") / "deck.pptx"
    jm.export(current, path, compare_with=future, dpi=80)
    return path


@pytest.fixture(scope="module")
def deck(deck_file):
    return Presentation(str(deck_file))


def _titles(prs) -> list[str]:
    return [next(s.text_frame.text for s in slide.shapes if s.name == "Title") for slide in prs.slides]


def _texts(slide) -> list[str]:
    out = []
    for shape in slide.shapes:
        if shape.has_text_frame:
            out.append(shape.text_frame.text)
        if shape.has_table:
            out += [cell.text for row in shape.table.rows for cell in row.cells]
    return out


def _pictures(prs):
    return [shape for slide in prs.slides for shape in slide.shapes if shape.shape_type == 13]


def _hostile(journey):
    data = journey.model_dump(by_alias=True)
    data["title"] = "<b>Bold</b> $x^2$ & \x07bell \u202e " + "very long title " * 15
    pain = data["touchpoints"][0]["pain_points"] or [{"id": "p0", "text": "x"}]
    pain[0]["text"] = "Costs $5 and $10 — <i>&amp;</i> =SUM(A1)\x1b[2J done"
    pain[0]["severity"], pain[0]["frequency"] = 5, 1.0
    data["touchpoints"][0]["pain_points"] = pain
    return jm.Journey.model_validate(data)


def test_stage_groups_hold_at_most_max_columns_in_map_order(current):
    groups = stage_groups(current)
    from journeymap.plot._common import column_order

    assert [tp_id for g in groups for tp_id in g] == [tp.id for tp in column_order(current)]
    assert all(1 <= len(g) <= MAX_COLUMNS for g in groups)
    stage_of = {tp.id: tp.stage for tp in current.touchpoints}
    width = {s: sum(1 for tp in current.touchpoints if tp.stage == s) for s in stage_of.values()}
    for a, b in itertools.pairwise(groups):  # a stage never straddles two slides unless it is too wide
        assert stage_of[a[-1]] != stage_of[b[0]] or width[stage_of[b[0]]] > MAX_COLUMNS


def test_a_wide_stage_is_cut_into_slides(current):
    data = current.model_dump(by_alias=True)
    for tp in data["touchpoints"]:
        tp["stage"] = data["stages"][0]["id"]
    one_stage = jm.Journey.model_validate(data)
    sizes = [len(g) for g in stage_groups(one_stage)]
    assert sum(sizes) == 14 and len(sizes) == 5  # 14 columns, at most 3 a slide: 5 near-equal pieces
    assert max(sizes) <= MAX_COLUMNS and max(sizes) - min(sizes) <= 1


def test_part_journey_keeps_only_its_touchpoints(current):
    ids = stage_groups(current)[1]
    part = part_journey(current, ids)
    assert [tp.id for tp in part.touchpoints] == ids
    assert all(tr.source in ids and tr.target in ids for tr in part.transitions)
    pains = {p.id for p, _ in part.pain_points()}
    assert all(set(o.addresses) <= pains and o.addresses for o in part.opportunities)


def test_lanes_spread_over_slides_keep_pictures_short(current):
    from journeymap.plot.journey_map import DEFAULT_LANES

    report = jm.score(current)
    for ids in stage_groups(current):
        part = part_journey(current, ids)
        slides = lane_slides(part, "en", report)
        assert all(lanes[0] == "channel" for lanes in slides)
        drawn = [lane for lanes in slides for lane in lanes[1:]]
        assert drawn == [lane for lane in DEFAULT_LANES[1:] if lane in drawn]  # map order, no repeats
        assert {"actions", "thoughts", "emotion", "friction"} <= set(drawn)
        assert ("pain_points" in drawn) == bool(part.pain_points())  # no empty lane gets a slide
        assert "metrics" not in drawn  # this journey has no survey metrics: no empty lane is listed
        for lanes in slides:
            assert len(lanes) == 2 or body_height(part, "en", lanes, report) <= MAX_MAP_HEIGHT


def test_slide_count_and_titles(deck, current):
    titles = _titles(deck)
    groups = stage_groups(current)
    report = jm.score(current)
    map_slides = sum(len(lane_slides(part_journey(current, ids), "en", report)) for ids in groups)
    assert len(deck.slides) == 1 + 1 + 1 + map_slides + 5  # title, persona, the map's key, the map, 5 more
    assert titles[0] == current.title
    assert titles[1] == "Persona: Lucía Moreno"
    assert titles[2] == "How to read the map"
    assert titles[3] == f"Journey map 1/{len(groups)}: Awareness · Customer actions, Thoughts, Emotion"
    assert all(title.startswith("Journey map ") for title in titles[3:3 + map_slides])
    assert titles[-5:] == ["Emotion along the journey", "Top pain points", "Opportunities", "Scorecard",
                           "Current vs future"]


def test_pain_points_are_editable_table_text(deck, current):
    ranked = jm.score(current).pain_ranking().head(TOP_N)
    slide = deck.slides[len(deck.slides) - 4]
    tables = [s for s in slide.shapes if s.has_table]
    assert len(tables) == 1
    cells = _texts(slide)
    for text in ranked["text"]:
        assert text in cells


def test_scorecard_and_comparison_are_tables(deck, current, future):
    card = _texts(deck.slides[len(deck.slides) - 2])
    assert "channel integration" in card and "brand coherence" in card
    compare = _texts(deck.slides[len(deck.slides) - 1])
    assert "expected conversion" in compare
    assert "Current" in compare and "Future" in compare


def test_every_picture_has_alt_text(deck):
    pictures = _pictures(deck)
    assert len(pictures) >= 6
    for pic in pictures:
        descr = pic._element.nvPicPr.cNvPr.get("descr")
        assert descr and len(descr) > 80
    maps = [p for p in pictures if p.name.startswith("Journey map")]
    assert maps and all("This part shows the stages:" in p._element.nvPicPr.cNvPr.get("descr") for p in maps)


def test_map_pictures_are_enlarged_on_their_slides(deck):
    from pptx.util import Inches

    for pic in (p for p in _pictures(deck) if p.name.startswith(("Journey map", "How to read"))):
        w_px, _ = pic.image.size
        drawn = Inches(w_px / 80)  # the fixture exports at dpi=80
        assert pic.width / drawn >= MAP_SCALE - 0.01, pic.name  # 7 pt map text shows at ≥ 10 pt (test_deck_readable)


def test_spanish_deck(current):
    prs = Presentation(io.BytesIO(deck_bytes(current, lang="es", dpi=40)))
    titles = _titles(prs)
    assert "Principales puntos de dolor" in titles and "Cuadro de mando" in titles
    pictures = [p for p in _pictures(prs) if p.name != "Cómo leer el mapa"]  # the key describes the legend
    assert "Cómo leer el mapa" in titles
    assert all("Peor etapa por fricción" in p._element.nvPicPr.cNvPr.get("descr") for p in pictures)


def test_hostile_text_lands_as_plain_text(current):
    prs = Presentation(io.BytesIO(deck_bytes(_hostile(current), dpi=40)))
    title = _titles(prs)[0]
    assert title.startswith("<b>Bold</b> $x^2$ & bell")
    assert "\x07" not in title and "\u202e" not in title
    all_text = "\n".join(t for slide in prs.slides for t in _texts(slide))
    assert "Costs $5 and $10 — <i>&amp;</i> =SUM(A1)[2J done" in all_text
    assert "\x1b" not in all_text


def test_refuses_a_too_large_journey(current, tmp_path):
    from journeymap.exporting import RenderLimitError

    data = current.model_dump(by_alias=True)
    tp = data["touchpoints"][0]
    data["touchpoints"] = [{**tp, "id": f"t{i}", "pain_points": []} for i in range(201)]
    data["transitions"] = None
    data["opportunities"] = []
    with pytest.raises(RenderLimitError):
        jm.export(jm.Journey.model_validate({k: v for k, v in data.items() if v is not None}), tmp_path / "x.pptx")
    assert not (tmp_path / "x.pptx").exists()


@pytest.mark.skipif(shutil.which("soffice") is None, reason="LibreOffice (soffice) is not installed")
def test_libreoffice_renders_every_slide(deck_file, deck, tmp_path):
    subprocess.run(["soffice", f"-env:UserInstallation=file://{tmp_path}/profile", "--headless", "--convert-to",
                    "pdf", "--outdir", str(tmp_path), str(deck_file)], check=True, capture_output=True, timeout=300)
    pdf = (tmp_path / "deck.pdf").read_bytes()
    assert len(re.findall(rb"/Type\s*/Page[^s]", pdf)) == len(deck.slides)


def test_cli_render_writes_a_deck(tmp_path, capsys):
    from journeymap.cli import main

    out = tmp_path / "hotel.pptx"
    assert main(["render", str(jm.shipped_journey("hotel_stay")), "-o", str(out), "--lang", "es", "--dpi", "40"]) == 0
    prs = Presentation(str(out))
    assert "Principales puntos de dolor" in _titles(prs)
    assert all(p._element.nvPicPr.cNvPr.get("descr") for p in _pictures(prs))
