"""Loading and saving: formats, persona resolution, atomicity, stable output, schema."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest
import yaml

import journeymap as jm
from journeymap import io as jio

ROOT = Path(__file__).resolve().parent.parent


def test_yaml_and_json_round_trip(base, write, tmp_path):
    j = jm.load(write(base))
    for name in ("a.yaml", "b.yml", "c.json"):
        jm.save(j, tmp_path / name)
        assert jm.load(tmp_path / name) == j
    assert json.loads((tmp_path / "c.json").read_text())["id"] == "mini"


def test_save_is_stable_and_in_model_order(base, write, tmp_path):
    j = jm.load(write(base))
    jm.save(j, tmp_path / "one.yaml")
    jm.save(jm.load(tmp_path / "one.yaml"), tmp_path / "two.yaml")
    one = (tmp_path / "one.yaml").read_text()
    assert one == (tmp_path / "two.yaml").read_text()
    keys = list(yaml.safe_load(one))
    assert keys == ["id", "title", "stages", "touchpoints", "transitions", "opportunities"]
    assert "emotion: 1\n" in one  # integral floats stay readable
    assert "share: 1\n" not in one  # defaults are left out


def test_omitted_transitions_link_file_order(base, write):
    del base["transitions"]
    j = jm.load(write(base))
    assert [(t.source, t.target, t.share) for t in j.transitions] == [("ad", "web", 1.0), ("web", "shop", 1.0)]


def test_persona_resolves_by_id_and_is_saved_as_reference(base, write, tmp_path):
    write({"id": "ana", "name": "Ana", "preferred_channels": ["whatsapp"]}, "personas/ana.yaml")
    base["persona"] = "ana"
    j = jm.load(write(base))
    assert j.persona_obj().name == "Ana"
    jm.save(j, tmp_path / "again.yaml")
    assert yaml.safe_load((tmp_path / "again.yaml").read_text())["persona"] == "ana"
    assert jm.load(tmp_path / "again.yaml") == j


def test_persona_saved_inline_where_no_file_matches(base, write, tmp_path):
    write({"id": "ana", "name": "Ana"}, "personas/ana.yaml")
    base["persona"] = "ana"
    j = jm.load(write(base))
    elsewhere = tmp_path / "elsewhere"
    custom = tmp_path / "custom_personas"
    custom.mkdir()
    changed = j.model_copy(update={"persona": j.persona.model_copy(update={"name": "Ana B."})})
    jm.save(changed, tmp_path / "changed.yaml")  # personas/ana.yaml differs: inline
    assert yaml.safe_load((tmp_path / "changed.yaml").read_text())["persona"]["name"] == "Ana B."
    jm.save(j, elsewhere / "j.yaml", personas=custom)  # no persona file there: inline
    assert isinstance(yaml.safe_load((elsewhere / "j.yaml").read_text())["persona"], dict)
    assert jm.load(elsewhere / "j.yaml", personas=custom) == j


def test_explicit_personas_folder(base, write, tmp_path):
    write({"id": "ana", "name": "Ana from elsewhere"}, "lib/ana.yaml")
    base["persona"] = "ana"
    path = write(base)
    assert jm.load(path, personas=tmp_path / "lib").persona.name == "Ana from elsewhere"
    (problem,) = jm.validate(path, personas=tmp_path / "missing")
    assert "missing" in problem.message


def test_save_is_atomic_when_the_write_fails(base, write, tmp_path, monkeypatch):
    j = jm.load(write(base))
    target = tmp_path / "keep.yaml"
    jm.save(j, target)
    before = target.read_bytes()

    def boom(*args, **kwargs):
        raise OSError("disk full")

    monkeypatch.setattr(os, "replace", boom)
    changed = j.model_copy(update={"title": "Changed"})
    with pytest.raises(OSError):
        jm.save(changed, target)
    assert target.read_bytes() == before
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".keep")] == []


def test_save_fsyncs_before_rename(base, write, tmp_path, monkeypatch):
    calls = []
    real_fsync, real_replace = os.fsync, os.replace
    monkeypatch.setattr(os, "fsync", lambda fd: (calls.append("fsync"), real_fsync(fd))[1])
    monkeypatch.setattr(os, "replace", lambda a, b: (calls.append("replace"), real_replace(a, b))[1])
    jm.save(jm.load(write(base)), tmp_path / "x.yaml")
    assert calls[:2] == ["fsync", "replace"]


def test_persona_files_round_trip(tmp_path):
    persona = jm.Persona(id="p1", name="Pía", goals=["Save time"], demographics={"age": 34})
    jm.save_persona(persona, tmp_path / "p1.yaml")
    assert jm.load_persona(tmp_path / "p1.yaml") == persona


def test_schema_is_generated_from_the_model(tmp_path):
    schema = jm.json_schema()
    assert schema["title"] == "journeymap journey"
    tp = schema["$defs"]["Touchpoint"]["properties"]
    assert tp["emotion"]["minimum"] == -2 and tp["emotion"]["maximum"] == 2
    assert "from" in schema["$defs"]["Transition"]["properties"]
    jm.write_schema(tmp_path / "s.json")
    assert json.loads((tmp_path / "s.json").read_text()) == schema


def test_committed_schema_is_up_to_date():
    committed = json.loads((ROOT / "schema" / "journey.schema.json").read_text())
    assert committed == jm.json_schema(), "run `make schema` and commit schema/journey.schema.json"


def test_schema_accepts_shipped_files_shape():
    jsonschema = pytest.importorskip("jsonschema")
    schema = jm.json_schema()
    for path in jm.shipped_journeys():
        jsonschema.validate(yaml.safe_load(path.read_text()), schema)


def test_to_data_leaves_out_defaults():
    tp = jm.Touchpoint(id="t", stage="s", channel="email", action="Reads")
    assert jio.to_data(tp) == {"id": "t", "stage": "s", "channel": "email", "action": "Reads"}


def test_saved_files_get_the_usual_permissions(base, write, tmp_path):
    old = os.umask(0o022)
    try:
        jm.save(jm.load(write(base)), tmp_path / "perm.yaml")
    finally:
        os.umask(old)
    assert (tmp_path / "perm.yaml").stat().st_mode & 0o777 == 0o644
