"""The workshop app (``make workshop``): a start screen, then the canvas, the friction explorer and export.

Every label is in English or Spanish (the Language switch, or ``lang=``); file choices are checked in
:mod:`journeymap.widgets.workshop_files`, the kernel watch is :mod:`journeymap.widgets.workshop_watch`.

>>> app = WorkshopApp(folder="no/such/room", query="", lang="es")
>>> app.open_button.description, app.template.description
('Abrir el recorrido', 'Plantilla')
>>> app.set_lang("en"); app.open_button.description
'Open journey'
"""

from __future__ import annotations

import os
from html import escape
from pathlib import Path
from typing import Any

from journeymap.i18n import LANGS, t
from journeymap.paths import JOURNEYS_DIR
from journeymap.templates import names
from journeymap.widgets.workshop_files import (
    SUFFIXES,
    ChoiceError,
    journey_files,
    new_from_template,
    open_existing,
    restore_request,
    unsaved_work,
)
from journeymap.widgets.workshop_watch import SILENCE_S, WATCH_ESM, kernel_watch

__all__ = ["SILENCE_S", "SUFFIXES", "WATCH_ESM", "ChoiceError", "WorkshopApp", "journey_files", "kernel_watch",
           "new_from_template", "open_existing", "restore_request", "unsaved_work", "workshop_app"]


