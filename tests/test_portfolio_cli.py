"""``journeymap portfolio DIR`` and the HTML portfolio report (issue 16, part 2)."""

from __future__ import annotations

import html
import io
import json
import shutil

import pytest

import journeymap as jm
from journeymap.cli import main
from journeymap.portfolio_report import heatmap_alt, portfolio_html

SHIPPED = jm.shipped_journeys()
EVIL = "<script>alert(1)</script>"


def run(capsys, *argv):
    code = main(["portfolio", *map(str, argv)])
    out, err = capsys.readouterr()
    return code, out, err


@pytest.fixture
def folder(tmp_path):
    """Two shipped journeys (a current/future pair) and one more, copied into a folder."""
    for name in ("retail_bopis_multichannel", "retail_bopis_omnichannel", "hotel_stay"):
        shutil.copy(jm.shipped_journey(name), tmp_path / f"{name}.yaml")
    return tmp_path


def test_text_output_lists_every_journey_and_every_section(capsys, folder):
    code, out, err = run(capsys, folder)
    assert code == 0 and err == ""
    assert out.startswith("3 journeys, 2 personas; mean friction ")
    for title in ("== Journeys", "== Reach-weighted friction by persona and stage", "== Pain points across journeys",
                  "== Opportunities across journeys", "== Current vs future"):
        assert title in out
    for name in ("retail_bopis_multichannel", "retail_bopis_omnichannel", "hotel_stay", "Lucía Moreno", "Priya Nair"):
        assert name in out
    friction = jm.score(jm.load(jm.shipped_journey("hotel_stay"))).total
    assert f"{friction:.1f}" in out.split("== Reach")[0]


def test_text_output_in_spanish(capsys, folder):
    code, out, _ = run(capsys, folder, "--lang", "es")
    assert code == 0
    assert out.startswith("3 recorridos, 2 buyer personas; fricción media ")
    for title in ("== Recorridos", "== Fricción ponderada por alcance, por buyer persona y etapa",
                  "== Actual frente a futuro", "conversión esperada", "Δ fricción"):
        assert title in out
    assert "actual" in out and "futuro" in out


def test_json_output_carries_each_journeys_own_scores(capsys, folder):
    code, out, _ = run(capsys, folder, "--format", "json")
    assert code == 0
    doc = json.loads(out)
    assert doc["problems"] == [] and len(doc["journeys"]) == 3
    for row in doc["journeys"]:
        r = jm.score(jm.load(folder / f"{row['key']}.yaml"))
        assert row["friction"] == pytest.approx(r.total, abs=1e-9)
        assert row["conversion"] == pytest.approx(r.expected_conversion, abs=1e-9)
        assert row["continuity"] == pytest.approx(r.continuity, abs=1e-9)
    (pair,) = doc["pairs"]
    assert (pair["current"], pair["future"]) == ("retail_bopis_multichannel", "retail_bopis_omnichannel")
    assert {"heatmap", "pains", "opportunities"} <= set(doc)


@pytest.mark.parametrize("table", ["journeys", "heatmap", "pains", "opportunities", "pairs"])
def test_csv_output_of_each_table_reads_back(capsys, folder, table):
    import pandas as pd

    code, out, _ = run(capsys, folder, "--format", "csv", "--table", table)
    assert code == 0
    frame = pd.read_csv(io.StringIO(out))
    expected = getattr(jm.portfolio(folder), {"pains": "pain_points"}.get(table, table))
    expected = expected() if callable(expected) else expected
    assert len(frame) == len(expected)


def test_a_bad_folder_is_one_line_without_traceback(capsys, tmp_path):
    code, out, err = run(capsys, tmp_path / "nowhere")
    assert code == 1 and out == ""
    assert err.strip().count("\n") == 0 and "no such folder or file" in err and "Traceback" not in err


def test_an_invalid_file_is_reported_and_the_rest_summarised(capsys, folder):
    (folder / "zz_broken.yaml").write_text("id: broken\ntitle: Broken\nstages: [{id: s, name: S}]\n"
                                           "touchpoints: [{id: t, stage: nope, channel: website, action: x}]\n",
                                           encoding="utf-8")
    code, out, err = run(capsys, folder)
    assert code == 1
    assert all(line.startswith(str(folder / "zz_broken.yaml")) for line in err.strip().splitlines())
    assert "Traceback" not in err
    assert out.startswith("3 journeys")


