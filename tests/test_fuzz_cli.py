"""Fuzzing the command line with hostile files: valid journeys and event logs, mutated.

Whatever the file holds, the CLI answers with exit status 0, 1 or 2 — never 3 (an internal error) and
never a traceback — and every line it writes on stderr is a problem line in the README's format
(``FILE[:LINE]: [field.path:] message``), a usage line (``journeymap …``) or the validate summary.
"""

from __future__ import annotations

import contextlib
import io
import json
import re
import tempfile
from pathlib import Path

import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import journeymap as jm
from journeymap.cli import main

ROOT = Path(__file__).resolve().parents[1]
JOURNEY = jm.shipped_journey("classic_social_to_purchase")
EVENTS = ROOT / "data" / "events" / "classic_social_to_purchase.csv"
PATHS = ROOT / "data" / "events" / "attribution_paths.csv"
FUZZ = settings(max_examples=40, deadline=None, derandomize=True,
                suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])

# Values an attacker or a careless editor would put anywhere in a file.
hostile_text = st.sampled_from([
    "", " ", "$", "Costs $5 or $10", r"$\frac{1}{0}$", "=HYPERLINK(\"http://x\")", "+cmd|' /C calc'!A0",
    "@SUM(A1)", "-2+3", "\tlead", "\rcr", "\x1b[2J\x1b]0;owned\x07", "\u202eevil", "<script>alert(1)</script>",
    "../../etc/passwd", "/etc/passwd", "a\x00b", "😀" * 3, "x" * 2000, "resena_wb", "case\", error('x') AS \"y",
    "2026-13-45T25:61:00", "10:00 EST", "9999-12-31T23:59:59Z", "1e400", "NaN", ".inf", "true",
])
hostile_value = st.one_of(
    hostile_text,
    st.integers(min_value=-(10**30), max_value=10**30),
    st.just("__BIGINT__"),  # replaced in the file's text by a 5,000-digit integer
    st.floats(allow_nan=True, allow_infinity=True),
    st.booleans(),
    st.none(),
    st.lists(st.integers(), max_size=3),
    st.dictionaries(st.sampled_from(["id", "x", "share", "to"]), st.integers(), max_size=2),
    st.just("__DEEP__"),  # replaced in the file's text by lists nested 3,000 deep
)
_BIG, _DEEP = "9" * 5000, "[" * 3000 + "]" * 3000


def _unsentinel(text: str) -> str:
    for quote in ("'", '"', ""):
        text = text.replace(f"{quote}__BIGINT__{quote}", _BIG).replace(f"{quote}__DEEP__{quote}", _DEEP)
    return text


def run(*argv: str) -> tuple[int, str, str]:
    """Run the CLI in-process; (exit status, stdout, stderr)."""
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        try:
            code = main(list(argv))
        except SystemExit as exc:  # argparse
            code = exc.code if isinstance(exc.code, int) else 2
    return code, out.getvalue(), err.getvalue()


def assert_clean(code: int, err: str, file: Path) -> None:
    assert code in (0, 1, 2), f"exit {code}: {err[-2000:]}"
    assert "Traceback" not in err
    assert "internal error" not in err
    line_format = re.compile(rf"^{re.escape(str(file))}(:\d+)?: \S")
    for line in err.splitlines():
        assert (line_format.match(line) or line.startswith("journeymap")
                or re.fullmatch(r"\d+ of \d+ file\(s\) have problems", line)), f"not a problem line: {line!r}"


# -- journey files -----------------------------------------------------------------------------
def _paths(data: object, prefix: tuple = ()) -> list[tuple]:
    """Every location in a nested dict/list, parents before children."""
    found = [prefix]
    if isinstance(data, dict):
        for key, value in data.items():
            found += _paths(value, (*prefix, key))
    elif isinstance(data, list):
        for i, value in enumerate(data):
            found += _paths(value, (*prefix, i))
    return found


def _set(data: dict, loc: tuple, value: object, delete: bool) -> object:
    if not loc:
        return value
    parent = data
    for part in loc[:-1]:
        parent = parent[part]
    if delete:
        del parent[loc[-1]]
    else:
        parent[loc[-1]] = value
    return data


@st.composite
def mutated_journeys(draw) -> tuple[str, bytes]:
    """A shipped journey with one to three fields replaced, deleted or duplicated; YAML or JSON."""
    data = yaml.safe_load(JOURNEY.read_text(encoding="utf-8"))
    for _ in range(draw(st.integers(1, 3))):
        locs = _paths(data)
        if not locs:
            break
        loc = draw(st.sampled_from(locs))
        data = _set(data, loc, draw(hostile_value), delete=bool(loc) and draw(st.booleans()))
    suffix = draw(st.sampled_from([".yaml", ".json"]))
    if suffix == ".json":
        text = json.dumps(data, ensure_ascii=False, allow_nan=True, default=str)
    else:
        try:
            text = yaml.safe_dump(data, allow_unicode=True, sort_keys=False)
        except (yaml.YAMLError, RecursionError, ValueError):
            text = json.dumps(data, default=str)  # JSON is YAML too
    return suffix, _unsentinel(text).encode("utf-8", "surrogatepass")


