"""The evidence suggestions panel beside the canvas: Accept goes through the canvas' EditSession (undoable, saved),
Reject changes nothing, a stale suggestion gives one line and no traceback, user text is never markup."""

from __future__ import annotations

import pytest

import journeymap as jm
from journeymap.evidence.suggest import Suggestion, accept
from journeymap.model import PainPoint, Quote
from journeymap.widgets.canvas.widget import JourneyCanvas
from journeymap.widgets.suggestions import SuggestionsPanel, is_applied

QUOTES = (Quote(text="<b>Slow</b> & the page <script>froze</script>", source="review <i>site</i>", date="2026-03-02"),
          Quote(text="Paying took forever", source="survey", date="2026-03-05", lang="en"),
          Quote(text="Tardó muchísimo en pagar", source="encuesta", lang="es"),
          Quote(text="a fourth quote is not shown", source="survey"))


def _suggestions() -> list[Suggestion]:
    pain = PainPoint(id="book_web_slow", text="The booking page is slow", severity=4, frequency=0.6,
                     evidence="observed", quotes=list(QUOTES[:2]))
    return [
        Suggestion(id="emotion:book_web", kind="emotion", target="book_web", value=-1.5, current=0.0,
                   quotes=QUOTES, reason="14 mentions, 71 % negative", reason_es="14 menciones, 71 % negativas"),
        Suggestion(id="effort:online_checkin", kind="effort", target="online_checkin", value=6, current=4,
                   quotes=QUOTES[1:2], reason="CES 5.8 (n 41)", reason_es="CES 5,8 (n 41)"),
        Suggestion(id="pain:book_web:1", kind="pain_point", target="book_web", value=pain, current=None,
                   quotes=QUOTES[:2], reason="9 mentions of slowness", reason_es="9 menciones de lentitud"),
    ]


@pytest.fixture
def setup(tmp_path):
    journey = jm.load(jm.shipped_journey("hotel_stay"))
    path = tmp_path / "hotel.yaml"
    jm.save(journey, path)
    canvas = JourneyCanvas(path, backup_dir=tmp_path / "backup")
    return canvas, SuggestionsPanel(canvas, _suggestions()), jm.load(path), path


def test_accept_is_evidence_accept_through_the_session_and_undo_restores(setup):
    canvas, panel, original, _path = setup
    emotion, effort, pain = panel.suggestions
    assert panel.accept(emotion.id) is None
    assert canvas.journey == accept(original, emotion)
    assert canvas.session.can_undo and canvas.session.dirty and canvas.controller.rev == 1
    assert canvas.state["cards"]["book_web"]["emotion"] == -1.5  # the map redrew
    assert panel.accept(pain.id) is None
    assert panel.accept(effort.id) is None
    assert canvas.journey == accept(accept(accept(original, emotion), pain), effort)
    added = canvas.journey.touchpoint("book_web").pain_points[-1]
    assert (added.text, added.evidence, [q.text for q in added.quotes]) == (
        "The booking page is slow", "observed", [q.text for q in QUOTES[:2]])
    assert {p["text"] for p in canvas.state["cards"]["book_web"]["pains"]} >= {"The booking page is slow"}
    assert [s.id for s in panel.accepted] == [s.id for s in panel.suggestions]

    assert canvas.edit({"edit": "u1", "op": "undo", "rev": canvas.controller.rev})["ok"]  # the canvas' own Undo
    assert canvas.journey == accept(accept(original, emotion), pain)
    assert [s.id for s in panel.pending] == [effort.id]  # undone: offered again
    assert next(r for r in panel.rows if r["id"] == effort.id)["status"] == "pending"
    for n in (2, 3):
        canvas.edit({"edit": f"u{n}", "op": "undo", "rev": canvas.controller.rev})
    assert canvas.journey == original
    assert panel.accepted == []


def test_accept_twice_applies_once_and_save_writes_it(setup):
    canvas, panel, original, path = setup
    pain = panel.suggestions[2]
    assert panel.accept(pain.id) is None
    assert panel.accept(pain.id) is None  # a double click: one pain point, one undo step
    pains = canvas.journey.touchpoint("book_web").pain_points
    assert len(pains) == len(original.touchpoint("book_web").pain_points) + 1
    assert canvas.edit({"edit": "s", "op": "save", "rev": canvas.controller.rev})["ok"]
    saved = jm.load(path)
    assert saved == accept(original, pain)
    assert is_applied(saved, pain) and not is_applied(original, pain)


def test_reject_hides_and_changes_nothing(setup):
    canvas, panel, original, _path = setup
    panel.reject("emotion:book_web")
    assert canvas.journey == original and not canvas.session.can_undo and not canvas.session.dirty
    assert [s.id for s in panel.rejected] == ["emotion:book_web"]
    assert "emotion:book_web" not in [r["id"] for r in panel.rows] and panel.rejected_count == 1
    assert panel.message.startswith("Rejected: ")
    panel.reject("emotion:book_web")
    assert len(panel.rejected) == 1


def test_nothing_changes_without_a_click(setup):
    canvas, panel, original, _path = setup
    panel.set_lang("es")
    assert canvas.journey == original and not canvas.session.can_undo
    assert {r["status"] for r in panel.rows} == {"pending"}


