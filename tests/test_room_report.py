"""Issue 17 part 3: the HTML report's Workshop section — rounds with the room's vs the model's ranking,
open and resolved comments, every user text escaped, Spanish headers."""

from __future__ import annotations

import html
import re

import journeymap as jm
from journeymap.exporting import report_html

EVIL = "<img src=x onerror=alert(1)>"


def journey() -> jm.Journey:
    j = jm.load(jm.shipped_journey("retail_bopis_multichannel"))
    d = j.model_dump(by_alias=True, mode="json", exclude_defaults=True)
    ranking = jm.score(j).pain_ranking()
    first, last = ranking.index[0], ranking.index[-1]
    d["comments"] = [
        {"id": "c1", "target": "product_page", "author": EVIL, "text": EVIL, "at": "2026-11-30T09:00:00+00:00"},
        {"id": "c2", "target": last, "author": "Bo", "text": "Fixed by the new IVR", "at": "2026-11-30T09:05:00Z",
         "resolved": True},
    ]
    d["votes"] = [{"id": "r1", "label": f"Worst pains {EVIL}", "on": "pain_points", "dots": 3, "open": False,
                   "counts": {last: 5, first: 1}, "voters": {"Ana": 3, "Bo": 3}}]
    return jm.Journey.model_validate(d)


def section(page: str) -> str:
    start = page.index("<h2>Workshop</h2>") if "<h2>Workshop</h2>" in page else page.index("<h2>Taller</h2>")
    return page[start:page.index("<footer>")]


def test_section_lists_the_round_with_both_ranks_and_the_comments():
    j = journey()
    page = report_html(j)
    s = section(page)
    ranking = jm.score(j).pain_ranking()
    last_text = ranking["text"].iloc[-1]
    assert "Voting round Worst pains" in s and "on pain points" in s and "2 participants voted" in s
    assert "closed" in s
    rows = re.findall(r"<tr><td>(.*?)</td><td>(.*?)</td><td class='num'>(\d+)</td><td class='num'>(\d+)</td>"
                      r"<td class='num'>(\d+)</td></tr>", s)
    n = len(ranking)
    assert [(html.unescape(a), b, int(c), int(d), int(e)) for a, b, c, d, e in rows] == [
        (last_text, "pain point", 5, 1, n), (ranking["text"].iloc[0], "pain point", 1, 2, 1)]
    assert f"{n - 2} more without dots." in s
    assert html.escape("Spearman rank correlation of the room's and the model's order (pain point): ") in s
    assert "Open comments (1)" in s and "Resolved comments (1)" in s
    resolved = s[s.index("Resolved comments"):]
    assert "class=resolved" in resolved and ">resolved</span>" in resolved and "Fixed by the new IVR" in resolved
    assert "2026-11-30 09:05" in resolved and html.escape(last_text, quote=True) in resolved


def test_user_text_is_escaped():
    page = report_html(journey())
    assert EVIL not in page and "onerror=alert(1)>" not in page
    s = section(page)
    assert s.count("&lt;img src=x onerror=alert(1)&gt;") >= 3  # author, text, round label


def test_spanish_headers():
    s = section(report_html(journey(), lang="es"))
    for words in ("<h2>Taller</h2>", "Ronda de votación", "sobre puntos de dolor", "puesto según la sala",
                  "puesto según el modelo", "Comentarios abiertos (1)", "Comentarios resueltos (1)", ">resuelto</span>",
                  "punto de dolor", "Correlación de rangos de Spearman"):
        assert words in s, words


def test_no_section_without_votes_or_comments():
    page = report_html(jm.load(jm.shipped_journey("hotel_stay")))
    assert "<h2>Workshop</h2>" not in page
