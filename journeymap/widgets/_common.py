"""Small pieces shared by the widgets: escaped messages, tables, figures as images."""

from __future__ import annotations

from html import escape
from typing import Any

from journeymap.errors import Problem


def problem(message: str, value: Any = None) -> Problem:
    """A problem found by a widget itself (no file or field to name)."""
    return Problem("", "", message, value)


def error_html(problems: list[Problem], lang: str = "en") -> str:
    """Inline error text for a field (user text escaped), the messages in ``lang``; empty when there is no problem."""
    if not problems:
        return ""
    from journeymap.errors import localize

    text = "; ".join(f"{localize(p.message, lang)}" + (f" (got {p.value!r})" if p.value is not None else "")
                     for p in problems)
    return f'<span style="color:#B42318">⚠ {escape(text)}</span>'


def table_html(df: Any, digits: int = 1) -> str:
    """A DataFrame as an HTML table with every cell escaped."""
    return df.round(digits).to_html(escape=True, border=0, classes="jm-table", na_rep="")


def figure_png(fig: Any, dpi: int = 90) -> bytes:
    """A matplotlib figure as PNG bytes (the figure is closed)."""
    import io

    import matplotlib.pyplot as plt

    from journeymap.plot._fonts import quiet_glyphs

    buf = io.BytesIO()
    with quiet_glyphs():  # a glyph no installed font has: a box, without a warning per glyph
        fig.savefig(buf, format="png", dpi=dpi, bbox_inches="tight")
    plt.close(fig)
    return buf.getvalue()


def axes_figure(result: Any) -> Any:
    """The Figure of whatever a plot function returned (Axes or Figure)."""
    return getattr(result, "figure", result)


def iframe_html(page: str, height: int = 520, title: str = "") -> str:
    """Embed a whole HTML page in an iframe via ``srcdoc`` (works in JupyterLab and Voilà); ``title`` names it."""
    named = f' title="{escape(title, quote=True)}"' if title else ""
    return (f'<iframe srcdoc="{escape(page, quote=True)}" style="width:100%;height:{height}px;border:0" '
            f'sandbox="allow-scripts"{named}></iframe>')
