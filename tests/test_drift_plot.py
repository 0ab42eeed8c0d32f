"""The drift chart draws the flagged shares of a calibration, literally, with the effect of each."""

from __future__ import annotations

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt
import pandas as pd

import journeymap as jm
from journeymap.analytics import calibrate


def _case() -> jm.analytics.Calibration:
    design = jm.Journey(id="t", title="T", stages=[{"id": "s", "name": "S"}],
                        touchpoints=[{"id": i, "stage": "s", "channel": "website", "action": i,
                                      "conversion": i == "buy"} for i in ("ad", "web", "buy")],
                        transitions=[{"from": "ad", "to": "web", "share": 0.5},
                                     {"from": "web", "to": "buy", "share": 0.5}])
    t0 = pd.Timestamp("2026-03-01", tz="UTC")
    rows = [{"case_id": str(c), "activity": a, "timestamp": t0 + pd.Timedelta(minutes=i)}
            for c in range(100) for i, a in enumerate(["ad", "web", "buy"] if c < 80 else ["ad", "buy"])]
    return calibrate(design, pd.DataFrame(rows))


def test_rows_points_and_effects():
    cal = _case()
    shown = cal.drift.flagged
    shown = shown[shown["kind"].isin(["transition share", "entry share"])]
    ax = jm.plot.drift_chart(cal.drift)
    labels = [t.get_text() for t in ax.get_yticklabels()]
    assert labels == [k.replace("->", " → ") for k in shown["key"]]
    assert list(ax.get_yticks()) == sorted(ax.get_yticks(), reverse=True)  # the largest effect on top
    texts = [t.get_text() for t in ax.texts]
    # designed conversion 0.5 × 0.5 = 0.25; one value at a time: web → buy 1.0 gives 0.5 (+25 pp), adding
    # ad → buy 0.2 gives 0.25 + 0.2 (+20 pp), ad → web 0.8 gives 0.8 × 0.5 (+15 pp)
    assert labels == ["web → buy", "ad → buy", "ad → web"]
    assert [t for t in texts if t.endswith("pp")] == ["+25.0 pp", "+20.0 pp", "+15.0 pp"]
    assert all(not t.get_parse_math() for t in ax.texts)
    plt.close(ax.figure)


def test_nothing_to_show_says_so_in_spanish():
    cal = _case()
    empty = jm.analytics.Drift(cal.drift.table.iloc[0:0], 0.0, 0.0)
    ax = jm.plot.drift_chart(empty, lang="es")
    assert "Ninguna proporción difiere" in ax.texts[0].get_text()
    plt.close(ax.figure)
