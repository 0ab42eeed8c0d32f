"""Mermaid both ways without loss (issue 16 part 6): ``from_mermaid(to_mermaid(j)) == j``.

The whole journey travels in ``%% jm-journey``/``%% jm-data`` comment lines; the visible diagram
stays a valid Mermaid ``journey``; hand edits, plain diagrams and hostile metadata follow
docs/mermaid.md.
"""

from __future__ import annotations

import re
import warnings

import pytest
from hypothesis import HealthCheck, given, settings
from strategies import HOSTILE, evidence_journeys, journeys

import journeymap as jm
from journeymap import mermaid_meta
from journeymap.mermaid import MermaidEditWarning, from_mermaid, to_mermaid

SLOW = settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.too_slow,
                                                                       HealthCheck.data_too_large])


def mermaid_lines(text: str) -> list[tuple[str, str]]:
    """Read ``text`` the way Mermaid's journey lexer does (journey.jison, v10/v11) and check nothing leaks.

    Mermaid finds ``%%{`` directives anywhere, drops whole ``%%`` comment lines, ends a statement at
    ``#``/``;``, starts a comment at ``%%`` mid-line and reads keywords case-insensitively.
    """
    assert "%%{" not in text, "a %%{ directive would reach Mermaid"
    lines = text.split("\n")
    assert lines[0] == "journey" and lines[-1] == ""
    out = []
    for line in lines[1:-1]:
        s = line.strip()
        assert s, "no blank lines"
        if s.startswith("%%"):
            out.append(("comment", s))
            continue
        assert "%%" not in s and "#" not in s and ";" not in s, s
        low = s.lower()
        if re.match(r"title\s", low):
            out.append(("title", s[6:]))
        elif re.match(r"section\s", low):
            assert ":" not in s, s
            out.append(("section", s[8:]))
        else:
            assert not low.startswith(("journey", "title", "section", "acctitle", "accdescr")), s
            name, _, data = s.partition(":")
            assert name.strip() and re.fullmatch(r" [1-5]: [^:]*", data), s
            out.append(("task", s))
    return out


def _equal(text: str) -> jm.Journey:
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        return from_mermaid(text)


# -- round trips -----------------------------------------------------------------------------------

@SLOW
@given(evidence_journeys())
def test_journeys_with_evidence_come_back_equal(j):
    text = to_mermaid(j)
    assert _equal(text) == j
    kinds = [kind for kind, _ in mermaid_lines(text)]
    assert kinds.count("task") == len(j.touchpoints)


@SLOW
@given(journeys())
def test_generated_journeys_come_back_equal(j):
    assert _equal(to_mermaid(j)) == j
    assert _equal(to_mermaid(j, lang="es")) == j


@pytest.mark.parametrize("path", jm.shipped_journeys(), ids=lambda p: p.stem)
def test_shipped_journeys_come_back_equal(path):
    j = jm.load(path)
    text = to_mermaid(j)
    assert _equal(text) == j
    mermaid_lines(text)
    # in a Markdown fence, with CRLF line ends, re-indented and with trailing spaces trimmed
    assert _equal("```mermaid\n" + text + "```\n") == j
    assert _equal(text.replace("\n", "\r\n")) == j
    assert _equal("\n".join("  " + line.strip() for line in text.splitlines())) == j


def test_everything_journeymap_knows_is_kept():
    j = jm.load(jm.shipped_journey("bank_account_opening"))
    back = _equal(to_mermaid(j))
    assert back.transitions == j.transitions and back.opportunities == j.opportunities
    assert [tp.pain_points for tp in back.touchpoints] == [tp.pain_points for tp in j.touchpoints]
    assert [tp.model_dump() for tp in back.touchpoints] == [tp.model_dump() for tp in j.touchpoints]
    assert back.persona == j.persona and back.sources == j.sources


# -- hostile texts in the journey --------------------------------------------------------------------

