""""Save as version" (issue 17, part 4): labelled snapshots in versions/ beside the journey, listed and diffed."""

from __future__ import annotations

import shutil
from datetime import UTC, datetime

import pytest

import journeymap as jm
from journeymap.versions import list_versions, save_version

T0 = datetime(2026, 11, 30, 8, 47, 0, tzinfo=UTC)


@pytest.fixture
def journey(tmp_path):
    return shutil.copy(jm.shipped_journey("hotel_stay"), tmp_path / "hotel.yaml")


def test_snapshot_keeps_the_file_and_the_label(journey, tmp_path):
    v = save_version(journey, "Before the workshop", when=T0)
    assert v == tmp_path / "versions" / "hotel--20261130-084700--before-the-workshop.yaml"
    text = v.read_text(encoding="utf-8")
    head = text.splitlines()[:3]
    assert head == ["# journeymap version of hotel.yaml", "# label: Before the workshop",
                    "# saved: 2026-11-30T08:47:00Z"]
    assert text.endswith(journey.read_text(encoding="utf-8"))  # byte for byte, comments included
    assert jm.load(v) == jm.load(journey)  # the persona still resolves from versions/


def test_label_cannot_escape_the_folder(journey, tmp_path):
    for label in ("../../x", "/etc/passwd", "..\\..\\x", "a/../../b", "..", "x\x00y"):
        v = save_version(journey, label, when=T0)
        assert v.parent == tmp_path / "versions" and v.resolve().parent == (tmp_path / "versions").resolve()
        assert "/" not in v.name[len("hotel--"):] and ".." not in v.name
    assert (tmp_path / "versions" / "hotel--20261130-084700--x.yaml").is_file()
    assert not (tmp_path.parent / "x.yaml").exists() and not any(tmp_path.parent.glob("*--x*"))
    labels = [v.label for v in list_versions(journey)]
    assert "../../x" in labels and "/etc/passwd" in labels  # the label itself is kept as written


def test_nothing_is_overwritten_and_listing_is_in_order(journey):
    first = save_version(journey, "Draft", when=T0)
    second = save_version(journey, "Draft", when=T0)
    later = save_version(journey, "Zeta", when=T0.replace(hour=9))
    earlier = save_version(journey, "Alpha", when=T0.replace(hour=7))
    assert second.name == first.name.replace(".yaml", "-2.yaml")
    assert [v.path for v in list_versions(journey)] == [earlier, first, second, later]
    assert list_versions(journey)[0].saved == T0.replace(hour=7)


def test_labels_are_one_clean_line(journey):
    v = save_version(journey, "Después\n# label: injected\x1b[2J  del taller", when=T0)
    assert v.name == "hotel--20261130-084700--despues-label-injected-2j-del-taller.yaml"
    (got,) = list_versions(journey)
    assert got.label == "Después # label: injected[2J del taller"
    assert v.read_text(encoding="utf-8").splitlines()[2] == "# saved: 2026-11-30T08:47:00Z"
    with pytest.raises(ValueError, match="label"):
        save_version(journey, " \n\t ")


def test_a_journey_object_needs_its_path(journey, tmp_path):
    j = jm.load(journey)
    j.title = "Edited in the notebook"
    with pytest.raises(ValueError, match="path="):
        save_version(j, "Edited")
    v = save_version(j, "Edited", path=journey, when=T0)
    assert v.parent == tmp_path / "versions" and jm.load(v) == j
    assert list_versions(journey)[0].label == "Edited"
    d = jm.diff(v, journey, score=False)
    assert [(f.path, f.old, f.new) for c in d.section("journey").changed for f in c.fields] == [
        ("title", "Edited in the notebook", "Three nights for a trade fair: Priya at a Meridia hotel in Milan")]


def test_json_journey_is_kept_as_yaml(tmp_path):
    src = tmp_path / "j.json"
    jm.save(jm.load(jm.shipped_journey("retail_bopis_omnichannel")), src)
    v = save_version(src, "json one", when=T0)
    assert v.suffix == ".yaml" and jm.load(v) == jm.load(src)
    assert [x.label for x in list_versions(src)] == ["json one"]


def test_a_broken_file_is_not_kept_and_leaves_nothing(tmp_path):
    bad = tmp_path / "bad.yaml"
    bad.write_text("id: x\n", encoding="utf-8")
    with pytest.raises(jm.JourneyError):
        save_version(bad, "broken")
    assert not (tmp_path / "versions").exists()
    assert list_versions(bad) == []


def test_other_journeys_versions_are_not_listed(journey, tmp_path):
    other = shutil.copy(journey, tmp_path / "hotel2.yaml")
    save_version(journey, "mine", when=T0)
    save_version(other, "theirs", when=T0)
    assert [v.label for v in list_versions(journey)] == ["mine"]
    assert [v.label for v in list_versions(other)] == ["theirs"]
    assert list_versions(tmp_path / "nothing.yaml") == []


def test_lazy_exports():
    assert jm.save_version is save_version and jm.list_versions is list_versions


def test_version_command_saves_and_lists(journey, tmp_path, capsys):
    from journeymap.cli import main

    assert main(["version", str(journey), "Before the workshop"]) == 0
    saved = capsys.readouterr().out.strip().removeprefix("saved ")
    assert saved.startswith(str(tmp_path / "versions" / "hotel--")) and saved.endswith("--before-the-workshop.yaml")
    assert main(["version", str(journey)]) == 0
    (line,) = capsys.readouterr().out.splitlines()
    assert line.endswith("--before-the-workshop.yaml  Before the workshop")
    assert main(["diff", saved, str(journey), "--no-scores"]) == 0
    assert "no differences" in capsys.readouterr().out
    assert main(["version", str(journey), "   "]) == 2
    assert "needs a label" in capsys.readouterr().err
    assert main(["version", str(tmp_path / "missing.yaml"), "x"]) == 1
    assert capsys.readouterr().err.strip() == f"{tmp_path / 'missing.yaml'}: file not found"
