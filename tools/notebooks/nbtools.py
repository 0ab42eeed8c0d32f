"""Helpers to write notebooks from Python sources (keeps bilingual notebooks in step)."""

from __future__ import annotations

from pathlib import Path

import nbformat

NOTEBOOKS = Path(__file__).resolve().parents[2] / "notebooks"


def md(text: str) -> nbformat.NotebookNode:
    """A markdown cell."""
    return nbformat.v4.new_markdown_cell(text)


def code(text: str) -> nbformat.NotebookNode:
    """A code cell."""
    return nbformat.v4.new_code_cell(text)


def write(cells: list, name: str) -> Path:
    """Write the cells as notebooks/<name> with a Python 3 kernel."""
    nb = nbformat.v4.new_notebook()
    nb["cells"] = cells
    nb["metadata"]["kernelspec"] = {"display_name": "Python 3 (ipykernel)", "language": "python",
                                    "name": "python3"}
    nb["metadata"]["language_info"] = {"name": "python"}
    path = NOTEBOOKS / name
    nbformat.write(nb, path)
    return path
