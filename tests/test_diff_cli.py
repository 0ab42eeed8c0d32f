"""``journeymap diff A B`` (issue 17, part 4): files and git revisions (``REV:PATH``), text/JSON/HTML, one-line errors.

Each git test builds its own repository in a temp folder (git is installed) with two commits of a journey.
"""

from __future__ import annotations

import json
import os
import subprocess

import pytest
import yaml

import journeymap as jm
from journeymap.cli import main

GIT_ENV = {**os.environ, "GIT_AUTHOR_NAME": "t", "GIT_AUTHOR_EMAIL": "t@example.org", "GIT_COMMITTER_NAME": "t",
           "GIT_COMMITTER_EMAIL": "t@example.org", "GIT_CONFIG_NOSYSTEM": "1"}


def git(repo, *args: str) -> None:
    subprocess.run(["git", *args], cwd=repo, env=GIT_ENV, check=True, capture_output=True)


@pytest.fixture
def repo(tmp_path, monkeypatch):
    """A git repo whose journey.yaml gained a touchpoint and a new title in its second commit; cwd is the repo."""
    root = tmp_path / "repo"
    (root / "maps").mkdir(parents=True)
    journey = root / "maps" / "journey.yaml"
    journey.write_text(jm.shipped_journey("hotel_stay").read_text(encoding="utf-8"), encoding="utf-8")
    git(root, "init", "-q")
    git(root, "add", ".")
    git(root, "commit", "-q", "-m", "one")
    data = yaml.safe_load(journey.read_text(encoding="utf-8"))
    data["title"] = "Hotel stay, after the workshop"
    last = data["touchpoints"][-1]
    data["touchpoints"].append({"id": "thank_you_note", "stage": last["stage"], "channel": "email",
                                "action": "Gets a thank-you note"})
    data["transitions"].append({"from": last["id"], "to": "thank_you_note", "share": 0.5})
    journey.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    git(root, "commit", "-q", "-am", "two")
    monkeypatch.chdir(root / "maps")
    return root


