"""Simulate an event log from a designed journey (for teaching, testing and the shipped logs).

Each simulated customer starts at an entry touchpoint, in the proportions of
the touchpoints' ``entry_share`` if the journey gives them (a discovered
journey does), else at one with no incoming transition (several are equally
likely), and moves along the transitions. From touchpoint *a* a customer goes on to *b* with probability

    p(a → b) = share(a → b) × (1 − friction_dropoff × friction(a) / 100)

and otherwise leaves: the designed drop-off (1 − Σ shares) plus an extra
drop-off that grows linearly with the friction (0..100) of the touchpoint
just lived. ``friction_dropoff=0`` reproduces the designed shares exactly.
Friction comes from :func:`journeymap.score` (``by_touchpoint["friction"]``)
when the scoring module is installed, else from :func:`touchpoint_friction`'s
fallback; or pass your own mapping.

Time: the first event falls uniformly in ``days`` days from ``start``; the
next one comes ``duration_min`` of the touchpoint left + a pause +
``wait_min`` of the touchpoint reached. The pause is exponential with a mean
of ``pause_min[0]`` minutes within a stage and ``pause_min[1]`` across stages.

Identities (``identities=True``): each customer has an email, a phone, a
loyalty card and two devices. Every event carries the id its channel knows
(device for web, app, social and ads; email for email; phone for SMS,
messaging and calls; loyalty card in store or branch; none for print, TV or
word of mouth). When the customer arrives **recognised** (the transition's
``recognised`` is true) the event also carries their email — that is what lets
:func:`~journeymap.analytics.stitch` join the channels.

Example
-------
>>> import journeymap as jm
>>> j = jm.load(jm.shipped_journey("retail_bopis_omnichannel"))
>>> ev = simulate(j, customers=50, seed=1)
>>> list(ev.columns)
['customer_id', 'timestamp', 'activity', 'channel', 'stage', 'device_id', 'email', 'phone', 'loyalty_id']
>>> ev["customer_id"].nunique(), bool((ev.groupby("customer_id")["activity"].first() == "ig_ad").all())
(50, True)
"""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np
import pandas as pd

from journeymap.model import Journey
from journeymap.scoring.flow import entry_distribution

ID_COLUMNS = ("device_id", "email", "phone", "loyalty_id")

_NATIVE_BY_CHANNEL = {
    "mobile_app": "device0", "push": "device0", "email": "email", "sms": "phone", "whatsapp": "phone",
    "messenger": "phone", "phone": "phone", "store": "loyalty_id", "branch": "loyalty_id",
    "kiosk": "loyalty_id", "event": "loyalty_id", "postal_mail": None, "print_ad": None, "tv_radio": None,
    "word_of_mouth": None,
}
_NATIVE_BY_KIND = {"digital_owned": "device", "social": "device0", "paid_media": "device0",
                   "messaging": "phone", "human_assisted": "phone", "physical": "loyalty_id"}


def touchpoint_friction(journey: Journey) -> pd.Series:
    """Friction 0..100 per touchpoint id, as :func:`simulate` uses it.

    From :func:`journeymap.score` (the ``friction`` column of ``by_touchpoint``).

    >>> import journeymap as jm
    >>> f = touchpoint_friction(jm.load(jm.shipped_journey("retail_bopis_multichannel")))
    >>> bool(f.between(0, 100).all())
    True
    """
    from journeymap.scoring import score

    return score(journey).by_touchpoint["friction"].astype(float).rename("friction")


def _native(journey: Journey, channel: str) -> str | None:
    if channel in _NATIVE_BY_CHANNEL:
        return _NATIVE_BY_CHANNEL[channel]
    return _NATIVE_BY_KIND[journey.channel_info(channel).kind]


