"""Issue 13 item 3: channels a journey defines (custom channels) survive every analytic.

simulate → read_events → discover → conformance keeps them on pandas, on the lazy Parquet path (DuckDB) and
on Spark, and on the command line (``--journey``, ``--channels``, ``--keep-unknown-channels``).
"""

from __future__ import annotations

import io

import pandas as pd
import pytest

import journeymap as jm
from journeymap.analytics import conformance, discover, discover_with_stats, read_events, simulate
from journeymap.channels import CATALOGUE, Channel, known_channels
from journeymap.cli import main
from journeymap.errors import JourneyError

#: Shipped journeys that define channels of their own.
CUSTOM = ["hotel_stay", "salud_cita_medica", "telecom_tech_support"]


def _journey(name: str = "telecom_tech_support") -> jm.Journey:
    return jm.load(jm.shipped_journey(name))


def _custom_ids(journey: jm.Journey) -> set[str]:
    return {c.id for c in journey.channels}


@pytest.fixture(scope="module")
def telecom() -> tuple[jm.Journey, pd.DataFrame]:
    j = _journey()
    return j, simulate(j, customers=600, seed=5)


def test_simulate_emits_the_journeys_own_channels(telecom):
    j, ev = telecom
    assert _custom_ids(j) == {"router", "home_visit"}
    assert _custom_ids(j) <= set(ev["channel"])


def test_known_channels_is_catalogue_plus_journey_plus_list():
    j = _journey()
    fax = Channel(id="fax", kind="messaging", name_en="Fax", name_es="Fax")
    known = known_channels(j, ["Kiosk", " Pager ", fax, "web site"])
    assert set(CATALOGUE) <= set(known)
    assert known["router"] is j.channels[0] and known["router"].kind == "physical"  # the journey's definition
    assert known["kiosk"] is CATALOGUE["kiosk"]  # ids compare trimmed and lower-cased
    assert known["pager"].id == "pager" and known["pager"].kind == "digital_owned"
    assert known["fax"] is fax
    assert known["web site"].id == "web_site"  # made file-safe
    # a made-up id never takes an id already used
    assert known_channels(channels=[Channel(id="a_b", kind="social", name_en="x", name_es="x"), "a b"])[
        "a b"].id == "a_b_2"


@pytest.mark.parametrize("how", ["journey", "ids", "objects"])
def test_read_events_accepts_the_journeys_channels(telecom, how):
    j, ev = telecom
    extra = {"journey": {"journey": j}, "ids": {"channels": ["ROUTER", "home_visit"]},
             "objects": {"channels": list(j.channels)}}[how]
    events, report = read_events(ev, case="customer_id", **extra)
    assert report.rows_set_aside == 0 and report.rows_kept == len(ev)
    assert set(events["channel"]) == set(ev["channel"])


def test_without_them_the_channels_are_still_set_aside(telecom):
    _, ev = telecom
    _, report = read_events(ev, case="customer_id")
    assert report.set_aside["unknown_channel"] == int(ev["channel"].isin(["router", "home_visit"]).sum())


@pytest.mark.parametrize("name", CUSTOM)
def test_conformance_of_a_simulated_log_is_complete(name):
    """The design fits every simulated customer once the log is read with the design's channels
    (it fell to 87 %, 72 % and 0 % on these journeys when their channels were set aside)."""
    j = _journey(name)
    ev = simulate(j, customers=800, seed=11)
    events, report = read_events(ev, case="customer_id", journey=j)
    assert report.rows_set_aside == 0
    result = conformance(j, events)
    assert result.fitness == 1.0 and result.cases == 800
    assert len(result.unexpected) == 0 and len(result.unknown_activities) == 0


