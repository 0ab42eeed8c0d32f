"""Survey evidence (journeymap.evidence.survey): read raw responses, per-step metrics, attach to a journey."""

import math

import numpy as np
import pandas as pd
import pytest

import journeymap as jm
from journeymap.errors import JourneyError
from journeymap.evidence.survey import REASONS, read_survey
from journeymap.model import Journey, Source, Stage, SurveyMetrics, Touchpoint


@pytest.fixture
def journey():
    return Journey(
        id="shop", title="Shop",
        stages=[Stage(id="buy", name="Buy"), Stage(id="after", name="After")],
        touchpoints=[
            Touchpoint(id="browse", stage="buy", channel="website", action="Browses", emotion=1, effort=2),
            Touchpoint(id="checkout", stage="buy", channel="website", action="Pays", emotion=-1, effort=5),
            Touchpoint(id="delivery", stage="after", channel="postal_mail", action="Gets it", wait_min=30),
        ])


HEADER = "respondent,touchpoint,stage,nps,csat,ces,comment,date,segment"
LINES = [  # file line in the comment (the header is line 1)
    "r1,checkout,,10,5,2,fast,2026-03-01,new",                     # 2
    "r2,checkout,,9,4,3,,2026-03-02,new",                          # 3
    'r3,checkout,,8,3,,"slow\nvery slow",2026-03-03,regular',      # 4-5 (a comment over two lines)
    "r4,checkout,,6,2,6,,2026-03-04,regular",                      # 6
    'r5,checkout,,0,,7,"=HYPERLINK(""http://x"")",,regular',        # 7
    "r1,browse,,10,,,,2026-03-05,new",                             # 8
    "r1,,buy,7,,,,2026-02-27,new",                                 # 9
    "r2,,buy,3,,,,not a date,new",                                 # 10
    "r6,checkout,,11,,,,,",                                        # 11 bad_nps
    "r7,chekout,,9,,,,,",                                          # 12 unknown_touchpoint
    "r8,,,9,,,,,",                                                 # 13 no_step
    "r2,checkout,,10,,,,,",                                        # 14 duplicate (r2 at checkout)
    "r9,checkout,,,,,just a comment,,",                            # 15 no_answer
    ",checkout,,9,,,,,",                                           # 16 no_respondent
    "r10,checkout,after,9,,,,,",                                   # 17 stage_mismatch
    "r11,checkout,,,4.5,,,,",                                      # 18 bad_csat
    "r12,checkout,,,,nan,,,",                                      # 19 bad_ces
    "r13,,afterr,5,,,,,",                                          # 20 unknown_stage
]


@pytest.fixture
def survey_csv(tmp_path):
    path = tmp_path / "survey.csv"
    path.write_text(HEADER + "\n" + "\n".join(LINES) + "\n", encoding="utf-8")
    return path


def test_metrics_equal_hand_computed_values(survey_csv, journey):
    s = read_survey(survey_csv, journey=journey)
    m = s.metrics().set_index("step")
    assert list(m.index) == ["browse", "checkout"]  # the journey's order
    c = m.loc["checkout"]
    # NPS answers 10, 9, 8, 6, 0: promoters 2, detractors 2 -> 100 * (2 - 2) / 5 = 0
    assert c["nps_n"] == 5 and c["nps"] == 0.0
    # adjusted Wald: n' = 8, p' = d' = 2.75 / 8; var = .6875; half = 1.96 * sqrt(.6875 / 8) = .5746
    assert (c["nps_low"], c["nps_high"]) == pytest.approx((-57.46, 57.46), abs=0.01)
    # CSAT answers 5, 4, 3, 2: 2 of 4 satisfied -> 50 %; Wilson(2, 4): centre .5,
    # half = 1.96 * sqrt(.25/4 + 3.8415/64) / (1 + 3.8415/4) = 1.96 * .35003 / 1.96037 = .34997
    assert c["csat_n"] == 4 and c["csat"] == 50.0
    assert (c["csat_low"], c["csat_high"]) == pytest.approx((15.003, 84.997), abs=0.01)
    # CES answers 2, 3, 6, 7: mean 4.5, sd = sqrt(17/3) = 2.3805, t(.975, 3) = 3.1824
    # half = 3.1824 * 2.3805 / 2 = 3.788 -> [0.712, 8.288], clipped to the 1..7 scale
    assert c["ces_n"] == 4 and c["ces"] == 4.5
    assert (c["ces_low"], c["ces_high"]) == (1.0, 7.0)
    assert c["responses"] == 5 and c["respondents"] == 5 and c["small"]
    b = m.loc["browse"]
    assert b["nps"] == 100.0 and b["nps_n"] == 1 and b["csat_n"] == 0 and math.isnan(b["csat"])
    assert math.isnan(b["ces_low"])
    # stage-level rows only: NPS 7 and 3 at "buy" -> (0 promoters - 1 detractor) / 2 = -50
    st = read_survey(survey_csv, journey=journey).metrics("stage").set_index("step")
    assert list(st.index) == ["buy"] and st.loc["buy", "nps"] == -50.0 and st.loc["buy", "nps_n"] == 2


