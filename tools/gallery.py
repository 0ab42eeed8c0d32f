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


def evidence_journey(journey_id: str) -> jm.Journey:
    """A shipped journey with its shipped (synthetic) evidence: calibrated against its event log when one
    has customer ids, survey metrics attached, and the emotions suggested by its quotes accepted."""
    from journeymap import evidence

    data = ROOT / "data"
    journey = jm.load(jm.shipped_journey(journey_id))
    log = data / "events" / f"{journey_id}.csv"
    if log.exists():
        journey = jm.analytics.calibrate(journey, jm.analytics.read_events(log, case="customer_id").events,
                                         file=log.name).journey
    survey = evidence.read_survey(data / "evidence" / f"{journey_id}_survey.csv", journey=journey)
    journey = survey.attach(journey)
    quotes = evidence.read_quotes(data / "evidence" / f"{journey_id}_quotes.csv")
    tagged = evidence.tag(quotes, evidence.load_keywords(data / "evidence" / f"{journey_id}_keywords.yaml"))
    for suggestion in evidence.suggest(journey, tagged, survey=survey):
        if suggestion.kind == "emotion":
            journey = evidence.accept(journey, suggestion)
    return journey


def drift_of_the_pilot():
    """The omnichannel pilot's blueprint calibrated against its (stitched) shipped log."""
    an = jm.analytics
    raw, _ = an.read_events(ROOT / "data" / "events" / "retail_bopis_omnichannel.csv", case=None, tz="Europe/Madrid")
    events, _ = an.stitch(raw, identifiers=["device_id", "email", "phone", "loyalty_id"])
    design = jm.load(jm.shipped_journey("retail_bopis_omnichannel"))
    return an.calibrate(design, events, case="customer_id").drift


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
        ("map_evidence_en.png", lambda: image_bytes(evidence_journey("classic_social_to_purchase"), "png", dpi=80)),
        ("map_evidence_es.png", lambda: image_bytes(evidence_journey("salud_cita_medica"), "png", dpi=80)),
    ]
    for name, make in jobs:
        atomic_write(out / name, make())
        written.append(out / name)
    drift = drift_of_the_pilot()
    for lang in ("en", "es"):
        _save(jm.plot.drift_chart(drift, lang=lang), out / f"drift_{lang}.png", 100)
        written.append(out / f"drift_{lang}.png")
    ax = jm.plot.emotion_curve({"Multichannel (today)": multi, "Omnichannel (target)": omni})
    _save(ax, out / "emotion_multichannel_vs_omnichannel.png", 110)
    written.append(out / "emotion_multichannel_vs_omnichannel.png")
    return written


if __name__ == "__main__":
    target = Path(sys.argv[1]) if len(sys.argv) > 1 else ROOT / "docs" / "gallery"
    for path in main(target):
        print(f"wrote {path.relative_to(ROOT) if path.is_relative_to(ROOT) else path}")
