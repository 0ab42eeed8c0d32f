"""Draw docs/gallery/segments_ab.png (en) and segments_ab_es.png: an A/B view of two shipped journeys.

The multichannel and omnichannel BOPIS journeys are simulated (seeded), concatenated with
``concat_logs`` and compared with ``ab_test`` (conversion = store pickup); a 25-customer pilot arm
shows the small-group warning. Run: ``MPLBACKEND=Agg python tools/gallery_segments.py``.
"""

from __future__ import annotations

import sys
from pathlib import Path

import journeymap as jm


def ab_table():
    logs = {}
    for arm, name, n, seed in (("multichannel", "retail_bopis_multichannel", 1500, 1),
                               ("omnichannel", "retail_bopis_omnichannel", 1500, 2),
                               ("omni pilot (store B)", "retail_bopis_omnichannel", 25, 3)):
        logs[arm] = jm.analytics.simulate(jm.load(jm.shipped_journey(name)), customers=n, seed=seed)
    events = jm.analytics.concat_logs(logs, label="journey", case="customer_id")
    return jm.analytics.ab_test(events, "journey", conversion="store_pickup", control="multichannel",
                                case="customer_id")


def main(out: str = "docs/gallery") -> None:
    import matplotlib.pyplot as plt

    table = ab_table()
    for lang, suffix in (("en", ""), ("es", "_es")):
        ax = jm.plot.segment_comparison(table, lang=lang)
        path = Path(out) / f"segments_ab{suffix}.png"
        ax.figure.savefig(path, dpi=110)
        plt.close(ax.figure)
        print(f"wrote {path}")
    print(table[["customers", "conversions", "rate", "difference", "ci_low", "ci_high", "p_value"]].round(4))


if __name__ == "__main__":
    main(*sys.argv[1:])