def test_metrics_by_segment(survey_csv, journey):
    m = read_survey(survey_csv, journey=journey).metrics(segment=True)
    c = m[m["step"] == "checkout"].set_index("segment")
    # new: 10, 9 -> 100; regular: 8, 6, 0 -> 100 * (0 - 2) / 3 = -66.67
    assert c.loc["new", "nps"] == 100.0 and c.loc["new", "nps_n"] == 2
    assert c.loc["regular", "nps"] == pytest.approx(-200 / 3)
    assert c.loc["regular", "ces"] == pytest.approx((6 + 7) / 2)  # r3 gave no CES
    with pytest.raises(ValueError, match="by must be"):
        read_survey(survey_csv).metrics(by="channel")


def test_report_reasons_and_file_lines(survey_csv, journey):
    s = read_survey(survey_csv, journey=journey)
    r = s.report
    assert (r.rows_read, r.rows_kept, r.rows_set_aside) == (18, 8, 10)
    where = dict(zip(r.rows["reason"], r.rows["where"], strict=True))
    assert where == {
        REASONS["bad_nps"]: "line 11", REASONS["unknown_touchpoint"]: "line 12", REASONS["no_step"]: "line 13",
        REASONS["duplicate"]: "line 14", REASONS["no_answer"]: "line 15", REASONS["no_respondent"]: "line 16",
        REASONS["stage_mismatch"]: "line 17", REASONS["bad_csat"]: "line 18", REASONS["bad_ces"]: "line 19",
        REASONS["unknown_stage"]: "line 20"}
    text = str(r)
    assert text.splitlines()[0].endswith("18 rows read, 8 kept, 10 set aside")
    assert "touchpoint not in the journey: 1 (line 12; e.g. 'chekout': did you mean 'checkout'?)" in text
    assert "stage not in the journey: 1 (line 20; e.g. 'afterr': did you mean 'after'?)" in text
    assert "it is in stage 'buy'" in text
    assert "same respondent and step as an earlier row: 1 (line 14; e.g. 'r2 at checkout')" in text
    assert "dates that are not ISO dates (answers kept, date left empty): 1" in text
    assert len(text.splitlines()) == 1 + 10 + 1  # one line per reason
    assert r.to_frame()["rows"].sum() == 10
    # the kept rows know their own lines, after the two-line comment too
    assert s.responses["line"].tolist() == [2, 3, 4, 6, 7, 8, 9, 10]
    # the duplicate keeps the first answer: r2 at checkout answered 9, not 10
    r2 = s.responses[(s.responses["respondent"] == "r2") & (s.responses["step"] == "checkout")]
    assert r2["nps"].tolist() == [9]


def test_without_journey_nothing_is_unknown(survey_csv):
    s = read_survey(survey_csv)
    assert "unknown_touchpoint" not in s.report.set_aside and "stage_mismatch" not in s.report.set_aside
    assert "chekout" in set(s.metrics()["step"])


def test_formulas_and_control_characters_stay_text(tmp_path):
    comments = ["=SUM(A1)", "+cmd|' /C calc'!A0", "@SUM(1)", "-2+3", "\x1b[31mred\x07", "tab\there", "‮evil"]
    frame = pd.DataFrame({"respondent": [f"r{i}" for i in range(len(comments))], "touchpoint": "pay",
                          "nps": 9, "comment": comments})
    path = tmp_path / "hostile.csv"
    frame.to_csv(path, index=False)
    s = read_survey(path)
    assert s.responses["comment"].tolist() == comments
    bad = pd.DataFrame({"respondent": ["\x1b[2Jr1"], "touchpoint": ["pay"], "nps": ["\x1b[2J9"]})
    text = str(read_survey(bad).report)
    assert "\x1b" not in text and "\\x1b" in text and len(text.splitlines()) == 2


@pytest.mark.parametrize("answer", ["1e400", "99999999999999999999", "nan", "NaN", "inf", "-1", "9.5",
                                    "true", "0x9", "nine", "١٠"])
