"""Issue 17: comments and dot-voting rounds are journey fields, validated, saved, loaded and kept by Mermaid."""

from __future__ import annotations

import pytest

import journeymap as jm
from journeymap.errors import JourneyError
from journeymap.mermaid import from_mermaid, to_mermaid
from journeymap.model import Journey

AT = "2026-11-30T09:00:00+00:00"


def data() -> dict:
    j = jm.load(jm.shipped_journey("retail_bopis_multichannel"))
    d = j.model_dump(by_alias=True, mode="json", exclude_defaults=True)
    pain = j.pain_points()[0][0].id
    opp = j.opportunities[0].id
    d["comments"] = [
        {"id": "c1", "target": "product_page", "author": "Ana", "text": "=cmd|' /C calc'!A0 <script>x</script>",
         "at": AT},
        {"id": "c2", "target": pain, "author": "Bo", "text": "Seen it twice", "at": "2026-11-30T09:05:00Z",
         "resolved": True},
        {"id": "c3", "target": opp, "author": "Cy", "text": "Cheap to try", "at": AT},
    ]
    d["votes"] = [{"id": "r1", "label": "Worst pains", "on": "pain_points", "dots": 3, "open": False,
                   "counts": {pain: 4}, "voters": {"Ana": 3, "Bo": 1}},
                  {"id": "r2", "on": "both", "dots": 2, "counts": {opp: 1}, "voters": {"Cy": 1}}]
    return d


def test_comments_and_votes_load_and_default_to_empty():
    j = Journey.model_validate(data())
    assert [c.id for c in j.comments] == ["c1", "c2", "c3"]
    assert j.comments[1].resolved and not j.comments[0].resolved
    assert j.votes[0].counts == {j.pain_points()[0][0].id: 4} and j.votes[1].open
    plain = jm.load(jm.shipped_journey("hotel_stay"))
    assert plain.comments == [] and plain.votes == []


def test_save_and_load_round_trip(tmp_path):
    j = Journey.model_validate(data())
    for name in ("j.yaml", "j.json"):
        jm.save(j, tmp_path / name)
        assert jm.load(tmp_path / name) == j
    assert "comments:" in (tmp_path / "j.yaml").read_text()


def test_mermaid_round_trip_keeps_comments_and_votes():
    j = Journey.model_validate(data())
    back = from_mermaid(to_mermaid(j))
    assert back.comments == j.comments and back.votes == j.votes


@pytest.mark.parametrize(("change", "where", "words"), [
    (lambda d: d["comments"][0].update(target="nowhere"), "comments[0].target", "unknown touchpoint, pain point"),
    (lambda d: d["comments"][1].update(id="c1"), "comments[1].id", "duplicate"),
    (lambda d: d["comments"][0].update(at="yesterday"), "comments[0].at", "ISO date-time"),
    (lambda d: d["comments"][0].update(text=""), "comments[0].text", "at least 1"),
    (lambda d: d["votes"][0]["counts"].update({d["opportunities"][0]["id"]: 1}), "votes[0].counts",
     "votes on"),
    (lambda d: d["votes"][0]["voters"].update(Ana=4), "votes[0].voters.Ana", "at most the round's 3 dots"),
    (lambda d: d["votes"][1].update(id="r1"), "votes[1].id", "duplicate"),
    (lambda d: d["votes"][1].update(on="everything"), "votes[1].on", "pain_points"),
    (lambda d: d["votes"][1].update(dots=0), "votes[1].dots", "greater than or equal to 1"),
])
def test_bad_comments_and_votes_are_one_line_problems(tmp_path, change, where, words):
    d = data()
    change(d)
    f = tmp_path / "bad.json"
    import json

    f.write_text(json.dumps(d))
    with pytest.raises(JourneyError) as info:
        jm.load(f)
    lines = [line for line in str(info.value).splitlines() if where in line]
    assert lines and words in lines[0], str(info.value)


def test_comment_target_typo_suggests_the_id(tmp_path):
    d = data()
    d["comments"][0]["target"] = "product_pag"
    with pytest.raises(Exception, match="did you mean 'product_page'"):
        Journey.model_validate(d)


def test_schema_has_the_room_fields():
    props = jm.json_schema()["properties"]
    assert "comments" in props and "votes" in props
