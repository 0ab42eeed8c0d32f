"""The canvas ES module is split into parts that widget.py joins in a fixed order: every part is shipped and loaded."""

from __future__ import annotations

import fnmatch
import json
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


def _flow_input(journey, em: float) -> dict:
    """What board.js hands to layoutFlow: transitions, card centres (px, as board.js computes them) and ranks."""
    from journeymap.widgets.canvas.state import build_state

    st = build_state(journey)
    xs, rank, x = {}, {}, 0.0
    for stage in st["stages"]:
        for cid in stage["cards"]:
            rank[cid], xs[cid] = len(rank), (x + 7) * em
            x += 14 + 2.5
        x += 3 + 2.5
    return {"transitions": st["transitions"], "xs": xs, "rank": rank, "em": em}


def _dense_input(seed: int, em: float) -> dict:
    """A crowded flow: 14 cards in 3 stages, the straight chain plus 18 random skips and loops."""
    import random

    rng = random.Random(seed)
    n = 14
    pairs = {(i, i + 1) for i in range(n - 1)} | {(rng.randrange(n), rng.randrange(n)) for _ in range(18)}
    moves = [{"key": f"t{a}->t{b}", "from": f"t{a}", "to": f"t{b}", "share": round(rng.random(), 2),
              "pains": [{"id": f"p{a}_{b}"}] * (a % 3)} for a, b in sorted(pairs) if a != b]
    xs, x = {}, 0.0
    for i in range(n):
        xs[f"t{i}"] = (x + 7) * em
        x += 16.5 + (5.5 if i % 5 == 4 else 0)
    return {"transitions": moves, "xs": xs, "rank": {f"t{i}": i for i in range(n)}, "em": em}


@pytest.mark.skipif(shutil.which("node") is None, reason="needs node")
def test_flow_layout_keeps_labels_apart_and_arcs_inside_their_band(tmp_path):
    import journeymap as jm

    shipped = {"salud": jm.load(jm.shipped_journey("salud_cita_medica")),
               "hotel": jm.load(jm.shipped_journey("hotel_stay"))}
    inputs = {f"{name}@{em}": _flow_input(j, em) for name, j in shipped.items() for em in (16, 20.8)}
    inputs.update({f"dense{seed}@{em}": _dense_input(seed, em) for seed in range(8) for em in (16, 20.8)})
    module = tmp_path / "canvas.mjs"
    module.write_text(load_esm() + "\nexport { layoutFlow, FLOW, GEOM };\n", encoding="utf-8")
    (tmp_path / "in.json").write_text(json.dumps(inputs))
    script = f"""import({str(module)!r}).then((m) => {{
      const inputs = JSON.parse(require("fs").readFileSync({str(tmp_path / "in.json")!r}, "utf8"));
      const out = {{}};
      for (const [k, v] of Object.entries(inputs)) {{
        const r = m.layoutFlow(v.transitions, v.xs, v.rank, v.em, m.GEOM.card);
        out[k] = {{ top: r.top, tag: m.FLOW.tag * v.em, arcs: r.arcs.map((a) => ({{ key: a.t.key, straight: a.straight,
          level: a.level, x1: a.x1, x2: a.x2, lx: a.lx, ly: a.ly, w: a.w, d: a.d }})) }};
      }}
      console.log(JSON.stringify(out));
    }})"""
    run = subprocess.run(["node", "-e", script], capture_output=True, text=True, timeout=60)
    assert run.returncode == 0, run.stderr
    for name, res in json.loads(run.stdout).items():
        em, top, tag = inputs[name]["em"], res["top"], res["tag"]
        moves = {t["key"] for t in inputs[name]["transitions"]}
        assert {a["key"] for a in res["arcs"]} == moves, name
        arcs = [a for a in res["arcs"] if not a["straight"]]
        for a in arcs:
            ys = [float(v) for v in re.findall(r"-?\d+(?:\.\d+)?", a["d"])[1::2]]
            assert min(ys) >= 0 and max(ys) <= top, f"{name}: {a['key']} leaves the band above the cards"
            assert a["ly"] - tag / 2 >= 0.2 * em, f"{name}: the label of {a['key']} reaches the stage headers"
            assert min(a["x1"], a["x2"]) <= a["lx"] <= max(a["x1"], a["x2"]) or a["w"] > abs(a["x2"] - a["x1"])
        for i, a in enumerate(arcs):
            for b in arcs[i + 1:]:
                apart = abs(a["lx"] - b["lx"]) >= (a["w"] + b["w"]) / 2 or abs(a["ly"] - b["ly"]) >= tag
                assert apart, f"{name}: labels of {a['key']} and {b['key']} overlap"
        if not name.startswith("dense"):  # on the shipped journeys no other arc's upright runs behind a label
            for a in arcs:
                legs = [x for b in arcs if b["level"] > a["level"] for x in (b["x1"], b["x2"])]
                crossing = [x for x in legs if abs(x - a["lx"]) < a["w"] / 2]
                assert not crossing, f"{name}: an arc crosses {a['key']}'s label"