def test_answers_that_are_not_whole_numbers_in_range(answer):
    s = read_survey(pd.DataFrame({"respondent": ["r1", "r2"], "touchpoint": ["pay", "pay"],
                                  "nps": [answer, "10"]}))
    assert s.report.set_aside == {"bad_nps": 1}
    assert s.responses["nps"].tolist() == [10]


def test_native_values_in_a_dataframe():
    frame = pd.DataFrame({"respondent": [1, 2, 3, 4, 5], "touchpoint": ["pay"] * 5,
                          "nps": pd.Series([True, np.int64(9), 9.0, float("nan"), None], dtype=object),
                          "csat": [5, 5, 5, 5, 5]})
    s = read_survey(frame)
    assert s.report.set_aside == {"bad_nps": 1}  # True is not 1
    assert s.report.rows["where"].tolist() == ["row 0"]
    assert s.responses["nps"].tolist()[:2] == [9, 9] and s.responses["nps"].isna().sum() == 2
    bools = read_survey(pd.DataFrame({"respondent": ["a"], "touchpoint": ["pay"], "nps": [True]}))
    assert bools.report.set_aside == {"bad_nps": 1}


def test_missing_columns_give_one_line_naming_file_and_column(tmp_path):
    path = tmp_path / "s.csv"
    path.write_text("respondnt,touchpoint,nps\nr1,pay,9\n", encoding="utf-8")
    with pytest.raises(JourneyError) as err:
        read_survey(path)
    message = str(err.value)
    assert "\n" not in message and str(path) in message and "'respondent'" in message
    assert "did you mean 'respondnt'?" in message
    path.write_text("respondent,touchpoint,comment\nr1,pay,hi\n", encoding="utf-8")
    with pytest.raises(JourneyError, match="no answer column"):
        read_survey(path)
    path.write_text("respondent,nps\nr1,9\n", encoding="utf-8")
    with pytest.raises(JourneyError, match="missing column 'touchpoint'"):
        read_survey(path)
    path.write_text("respondent,touchpoint,nps\nr1,pay,9\n", encoding="utf-8")
    with pytest.raises(JourneyError, match=r"missing column 'score'.*the nps column"):
        read_survey(path, nps="score")  # named on purpose: must exist
    assert len(read_survey(path, stage=None, csat=None).responses) == 1  # defaults may be absent


def test_file_shapes(tmp_path):
    empty = tmp_path / "empty.csv"
    empty.write_bytes(b"")
    with pytest.raises(JourneyError, match="empty"):
        read_survey(empty)
    header = tmp_path / "header.csv"
    header.write_text("respondent,touchpoint,nps\n", encoding="utf-8")
    s = read_survey(header)
    assert s.report.rows_read == 0 and s.metrics().empty
    bom = tmp_path / "bom.csv"
    bom.write_bytes("respondent,touchpoint,nps\nr1,pay,9\n".encode("utf-8-sig"))
    assert read_survey(bom).responses["nps"].tolist() == [9]
    semi = tmp_path / "semi.csv"
    semi.write_text("respondent;touchpoint;nps;comment\nr1;pay;9;bien, gracias\n", encoding="utf-8")
    s = read_survey(semi)
    assert s.responses["comment"].tolist() == ["bien, gracias"]
    ragged = tmp_path / "ragged.csv"
    ragged.write_bytes(b"respondent,touchpoint,nps\nr1,pay,9\nr2,pay,9,extra\nr3,p\xffy,9\nr4,pay,10\n")
    s = read_survey(ragged)
    assert s.report.set_aside == {"bad_encoding": 1, "wrong_fields": 1}
    assert sorted(s.report.rows["where"]) == ["line 3", "line 4"]
    assert s.responses["respondent"].tolist() == ["r1", "r4"]
    parquet = tmp_path / "s.parquet"
    pd.DataFrame({"respondent": ["r1", "r2"], "touchpoint": ["pay", "pay"], "nps": [9, 11],
                  "step": ["mine", "mine"], "channel": ["web", "app"]}).to_parquet(parquet)
    s = read_survey(parquet)
    assert s.report.rows["where"].tolist() == ["row 1"]  # Parquet rows are named by position
    assert s.responses["step_raw"].tolist() == ["mine"] and s.responses["channel"].tolist() == ["web"]
    for bad, match in ((tmp_path / "s.xlsx", "unknown file type"), (tmp_path / "nope.csv", "not found")):
        if bad.suffix == ".xlsx":
            bad.write_bytes(b"PK")
        with pytest.raises(JourneyError, match=match):
            read_survey(bad)
    with pytest.raises(JourneyError, match="expected a CSV path or a pandas DataFrame"):
        read_survey(42)