def _hostile_journey() -> jm.Journey:
    names = [*HOSTILE, "title Hacked", "Journey planning", "section Owned", "accDescr { x }", "TITLE\xa0x"]
    return jm.Journey(
        id="h", title="%%{init: {'theme':'forest'}}%% x: 1; y # z", description="a\n%% jm-data 9 {}",
        stages=[{"id": f"s{i}", "name": name} for i, name in enumerate(names)],
        touchpoints=[{"id": f"t{i}", "stage": f"s{i}", "channel": "website", "action": name, "thoughts": name}
                     for i, name in enumerate(names)],
    )


def test_hostile_texts_neither_break_the_diagram_nor_the_metadata():
    j = _hostile_journey()
    text = to_mermaid(j)
    seen = mermaid_lines(text)
    assert [kind for kind, _ in seen].count("title") == 1
    assert [kind for kind, _ in seen].count("section") == len(j.stages)
    assert [kind for kind, _ in seen].count("task") == len(j.touchpoints)
    data_lines = [line.strip() for line in text.splitlines() if "jm-data" in line]
    assert all(line == line.strip() and " " not in line.split(" ", 3)[3][:1] for line in data_lines)
    assert _equal(text) == j
    plain = from_mermaid(text, prefer="diagram")
    assert [tp.action for tp in plain.touchpoints] == [tp.action for tp in j.touchpoints]


# -- hand edits ----------------------------------------------------------------------------------------

def _coffee() -> jm.Journey:
    return jm.Journey(id="c", title="Coffee", stages=[{"id": "buy", "name": "Buy"}, {"id": "get", "name": "Get"}],
                      touchpoints=[{"id": "app", "stage": "buy", "channel": "mobile_app", "action": "Orders",
                                    "emotion": 1, "pain_points": [{"id": "p1", "text": "Slow"}]},
                                   {"id": "pick", "stage": "get", "channel": "store", "action": "Picks up"}])


def test_an_edited_diagram_warns_and_the_metadata_wins():
    j = _coffee()
    edited = to_mermaid(j).replace("Orders: 4:", "Orders ahead: 2:")
    with pytest.warns(MermaidEditWarning, match=r"was 'Orders: 4: Mobile app'.*now 'Orders ahead: 2: Mobile app'"):
        back = from_mermaid(edited)
    assert back == j


def test_prefer_diagram_keeps_visible_edits():
    j = _coffee()
    text = to_mermaid(j).replace("Orders: 4:", "Orders ahead: 2:")
    text = text.replace('"emotion":0.0}\n', '"emotion":0.0}\n      Pays: 5: Physical store\n')
    back = from_mermaid(text, prefer="diagram")
    assert [(tp.id, tp.action, tp.channel) for tp in back.touchpoints] == [
        ("app", "Orders ahead", "mobile_app"), ("pick", "Picks up", "store"), ("t03_pays", "Pays", "store")]
    assert back.touchpoints[0].emotion == -1.0 and back.touchpoints[2].emotion == 2.0
    removed = from_mermaid(to_mermaid(j).replace("      Picks up: 3: Physical store\n", ""), prefer="diagram")
    assert [tp.id for tp in removed.touchpoints] == ["app"]
    with pytest.warns(MermaidEditWarning, match="Pays"):
        assert from_mermaid(text) == j


def test_a_plain_mermaid_journey_imports_as_documented():
    back = _equal("journey\n  title My working day\n  section Go to work\n    Make tea: 5: Me\n"
                  "    Go upstairs: 3: Me, Cat\n  section Home\n    Phone mum: 1: Me, phone\n")
    assert [s.name for s in back.stages] == ["Go to work", "Home"]
    assert [(tp.id, tp.emotion, tp.channel) for tp in back.touchpoints] == [
        ("t01_make_tea", 2.0, "x_unspecified"), ("t02_go_upstairs", 0.0, "x_cat"), ("t03_phone_mum", -2.0, "phone")]
    assert back.persona_obj().name == "Me" and back.title == "My working day"
    assert [(t.source, t.target) for t in back.transitions] == [("t01_make_tea", "t02_go_upstairs"),
                                                               ("t02_go_upstairs", "t03_phone_mum")]


def test_id_argument_renames_the_restored_journey():
    assert from_mermaid(to_mermaid(_coffee()), id="renamed") == _coffee().model_copy(update={"id": "renamed"})


