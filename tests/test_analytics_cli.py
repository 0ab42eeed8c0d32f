"""journeymap discover / funnel / attribution, through journeymap.cli.main."""

from __future__ import annotations

import pytest

import journeymap as jm
from journeymap.cli import main
from journeymap.paths import PROJECT_ROOT

EVENTS = PROJECT_ROOT / "data" / "events"
CLASSIC = str(EVENTS / "classic_social_to_purchase.csv")
RAW = str(EVENTS / "retail_bopis_omnichannel.csv")


def test_discover_writes_a_journey(tmp_path, capsys):
    out = tmp_path / "found.yaml"
    assert main(["discover", CLASSIC, "--case", "customer_id", "-o", str(out), "--id", "classic", "--stats"]) == 0
    std = capsys.readouterr()
    assert std.out.startswith(f"wrote {out}:") and "median_min" in std.out
    assert "9,600 rows read, 9,600 kept" in std.err
    j = jm.load(out)
    assert j.id == "classic" and j.touchpoints[0].id == "tiktok_video"


def test_discover_stitches_a_raw_log(tmp_path, capsys):
    out = tmp_path / "found.json"
    code = main(["discover", RAW, "--stitch", "device_id,email,phone,loyalty_id", "--tz", "Europe/Madrid",
                 "-o", str(out)])
    assert code == 0
    err = capsys.readouterr().err
    assert "13 set aside" in err and "channel ids" in err and "customers" in err
    assert jm.load(out).touchpoints[0].id == "ig_ad"


def test_funnel(capsys):
    assert main(["funnel", CLASSIC, "--case", "customer_id", "-q",
                 "--stages", "tiktok_video,ig_profile|blog_post,checkout"]) == 0
    std = capsys.readouterr()
    lines = std.out.splitlines()
    assert lines[0].split()[:3] == ["customers", "conversion", "step_conversion"]
    assert lines[2].startswith("tiktok_video") and std.err == ""
    assert main(["funnel", CLASSIC, "--case", "customer_id", "-q", "--by", "stage", "--format", "csv",
                 "--stages", "awareness,consideration,purchase"]) == 0
    assert capsys.readouterr().out.startswith("step,customers,conversion")


def test_attribution(capsys):
    assert main(["attribution", CLASSIC, "--case", "customer_id", "-q", "--conversion", "checkout"]) == 0
    out = capsys.readouterr().out
    assert out.split()[:5] == ["first", "last", "linear", "time_decay", "markov"]
    assert main(["attribution", str(EVENTS / "attribution_paths.csv"), "--paths", "--format", "csv"]) == 0
    out = capsys.readouterr().out
    assert out.startswith("channel,removal_effect,share,conversions") and "blog,1," in out


@pytest.mark.parametrize(("argv", "status", "message"), [
    (["attribution", CLASSIC, "--case", "customer_id"], 2, "--conversion ACTIVITY is required"),
    (["attribution", CLASSIC, "--conversion", "checkout", "--models", "shapely"], 2, "unknown model(s) shapely"),
    (["funnel", CLASSIC, "--case", "customer_id", "--stages", ","], 2, "--stages needs"),
    (["funnel", CLASSIC, "--case", "customer_id", "--stages", "a", "--by", "region"], 1, "no column 'region'"),
    (["discover", CLASSIC, "-o", "x.yaml"], 1, "missing column(s): case_id"),
    (["discover", CLASSIC, "--no-channel", "-o", "x.yaml"], 2, "touchpoints need a channel"),
    (["discover", RAW, "--stitch", ",", "-o", "x.yaml"], 2, "--stitch needs"),
    (["discover", "nope.csv", "-o", "x.yaml"], 1, "nope.csv: file not found"),
    (["attribution", "nope.csv", "--paths"], 1, "file not found"),
])
def test_errors_are_one_line_not_tracebacks(argv, status, message, capsys, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    assert main(argv) == status
    err = capsys.readouterr().err
    assert message in err and "Traceback" not in err
