"""Control characters in user text (ESC, BEL) are not drawn: no font has them, and matplotlib warned."""

from __future__ import annotations

import warnings

import journeymap as jm


def test_control_characters_are_stripped_from_every_plot(tmp_path):
    j = jm.load(jm.shipped_journey("hotel_stay")).model_copy(deep=True)
    j.title = "Trip \x1b]0;owned\x07 Costs $5 or $10"
    j.touchpoints[0].action = "Books \x1b[2J now"
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # "Glyph 27 missing from font(s)" was a warning per character
        out = jm.export(j, tmp_path / "map.png")
    assert out.stat().st_size > 0

    import matplotlib.pyplot as plt
    from matplotlib.text import Text

    ax = jm.plot.journey_map(j)
    texts = [t.get_text() for t in ax.figure.findobj(Text)]
    assert any("Costs $5 or $10" in t for t in texts)
    assert not any("\x1b" in t or "\x07" in t for t in texts)
    plt.close(ax.figure)