def simulate(
    journey: Journey,
    customers: int = 1000,
    seed: int = 0,
    *,
    start: str | pd.Timestamp = "2026-03-02",
    days: float = 28,
    friction: Mapping[str, float] | pd.Series | None = None,
    friction_dropoff: float = 0.3,
    pause_min: tuple[float, float] = (15.0, 720.0),
    identities: bool = True,
    resolution: str | None = "1s",
    max_events: int = 60,
) -> pd.DataFrame:
    """An event log of ``customers`` simulated customers of ``journey`` (deterministic for a ``seed``).

    Columns: ``customer_id`` (the true customer), ``timestamp`` (UTC, floored
    to ``resolution``), ``activity`` (touchpoint id), ``channel``, ``stage``,
    and with ``identities`` the per-channel ids ``device_id``, ``email``,
    ``phone``, ``loyalty_id``. Rows are sorted by customer and time. A
    customer stops after ``max_events`` events (loops). See the module notes
    for the rules.
    """
    if customers < 0:
        raise ValueError("customers must be ≥ 0")
    if not 0 <= friction_dropoff <= 1:
        raise ValueError("friction_dropoff must be between 0 and 1")
    rng = np.random.default_rng(seed)
    tps = journey.touchpoints
    index = {tp.id: i for i, tp in enumerate(tps)}
    n_tp = len(tps)
    fr = touchpoint_friction(journey) if friction is None else pd.Series(friction, dtype=float)
    keep = 1 - friction_dropoff * np.clip(fr.reindex([tp.id for tp in tps]).fillna(0).to_numpy(), 0, 100) / 100
    prob = np.zeros((n_tp, n_tp))
    recog = np.zeros((n_tp, n_tp), dtype=bool)
    for tr in journey.transitions:
        a, b = index[tr.source], index[tr.target]
        prob[a, b] = tr.share * keep[a]
        recog[a, b] = tr.recognised
    cum = np.cumsum(prob, axis=1)
    duration = np.array([tp.duration_min or 0.0 for tp in tps])
    wait = np.array([tp.wait_min or 0.0 for tp in tps])
    stage = np.array([tp.stage for tp in tps], dtype=object)

    split = entry_distribution(journey)
    starts = np.array([index[e] for e in split])
    weights = np.array(list(split.values()))
    if np.ptp(weights) > 0:  # entry shares given: customers start in those proportions
        cur = starts[np.minimum(np.searchsorted(np.cumsum(weights), rng.random(customers), side="right"),
                                len(starts) - 1)]
    else:
        cur = starts[rng.integers(len(starts), size=customers)]
    t = rng.uniform(0, days * 24 * 60, size=customers)
    who = np.arange(customers)
    recognised = np.zeros(customers, dtype=bool)
    parts = []
    for _ in range(max_events):
        if not len(who):
            break
        parts.append((who, cur, t.copy(), recognised))
        u = rng.random(len(who))
        nxt = (u[:, None] >= cum[cur]).sum(axis=1)
        go = nxt < n_tp
        pause_mean = np.where(stage[cur] == stage[np.minimum(nxt, n_tp - 1)], *pause_min)
        pause = rng.exponential(1.0, size=len(who)) * pause_mean
        who, prev, nxt, t = who[go], cur[go], nxt[go], t[go]
        t = t + duration[prev] + pause[go] + wait[nxt]
        recognised = recog[prev, nxt]
        cur = nxt
    cust = np.concatenate([p[0] for p in parts]) if parts else np.zeros(0, dtype=np.int64)
    tp_i = np.concatenate([p[1] for p in parts]) if parts else np.zeros(0, dtype=np.int64)
    minutes = np.concatenate([p[2] for p in parts]) if parts else np.zeros(0)
    rec = np.concatenate([p[3] for p in parts]) if parts else np.zeros(0, dtype=bool)
    ts = pd.Timestamp(start, tz="UTC") + pd.to_timedelta(minutes * 60_000_000_000, unit="ns")
    ts = pd.DatetimeIndex(ts)
    if resolution:
        ts = ts.floor(resolution)
    width = len(str(max(customers, 1)))
    frame = pd.DataFrame({
        "customer_id": [f"C{i + 1:0{width}d}" for i in cust],
        "timestamp": ts,
        "activity": np.array([tp.id for tp in tps], dtype=object)[tp_i],
        "channel": np.array([tp.channel for tp in tps], dtype=object)[tp_i],
        "stage": stage[tp_i],
    })
    if identities:
        _add_identities(frame, journey, cust, rec, customers, rng)
    frame["_m"] = minutes
    frame = frame.sort_values(["customer_id", "_m"], kind="stable").drop(columns="_m")
    return frame.reset_index(drop=True)


def _add_identities(frame: pd.DataFrame, journey: Journey, cust: np.ndarray, rec: np.ndarray, customers: int,
                    rng: np.random.Generator) -> None:
    token = rng.integers(16**9, 16**10, size=(customers, 4))
    email = np.array([f"u{x:x}@mail.example" for x in token[:, 0]], dtype=object)
    phone = np.array([f"+34 6{x % 10**8:08d}" for x in token[:, 1]], dtype=object)
    loyalty = np.array([f"L{x % 10**9:09d}" for x in token[:, 2]], dtype=object)
    devices = np.array([[f"d-{x:x}", f"d-{x ^ 0x5A5A5A5A5:x}"] for x in token[:, 3]], dtype=object)
    if customers == 0:
        devices = devices.reshape(0, 2)
    natives = {ch: _native(journey, ch) for ch in frame["channel"].unique()}
    native = frame["channel"].map(natives).to_numpy()
    pick = rng.integers(2, size=len(frame))
    cols = {name: np.full(len(frame), None, dtype=object) for name in ID_COLUMNS}
    m = native == "device0"
    cols["device_id"][m] = devices[cust[m], 0]
    m = native == "device"
    cols["device_id"][m] = devices[cust[m], pick[m]]
    m = native == "phone"
    cols["phone"][m] = phone[cust[m]]
    m = native == "loyalty_id"
    cols["loyalty_id"][m] = loyalty[cust[m]]
    m = (native == "email") | rec
    cols["email"][m] = email[cust[m]]
    for name in ID_COLUMNS:
        frame[name] = cols[name]
