"""Shared look: colour-blind-safe palette, fonts, and text measured to wrap without overlaps.

Colours come from the Okabe–Ito palette (safe for the common colour-vision
deficiencies); sequential heat uses a single-hue ramp that stays readable in
greyscale. Text is measured with the same font matplotlib draws it with
(DejaVu Sans), so wrapped blocks have a known size before they are drawn.

>>> wrap("Taps a Stories ad for the camel trench coat", width_pt=80, size=8)
['Taps a Stories ad', 'for the camel', 'trench coat']
>>> kind_colour("social")
'#CC79A7'
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from functools import lru_cache

from journeymap.plot._fonts import families as font_families
from journeymap.plot._fonts import quiet_glyphs

#: The Okabe–Ito palette.
OKABE_ITO = {
    "orange": "#E69F00",
    "sky": "#56B4E9",
    "green": "#009E73",
    "yellow": "#F0E442",
    "blue": "#0072B2",
    "vermillion": "#D55E00",
    "purple": "#CC79A7",
    "black": "#000000",
}

#: One colour per channel kind (legends list kinds in :data:`journeymap.channels.KINDS` order).
KIND_COLOURS = {
    "digital_owned": OKABE_ITO["blue"],
    "social": OKABE_ITO["purple"],
    "messaging": OKABE_ITO["green"],
    "human_assisted": OKABE_ITO["orange"],
    "physical": OKABE_ITO["vermillion"],
    "paid_media": OKABE_ITO["sky"],
}

#: Colours and markers for overlaid series (emotion curves of several journeys).
SERIES = [
    (OKABE_ITO["blue"], "o", "-"),
    (OKABE_ITO["vermillion"], "s", "--"),
    (OKABE_ITO["green"], "D", "-."),
    (OKABE_ITO["purple"], "^", ":"),
    (OKABE_ITO["orange"], "v", "-"),
    (OKABE_ITO["sky"], "P", "--"),
]

INK = "#1F2933"  # main text
MUTED = "#52606D"  # secondary text
FAINT = "#9AA5B1"  # rules and grid
BAND = ("#F3F5F8", "#FFFFFF")  # alternating stage bands
FONT = "DejaVu Sans"
NEGATIVE, NEUTRAL, POSITIVE = OKABE_ITO["vermillion"], "#BFC5CC", OKABE_ITO["blue"]
NEGATIVE_TEXT = "#A84A00"  # vermillion darkened for text on white (5.8:1; NEGATIVE itself is 3.9:1)
HEAT_CMAP = "YlOrRd"  # friction: pale (low) … dark red (high), monotonic in lightness


def kind_colour(kind: str) -> str:
    """The colour of a channel kind (grey for unknown kinds)."""
    return KIND_COLOURS.get(kind, "#7B8794")


def hex_colour(colour: tuple[float, ...] | str) -> str:
    """``#rrggbb`` for an RGB(A) tuple of 0..1 floats (alpha dropped) or any matplotlib colour name.

    >>> hex_colour((0.0, 0.447, 0.698, 1.0)), hex_colour("#E69F00"), hex_colour("white")
    ('#0072b2', '#e69f00', '#ffffff')
    """
    if isinstance(colour, str):
        from matplotlib.colors import to_hex

        return to_hex(colour)
    return "#" + "".join(f"{round(c * 255):02x}" for c in colour[:3])


def relative_luminance(colour: str | tuple[float, ...]) -> float:
    """WCAG 2 relative luminance of a colour (hex, name or RGB(A) tuple; alpha ignored), 0 … 1."""
    from matplotlib.colors import to_rgb

    def linear(c: float) -> float:
        return c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4

    r, g, b = (linear(c) for c in to_rgb(colour))  # type: ignore[arg-type]  # any RGB(A) tuple works
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def contrast_ratio(a: str | tuple[float, ...], b: str | tuple[float, ...]) -> float:
    """WCAG 2 contrast ratio of two colours, 1 … 21 (text needs ≥ 4.5, AA).

    >>> round(contrast_ratio("#000000", "#FFFFFF"), 1), round(contrast_ratio("#FFFFFF", "#56B4E9"), 1)
    (21.0, 2.3)
    """
    la, lb = relative_luminance(a), relative_luminance(b)
    return (max(la, lb) + 0.05) / (min(la, lb) + 0.05)


#: The smallest text/background contrast every figure keeps (WCAG AA for normal text).
MIN_CONTRAST = 4.5


def ink_on(colour: str | tuple[float, float, float] | tuple[float, float, float, float]) -> str:
    """The text colour with the best WCAG contrast on ``colour``: our ink or white, black when neither reaches 4.5.

    Any background has contrast ≥ √21 ≈ 4.58 with black or with white, so the result always passes AA.

    >>> ink_on("#F0E442"), ink_on("#0072B2"), ink_on("#009E73")
    ('#1F2933', '#FFFFFF', '#000000')
    """
    best = max((INK, "#FFFFFF"), key=lambda ink: contrast_ratio(ink, colour))
    if contrast_ratio(best, colour) >= MIN_CONTRAST:
        return best
    return "#000000" if contrast_ratio("#000000", colour) >= contrast_ratio("#FFFFFF", colour) else "#FFFFFF"


def emotion_cmap():
    """Diverging colour map for emotion −2 … +2: vermillion, grey, blue."""
    from matplotlib.colors import LinearSegmentedColormap

    return LinearSegmentedColormap.from_list("jm_emotion", [NEGATIVE, NEUTRAL, POSITIVE])


@lru_cache(maxsize=1)
def _emotion_cmap():
    return emotion_cmap()  # building the colour map takes longer than looking a colour up: keep one


def emotion_colour(emotion: float) -> tuple[float, float, float, float]:
    """RGBA colour of an emotion value on :func:`emotion_cmap`."""
    return _emotion_cmap()((max(-2.0, min(2.0, float(emotion))) + 2.0) / 4.0)


@lru_cache(maxsize=1)
def _heat_cmap():
    import matplotlib

    return matplotlib.colormaps[HEAT_CMAP]  # a copy each time it is looked up: keep one


def heat_colour(friction: float) -> tuple[float, float, float, float]:
    """RGBA colour of a friction value 0 … 100 (kept off the palest end so cells stay visible)."""
    value = max(0.0, min(100.0, float(friction))) / 100.0
    return _heat_cmap()(0.08 + 0.87 * value)


def rc() -> dict:
    """matplotlib settings used by every journeymap figure (deterministic fonts, no LaTeX).

    Every plot enters ``plt.rc_context(rc())``; this first makes pyplot load its backend, *outside*
    that context: Jupyter's inline backend turns interactive mode on as it loads, and loading it
    inside the context would let the context's exit turn it off again — every later figure of the
    session would then stay hidden.
    """
    import matplotlib
    from matplotlib.backends import backend_registry

    backend_registry.load_backend_module(matplotlib.get_backend())  # loads the backend now
    return {
        "font.family": list(font_families()),  # DejaVu Sans, then installed emoji/CJK/other-script fonts
        "font.size": 9,
        "text.usetex": False,
        "svg.fonttype": "path",
        "svg.hashsalt": "journeymap",
        "pdf.fonttype": 42,
        "axes.edgecolor": FAINT,
        "axes.labelcolor": INK,
        "xtick.color": MUTED,
        "ytick.color": MUTED,
        "axes.titleweight": "bold",
        "axes.titlesize": 12,
        "axes.titlecolor": INK,
        "figure.facecolor": "white",
        "savefig.facecolor": "white",
        # Unhinted glyphs: the smooth shapes macOS and browsers draw, and ~25 % faster to rasterise a
        # long journey map (text dominates its drawing time).
        "text.hinting": "none",
    }


@contextmanager
def style() -> Iterator[None]:
    """``plt.rc_context(rc())`` that also silences matplotlib's "Glyph … missing from font" warnings.

    Build and save figures inside it: a glyph no installed font has is drawn as a box, once, quietly.
    """
    import matplotlib.pyplot as plt

    with plt.rc_context(rc()), quiet_glyphs():
        yield


# -- measuring and wrapping text ------------------------------------------------------------
@lru_cache(maxsize=65536)
def text_width(text: str, size: float, weight: str = "normal", style: str = "normal") -> float:
    """Width of one line of ``text`` in points, drawn at ``size`` points in DejaVu Sans and its fallbacks."""
    from matplotlib.font_manager import FontProperties

    from journeymap.safety import terminal

    prop = FontProperties(family=list(font_families()), size=size, weight=weight, style=style)  # type: ignore[arg-type]
    with quiet_glyphs():  # a glyph no installed font has is measured as matplotlib's box
        width, _, _ = _TEXT_TO_PATH().get_text_width_height_descent(terminal(text), prop, ismath=False)
    return float(width)


@lru_cache(maxsize=1)
def _TEXT_TO_PATH():
    from matplotlib.textpath import TextToPath

    return TextToPath()


def line_height(size: float) -> float:
    """Height in points that one wrapped line takes (matplotlib's line spacing is 1.2)."""
    return size * 1.2


def block_height(lines: int, size: float) -> float:
    """Height in points of a block of ``lines`` lines (with a little slack for descenders)."""
    return 0.0 if lines <= 0 else lines * line_height(size) + 0.25 * size


def wrap(text: str, width_pt: float, size: float, weight: str = "normal", style: str = "normal",
         max_lines: int | None = None) -> list[str]:
    """Break ``text`` into lines no wider than ``width_pt`` points (words longer than a line are split).

    With ``max_lines``, the last kept line ends in "…" when text was dropped. Linear in the length of
    the text: a word longer than a line is cut where the line is full (found from per-character
    widths, then checked with a few exact measures), and wrapping stops once ``max_lines`` is passed.

    >>> wrap("one two three four five six", 40, 9, max_lines=2)
    ['one two', 'three…']
    >>> wrap("", 40, 9)
    []
    >>> [len(line) for line in wrap("x" * 60, 40, 9)]
    [7, 7, 7, 7, 7, 7, 7, 7, 4]
    """
    limit = width_pt * 0.97  # a little slack for kerning differences

    def fits(s: str) -> bool:
        return _words_width(s, size, weight, style) <= limit

    lines: list[str] = []
    enough = None if max_lines is None else max_lines + 1  # one line past the limit shows text was dropped
    for paragraph in str(text).splitlines() or [""]:
        line = ""
        for word in paragraph.split():
            if enough is not None and len(lines) >= enough:
                break
            candidate = f"{line} {word}" if line else word
            if _short_enough(candidate, limit, size, weight, style) and fits(candidate):
                line = candidate
                continue
            if line:
                lines.append(line)
            while len(word) > 1:  # split words longer than a line
                cut = _cut(word, limit, size, weight, style)
                if cut >= len(word):
                    break
                lines.append(word[:cut])
                word = word[cut:]
                if enough is not None and len(lines) >= enough:
                    break
            line = word
        if line:
            lines.append(line)
        if enough is not None and len(lines) >= enough:
            break
    if max_lines is not None and len(lines) > max_lines:
        kept = lines[:max_lines]
        last = kept[-1]
        while last and not fits(last + "…"):
            last = last[:-1].rstrip()
        kept[-1] = last + "…"
        return kept
    return lines


def _estimate(word: str, limit: float, size: float, weight: str, style: str) -> int:
    """How many leading characters of ``word`` fit in ``limit`` points, summing per-character widths.

    Stops at the first character past the limit, so it costs one line's worth of characters.
    """
    total, n = 0.0, 0
    for ch in word:
        total += text_width(ch, size, weight, style)
        if total > limit:
            break
        n += 1
    return n


def _short_enough(line: str, limit: float, size: float, weight: str, style: str) -> bool:
    """A cheap pre-check before measuring ``line`` exactly: false when it is clearly far too wide."""
    return len(line) <= 8 or _estimate(line, 1.5 * limit + 2 * size, size, weight, style) >= len(line)


def _cut(word: str, limit: float, size: float, weight: str, style: str) -> int:
    """The longest prefix of ``word`` (at least one character) that fits, or ``len(word)`` if all of it does.

    Starts from the per-character estimate and corrects it with exact measures (kerning makes the
    sum differ slightly): a doubling step then a binary search, each measure one line long.
    """
    def fits(k: int) -> bool:
        return text_width(word[:k], size, weight, style) <= limit

    guess = min(len(word), max(1, _estimate(word, limit, size, weight, style)))
    if fits(guess):
        lo, step = guess, 1
        hi = len(word) + 1
        while lo + step <= len(word):
            if not fits(lo + step):
                hi = lo + step
                break
            lo, step = lo + step, step * 2
        else:
            if lo == len(word) or fits(len(word)):
                return len(word)
            hi = len(word)
    else:
        hi, step = guess, 1
        lo = 1
        while hi - step > 1:
            if fits(hi - step):
                lo = hi - step
                break
            hi, step = hi - step, step * 2
    while hi - lo > 1:  # invariant: fits(lo) (or lo == 1), not fits(hi)
        mid = (lo + hi) // 2
        if fits(mid):
            lo = mid
        else:
            hi = mid
    return max(1, lo)


def _words_width(line: str, size: float, weight: str, style: str) -> float:
    words = line.split(" ")
    space = text_width("a a", size, weight, style) - text_width("aa", size, weight, style)
    return sum(text_width(w, size, weight, style) for w in words) + space * (len(words) - 1)
