"""Saving over an existing YAML file keeps the user's file: comments, order, quoting, flow style (issue 12.3)."""

from __future__ import annotations

import difflib
import os
import re
import shutil
import tempfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import journeymap as jm
from journeymap import io as jio
from journeymap import roundtrip
from journeymap.model import Touchpoint, Transition

ROOT = Path(__file__).resolve().parent.parent
SHIPPED = sorted((ROOT / "data" / "journeys").glob("*.yaml"))
COMMENTED = ROOT / "data" / "journeys" / "retail_bopis_multichannel.yaml"


def _copy(src: Path, folder: Path) -> Path:
    shutil.copytree(ROOT / "personas", folder / "personas", dirs_exist_ok=True)
    dst = folder / src.name
    shutil.copy(src, dst)
    return dst


def _changed_lines(before: str, after: str) -> list[str]:
    return [line for line in difflib.ndiff(before.splitlines(), after.splitlines()) if line[:1] in "+-"]


def _with_touchpoints(j: jm.Journey, tps: list[Touchpoint], transitions: list[Transition] | None = None) -> jm.Journey:
    """``j`` with these touchpoints; transitions and opportunities referring to removed ones dropped."""
    ids = {tp.id for tp in tps}
    pains = {p.id for tp in tps for p in tp.pain_points}
    trs = transitions if transitions is not None else j.transitions
    trs = [t for t in trs if t.source in ids and t.target in ids]
    pains |= {p.id for t in trs for p in t.pain_points}
    opps = [o.model_copy(update={"addresses": [a for a in o.addresses if a in pains]}) for o in j.opportunities]
    data = j.model_copy(update={"touchpoints": tps, "transitions": trs, "opportunities": opps})
    return jm.Journey.model_validate(data.model_dump(by_alias=True))


@pytest.mark.parametrize("src", SHIPPED, ids=lambda p: p.stem)
def test_saving_an_unchanged_shipped_journey_keeps_the_file_byte_for_byte(src, tmp_path):
    path = _copy(src, tmp_path)
    jm.save(jm.load(path), path)
    assert path.read_text(encoding="utf-8") == src.read_text(encoding="utf-8")


def test_one_edit_changes_one_line_and_keeps_the_schema_line(tmp_path):
    path = _copy(ROOT / "data" / "journeys" / "hotel_stay.yaml", tmp_path)
    before = path.read_text(encoding="utf-8")
    j = jm.load(path)
    tps = list(j.touchpoints)
    tps[2] = tps[2].model_copy(update={"emotion": -2.0})
    edited = _with_touchpoints(j, tps)
    jm.save(edited, path)
    after = path.read_text(encoding="utf-8")
    assert after.startswith("# yaml-language-server: $schema=../../schema/journey.schema.json\n")
    assert _changed_lines(before, after) == [f"-     emotion: {_num(j.touchpoints[2].emotion)}", "+     emotion: -2"]
    assert "conversion: true  # reaching this touchpoint counts as converting" in after
    assert jm.load(path) == edited


def _num(x: float) -> str:
    return str(int(x)) if float(x).is_integer() else str(x)


def test_flow_style_transitions_stay_flow_and_a_new_one_is_written_flow(tmp_path):
    path = _copy(ROOT / "data" / "journeys" / "bank_account_opening.yaml", tmp_path)
    before = path.read_text(encoding="utf-8")
    j = jm.load(path)
    first, second = j.touchpoints[0].id, j.touchpoints[-1].id
    trs = list(j.transitions)
    trs[1] = trs[1].model_copy(update={"share": 0.25})
    trs.append(Transition(source=first, target=second, share=0.01))
    edited = _with_touchpoints(j, list(j.touchpoints), trs)
    jm.save(edited, path)
    after = path.read_text(encoding="utf-8")
    changed = _changed_lines(before, after)
    assert changed == [
        "-   - {from: wom_colleague, to: website_product, share: 0.30, context: none, recognised: false}",
        "+   - {from: wom_colleague, to: website_product, share: 0.25, context: none, recognised: false}",
        f"+   - {{from: {first}, to: {second}, share: 0.01}}",
    ]
    assert jm.load(path) == edited


