"""In Jupyter, every plot of a session shows — not only the first.

Jupyter's inline backend turns matplotlib's interactive mode on when it loads. journeymap's plots draw
inside ``plt.rc_context``; when the first plot of a session was what loaded the backend, the context's exit
turned interactive mode off again and every later figure stayed hidden (a student saw one plot, then
nothing). :func:`journeymap.plot._style.rc` now loads the backend before the context is entered.
"""

from __future__ import annotations

import nbformat
import pytest
from nbclient import NotebookClient

pytestmark = pytest.mark.slow  # starts a kernel


def test_every_plot_of_a_fresh_kernel_is_displayed(monkeypatch):
    monkeypatch.delenv("MPLBACKEND", raising=False)  # the kernel picks Jupyter's inline backend, as for a user
    nb = nbformat.v4.new_notebook()
    nb.cells = [nbformat.v4.new_code_cell("import journeymap as jm\nj = jm.load(jm.shipped_journey('hotel_stay'))"),
                nbformat.v4.new_code_cell("jm.plot.emotion_curve(j);"),  # the first plot loads the backend
                nbformat.v4.new_code_cell("jm.plot.emotion_curve(j);"),
                nbformat.v4.new_code_cell("ax = jm.plot.priority_matrix(j)")]
    NotebookClient(nb, timeout=180, kernel_name="python3").execute()
    shown = [any("image/png" in o.get("data", {}) for o in cell.outputs) for cell in nb.cells[1:]]
    assert shown == [True, True, True]
