"""Health checks (issue 16 part 3): jm.check and `journeymap check`."""

from __future__ import annotations

import copy
import json
from pathlib import Path

import pytest
import yaml

import journeymap as jm
from journeymap.checks import CHECKS, Findings, check
from journeymap.cli import main
from journeymap.i18n import _TABLE

ROOT = Path(__file__).resolve().parents[1]


def _clean() -> dict:
    """A journey every check is quiet on."""
    def tp(i, stage, channel, action, **kw):
        return {"id": i, "stage": stage, "channel": channel, "action": action, "emotion": 0, "effort": 2,
                "evidence": "observed", **kw}

    return {
        "id": "clean", "title": "Clean",
        "stages": [{"id": "find", "name": "Find", "metrics": {"nps": 10, "nps_n": 120}},
                   {"id": "buy", "name": "Buy"}],
        "touchpoints": [
            tp("ad", "find", "instagram", "See an advert for the shoes"),
            tp("site", "find", "website", "Compare prices on the website",
               pain_points=[{"id": "slow", "text": "Pages load slowly", "evidence": "observed"}],
               metrics={"csat": 80, "csat_n": 45}),
            tp("pay", "buy", "website", "Pay online", conversion=True),
            tp("review", "buy", "email", "Write a review after delivery"),
        ],
        "transitions": [
            {"from": "ad", "to": "site", "context": "partial", "evidence": "observed"},
            {"from": "site", "to": "pay", "share": 0.6, "evidence": "observed"},
            {"from": "pay", "to": "review", "share": 0.3, "context": "full", "evidence": "observed"},
        ],
        "opportunities": [{"id": "cdn", "text": "Serve images from a CDN", "addresses": ["slow"]}],
    }


def _journey(data: dict) -> jm.Journey:
    return jm.Journey.model_validate(data)


def _codes(found) -> list[tuple[str, str, str]]:
    return [(f.code, f.severity, f.where) for f in found]


def test_clean_journey_has_no_findings():
    found = check(_journey(_clean()))
    assert list(found) == []
    assert found.worst is None
    assert str(found) == "no findings"


def _mutate(fn) -> Findings:
    data = copy.deepcopy(_clean())
    fn(data)
    return check(_journey(data))


def test_pain_without_opportunity():
    found = _mutate(lambda d: d["opportunities"][0].update(addresses=[]))
    assert ("pain-without-opportunity", "warning", "slow") in _codes(found)


def test_opportunity_addressing_nothing():
    found = _mutate(lambda d: d["opportunities"][0].update(addresses=[]))
    assert ("opportunity-addresses-nothing", "warning", "cdn") in _codes(found)


def test_emotion_not_set_is_told_from_an_explicit_neutral():
    found = _mutate(lambda d: d["touchpoints"][1].pop("emotion"))
    assert _codes(found) == [("emotion-not-set", "warning", "site")]
    # emotion: 0 written out (the clean journey) is not flagged; a measured emotion counts as set too
    def measured(d):
        d["touchpoints"][1].pop("emotion")
        d["touchpoints"][1]["measured"] = ["emotion"]
    assert list(_mutate(measured)) == []


def test_effort_not_set():
    found = _mutate(lambda d: d["touchpoints"][0].pop("effort"))
    assert _codes(found) == [("effort-not-set", "warning", "ad")]


def test_dead_end_not_marked_conversion():
    def branch(d):
        d["touchpoints"].append({"id": "leave", "stage": "buy", "channel": "website", "action": "Close the tab",
                                 "emotion": -1, "effort": 1, "evidence": "observed"})
        d["transitions"].append({"from": "site", "to": "leave", "share": 0.4, "evidence": "observed"})
    found = _mutate(branch)
    assert _codes(found) == [("dead-end-not-conversion", "warning", "leave")]


def test_exit_after_conversion_and_journeys_without_conversion_are_no_dead_ends():
    assert "dead-end-not-conversion" not in {f.code for f in check(_journey(_clean()))}  # review follows pay
    found = _mutate(lambda d: d["touchpoints"][2].pop("conversion"))
    assert "dead-end-not-conversion" not in {f.code for f in found}


