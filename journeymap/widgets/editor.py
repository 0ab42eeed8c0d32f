"""``JourneyEditor``: map a journey without writing YAML.

Add, edit, reorder and delete stages and touchpoints; pick channels from the
catalogue or add your own; emotion and effort sliders; pain points,
opportunities and transitions. The preview (compact map and friction total)
refreshes on every change. Invalid input shows a message next to the field and
never reaches the journey. Undo/redo, atomic Save / Save as, and a backup of
every change next to the file (restored on request after a crash).
"""

from __future__ import annotations

import os
from html import escape
from typing import Any

from journeymap.channels import CATALOGUE, KINDS
from journeymap.i18n import t
from journeymap.model import Journey
from journeymap.widgets._common import error_html, problem
from journeymap.widgets.editor_files import EditorFiles, backup_warning_html
from journeymap.widgets.preview import svg_preview
from journeymap.widgets.session import EditSession

#: Touchpoint fields edited by the form, in display order.
EVIDENCE = ("observed", "assumed", "proposed")
FIELDS = ("id", "stage", "channel", "action", "thoughts", "emotion", "effort", "wait_min", "duration_min",
          "backstage", "evidence", "conversion")


class JourneyEditor(EditorFiles):
    """An ipywidgets editor for one journey. Display it in a notebook cell (or ``editor.widget``)."""

    def __init__(self, journey_or_path: Journey | str | os.PathLike[str], path: str | os.PathLike[str] | None = None,
                 lang: str | None = None, backup_dir: str | os.PathLike[str] | None = None):
        import ipywidgets as w

        self.w = w
        self.session = EditSession(journey_or_path, path=path, backup_dir=backup_dir)
        self.lang = lang or self.session.journey.lang
        self._syncing = False
        # Always a touchpoint id: a journey has at least one touchpoint, _select_tp ignores an
        # empty selection and refresh() falls back to the first touchpoint when this one is gone.
        self.selected: str = self.session.journey.touchpoints[0].id
        self.report: Any = None
        self._build()
        self.session.listeners.append(lambda _session: self.refresh())
        self.refresh()
        if self.session.has_newer_backup():
            self.restore_box.layout.display = "flex"

    # -- building -------------------------------------------------------------------
    def _button(self, label: str, action: Any, style: str = "", tip: str | None = None) -> Any:
        button = self.w.Button(description=label, button_style=style, layout=self.w.Layout(width="auto"),
                               tooltip=tip or label)
        button.on_click(lambda _b: action())
        return button

    def _build(self) -> None:
        w = self.w
        s = self.session

        def L(key: str) -> str:  # every label through journeymap.i18n (en/es)
            return t(key, self.lang)

        WIDE = {"description_width": "initial"}
        self.status = w.HTML()
        self.undo_button = self._button(L("we_undo"), s.undo)
        self.redo_button = self._button(L("we_redo"), s.redo)
        self.save_button = self._button(L("we_save"), self.save, "primary")
        self.save_as_path = w.Text(placeholder="new_file.yaml", description=L("we_file_name"), style=WIDE,
                                    layout=w.Layout(width="320px"))
        self.save_as_button = self._button(L("we_save_as"), self.save_as)
        self.save_error = w.HTML()
        self.restore_button = self._button(L("we_restore"), self._restore, "warning")
        self.discard_button = self._button(L("we_discard"), self._discard)
        self.restore_box = w.HBox([w.HTML(L("we_newer_backup")), self.restore_button, self.discard_button],
                                  layout=w.Layout(display="none"))
        # stages
        self.stage_list = w.Select(rows=6, layout=w.Layout(width="240px"), description=L("stages"), style=WIDE)
        self.stage_name = w.Text(description=L("we_name"), continuous_update=False)
        self.stage_goal = w.Text(description=L("we_goal"), continuous_update=False)
        self.stage_error = w.HTML()
        self.new_stage_name = w.Text(placeholder=L("we_new_stage"), description=L("we_name"), style=WIDE,
                                     layout=w.Layout(width="240px"))
        self.add_stage_button = self._button(L("we_add_stage"), self._add_stage)
        self.stage_up = self._button("←", lambda: self._stage_op(s.move_stage, -1), tip=L("we_stage_left"))
        self.stage_down = self._button("→", lambda: self._stage_op(s.move_stage, 1), tip=L("we_stage_right"))
        self.delete_stage_button = self._button(L("we_delete_stage"), lambda: self._stage_op(s.delete_stage), "danger")
        self.stage_list.observe(lambda _c: self._sync_stage_form(), "value")
        self.stage_name.observe(lambda c: self._stage_field("name", c["new"]), "value")
        self.stage_goal.observe(lambda c: self._stage_field("goal", c["new"]), "value")
        # touchpoints
        self.tp_list = w.Select(rows=12, layout=w.Layout(width="340px"), description=L("touchpoints"), style=WIDE)
        self.tp_list.observe(self._select_tp, "value")
        self.add_tp_button = self._button(L("we_add_tp"), self._add_tp)
        self.tp_up = self._button("↑", lambda: self._tp_op(s.move_touchpoint, -1), tip=L("we_tp_up"))
        self.tp_down = self._button("↓", lambda: self._tp_op(s.move_touchpoint, 1), tip=L("we_tp_down"))
        self.delete_tp_button = self._button(L("we_delete"), lambda: self._tp_op(s.delete_touchpoint), "danger")
        self.fields = {
            "id": w.Text(description="id", continuous_update=False),
            "stage": w.Dropdown(description=t("stage", self.lang)),
            "channel": w.Dropdown(description=t("channel", self.lang)),
            "action": w.Textarea(description=L("we_action"), continuous_update=False, rows=2),
            "thoughts": w.Textarea(description=L("we_thoughts"), continuous_update=False, rows=2),
            "emotion": w.FloatSlider(description=t("emotion", self.lang), min=-2, max=2, step=0.5,
                                     continuous_update=False),
            "effort": w.IntSlider(description=t("effort", self.lang), min=0, max=7, continuous_update=False,
                                  tooltip=L("we_effort_tip")),
            "wait_min": w.FloatText(description=L("we_wait")),
            "duration_min": w.FloatText(description=L("we_time")),
            "backstage": w.Textarea(description=t("backstage", self.lang), continuous_update=False, rows=2,
                                    placeholder=L("we_one_per_line")),
            "evidence": w.Dropdown(description=L("we_evidence"), options=[(L(f"we_{e}"), e) for e in EVIDENCE]),
            "conversion": w.Checkbox(description=L("we_conversion")),
        }
        self.errors = {name: w.HTML() for name in FIELDS}
        for name, widget in self.fields.items():
            widget.observe(lambda c, name=name: self._field_changed(name, c["new"]), "value")
        # custom channel
        self.new_channel_id = w.Text(placeholder=L("we_channel_id"), description="id", style=WIDE,
                                     layout=w.Layout(width="200px"))
        self.new_channel_kind = w.Dropdown(options=[(t(k, self.lang), k) for k in KINDS],
                                           description=L("we_channel_kind"), style=WIDE,
                                           layout=w.Layout(width="260px"))
        self.new_channel_name = w.Text(placeholder=L("we_name"), description=L("we_channel_name"), style=WIDE,
                                       layout=w.Layout(width="280px"))
        self.add_channel_button = self._button(L("we_add_channel"), self._add_channel)
        self.channel_error = w.HTML()
        # pain points of the selected touchpoint
        self.pain_list = w.Select(rows=4, layout=w.Layout(width="420px"))
        self.pain_text = w.Text(description=L("we_text"), layout=w.Layout(width="420px"))
        self.pain_severity = w.IntSlider(description=L("severity_short"), min=1, max=5, value=3, tooltip=L("severity"))
        self.pain_frequency = w.FloatSlider(description=L("frequency_short"), min=0, max=1, step=0.05, value=0.5,
                                            tooltip=L("frequency"))
        self.add_pain_button = self._button(L("we_add_pain"), self._add_pain)
        self.update_pain_button = self._button(L("we_update"), self._update_pain)
        self.delete_pain_button = self._button(L("we_delete"), self._delete_pain, "danger")
        self.pain_error = w.HTML()
        self.pain_list.observe(lambda _c: self._sync_pain_form(), "value")
        # opportunities
        self.opp_list = w.Select(rows=4, layout=w.Layout(width="420px"))
        self.opp_text = w.Text(description=L("we_text"), layout=w.Layout(width="420px"))
        self.opp_addresses = w.SelectMultiple(description=L("addresses"), rows=4)
        self.opp_value = w.IntSlider(description=L("value_short"), min=1, max=5, value=3, tooltip=L("value"))
        self.opp_effort = w.IntSlider(description=L("effort_short"), min=1, max=5, value=3, tooltip=L("effort_short"))
        self.add_opp_button = self._button(L("we_add_opp"), self._add_opp)
        self.delete_opp_button = self._button(L("we_delete"), self._delete_opp, "danger")
        self.opp_error = w.HTML()
        # transitions leaving the selected touchpoint
        self.tr_list = w.Select(rows=4, layout=w.Layout(width="420px"))
        self.tr_target = w.Dropdown(description=L("we_to"))
        self.tr_share = w.FloatSlider(description=L("share"), min=0, max=1, step=0.05, value=1.0, tooltip=L("share"))
        self.tr_context = w.Dropdown(description=L("context"),
                                      options=[(L(f"canvas_{c}"), c) for c in ("none", "partial", "full")],
                                      value="full")
        self.tr_recognised = w.Checkbox(description=L("we_recognised"), value=True)
        self.set_tr_button = self._button(L("we_set_transition"), self._set_transition)
        self.remove_tr_button = self._button(L("we_remove"), self._remove_transition, "danger")
        self.tr_error = w.HTML()
        self.tr_list.observe(lambda _c: self._sync_tr_form(), "value")
        # preview
        self.friction_label = w.HTML()
        self.preview = w.HTML(layout=w.Layout(overflow="auto"))
        self.full_map_button = self._button(L("we_full_map"), self.draw_full_map)
        self.full_map = w.Image(format="png", layout=w.Layout(max_width="100%"))
        from journeymap.widgets.checks_panel import ChecksPanel, select_in_editor

        self.checks = ChecksPanel(s, self.lang, lambda target: select_in_editor(self, target))
        self.widget = self._layout()
        from journeymap.widgets._a11y import accessible

        self.names = accessible(self.widget)  # slider handles named, the full map's alt text
        self.names.describe(self.full_map, "")  # nothing drawn yet: an empty, decorative image

    def _layout(self) -> Any:
        w = self.w

        def row(*items: Any) -> Any:
            return w.HBox(list(items))

        form = w.VBox([row(self.fields[n], self.errors[n]) for n in FIELDS]
                      + [row(self.new_channel_id, self.new_channel_kind, self.new_channel_name,
                             self.add_channel_button), self.channel_error])
        details = w.Accordion(children=[
            w.VBox([self.pain_list, self.pain_text, self.pain_severity, self.pain_frequency,
                    row(self.add_pain_button, self.update_pain_button, self.delete_pain_button), self.pain_error]),
            w.VBox([self.tr_list, self.tr_target, self.tr_share, self.tr_context, self.tr_recognised,
                    row(self.set_tr_button, self.remove_tr_button), self.tr_error]),
            w.VBox([self.opp_list, self.opp_text, self.opp_addresses, self.opp_value, self.opp_effort,
                    row(self.add_opp_button, self.delete_opp_button), self.opp_error]),
        ])
        for i, title in enumerate((t("pain_points", self.lang), t("transitions", self.lang),
                                   t("opportunities", self.lang))):
            details.set_title(i, title.capitalize())
        stages = w.VBox([w.HTML(f"<b>{t('stages', self.lang).capitalize()}</b>"), self.stage_list,
                         row(self.stage_up, self.stage_down, self.delete_stage_button), self.stage_name,
                         self.stage_goal, row(self.new_stage_name, self.add_stage_button), self.stage_error])
        touchpoints = w.VBox([w.HTML(f"<b>{t('touchpoints', self.lang).capitalize()}</b>"), self.tp_list,
                              row(self.add_tp_button, self.tp_up, self.tp_down, self.delete_tp_button)])
        toolbar = row(self.undo_button, self.redo_button, self.save_button, self.save_as_path, self.save_as_button)
        return w.VBox([toolbar, self.save_error, self.status, self.restore_box, self.friction_label, self.preview,
                       self.checks.widget,
                       row(stages, touchpoints, w.VBox([form, details])), self.full_map_button, self.full_map])

    def _repr_mimebundle_(self, **kwargs: Any) -> Any:
        return self.widget._repr_mimebundle_(**kwargs)

    # -- refreshing -----------------------------------------------------------------
    def refresh(self) -> None:
        """Bring every control and the preview in line with the journey."""
        from journeymap.scoring import EndlessLoopError, score

        j = self.session.journey
        if self.selected not in {tp.id for tp in j.touchpoints}:
            self.selected = j.touchpoints[0].id
        try:
            self.report = score(j)
            self.friction_label.value = (
                f"<b>{t('friction', self.lang).capitalize()}: {self.report.total:.1f} / 100</b> · "
                f"{t('w_continuity', self.lang)} {self.report.continuity:.0f} / 100 · "
                f"{t('w_expected_conversion', self.lang)} "
                f"{self.report.expected_conversion:.1%}")
        except EndlessLoopError as exc:
            self.report = None
            self.friction_label.value = error_html(exc.problems, self.lang)
        self.preview.value = svg_preview(j, self.report, self.lang, selected=self.selected)
        self._syncing = True
        try:
            self._sync_lists(j)
            self._sync_tp_form()
        finally:
            self._syncing = False
        for html in self.errors.values():
            html.value = ""
        self.save_error.value = ""
        name = self.session.path or t("we_not_saved_yet", self.lang)
        state = t("we_unsaved" if self.session.dirty else "we_saved", self.lang)
        self.status.value = f"<small>{escape(str(name))} — {state}</small>"
        if self.session.backup_error:  # never silent: unsaved work is then only in this tab
            self.status.value += backup_warning_html(self.session.backup_error, self.lang)
        self.undo_button.disabled = not self.session.can_undo
        self.redo_button.disabled = not self.session.can_redo

    def _sync_lists(self, j: Journey) -> None:
        stage_names = {s.id: s.name for s in j.stages}
        keep = self.stage_list.value
        self.stage_list.options = [(f"{s.name} ({s.id})", s.id) for s in j.ordered_stages()]
        self.stage_list.value = keep if keep in stage_names else j.ordered_stages()[0].id
        self.tp_list.options = [(f"{stage_names[tp.stage]} · {tp.id} — {tp.action[:40]}", tp.id)
                                for tp in j.touchpoints]
        keep_opp = self.opp_list.value
        self.tp_list.value = self.selected
        self.fields["stage"].options = [(s.name, s.id) for s in j.ordered_stages()]
        channels = [(c.name(self.lang), c.id) for c in j.channels] + [(c.name(self.lang), c.id)
                                                                      for c in CATALOGUE.values()]
        self.fields["channel"].options = channels
        self.tr_target.options = [tp.id for tp in j.touchpoints]
        pains = [(f"{p.id}: {p.text[:50]}", p.id) for p, _ in j.pain_points()]
        self.opp_addresses.options = pains
        self.opp_list.options = [(f"{o.id}: {o.text[:50]}", o.id) for o in j.opportunities]
        self.opp_list.value = keep_opp if keep_opp in {o.id for o in j.opportunities} else None
        self._sync_stage_form()

    def _sync_stage_form(self) -> None:
        stage = next((s for s in self.session.journey.stages if s.id == self.stage_list.value), None)
        if stage is None:
            return
        syncing, self._syncing = self._syncing, True
        self.stage_name.value, self.stage_goal.value = stage.name, stage.goal
        self._syncing = syncing

    def _sync_tp_form(self) -> None:
        tp = self.session.journey.touchpoint(self.selected)
        syncing, self._syncing = self._syncing, True
        values = tp.model_dump()
        values["effort"] = tp.effort or 0
        values["wait_min"] = tp.wait_min or 0.0
        values["duration_min"] = tp.duration_min or 0.0
        values["backstage"] = "\n".join(tp.backstage)
        for name in FIELDS:
            self.fields[name].value = values[name]
        keep_pain, keep_tr = self.pain_list.value, self.tr_list.value
        self.pain_list.options = [(f"{p.id}: {p.text[:50]}", p.id) for p in tp.pain_points]
        self.pain_list.value = keep_pain if keep_pain in {p.id for p in tp.pain_points} else None
        targets = [tr.target for tr in self.session.journey.transitions if tr.source == tp.id]
        ctx = t("context", self.lang)
        self.tr_list.options = [(f"→ {tr.target} ({tr.share:.0%}, {ctx} {t('canvas_' + tr.context, self.lang)})",
                                 tr.target) for tr in self.session.journey.transitions if tr.source == tp.id]
        self.tr_list.value = keep_tr if keep_tr in targets else None
        self._syncing = syncing
        self._sync_pain_form()
        self._sync_tr_form()

    def _sync_pain_form(self) -> None:
        pain = next((p for p, _ in self.session.journey.pain_points() if p.id == self.pain_list.value), None)
        if pain is not None:
            self.pain_text.value, self.pain_severity.value = pain.text, pain.severity
            self.pain_frequency.value = pain.frequency

    def _sync_tr_form(self) -> None:
        tr = next((tr for tr in self.session.journey.transitions
                   if tr.source == self.selected and tr.target == self.tr_list.value), None)
        if tr is not None:
            self.tr_target.value, self.tr_share.value = tr.target, tr.share
            self.tr_context.value, self.tr_recognised.value = tr.context, tr.recognised

    # -- actions -------------------------------------------------------------------------
    def _select_tp(self, change: dict) -> None:
        if self._syncing or change["new"] is None:
            return
        self.selected = change["new"]
        self.refresh()

    def _field_changed(self, name: str, value: Any) -> None:
        if self._syncing:
            return
        if name == "effort":
            value = value or None
        elif name in ("wait_min", "duration_min"):
            value = value if value else None
        elif name == "backstage":
            value = [line.strip() for line in value.splitlines() if line.strip()]
        problems = self.session.set_touchpoint(self.selected, **{name: value})
        if not problems and name == "id":
            self.selected = value
            self.refresh()
        self.errors[name].value = error_html(problems, self.lang)

    def _stage_field(self, name: str, value: str) -> None:
        if not self._syncing and self.stage_list.value:
            self._stage_op(self.session.set_stage, **{name: value})

    def _stage_op(self, op: Any, *args: Any, **kwargs: Any) -> None:
        self.stage_error.value = error_html(op(self.stage_list.value, *args, **kwargs), self.lang)

    def _add_stage(self) -> None:
        name = self.new_stage_name.value.strip()
        if not name:
            self.stage_error.value = error_html([problem("type a name for the new stage first")], self.lang)
            return
        new_id, problems = self.session.add_stage(name)
        self.stage_error.value = error_html(problems, self.lang)
        if not problems:
            self.new_stage_name.value = ""
            self.stage_list.value = new_id

    def _tp_op(self, op: Any, *args: Any) -> None:
        self.errors["id"].value = error_html(op(self.selected, *args), self.lang)

    def _add_tp(self) -> None:
        stage = self.stage_list.value or self.session.journey.touchpoint(self.selected).stage
        new_id, problems = self.session.add_touchpoint(stage, after=None)
        if not problems:
            self.selected = new_id
            self.refresh()
        self.errors["id"].value = error_html(problems, self.lang)

    def _add_channel(self) -> None:
        channel_id = self.new_channel_id.value.strip()
        name = self.new_channel_name.value.strip() or channel_id
        problems = self.session.add_channel(channel_id, self.new_channel_kind.value, name)
        self.channel_error.value = error_html(problems, self.lang)
        if not problems:
            self.session.set_touchpoint(self.selected, channel=channel_id)

    def _add_pain(self) -> None:
        _pain_id, problems = self.session.add_pain(self.selected, self.pain_text.value, self.pain_severity.value,
                                                   self.pain_frequency.value)
        self.pain_error.value = error_html(problems, self.lang)

    def _update_pain(self) -> None:
        if self.pain_list.value is None:
            self.pain_error.value = error_html([problem("select a pain point first")], self.lang)
            return
        self.pain_error.value = error_html(self.session.set_pain(
            self.pain_list.value, text=self.pain_text.value, severity=self.pain_severity.value,
            frequency=self.pain_frequency.value), self.lang)

    def _delete_pain(self) -> None:
        if self.pain_list.value is not None:
            self.pain_error.value = error_html(self.session.remove_pain(self.pain_list.value), self.lang)

    def _add_opp(self) -> None:
        _opp, problems = self.session.add_opportunity(self.opp_text.value, list(self.opp_addresses.value),
                                                      self.opp_value.value, self.opp_effort.value)
        self.opp_error.value = error_html(problems, self.lang)

    def _delete_opp(self) -> None:
        if self.opp_list.value is not None:
            self.opp_error.value = error_html(self.session.remove_opportunity(self.opp_list.value), self.lang)

    def _set_transition(self) -> None:
        self.tr_error.value = error_html(self.session.set_transition(
            self.selected, self.tr_target.value, share=self.tr_share.value, context=self.tr_context.value,
            recognised=self.tr_recognised.value), self.lang)

    def _remove_transition(self) -> None:
        if self.tr_list.value is not None:
            self.tr_error.value = error_html(self.session.remove_transition(self.selected, self.tr_list.value),
                                             self.lang)
