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