def test_big_file_is_vectorised():
    n = 200_000
    rng = np.random.default_rng(3)
    frame = pd.DataFrame({"respondent": np.arange(n).astype(str), "touchpoint": rng.choice(["a", "b", "c"], n),
                          "nps": rng.integers(0, 11, n), "csat": rng.integers(1, 6, n)})
    m = read_survey(frame).metrics().set_index("step")
    assert m["nps_n"].sum() == n
    sub = frame[frame["touchpoint"] == "a"]
    assert m.loc["a", "nps"] == pytest.approx(100 * ((sub["nps"] >= 9).mean() - (sub["nps"] <= 6).mean()))


def _without(journey, *fields):
    data = journey.model_dump()
    data.pop("sources")
    for group in ("touchpoints", "stages"):
        for item in data[group]:
            item.pop("metrics")
    return data


def test_attach_writes_metrics_and_source_only(survey_csv, journey, tmp_path):
    s = read_survey(survey_csv, journey=journey)
    out = s.attach(journey)
    c = out.touchpoint("checkout").metrics
    assert c == SurveyMetrics(nps=0.0, csat=50.0, ces=4.5, responses=5, nps_n=5, csat_n=4, ces_n=4,
                              nps_ci=[-57.5, 57.5], csat_ci=[15.0, 85.0], ces_ci=[1.0, 7.0], source="survey")
    assert out.touchpoint("browse").metrics.nps == 100.0 and out.touchpoint("browse").metrics.csat is None
    assert out.touchpoint("delivery").metrics is None
    assert out.stages[0].metrics.nps == -50.0 and out.stages[1].metrics is None
    assert out.sources == [Source(id="survey", kind="survey", file="survey.csv", customers=5, rows=8,
                                  start="2026-02-27", end="2026-03-05",
                                  note="8 responses kept of 18 read; 10 set aside")]
    assert _without(out) == _without(journey)  # emotion, effort, everything else untouched
    assert journey.touchpoint("checkout").metrics is None and journey.sources == []  # a copy
    path = tmp_path / "shop.yaml"
    jm.save(out, path)
    assert jm.load(path) == out
    text = path.read_text(encoding="utf-8")
    assert "source: survey" in text
    path.write_text(text.replace("source: survey", "source: surveyy", 1), encoding="utf-8")
    with pytest.raises(JourneyError, match="surveyy"):
        jm.load(path)


def test_attach_keeps_hand_written_metrics_unless_asked(survey_csv, journey):
    hand = SurveyMetrics(nps=40)
    journey.touchpoint("checkout").metrics = hand
    journey.touchpoint("delivery").metrics = SurveyMetrics(csat=80)
    s = read_survey(survey_csv, journey=journey)
    with pytest.raises(JourneyError, match=r"touchpoints\[1\]\.metrics: checkout already has metrics written by "
                                           "hand; pass replace=True"):
        s.attach(journey)
    out = s.attach(journey, replace=True)
    assert out.touchpoint("checkout").metrics.nps_n == 5
    assert out.touchpoint("delivery").metrics == SurveyMetrics(csat=80)  # not in the survey: kept


def test_attach_again_replaces_its_own_source(survey_csv, journey):
    first = read_survey(survey_csv, journey=journey).attach(journey, source_id="q1")
    only_checkout = read_survey(pd.DataFrame({"respondent": ["x"], "touchpoint": ["checkout"], "nps": [3]}))
    again = only_checkout.attach(first, source_id="q1")
    assert again.touchpoint("browse").metrics is None  # stale metrics of q1 are gone
    assert again.stages[0].metrics is None
    assert again.touchpoint("checkout").metrics.nps == -100.0
    assert [(x.id, x.rows) for x in again.sources] == [("q1", 1)]
    other = only_checkout.attach(first, source_id="q2", replace=True)
    assert [x.id for x in other.sources] == ["q1", "q2"]
    assert other.touchpoint("browse").metrics.source == "q1"  # another source's metrics stay


def test_attach_errors(survey_csv, journey):
    s = read_survey(survey_csv)  # no journey: "chekout" was kept
    with pytest.raises(JourneyError, match=r"chekout.*did you mean 'checkout'"):
        s.attach(journey)
    good = read_survey(survey_csv, journey=journey)
    with pytest.raises(JourneyError, match="the source id"):
        good.attach(journey, source_id="not an id!")
    journey.sources = [Source(id="log", kind="events")]
    with pytest.raises(JourneyError, match="already the journey's events source"):
        good.attach(journey, source_id="log")
