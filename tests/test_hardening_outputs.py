"""Issue 11, outputs: CSV cells are never formulas, plot text is never math, hostile but valid input
renders (or is refused up front), and the editor's crash backup is per file and never silently lost."""

from __future__ import annotations

import csv
import io
import os

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import journeymap as jm
from journeymap.exporting import export

FORMULAS = ['=HYPERLINK("http://evil.example","click")', "+cmd|' /C calc'!A0", "@SUM(A1:A9)", "-2+3",
            "\tTabbed", "\rReturn", "'quoted", "'=already guarded"]


def _journey(base: dict) -> jm.Journey:
    return jm.Journey.model_validate(base)


# -- 1. spreadsheet formulas --------------------------------------------------------------------
@pytest.mark.parametrize("text", FORMULAS)
def test_export_csv_guards_formula_cells(base, tmp_path, text):
    base["touchpoints"][0]["action"] = text
    base["touchpoints"][1]["thoughts"] = text
    base["touchpoints"][1]["pain_points"][0]["text"] = text
    base["stages"][0]["name"] = text
    base["touchpoints"][2]["emotion"] = -2
    path = export(_journey(base), tmp_path / "j.csv")
    with open(path, newline="", encoding="utf-8") as fh:
        rows = list(csv.DictReader(fh))
    assert len(rows) == 3
    assert rows[0]["action"] == "'" + text
    assert rows[1]["thoughts"] == "'" + text
    assert rows[1]["pain_points"] == "'" + text
    assert rows[0]["stage_name"] == "'" + text
    # numbers stay numbers: emotion −2 is written as a number, not guarded
    assert float(rows[2]["emotion"]) == -2
    assert not any(rows[2][k].startswith("'") for k in ("emotion", "effort", "pain_severity", "duration_min"))
    back = jm.from_csv(path)
    assert back.touchpoints[0].action == text
    assert back.touchpoints[1].thoughts == text
    assert back.touchpoints[2].emotion == -2


def test_from_csv_restores_a_guarded_workshop_sheet(tmp_path):
    sheet = tmp_path / "sheet.csv"
    sheet.write_text("stage,channel,action,emotion\nAwareness,website,'=1+1,'-2\nAwareness,store,'plain,1\n",
                     encoding="utf-8")
    j = jm.from_csv(sheet)
    assert j.touchpoints[0].action == "=1+1" and j.touchpoints[0].emotion == -2
    assert j.touchpoints[1].action == "'plain"  # an apostrophe before ordinary text is the user's own


_PREFIX = st.sampled_from(["=", "+", "-", "@", "\t", "\r", "'", "''", "'=", "'\t", "-2", "=-", "@'", ""])
_TAIL = st.text(st.characters(exclude_categories=("Cs",), exclude_characters="\x00"), max_size=25)
_texts = st.builds(lambda p, t: p + t + "x", _PREFIX, _TAIL)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(action=_texts, thoughts=_texts, emotion=st.sampled_from([-2, -1.5, 0, 2]))
def test_csv_round_trip_is_lossless_for_formula_like_text(tmp_path, action, thoughts, emotion):
    from conftest import BASE

    data = {**BASE, "touchpoints": [dict(tp) for tp in BASE["touchpoints"]]}
    data["touchpoints"][0] = {**data["touchpoints"][0], "action": action, "thoughts": thoughts, "emotion": emotion}
    j = jm.Journey.model_validate(data)
    path = export(j, tmp_path / "round.csv")
    raw = path.read_bytes().decode("utf-8")
    first = next(csv.DictReader(io.StringIO(raw, newline="")))
    for cell, original in ((first["action"], action), (first["thoughts"], thoughts)):
        assert not cell.startswith(("=", "+", "-", "@", "\t", "\r"))
        assert cell == (("'" + original) if original.startswith(("=", "+", "-", "@", "\t", "\r", "'")) else original)
    back = jm.from_csv(path)
    assert back.touchpoints[0].action == action
    assert back.touchpoints[0].thoughts == thoughts
    assert back.touchpoints[0].emotion == emotion
    assert [tp.action for tp in back.touchpoints[1:]] == [tp.action for tp in j.touchpoints[1:]]


