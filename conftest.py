"""Test-wide setup: keep Jupyter, IPython and matplotlib away from the user's profile."""

import os
import tempfile

_home = tempfile.mkdtemp(prefix="journeymap-test-home-")
for var, sub in (
    ("JUPYTER_CONFIG_DIR", "jupyter-config"),
    ("JUPYTER_RUNTIME_DIR", "jupyter-runtime"),
    ("IPYTHONDIR", "ipython"),
    ("MPLCONFIGDIR", "matplotlib"),
):
    os.environ[var] = os.path.join(_home, sub)
os.environ.setdefault("MPLBACKEND", "Agg")
# The workshop notebook writes new journeys here (never inside the repository during tests).
os.environ["JOURNEYMAP_WORKSHOP_DIR"] = os.path.join(_home, "workshop")
