"""The command line: exit codes, one-line errors, no tracebacks."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest
import yaml

import journeymap as jm
from journeymap.cli import main


def run(capsys, *argv):
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def test_validate_shipped_journeys(capsys):
    files = [str(p) for p in jm.shipped_journeys()]
    code, out, err = run(capsys, "validate", *files)
    assert code == 0 and err == ""
    assert out.count(": ok") == len(files) >= 7


def test_validate_broken_file_one_line_per_problem(capsys, base, write):
    base["touchpoints"][0]["stage"] = "nowhere"
    base["touchpoints"][1]["effort"] = 12
    path = write(base)
    code, _out, err = run(capsys, "validate", str(path))
    lines = err.strip().splitlines()
    assert code == 1
    assert "Traceback" not in err
    assert any(line.startswith(f"{path}:") and "touchpoints[0].stage" in line and "'nowhere'" in line
               for line in lines)
    assert any("touchpoints[1].effort" in line and "12" in line for line in lines)
    assert lines[-1] == "1 of 1 file(s) have problems"


def test_console_script_runs_without_traceback(base, write):
    base["lang"] = "klingon"
    path = write(base)
    proc = subprocess.run([sys.executable, "-m", "journeymap.cli", "validate", str(path)],
                          capture_output=True, text=True, check=False)
    assert proc.returncode == 1
    assert "Traceback" not in proc.stderr and "lang" in proc.stderr and "'klingon'" in proc.stderr


@pytest.mark.parametrize("template", ["blank", "retail_bopis_omnichannel"])
def test_new_from_template(capsys, tmp_path, template):
    out_file = tmp_path / "sub" / "mine.yaml"
    code, out, _ = run(capsys, "new", "--template", template, "-o", str(out_file), "--title", "Our map")
    assert code == 0 and "wrote" in out
    j = jm.load(out_file)
    assert j.title == "Our map" and j.id == "our_map"
    assert jm.validate(out_file) == []
    # never overwrite by accident
    code, _, err = run(capsys, "new", "--template", template, "-o", str(out_file))
    assert code == 2 and "already exists" in err


def test_new_spanish_blank_and_errors(capsys, tmp_path):
    out_file = tmp_path / "es.yaml"
    assert run(capsys, "new", "--lang", "es", "-o", str(out_file))[0] == 0
    assert jm.load(out_file).stages[0].name == "Conocimiento"
    code, _, err = run(capsys, "new", "--template", "nope", "-o", str(tmp_path / "x.yaml"))
    assert code == 2 and "unknown template 'nope'" in err and "blank" in err
    code, _, err = run(capsys, "new")
    assert code == 2 and "-o/--output" in err
    code, out, _ = run(capsys, "new", "--list")
    assert code == 0 and out.splitlines()[0] == "blank" and "retail_bopis_omnichannel" in out


def test_schema_command(capsys, tmp_path):
    code, out, _ = run(capsys, "schema")
    assert code == 0 and json.loads(out) == jm.json_schema()
    code, out, _ = run(capsys, "schema", "-o", str(tmp_path / "s.json"))
    assert code == 0 and json.loads((tmp_path / "s.json").read_text()) == jm.json_schema()


def test_info_command(capsys):
    path = jm.shipped_journey("retail_bopis_omnichannel")
    j = jm.load(path)
    code, out, _ = run(capsys, "info", str(path))
    assert code == 0
    assert f"touchpoints: {len(j.touchpoints)}" in out
    for stage in j.stages:
        assert stage.name in out
    assert jm.CATALOGUE[j.touchpoints[0].channel].name_en in out
    code, out, _ = run(capsys, "info", "--lang", "es", str(path))
    assert "etapas" in out and "puntos de contacto" in out


def test_info_on_broken_file_and_missing_file(capsys, base, write, tmp_path):
    base["touchpoints"] = "oops"
    code, _, err = run(capsys, "info", str(write(base)))
    assert code == 1 and "touchpoints" in err and "Traceback" not in err
    code, _, err = run(capsys, "info", str(tmp_path / "missing.yaml"))
    assert code == 1 and "file not found" in err


def test_channels_command(capsys):
    code, out, _ = run(capsys, "channels", "--lang", "es")
    assert code == 0 and "Tienda física" in out and len(out.splitlines()) == len(jm.CATALOGUE)


def test_unwritable_output_is_one_line(capsys, tmp_path):
    blocker = tmp_path / "file"
    blocker.write_text("x")
    code, _, err = run(capsys, "schema", "-o", str(blocker / "sub" / "s.json"))
    assert code == 1 and len(err.strip().splitlines()) == 1 and "Traceback" not in err


def test_new_file_is_pleasant_yaml(capsys, tmp_path):
    out_file = tmp_path / "b.yaml"
    run(capsys, "new", "-o", str(out_file))
    data = yaml.safe_load(out_file.read_text())
    assert list(data)[:2] == ["id", "title"]