@st.composite
def byte_mutated(draw, source: bytes) -> bytes:
    """``source`` with a few bytes flipped, inserted or deleted."""
    raw = bytearray(source)
    for _ in range(draw(st.integers(1, 4))):
        pos = draw(st.integers(0, len(raw) - 1))
        action = draw(st.sampled_from(["flip", "insert", "delete"]))
        byte = draw(st.integers(0, 255))
        if action == "flip":
            raw[pos] = byte
        elif action == "insert":
            raw[pos:pos] = bytes([byte])
        else:
            del raw[pos]
    return bytes(raw)


def _journey_commands(path: Path, tmp: Path) -> list[tuple[str, ...]]:
    return [("validate", str(path)), ("info", str(path)), ("score", str(path)),
            ("score", str(path), "--by", "stage", "--format", "csv"),
            ("render", str(path), "-o", str(tmp / "out.mmd")), ("render", str(path), "-o", str(tmp / "out.csv"))]


@FUZZ
@given(mutated_journeys())
def test_structurally_mutated_journeys_never_crash_the_cli(case):
    suffix, content = case
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / f"journey{suffix}"
        path.write_bytes(content)
        for argv in _journey_commands(path, Path(tmp)):
            code, _, err = run(*argv)
            assert_clean(code, err, path)


_SOURCES = {".yaml": JOURNEY.read_bytes(),
            ".json": json.dumps(yaml.safe_load(JOURNEY.read_text(encoding="utf-8")), indent=1).encode()}


@FUZZ
@given(st.sampled_from(sorted(_SOURCES)).flatmap(lambda s: st.tuples(st.just(s), byte_mutated(_SOURCES[s]))))
def test_byte_mutated_journeys_never_crash_the_cli(case):
    suffix, content = case
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / f"journey{suffix}"
        path.write_bytes(content)
        for argv in _journey_commands(path, Path(tmp))[:3]:
            code, _, err = run(*argv)
            assert_clean(code, err, path)


# -- event logs ----------------------------------------------------------------------------------
_HEAD = EVENTS.read_text(encoding="utf-8").splitlines()[:120]


@st.composite
def mutated_logs(draw) -> bytes:
    """The first rows of a shipped log with cells replaced by hostile values, rows made ragged, bytes broken."""
    rows = [line.split(",") for line in _HEAD]
    for _ in range(draw(st.integers(1, 6))):
        r = draw(st.integers(0, len(rows) - 1))
        action = draw(st.sampled_from(["cell", "ragged", "drop_rows", "header"]))
        if action == "cell":
            c = draw(st.integers(0, len(rows[r]) - 1))
            rows[r][c] = _unsentinel(str(draw(hostile_value))).replace(",", ";")[:6000]
        elif action == "ragged":
            rows[r] = rows[r] + ["extra"] if draw(st.booleans()) else rows[r][:-1]
        elif action == "drop_rows":
            rows = rows[:1] + rows[draw(st.integers(1, len(rows))):]
        else:
            c = draw(st.integers(0, len(rows[0]) - 1))
            rows[0][c] = draw(hostile_text).replace(",", ";")
    raw = bytearray("\n".join(",".join(row) for row in rows).encode("utf-8", "surrogatepass"))
    if draw(st.booleans()) and raw:
        raw[draw(st.integers(0, len(raw) - 1))] = draw(st.sampled_from([0xFF, 0xC3, 0x80, 0x00, 0x22]))
    return bytes(raw)


def _log_commands(path: Path, tmp: Path) -> list[tuple[str, ...]]:
    cols = ("--case", "customer_id", "--activity", "activity", "--timestamp", "timestamp", "-q")
    return [("discover", str(path), *cols, "-o", str(tmp / "found.yaml")),
            ("funnel", str(path), *cols, "--stages", "ig_profile,blog_post,purchase"),
            ("attribution", str(path), *cols, "--conversion", "purchase", "--format", "csv"),
            ("conformance", str(JOURNEY), str(path), *cols)]


@FUZZ
@given(mutated_logs())
def test_mutated_event_logs_never_crash_the_cli(content):
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "events.csv"
        path.write_bytes(content)
        for argv in _log_commands(path, Path(tmp)):
            code, _, err = run(*argv)
            assert_clean(code, err, path)


@FUZZ
@given(byte_mutated(PATHS.read_bytes()))
def test_byte_mutated_attribution_paths_never_crash_the_cli(content):
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "paths.csv"
        path.write_bytes(content)
        code, _, err = run("attribution", str(path), "--paths", "--format", "csv")
        assert_clean(code, err, path)