def test_unreachable_touchpoint_is_an_error():
    def island(d):
        d["touchpoints"][0]["entry_share"] = 1.0
        d["touchpoints"].append({"id": "lost", "stage": "buy", "channel": "store", "action": "Visit a store",
                                 "emotion": 1, "effort": 3, "evidence": "observed", "conversion": True})
    found = _mutate(island)
    assert _codes(found)[0] == ("unreachable-touchpoint", "error", "lost")
    assert found.worst == "error"
    assert "(ad)" in found[0].message


def test_stage_with_no_touchpoints():
    found = _mutate(lambda d: d["stages"].append({"id": "loyal", "name": "Loyalty"}))
    assert _codes(found) == [("stage-without-touchpoints", "warning", "loyal")]


def test_channel_switch_with_no_context_stated():
    found = _mutate(lambda d: d["transitions"][0].pop("context"))
    assert _codes(found) == [("channel-switch-no-context", "warning", "ad->site")]
    # a same-channel move with no context is fine (site -> pay is website -> website in the clean journey)


def test_omitted_transitions_state_no_context():
    found = _mutate(lambda d: d.pop("transitions"))
    assert {f.where for f in found if f.code == "channel-switch-no-context"} == {"ad->site", "pay->review"}


def test_share_of_friction_on_assumed_evidence():
    def assumed(d):
        for tp in d["touchpoints"]:
            tp["evidence"] = "assumed"
        d["touchpoints"][1]["pain_points"][0]["evidence"] = "assumed"
    found = _mutate(assumed)
    hit = [f for f in found if f.code == "assumed-friction"]
    assert [(f.severity, f.where) for f in hit] == [("warning", "clean")]
    assert "100%" in hit[0].message and "50%" in hit[0].message


def test_survey_metrics_with_small_n():
    def small(d):
        d["touchpoints"][1]["metrics"]["csat_n"] = 12
        d["stages"][1]["metrics"] = {"ces": 3.0, "responses": 29}
    found = _mutate(small)
    assert _codes(found) == [("small-survey-sample", "warning", "buy"), ("small-survey-sample", "warning", "site")]
    assert "CSAT" in found[1].message and "n=12" in found[1].message


def test_duplicate_and_near_duplicate_texts():
    def dupes(d):
        d["touchpoints"][3]["action"] = "  pay   ONLINE "
        d["opportunities"].append({"id": "cdn2", "text": "Serve the images from a CDN", "addresses": ["slow"]})
    found = _mutate(dupes)
    assert _codes(found) == [("duplicate-text", "warning", "pay, review"), ("duplicate-text", "warning", "cdn, cdn2")]
    assert "100%" in found[0].message


def test_different_texts_are_not_duplicates():
    found = _mutate(lambda d: d["touchpoints"][3].update(action="Pay in the store"))
    assert "duplicate-text" not in {f.code for f in found}


def test_findings_in_spanish_and_one_line_each():
    data = _clean()
    data["stages"].append({"id": "fid", "name": "Fidelidad\n\x1b[2Jx"})
    data["opportunities"][0]["addresses"] = []
    found = check(_journey(data), lang="es")
    assert found.summary() == "0 errores, 3 avisos, 0 notas"
    text = str(found)
    assert "\x1b" not in text and len(text.splitlines()) == 1 + len(found)
    assert "no tiene puntos de contacto" in text and text.splitlines()[1].startswith("aviso ")
    assert "Añade" in found[0].fix


def test_findings_frame_and_lazy_attribute():
    j = _journey(_clean())
    found = jm.check(j.model_copy(update={"stages": [*j.stages, jm.Stage(id="x", name="X")]}))
    frame = found.to_frame()
    assert list(frame.columns) == ["code", "severity", "where", "message", "why", "fix"]
    assert frame.loc[0, "code"] == "stage-without-touchpoints"
    assert found.to_records()[0]["where"] == "x"


def test_every_check_has_text_in_both_languages_and_a_doc_entry():
    doc = (ROOT / "docs" / "checks.md").read_text(encoding="utf-8")
    for code in CHECKS:
        for part in ("msg", "why", "fix"):
            key = f"chk_{code.replace('-', '_')}_{part}"
            assert key in _TABLE and all(_TABLE[key]), key
        assert f"`{code}`" in doc, code


# -- the command --------------------------------------------------------------------------------------
def _write(tmp_path: Path, data: dict, name: str = "j.yaml") -> str:
    path = tmp_path / name
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    return str(path)


