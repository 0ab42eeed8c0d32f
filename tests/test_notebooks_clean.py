"""Notebooks are committed small: outputs only where nbval checks them, no images, no errors."""

import json
from pathlib import Path

import pytest

NOTEBOOKS = sorted((Path(__file__).resolve().parent.parent / "notebooks").glob("*.ipynb"))


@pytest.mark.parametrize("path", NOTEBOOKS, ids=[p.name for p in NOTEBOOKS])
def test_notebook_is_stripped(path):
    assert path.stat().st_size < 100_000
    nb = json.loads(path.read_text(encoding="utf-8"))
    for cell in nb["cells"]:
        outputs = cell.get("outputs", [])
        assert all(o["output_type"] != "error" for o in outputs)
        if outputs:
            assert "NBVAL_CHECK_OUTPUT" in "".join(cell["source"]), "strip with tools/strip_outputs.py"
        for out in outputs:
            assert not any(k.startswith("image/") for k in out.get("data", {}))


def test_quickstart_exists():
    assert any(p.name == "01_quickstart.ipynb" for p in NOTEBOOKS)


def test_teaching_notebook_in_english_and_spanish_stay_in_step():
    def cells(name):
        nb = json.loads((NOTEBOOKS[0].parent / name).read_text(encoding="utf-8"))
        return nb["cells"]

    en, es = cells("04_multichannel_vs_omnichannel.ipynb"), cells("04_multicanal_vs_omnicanal.ipynb")
    assert [c["cell_type"] for c in en] == [c["cell_type"] for c in es]
    code_en = ["".join(c["source"]) for c in en if c["cell_type"] == "code"]
    code_es = ["".join(c["source"]) for c in es if c["cell_type"] == "code"]
    assert code_en[0].startswith('LANG = "en"') and code_es[0].startswith('LANG = "es"')
    assert code_en[1:] == code_es[1:]
    prose_en = [c for c in en if c["cell_type"] == "markdown"]
    prose_es = [c for c in es if c["cell_type"] == "markdown"]
    assert all(a["source"] != b["source"] for a, b in zip(prose_en, prose_es, strict=True))