class WorkshopApp:
    """The workshop app: pick a template or a journey file, then map it on the canvas, explore, export.

    ``folder``: where new journeys are created (default ``workshop/`` under the current folder).
    ``query``: the page's query string (default: Voilà's ``QUERY_STRING``); ``?restore=FILE`` opens FILE at
    once and offers its crash backup. ``lang``: "en" or "es" (default: English on the start screen, then the
    journey's own language until the Language switch is used).
    """

    def __init__(self, folder: str | os.PathLike[str] = "workshop", query: str | None = None,
                 lang: str | None = None):
        import ipywidgets as w

        self.folder = Path(folder)
        self.lang = lang
        self.canvas: Any = None
        self.explorer: Any = None
        self.path_open: Path | None = None
        self._unsaved: list[Path] = []
        self._stale: bool = False
        self._explorer_lang_stale: bool = False
        self.watch = kernel_watch(on_connect=self._connected, lang=self._lang)
        self.message = w.HTML()
        self.language = w.ToggleButtons(options=[("English", "en"), ("Español", "es")], value=self._lang,
                                        style={"description_width": "90px", "button_width": "90px"})
        self._quiet = False
        self.language.observe(lambda c: None if self._quiet else self.set_lang(c["new"]), "value")
        wide = {"description_width": "90px"}
        self.template = w.Dropdown(options=names(), value="blank", style=wide)
        self.file_name = w.Text(placeholder="blank.yaml", style=wide)
        self.template.observe(lambda _c: setattr(self.file_name, "placeholder", f"{self.template.value}.yaml"),
                              "value")
        self.new_button = w.Button(button_style="primary", layout=w.Layout(width="auto"))
        self.files = w.Dropdown(options=self._file_options(), style=wide, layout=w.Layout(width="460px"))
        self.path = w.Text(value=str(self.files.value or ""), style=wide, layout=w.Layout(width="460px"))
        self.files.observe(lambda c: setattr(self.path, "value", str(c["new"] or "")), "value")
        self.open_button = w.Button(button_style="primary", layout=w.Layout(width="auto"))
        self.new_button.on_click(lambda _b: self._choose(lambda: new_from_template(
            self.template.value, self.file_name.value, self.folder)))
        self.open_button.on_click(lambda _b: self._choose(lambda: open_existing(self.path.value)))
        self.unsaved_box = w.VBox()
        self.intro, self.new_head, self.open_head = w.HTML(), w.HTML(), w.HTML()
        card = {"border": "1px solid #888", "padding": "12px", "margin": "0 16px 0 0"}
        self.start_screen = w.VBox([
            self.language, self.intro,
            w.HBox([w.VBox([self.new_head, self.template, self.file_name, self.new_button], layout=w.Layout(**card)),
                    w.VBox([self.open_head, self.files, self.path, self.open_button], layout=w.Layout(**card))]),
            self.unsaved_box, self.message], layout=w.Layout(padding="8px"))
        self.start_screen.add_class("jm-workshop-start")
        self._relabel_start()
        self._list_unsaved()
        self.widget = w.VBox([self.watch, self.start_screen])
        self.widget.add_class("jm-workshop")
        query = os.environ.get("QUERY_STRING", "") if query is None else query  # Voilà without preheat
        if query:
            self._connected(query)

    def _repr_mimebundle_(self, **kwargs: Any) -> Any:
        return self.widget._repr_mimebundle_(**kwargs)

    @property
    def _lang(self) -> str:
        """The language labels are shown in now."""
        if self.lang in LANGS:
            return str(self.lang)
        return self.canvas.journey.lang if self.canvas is not None and self.canvas.journey.lang in LANGS else "en"

    def L(self, key: str, *values: object) -> str:
        return t(key, self._lang).format(*values)

    def set_lang(self, lang: str) -> None:
        """Show every label (start screen, canvas, explorer, export, the stopped-app banner) in ``lang``."""
        if lang not in LANGS:
            raise ValueError(f"lang must be one of {', '.join(LANGS)} (got {lang!r})")
        self.lang = lang
        self._show_lang()

    def _show_lang(self) -> None:
        from journeymap.widgets.workshop_watch import watch_labels

        lang = self._lang
        if self.language.value != lang:
            self._quiet = True
            self.language.value = lang
            self._quiet = False
        self.watch.labels = watch_labels(lang)
        self._relabel_start()
        self._show_unsaved()  # the same offers, relabelled: no new look at the disk
        self.message.value = ""
        if self.canvas is not None:
            if self.canvas.lang != lang:
                self.canvas.set_lang(lang)
            self._relabel_workspace()
            self._explorer_lang_stale = self.explorer is not None and self.explorer.lang != lang
            self._refresh_explorer()

    def _relabel_start(self) -> None:
        L = self.L
        self.language.description = L("ws_language")
        self.intro.value = f"<p style='font-size:16px'>{escape(L('ws_intro'))}</p>"
        self.new_head.value = f"<h2>{escape(L('ws_new'))}</h2>"
        self.open_head.value = f"<h2>{escape(L('ws_open_file'))}</h2>"
        self.template.description, self.file_name.description = L("ws_template"), L("ws_save_as")
        self.new_button.description, self.open_button.description = L("ws_start"), L("ws_open")
        self.files.description, self.path.description = L("ws_journey"), L("ws_or_path")

    def _file_options(self) -> list[tuple[str, Path]]:
        return [(str(p.relative_to(JOURNEYS_DIR.parent.parent)) if p.is_relative_to(JOURNEYS_DIR) else str(p), p)
                for p in journey_files(self.folder)]

    def _connected(self, query: str) -> None:
        """A page is showing the app (now, not when the notebook ran): list what is on disk now, and open
        the journey a "Reload and restore" asked for, restoring its backup."""
        if self.canvas is not None:
            return
        self.files.options = self._file_options()
        self._list_unsaved()
        wanted = restore_request(query)
        if wanted:
            self._choose(lambda: open_existing(wanted), restore=True)

    def _list_unsaved(self) -> None:
        """Look on disk for unsaved work (crash backups newer than their file) and offer it."""
        self._unsaved = unsaved_work(self.folder)
        self._show_unsaved()

    def _show_unsaved(self) -> None:
        import ipywidgets as w

        rows = []
        for path in self._unsaved:
            button = w.Button(description=self.L("ws_open_restore", path.name), button_style="warning",
                              layout=w.Layout(width="auto"))
            button.on_click(lambda _b, p=path: self._choose(lambda: open_existing(p), restore=True))
            rows.append(button)
        head = w.HTML(f"<h2 role='alert'>{escape(self.L('ws_unsaved_head'))}</h2>"
                      f"<p style='font-size:16px'>{escape(self.L('ws_unsaved_text'))}</p>")
        self.unsaved_box.children = [head, *rows] if rows else []

    def _say(self, text: str, error: bool = True) -> None:
        color = "#a40000" if error else "#1b5e20"
        role = "alert" if error else "status"
        self.message.value = f"<p role='{role}' style='color:{color};font-size:16px'>{escape(text)}</p>"

    def _choose(self, resolve: Any, restore: bool = False) -> None:
        try:
            path = resolve()
        except ChoiceError as exc:
            self._say(exc.text(self._lang))
            return
        self._say(self.L("ws_opening", path), error=False)
        try:
            self.open(path, restore=restore)
        except Exception as exc:  # a journey that loads but cannot be shown: say so, keep the start screen
            self.canvas = None
            self._say(self.L("ws_cannot_open", path, f"{type(exc).__name__}: {exc}"))

    def open(self, path: str | os.PathLike[str], restore: bool = False) -> None:
        """Show the workspace for the journey file ``path``: canvas, friction explorer, export."""
        import ipywidgets as w

        from journeymap.widgets.canvas.widget import JourneyCanvas

        path = Path(path)
        self.canvas = JourneyCanvas(path, lang=self.lang)  # None: the journey's own, until the switch is used
        self.explorer = None
        self.path_open = path
        self.watch.path = str(path)
        session = self.canvas.session
        self.busy = w.HTML()
        self.explorer_box = w.VBox([self.busy])
        self.export_status = w.HTML()
        self.export_intro = w.HTML()
        self.export_buttons = [w.Button(layout=w.Layout(width="auto")) for _kind in ("PDF", "PNG", "HTML")]
        self.tabs = w.Tab(children=[self.explorer_box, self._export_panel()])
        self._stale = self._explorer_lang_stale = False
        session.listeners.append(self._on_edit)
        self.tabs.observe(lambda _c: self._refresh_explorer(), "selected_index")
        self.restore_box = w.HBox()
        if session.has_newer_backup():
            self._offer_restore()
            if restore:
                self._restore()
        self.switch = w.Button(layout=w.Layout(width="auto"))
        self.switch.on_click(lambda _b: self.close())
        self.editing = w.HTML()
        header = w.HBox([self.editing, w.HBox([self.language, self.switch],
                                              layout=w.Layout(align_items="flex-end", grid_gap="12px"))],
                        layout=w.Layout(align_items="center", justify_content="space-between"))
        self._relabel_workspace()
        self.workspace = w.VBox([header, self.restore_box, self.canvas, self.tabs])
        self.workspace.add_class("jm-workshop-workspace")
        self.message.value = ""
        self.widget.children = [self.watch, self.workspace]
        if self.language.value != self._lang:
            self._show_lang()
        # The canvas is on its way to the page; the explorer (charts: the slow part) is built after it.
        self._build_explorer()

    def _relabel_workspace(self) -> None:
        L = self.L
        where = escape(str(self.path_open))
        self.editing.value = f"<p style='font-size:16px'>{escape(L('ws_editing'))} <code>{where}</code></p>"
        self.switch.description = L("ws_switch")
        self.busy.value = f"<p role='status' style='font-size:16px'>{escape(L('ws_scoring'))}</p>"
        self.tabs.set_title(0, L("ws_where_hurts"))
        self.tabs.set_title(1, L("ws_hand_out"))
        self.export_intro.value = f"<p>{escape(L('ws_export_intro'))}</p>"
        for button, kind in zip(self.export_buttons, ("PDF", "PNG", "HTML"), strict=True):
            button.description = L("ws_export", kind)

    def _build_explorer(self) -> None:
        from journeymap.widgets.explorer import FrictionExplorer

        self.explorer_box.children = [self.busy]
        self.explorer = FrictionExplorer(self.canvas.journey, lang=self._lang)
        self.explorer_box.children = [self.explorer.widget]
        self._stale = self._explorer_lang_stale = False

    def close(self) -> None:
        """Back to the start screen (the canvas's unsaved edits stay in its crash backup)."""
        self.canvas = self.explorer = None
        if self.language.value != self._lang:
            self._show_lang()
        self.watch.path = ""
        self.files.options = self._file_options()
        self._list_unsaved()
        self.widget.children = [self.watch, self.start_screen]

    def _on_edit(self, session: Any) -> None:
        self._stale = True
        self._refresh_explorer()

    def _refresh_explorer(self) -> None:
        if self.explorer is None or self.tabs.selected_index != 0:
            return
        if self._explorer_lang_stale:
            self._build_explorer()
        elif self._stale:
            self._stale = False
            self.explorer.set_journey(self.canvas.journey)

    def _offer_restore(self) -> None:
        import ipywidgets as w

        session = self.canvas.session
        restore = w.Button(description=self.L("ws_restore"), button_style="warning", layout=w.Layout(width="auto"))
        discard = w.Button(description=self.L("ws_discard"), layout=w.Layout(width="auto"))

        def do_discard(_b: Any) -> None:
            session.discard_backup()
            self.restore_box.children = []

        restore.on_click(lambda _b: self._restore())
        discard.on_click(do_discard)
        where = f"<code>{escape(str(session.backup_file))}</code>"
        self.restore_box.children = [w.HTML(f"<p role='alert' style='font-size:16px'>"
                                            f"{self.L('ws_backup_found', where)}</p>"), restore, discard]

    def _restore(self) -> None:
        import ipywidgets as w

        problems = self.canvas.restore_backup()
        self._on_edit(self.canvas.session)
        self.restore_box.children = [w.HTML(
            f"<p role='alert' style='color:#a40000'>{escape(self.L('ws_backup_broken', problems[0]))}</p>"
            if problems else f"<p role='status' style='font-size:16px'>{escape(self.L('ws_restored'))}</p>")]

    def _export_panel(self) -> Any:
        import ipywidgets as w

        status, buttons = self.export_status, self.export_buttons

        def export(kind: str) -> None:
            from journeymap.exporting import export as write

            journey, source = self.canvas.journey, self.canvas.session.path
            target = source.with_suffix("." + kind.lower()) if source else Path(f"{journey.id}.{kind.lower()}")
            for b in buttons:
                b.disabled = True
            status.value = f"<p role='status'>{escape(self.L('ws_exporting', kind))}</p>"
            try:
                write(journey, target)
            except Exception as exc:  # any export failure is told, never a cell error
                status.value = f"<p role='alert' style='color:#a40000'>{escape(self.L('ws_export_failed', exc))}</p>"
            else:
                shown = f"<code>{escape(str(target))}</code>"
                status.value = f"<p role='status'>{self.L('ws_exported', shown)}</p>"
            finally:
                for b in buttons:
                    b.disabled = False

        for b, kind in zip(buttons, ("PDF", "PNG", "HTML"), strict=True):
            b.on_click(lambda _b, k=kind: export(k))
        return w.VBox([self.export_intro, w.HBox(buttons), status])


def workshop_app(folder: str | os.PathLike[str] = "workshop", query: str | None = None,
                 lang: str | None = None) -> WorkshopApp:
    """The workshop app's start screen (see :class:`WorkshopApp`); display the result."""
    return WorkshopApp(folder=folder, query=query, lang=lang)