@pytest.mark.parametrize("name", CUSTOM)
def test_discover_keeps_custom_channels_and_finds_no_false_loop(name):
    j = _journey(name)
    ev = simulate(j, customers=800, seed=2)
    events, _ = read_events(ev, case="customer_id", journey=j)
    found = discover(events, journey=j)
    designed = {(t.source, t.target) for t in j.transitions}
    assert {(t.source, t.target) for t in found.transitions} <= designed  # no self-loop that never happened
    used = {tp.channel for tp in found.touchpoints}
    assert {c.id for c in found.channels} == used - set(CATALOGUE)
    assert {c.id: c for c in found.channels} == {c.id: c for c in j.channels if c.id in used}
    assert {tp.id: tp.channel for tp in found.touchpoints} == {tp.id: tp.channel for tp in j.touchpoints
                                                               if tp.id in set(events["activity"])}
    assert jm.Journey.model_validate(found.model_dump(by_alias=True)) == found  # saves and loads


def test_discover_stops_on_unknown_channels_unless_kept(telecom):
    j, ev = telecom
    events, _ = read_events(ev, case="customer_id", unknown_channels="keep")
    with pytest.raises(JourneyError, match=r"home_visit, router; pass the journey"):
        discover(events)
    kept = discover(events, unknown_channels="keep")
    assert {c.id: c.kind for c in kept.channels} == {"router": "digital_owned", "home_visit": "digital_owned"}
    listed = discover(events, channels=["router", "home_visit"])
    assert [tp.channel for tp in listed.touchpoints] == [tp.channel for tp in kept.touchpoints]
    assert discover(events, journey=j).channels == j.channels


def test_discover_takes_the_raw_simulated_frame(telecom):
    j, ev = telecom
    found = discover(ev, case="customer_id", journey=j)
    assert {c.id for c in found.channels} == {"router", "home_visit"}


def test_unknown_channel_text_becomes_a_safe_id():
    ev = pd.DataFrame({"case_id": ["a", "a", "b"], "activity": ["x", "y", "x"],
                       "channel": ["Fax Machine!", "email", "Fax Machine!"],
                       "timestamp": pd.to_datetime(["2026-01-01", "2026-01-02", "2026-01-01"], utc=True)})
    events, report = read_events(ev, unknown_channels="keep")
    assert report.rows_set_aside == 0
    found = discover(events, unknown_channels="keep")
    assert [(c.id, c.name_en) for c in found.channels] == [("fax_machine", "fax machine!")]
    assert found.touchpoint("x").channel == "fax_machine"


# -- the lazy engines ------------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def telecom_parquet(telecom, tmp_path_factory) -> str:
    pytest.importorskip("duckdb")
    path = tmp_path_factory.mktemp("custom") / "telecom.parquet"
    telecom[1].to_parquet(path, coerce_timestamps="us")  # Spark reads microsecond timestamps only
    return str(path)


def test_lazy_parquet_keeps_custom_channels(telecom, telecom_parquet):
    j, ev = telecom
    lazy, report = read_events(telecom_parquet, case="customer_id", journey=j, lazy=True)
    assert not isinstance(lazy, pd.DataFrame)
    assert report.rows_set_aside == 0 and report.rows_kept == len(ev)
    eager, _ = read_events(ev, case="customer_id", journey=j)
    assert conformance(j, lazy).fitness == conformance(j, eager).fitness == 1.0
    a, b = discover_with_stats(lazy, journey=j), discover_with_stats(eager, journey=j)
    assert a.journey.model_dump(exclude={"description"}) == b.journey.model_dump(exclude={"description"})
    assert a.journey.channels == j.channels


def test_lazy_parquet_without_the_journey_sets_them_aside(telecom, telecom_parquet):
    _, ev = telecom
    _, report = read_events(telecom_parquet, case="customer_id", lazy=True)
    assert report.set_aside["unknown_channel"] == int(ev["channel"].isin(["router", "home_visit"]).sum())
    kept, _ = read_events(telecom_parquet, case="customer_id", lazy=True, unknown_channels="keep")
    assert {c.id for c in discover(kept, unknown_channels="keep").channels} == {"router", "home_visit"}


