"""The offline network view: layout, encodings, script-safe embedding, notebook display."""

from __future__ import annotations

import html
import json
import re

import pytest

import journeymap as jm
from journeymap.network import _vis_assets, network_html, script_json, show_network, to_pyvis, write_network

EVIL = "<script>alert(1)</script> & <img src=x onerror=alert(1)>"


@pytest.fixture
def omni():
    return jm.load(jm.shipped_journey("retail_bopis_omnichannel"))


def test_flow_layout_is_left_to_right_by_stage(omni):
    net = to_pyvis(omni)
    xs = {n["id"]: n["x"] for n in net.nodes}
    order = {s.id: i for i, s in enumerate(omni.ordered_stages())}
    stage_of = {tp.id: order[tp.stage] for tp in omni.touchpoints}
    ids = sorted(xs, key=xs.get)
    assert [stage_of[i] for i in ids] == sorted(stage_of[i] for i in ids)
    assert len(set(xs.values())) == len(xs)  # one column per touchpoint


def test_encodings(omni):
    multi = jm.load(jm.shipped_journey("retail_bopis_multichannel"))
    net = to_pyvis(multi, report=False)
    by_pair = {(e["from"], e["to"]): e for e in net.edges}
    for tr in multi.transitions:
        edge = by_pair[(tr.source, tr.target)]
        assert edge["width"] == pytest.approx(1 + 7 * tr.share)
        assert (edge["dashes"] is True) == (tr.context == "none")
    assert {n["shape"] for n in net.nodes} == {"dot"}
    full = to_pyvis(omni, kind="full")
    shapes = {n["id"].split(":")[0]: n["shape"] for n in full.nodes}
    assert shapes == {"touchpoint": "dot", "stage": "box", "channel": "diamond", "persona": "star",
                      "pain_point": "triangleDown", "opportunity": "triangle"}
    with pytest.raises(ValueError):
        to_pyvis(omni, kind="nope")


def test_colour_by_friction_when_scored(omni):
    report = jm.score(omni)
    net = to_pyvis(omni, report=report)
    worst = report.by_touchpoint["friction"].idxmax()
    node = next(n for n in net.nodes if n["id"] == worst)
    assert "friction" in node["title"].lower()
    colours = {n["color"]["background"] for n in net.nodes}
    assert len(colours) > 1


def test_user_text_is_script_safe_and_offline(omni):
    j = omni.model_copy(deep=True)
    j.title = EVIL
    j.touchpoints[0].action = EVIL
    page = network_html(to_pyvis(j, kind="full"))
    assert "<script>alert(1)</script>" not in page
    assert "<img src=x" not in page
    assert html.escape(EVIL) in page  # the title, as text
    data = re.search(r"new vis\.DataSet\((\[.*?\])\);", page, re.S).group(1)
    assert json.loads(data)[0]["title"].startswith(EVIL)  # tooltips keep the raw text (shown as text)
    assert not re.search(r"""(src|href)=["']?(https?:)?//""", page)
    assert "Content-Security-Policy" in page
    assert page.count("<script") - _vis_assets()[0].count("<script") == 2  # vis-network's and ours; nothing else


def test_script_json_escapes_everything_dangerous():
    text = script_json({"a": "</script><!-- & \u2028"})
    assert "<" not in text and ">" not in text and "&" not in text and "\u2028" not in text
    assert json.loads(text) == {"a": "</script><!-- & \u2028"}


def test_show_network_inlines_an_escaped_iframe(omni):
    view = show_network(omni)
    assert view.data.startswith('<iframe srcdoc="&lt;!DOCTYPE html&gt;')
    assert 'sandbox="allow-scripts"' in view.data
    assert "<script" not in view.data


def test_write_html_and_show_use_the_safe_page(omni, tmp_path):
    net = to_pyvis(omni)
    out = tmp_path / "net.html"
    net.write_html(str(out))
    text = out.read_text(encoding="utf-8")
    assert "cdn.jsdelivr" not in text and "bootstrap" not in text
    assert net.generate_html() == text
    shown = net.show(str(tmp_path / "shown.html"))
    assert "srcdoc" in shown.data and (tmp_path / "shown.html").exists()
    assert write_network(omni, tmp_path / "w.html", kind="full").read_text(encoding="utf-8").startswith("<!DOCTYPE")


def test_lazy_names():
    assert jm.to_pyvis is to_pyvis and jm.show_network is show_network


def test_five_hundred_nodes():
    j = jm.Journey(id="big", title="Big", stages=[{"id": f"s{i}", "name": f"S{i}"} for i in range(10)],
                   touchpoints=[{"id": f"t{k}", "stage": f"s{k // 50}", "channel": "website", "action": f"Step {k}"}
                                for k in range(500)])
    page = network_html(j, report=False)
    assert page.count('"id": "t') >= 500