def run(capsys, *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def test_git_revision_against_the_working_file(repo, capsys):
    code, out, err = run(capsys, "diff", "HEAD~1:journey.yaml", "journey.yaml", "--lang", "en")
    assert code == 0, err
    assert out.splitlines()[0] == "HEAD~1:journey.yaml → journey.yaml"
    assert "Touchpoints: 1 added, 0 removed, 0 changed" in out
    assert "  + thank_you_note  'Gets a thank-you note'" in out
    assert "title: 'Three nights for a trade fair: Priya at a Meridia hotel in Milan' → 'Hotel stay, after the " \
           "workshop'" in out
    assert "Transitions: 1 added" in out and "expected conversion" in out


def test_two_revisions_json_and_spanish(repo, capsys):
    code, out, _ = run(capsys, "diff", "HEAD~1:journey.yaml", "HEAD:journey.yaml", "--format", "json")
    assert code == 0
    doc = json.loads(out)
    assert doc["a"] == "HEAD~1:journey.yaml" and doc["b"] == "HEAD:journey.yaml"
    assert [i["id"] for i in doc["sections"]["touchpoints"]["added"]] == ["thank_you_note"]
    assert doc["counts"]["pain_points"] == {"added": 0, "removed": 0, "changed": 0}
    code, out, _ = run(capsys, "diff", "HEAD~1:journey.yaml", "journey.yaml", "--lang", "es", "--no-scores")
    assert "Puntos de contacto: 1 añadidos, 0 eliminados, 0 cambiados" in out and "friction" not in out


def test_paths_relative_to_the_current_folder(repo, capsys, monkeypatch):
    monkeypatch.chdir(repo)
    code, out, err = run(capsys, "diff", "HEAD~1:maps/journey.yaml", "maps/journey.yaml", "--no-scores")
    assert code == 0 and "thank_you_note" in out, err
    (repo / "maps" / "deeper").mkdir()
    monkeypatch.chdir(repo / "maps" / "deeper")
    code, out, err = run(capsys, "diff", "HEAD~1:../journey.yaml", "../journey.yaml", "--no-scores")
    assert code == 0 and "thank_you_note" in out, err


def test_html_output_file(repo, capsys, tmp_path):
    out_file = tmp_path / "diff.html"
    code, out, err = run(capsys, "diff", "HEAD~1:journey.yaml", "journey.yaml", "-o", str(out_file))
    assert code == 0 and out == "" and str(out_file) in err
    page = out_file.read_text(encoding="utf-8")
    assert page.startswith("<!DOCTYPE html>") and page.count("data:image/png;base64,") == 2
    assert page.count("class='added'") == 2  # the touchpoint and its transition
    assert "thank_you_note" in page


def test_exit_code_flag(repo, capsys):
    assert run(capsys, "diff", "HEAD~1:journey.yaml", "journey.yaml", "--no-scores", "--exit-code")[0] == 1
    assert run(capsys, "diff", "HEAD:journey.yaml", "journey.yaml", "--no-scores", "--exit-code")[0] == 0


@pytest.mark.parametrize(("spec", "message"), [
    ("HEAD~7:journey.yaml", "HEAD~7:journey.yaml: cannot read it from git: invalid object name 'HEAD~7'."),
    ("nosuchbranch:journey.yaml", "invalid object name 'nosuchbranch'"),
    ("HEAD:nope.yaml", "HEAD:nope.yaml: cannot read it from git: path 'maps/nope.yaml' does not exist in 'HEAD'"),
    ("HEAD:../../outside.yaml", "HEAD:../../outside.yaml: the path leaves the git repository at"),
    ("HEAD:../../../../../../../../etc/passwd", "the path leaves the git repository"),
    ("--output=x:journey.yaml", "not a git revision: '--output=x'"),
    ("HEAD:", "no file after the ':'"),
])
def test_bad_revision_specs_are_one_line_errors(repo, capsys, spec, message):
    code, out, err = run(capsys, "diff", "--", spec, "journey.yaml")
    assert code == 1 and out == ""
    assert len(err.strip().splitlines()) == 1, err
    assert message in err and "Traceback" not in err


def test_invalid_journey_at_a_revision_names_the_revision(repo, capsys):
    (repo / "maps" / "journey.yaml").write_text("id: x\ntitle: [unclosed\n", encoding="utf-8")
    git(repo, "commit", "-q", "-am", "broken")
    code, _, err = run(capsys, "diff", "HEAD:journey.yaml", "HEAD~1:journey.yaml")
    assert code == 1 and err.startswith("HEAD:journey.yaml:") and "journeymap-diff-" not in err
    assert "Traceback" not in err


def test_outside_any_repository(tmp_path, capsys, monkeypatch):
    monkeypatch.setenv("GIT_CEILING_DIRECTORIES", str(tmp_path))
    (tmp_path / "j.yaml").write_text(jm.shipped_journey("hotel_stay").read_text(encoding="utf-8"), encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    code, _, err = run(capsys, "diff", "HEAD:j.yaml", "j.yaml")
    assert code == 1 and err.strip() == "HEAD:j.yaml: not inside a git repository"


def test_plain_files_and_a_missing_one(capsys):
    multi = str(jm.shipped_journey("retail_bopis_multichannel"))
    omni = str(jm.shipped_journey("retail_bopis_omnichannel"))
    code, out, _ = run(capsys, "diff", multi, omni, "--format", "json", "--no-scores")
    assert code == 0 and json.loads(out)["counts"]["opportunities"] == {"added": 4, "removed": 10, "changed": 0}
    code, out, err = run(capsys, "diff", multi, "missing.yaml")
    assert code == 1 and err.strip() == "missing.yaml: file not found"


def test_the_console_script_has_the_command():
    import sys

    done = subprocess.run([sys.executable, "-m", "journeymap.cli", "diff", "--help"], capture_output=True, text=True,
                          check=False)
    assert done.returncode == 0 and "REV:PATH" in done.stdout
