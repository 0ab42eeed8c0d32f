"""Issue 11, journey files: hostile or careless files give one-line problems, never tracebacks or guesses."""

from __future__ import annotations

import json
import os
import time
from pathlib import Path

import pytest
import yaml

import journeymap as jm
from journeymap.io import atomic_write
from journeymap.scoring import EndlessLoopError, Weights, load_weights

SECRET = "hunter2-top-secret"

BASE = {
    "id": "demo", "title": "Demo",
    "stages": [{"id": "aware", "name": "Aware"}, {"id": "buy", "name": "Buy"}],
    "touchpoints": [
        {"id": "resena_web", "stage": "aware", "channel": "website", "action": "Reads reviews"},
        {"id": "tienda", "stage": "buy", "channel": "store", "action": "Buys"},
        {"id": "app", "stage": "buy", "channel": "mobile_app", "action": "Pays"},
    ],
}


def _data(**changes):
    data = json.loads(json.dumps(BASE))
    data.update(changes)
    return data


@pytest.fixture
def folder(tmp_path):
    (tmp_path / "personas").mkdir()
    (tmp_path / "secret.yaml").write_text(f"secret_key: {SECRET}\nname: {SECRET}\n")
    return tmp_path


def _write(path: Path, data) -> Path:
    path.write_text(json.dumps(data) if path.suffix == ".json" else yaml.safe_dump(data, sort_keys=False))
    return path


def _one_line(problems) -> str:
    assert problems, "expected a problem"
    text = "\n".join(str(p) for p in problems)
    assert "Traceback" not in text
    return text


# -- 1. persona references stay inside personas/ ---------------------------------------
@pytest.mark.parametrize("ref", ["../secret", "../../x", "/etc/passwd", str(Path("/tmp") / "secret"), "..\\x",
                                 "personas/../secret", "a/b", "x\n", ".hidden", ""])
def test_persona_reference_must_be_an_id(folder, ref):
    path = _write(folder / "j.yaml", _data(persona=ref))
    (problem,) = jm.validate(path)
    assert problem.path == "persona" and "must be an id" in problem.message
    assert path.read_text().splitlines()[problem.line - 1].startswith("persona:")
    assert SECRET not in str(problem) and "secret_key" not in str(problem)


def test_persona_symlink_pointing_outside_is_refused(folder):
    (folder / "personas" / "evil.yaml").symlink_to(folder / "secret.yaml")
    path = _write(folder / "j.yaml", _data(persona="evil"))
    (problem,) = jm.validate(path)
    assert problem.path == "persona" and "outside" in problem.message
    assert SECRET not in str(problem) and "secret_key" not in str(problem)
    assert jm.io.find_persona("evil", folder) is None


def test_persona_symlink_inside_the_folder_is_fine(folder):
    _write(folder / "personas" / "real.yaml", {"id": "real", "name": "Real"})
    (folder / "personas" / "alias.yaml").symlink_to(folder / "personas" / "real.yaml")
    assert jm.load(_write(folder / "j.yaml", _data(persona="alias"))).persona_obj().name == "Real"


def test_invalid_persona_file_is_named_and_nothing_else_leaks(folder):
    _write(folder / "personas" / "bad.yaml", {"id": "bad", "name": "Bad", "effort": 3})
    path = _write(folder / "j.yaml", _data(persona="bad", title=SECRET))
    problems = jm.validate(path)
    text = _one_line(problems)
    assert all(p.file.endswith(os.path.join("personas", "bad.yaml")) for p in problems)
    assert SECRET not in text


# -- 2. hostile files never traceback ---------------------------------------------------------
def _hostile(tmp_path, name, content) -> list:
    path = tmp_path / name
    if isinstance(content, bytes):
        path.write_bytes(content)
    else:
        path.write_text(content)
    problems = jm.validate(path)
    text = _one_line(problems)
    assert len(problems) == 1 and "\n" not in text
    return problems


