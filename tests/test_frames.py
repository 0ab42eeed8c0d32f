"""Journeys as tables and workshop spreadsheets."""

from __future__ import annotations

import pandas as pd
import pytest

import journeymap as jm


def test_to_frame_one_row_per_touchpoint(base):
    j = jm.Journey.model_validate(base)
    df = j.to_frame()
    assert list(df["id"]) == ["ad", "web", "shop"]
    row = df.set_index("id").loc["web"]
    assert row["stage_name"] == "Purchase" and row["channel_kind"] == "digital_owned"
    assert row["pain_points"] == "Slow checkout" and row["pain_severity"] == 3
    assert row["opportunities"] == "One-click checkout"
    assert pd.isna(df.set_index("id").loc["ad", "effort"])


def test_frame_round_trip_keeps_touchpoints(base):
    j = jm.Journey.model_validate(base)
    back = jm.from_frame(j.to_frame(), id=j.id, title=j.title)
    fields = ["id", "stage", "channel", "action", "emotion", "effort", "thoughts"]
    assert [t.model_dump(include=set(fields)) for t in back.touchpoints] == [
        t.model_dump(include=set(fields)) for t in j.touchpoints]
    assert [s.name for s in back.stages] == ["Awareness", "Purchase"]
    assert back.touchpoints[1].pain_points[0].text == "Slow checkout"


def test_workshop_csv(tmp_path):
    csv = tmp_path / "Workshop Sheet.csv"
    csv.write_text(
        "stage,channel,action,thoughts,emotion,effort,backstage,pain_points,pain_severity\n"
        "Descubrimiento,instagram,Ve un reel,\"¡Qué bonito!\",1,,,,\n"
        "Compra,website,Paga con tarjeta,,-1,5,Antifraude | Email de confirmación,Pide registrarse | Error 3DS,4\n"
        "Compra,store,Recoge,,2,2,,,\n",
        encoding="utf-8",
    )
    j = jm.from_csv(csv, lang="es")
    assert j.id == "workshop_sheet" and j.lang == "es"
    assert [s.id for s in j.stages] == ["descubrimiento", "compra"]
    pay = j.touchpoints[1]
    assert (pay.emotion, pay.effort, pay.backstage) == (-1.0, 5, ["Antifraude", "Email de confirmación"])
    assert [(p.text, p.severity) for p in pay.pain_points] == [("Pide registrarse", 4), ("Error 3DS", 4)]
    assert [(t.source, t.target) for t in j.transitions] == [("tp01", "tp02"), ("tp02", "tp03")]


def test_csv_errors_name_row_and_column(tmp_path):
    csv = tmp_path / "bad.csv"
    csv.write_text("stage,channel,action,effort\nA,website,Looks,3\nA,fax,Sends,9\n", encoding="utf-8")
    with pytest.raises(jm.JourneyError) as info:
        jm.from_csv(csv)
    lines = str(info.value).splitlines()
    assert any("row 3, column channel" in line and "'fax'" in line for line in lines)
    assert any("row 3, column effort" in line and "'9'" in line for line in lines)
    assert all(str(csv) in line for line in lines)


def test_missing_columns_and_files(tmp_path):
    with pytest.raises(jm.JourneyError, match="missing required column"):
        jm.from_frame(pd.DataFrame({"stage": ["a"]}))
    with pytest.raises(jm.JourneyError, match="file not found"):
        jm.from_csv(tmp_path / "none.csv")


def test_shipped_journeys_as_frames():
    for path in jm.shipped_journeys():
        j = jm.load(path)
        df = j.to_frame()
        assert len(df) == len(j.touchpoints)
        assert df["channel"].nunique() >= 4


def test_csv_files_load_validate_and_score_like_journeys(tmp_path, capsys):
    from journeymap.cli import main

    sheet = tmp_path / "sheet.csv"
    sheet.write_text("stage,channel,action,effort\nAwareness,instagram,Sees a reel,2\nPurchase,website,Buys,5\n")
    assert [t.action for t in jm.load(sheet).touchpoints] == ["Sees a reel", "Buys"]
    assert jm.validate(sheet) == [] and main(["score", str(sheet)]) == 0
    sheet.write_text("stage,channel,action\n")
    assert main(["validate", str(sheet)]) == 1
    assert "no touchpoint rows" in capsys.readouterr().err
