"""Regenerate docs/gallery/*.png from the shipped journeys (`make gallery`).

    MPLBACKEND=Agg .venv/bin/python tools/gallery.py [OUTDIR]
"""

from __future__ import annotations

import sys
from pathlib import Path

import matplotlib

matplotlib.use("Agg")

import journeymap as jm
from journeymap.exporting import image_bytes
from journeymap.io import atomic_write

ROOT = Path(__file__).resolve().parent.parent


def _save(ax, path: Path, dpi: int) -> None:
    import io

    import matplotlib.pyplot as plt

    from journeymap.plot._style import rc

    buffer = io.BytesIO()
    with plt.rc_context(rc()):
        ax.figure.savefig(buffer, format="png", dpi=dpi, metadata={"Software": None})
    plt.close(ax.figure)
    atomic_write(path, buffer.getvalue())


def main(out: Path) -> list[Path]:
    out.mkdir(parents=True, exist_ok=True)
    multi = jm.load(jm.shipped_journey("retail_bopis_multichannel"))
    omni = jm.load(jm.shipped_journey("retail_bopis_omnichannel"))
    salud = jm.load(jm.shipped_journey("salud_cita_medica"))
    written = []
    jobs = [
        ("journey_map_retail_multichannel.png", lambda: image_bytes(multi, "png", "map", dpi=80)),
        ("journey_map_salud_es.png", lambda: image_bytes(salud, "png", "map", dpi=80)),
        ("friction_heatmap_retail_multichannel.png", lambda: image_bytes(multi, "png", "heatmap", dpi=110)),
        ("channel_flow_retail_multichannel.png", lambda: image_bytes(multi, "png", "flow", dpi=110)),
        ("priority_pain_points_retail_multichannel.png", lambda: image_bytes(multi, "png", "priority", dpi=110)),
        ("priority_opportunities_salud_es.png", lambda: image_bytes(salud, "png", "opportunities", dpi=110)),
    ]
    for name, make in jobs:
        atomic_write(out / name, make())
        written.append(out / name)
    ax = jm.plot.emotion_curve({"Multichannel (today)": multi, "Omnichannel (target)": omni})
    _save(ax, out / "emotion_multichannel_vs_omnichannel.png", 110)
    written.append(out / "emotion_multichannel_vs_omnichannel.png")
    return written


if __name__ == "__main__":
    target = Path(sys.argv[1]) if len(sys.argv) > 1 else ROOT / "docs" / "gallery"
    for path in main(target):
        print(f"wrote {path.relative_to(ROOT) if path.is_relative_to(ROOT) else path}")