# -- 4. user text is never math -----------------------------------------------------------------
MATH = r"Costs $5 or $10 \frac{a}{b} x_^y"


def _mathy() -> jm.Journey:
    """The omnichannel journey with ``$``, ``\\frac{`` and ``_^`` in every text a plot can show."""
    j = jm.load(jm.shipped_journey("retail_bopis_omnichannel")).model_copy(deep=True)
    data = j.model_dump(mode="json", by_alias=True, exclude_none=True)
    data["title"] = MATH
    data["channels"] = [{"id": "kiosk_x", "kind": "physical", "name_en": "Kiosk " + MATH, "name_es": "Kiosco " + MATH,
                         "short": "$x$"}]
    for n, stage in enumerate(data["stages"]):
        stage["name"], stage["goal"] = f"{MATH} {n}", MATH
    for tp in data["touchpoints"]:
        tp["action"], tp["thoughts"] = MATH, MATH
        tp["backstage"] = [MATH]
        for pain in tp.get("pain_points", []):
            pain["text"] = MATH
    data["touchpoints"][1]["channel"] = "kiosk_x"
    for opp in data["opportunities"]:
        opp["text"] = MATH
    return jm.Journey.model_validate(data)


def _squash(text: str) -> str:
    return "".join(text.replace("…", "").split())


def _check_literal(fig) -> int:
    """Every text drawn has mathtext off; returns how many carry the user's ``$`` text."""
    from matplotlib.text import Text

    fig.canvas.draw()  # lays out every text: mathtext would raise or be used here
    found = 0
    for text in fig.findobj(Text):
        s = text.get_text()
        assert text.get_parse_math() is False, repr(s)
        assert text._preprocess_math(s) == (s, False)
        if "$" in s:
            found += 1
            assert any(piece in s for piece in ("$5", "$10", "$x$", "$2")), repr(s)
    return found


@pytest.mark.parametrize("kind", ["map", "emotion", "heatmap", "flow", "priority", "opportunities"])
def test_every_plot_draws_dollars_literally(kind):
    import matplotlib.pyplot as plt

    from journeymap.exporting import figure

    fig = figure(_mathy(), kind)
    try:
        assert _check_literal(fig) >= 1
        buffer = io.BytesIO()
        fig.savefig(buffer, format="png", dpi=50)
        assert buffer.getvalue().startswith(b"\x89PNG")
    finally:
        plt.close(fig)


def test_other_plot_forms_draw_dollars_literally():
    import matplotlib.pyplot as plt

    j = _mathy()
    other = jm.load(jm.shipped_journey("retail_bopis_multichannel"))
    axes = [jm.plot.channel_flow(j, style="matrix"), jm.plot.emotion_curve({MATH: j, "b $2": other}, title=MATH),
            jm.plot.emotion_curve([j, other]), jm.plot.friction_heatmap(j, metric="emotion")]
    try:
        for ax in axes:
            assert _check_literal(ax.figure) >= 1
        legend = [t.get_text() for t in axes[1].get_legend().get_texts()]
        assert _squash(legend[0]) == _squash(MATH) and legend[1] == "b $2"
        assert axes[1].get_title(loc="left") == MATH
    finally:
        for ax in axes:
            plt.close(ax.figure)


def test_text_helpers_turn_mathtext_off():
    import matplotlib.pyplot as plt

    from journeymap.plot._common import literal, literal_text, literal_ticklabels

    fig, ax = plt.subplots()
    try:
        t = literal_text(ax, 0, 0, "$5 or $10")
        ax.set_xticks([0, 1])
        labels = literal_ticklabels(ax.xaxis, ["$a", "b$"])
        ax.set_title("$\\frac{")
        assert t.get_parse_math() is False and all(lb.get_parse_math() is False for lb in labels)
        literal(ax)
        assert ax.title.get_parse_math() is False
        fig.canvas.draw()
    finally:
        plt.close(fig)