def test_reorder_remove_and_insert_touchpoints_keep_their_comments(tmp_path):
    path = _copy(COMMENTED, tmp_path)
    before = path.read_text(encoding="utf-8")
    j = jm.load(path)
    tps = list(j.touchpoints)
    purchase = next(i for i, tp in enumerate(tps) if tp.stage == "purchase")  # "# --- Purchase ---" is above it
    removed = tps.pop(purchase)
    tps.insert(1, tps.pop(-1))
    tps.insert(3, tps[3].model_copy(update={"id": "new_tp", "pain_points": [], "action": "Brand new"}))
    edited = _with_touchpoints(j, tps)
    jm.save(edited, path)
    after = path.read_text(encoding="utf-8")
    assert jm.load(path) == edited
    assert f"- id: {removed.id}\n" not in after
    for line in before.splitlines():
        if line.lstrip().startswith("#"):
            assert line in after.splitlines(), line
    # the section comment now introduces the touchpoint that followed the removed one
    section = after.index("# --- Purchase ---")
    assert after[section:].split("\n")[1].strip() == f"- id: {j.touchpoints[purchase + 1].id}"
    assert "  - id: new_tp\n    stage:" in after


TRICKY = ["yes", "on", "No", "1e3", "0o12", "012", "0x1F", "1:20", "2024-01-01", "2024-01-01 10:00:00", "~", "null",
          ".inf", "=", "<<", " lead", "trail ", "#x", "- a", "a: b", "{x}", "[1]", "'q'", '"dq"', "@at", "`b`",
          "% p", "line\u2028sep", "next\x85line", "bell\x07", "tab\tin", "two\nlines", "é ünï 中文", "\ufeffbom"]


@pytest.mark.parametrize("value", TRICKY)
def test_values_pyyaml_reads_differently_are_quoted_so_load_reads_them_back(value, tmp_path):
    path = _copy(COMMENTED, tmp_path)
    j = jm.load(path)
    tps = list(j.touchpoints)
    tps[0] = tps[0].model_copy(update={"thoughts": value, "backstage": [value, "plain"]})
    edited = _with_touchpoints(j, tps)
    jm.save(edited, path)
    assert jm.load(path) == edited
    assert path.read_text(encoding="utf-8").startswith("# yaml-language-server: $schema=")  # merged, not fallback


def test_new_file_json_and_unreadable_file_get_the_canonical_layout(tmp_path):
    j = jm.load(_copy(COMMENTED, tmp_path))
    canonical = jio.dumps(jio._journey_data(j, tmp_path / "new.yaml", None), ".yaml")
    jm.save(j, tmp_path / "new.yaml")
    assert (tmp_path / "new.yaml").read_text(encoding="utf-8") == canonical
    broken = tmp_path / "broken.yaml"
    broken.write_text("# a comment\nid: [unclosed\n", encoding="utf-8")
    jm.save(j, broken)
    assert broken.read_text(encoding="utf-8") == canonical
    listed = tmp_path / "list.yaml"
    listed.write_text("# a list, not a journey\n- 1\n", encoding="utf-8")
    jm.save(j, listed)
    assert listed.read_text(encoding="utf-8") == canonical
    (tmp_path / "j.json").write_text('{"id": "x"}\n', encoding="utf-8")
    jm.save(j, tmp_path / "j.json")
    assert jm.load(tmp_path / "j.json") == j and (tmp_path / "j.json").read_text().startswith("{\n  ")


def test_a_merge_that_would_not_read_back_falls_back_to_the_canonical_dump(tmp_path, monkeypatch):
    path = _copy(COMMENTED, tmp_path)
    j = jm.load(path)
    edited = j.model_copy(update={"title": "Changed"})
    monkeypatch.setattr(roundtrip, "merge_text", lambda old, new, meaning: old)  # "forgets" the edit
    jm.save(edited, path)
    assert jm.load(path) == edited
    assert path.read_text(encoding="utf-8") == jio.dumps(jio._journey_data(edited, path, None), ".yaml")


def test_implied_and_explicit_default_fields_stay_as_the_user_wrote_them(base, write, tmp_path):
    text = ("# my journey\nid: mini\ntitle: Mini  # short\nlang: en\nstate: current\n"
            "stages:\n- id: s1\n  name: One\n- id: s2\n  name: Two\n"
            "touchpoints:\n- id: a\n  stage: s1\n  channel: email\n  action: Read\n"
            "- id: b\n  stage: s2\n  channel: website\n  action: Buy\n  evidence: observed\n")
    path = write(text, "mini.yaml")
    j = jm.load(path)
    tps = list(j.touchpoints)
    tps[1] = tps[1].model_copy(update={"emotion": 1.5})
    edited = _with_touchpoints(j, tps)
    jm.save(edited, path)
    after = path.read_text(encoding="utf-8")
    assert after == text + "  emotion: 1.5\n"  # no `order:`, no `transitions:`, `lang: en` kept, indent kept
    assert jm.load(path) == edited


