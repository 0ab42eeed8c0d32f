"""Every kind of bad input yields a problem naming the file, the field path and the bad value."""

from __future__ import annotations

import pytest

import journeymap as jm


def _set(data, path, value):
    *head, last = path
    for key in head:
        data = data[key]
    if value is _DELETE:
        del data[last]
    else:
        data[last] = value


_DELETE = object()

# (case id, where to change, new value, expected field path, expected value, words in the message)
CASES = [
    ("unknown stage", ("touchpoints", 1, "stage"), "purchse", "touchpoints[1].stage", "purchse", "aware, buy"),
    ("unknown channel", ("touchpoints", 0, "channel"), "telepathy", "touchpoints[0].channel", "telepathy",
     "channel"),
    ("unknown transition source", ("transitions", 0, "from"), "nowhere", "transitions[0].from", "nowhere",
     "ad, web, shop"),
    ("unknown transition target", ("transitions", 1, "to"), "ghost", "transitions[1].to", "ghost", "one of"),
    ("duplicate touchpoint id", ("touchpoints", 2, "id"), "web", "touchpoints[2].id", "web", "unique"),
    ("duplicate stage id", ("stages", 1, "id"), "aware", "stages[1].id", "aware", "unique"),
    ("emotion above range", ("touchpoints", 0, "emotion"), 3, "touchpoints[0].emotion", 3, "less than or equal"),
    ("emotion not a number", ("touchpoints", 0, "emotion"), "happy", "touchpoints[0].emotion", "happy", "number"),
    ("effort zero", ("touchpoints", 1, "effort"), 0, "touchpoints[1].effort", 0, "greater than or equal to 1"),
    ("effort above CES", ("touchpoints", 1, "effort"), 8, "touchpoints[1].effort", 8, "less than or equal to 7"),
    ("effort fractional", ("touchpoints", 1, "effort"), 2.5, "touchpoints[1].effort", 2.5, "integer"),
    ("share above one", ("transitions", 0, "share"), 1.5, "transitions[0].share", 1.5, "less than or equal"),
    ("negative wait", ("touchpoints", 0, "wait_min"), -5, "touchpoints[0].wait_min", -5, "greater than"),
    ("bad evidence", ("touchpoints", 0, "evidence"), "guess", "touchpoints[0].evidence", "guess", "observed"),
    ("bad context", ("transitions", 0, "context"), "some", "transitions[0].context", "some", "'none'"),
    ("bad recognised", ("transitions", 0, "recognised"), "maybe", "transitions[0].recognised", "maybe",
     "boolean"),
    ("severity too high", ("touchpoints", 1, "pain_points", 0, "severity"), 6,
     "touchpoints[1].pain_points[0].severity", 6, "less than or equal to 5"),
    ("frequency over one", ("touchpoints", 1, "pain_points", 0, "frequency"), 1.2,
     "touchpoints[1].pain_points[0].frequency", 1.2, "less than or equal to 1"),
    ("opportunity addresses unknown pain", ("opportunities", 0, "addresses", 0), "nope",
     "opportunities[0].addresses[0]", "nope", "slow"),
    ("opportunity value zero", ("opportunities", 0, "value"), 0, "opportunities[0].value", 0, "greater than"),
    ("no touchpoints", ("touchpoints",), [], "touchpoints", None, "at least 1"),
    ("no stages", ("stages",), [], "stages", None, "at least 1"),
    ("missing title", ("title",), _DELETE, "title", None, "required"),
    ("missing action", ("touchpoints", 2, "action"), _DELETE, "touchpoints[2].action", None, "required"),
    ("empty action", ("touchpoints", 2, "action"), "", "touchpoints[2].action", "", "at least 1 character"),
    ("misspelt field", ("touchpoints", 0, "emotoin"), 1, "touchpoints[0].emotoin", None, "unknown field"),
    ("unsupported language", ("lang",), "fr", "lang", "fr", "'en' or 'es'"),
    ("unknown state", ("state",), "past", "state", "past", "'current' or 'future'"),
    ("id with spaces", ("touchpoints", 0, "id"), "an ad", "touchpoints[0].id", "an ad", "pattern"),
    ("custom channel reuses built-in id", ("channels",), [
        {"id": "email", "kind": "digital_owned", "name_en": "E", "name_es": "E"}],
     "channels[0].id", "email", "built in"),
    ("custom channel bad kind", ("channels",), [
        {"id": "fax", "kind": "retro", "name_en": "Fax", "name_es": "Fax"}], "channels[0].kind", "retro",
     "'physical'"),
    ("touchpoints not a list", ("touchpoints",), "hello", "touchpoints", "hello", "valid list"),
    ("stage name wrong type", ("stages", 0, "name"), ["a", "b"], "stages[0].name", None, "string"),
    ("inline persona bad channel", ("persona",), {"id": "p", "name": "P", "preferred_channels": ["fax"]},
     "persona.preferred_channels[0]", "fax", "catalogue"),
]


