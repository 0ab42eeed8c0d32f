"""The canvas ES module is split into parts that widget.py joins in a fixed order: every part is shipped and loaded."""

from __future__ import annotations

import fnmatch
import re
import shutil
import subprocess
import tomllib
from pathlib import Path

import pytest

from journeymap.widgets.canvas.widget import ESM_PARTS, HERE, JourneyCanvas, load_esm

ROOT = Path(__file__).resolve().parents[1]


def test_every_js_file_is_a_part_and_every_part_is_loaded():
    on_disk = sorted(p.name for p in HERE.glob("*.js"))
    assert on_disk == sorted(ESM_PARTS)
    assert ESM_PARTS[-1] == "main.js"
    esm = JourneyCanvas._esm
    assert isinstance(esm, str) and esm == load_esm()
    positions = []
    for name in ESM_PARTS:
        text = (HERE / name).read_text(encoding="utf-8")
        assert f"// ---- {name} ----\n{text}" in esm
        positions.append(esm.index(f"// ---- {name} ----"))
    assert positions == sorted(positions), "parts are joined in ESM_PARTS order"


def test_parts_are_small_and_form_one_module():
    for name in ESM_PARTS:
        text = (HERE / name).read_text(encoding="utf-8")
        assert len(text.splitlines()) <= 400, name
        assert not re.search(r"^\s*import\b", text, re.M), f"{name} imports: the module must be self-contained"
        assert ("export default" in text) == (name == "main.js"), name
    assert load_esm().count("export default") == 1


def test_package_data_ships_every_part_and_the_css():
    data = tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["setuptools"]["package-data"]["journeymap"]
    package = HERE.relative_to(ROOT / "journeymap").as_posix()
    for name in [*ESM_PARTS, "canvas.css"]:
        assert any(fnmatch.fnmatch(f"{package}/{name}", pattern) for pattern in data), name


def test_load_esm_joins_given_parts_in_order(tmp_path):
    (tmp_path / "a.js").write_text("const A = 1;\n")
    (tmp_path / "b.js").write_text("export default { A };\n")
    joined = load_esm(tmp_path, ("a.js", "b.js"))
    assert joined == "// ---- a.js ----\nconst A = 1;\n\n// ---- b.js ----\nexport default { A };\n"
    with pytest.raises(FileNotFoundError):
        load_esm(tmp_path, ("a.js", "missing.js"))


@pytest.mark.skipif(shutil.which("node") is None, reason="needs node")
def test_joined_module_parses_and_the_view_has_every_method_it_calls(tmp_path):
    module = tmp_path / "canvas.mjs"
    module.write_text(load_esm() + "\nexport { CanvasView };\n", encoding="utf-8")
    called = sorted(set(re.findall(r"\bthis\.([A-Za-z_]\w*)\(", load_esm())))
    script = (f"import({str(module)!r}).then((m) => {{ const p = m.CanvasView.prototype;"
              f" console.log(JSON.stringify({called!r}.filter((k) => typeof p[k] !== 'function'))); }})")
    out = subprocess.run(["node", "-e", script], capture_output=True, text=True, timeout=60)
    assert out.returncode == 0, out.stderr
    assert out.stdout.strip() == "[]", f"methods called but defined in no part: {out.stdout}"
    assert "renderBoard" in called and "drawFlow" in called and "renderInspector" in called