def test_widget_full_map_with_dollars_renders():
    from journeymap.widgets._common import axes_figure, figure_png

    png = figure_png(axes_figure(jm.plot.journey_map(_mathy(), report=False)), 40)
    assert png[:4] == b"\x89PNG"


# -- 5. big and hostile but valid input ---------------------------------------------------------
def _old_wrap(text, width_pt, size, weight="normal", style="normal", max_lines=None):
    """The wrapping before issue 11 (quadratic on long words): the reference for the new one."""
    from journeymap.plot._style import _words_width

    limit = width_pt * 0.97

    def fits(s):
        return _words_width(s, size, weight, style) <= limit

    lines = []
    for paragraph in str(text).splitlines() or [""]:
        line = ""
        for word in paragraph.split():
            candidate = f"{line} {word}" if line else word
            if fits(candidate):
                line = candidate
                continue
            if line:
                lines.append(line)
            while not fits(word) and len(word) > 1:
                cut = len(word) - 1
                while cut > 1 and not fits(word[:cut]):
                    cut -= 1
                lines.append(word[:cut])
                word = word[cut:]
            line = word
        if line:
            lines.append(line)
    if max_lines is not None and len(lines) > max_lines:
        kept = lines[:max_lines]
        last = kept[-1]
        while last and not fits(last + "…"):
            last = last[:-1].rstrip()
        kept[-1] = last + "…"
        return kept
    return lines


_LETTERS = st.characters(exclude_categories=("Cc", "Cs", "Zs", "Zl", "Zp"), max_codepoint=0x24F)
_WORDS = st.lists(st.one_of(st.sampled_from(["a", "to", "Lorem", "WWWWWW", "ïñ", "Ωμέγα", "$5"]),
                            st.text(_LETTERS, min_size=1, max_size=60)),
                  min_size=0, max_size=12).map(" ".join)


@settings(max_examples=80, deadline=None)
@given(text=_WORDS, width=st.sampled_from([30.0, 62.5, 120.0, 300.0]), size=st.sampled_from([7.5, 9.0, 12.0]),
       weight=st.sampled_from(["normal", "bold"]), max_lines=st.sampled_from([None, 1, 2, 3]))
def test_linear_wrap_gives_the_same_lines_as_before(text, width, size, weight, max_lines):
    from journeymap.plot._style import wrap

    assert wrap(text, width, size, weight=weight, max_lines=max_lines) == _old_wrap(text, width, size, weight,
                                                                                     max_lines=max_lines)


def test_long_word_wrap_measures_linear_text(monkeypatch):
    """Wrapping a 600-character word measures O(n) characters in all (it measured O(n²) before)."""
    from journeymap.plot import _style

    measured = []
    real = _style.text_width

    def counting(text, *args, **kwargs):
        measured.append(len(text))
        return real(text, *args, **kwargs)

    monkeypatch.setattr(_style, "text_width", counting)
    word = "".join(chr(0x61 + (i * 7) % 26) for i in range(600))  # no cache hits from other tests
    lines = _style.wrap(word, 120, 8)
    assert "".join(lines) == word and len(lines) > 10
    assert sum(measured) < 30 * len(word), sum(measured)
    measured.clear()
    assert len(_style.wrap(word + " tail", 120, 8, max_lines=2)) == 2
    assert sum(measured) < 3000, sum(measured)  # stops once two lines are full


def test_map_with_a_2000_character_word_renders(base):
    import matplotlib.pyplot as plt

    base["touchpoints"][0]["action"] = "W" * 2000
    base["touchpoints"][1]["thoughts"] = "x" * 2000
    ax = jm.plot.journey_map(_journey(base), report=False)
    try:
        texts = [t.get_text() for t in ax.texts]
        assert any(t.startswith("WWW") and t.endswith("…") for t in texts)
    finally:
        plt.close(ax.figure)


