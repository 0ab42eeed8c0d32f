"""Health checks while editing: findings recomputed after every edit, shown in the canvas and the editor.

:class:`CheckRunner` gives the same findings as :func:`journeymap.check`, but remembers what an edit
cannot have changed (the duplicate-text ratio of each pair of texts; a finding's wording, from its code and
parameters), so a check run after an edit stays well under 50 ms on a 60-touchpoint journey
(``benchmarks/bench_checks.py``). :func:`payload` turns findings into the plain
JSON the canvas draws, each finding with the touchpoint, stage or move it points at.
:class:`Debouncer` runs the checks once edits pause. :class:`ChecksPanel` is the ipywidgets panel of
:class:`~journeymap.widgets.JourneyEditor`.

:func:`keep_unset` keeps "not written in the file" (pydantic's ``model_fields_set``) true through an
edit session, for the fields an edit left unchanged: ``emotion-not-set`` and
``channel-switch-no-context`` read it.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Sequence
from html import escape
from typing import TYPE_CHECKING, Any

from journeymap.checks import SEVERITIES, Finding, Findings, finding
from journeymap.errors import JourneyError
from journeymap.i18n import t

if TYPE_CHECKING:
    from journeymap.model import Journey

#: Findings sent to the browser / listed in the editor at most (the count badge always gives the total).
LIMIT = 200
#: Up to this many texts of a kind, duplicate pairs are remembered one by one (beyond, the rule runs whole).
PAIRWISE = 150
#: Seconds without an edit before the checks run again.
DEBOUNCE = 0.25
#: The severity marks shown with the severity word (never colour alone).
ICONS = {"error": "⛔", "warning": "⚠", "info": "ℹ"}


# -- "not written" survives an edit ------------------------------------------------------------------
def keep_unset(before: Journey, after: Journey) -> Journey:
    """Mark in ``after`` as not written every field of a touchpoint, move or stage that was not written in
    ``before`` and that the edit left unchanged (objects matched by id; a renamed one by its place)."""
    _carry([before], [after], lambda j: j.id)
    _carry(before.touchpoints, after.touchpoints, lambda tp: tp.id)
    _carry(before.transitions, after.transitions, lambda tr: tr.key)
    _carry(before.stages, after.stages, lambda s: s.id)
    return after


def _carry(old: Sequence[Any], new: Sequence[Any], key: Callable[[Any], str]) -> None:
    by_key = {key(o): o for o in old}
    same_length = len(old) == len(new)
    for i, item in enumerate(new):
        was = by_key.get(key(item))
        if was is None and same_length:
            was = old[i]
        if was is None or type(was) is not type(item):
            continue
        written = item.model_fields_set
        for name in list(written):
            if name not in was.model_fields_set and getattr(item, name) == getattr(was, name):
                written.discard(name)


# -- checks that remember ----------------------------------------------------------------------------
class CheckRunner:
    """:func:`journeymap.check`, run again and again on versions of one journey, cheaply."""

    def __init__(self) -> None:
        self._ratios: dict[tuple[str, str], float | None] = {}
        self._wording: dict[tuple, Finding] = {}

    def run(self, journey: Journey, lang: str | None = None) -> Findings:
        """The findings of ``journey`` (equal to ``jm.check(journey, lang)``; where that raises because the
        journey cannot be scored, e.g. a loop nobody leaves, the reason is an ``invalid-file`` error instead)."""
        from journeymap.checks_rules import RULES, duplicate_texts

        lang = lang or journey.lang
        hits: list[tuple[str, str, dict]] = []
        for rule in RULES:
            try:
                hits.extend(self._duplicates(journey) if rule is duplicate_texts else rule(journey))
            except JourneyError as exc:  # mid-edit, e.g. a loop nobody leaves: said as an error, never raised
                hits.append(("invalid-file", journey.id, {"problem": str(exc)}))
        if len(self._wording) > 20000:
            self._wording.clear()
        found = [self._finding(code, where, params, lang) for code, where, params in hits]
        found.sort(key=lambda f: SEVERITIES.index(f.severity))
        return Findings(found, lang)

    def _duplicates(self, journey: Journey) -> list:
        """``duplicate_texts(journey)``, from remembered pair ratios: an edit of one text compares only its pairs."""
        from journeymap.checks_rules import _norm, _similar, duplicate_texts

        groups = {
            "actions": [(tp.id, tp.action) for tp in journey.touchpoints],
            "pain_points": [(p.id, p.text) for p, _ in journey.pain_points()],
            "opportunities": [(o.id, o.text) for o in journey.opportunities],
        }
        if max(len(items) for items in groups.values()) > PAIRWISE:
            return list(duplicate_texts(journey))  # its vectorised bound beats a Python loop over the pairs
        if len(self._ratios) > 50000:
            self._ratios.clear()
        hits: list[tuple[str, str, dict]] = []
        for kind, items in groups.items():
            texts = [_norm(text) for _, text in items]
            for i in range(len(texts) - 1):
                for j in range(i + 1, len(texts)):
                    key = (texts[i], texts[j])
                    if key not in self._ratios:  # the same comparison, in the same order, as the rule makes
                        pair = next(_similar([("a", texts[i]), ("b", texts[j])]), None)
                        self._ratios[key] = None if pair is None else pair[2]
                    ratio = self._ratios[key]
                    if ratio is not None:
                        a, b = items[i][0], items[j][0]
                        hits.append(("duplicate-text", f"{a}, {b}", {"kind": kind, "a": a, "b": b, "ratio": ratio}))
        return hits

    def _finding(self, code: str, where: str, params: dict, lang: str) -> Finding:
        key: tuple = (code, where, lang, *params.keys(), *params.values())  # a rule's keys come in one order
        try:
            made = self._wording.get(key)
        except TypeError:  # an unhashable parameter: compare its text
            key = (code, where, lang, *params.keys(), *map(repr, params.values()))
            made = self._wording.get(key)
        if made is None:
            made = self._wording[key] = finding(code, where, params, lang)
        return made


# -- what a finding points at ------------------------------------------------------------------------
def target_of(journey: Journey, where: str) -> dict[str, str] | None:
    """The object a finding's ``where`` names: ``{"kind": "touchpoint"|"stage"|"transition", "id": ...}``.

    A pain point points at its touchpoint (or move), a duplicate pair at its first item, an opportunity at
    the touchpoint of the first pain point it addresses; the whole journey at nothing (``None``).
    """
    first = where.split(", ")[0]
    tps = {tp.id for tp in journey.touchpoints}
    if first in tps:
        return {"kind": "touchpoint", "id": first}
    if any(s.id == first for s in journey.stages):
        return {"kind": "stage", "id": first}
    if any(tr.key == first for tr in journey.transitions):
        return {"kind": "transition", "id": first}
    pains = _pain_places(journey)
    if first in pains:
        return pains[first]
    for opp in journey.opportunities:
        if opp.id == first:
            return next((pains[p] for p in opp.addresses if p in pains), None)
    return None


def _pain_places(journey: Journey) -> dict[str, dict[str, str]]:
    places = {p.id: {"kind": "touchpoint", "id": tp.id} for tp in journey.touchpoints for p in tp.pain_points}
    places.update({p.id: {"kind": "transition", "id": tr.key} for tr in journey.transitions for p in tr.pain_points})
    return places


def payload(journey: Journey, found: Findings, limit: int = LIMIT) -> dict[str, Any]:
    """The findings as the canvas draws them: counts, a summary line and the first ``limit`` findings, each with
    its severity word and icon and the object it points at (``target``, or ``None``)."""
    lang = found.lang
    items = [{**f.to_dict(), "label": t(f"chk_severity_{f.severity}", lang), "icon": ICONS[f.severity],
              "target": target_of(journey, f.where)} for f in found[:limit]]
    return {"count": len(found), "errors": found.count("error"), "warnings": found.count("warning"),
            "info": found.count("info"), "summary": found.summary() if found else t("chk_clean", lang),
            "items": items, "more": max(0, len(found) - limit)}


# -- running after the edits pause -------------------------------------------------------------------
class Debouncer:
    """Call ``action`` once, ``delay`` seconds after the last :meth:`poke`.

    In a kernel (a running asyncio loop: Jupyter, Voilà) the call is scheduled on that loop, so the edit's
    reply goes out first; with no running loop (a script, a test) or ``delay=0`` it runs at once.
    """

    def __init__(self, action: Callable[[], None], delay: float = DEBOUNCE):
        self.action = action
        self.delay = delay
        self._handle: asyncio.TimerHandle | None = None

    @property
    def pending(self) -> bool:
        """Is a call scheduled and not run yet?"""
        return self._handle is not None

    def poke(self) -> None:
        """(Re)start the wait; the action runs when it ends."""
        self.cancel()
        try:
            loop = asyncio.get_running_loop()
        except RuntimeError:
            loop = None
        if loop is None or self.delay <= 0:
            self.action()
            return
        self._handle = loop.call_later(self.delay, self.flush)

    def flush(self) -> None:
        """Run the action now (if a call was scheduled, it is replaced by this one)."""
        self.cancel()
        self.action()

    def cancel(self) -> None:
        if self._handle is not None:
            self._handle.cancel()
            self._handle = None


# -- the editor's panel (ipywidgets) -----------------------------------------------------------------
class ChecksPanel:
    """The health checks of an :class:`~journeymap.widgets.session.EditSession`, as ipywidgets: a heading with a
    count badge and the summary, the findings as a list (severity icon and word, where, what) and, for the one
    picked, why it matters and how to fix it. Picking a finding calls ``on_select(target)`` with what it names
    (see :func:`target_of`). The findings are recomputed ``delay`` seconds after the last edit."""

    def __init__(self, session: Any, lang: str, on_select: Callable[[dict[str, str]], None] | None = None,
                 delay: float = DEBOUNCE, limit: int = LIMIT):
        import ipywidgets as w

        self.session = session
        self.lang = lang
        self.on_select = on_select
        self.limit = limit
        self.runner = CheckRunner()
        self.found = Findings([], lang)
        self.shown: list[Finding] = []
        self._syncing = False
        label = t("canvas_checks", lang)
        self.header = w.HTML()
        self.list = w.Select(options=[], rows=6, description=label, layout=w.Layout(width="100%"),
                             style={"description_width": "initial"}, tooltip=t("canvas_checks_hint", lang))
        self.detail = w.HTML()
        self.widget = w.VBox([self.header, self.list, self.detail])
        self.widget.add_class("jm-checks-panel")
        self.list.observe(self._picked, "value")
        self.debounce = Debouncer(self.run, delay)
        session.listeners.append(lambda _session: self.debounce.poke())
        self.run()

    def run(self) -> None:
        """Run the checks now and show their findings."""
        self.debounce.cancel()
        journey = self.session.journey
        self.found = self.runner.run(journey, self.lang)
        self.shown = list(self.found[: self.limit])
        n, lang = len(self.found), self.lang
        colour = "#991b1b" if self.found.count("error") else "#92400e" if n else "#166534"
        summary = self.found.summary() if n else t("chk_clean", lang)
        more = (f" · {escape(t('canvas_checks_more', lang).format(n=n - self.limit))}" if n > self.limit else "")
        count = escape(t("canvas_checks_count", lang).format(n=n))
        self.header.value = (
            f'<b>{escape(t("canvas_checks", lang))}</b> '
            f'<span class="jm-badge" data-count="{n}" title="{count}" '
            f'style="background:{colour};color:#fff;border-radius:1em;padding:0 0.5em;font-weight:700">{n}</span> '
            f'<span role="status" aria-live="polite">{escape(summary)}{more}</span>')
        self._syncing = True
        try:
            self.list.options = [(f"{ICONS[f.severity]} {t(f'chk_severity_{f.severity}', lang)} · {f.where}: "
                                  f"{f.message}", i) for i, f in enumerate(self.shown)]
            self.list.value = None
        finally:
            self._syncing = False
        self.detail.value = ""

    def _picked(self, change: dict) -> None:
        if self._syncing or change["new"] is None:
            return
        f = self.shown[change["new"]]
        lang = self.lang
        self.detail.value = (
            f"<div><b>{ICONS[f.severity]} {escape(t(f'chk_severity_{f.severity}', lang))}</b> "
            f"<code>{escape(f.code)}</code> · {escape(f.where)}: {escape(f.message)}</div>"
            f"<div><b>{escape(t('canvas_checks_why', lang))}:</b> {escape(f.why)}</div>"
            f"<div><b>{escape(t('canvas_checks_fix', lang))}:</b> {escape(f.fix)}</div>")
        target = target_of(self.session.journey, f.where)
        if target is not None and self.on_select is not None:
            self.on_select(target)


def select_in_editor(editor: Any, target: dict[str, str]) -> None:
    """Select in a :class:`~journeymap.widgets.JourneyEditor` what a finding names: a touchpoint, a stage, or a
    move (its source touchpoint, with the move picked in the transitions list)."""
    kind, ident = target["kind"], target["id"]
    if kind == "stage":
        editor.stage_list.value = ident
        return
    source, _, to = ident.partition("->") if kind == "transition" else (ident, "", "")
    editor.selected = source
    editor.refresh()
    if to:
        editor.tr_list.value = to