def test_an_unknown_pair_is_a_one_line_error(capsys, folder):
    code, _, err = run(capsys, folder, "--pair", "retail_bopis_multichannel:hotel_sty")
    assert code == 1 and "did you mean 'hotel_stay'?" in err and "Traceback" not in err


def test_html_report_is_written_in_spanish_with_the_heatmap_described(capsys, folder, tmp_path):
    out_file = tmp_path / "out" / "portfolio.html"
    code, _, err = run(capsys, folder, "--html", out_file, "--lang", "es")
    assert code == 0 and "wrote" in err
    page = out_file.read_text(encoding="utf-8")
    assert '<html lang="es">' in page and "Content-Security-Policy" in page
    for header in ("<h2>Recorridos</h2>", "<h2>Puntos de dolor de todos los recorridos</h2>",
                   "<h2>Actual frente a futuro</h2>", "<th class=num>fricción</th>", "<th>buyer persona</th>"):
        assert header in page
    assert "http://" not in page.replace("http://www.w3.org", "") and "https://" not in page
    pf = jm.portfolio(folder)
    alt = heatmap_alt(pf.heatmap(), "es")
    assert alt.startswith("Mapa de calor") and f'alt="{html.escape(alt)}"' in page


def test_user_text_is_escaped_in_the_html_report():
    evil = jm.Journey(id="evil", title=EVIL, persona={"id": "p", "name": "<b onmouseover=x>Eve</b>"},
                      stages=[{"id": "s", "name": "<i>Stage</i>"}],
                      touchpoints=[{"id": "t", "stage": "s", "channel": "website", "action": "a", "effort": 5,
                                    "pain_points": [{"id": "p1", "text": "<img src=x onerror=alert(2)>"}]}],
                      opportunities=[{"id": "o", "text": "<svg onload=alert(3)>", "addresses": ["p1"]}])
    page = portfolio_html(jm.portfolio([evil]))
    for raw in (EVIL, "<b onmouseover", "<img src=x", "<svg onload", "<i>Stage"):
        assert raw not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    assert "&lt;img src=x onerror=alert(2)&gt;" in page and "&lt;svg onload=alert(3)&gt;" in page
    assert "&lt;b onmouseover=x&gt;Eve&lt;/b&gt;" in page  # in the table and in the heatmap's alt text


def test_cli_html_escapes_a_journey_title_from_a_file(capsys, tmp_path):
    j = jm.load(jm.shipped_journey("hotel_stay")).model_copy(update={"title": EVIL})
    jm.save(j, tmp_path / "evil.yaml")
    out_file = tmp_path / "r.html"
    code, _, _ = run(capsys, tmp_path, "--html", out_file)
    assert code == 0 and "<script>" not in out_file.read_text(encoding="utf-8")
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in out_file.read_text(encoding="utf-8")


def test_language_defaults_to_the_journeys_own_when_they_share_one(capsys, tmp_path):
    shutil.copy(jm.shipped_journey("salud_cita_medica"), tmp_path / "salud.yaml")
    code, out, _ = run(capsys, tmp_path)
    assert code == 0 and out.startswith("1 recorridos") and "== Recorridos" in out
    code, out, _ = run(capsys, tmp_path, "--lang", "en")
    assert out.startswith("1 journeys")


def test_a_bad_file_given_alone_is_one_line_per_problem(capsys, tmp_path):
    bad = tmp_path / "bad.yaml"
    bad.write_text("id: x\ntitle: X\nstages: [{id: s, name: S}]\ntouchpoints: [{id: t, stage: s, channel: nope, "
                   "action: a}]\n", encoding="utf-8")
    code, out, err = run(capsys, bad)
    assert code == 1 and out == "" and "Traceback" not in err
    assert err.strip() and all(line.startswith(f"{bad}:") for line in err.strip().splitlines())


def test_files_left_out_are_listed_escaped_in_the_html_report(tmp_path):
    shutil.copy(jm.shipped_journey("hotel_stay"), tmp_path / "hotel_stay.yaml")
    (tmp_path / "<img src=x onerror=alert(1)>.yaml").write_text("- not a mapping\n", encoding="utf-8")
    pf = jm.portfolio(tmp_path)
    page = portfolio_html(pf)
    assert len(pf.problems) == 1 and "<h2>Files not included</h2>" in page
    assert "&lt;img src=x onerror=alert(1)&gt;.yaml" in page and "<img src=x" not in page