def _many(n: int) -> jm.Journey:
    touchpoints = [{"id": f"t{i}", "stage": "s0" if i < n // 2 else "s1", "channel": ("website", "store")[i % 2],
                    "action": f"Step {i}"} for i in range(n)]
    return jm.Journey.model_validate({"id": "many", "title": "Many", "stages": [
        {"id": "s0", "name": "First"}, {"id": "s1", "name": "Second"}], "touchpoints": touchpoints})


def test_too_large_renders_are_refused_up_front(monkeypatch, tmp_path):
    from journeymap import exporting

    def no_drawing(*_a, **_k):
        raise AssertionError("drew before checking the size")

    monkeypatch.setattr(exporting, "figure", no_drawing)
    monkeypatch.setattr(exporting, "report_html", no_drawing)
    big = _many(exporting.MAX_MAP_TOUCHPOINTS + 1)
    for name, kind in (("m.png", None), ("m.svg", "map"), ("m.pdf", None), ("r.html", None)):
        with pytest.raises(exporting.RenderLimitError, match=r"201 touchpoints are too many .* limit is 200"):
            export(big, tmp_path / name, kind=kind)
    assert not list(tmp_path.iterdir())
    bigger = _many(exporting.MAX_DRAWN_TOUCHPOINTS + 1)
    for name, kind in (("e.png", "emotion"), ("n.html", "network"), ("f.svg", "flow")):
        with pytest.raises(exporting.RenderLimitError, match="limit is 2000"):
            export(bigger, tmp_path / name, kind=kind)
    # tables and text diagrams have no limit
    assert export(bigger, tmp_path / "t.csv").stat().st_size > 0
    assert export(bigger, tmp_path / "t.mmd").stat().st_size > 0


def test_png_too_wide_for_the_renderer_is_refused(tmp_path):
    from journeymap import exporting

    with pytest.raises(exporting.RenderLimitError, match="lower dpi"):
        export(_many(150), tmp_path / "wide.png", dpi=400)
    assert not (tmp_path / "wide.png").exists()


def test_cli_render_refuses_a_too_large_journey_in_one_line(capsys, tmp_path):
    """(benchmarks/bench_hostile_render.py runs the same on 10,000 touchpoints, with its time and memory.)"""
    from journeymap.cli import main

    source = tmp_path / "big.yaml"
    jm.save(_many(1000), source)
    code = main(["render", str(source), "-o", str(tmp_path / "big.png")])
    out, err = capsys.readouterr()
    assert code == 2 and out == ""
    lines = err.strip().splitlines()
    assert len(lines) == 1 and "1000 touchpoints are too many for a journey map" in lines[0]
    assert ".csv" in lines[0] and "Traceback" not in err
    assert not (tmp_path / "big.png").exists()


# -- 6. the editor's crash backup ---------------------------------------------------------------
def test_backup_is_named_after_the_full_file_name(tmp_path):
    from journeymap.widgets import EditSession, backup_path

    hotel = jm.load(jm.shipped_journey("hotel_stay"))
    yaml_file, json_file = tmp_path / "trip.yaml", tmp_path / "trip.json"
    jm.save(hotel, yaml_file)
    jm.save(hotel, json_file)
    a, b = EditSession(yaml_file), EditSession(json_file)
    assert a.backup_file != b.backup_file
    assert backup_path(yaml_file).name == "trip.yaml.journeymap-backup.json"
    a.set_touchpoint("book_web", emotion=2)
    b.set_touchpoint("book_web", emotion=-2)
    assert jm.load(a.backup_file).touchpoint("book_web").emotion == 2
    assert jm.load(b.backup_file).touchpoint("book_web").emotion == -2
    # in a backup folder too
    c = EditSession(yaml_file, backup_dir=tmp_path / "bk")
    d = EditSession(json_file, backup_dir=tmp_path / "bk")
    assert c.backup_file != d.backup_file


