"""The synthetic sample evidence in data/evidence/ (issue 14 part 5): complete, reproducible, safe, with signal."""

from __future__ import annotations

import csv
import importlib.util
import io
import re
import shutil
from pathlib import Path

import pandas as pd
import pytest
import yaml

import journeymap as jm
from journeymap.safety import FORMULA_START, csv_restore

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT / "data" / "evidence"
JOURNEYS = {p.stem: jm.load(p) for p in jm.shipped_journeys()}
KINDS = ("keywords.yaml", "survey.csv", "quotes.csv")
NEGATIVE = ("slow", "terrible", "nightmare", "awful", "useless", "lento", "horrible", "pesadilla", "fatal", "no sirve")


def _tool():
    spec = importlib.util.spec_from_file_location("make_evidence", ROOT / "tools" / "make_evidence.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="module")
def tool():
    return _tool()


def _survey(jid: str) -> pd.DataFrame:
    return pd.read_csv(DATA / f"{jid}_survey.csv", dtype={"touchpoint": str, "stage": str, "comment": str},
                       keep_default_na=False, na_values={"nps": [""], "csat": [""], "ces": [""]})


def _quotes(jid: str) -> pd.DataFrame:
    return pd.read_csv(DATA / f"{jid}_quotes.csv", dtype=str, keep_default_na=False)


def _keywords(jid: str) -> dict[str, list[str]]:
    return yaml.safe_load((DATA / f"{jid}_keywords.yaml").read_text(encoding="utf-8"))


def test_every_shipped_journey_has_each_kind_of_file_and_the_folder_is_small():
    assert len(JOURNEYS) >= 8
    for jid in JOURNEYS:
        for kind in KINDS:
            assert (DATA / f"{jid}_{kind}").is_file(), f"{jid}_{kind} missing"
    total = sum(p.stat().st_size for p in DATA.iterdir() if p.is_file())
    print(f"data/evidence: {total / 1024:.0f} KB")
    assert total <= 2 * 1024 * 1024
    assert (DATA / "README.md").read_text(encoding="utf-8").lower().count("synthetic") >= 1


def test_a_fresh_run_gives_byte_identical_files(tool, tmp_path):
    written = tool.write(tmp_path)
    assert len(written) == 3 * len(JOURNEYS)
    for path in written:
        assert path.read_bytes() == (DATA / path.name).read_bytes(), f"{path.name} differs from a fresh run"


def test_check_mode_spots_a_stale_file(tool, tmp_path, monkeypatch, capsys):
    jid = "hotel_stay"
    shipped = tmp_path / "shipped"
    shipped.mkdir()
    for kind in KINDS:
        shutil.copy(DATA / f"{jid}_{kind}", shipped)
    monkeypatch.setattr(tool, "OUT", shipped)
    assert tool.main(["--check", "--only", jid]) == 0
    path = shipped / f"{jid}_quotes.csv"
    path.write_text(path.read_text(encoding="utf-8").replace("q001", "q999"), encoding="utf-8")
    assert tool.main(["--check", "--only", jid]) == 1
    assert f"{jid}_quotes.csv" in capsys.readouterr().err


@pytest.mark.parametrize("jid", sorted(JOURNEYS))
def test_ids_in_the_files_exist_in_the_journey(jid):
    journey = JOURNEYS[jid]
    tps = {tp.id for tp in journey.touchpoints}
    stages = {s.id for s in journey.stages}
    survey = _survey(jid)
    assert set(survey.columns) >= {"respondent", "touchpoint", "stage", "nps", "csat", "ces", "comment", "date",
                                   "segment", "lang"}
    has_tp, has_stage = survey["touchpoint"] != "", survey["stage"] != ""
    assert (has_tp ^ has_stage).all(), "each row names a touchpoint OR a stage"
    assert set(survey.loc[has_tp, "touchpoint"]) <= tps
    assert set(survey.loc[has_stage, "stage"]) <= stages
    assert has_stage.sum() > 0
    assert set(_keywords(jid)) == tps


@pytest.mark.parametrize("kind", ["survey.csv", "quotes.csv"])
def test_no_cell_can_run_as_a_spreadsheet_formula(kind):
    guarded = 0
    for jid in JOURNEYS:
        text = (DATA / f"{jid}_{kind}").read_text(encoding="utf-8")
        for row in csv.reader(io.StringIO(text)):
            for cell in row:
                assert not cell.startswith(FORMULA_START), f"{jid}_{kind}: {cell!r}"
                guarded += cell != csv_restore(cell)
    if kind == "quotes.csv":  # social posts start with @brand: stored guarded, restored exactly
        assert guarded > 0
        posts = [csv_restore(t) for jid in JOURNEYS for t in _quotes(jid).query("source == 'social post'")["text"]]
        assert posts and all(p.startswith("@") for p in posts)


@pytest.mark.parametrize("jid", sorted(JOURNEYS))
def test_survey_shape_ranges_and_small_steps(jid):
    survey = _survey(jid)
    per = survey.groupby("respondent").size()
    assert 150 <= len(per) <= 400 and per.between(1, 4).all()
    assert survey["nps"].dropna().between(0, 10).all()
    assert survey["csat"].dropna().between(1, 5).all()
    assert survey["ces"].dropna().between(1, 7).all()
    empty = survey[["nps", "csat", "ces"]].isna().sum()
    assert (empty > 0).all() and (empty < 0.1 * len(survey)).all(), "a few empty answers, not many"
    dates = pd.to_datetime(survey["date"], format="%Y-%m-%d")
    assert dates.min() >= pd.Timestamp("2026-03-02") and dates.max() <= pd.Timestamp("2026-03-29")
    assert (dates.max() - dates.min()).days >= 21
    assert set(survey["segment"]) <= {"new", "returning", "frequent"} and survey["segment"].nunique() == 3
    n = survey[survey["touchpoint"] != ""].groupby("touchpoint").size()
    assert (n < 30).sum() >= 2, "some steps have n < 30 on purpose"
    assert (n >= 30).sum() >= len(n) // 2
    share = (survey["comment"] != "").mean()
    assert 0.2 <= share <= 0.4, share


@pytest.mark.parametrize("jid", sorted(JOURNEYS))
def test_language_mix(jid):
    home = JOURNEYS[jid].lang
    for frame in (_survey(jid), _quotes(jid)):
        langs = frame["lang"].value_counts(normalize=True)
        assert set(langs.index) == {"en", "es"}
        assert langs[home] > 0.5 and langs.min() >= 0.15
    comments = _survey(jid).query("comment != ''")
    assert set(comments["lang"]) == {"en", "es"}


@pytest.mark.parametrize("jid", sorted(JOURNEYS))
def test_answers_follow_the_journeys_values(tool, jid):
    journey = JOURNEYS[jid]
    survey = _survey(jid).query("touchpoint != ''")
    means = survey.groupby("touchpoint")[["csat", "ces", "nps"]].mean()
    drive = {t: v[0] for t, v in tool._mood(journey).items()}  # emotion up, effort and pain points down
    values = pd.DataFrame({"emotion": [tp.emotion for tp in journey.touchpoints],
                           "effort": [tp.effort or 3 for tp in journey.touchpoints],
                           "drive": [drive[tp.id] for tp in journey.touchpoints]},
                          index=[tp.id for tp in journey.touchpoints]).loc[means.index]
    rho = {"csat~drive": means["csat"].corr(values["drive"], method="spearman"),
           "nps~drive": means["nps"].corr(values["drive"], method="spearman"),
           "ces~effort": means["ces"].corr(values["effort"], method="spearman"),
           "csat~emotion": means["csat"].corr(values["emotion"], method="spearman")}
    print(jid, {k: round(float(v), 2) for k, v in rho.items()})
    assert rho["csat~drive"] > 0.6 and rho["nps~drive"] > 0.6 and rho["ces~effort"] > 0.6
    if values["emotion"].max() - values["emotion"].min() >= 2:  # the future-state journey is uniformly happy
        assert rho["csat~emotion"] > 0.5
    worst, best = values["drive"].idxmin(), values["drive"].idxmax()
    assert means.loc[worst, "csat"] < means.loc[best, "csat"]


@pytest.mark.parametrize("jid", sorted(JOURNEYS))
def test_keywords_are_bilingual_and_unambiguous(tool, jid):
    keywords = _keywords(jid)
    for tp, words in keywords.items():
        assert 3 <= len(words) <= 8 and len(set(words)) == len(words), tp
        assert tool.KEYWORDS[jid][tp]["en"] and tool.KEYWORDS[jid][tp]["es"], tp
        assert words == tool.phrases(jid)[tp]
    for tp, words in keywords.items():
        for other, theirs in keywords.items():
            if other != tp:
                clash = [(a, b) for a in words for b in theirs if a.lower() in b.lower()]
                assert not clash, f"{tp} phrase inside {other}'s: {clash}"


def _found(text: str, words: list[str]) -> bool:
    return any(re.search(r"(?<!\w)" + re.escape(w.lower()) + r"(?!\w)", text.lower()) for w in words)


@pytest.mark.parametrize("jid", sorted(JOURNEYS))
def test_comments_name_their_step_with_a_tone_matching_the_answer(jid):
    keywords = _keywords(jid)
    stage_of = {tp.id: tp.stage for tp in JOURNEYS[jid].touchpoints}
    comments = _survey(jid).query("comment != ''")
    for row in comments.itertuples():
        own = [row.touchpoint] if row.touchpoint else [t for t, s in stage_of.items() if s == row.stage]
        assert any(_found(row.comment, keywords[t]) for t in own), row.comment
        others = [t for t in keywords if t not in own]
        assert not any(_found(row.comment, keywords[t]) for t in others), row.comment
        negative = any(w in row.comment.lower() for w in NEGATIVE)
        if row.csat <= 2:
            assert negative, row.comment
        elif row.csat >= 4:
            assert not negative, row.comment


@pytest.mark.parametrize("jid", sorted(JOURNEYS))
def test_quotes_shape(jid):
    quotes = _quotes(jid)
    assert list(quotes.columns) == ["id", "text", "source", "date", "lang"]
    assert 20 <= len(quotes) <= 60 and quotes["id"].is_unique and quotes["text"].is_unique
    assert set(quotes["source"]) <= {"app store review", "Google review", "call transcript", "chat log", "social post"}
    assert quotes["source"].nunique() >= 4
    assert quotes["date"].between("2026-03-02", "2026-03-29").all()
    keywords = _keywords(jid)
    tagged = [sum(_found(t, words) for words in keywords.values()) for t in quotes["text"]]
    assert sum(n >= 1 for n in tagged) >= 0.8 * len(quotes), "most quotes are about a touchpoint"
    assert any(n >= 2 for n in tagged) or len(quotes) < 25
    assert any(n == 0 for n in tagged) or len(quotes) < 25
