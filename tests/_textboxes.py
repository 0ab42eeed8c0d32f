"""Measure rendered text on a matplotlib figure: overlapping labels and labels cut off by the edge."""

from __future__ import annotations


def text_boxes(fig):
    """``[(text, Bbox)]`` of every visible, non-empty text artist, in display pixels."""
    from matplotlib.text import Text

    fig.canvas.draw()
    renderer = fig.canvas.get_renderer()
    hidden = set()  # tick labels of axes drawn with axis "off" are never rendered
    for ax in fig.axes:
        for axis in (ax.xaxis, ax.yaxis):
            if not ax.axison or not axis.get_visible():
                hidden.update(id(t) for t in axis.get_ticklabels(which="both"))
                hidden.add(id(axis.label))
                hidden.add(id(axis.offsetText))
    found = []
    for artist in fig.findobj(Text):
        if id(artist) in hidden or not artist.get_visible() or not artist.get_text().strip():
            continue
        found.append((artist.get_text(), artist.get_window_extent(renderer)))
    return found


def overlaps(fig, tolerance: float = 0.5):
    """Pairs of texts whose boxes overlap by more than ``tolerance`` pixels each way."""
    boxes = text_boxes(fig)
    bad = []
    for i, (ta, a) in enumerate(boxes):
        for tb, b in boxes[i + 1:]:
            dx = min(a.x1, b.x1) - max(a.x0, b.x0)
            dy = min(a.y1, b.y1) - max(a.y0, b.y0)
            if dx > tolerance and dy > tolerance:
                bad.append((ta, tb))
    return bad


def cut_off(fig, tolerance: float = 0.5):
    """Texts that reach outside the figure."""
    w, h = fig.canvas.get_width_height()
    return [t for t, b in text_boxes(fig) if b.x0 < -tolerance or b.y0 < -tolerance or b.x1 > w + tolerance
            or b.y1 > h + tolerance]