def test_mode_and_symlink_are_kept_on_a_merged_save(tmp_path):
    path = _copy(COMMENTED, tmp_path)
    os.chmod(path, 0o640)
    link = tmp_path / "link.yaml"
    link.symlink_to(path.name)
    j = jm.load(link)
    edited = j.model_copy(update={"title": "Renamed"})
    jm.save(edited, link)
    assert link.is_symlink() and os.stat(path).st_mode & 0o777 == 0o640
    assert jm.load(path) == edited and path.read_text(encoding="utf-8").startswith("# yaml-language-server")


def test_importing_journeymap_does_not_import_ruamel():
    import subprocess
    import sys

    code = "import sys, journeymap; print('ruamel' in ' '.join(sys.modules))"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "False"


# -- property: random edits to a shipped, commented journey ------------------------------------------
_ORIGINAL = COMMENTED.read_text(encoding="utf-8")
_FULL_LINE = [line for line in _ORIGINAL.splitlines() if line.lstrip().startswith("#")]
_EOL = re.compile(r"\S.*?\s(#\s.*)$")
text = st.text(min_size=1, max_size=30)
edits = st.lists(st.one_of(
    st.tuples(st.just("emotion"), st.integers(0, 99), st.sampled_from([-2.0, -0.5, 0.0, 1.0, 1.5])),
    st.tuples(st.just("action"), st.integers(0, 99), text),
    st.tuples(st.just("backstage"), st.integers(0, 99), st.lists(text, max_size=3)),
    st.tuples(st.just("swap"), st.integers(0, 99), st.integers(0, 99)),
    st.tuples(st.just("delete"), st.integers(0, 99), st.none()),
    st.tuples(st.just("insert"), st.integers(0, 99), text),
    st.tuples(st.just("title"), st.just(0), text),
), min_size=1, max_size=6)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(edits)
def test_random_edits_to_a_commented_journey_read_back_exactly_and_keep_comments(steps):
    with tempfile.TemporaryDirectory() as tmp:
        path = _copy(COMMENTED, Path(tmp))
        j = jm.load(path)
        tps, title, deleted, fresh = list(j.touchpoints), j.title, set(), 0
        for kind, at, value in steps:
            i = at % len(tps)
            if kind == "emotion":
                tps[i] = tps[i].model_copy(update={"emotion": value})
            elif kind in ("action", "backstage"):
                tps[i] = tps[i].model_copy(update={kind: value})
            elif kind == "swap":
                k = value % len(tps)
                tps[i], tps[k] = tps[k], tps[i]
            elif kind == "delete" and len(tps) > 2 and i < len(tps) - 1:  # the last one's lead comment may go
                deleted.add(tps.pop(i).id)
            elif kind == "insert":
                fresh += 1
                tps.insert(i, tps[i].model_copy(update={"id": f"fresh_{fresh}", "action": value, "pain_points": []}))
            elif kind == "title":
                title = value
        edited = _with_touchpoints(j.model_copy(update={"title": title}), tps)
        jm.save(edited, path)
        after = path.read_text(encoding="utf-8")
        assert jm.load(path) == edited
        lines = after.splitlines()
        for line in _FULL_LINE:
            assert line in lines, line
        for comment in _eol_comments_outside(deleted):
            assert comment in after, comment


def _eol_comments_outside(deleted: set[str]) -> list[str]:
    """End-of-line comments of the original file, except those inside a deleted touchpoint."""
    found, inside = [], False
    for line in _ORIGINAL.splitlines():
        item = re.match(r"  - id: (\S+)$", line)
        if item or not line.startswith("  "):
            inside = bool(item) and item.group(1) in deleted
        m = _EOL.match(line)
        if m and not line.lstrip().startswith("#") and not inside:
            found.append(m.group(1))
    return found


def test_the_editor_session_save_keeps_the_file_too(tmp_path):
    from journeymap.widgets.session import EditSession

    path = _copy(ROOT / "data" / "journeys" / "retail_bopis_omnichannel.yaml", tmp_path)
    before = path.read_text(encoding="utf-8")
    session = EditSession(path)
    tp = session.journey.touchpoints[3]
    assert session.set_touchpoint(tp.id, emotion=-1.0) == []
    session.save()
    after = path.read_text(encoding="utf-8")
    assert _changed_lines(before, after) == [f"-     emotion: {_num(tp.emotion)}", "+     emotion: -1"]
    assert jm.load(path) == session.journey
