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
