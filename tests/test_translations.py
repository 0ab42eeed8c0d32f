"""Every user-visible string table has English and Spanish, with the same placeholders (issue 16, part 5).

Walks the one label table (:mod:`journeymap.i18n`), every module-level ``WORDS`` table of the package (plots,
alt text, the deck keep their own en/es words), and every ``t("key", …)`` call in the code, so a label used
but never written — which ``t`` would show as its raw key — fails here.
"""

from __future__ import annotations

import ast
import importlib
import re
from pathlib import Path

import pytest

import journeymap
from journeymap.i18n import _TABLE

PKG = Path(journeymap.__file__).parent
PLACEHOLDER = re.compile(r"\{[^{}]*\}")
#: Labels that are the same word in both languages, on purpose.
SAME_IN_BOTH = {"social", "no", "w_persona", "chk_invalid_file_msg", "chk_severity_error",
                "cli_ok", "col_id", "cmp_pp", "err_unknown"}


def _placeholders(text: str) -> list[str]:
    return sorted(PLACEHOLDER.findall(text))


def test_label_table_has_both_languages_and_the_same_placeholders():
    problems = []
    for key, value in _TABLE.items():
        if not (isinstance(value, tuple) and len(value) == 2 and all(isinstance(v, str) and v.strip() for v in value)):
            problems.append(f"{key}: not a pair of non-empty texts: {value!r}")
            continue
        en, es = value
        if en == es and key not in SAME_IN_BOTH:
            problems.append(f"{key}: Spanish is the English text {en!r}")
        if _placeholders(en) != _placeholders(es):
            problems.append(f"{key}: placeholders differ: {_placeholders(en)} vs {_placeholders(es)}")
    assert not problems, "\n".join(problems)


def _modules() -> list[str]:
    names = []
    for path in sorted(PKG.rglob("*.py")):
        rel = path.relative_to(PKG.parent).with_suffix("")
        names.append(".".join(rel.parts).removesuffix(".__init__"))
    return names


def _word_tables() -> list[tuple[str, str, dict]]:
    found = []
    for name in _modules():
        source = (PKG.parent / (name.replace(".", "/") + ".py"))
        if not source.exists():
            source = PKG.parent / name.replace(".", "/") / "__init__.py"
        tree = ast.parse(source.read_text(encoding="utf-8"))
        for node in tree.body:
            targets = [t.id for t in getattr(node, "targets", []) if isinstance(t, ast.Name)]
            if isinstance(node, ast.AnnAssign) and isinstance(node.target, ast.Name):
                targets = [node.target.id]
            for target in targets:
                if target.lstrip("_").upper() in ("WORDS", "LABELS"):
                    table = getattr(importlib.import_module(name), target)
                    if isinstance(table, dict) and {"en", "es"} <= set(table):
                        found.append((name, target, table))
    return found


def test_word_tables_are_found():
    assert len(_word_tables()) >= 4  # plots of drift, paths, segments, attribution at least


@pytest.mark.parametrize("module,name,table", _word_tables(), ids=lambda x: x if isinstance(x, str) else "")
def test_word_tables_have_the_same_keys_and_placeholders(module, name, table):
    en, es = table["en"], table["es"]
    assert set(en) == set(es), f"{module}.{name}: keys only in en {set(en) - set(es)}, only in es {set(es) - set(en)}"
    for key in en:
        if isinstance(en[key], str):
            assert en[key].strip() and str(es[key]).strip(), f"{module}.{name}[{key!r}] is empty"
            assert _placeholders(en[key]) == _placeholders(str(es[key])), f"{module}.{name}[{key!r}] placeholders"


def _label_calls() -> list[tuple[str, int, str]]:
    """``t("key", …)`` calls with a literal key, anywhere in the package."""
    calls = []
    for path in sorted(PKG.rglob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if (isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id == "t"
                    and node.args and isinstance(node.args[0], ast.Constant) and isinstance(node.args[0].value, str)):
                calls.append((str(path.relative_to(PKG.parent)), node.lineno, node.args[0].value))
    return calls


def test_every_label_the_code_asks_for_exists():
    calls = _label_calls()
    assert len(calls) > 50
    missing = [f"{path}:{line}: t({key!r})" for path, line, key in calls if key not in _TABLE]
    assert not missing, "labels used but not in journeymap/i18n.py:\n" + "\n".join(missing)


def test_label_modules_do_not_redefine_each_others_keys():
    """The table is merged from data modules; a key in two of them would silently take one text."""
    from journeymap.i18n_checks import CHECK_LABELS
    from journeymap.i18n_cli import CLI_LABELS
    from journeymap.i18n_labels import LABELS
    from journeymap.i18n_room import ROOM_LABELS

    tables = {"i18n_labels": LABELS, "i18n_checks": CHECK_LABELS, "i18n_cli": CLI_LABELS, "i18n_room": ROOM_LABELS}
    seen: dict[str, str] = {}
    twice = []
    for name, table in tables.items():
        twice += [f"{key}: {seen[key]} and {name}" for key in table if key in seen]
        seen.update(dict.fromkeys(table, name))
    assert not twice, "\n".join(twice)
    assert len(_TABLE) == sum(map(len, tables.values()))
