"""Numbers quoted in the README are the code's own output."""

import contextlib
from pathlib import Path

import pytest

import journeymap as jm

README = (Path(__file__).resolve().parent.parent / "README.md").read_text(encoding="utf-8")


def test_readme_comparison_block_is_current():
    summary = jm.compare(jm.load(jm.shipped_journey("retail_bopis_multichannel")),
                         jm.load(jm.shipped_journey("retail_bopis_omnichannel"))).summary()
    assert f"```\n{summary}\n```" in README, "update the README block with compare(...).summary()"


def test_readme_quick_start_is_two_commands():
    quick = README.split("## Quick start", 1)[1].split("##", 1)[0]
    block = quick.split("```bash", 1)[1].split("```", 1)[0]
    assert [line.split("#")[0].strip() for line in block.strip().splitlines()] == ["make lab", "make test"]


def _python_blocks(section: str) -> list[str]:
    """The ```python blocks of the README section whose heading is ``section``, in order."""
    body = README.split(f"## {section}\n", 1)[1].split("\n## ", 1)[0]
    return [part.split("```", 1)[0] for part in body.split("```python\n")[1:]]


def test_readme_event_log_example_runs_as_written(monkeypatch):
    """The analytics example runs from the project folder, with what "Using it from Python" defined (jm, j)."""
    import pandas as pd

    (block,) = _python_blocks("Journeys from data (event logs)")
    monkeypatch.chdir(Path(__file__).resolve().parent.parent)
    ns = {"jm": jm, "j": jm.load("data/journeys/retail_bopis_omnichannel.yaml")}
    exec(compile(block, "README.md", "exec"), ns)  # our own README
    assert isinstance(ns["observed"], jm.Journey) and "customer_id" in ns["events"].columns
    assert isinstance(ns["an"].simulate(ns["observed"], customers=10, seed=1), pd.DataFrame)


@pytest.fixture
def events_2026(tmp_path, monkeypatch):
    """The scale-out snippets' folder of Parquet files: a stitched log like the earlier example's (customer_id)."""
    folder = tmp_path / "events_2026"
    folder.mkdir()
    log = jm.analytics.simulate(jm.load(jm.shipped_journey("retail_bopis_omnichannel")), customers=400, seed=4)
    half = log["customer_id"] < "C201"
    for i, part in enumerate((log[half], log[~half])):  # Spark reads microsecond timestamps only
        part.to_parquet(folder / f"part-{i}.parquet", index=False, coerce_timestamps="us")
    monkeypatch.chdir(tmp_path)
    return log


def test_readme_parquet_snippet_runs_as_written(events_2026):
    pytest.importorskip("duckdb")
    block = _python_blocks("When the log outgrows one machine")[0]
    ns: dict = {}
    exec(compile(block, "README.md", "exec"), ns)  # our own README
    ours = jm.analytics.dfg(events_2026, case="customer_id")
    assert ns["g"].counts() == ours.counts()
    assert ns["report"].rows_kept == len(events_2026)
    assert isinstance(ns["journey"], jm.Journey)
    assert [t.id for t in ns["journey"].touchpoints] == [
        t.id for t in jm.analytics.discover(events_2026, case="customer_id").touchpoints]


@pytest.mark.filterwarnings("ignore::FutureWarning")
def test_readme_spark_snippet_runs_as_written(spark, events_2026):
    first, on_spark = _python_blocks("When the log outgrows one machine")[:2]
    ns: dict = {"spark": spark}
    with _spark_working_directory(spark, Path.cwd()):  # Spark resolves relative paths from its own folder
        exec(compile(first.splitlines()[0] + "\n" + on_spark, "README.md", "exec"), ns)
    assert type(ns["events"]).__module__.startswith("pyspark")  # the events stayed in Spark
    assert ns["report"].rows_kept == len(events_2026)
    assert isinstance(ns["journey"], jm.Journey)


@contextlib.contextmanager
def _spark_working_directory(spark, folder: Path):
    """Point the (shared, session-wide) Spark session's local file system at ``folder`` for a while."""
    jvm = spark.sparkContext._jvm
    fs = jvm.org.apache.hadoop.fs.FileSystem.getLocal(spark.sparkContext._jsc.hadoopConfiguration())
    before = fs.getWorkingDirectory()
    fs.setWorkingDirectory(jvm.org.apache.hadoop.fs.Path(folder.as_uri()))
    try:
        yield
    finally:
        fs.setWorkingDirectory(before)


def test_readme_evidence_example_runs_as_written(monkeypatch):
    """The evidence example runs from the project folder and does what its comments say."""
    (block,) = _python_blocks("Designed meets measured: evidence")
    monkeypatch.chdir(Path(__file__).resolve().parent.parent)
    ns = {"jm": jm}
    exec(compile(block, "README.md", "exec"), ns)  # our own README
    first = ns["proposals"][0]
    assert ns["j"].touchpoint(first.target).measured == [first.kind]  # the one accepted suggestion
    assert ns["cal"].journey.transitions[0].evidence == "observed"
    assert ns["j"].touchpoint("checkout").metrics.csat_n > 0


def test_readme_paths_time_money_example_runs_as_written(monkeypatch):
    """The paths/time/segments/attribution/money example runs from the project folder."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    (block,) = _python_blocks("Paths, time, segments, attribution and money")
    monkeypatch.chdir(Path(__file__).resolve().parent.parent)
    ns = {"jm": jm}
    exec(compile(block, "README.md", "exec"), ns)  # our own README
    plt.close("all")
    assert ns["tree"]["customers"].iloc[0] == ns["events"].loc[
        ns["events"]["activity"] == "website_browse", "case_id"].nunique()
    assert ns["ttc"].median <= ns["ttc"].p90
    assert {"markov", "shapley", "position"} <= set(ns["credit"].columns)
    assert ns["cost"].cost_per_customer > 0


def test_readme_deliverables_example_runs_as_written(tmp_path, monkeypatch):
    """The portfolio/check/deck/poster/diff example runs, with what "Using it from Python" defined (jm, j)."""
    (block,) = _python_blocks("Many journeys, health checks and deliverables")
    root = Path(__file__).resolve().parent.parent
    monkeypatch.chdir(tmp_path)
    (tmp_path / "data").symlink_to(root / "data")
    ns = {"jm": jm, "j": jm.load(root / "data/journeys/hotel_stay.yaml")}
    exec(compile(block, "README.md", "exec"), ns)  # our own README
    assert len(ns["pf"].journeys) == len(jm.shipped_journeys())
    assert (tmp_path / "deck.pptx").stat().st_size > 0 and (tmp_path / "poster.pdf").read_bytes()[:5] == b"%PDF-"
    assert ns["changes"].sections and ns["findings"] is not None