@pytest.mark.parametrize("suffix", ["yaml", "json"])
def test_5000_digit_integer(tmp_path, suffix):
    data = _data()
    data["touchpoints"][0]["effort"] = 7
    text = json.dumps(data, indent=1) if suffix == "json" else yaml.safe_dump(data)
    text = text.replace("7", "9" * 5000, 1)
    (problem,) = _hostile(tmp_path, f"big.{suffix}", text)
    assert "5000 digits" in problem.message and problem.line is not None


def test_deeply_nested_json(tmp_path):
    (problem,) = _hostile(tmp_path, "deep.json", '{"id": ' + "[" * 100_000 + "]" * 100_000 + "}")
    assert "nested too deeply" in problem.message and problem.line == 1


def test_deeply_nested_yaml(tmp_path):
    (problem,) = _hostile(tmp_path, "deep.yaml", "id: " + "[" * 100_000 + "]" * 100_000 + "\n")
    assert "nest" in problem.message


def test_yaml_alias_bomb_is_refused(tmp_path):
    lines = ['a0: &a0 ["lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol"]']
    for i in range(1, 10):
        lines.append(f"a{i}: &a{i} [" + ", ".join([f"*a{i - 1}"] * 9) + "]")
    lines.append("id: *a9")
    (problem,) = _hostile(tmp_path, "bomb.yaml", "\n".join(lines) + "\n")
    assert "aliases expand" in problem.message


def test_recursive_yaml_alias_is_refused(tmp_path):
    (problem,) = _hostile(tmp_path, "rec.yaml", "id: &x [1, *x]\n")
    assert "refers to itself" in problem.message


def test_small_aliases_still_work(tmp_path):
    text = yaml.safe_dump(_data()).replace("channel: website", "channel: &w website", 1)
    text = text.replace("channel: store", "channel: *w")
    assert jm.load(_write_text(tmp_path / "ok.yaml", text)).touchpoints[1].channel == "website"


def _write_text(path, text):
    path.write_text(text)
    return path


@pytest.mark.parametrize("suffix", ["yaml", "json"])
def test_non_utf8_bytes(tmp_path, suffix):
    (problem,) = _hostile(tmp_path, f"bad.{suffix}", b'{"id": "d",\n"title": "\xff\xfe"}\n')
    assert "UTF-8" in problem.message and problem.line == 2


def test_directory_instead_of_file(tmp_path):
    (tmp_path / "dir.yaml").mkdir()
    (problem,) = jm.validate(tmp_path / "dir.yaml")
    assert "folder" in problem.message


# -- 3. no guesses ---------------------------------------------------------------------------------
def test_duplicate_yaml_key_is_an_error_with_its_line(tmp_path):
    text = yaml.safe_dump(_data(), sort_keys=False).replace("title: Demo\n", "title: Demo\ntitle: Other\n")
    (problem,) = jm.validate(_write_text(tmp_path / "d.yaml", text))
    assert "duplicate key 'title'" in problem.message and problem.line == 3


def test_duplicate_json_key_is_an_error_with_its_line(tmp_path):
    text = json.dumps(_data(), indent=1).replace('"title": "Demo",', '"title": "Demo",\n "title": "Other",')
    (problem,) = jm.validate(_write_text(tmp_path / "d.json", text))
    assert "duplicate key 'title'" in problem.message and problem.line == 4


@pytest.mark.parametrize("suffix", ["yaml", "json"])
@pytest.mark.parametrize("field", ["emotion", "effort", "wait_min", "entry_share"])
def test_true_false_is_not_a_number(tmp_path, suffix, field):
    data = _data()
    data["touchpoints"][1][field] = True
    (problem,) = jm.validate(_write(tmp_path / f"b.{suffix}", data))
    assert problem.path == f"touchpoints[1].{field}" and "not true/false" in problem.message
    assert problem.line is not None


@pytest.mark.parametrize("literal", [".inf", ".nan", "1e400", "-.inf"])
def test_non_finite_numbers_in_yaml(tmp_path, literal):
    text = yaml.safe_dump(_data()).replace("action: Buys", f"action: Buys\n  emotion: {literal}")
    (problem,) = jm.validate(_write_text(tmp_path / "n.yaml", text))
    assert problem.path == "touchpoints[1].emotion" and "finite" in problem.message


