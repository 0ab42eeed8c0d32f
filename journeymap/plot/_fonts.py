"""Fonts: DejaVu Sans first, then installed fonts for the scripts and emoji it lacks.

matplotlib (≥ 3.6) draws each glyph with the first family of ``font.family`` that has it, so a card
reading "Cliente 😀 顧客 عميل ग्राहक" needs a font per script after DejaVu Sans. Only families that
are really installed are named (naming a missing one makes matplotlib log "font family not found"
for each text). On Debian/Ubuntu ``apt-get install fonts-noto-core fonts-droid-fallback
fonts-symbola`` gives Arabic, Hebrew, Indic, Thai…, CJK and monochrome emoji (``.ci/run`` installs
them). Colour bitmap emoji fonts (Noto Color Emoji, Apple Color Emoji) cannot be drawn by
matplotlib's Agg renderer: monochrome ones (Noto Emoji, Symbola, OpenMoji) can, and are listed.

When no installed font has a glyph, matplotlib draws its "last resort" box and warns once per glyph;
:func:`quiet_glyphs` silences exactly that warning where journeymap builds and saves figures.

>>> families()[0]
'DejaVu Sans'
"""

from __future__ import annotations

import logging
import warnings
from collections.abc import Iterator
from contextlib import contextmanager
from functools import lru_cache

#: The font every figure draws Latin, Greek and Cyrillic text with (and measures it with).
PRIMARY = "DejaVu Sans"

#: Fallback families in the order tried, for glyphs DejaVu Sans lacks; only installed ones are used.
#: Linux (Noto, Droid, WenQuanYi, Symbola), macOS and Windows names, so each platform finds its own.
FALLBACKS = (
    # other scripts (Noto core on Debian/Ubuntu)
    "Noto Sans Arabic", "Noto Sans Hebrew", "Noto Sans Devanagari", "Noto Sans Bengali",
    "Noto Sans Gurmukhi", "Noto Sans Gujarati", "Noto Sans Tamil", "Noto Sans Telugu",
    "Noto Sans Kannada", "Noto Sans Malayalam", "Noto Sans Sinhala", "Noto Sans Thai",
    "Noto Sans Lao", "Noto Sans Khmer", "Noto Sans Myanmar", "Noto Sans Ethiopic",
    "Noto Sans Armenian", "Noto Sans Georgian",
    # Chinese, Japanese, Korean
    "Noto Sans CJK JP", "Noto Sans CJK SC", "Source Han Sans", "WenQuanYi Micro Hei",
    "Droid Sans Fallback", "PingFang SC", "Hiragino Sans", "Apple SD Gothic Neo",
    "Microsoft YaHei", "Yu Gothic", "Malgun Gothic",
    # monochrome emoji and symbols
    "Noto Emoji", "Symbola", "OpenMoji", "Segoe UI Emoji", "Segoe UI Symbol",
)

#: The font stack of HTML pages (the browser picks per glyph: colour emoji work there).
BROWSER_STACK = ('"DejaVu Sans", Arial, "Noto Sans", "Noto Sans Arabic", "Noto Sans Devanagari", '
                 '"Noto Sans CJK SC", "PingFang SC", "Microsoft YaHei", sans-serif, '
                 '"Apple Color Emoji", "Segoe UI Emoji", "Noto Color Emoji"')
#: The same stack as vis-network's canvas ``font.face`` takes it (no quotes).
BROWSER_FACE = BROWSER_STACK.replace('"', "")

#: The message of matplotlib's per-glyph warning (``matplotlib._text_helpers.warn_on_missing_glyph``).
GLYPH_WARNING = r"Glyph \d+ .*missing from font"

_FONT_SUFFIXES = (".ttf", ".otf", ".ttc")


def _installed() -> set[str]:
    from matplotlib import font_manager

    return {entry.name for entry in font_manager.fontManager.ttflist}


def _register_new_system_fonts() -> None:
    """Add system fonts installed after matplotlib built its font cache (it does not look again)."""
    from matplotlib import font_manager

    known = {entry.fname for entry in font_manager.fontManager.ttflist}
    for path in font_manager.findSystemFonts():
        if path in known or not path.lower().endswith(_FONT_SUFFIXES):
            continue
        try:
            font_manager.fontManager.addfont(path)
        except (OSError, RuntimeError, ValueError):  # an unreadable font is simply not used
            continue


class _RegularOnly(logging.Filter):
    """Drops matplotlib's "Failed to find font weight bold for Symbola" notes about our fallback fonts.

    Most emoji and CJK fonts come in one weight; for bold text matplotlib uses their regular face
    (as intended here) and logs a warning for each font size. Notes about other fonts pass.
    """

    def filter(self, record: logging.LogRecord) -> bool:
        args = record.args if isinstance(record.args, tuple) else ()
        return not (str(record.msg).startswith("findfont: Failed to find font weight")
                    and len(args) > 1 and args[1] in FALLBACKS)


@lru_cache(maxsize=1)
def families() -> tuple[str, ...]:
    """DejaVu Sans followed by the installed :data:`FALLBACKS`, as ``font.family`` takes them."""
    installed = _installed()
    if not all(name in installed for name in FALLBACKS):
        _register_new_system_fonts()
        installed = _installed()
    found = tuple(name for name in FALLBACKS if name in installed)
    if found:
        logging.getLogger("matplotlib.font_manager").addFilter(_RegularOnly())
    return (PRIMARY, *found)


@contextmanager
def quiet_glyphs() -> Iterator[None]:
    """Silence matplotlib's "Glyph … missing from font" warnings inside the block (a box is drawn)."""
    with warnings.catch_warnings():
        warnings.filterwarnings("ignore", message=GLYPH_WARNING, category=UserWarning)
        yield
