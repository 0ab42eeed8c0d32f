"""Slide builders for :mod:`journeymap.deck` (python-pptx): text boxes, tables and described pictures."""

from __future__ import annotations

import io
from collections.abc import Callable
from typing import Any

from journeymap.i18n import t

SLIDE_W, SLIDE_H = 13.333, 7.5  # inches, 16:9
MARGIN = 0.45
TITLE_H = 0.85
INK = (0x1F, 0x29, 0x33)
MUTED = (0x52, 0x60, 0x6D)
HEAD_FILL = (0x1F, 0x29, 0x33)
ROW_FILL = ((0xFF, 0xFF, 0xFF), (0xF5, 0xF7, 0xFA))
BODY_PT = 14
TABLE_PT = 12


def _rgb(colour: tuple[int, int, int]) -> Any:
    from pptx.dml.color import RGBColor

    return RGBColor(*colour)


def describe(picture: Any, text: str, title: str = "") -> None:
    """Set a picture's alt text (``descr``, and ``title``) on its ``p:cNvPr`` element."""
    c_nv_pr = picture._element.nvPicPr.cNvPr
    c_nv_pr.set("descr", text)
    if title:
        c_nv_pr.set("title", title)


class Deck:
    """A 16:9 presentation being built, one method per slide layout."""

    def __init__(self, dpi: int = 150) -> None:
        from pptx import Presentation
        from pptx.util import Inches

        self.prs = Presentation()
        self.prs.slide_width, self.prs.slide_height = Inches(SLIDE_W), Inches(SLIDE_H)
        self.blank = self.prs.slide_layouts[6]
        self.dpi = dpi
        #: Each picture's size on the slide relative to its printed size (1.0 = the figure's own inches).
        self.scales: list[float] = []

    # -- helpers -----------------------------------------------------------------------------
    def _text(self, slide: Any, left: float, top: float, width: float, height: float, paragraphs: list[str],
              size: float = BODY_PT, bold: bool = False, colour: tuple[int, int, int] = INK,
              italic: bool = False, name: str = "") -> Any:
        from pptx.util import Inches, Pt

        box = slide.shapes.add_textbox(Inches(left), Inches(top), Inches(width), Inches(height))
        if name:
            box.name = name
        frame = box.text_frame
        frame.word_wrap = True
        for i, text in enumerate(paragraphs):
            para = frame.paragraphs[0] if i == 0 else frame.add_paragraph()
            run = para.add_run()
            run.text = text
            run.font.size, run.font.bold, run.font.italic = Pt(size), bold, italic
            run.font.color.rgb = _rgb(colour)
        return box

    def _slide(self, title: str) -> Any:
        slide = self.prs.slides.add_slide(self.blank)
        self._text(slide, MARGIN, 0.3, SLIDE_W - 2 * MARGIN, TITLE_H - 0.1, [title],
                   size=26 if len(title) <= 50 else 20 if len(title) <= 80 else 16, bold=True, name="Title")
        return slide

    def _picture(self, slide: Any, png: bytes, alt: str, left: float, top: float, width: float,
                 height: float, name: str, max_scale: float | None = None) -> Any:
        from PIL import Image
        from pptx.util import Inches

        with Image.open(io.BytesIO(png)) as img:
            w_px, h_px = img.size
        scale = min(width / w_px, height / h_px)
        if max_scale is not None:  # never blow a picture up past max_scale × its printed size
            scale = min(scale, max_scale / self.dpi)
        self.scales.append(scale * self.dpi)
        w, h = w_px * scale, h_px * scale
        pic = slide.shapes.add_picture(io.BytesIO(png), Inches(left + (width - w) / 2), Inches(top),
                                       Inches(w), Inches(h))
        describe(pic, alt, name)
        pic.name = name
        return pic

    def _table(self, slide: Any, head: list[str], rows: list[list[str]], left: float, top: float, width: float,
               widths: tuple[float, ...] | None = None, size: float = TABLE_PT) -> Any:
        from pptx.util import Inches, Pt

        n_rows, n_cols = len(rows) + 1, len(head)
        shape = slide.shapes.add_table(n_rows, n_cols, Inches(left), Inches(top), Inches(width),
                                       Inches(0.4 * n_rows))
        table = shape.table
        if widths is None:
            first = width * 0.5 if n_cols > 1 else width
            rest = (width - first) / max(1, n_cols - 1)
            widths = (first, *([rest] * (n_cols - 1)))
        for i, w in enumerate(widths):
            table.columns[i].width = Inches(w)
        for r, values in enumerate([head, *rows]):
            for c, value in enumerate(values):
                cell = table.cell(r, c)
                cell.text = value
                cell.fill.solid()
                cell.fill.fore_color.rgb = _rgb(HEAD_FILL if r == 0 else ROW_FILL[r % 2])
                for para in cell.text_frame.paragraphs:
                    for run in para.runs:
                        run.font.size = Pt(size)
                        run.font.bold = r == 0
                        run.font.color.rgb = _rgb((0xFF, 0xFF, 0xFF) if r == 0 else INK)
        return shape

    # -- slides ------------------------------------------------------------------------------
    def title_slide(self, title: str, subtitle: str, description: str) -> None:
        slide = self.prs.slides.add_slide(self.blank)
        self._text(slide, 0.8, 2.2, SLIDE_W - 1.6, 1.6, [title], size=36, bold=True, name="Title")
        self._text(slide, 0.8, 3.9, SLIDE_W - 1.6, 0.6, [subtitle], size=18, colour=MUTED, name="Subtitle")
        if description:
            self._text(slide, 0.8, 4.7, SLIDE_W - 1.6, 2.0, [description], size=14, name="Description")

    def persona_slide(self, persona: Any, lang: str, clean: Callable[..., str]) -> None:
        slide = self._slide(clean(f"{t('persona', lang).capitalize()}: {persona.name}", 200))
        left = [clean(persona.segment, 300)] if persona.segment else []
        left += [clean(f"{k}: {v}", 200) for k, v in list(persona.demographics.items())[:8]]
        if persona.summary:
            left.append(clean(persona.summary, 500))
        self._text(slide, MARGIN, 1.2, 6.0, 4.6, left or ["—"], size=13, name="Profile")
        if persona.quote:
            self._text(slide, MARGIN, 5.9, 6.0, 1.2, [f"“{clean(persona.quote, 300)}”"], size=14, italic=True,
                       colour=MUTED, name="Quote")
        lines: list[str] = []
        for key, items in (("goals", persona.goals), ("frustrations", persona.frustrations),
                           ("motivations", persona.motivations)):
            if items:
                lines.append(t(key, lang).upper())
                lines += [f"• {clean(i, 200)}" for i in items[:4]]
        if lines:
            self._text(slide, 6.9, 1.2, SLIDE_W - 6.9 - MARGIN, 5.9, lines, size=12, name="Goals")

    def picture_slide(self, title: str, png: bytes, alt: str, max_scale: float | None = None) -> None:
        slide = self._slide(title)
        self._picture(slide, png, alt, MARGIN, TITLE_H + 0.15, SLIDE_W - 2 * MARGIN,
                      SLIDE_H - TITLE_H - 0.3, title, max_scale)

    def table_slide(self, title: str, head: list[str], rows: list[list[str]], empty: str = "",
                    widths: tuple[float, ...] | None = None) -> None:
        slide = self._slide(title)
        if not rows or not head:
            self._text(slide, MARGIN, 1.3, SLIDE_W - 2 * MARGIN, 1.0, [empty], size=BODY_PT, name="Note")
            return
        if widths is None and len(head) == 5:
            widths = (6.8, 2.2, 1.0, 1.2, 1.2)
        self._table(slide, head, rows, MARGIN, TITLE_H + 0.3, SLIDE_W - 2 * MARGIN, widths)

    def picture_table_slide(self, title: str, png: bytes | None, alt: str, head: list[str],
                            rows: list[list[str]], empty: str = "", widths: tuple[float, ...] | None = None) -> None:
        slide = self._slide(title)
        if png is not None:
            self._picture(slide, png, alt, MARGIN, TITLE_H + 0.25, 6.3, SLIDE_H - TITLE_H - 0.45, title)
        left = MARGIN + 6.5
        width = SLIDE_W - left - MARGIN
        if rows:
            if widths is None:
                widths = (width - 0.75 * (len(head) - 1), *([0.75] * (len(head) - 1)))
            self._table(slide, head, rows, left, TITLE_H + 0.3, width, widths, size=11)
        elif empty:
            self._text(slide, left, 1.3, width, 1.0, [empty], size=BODY_PT, name="Note")

    def to_bytes(self) -> bytes:
        buffer = io.BytesIO()
        self.prs.save(buffer)
        return buffer.getvalue()
