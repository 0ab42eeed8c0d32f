"""Regenerate the small event logs shipped in data/events/ (deterministic: fixed seeds).

Usage:
    python tools/make_events.py            # (re)write data/events/
    python tools/make_events.py --check    # exit 1 if the shipped files differ from a fresh run
    python tools/make_events.py --out DIR  # write somewhere else

What is written (all simulated with journeymap.analytics.simulate from data/journeys/):

* retail_bopis_omnichannel.csv — a *raw* export as a CDP would give it: no customer id, only the ids each
  channel knows (device_id, email, phone, loyalty_id), so stitching has work to do. Web/app/email systems
  write UTC times with an offset ("...Z"); the store tills write naive local times (Europe/Madrid). A few
  bad rows are mixed in on purpose: unparseable timestamps, exact duplicates and an unknown channel ("fax").
* retail_bopis_multichannel.parquet — the same shop before integration (customers rarely recognised), as
  Parquet with UTC timestamps.
* classic_social_to_purchase.csv — a clean log with a customer_id, timestamps to 5 minutes (so ~5 % of
  consecutive events of a customer share a timestamp) and rows shuffled: ties are broken by file order.
* attribution_paths.csv — channel paths to "checkout" from the classic log (path, conversions, nulls):
  the worked example of docs/attribution.md.
"""

from __future__ import annotations

import argparse
import filecmp
import sys
import tempfile
from pathlib import Path

import numpy as np
import pandas as pd

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import journeymap as jm  # noqa: E402
from journeymap.analytics import conversion_paths, simulate  # noqa: E402

OUT = ROOT / "data" / "events"
IDS = ["device_id", "email", "phone", "loyalty_id"]


def _iso_utc(ts: pd.Series) -> pd.Series:
    return ts.dt.strftime("%Y-%m-%dT%H:%M:%SZ")


def retail_raw(seed: int = 11) -> pd.DataFrame:
    journey = jm.load(jm.shipped_journey("retail_bopis_omnichannel"))
    ev = simulate(journey, customers=800, seed=seed)
    ev = ev.sort_values("timestamp", kind="stable").reset_index(drop=True)
    text = _iso_utc(ev["timestamp"])
    store = ev["channel"] == "store"
    local = ev.loc[store, "timestamp"].dt.tz_convert("Europe/Madrid").dt.strftime("%Y-%m-%d %H:%M:%S")
    text[store] = local
    raw = pd.DataFrame({"timestamp": text, "channel": ev["channel"], "activity": ev["activity"],
                        "stage": ev["stage"], **{c: ev[c] for c in IDS}})
    rng = np.random.default_rng(seed)
    rows = rng.choice(len(raw), size=13, replace=False)
    raw.loc[rows[:4], "timestamp"] = ["2026-02-30T10:00:00Z", "n/a", "", "31/31/2026 25:00"]
    raw.loc[rows[4:7], "channel"] = "fax"
    dups = raw.iloc[np.sort(rows[7:])]
    raw = pd.concat([raw, dups]).sort_index(kind="stable").reset_index(drop=True)
    return raw


def retail_multichannel(seed: int = 12) -> pd.DataFrame:
    journey = jm.load(jm.shipped_journey("retail_bopis_multichannel"))
    ev = simulate(journey, customers=800, seed=seed)
    ev = ev.sort_values("timestamp", kind="stable").reset_index(drop=True)
    return ev.drop(columns="customer_id")


def classic(seed: int = 13) -> pd.DataFrame:
    journey = jm.load(jm.shipped_journey("classic_social_to_purchase"))
    ev = simulate(journey, customers=5000, seed=seed, resolution="5min", pause_min=(10.0, 600.0),
                  friction_dropoff=0.1)
    ev = ev.drop(columns=IDS)
    order = np.random.default_rng(seed).permutation(len(ev))
    ev = ev.iloc[order].reset_index(drop=True)
    return ev.assign(timestamp=_iso_utc(ev["timestamp"]))


def write(out: Path) -> list[Path]:
    out.mkdir(parents=True, exist_ok=True)
    written = []
    path = out / "retail_bopis_omnichannel.csv"
    retail_raw().to_csv(path, index=False, lineterminator="\n")
    written.append(path)
    path = out / "retail_bopis_multichannel.parquet"
    retail_multichannel().to_parquet(path, index=False, compression="zstd")
    written.append(path)
    log = classic()
    path = out / "classic_social_to_purchase.csv"
    log.to_csv(path, index=False, lineterminator="\n")
    written.append(path)
    events = log.assign(timestamp=pd.to_datetime(log["timestamp"], utc=True))
    paths = conversion_paths(events, "checkout", case="customer_id")
    path = out / "attribution_paths.csv"
    paths.to_csv(path, index=False, lineterminator="\n")
    written.append(path)
    return written


def check() -> int:
    with tempfile.TemporaryDirectory() as tmp:
        fresh = write(Path(tmp))
        bad = []
        for path in fresh:
            shipped = OUT / path.name
            if path.suffix == ".parquet":
                same = shipped.is_file() and pd.read_parquet(path).equals(pd.read_parquet(shipped))
            else:
                same = shipped.is_file() and filecmp.cmp(path, shipped, shallow=False)
            if not same:
                bad.append(shipped.name)
    if bad:
        print("out of date (run python tools/make_events.py): " + ", ".join(bad), file=sys.stderr)
        return 1
    print("data/events is up to date")
    return 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="compare a fresh run with the shipped files")
    parser.add_argument("--out", type=Path, default=OUT, help="output folder (default data/events)")
    args = parser.parse_args(argv)
    if args.check:
        return check()
    for path in write(args.out):
        print(f"wrote {path.relative_to(ROOT) if path.is_relative_to(ROOT) else path} "
              f"({path.stat().st_size / 1024:.0f} KB)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
