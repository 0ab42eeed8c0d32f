"""The fast YAML reader (yaml_rs) is used only where it reads exactly what PyYAML reads.

Differential tests: for shipped journeys, random journey-like documents and hostile plain scalars, the data
``yamlmap.parse`` returns equals what the PyYAML path returns for the same text, and every text PyYAML refuses
is still refused with PyYAML's line.
"""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from journeymap import yamlmap
from journeymap.errors import JourneyError

ROOT = Path(__file__).resolve().parents[1]
SHIPPED = sorted((ROOT / "data" / "journeys").glob("*.yaml")) + sorted((ROOT / "personas").glob("*.yaml"))


def slow(text: str):
    return yamlmap._parse_yaml(text, "f.yaml")[1]


def assert_reads_like_pyyaml(text: str) -> None:
    """``parse`` gives PyYAML's data for ``text``, or PyYAML's refusal, word for word."""
    try:
        expected = slow(text)
    except JourneyError as exc:
        with pytest.raises(JourneyError) as got:
            yamlmap.parse(text, "f.yaml")
        assert str(got.value) == str(exc)
    else:
        assert repr(yamlmap.parse(text, "f.yaml").data) == repr(expected)  # repr: NaN equals NaN, True is not 1


@pytest.mark.parametrize("path", SHIPPED, ids=lambda p: p.name)
def test_shipped_files_take_the_fast_path_and_read_the_same(path):
    text = path.read_text(encoding="utf-8")
    doc = yamlmap.parse(text, path.name)
    assert repr(doc.data) == repr(slow(text))  # repr: NaN equals NaN, True differs from 1


def test_a_big_journey_takes_the_fast_path():
    text = yaml.safe_dump({"touchpoints": [{"id": f"t{i}", "share": 0.5, "emotion": -1, "action": "Buys it"}
                                           for i in range(2000)]}, sort_keys=False)
    assert yamlmap._fast_yaml(text) is not None
    assert repr(yamlmap.parse(text, "f.yaml").data) == repr(slow(text))


# Plain scalars on which YAML 1.1 (PyYAML) and YAML 1.2 disagree, or that PyYAML types.
SCALARS = ["yes", "No", "ON", "off", "y", "n", "012", "0o12", "0b101", "0x1F", "1e3", "1.0e3", "1.0e+3", "1:20",
           "2026-01-01", "2026-01-01 10:00:00", "~", "null", "Null", "true", "False", ".inf", "-.Inf", ".NaN",
           "1_000", "+12", "-0", "0", "0.5", "-2", "=", "<<", "3.", ".5", "1e", "e3", "0.", "1__0", "12345678901234",
           "9" * 120, "x: y", "'q'", '"d"', "a #b", "@x", "`x`", "%x", "plain text", "Ünïcode", "—", "tab\there"]
plain = st.sampled_from(SCALARS) | st.text(alphabet=st.characters(codec="utf-8", exclude_categories=("Cs",)),
                                           max_size=12)


@settings(max_examples=300, deadline=None, derandomize=True)
@given(st.lists(st.tuples(st.from_regex(r"[a-z][a-z0-9_]{0,6}", fullmatch=True), plain), min_size=1, max_size=6),
       st.sampled_from(["block", "flow", "list"]))
def test_fast_path_never_reads_differently_from_pyyaml(pairs, style):
    if style == "block":
        text = "".join(f"{k}: {v}\n" for k, v in pairs)
    elif style == "flow":
        text = "m: {" + ", ".join(f"{k}: {v}" for k, v in pairs) + "}\n"
    else:
        text = "l:\n" + "".join(f"  - {v}\n" for _, v in pairs)
    assert_reads_like_pyyaml(text)


@settings(max_examples=150, deadline=None, derandomize=True)
@given(st.recursive(st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=15),
                    lambda kids: st.lists(kids, max_size=4) | st.dictionaries(st.text(max_size=6), kids, max_size=4),
                    max_leaves=25), st.booleans())
def test_documents_written_by_pyyaml_read_the_same(data, flow):
    text = yaml.safe_dump({"root": data}, default_flow_style=flow, allow_unicode=True)
    assert repr(yamlmap.parse(text, "f.yaml").data) == repr(slow(text))


@pytest.mark.parametrize("text", ["a: 1\na: 2\n", "a: &x [1]\nb: *x\n", "a: [1, 2\n", "a: !!python/name:os.system\n",
                                  "- a\nb: 1\n", "a:\n\tb: 1\n", "a: " + "[" * 100 + "]" * 100 + "\n"])
def test_refusals_keep_pyyamls_message_and_line(text):
    assert_reads_like_pyyaml(text)
