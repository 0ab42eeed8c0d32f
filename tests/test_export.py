"""Exports by suffix, the HTML report, and `journeymap render`."""

from __future__ import annotations

import html
import re

import pandas as pd
import pytest
from evil import EVIL_A, EVIL_B, evil_journey

import journeymap as jm
from journeymap.cli import main
from journeymap.exporting import export, report_html
from journeymap.network import _vis_assets


@pytest.fixture
def coffee():
    return jm.load(jm.shipped_journey("coffee_loyalty_app"))


@pytest.mark.parametrize("suffix, magic", [(".png", b"\x89PNG"), (".svg", b"<?xml"), (".pdf", b"%PDF")])
def test_images(coffee, tmp_path, suffix, magic):
    out = export(coffee, tmp_path / f"map{suffix}")
    assert out.read_bytes().startswith(magic)
    assert not list(tmp_path.glob(".*.tmp"))  # atomic: no leftovers


def test_image_kinds_and_reproducible_svg(coffee, tmp_path):
    for kind in ("emotion", "heatmap", "flow", "priority", "opportunities"):
        assert export(coffee, tmp_path / f"{kind}.png", kind=kind, dpi=50).stat().st_size > 1000
    a = export(coffee, tmp_path / "a.svg").read_bytes()
    b = export(coffee, tmp_path / "b.svg").read_bytes()
    assert a == b
    with pytest.raises(ValueError, match="image kind"):
        export(coffee, tmp_path / "x.png", kind="report")


def test_csv_and_mermaid(coffee, tmp_path):
    frame = pd.read_csv(export(coffee, tmp_path / "j.csv"))
    assert list(frame["id"]) == [tp.id for tp in coffee.touchpoints]
    back = jm.from_mermaid(export(coffee, tmp_path / "j.mmd").read_text(encoding="utf-8"))
    assert len(back.touchpoints) == len(coffee.touchpoints)


def test_unknown_suffix(coffee, tmp_path):
    with pytest.raises(ValueError, match="cannot export"):
        export(coffee, tmp_path / "x.docx")
    with pytest.raises(ValueError, match="HTML kind"):
        export(coffee, tmp_path / "x.html", kind="map")


def test_html_report_is_self_contained_and_escaped(tmp_path):
    page = export(evil_journey(), tmp_path / "r.html").read_text(encoding="utf-8")
    for raw in (EVIL_A, EVIL_B):
        assert raw not in page
    assert html.escape(f"Evil {EVIL_A}") in page and html.escape(EVIL_B) in page
    assert not re.search(r"""(src|href)=["']?(https?:)?//""", page)
    assert "data:image/png;base64," in page and "<iframe" in page and "srcdoc=" in page
    assert page.count("<script") == 0  # scripts only inside the sandboxed, escaped iframe
    for section in ("Journey map", "Journey network", "Goals", "Pain points"):
        assert section in page


def test_html_report_lists_scores_when_scored(coffee):
    page = report_html(coffee, lang="es")
    assert "Fricción total" in page and "Por etapa" in page
    assert "no disponibles" in report_html(coffee, lang="es", report=False)


def test_network_only_html(coffee, tmp_path):
    page = export(coffee, tmp_path / "n.html", kind="network-full").read_text(encoding="utf-8")
    assert page.count("<script") - _vis_assets()[0].count("<script") == 2 and "vis.Network" in page


def test_cli_render(tmp_path, capsys):
    src = str(jm.shipped_journey("hotel_stay"))
    assert main(["render", src, "-o", str(tmp_path / "m.png"), "--lang", "es", "--dpi", "40"]) == 0
    assert (tmp_path / "m.png").read_bytes().startswith(b"\x89PNG")
    assert main(["render", src, "-o", str(tmp_path / "f.svg"), "--kind", "flow"]) == 0
    assert main(["render", src, "-o", str(tmp_path / "n.html"), "--kind", "network"]) == 0
    assert main(["render", src, "-o", str(tmp_path / "m.mmd")]) == 0
    assert "wrote" in capsys.readouterr().out


@pytest.mark.parametrize("args, code, message", [
    (["-o", "x.txt"], 2, "must end in one of"),
    (["-o", "x.mmd", "--kind", "map"], 2, "does not apply"),
    (["-o", "x.html", "--kind", "flow"], 2, "does not apply"),
    (["-o", "x.png", "--dpi", "0"], 2, "--dpi"),
])
def test_cli_render_usage_errors(tmp_path, capsys, args, code, message):
    src = str(jm.shipped_journey("hotel_stay"))
    args = [a if not a.startswith("x.") else str(tmp_path / a) for a in args]
    assert main(["render", src, *args]) == code
    err = capsys.readouterr().err
    assert message in err and "Traceback" not in err


def test_cli_render_bad_input(tmp_path, capsys):
    bad = tmp_path / "bad.yaml"
    bad.write_text("id: x\ntitle: y\nstages: []\n", encoding="utf-8")
    assert main(["render", str(bad), "-o", str(tmp_path / "x.png")]) == 1
    assert "bad.yaml" in capsys.readouterr().err


def test_jm_export_is_the_function_even_after_the_module_is_imported(coffee, tmp_path):
    import journeymap.exporting  # noqa: F401 - importing the module must not shadow jm.export

    assert callable(jm.export)
    assert jm.export(coffee, tmp_path / "x.mmd").exists()