@pytest.mark.parametrize("literal", ["NaN", "Infinity", "-Infinity", "1e400"])
def test_non_finite_numbers_in_json(tmp_path, literal):
    text = json.dumps(_data()).replace('"action": "Buys"', f'"action": "Buys", "wait_min": {literal}')
    (problem,) = jm.validate(_write_text(tmp_path / "n.json", text))
    assert problem.path == "touchpoints[1].wait_min" and "finite" in problem.message


def test_entry_shares_over_one(tmp_path):
    data = _data()
    data["touchpoints"][0]["entry_share"] = 0.7
    data["touchpoints"][2]["entry_share"] = 0.6
    (problem,) = jm.validate(_write(tmp_path / "e.yaml", data))
    assert problem.path == "touchpoints[0].entry_share" and problem.value == 1.3 and "at most 1" in problem.message


@pytest.mark.parametrize("weights", [{"effort": float("inf")}, {"pain": float("nan")}, {"wait": -0.1},
                                     {"handoff": True}, {"effort": 1e308, "pain": 1e308}])
def test_bad_weights_are_errors(weights):
    j = jm.Journey.model_validate(_data())
    with pytest.raises(jm.JourneyError):
        jm.score(j, weights=weights)
    with pytest.raises(jm.JourneyError):
        load_weights(weights)


@pytest.mark.parametrize("text, words", [("effort: .inf\n", "finite"), ("effort: .nan\n", "finite"),
                                         ("effort: true\n", "true/false"), ("pain: 1\npain: 2\n", "duplicate"),
                                         ("pain: -1\n", "greater than")])
def test_bad_weights_files(tmp_path, text, words):
    path = _write_text(tmp_path / "w.yaml", text)
    with pytest.raises(jm.JourneyError, match=words) as info:
        load_weights(path)
    assert info.value.problems[0].line is not None


def test_weights_json_file(tmp_path):
    assert load_weights(_write_text(tmp_path / "w.json", '{"pain": 0.5}')) == Weights(pain=0.5)


# -- 4. loops customers can never leave -------------------------------------------------------
LOOP = [{"from": "resena_web", "to": "tienda"}, {"from": "tienda", "to": "app"}, {"from": "app", "to": "tienda"}]


def test_validate_reports_the_loop_the_scorer_rejects(tmp_path):
    path = _write(tmp_path / "loop.yaml", _data(transitions=LOOP))
    (problem,) = jm.validate(path)
    assert problem.path == "transitions[1]" and "loop forever" in problem.message and problem.line is not None
    assert "app, tienda" in problem.message


def test_score_of_a_closed_loop_is_a_journey_error():
    j = jm.Journey.model_validate(_data(transitions=LOOP))  # in memory (what-if, editor): allowed
    with pytest.raises(jm.JourneyError, match="loop forever") as info:
        jm.score(j)
    assert isinstance(info.value, EndlessLoopError) and "\n" not in str(info.value)


def test_a_loop_with_a_way_out_scores():
    transitions = [*LOOP[:2], {"from": "app", "to": "tienda", "share": 0.5}]
    report = jm.score(jm.Journey.model_validate(_data(transitions=transitions)))
    assert report.reach["tienda"] == pytest.approx(2.0) and report.reach["app"] == pytest.approx(2.0)


def test_touchpoint_lookup_follows_changes():
    j = jm.Journey.model_validate(_data())
    assert j.touchpoint("app").action == "Pays"
    j.touchpoints.reverse()
    assert j.touchpoint("app") is j.touchpoints[0]
    j.touchpoints.pop(0)
    with pytest.raises(KeyError):
        j.touchpoint("app")


def test_big_journey_scores_with_a_large_loop():
    """A 3,000-touchpoint loop would be a 27-billion-step dense solve; the sparse solve is exact."""
    n = 3000
    tps = [{"id": f"t{i}", "stage": "aware", "channel": "website", "action": "x"} for i in range(n)]
    transitions = [{"from": f"t{i}", "to": f"t{i + 1}"} for i in range(n - 1)]
    transitions.append({"from": f"t{n - 1}", "to": "t0", "share": 0.5})
    j = jm.Journey.model_validate(_data(touchpoints=tps, transitions=transitions))
    reach = jm.scoring.visits(j)
    assert reach["t0"] == pytest.approx(2.0) and reach[f"t{n - 1}"] == pytest.approx(2.0)