def test_cli_shipped_journeys_pass(capsys):
    files = sorted(str(p) for p in (ROOT / "data" / "journeys").glob("*.yaml"))
    assert files
    assert main(["check", *files]) == 0
    out = capsys.readouterr().out
    assert all(f"{name}:" in out for name in files)


def test_cli_warnings_pass_unless_strict(tmp_path, capsys):
    data = _clean()
    data["stages"].append({"id": "loyal", "name": "Loyalty"})
    name = _write(tmp_path, data)
    assert main(["check", name]) == 0
    assert main(["check", "--strict", name]) == 1
    out = capsys.readouterr().out
    assert "warning stage-without-touchpoints loyal:" in out


def test_cli_errors_fail_and_json(tmp_path, capsys):
    data = _clean()
    data["touchpoints"][0]["entry_share"] = 1.0
    data["touchpoints"].append({"id": "lost", "stage": "buy", "channel": "store", "action": "Visit",
                                "emotion": 1, "effort": 3, "evidence": "observed"})
    bad, good = _write(tmp_path, data, "bad.yaml"), _write(tmp_path, _clean(), "good.yaml")
    assert main(["check", "--format", "json", good, bad]) == 1
    doc = json.loads(capsys.readouterr().out)
    assert [d["file"] for d in doc] == [good, bad]
    assert doc[0]["findings"] == [] and doc[1]["errors"] == 1
    assert doc[1]["findings"][0]["code"] == "unreachable-touchpoint"


def test_cli_invalid_and_missing_files_are_errors_without_traceback(tmp_path, capsys):
    data = _clean()
    data["touchpoints"][0]["effort"] = 9
    name = _write(tmp_path, data)
    assert main(["check", "--lang", "es", name, str(tmp_path / "nope.yaml")]) == 1
    captured = capsys.readouterr()
    assert "Traceback" not in captured.out + captured.err
    assert "error invalid-file touchpoints[0].effort:" in captured.out
    assert "nope.yaml" in captured.out and "0 errores" not in captured.out


def test_cli_usage_error(capsys):
    with pytest.raises(SystemExit) as exc:
        main(["check", "--format", "xml", "x.yaml"])
    assert exc.value.code == 2


def test_near_duplicate_prefilter_finds_exactly_what_difflib_finds():
    import difflib
    import random

    from journeymap.checks_rules import NEAR, _norm, _similar

    rng = random.Random(7)
    words = ["pay", "pays", "online", "in", "store", "the", "card", "app", "wait", "queue"]
    items = [(f"x{i}", " ".join(rng.choices(words, k=rng.randint(2, 5)))) for i in range(150)]
    brute = []
    for i in range(len(items)):
        for j in range(i + 1, len(items)):
            ratio = difflib.SequenceMatcher(None, _norm(items[i][1]), _norm(items[j][1]), autojunk=False).ratio()
            if ratio >= NEAR:
                brute.append((items[i][0], items[j][0]))
    found = [(a, b) for a, b, _ in _similar(items)]
    assert brute and found == brute


@pytest.mark.parametrize("content", [b"", b"- [", b"[1, 2]", b"\xff\xfe\x00bad", b"id: x\ntitle: y\n"])
def test_cli_garbage_files_are_invalid_file_errors(tmp_path, capsys, content):
    path = tmp_path / "bad.yaml"
    path.write_bytes(content)
    assert main(["check", str(path)]) == 1
    captured = capsys.readouterr()
    assert "Traceback" not in captured.out + captured.err and "internal error" not in captured.err
    assert "error invalid-file" in captured.out


def test_cli_control_characters_in_journey_text_do_not_reach_the_terminal(tmp_path, capsys):
    data = _clean()
    data["touchpoints"][1]["pain_points"][0]["text"] = "Pages load\x1b]0;owned\x07 slowly"
    data["stages"].append({"id": "loyal", "name": "Loyal\u202etxt.exe\nnext"})
    data["opportunities"][0]["addresses"] = []
    data["opportunities"][0]["text"] = "Pages load slowly"  # duplicates count within a kind only
    assert main(["check", _write(tmp_path, data)]) == 0
    out = capsys.readouterr().out
    assert "\x1b" not in out and "\x07" not in out and "\u202e" not in out
    lines = [line for line in out.splitlines() if line.startswith("  ")]
    assert len(lines) == 3 and any("Pages load]0;owned slowly" in line for line in lines)
