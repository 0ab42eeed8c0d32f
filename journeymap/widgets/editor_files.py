"""The file side of :class:`~journeymap.widgets.JourneyEditor`: Save, Save as, the crash backup and the full map.

A mixin: it uses the editor's ``session``, ``lang``, ``report``, ``names`` and its widgets
(``save_as_path``, ``save_error``, ``restore_box``, ``full_map``).
"""

from __future__ import annotations

from html import escape
from typing import Any

from journeymap.i18n import t
from journeymap.widgets._common import error_html, problem


def backup_warning_html(error: str, lang: str) -> str:
    """The warning shown when the crash backup cannot be written (``error`` from the edit session), in ``lang``."""
    import re

    found = re.fullmatch(r"the crash backup could not be written to (.*) \((.*)\)", error, flags=re.DOTALL)
    if found and lang == "es":
        error = t("we_backup_failed", lang).format(target=found.group(1), reason=found.group(2))
    return (f'<div class="jm-backup-error" style="color:#B42318">'
            f"{t('we_backup_warning', lang).format(error=escape(error))}</div>")


class EditorFiles:
    """Save / Save as / restore or discard the backup / draw the full map, for :class:`JourneyEditor`."""

    session: Any
    lang: str
    report: Any
    names: Any
    save_as_path: Any
    save_error: Any
    restore_box: Any
    full_map: Any

    def draw_full_map(self) -> None:
        """Draw the full journey map (every lane, wrapped text) below the editor; slower than the preview."""
        from journeymap.exporting import RenderLimitError, check_size
        from journeymap.plot import journey_map
        from journeymap.widgets._common import axes_figure, figure_png

        try:
            check_size(self.session.journey, ".png", "map")  # too large to draw: say so instead of hanging
        except RenderLimitError as exc:
            self.full_map.value = b""
            self.save_error.value = error_html([problem(exc.text(self.lang))], self.lang)
            return
        self.full_map.value = figure_png(axes_figure(journey_map(self.session.journey, lang=self.lang,
                                                                 report=self.report or False)), 80)
        from journeymap.plot._alt import alt_text

        self.names.describe(self.full_map, alt_text(self.session.journey, "map", self.lang, self.report))

    def save(self) -> None:
        """Save to the journey's file (atomically)."""
        try:
            target = self.session.save()
        except (ValueError, OSError) as exc:
            self.save_error.value = error_html([problem(str(exc))], self.lang)
            return
        self.save_error.value = f"<small>{escape(t('we_saved_to', self.lang).format(path=target))}</small>"

    def save_as(self) -> None:
        """Save to the path typed in the box; it becomes the journey's file."""
        name = self.save_as_path.value.strip()
        if not name.endswith((".yaml", ".yml", ".json")):
            self.save_error.value = error_html([problem("give a file name ending in .yaml or .json", name)], self.lang)
            return
        try:
            target = self.session.save(name)
        except OSError as exc:
            self.save_error.value = error_html([problem(
                t("we_cannot_write", self.lang).format(name=name, reason=exc.strerror or exc))], self.lang)
            return
        self.save_error.value = f"<small>{escape(t('we_saved_to', self.lang).format(path=target))}</small>"

    def _restore(self) -> None:
        self.save_error.value = error_html(self.session.restore_backup(), self.lang)
        self.restore_box.layout.display = "none"

    def _discard(self) -> None:
        self.session.discard_backup()
        self.restore_box.layout.display = "none"