@pytest.mark.parametrize("case", CASES, ids=[c[0] for c in CASES])
def test_bad_field(case, base, write):
    _, where, new, field, value, words = case
    _set(base, where, new)
    path = write(base)
    problems = jm.validate(path)
    assert problems, "expected at least one problem"
    match = [p for p in problems if p.path == field]
    assert match, f"no problem at {field}: {[str(p) for p in problems]}"
    problem = match[0]
    assert problem.file == str(path)
    assert problem.value == value
    assert words.lower() in problem.message.lower()
    line = str(problem)
    assert "\n" not in line and str(path) in line and field in line
    if value is not None:
        assert repr(value)[:20] in line
    # load() raises the same problems as one JourneyError
    with pytest.raises(jm.JourneyError) as info:
        jm.load(path)
    assert info.value.problems == problems


def test_shares_summing_over_one(base, write):
    base["transitions"].append({"from": "ad", "to": "shop", "share": 0.8})
    problems = jm.validate(write(base))
    assert [(p.path, p.value) for p in problems] == [("transitions[0].share", 1.1)]
    assert "shares leaving 'ad'" in problems[0].message


def test_duplicate_transition_and_pain_ids(base, write):
    base["transitions"].append({"from": "ad", "to": "web", "share": 0.1})
    base["touchpoints"][0]["pain_points"] = [{"id": "slow", "text": "again"}]
    problems = jm.validate(write(base))
    paths = sorted(p.path for p in problems)
    assert "transitions[2]" in paths
    assert "touchpoints[1].pain_points[0].id" in paths or "touchpoints[0].pain_points[0].id" in paths


def test_all_problems_reported_not_just_first(base, write):
    base["touchpoints"][0]["stage"] = "x1"
    base["touchpoints"][1]["channel"] = "x2"
    base["transitions"][1]["to"] = "x3"
    problems = jm.validate(write(base))
    assert {p.value for p in problems} == {"x1", "x2", "x3"}


def test_lines_point_into_the_yaml(base, write):
    base["touchpoints"][2]["stage"] = "nowhere"
    path = write(base)
    (problem,) = jm.validate(path)
    lines = path.read_text().splitlines()
    assert "nowhere" in lines[problem.line - 1]


def test_bad_yaml_syntax(write):
    path = write("id: x\ntitle: [unclosed\nstages: []\n")
    (problem,) = jm.validate(path)
    assert "bad YAML syntax" in problem.message and problem.line is not None


@pytest.mark.parametrize("text, words", [("", "empty"), ("- a\n- b\n", "mapping"), ("just text", "mapping")])
def test_not_a_mapping(write, text, words):
    (problem,) = jm.validate(write(text))
    assert words in problem.message


def test_missing_file(tmp_path):
    (problem,) = jm.validate(tmp_path / "nope.yaml")
    assert problem.message == "file not found" and "nope.yaml" in problem.file


def test_missing_persona_file(base, write):
    base["persona"] = "nobody_here"
    path = write(base)
    (problem,) = jm.validate(path)
    assert problem.path == "persona" and problem.value == "nobody_here" and problem.line == 1 + next(
        i for i, line in enumerate(path.read_text().splitlines()) if line.startswith("persona"))


def test_invalid_persona_file_names_that_file(base, write):
    write({"id": "bad", "name": "Bad", "goals": "not a list"}, "personas/bad.yaml")
    base["persona"] = "bad"
    (problem,) = jm.validate(write(base))
    assert problem.file.endswith("personas/bad.yaml") and problem.path == "goals"


def test_unsafe_yaml_tags_are_refused(write):
    path = write("id: !!python/object/apply:os.system ['echo hacked']\ntitle: t\n")
    (problem,) = jm.validate(path)
    assert "bad YAML syntax" in problem.message


def test_journey_error_carries_first_problem(base, write):
    base["touchpoints"][0]["emotion"] = 9
    path = write(base)
    with pytest.raises(jm.JourneyError) as info:
        jm.load(path)
    err = info.value
    assert (err.file, err.field, err.value) == (str(path), "touchpoints[0].emotion", 9)
    assert isinstance(err, ValueError)