def test_stale_suggestion_gives_one_line_and_changes_nothing(setup):
    canvas, panel, _original, _path = setup
    assert canvas.edit({"edit": "d", "op": "delete_touchpoint", "target": "book_web", "rev": 0})["ok"]
    before, undo_depth = canvas.journey, len(canvas.session._undo)
    assert {r["id"]: r["status"] for r in panel.rows}["emotion:book_web"] == "gone"
    error = panel.accept("emotion:book_web")
    assert error is not None and "\n" not in error and "Traceback" not in error
    assert "no touchpoint 'book_web'" in error
    assert panel.message == f"⚠ Not applied: {error.removeprefix('Not applied: ')}"
    assert canvas.journey is before and len(canvas.session._undo) == undo_depth
    assert panel.accept("no-such-suggestion") == "no suggestion 'no-such-suggestion'"


def test_browser_messages_accept_and_reject(setup):
    canvas, panel, original, _path = setup
    sent = []
    panel.send = sent.append  # the kernel's reply to the browser
    panel._on_msg(panel, {"type": "accept", "id": "effort:online_checkin"}, [])
    panel._on_msg(panel, {"type": "reject", "id": "emotion:book_web"}, [])
    panel._on_msg(panel, {"type": "delete everything"}, [])
    panel._on_msg(panel, "not a dict", [])
    assert [(m["op"], m["id"], m["ok"]) for m in sent] == [("accept", "effort:online_checkin", True),
                                                           ("reject", "emotion:book_web", True)]
    assert canvas.journey.touchpoint("online_checkin").effort == 6
    assert canvas.journey.touchpoint("online_checkin").measured == ["effort"]
    assert canvas.journey.touchpoint("book_web") == original.touchpoint("book_web")


def test_rows_carry_plain_text_three_quotes_and_named_buttons(setup):
    _canvas, panel, _original, _path = setup
    row = panel.rows[0]
    assert row["change"] == "Emotion: 0 → −1.5"
    assert len(row["quotes"]) == 3 and row["quotes"][0]["text"] == QUOTES[0].text  # set as text by the browser
    assert row["quotes"][0] == {"text": QUOTES[0].text, "source": "review <i>site</i>", "date": "2026-03-02"}
    assert row["accept_label"].startswith("Accept: Books three nights") and row["accept_label"].endswith("−1.5")
    assert len(row["accept_label"]) < 100
    pain_row = panel.rows[2]
    assert pain_row["change"] == "New pain point: “The booking page is slow” (severity 4/5, 60 % affected)"
    panel.set_lang("es")
    assert panel.rows[0]["reason"] == "14 menciones, 71 % negativas"
    assert panel.rows[0]["change"] == "Emoción: 0 → −1.5"
    assert panel.labels["sg_accept"] == "Aceptar" and panel.rows[0]["reject_label"].startswith("Rechazar: ")


def test_canvas_show_suggestions_and_lazy_export(setup):
    canvas = setup[0]
    panel = canvas.show_suggestions(_suggestions(), lang="es")
    assert isinstance(panel, jm.widgets.SuggestionsPanel) and panel.lang == "es"
    box = panel.with_canvas()
    assert list(box.children) == [canvas, panel]


def test_a_read_only_canvas_is_not_changed(tmp_path):
    journey = jm.load(jm.shipped_journey("hotel_stay"))
    canvas = JourneyCanvas(journey, readonly=True, backup_dir=tmp_path)
    panel = SuggestionsPanel(canvas, _suggestions())
    assert panel.accept("emotion:book_web") == "Not applied: this map is read-only"
    assert canvas.journey == journey and not canvas.session.can_undo


def test_shipped_quotes_through_suggest_into_the_panel(tmp_path):
    """The real chain: shipped quotes → tag → suggest → panel; every Accept equals evidence.accept in turn."""
    from journeymap.evidence.quotes import read_quotes
    from journeymap.evidence.suggest import suggest
    from journeymap.evidence.tagger import load_keywords, tag

    data = jm.shipped_journey("hotel_stay").parents[2] / "data" / "evidence"
    if not (data / "hotel_stay_quotes.csv").is_file():
        pytest.skip("no shipped evidence data next to the package (installed without the repository)")
    journey = jm.load(jm.shipped_journey("hotel_stay"))
    tagged = tag(read_quotes(data / "hotel_stay_quotes.csv"),
                 load_keywords(data / "hotel_stay_keywords.yaml", journey=journey))
    suggestions = suggest(journey, tagged)
    assert {s.kind for s in suggestions} == {"emotion", "pain_point"}
    canvas = JourneyCanvas(journey, backup_dir=tmp_path)
    panel = SuggestionsPanel(canvas, suggestions)
    assert canvas.journey == journey  # showing them changes nothing
    expected = journey
    for s in suggestions:
        assert panel.accept(s.id) is None, panel.message
        expected = accept(expected, s)
        assert canvas.journey == expected
    assert panel.pending == [] and all(len(r["quotes"]) <= 3 for r in panel.rows)
    while canvas.session.undo():
        pass
    assert canvas.journey == journey and panel.accepted == []
