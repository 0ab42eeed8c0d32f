"""Issue 11, the command line: control characters never reach the terminal, spreadsheet formulas never
reach a CSV, and an unexpected exception is one line (exit 3) unless ``--debug`` asks for the traceback."""

from __future__ import annotations

import csv
import io
import json
import sys

import pytest

import journeymap as jm
from journeymap.cli import main

ESC_TITLE = "Trip \x1b]0;owned\x07 \x1b[2J\x1b[31m red \x9b1m c1 \u202eevil\u2066 end"
CONTROLS = ("\x1b", "\x07", "\x9b", "\u202e", "\u2066")
FORMULAS = ['=HYPERLINK("http://evil.example","click")', "+cmd|' /C calc'!A0", "@SUM(A1:A9)", "-2+3",
            "\tTabbed", "\rReturn"]


def run(capsys, *argv):
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def _hostile(base: dict) -> dict:
    base["title"] = ESC_TITLE
    base["stages"][0]["name"] = "Aware \x1b[2J\x1b[H ness"
    base["stages"][1]["name"] = FORMULAS[0]
    base["touchpoints"][0]["action"] = "Sees \x1b]0;pwn\x07 an ad"
    return base


@pytest.mark.parametrize("argv", [
    ("info",), ("score",), ("score", "--by", "stage"), ("compare",), ("compare", "--by", "stage"), ("validate",),
])
def test_terminal_never_sees_control_characters(capsys, base, write, argv):
    path = str(write(_hostile(base)))
    files = [path, path] if argv[0] == "compare" else [path]
    code, out, err = run(capsys, argv[0], *files, *argv[1:])
    assert code == 0, err
    text = out + err
    assert not any(c in text for c in CONTROLS), repr(text)
    if argv[0] == "info":
        assert "Trip ]0;owned [2J[31m red 1m c1 evil end" in out  # the text stays, only the controls go


def test_problem_lines_on_stderr_are_stripped(capsys, base, write):
    base["touchpoints"][0]["channel"] = "fax\x1b[2J\x07\u202e"
    base["stages"][0]["name"] = 5  # not text
    base["title"] = {"\x1b]0;key\x07": 1}
    path = write(base)
    for command in ("validate", "info", "score"):
        code, out, err = run(capsys, command, str(path))
        assert code == 1
        assert err.strip() and not any(c in out + err for c in CONTROLS), repr(err)


def test_usage_and_os_errors_are_stripped(capsys, tmp_path):
    missing = tmp_path / "no\x1b[2Jsuch\x07.yaml"
    code, out, err = run(capsys, "info", str(missing))
    assert code == 1 and err.strip()
    assert not any(c in out + err for c in CONTROLS), repr(err)
    code, _out, err = run(capsys, "render", str(missing), "-o", str(tmp_path / "x\x1b[2J.doc"))
    assert code == 2 and "\x1b" not in err


def test_stdout_stripping_is_undone_after_main(capsys, base, write):
    run(capsys, "info", str(write(_hostile(base))))
    print("\x1b[0m", end="")
    assert capsys.readouterr().out == "\x1b[0m"


def test_json_to_a_pipe_keeps_the_data(capsys, base, write):
    path = write(_hostile(base))
    code, out, err = run(capsys, "score", str(path), "--format", "json", "--by", "stage")
    assert code == 0, err
    rows = json.loads(out)["rows"]
    assert rows[1]["name"] == FORMULAS[0]


@pytest.mark.parametrize("text", FORMULAS)
def test_score_csv_neutralises_formulas(capsys, base, write, text):
    base["stages"][1]["name"] = text
    path = write(base)
    code, out, err = run(capsys, "score", str(path), "--by", "stage", "--format", "csv")
    assert code == 0, err
    rows = list(csv.DictReader(io.StringIO(out)))
    cell = rows[1]["name"]
    assert cell == "'" + text
    assert rows[0]["name"] == "Awareness"
    # numbers stay numbers: no ' before a number, even a negative one
    assert all(not r[k].startswith("'") for r in rows for k in r if k not in ("name",))
    float(rows[1]["friction"])


def test_score_csv_keeps_negative_numbers(capsys, base, write):
    base["touchpoints"][0]["emotion"] = -2
    code, out, _ = run(capsys, "score", str(write(base)), "--format", "csv")
    rows = list(csv.DictReader(io.StringIO(out)))
    assert code == 0
    assert any(r["emotion"].startswith("-") or r["emotion"] == "0" for r in rows)
    assert not any(v.startswith("'") for r in rows for v in r.values())


def test_compare_csv_neutralises_formulas(capsys, base, write):
    base["stages"][0]["name"] = "@SUM(A1:A9)"
    path = str(write(base))
    code, out, err = run(capsys, "compare", path, path, "--by", "stage", "--format", "csv")
    assert code == 0, err
    rows = list(csv.DictReader(io.StringIO(out)))
    assert rows[0]["name"] == "'@SUM(A1:A9)"


# -- the one guard ----------------------------------------------------------------------------------
@pytest.mark.parametrize("exc", [RecursionError("maximum recursion depth exceeded"), MemoryError(),
                                 ValueError("Exceeds the limit (4300 digits)\nfor integer string conversion"),
                                 ZeroDivisionError("division by zero")])
def test_unexpected_exception_is_one_line_exit_3(capsys, monkeypatch, base, write, exc):
    def boom(*_a, **_k):
        raise exc

    monkeypatch.setattr("journeymap.io.load", boom)
    code, _out, err = run(capsys, "info", str(write(base)))
    assert code == 3
    assert "Traceback" not in err
    lines = err.strip().splitlines()
    assert len(lines) == 1
    assert lines[0].startswith(f"journeymap: internal error: {type(exc).__name__}")
    assert lines[0].endswith("; rerun with --debug")


def test_debug_shows_the_traceback(capsys, monkeypatch, base, write):
    def boom(*_a, **_k):
        raise RecursionError("deep")

    monkeypatch.setattr("journeymap.io.load", boom)
    code, _out, err = run(capsys, "--debug", "info", str(write(base)))
    assert code == 3
    assert "Traceback (most recent call last)" in err and "RecursionError: deep" in err
    assert err.strip().splitlines()[-1] == "journeymap: internal error: RecursionError: deep; rerun with --debug"


def test_internal_error_message_is_stripped_and_short(capsys, monkeypatch, base, write):
    def boom(*_a, **_k):
        raise RuntimeError("\x1b]0;owned\x07" + "x" * 5000)

    monkeypatch.setattr("journeymap.io.load", boom)
    code, _out, err = run(capsys, "info", str(write(base)))
    assert code == 3 and "\x1b" not in err and "\x07" not in err
    assert len(err) < 400


def test_argparse_errors_stay_exit_2(capsys):
    with pytest.raises(SystemExit) as info:
        main(["score"])
    assert info.value.code == 2
    with pytest.raises(SystemExit) as info:
        main(["--debug", "no-such-command"])
    assert info.value.code == 2


def test_module_entry_point_guard_in_a_subprocess(tmp_path):
    """The installed console script goes through the same guard (no traceback on an internal error)."""
    import subprocess

    code = ("import sys, journeymap.io as io\n"
            "def boom(*a, **k): raise MemoryError()\n"
            "io.load = boom\n"
            "from journeymap.cli import main\n"
            f"sys.exit(main(['info', {str(jm.shipped_journey('hotel_stay'))!r}]))\n")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120)
    assert done.returncode == 3
    assert done.stderr.strip() == "journeymap: internal error: MemoryError: (no message); rerun with --debug"
