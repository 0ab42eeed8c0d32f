"""The log is ordered once per frame (issue 13): EventLog, the frame cache, and the fast primitives."""

from __future__ import annotations

import gc

import numpy as np
import pandas as pd
import pytest

from journeymap.analytics import _engine, channel_transitions, dfg, eventlog, funnel, variants
from journeymap.analytics.eventlog import EventLog, ordered_log


def _log(n: int = 400, seed: int = 1, nulls: bool = False, span_ns: int = 3 * 86_400 * 10**9) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    frame = pd.DataFrame({
        "case_id": rng.choice([f"c{i}" for i in range(40)], n),
        "activity": rng.choice(list("abcdef"), n),
        "channel": rng.choice(["email", "store", "website"], n),
        "timestamp": pd.to_datetime(1_767_225_600 * 10**9 + rng.integers(0, 6, n) * (span_ns // 6), utc=True),
    })
    if nulls:
        for col in ("case_id", "activity", "timestamp"):
            frame.loc[rng.random(n) < 0.05, col] = None
    return frame


def _reference_rows(frame: pd.DataFrame, activity: str = "activity") -> np.ndarray:
    """Rows by (case in order of first appearance, timestamp, file position), null keys left out."""
    kept = frame.reset_index(drop=True).dropna(subset=["case_id", activity, "timestamp"])
    code = pd.Series(pd.factorize(kept["case_id"])[0], index=kept.index)
    ranked = kept.assign(_c=code, _t=kept["timestamp"].astype("int64"), _r=kept.index)
    return ranked.sort_values(["_c", "_t", "_r"]).index.to_numpy()


@pytest.mark.parametrize("nulls", [False, True])
def test_order_is_case_then_time_then_file_order(nulls):
    frame = _log(nulls=nulls)
    log = ordered_log(frame, "case_id", "activity", "timestamp")
    assert log.rows.tolist() == _reference_rows(frame).tolist()
    assert log.case_labels().tolist() == frame["case_id"].to_numpy()[log.rows].tolist()
    assert log.activity_labels().tolist() == frame["activity"].to_numpy()[log.rows].tolist()


def test_sort_log_equals_a_stable_lexsort():
    rng = np.random.default_rng(2)
    for n, k, span, unit in [(1000, 50, 10, 1000), (20000, 3000, 10**12, 1), (500, 3, 2, 1), (1, 1, 1, 1)]:
        case = np.unique(rng.integers(0, k, n), return_inverse=True)[1]
        ts = rng.integers(-span // 2, span, n) * unit
        perm, codes, times = _engine.sort_log(case, ts)
        expected = np.lexsort((ts, case))
        assert (perm == expected).all() and (codes == case[expected]).all() and (times == ts[expected]).all()


def test_order_falls_back_to_lexsort_when_the_key_does_not_fit(monkeypatch):
    frame = _log(span_ns=500 * 365 * 86_400 * 10**9)  # centuries between a case's events: 2**63 too small
    calls = []
    real = np.lexsort
    monkeypatch.setattr(_engine.np, "lexsort", lambda keys: calls.append(1) or real(keys))
    rows = ordered_log(frame, "case_id", "activity", "timestamp").rows
    assert calls and rows.tolist() == _reference_rows(frame).tolist()


def test_analytics_on_one_frame_order_it_once(monkeypatch):
    frame = _log()
    sorts = []
    real = eventlog.sort_log
    monkeypatch.setattr(eventlog, "sort_log", lambda c, t: sorts.append(1) or real(c, t))
    g = dfg(frame)
    variants(frame)
    funnel(frame, ["a", "b"])
    channel_transitions(frame)
    assert len(sorts) == 1
    assert g.counts() == dfg(frame.copy()).counts()  # a copy is another frame: ordered again, same result
    assert len(sorts) == 2


@pytest.mark.parametrize("change", ["loc", "column", "append"])
def test_a_changed_frame_is_never_served_stale(change):
    frame = _log()
    before = dfg(frame).counts()
    if change == "loc":
        frame.loc[frame.index[0], "activity"] = "zz"
    elif change == "column":
        frame["timestamp"] = frame["timestamp"][::-1].to_numpy()
    else:
        frame.loc[len(frame)] = ["c1", "zz", "email", frame["timestamp"].max()]
    after = dfg(frame).counts()
    assert after == dfg(frame.copy()).counts()
    assert after != before


def test_the_cache_goes_with_the_frame():
    frame = _log()
    dfg(frame)
    key = id(frame)
    assert key in eventlog._FRAMES
    del frame
    gc.collect()
    assert key not in eventlog._FRAMES


def test_eventlog_from_frame_names_columns_once():
    frame = _log().rename(columns={"case_id": "customer", "activity": "step"})
    log = EventLog.from_frame(frame, case="customer", activity="step")
    assert len(log) == len(frame) and "customer" in repr(log)
    view = log.ordered()
    assert view.activity_labels().tolist() == frame["step"].to_numpy()[view.rows].tolist()
    with pytest.raises(Exception, match="missing column"):
        EventLog.from_frame(frame)


def test_variants_survive_a_hash_collision(monkeypatch):
    frame = _log()
    expected = variants(frame.copy())
    monkeypatch.setattr(_engine, "_mix", lambda x, mult: np.zeros_like(x))  # every sequence collides
    got = variants(frame.copy())
    pd.testing.assert_frame_equal(got, expected)
    assert len(got) > 5


def test_variants_equal_the_plain_python_count():
    frame = _log(n=2000, seed=4)
    log = ordered_log(frame, "case_id", "activity", "timestamp")
    seqs: dict[str, list[str]] = {}
    for c, a in zip(log.case_labels(), log.activity_labels(), strict=True):
        seqs.setdefault(c, []).append(a)
    counts: dict[tuple[str, ...], int] = {}
    for s in seqs.values():
        counts[tuple(s)] = counts.get(tuple(s), 0) + 1
    got = variants(frame)
    assert dict(zip(got["variant"], got["cases"], strict=True)) == counts
    first_seen = list(dict.fromkeys(tuple(s) for s in seqs.values()))  # equal counts: first case first
    ranked = sorted(first_seen, key=lambda v: -counts[v])
    assert list(got["variant"]) == ranked


def test_count_pairs_dense_and_sparse_agree():
    rng = np.random.default_rng(0)
    a, b = rng.integers(0, 50, 5000), rng.integers(0, 50, 5000)
    dense = _engine.count_pairs(a, b, 50)
    sparse = _engine.count_pairs(a * 10**6, b, 50)  # a table too big for bincount: the np.unique path
    assert [x.tolist() for x in dense[1:]] == [x.tolist() for x in sparse[1:]]
    assert (sparse[0] == dense[0] * 10**6).all() and dense[2].sum() == 5000


def _parquet(tmp_path, frame: pd.DataFrame, name: str = "log.parquet"):
    path = tmp_path / name
    frame.to_parquet(path)
    return path


def test_a_small_parquet_log_is_read_once_and_runs_in_memory(tmp_path, monkeypatch):
    from journeymap.analytics import _memory

    frame = _log(n=3000, seed=5)
    frame["timestamp"] = frame["timestamp"].astype("datetime64[us, UTC]")
    path = _parquet(tmp_path, frame)
    monkeypatch.setenv("JOURNEYMAP_MEMORY_ROWS", "0")  # the DuckDB engine, for reference
    lazy = (dfg(path).counts(), variants(path)["cases"].tolist(), funnel(path, ["a", "b"])["customers"].tolist(),
            channel_transitions(path).to_dict())
    monkeypatch.setenv("JOURNEYMAP_MEMORY_ROWS", "1000000")
    reads, sorts = [], []
    real_read, real_sort = pd.read_parquet, eventlog.sort_log
    monkeypatch.setattr(pd, "read_parquet", lambda *a, **k: reads.append(1) or real_read(*a, **k))
    monkeypatch.setattr(eventlog, "sort_log", lambda c, t: sorts.append(1) or real_sort(c, t))
    got = (dfg(path).counts(), variants(path)["cases"].tolist(), funnel(path, ["a", "b"])["customers"].tolist(),
           channel_transitions(path).to_dict())
    assert got == lazy
    assert len(reads) == 1 and len(sorts) == 1
    assert _memory.in_memory(str(path), ["case_id", "activity", "timestamp"]) is _memory._LAST["frame"]


def test_parquet_logs_the_memory_route_leaves_to_duckdb(tmp_path, monkeypatch):
    from journeymap.analytics import _memory, conformance

    monkeypatch.setenv("JOURNEYMAP_MEMORY_ROWS", "1000000")
    frame = _log(n=200)
    cols = ["case_id", "activity", "timestamp"]
    text = _parquet(tmp_path, frame.assign(timestamp=frame["timestamp"].astype(str)), "text.parquet")
    assert _memory.in_memory(str(text), cols) is None  # text timestamps: DuckDB's time rule
    ordered_file = _parquet(tmp_path, frame.assign(event_row=np.arange(len(frame)) * 2), "rows.parquet")
    assert _memory.in_memory(str(ordered_file), cols) is None  # file order given by event_row
    plain = _parquet(tmp_path, frame, "plain.parquet")
    assert _memory.in_memory(str(plain), [*cols, "no_such_column"]) is None
    assert _memory.in_memory(str(plain), cols) is not None
    monkeypatch.setenv("JOURNEYMAP_MEMORY_ROWS", "100")
    assert _memory.in_memory(str(_parquet(tmp_path, frame, "big.parquet")), cols) is None  # too many rows
    import journeymap as jm

    design = jm.load(jm.shipped_journey("retail_bopis_omnichannel"))
    report = conformance(design, plain)
    assert not isinstance(report.fits, pd.Series)  # conformance keeps `fits` in the engine


def test_an_eventlog_fills_in_the_column_names(tmp_path):
    frame = _log().rename(columns={"case_id": "customer", "activity": "step", "channel": "via"})
    log = EventLog.from_frame(frame, case="customer", activity="step", channel="via")
    assert dfg(log).counts() == dfg(frame, case="customer", activity="step").counts()
    assert funnel(log, ["a", "b"]).equals(funnel(frame, ["a", "b"], by="step", case="customer"))
    assert channel_transitions(log).equals(channel_transitions(frame, case="customer", channel="via"))
    assert dfg(log, activity="via").counts() == dfg(frame, case="customer", activity="via").counts()