def test_unwritable_backup_is_reported_not_swallowed(tmp_path):
    from journeymap.widgets import EditSession

    path = tmp_path / "trip.yaml"
    jm.save(jm.load(jm.shipped_journey("hotel_stay")), path)
    session = EditSession(path)
    session.backup_file.mkdir()  # something that is not a file sits where the backup goes
    assert session.set_touchpoint("book_web", emotion=2) == []
    assert session.journey.touchpoint("book_web").emotion == 2  # editing goes on
    assert session.backup_error and str(session.backup_file) in session.backup_error
    session.backup_file.rmdir()
    session.set_touchpoint("book_web", emotion=1)
    assert session.backup_error is None and session.backup_file.is_file()


def test_backup_folder_that_cannot_be_written_is_reported(tmp_path):
    from journeymap.widgets import EditSession

    blocker = tmp_path / "not_a_folder"
    blocker.write_text("x")
    session = EditSession(jm.load(jm.shipped_journey("hotel_stay")), backup_dir=blocker)
    session.set_touchpoint("book_web", emotion=2)
    assert session.backup_error and "could not be written" in session.backup_error
    if hasattr(os, "geteuid") and os.geteuid() != 0:  # root writes anywhere: only check a read-only folder as a user
        folder = tmp_path / "ro"
        folder.mkdir()
        folder.chmod(0o500)
        try:
            ro = EditSession(jm.load(jm.shipped_journey("hotel_stay")), backup_dir=folder)
            ro.set_touchpoint("book_web", emotion=2)
            assert ro.backup_error
        finally:
            folder.chmod(0o700)


def test_editor_status_shows_the_backup_failure(tmp_path):
    from journeymap.widgets import JourneyEditor

    path = tmp_path / "trip.yaml"
    jm.save(jm.load(jm.shipped_journey("hotel_stay")), path)
    editor = JourneyEditor(path)
    editor.session.backup_file.mkdir()
    editor.fields["emotion"].value = -2
    assert "could not be written" in editor.status.value and "Warning" in editor.status.value
    editor.session.backup_file.rmdir()
    editor.fields["emotion"].value = 1
    assert "could not be written" not in editor.status.value


# -- Mermaid: user text that looks like a Markdown fence ----------------------------------------
@pytest.mark.parametrize("action", ["```", "```mermaid", "~~~ x", "``` : 5"])
def test_mermaid_keeps_tasks_that_start_like_a_fence(action):
    from journeymap.mermaid import from_mermaid, to_mermaid

    j = jm.Journey(id="m", title="```", stages=[{"id": "s0", "name": "0"}],
                   touchpoints=[{"id": "t0", "stage": "s0", "channel": "blog", "action": action},
                                {"id": "t1", "stage": "s0", "channel": "blog", "action": "Reads"}])
    back = from_mermaid(to_mermaid(j))
    assert [tp.action for tp in back.touchpoints] == [action, "Reads"]
    assert from_mermaid("```mermaid\n" + to_mermaid(j) + "\n```\n").touchpoints[0].action == action


def test_widgets_refuse_too_large_maps_with_a_message(tmp_path):
    from journeymap.exporting import MAX_MAP_TOUCHPOINTS
    from journeymap.widgets import JourneyEditor, JourneyViewer

    big = _many(MAX_MAP_TOUCHPOINTS + 1)
    path = tmp_path / "big.yaml"
    jm.save(big, path)
    editor = JourneyEditor(path)
    editor.draw_full_map()
    assert editor.full_map.value == b"" and "too many for a journey map" in editor.save_error.value
    viewer = JourneyViewer([path], network=False)
    assert len(viewer.canvas.state["cards"]) == len(big.touchpoints)  # the Map tab (live page) draws it all
    for tab in (4, 3, 1):  # the map as an image, the tables, the emotion curve: drawn when opened
        viewer.tabs.selected_index = tab
    assert viewer.map.value == b"" and "too many for a journey map" in viewer.tables.value
    assert viewer.emotion.value[:4] == b"\x89PNG"  # smaller charts still draw
