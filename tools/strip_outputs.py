"""Strip notebook outputs before committing, keeping only what nbval checks.

Outputs stay on cells marked ``# NBVAL_CHECK_OUTPUT`` (text and HTML only; images and
widget views are dropped; nbval needs their execution counts); every other cell
is cleared. Volatile metadata is removed so diffs stay small.

Usage: python tools/strip_outputs.py notebooks/*.ipynb
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

KEEP_MIME = ("text/plain", "text/html")


def strip(path: Path) -> bool:
    nb = json.loads(path.read_text(encoding="utf-8"))
    before = json.dumps(nb, sort_keys=True)
    for cell in nb["cells"]:
        cell.get("metadata", {}).pop("execution", None)
        if cell["cell_type"] != "code":
            continue
        if "NBVAL_CHECK_OUTPUT" not in "".join(cell["source"]):
            cell["outputs"] = []
            cell["execution_count"] = None
            continue
        kept = []
        for out in cell["outputs"]:
            if out["output_type"] in ("execute_result", "display_data"):
                out["data"] = {k: v for k, v in out["data"].items() if k in KEEP_MIME}
                out["metadata"] = {}
                if not out["data"]:
                    continue
                if out["output_type"] == "execute_result":
                    out["execution_count"] = cell["execution_count"]
            kept.append(out)
        cell["outputs"] = kept
    nb.get("metadata", {}).pop("widgets", None)
    after = json.dumps(nb, sort_keys=True)
    if after != before:
        path.write_text(json.dumps(nb, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
    return after != before


if __name__ == "__main__":
    for name in sys.argv[1:]:
        if strip(Path(name)):
            print(f"stripped {name}")