# -- 5. errors people can act on ---------------------------------------------------------------
def test_json_field_errors_carry_lines(tmp_path):
    data = _data()
    data["touchpoints"][2]["emotion"] = 9
    path = _write_text(tmp_path / "f.json", json.dumps(data, indent=2))
    (problem,) = jm.validate(path)
    assert '"emotion": 9' in path.read_text().splitlines()[problem.line - 1]


def test_field_required_follows_the_format(tmp_path):
    data = _data()
    del data["touchpoints"][1]["action"]
    (problem,) = jm.validate(_write(tmp_path / "r.yaml", data))
    assert str(problem).endswith("touchpoints[1].action: field required (got nothing)")
    assert problem.line is not None


def test_inline_persona_errors_follow_the_format(tmp_path):
    problems = jm.validate(_write(tmp_path / "p.yaml", _data(persona=["a", "b"])))
    (problem,) = problems
    assert str(problem).endswith("persona: expected a persona id or an inline persona (a mapping with id, "
                                 "name, …) (got a list of 2 items)")
    problems = jm.validate(_write(tmp_path / "p.yaml", _data(persona={"name": "P", "goals": 3,
                                                                      "preferred_channels": ["fax"]})))
    assert {p.path for p in problems} == {"persona.id", "persona.goals", "persona.preferred_channels[0]"}
    assert all(p.line is not None and p.message[0].islower() for p in problems)


def test_unknown_id_suggests_the_closest(tmp_path):
    data = _data(transitions=[{"from": "resena_wb", "to": "tienda"}])
    data["touchpoints"][1]["stage"] = "buyy"
    problems = {p.path: p for p in jm.validate(_write(tmp_path / "s.yaml", data))}
    assert "did you mean 'resena_web'?" in problems["transitions[0].from"].message
    assert "did you mean 'buy'?" in problems["touchpoints[1].stage"].message


def test_missing_colon_points_at_its_line(tmp_path):
    text = yaml.safe_dump(_data(), sort_keys=False).replace("  channel: store\n", "  channel store\n")
    path = _write_text(tmp_path / "c.yaml", text)
    (problem,) = jm.validate(path)
    assert path.read_text().splitlines()[problem.line - 1].strip() == "channel store"


# -- 6. files stay safe ---------------------------------------------------------------------------
def test_stale_temp_files_are_removed(tmp_path):
    target = tmp_path / "trip.yaml"
    stale = tmp_path / ".trip.yaml.abc123.tmp"
    dead = tmp_path / f".trip.yaml.{2**22 + 12345}.xyz.tmp"
    fresh = tmp_path / ".trip.yaml.fresh.tmp"
    other = tmp_path / ".other.yaml.old.tmp"
    for f in (stale, dead, fresh, other):
        f.write_text("half a file")
    old = time.time() - 3600
    for f in (stale, dead, other):
        os.utime(f, (old, old))
    atomic_write(target, "x: 1\n")
    assert not stale.exists() and not dead.exists()
    assert fresh.exists() and other.exists() and target.read_text() == "x: 1\n"


def test_save_keeps_the_file_mode(tmp_path):
    path = tmp_path / "j.yaml"
    jm.save(jm.Journey.model_validate(_data()), path)
    path.chmod(0o600)
    jm.save(jm.Journey.model_validate(_data(title="Other")), path)
    assert (path.stat().st_mode & 0o777) == 0o600 and jm.load(path).title == "Other"


def test_save_writes_through_a_symlink(tmp_path):
    real = tmp_path / "real" / "j.yaml"
    real.parent.mkdir()
    jm.save(jm.Journey.model_validate(_data()), real)
    link = tmp_path / "link.yaml"
    link.symlink_to(real)
    jm.save(jm.Journey.model_validate(_data(title="Through")), link)
    assert link.is_symlink() and jm.load(real).title == "Through"
    assert not list(tmp_path.glob(".*.tmp")) and not list(real.parent.glob(".*.tmp"))
