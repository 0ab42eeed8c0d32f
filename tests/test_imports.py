"""`import journeymap` stays light: no plotting, network or widget libraries until used."""

import subprocess
import sys

HEAVY = ["matplotlib", "pyvis", "ipywidgets", "IPython"]


def test_import_is_light():
    code = (
        "import sys, journeymap; "
        f"print([m for m in {HEAVY!r} if m in sys.modules])"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "[]"


def test_lazy_attributes():
    import pytest

    import journeymap as jm

    assert "score" in dir(jm) and "plot" in dir(jm)
    with pytest.raises(AttributeError, match="no attribute 'nope'"):
        jm.nope  # noqa: B018