# -- hostile metadata -----------------------------------------------------------------------------------

def _fail(text: str, line: int, message: str) -> None:
    with pytest.raises(jm.JourneyError) as info:
        from_mermaid(text)
    shown = str(info.value)
    assert len(shown.splitlines()) == 1, shown
    assert shown.startswith(f"<mermaid>:{line}: "), shown
    assert re.search(message, shown), shown


def _with_meta(lines: list[str]) -> str:
    return "journey\n  section A\n    T: 3: Me\n" + "\n".join("  " + line for line in lines) + "\n"


def _raw_meta(payload: str, chunks: int = 1) -> list[str]:
    size = -(-len(payload) // chunks)
    parts = [payload[i:i + size] for i in range(0, len(payload), size)]
    head = (f"%% jm-journey v1 lang=en chars={len(payload)} lines={len(parts)} "
            f"sha256={mermaid_meta._digest(payload)}")
    return [head] + [f"%% jm-data {k} {part}" for k, part in enumerate(parts, 1)]


def test_metadata_that_is_not_json_names_its_data_line():
    _fail(_with_meta(_raw_meta('{"id":"x","title":"ok","stages":[' + '{"id":"a"},' * 20 + "oops]}", 3)),
          7, "not valid JSON")


def test_metadata_that_fails_the_model_is_one_line_at_the_header():
    data = _coffee().model_dump(mode="json", by_alias=True)
    data["touchpoints"][0]["emotion"] = 9
    data["touchpoints"][1]["stage"] = "nowhere"
    _fail(_with_meta(mermaid_meta.encode(data, "en")), 4,
          r"touchpoints\[0\]\.emotion: jm metadata is not a valid journey: .*\(and 1 more problems\)")
    _fail(_with_meta(_raw_meta("[1, 2]")), 4, "must hold a journey")


_META = mermaid_meta.encode(_coffee().model_dump(mode="json", by_alias=True, exclude_defaults=True), "en")


@pytest.mark.parametrize("edit, line, message", [
    (lambda m: m[:-1], 4, "incomplete"),
    (lambda m: [m[0], m[2], m[1], *m[3:]], 5, "out of order"),
    (lambda m: m[1:2] + m, 4, "before the '%% jm-journey' line"),
    (lambda m: m + m[:1], 4 + len(_META), "a second"),
    (lambda m: [m[0].replace(" v1 ", " v9 "), *m[1:]], 4, "unsupported jm metadata version"),
    (lambda m: [m[0].replace("lines=3", "lines=2"), *m[1:]], 7, "more '%% jm-data' lines than the 2 announced"),
    (lambda m: [m[0].replace("sha256=", "sha="), *m[1:]], 4, "lacks sha256="),
    (lambda m: [m[0].replace("lines=", "lines=x"), *m[1:]], 4, "whole numbers"),
    (lambda m: [m[0], m[1].replace("Coffee", "Tea:00"), *m[2:]], 4, "changed after export"),
    (lambda m: [m[0], m[1].replace("jm-data 1 ", "jm-data one "), *m[2:]], 5, "unreadable '%% jm-data' line"),
    (lambda m: [m[0].replace("chars=", f"chars={mermaid_meta.MAX_CHARS}"), *m[1:]], 4, "too large"),
])
def test_broken_metadata_is_one_line_with_its_line_number(edit, line, message):
    _fail(_with_meta(edit(list(_META))), line, message)


def test_oversized_metadata_is_refused_while_reading(monkeypatch):
    monkeypatch.setattr(mermaid_meta, "MAX_CHARS", 300)
    text = to_mermaid(_hostile_journey())
    with pytest.raises(jm.JourneyError, match=r"too large \(limit 300 characters\)"):
        from_mermaid(text)


def test_a_per_line_comment_that_is_not_an_object_is_a_journey_error():
    _fail("journey\n section A\n  T: 3: Me\n  %% jm 5\n", 4, "must hold a JSON object")
    _fail("journey\n section A\n  T: 3: Me\n  %% jm [[[[\n", 4, "unreadable")