@pytest.mark.filterwarnings("ignore::FutureWarning")
def test_spark_keeps_custom_channels(spark, telecom, telecom_parquet):
    j, _ = telecom
    events, report = read_events(spark.read.parquet(telecom_parquet), case="customer_id", journey=j)
    assert type(events).__module__.startswith("pyspark")
    assert report.rows_set_aside == 0
    assert conformance(j, events).fitness == 1.0
    assert discover(events, journey=j).channels == j.channels


# -- the command line --------------------------------------------------------------------------------------------


@pytest.fixture
def telecom_csv(telecom, tmp_path) -> str:
    path = tmp_path / "telecom.csv"
    telecom[1].to_csv(path, index=False)
    return str(path)


def test_cli_discover_keep_unknown_channels(telecom_csv, tmp_path, capsys):
    out = tmp_path / "kept.yaml"
    assert main(["discover", telecom_csv, "--case", "customer_id", "-o", str(out), "--keep-unknown-channels"]) == 0
    assert "0 set aside" in capsys.readouterr().err
    assert {c.id for c in jm.load(out).channels} == {"router", "home_visit"}


def test_cli_discover_with_the_journeys_channels(telecom, telecom_csv, tmp_path, capsys):
    j, _ = telecom
    out = tmp_path / "found.yaml"
    design = jm.shipped_journey("telecom_tech_support")
    assert main(["discover", telecom_csv, "--case", "customer_id", "-o", str(out), "--journey", str(design)]) == 0
    assert jm.load(out).channels == j.channels
    listed = tmp_path / "listed.yaml"
    assert main(["discover", telecom_csv, "--case", "customer_id", "-o", str(listed), "-q",
                 "--channels", "router,home_visit"]) == 0
    assert {c.id for c in jm.load(listed).channels} == {"router", "home_visit"}


def test_cli_funnel_counts_steps_on_custom_channels(telecom, telecom_csv, capsys):
    _, ev = telecom
    first = ev.groupby("customer_id")["activity"].first()
    step = first.value_counts().index[0]
    assert j_channel(step) in {"router", "home_visit"}
    assert main(["funnel", telecom_csv, "--case", "customer_id", "-q", "--journey",
                 str(jm.shipped_journey("telecom_tech_support")), "--stages", step, "--format", "csv"]) == 0
    assert capsys.readouterr().out.splitlines()[1].startswith(f"{step},{ev['customer_id'].nunique()},")


def j_channel(tp_id: str) -> str:
    return _journey().touchpoint(tp_id).channel


def test_cli_bad_journey_file_is_one_line(telecom_csv, tmp_path, capsys):
    assert main(["funnel", telecom_csv, "--case", "customer_id", "--journey", str(tmp_path / "nope.yaml"),
                 "--stages", "a"]) == 1
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and "nope.yaml" in err[0] and "Traceback" not in err[0]


def test_cli_conformance_reads_the_log_with_the_designs_channels(telecom, telecom_csv, capsys):
    _, ev = telecom
    design = str(jm.shipped_journey("telecom_tech_support"))
    assert main(["conformance", design, telecom_csv, "--case", "customer_id"]) == 0
    std = capsys.readouterr()
    assert std.out.startswith(f"{ev['customer_id'].nunique()} of {ev['customer_id'].nunique()} customers (100.0%)")
    assert "0 set aside" in std.err
    assert main(["conformance", design, telecom_csv, "--case", "customer_id", "-q", "--format", "csv"]) == 0
    table = pd.read_csv(io.StringIO(capsys.readouterr().out))
    assert table["key"].tolist() == [t.key for t in _journey().transitions]
    assert table["count"].sum() == len(ev) - ev["customer_id"].nunique()  # every move is a designed one


def test_cli_conformance_bad_design_is_one_line(telecom_csv, tmp_path, capsys):
    assert main(["conformance", str(tmp_path / "nope.yaml"), telecom_csv]) == 1
    err = capsys.readouterr().err.strip().splitlines()
    assert err == [f"{tmp_path / 'nope.yaml'}: file not found"]
