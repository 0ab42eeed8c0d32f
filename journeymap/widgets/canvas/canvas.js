// The journey canvas (anywidget ES module; no build step, no imports).
// The browser never owns state: it draws model "state" and sends edit messages
// {type: "edit", edit, op, target, fields, rev}; Python applies them in order and answers
// with a new state and an acknowledgement {type: "ack", edit, ok, error, target}.
// All user text goes in with textContent / setAttribute, never innerHTML.

const SVGNS = "http://www.w3.org/2000/svg";
const PRESENTATION = 1.3; // 14 px text x 1.3 = 18.2 px
let VIEWS = 0;

function h(tag, attrs, ...children) {
  const node = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs || {})) {
    if (v === null || v === undefined || v === false) continue;
    if (k === "text") node.textContent = String(v);
    else if (k.startsWith("on")) node.addEventListener(k.slice(2), v);
    else if (k === "style") Object.assign(node.style, v);
    else node.setAttribute(k, v === true ? "" : String(v));
  }
  for (const c of children) if (c) node.append(c);
  return node;
}

function s(tag, attrs) {
  const node = document.createElementNS(SVGNS, tag);
  for (const [k, v] of Object.entries(attrs || {})) {
    if (k === "text") node.textContent = String(v);
    else node.setAttribute(k, String(v));
  }
  return node;
}

// Append (or replace with) the children that are not null/false (append() would write "null").
function put(node, replace, ...kids) {
  const keep = kids.filter((k) => k !== null && k !== undefined && k !== false);
  if (replace) node.replaceChildren(...keep);
  else node.append(...keep);
}

// Column geometry in em, as in canvas.css (--jm-card-w, --jm-slot-w, .jm-grid column-gap, --jm-flow-h):
// x positions are computed, never read back from the layout (no forced reflow on the edit path).
const GEOM = { card: 14, slot: 3, gap: 2.5, top: 3 };
const pct = (v) => `${Math.round(v * 100)}%`;
const clamp = (v, lo, hi) => Math.min(hi, Math.max(lo, v));
const snap = (v) => Math.round(v * 2) / 2;
const fmtEmotion = (v) => (v > 0 ? "+" : "") + v.toFixed(1);
const frictionColour = (f) => (f >= 50 ? "#b91c1c" : f >= 25 ? "#b45309" : "#15803d");

class CanvasView {
  constructor(model, el) {
    this.model = model;
    this.el = el;
    this.id = `jm${++VIEWS}`;
    this.n = 0;
    this.selected = null;
    this.editing = null;
    this.deferred = false;
    this.errors = {};
    this.pending = new Map();
    this.emotionPending = {};
    this.sentAt = {};
    this.expectNew = false;
    this.log = (window.__jmCanvas = window.__jmCanvas || { sent: [], acked: [], timings: [] });
    this.root = h("div", { class: "jm-canvas", role: "region" });
    this.toolbar = h("div", { class: "jm-toolbar" });
    this.board = h("div", { class: "jm-board" });
    this.inspector = h("aside", { class: "jm-inspector" });
    this.root.append(this.toolbar, h("div", { class: "jm-main" }, this.board, this.inspector));
    el.append(this.root);
    this.root.addEventListener("keydown", (e) => this.shortcut(e));
    this.onState = () => this.stateChanged();
    this.onMsg = (msg) => this.ack(msg);
    this.onZoom = () => this.render();
    model.on("change:state", this.onState);
    model.on("change:zoom", this.onZoom);
    model.on("msg:custom", this.onMsg);
    this.previousIds = new Set(Object.keys(this.state().cards || {}));
    this.render();
  }

  destroy() {
    this.model.off("change:state", this.onState);
    this.model.off("change:zoom", this.onZoom);
    this.model.off("msg:custom", this.onMsg);
  }

  state() { return this.model.get("state") || {}; }
  L(key) { return (this.state().labels || {})[key] || key; }

  // ---- protocol -------------------------------------------------------------------------
  send(op, target, fields) {
    const msg = { type: "edit", edit: `${this.id}-${++this.n}`, op, target, fields: fields || {},
                  rev: this.model.get("rev") };
    this.pending.set(msg.edit, msg);
    this.sentAt[msg.edit] = performance.now();
    this.log.sent.push(msg);
    this.model.send(msg);
    setTimeout(() => this.renderStatus(), 310);
    return msg.edit;
  }

  ack(msg) {
    if (!msg || msg.type !== "ack" || !this.pending.has(msg.edit)) return;
    this.pending.delete(msg.edit);
    this.log.acked.push(msg);
    const key = msg.target || "_";
    const hadError = key in this.errors;
    if (msg.ok) delete this.errors[key];
    else this.errors[key] = msg.error;
    if (msg.op === "set_touchpoint") delete this.emotionPending[msg.target];
    if (!msg.ok || hadError) this.render();
    else this.renderStatus();
    const t0 = this.sentAt[msg.edit];
    (this.log.acks = this.log.acks || []).push(performance.now() - t0);
    delete this.sentAt[msg.edit];
    requestAnimationFrame(() => setTimeout(() => this.log.timings.push(performance.now() - t0), 0));
  }

  stateChanged() {
    const cards = this.state().cards || {};
    const ids = Object.keys(cards);
    const fresh = ids.filter((id) => !this.previousIds.has(id));
    this.previousIds = new Set(ids);
    if (this.expectNew && fresh.length === 1) {
      this.selected = fresh[0];
      this.expectNew = false;
      this.focusKey = `card:${fresh[0]}`;
    }
    if (this.editing) { this.deferred = true; return; }
    this.render();
  }

  shortcut(e) {
    const tag = (e.target.tagName || "").toLowerCase();
    if (tag === "input" || tag === "textarea" || tag === "select") return;
    const ctrl = e.ctrlKey || e.metaKey;
    if (ctrl && (e.key === "z" || e.key === "Z")) {
      e.preventDefault();
      this.send(e.shiftKey ? "redo" : "undo", null);
    } else if (ctrl && (e.key === "y" || e.key === "Y")) {
      e.preventDefault();
      this.send("redo", null);
    }
  }

  // ---- rendering ------------------------------------------------------------------------
  render() {
    const started = performance.now();
    this.draw();
    (this.log.render = this.log.render || []).push(performance.now() - started);
  }

  draw() {
    const st = this.state();
    const active = document.activeElement;
    const focusKey = this.focusKey || (active && this.root.contains(active) ? active.dataset.focus : null);
    this.focusKey = null;
    const zoom = this.model.get("zoom") || 1;
    // Only what changed is written: a custom property set on the root, even to its old value, restyles every card.
    if (this.root.style.getPropertyValue("--jm-zoom") !== String(zoom)) this.root.style.setProperty("--jm-zoom", String(zoom));
    if (this.root.getAttribute("aria-label") !== (st.title || "journey")) this.root.setAttribute("aria-label", st.title || "journey");
    if (this.root.lang !== (st.lang || "en")) this.root.lang = st.lang || "en";
    if (this.selected && !(st.cards || {})[this.selected]) this.selected = null;
    const t = [performance.now()];
    this.renderToolbar(st, zoom);
    t.push(performance.now());
    this.renderBoard(st);
    t.push(performance.now());
    this.renderInspector(st);
    t.push(performance.now());
    (this.log.phases = this.log.phases || []).push(t.slice(1).map((v, i) => v - t[i]));
    this.root.dataset.rev = String(st.rev);
    if (focusKey) {
      const target = this.root.querySelector(`[data-focus="${CSS.escape(focusKey)}"]`);
      if (target) target.focus({ preventScroll: true });
    }
  }

  button(label, onclick, attrs) {
    return h("button", { type: "button", class: "jm-btn", onclick, ...attrs }, document.createTextNode(label));
  }

  renderToolbar(st, zoom) {
    const L = (k) => this.L(k);
    const t = st.totals || {};
    const conv = t.conversion === null || t.conversion === undefined ? "—" : `${(t.conversion * 100).toFixed(1)} %`;
    const num = (v) => (v === null || v === undefined ? "—" : v.toFixed(1));
    this.status = h("span", { class: "jm-status", role: "status", "aria-live": "polite" });
    put(this.toolbar, true,
      h("h2", { class: "jm-title", text: st.title }),
      h("div", { class: "jm-actions" },
        this.button(L("canvas_undo"), () => this.send("undo", null),
                    { disabled: !st.can_undo, "data-focus": "undo", title: "Ctrl+Z" }),
        this.button(L("canvas_redo"), () => this.send("redo", null),
                    { disabled: !st.can_redo, "data-focus": "redo", title: "Ctrl+Shift+Z" }),
        this.button(L("canvas_save"), () => this.send("save", null), { class: "jm-btn jm-primary", "data-focus": "save" }),
        this.button("A−", () => this.setZoom(zoom - 0.1), { "aria-label": `A− ${L("canvas_zoom_out")}`, title: L("canvas_zoom_out"), "data-focus": "zoom-", disabled: zoom <= 1 }),
        h("span", { class: "jm-zoom", text: `${Math.round(zoom * 100)} %` }),
        this.button("A+", () => this.setZoom(zoom + 0.1), { "aria-label": `A+ ${L("canvas_zoom_in")}`, title: L("canvas_zoom_in"), "data-focus": "zoom+", disabled: zoom >= 2 }),
        this.button(L("canvas_presentation"), () => this.setZoom(zoom >= PRESENTATION ? 1 : PRESENTATION),
                    { "aria-pressed": String(zoom >= PRESENTATION), "data-focus": "present" }),
        this.status),
      h("div", { class: "jm-totals" },
        h("span", { class: "jm-total", "data-total": "friction", text: `${L("total_friction")}: ${num(t.friction)} / 100` }),
        h("span", { class: "jm-total", "data-total": "continuity", text: `${L("canvas_continuity")}: ${num(t.continuity)}` }),
        h("span", { class: "jm-total", "data-total": "conversion", text: `${L("expected_conversion")}: ${conv}` })),
      t.error ? h("p", { class: "jm-error", role: "alert", text: t.error }) : null,
      this.errors._ ? h("p", { class: "jm-error", role: "alert", text: this.errors._ }) : null,
      st.backup_error ? h("p", { class: "jm-error", role: "alert", text: st.backup_error }) : null,
    );
    this.renderStatus();
  }

  renderStatus() {
    if (!this.status) return;
    const st = this.state();
    const oldest = Math.min(...[...this.pending.keys()].map((k) => this.sentAt[k] ?? Infinity));
    if (this.pending.size && performance.now() - oldest > 300) this.status.textContent = this.L("canvas_busy");
    else this.status.textContent = st.dirty ? this.L("canvas_unsaved") : this.L("canvas_saved");
    this.root.dataset.pending = String(this.pending.size);
  }

  setZoom(z) {
    this.model.set("zoom", Math.round(clamp(z, 1, 2) * 10) / 10);
    this.model.save_changes();
  }

  editable(tag, cls, text, focus, label, commit) {
    const node = h(tag, { class: `jm-text ${cls}`, tabindex: 0, role: "button", "data-focus": focus,
                          "aria-label": `${this.L("canvas_edit")} ${label}: ${text}`, text: text || "…" });
    const start = (e) => { e.stopPropagation(); e.preventDefault(); this.startEdit(node, text, focus, label, commit); };
    node.addEventListener("dblclick", start);
    node.addEventListener("keydown", (e) => { if (e.key === "Enter") start(e); });
    return node;
  }

  startEdit(node, text, focus, label, commit) {
    const input = h("input", { type: "text", class: "jm-input", value: text, "aria-label": label,
                                "data-focus": `${focus}:input` });
    let done = false;
    const finish = (save) => {
      if (done) return;
      done = true;
      this.editing = null;
      if (save && input.value !== text && input.value.trim() !== "") commit(input.value);
      this.focusKey = focus;
      this.render();
    };
    input.addEventListener("keydown", (e) => {
      e.stopPropagation();
      if (e.key === "Enter") { e.preventDefault(); finish(true); }
      else if (e.key === "Escape") { e.preventDefault(); finish(false); }
    });
    input.addEventListener("blur", () => finish(true));
    this.editing = input;
    this.cache = new Map(); // the node being edited is replaced: nothing cached may hold it
    node.replaceWith(input);
    input.focus();
    input.select();
  }

  // Keyed rendering: every grid child is cached under a key with a signature of the data it shows;
  // an unchanged child is reused as it is (only its grid position is set), so an edit rebuilds only
  // the cards it changed, and the grid is reconciled in place (few DOM moves, focus kept).
  keyed(key, sig, col, make) {
    const old = this.cache.get(key);
    const node = old && old.sig === sig ? old.node : make();
    this.nextCache.set(key, { sig, node });
    if (col !== null && node.style.gridColumn !== col) node.style.gridColumn = col;
    return node;
  }

  renderBoard(st) {
    const L = (k) => this.L(k);
    const stages = st.stages || [];
    const cards = st.cards || {};
    const lang = st.lang || "";
    const errs = (ids) => ids.map((i) => this.errors[i] ?? null);
    this.cache = this.cache || new Map();
    this.nextCache = new Map();
    const cols = ["var(--jm-lane-w)"];
    const parts = [];
    const lane = (row, key) => parts.push(this.keyed(`lane:${key}`, lang, null, () =>
      h("div", { class: "jm-lane-label", style: { gridRow: String(row), gridColumn: "1" }, text: L(key) })));
    lane(2, "lane_actions"); lane(3, "lane_emotion"); lane(4, "lane_pain_points"); lane(5, "lane_friction"); lane(6, "lane_backstage");
    const order = [];
    const cx = {};
    let xEm = 0;
    for (const stage of stages) {
      const start = cols.length + 1;
      stage.cards.forEach((id) => {
        cols.push("var(--jm-card-w)");
        order.push(id);
        cx[id] = xEm + GEOM.card / 2;
        xEm += GEOM.card + GEOM.gap;
        const col = String(cols.length);
        const c = cards[id];
        const sel = this.selected === id;
        parts.push(this.keyed(`card:${id}`, JSON.stringify([lang, c, sel, errs([id])]), col, () => this.card(c, col)));
        const opps = c.pains.flatMap((p) => p.opportunities.map((o) => st.opportunities[o] || null));
        const ids = [...c.pains.map((p) => p.id), ...opps.filter(Boolean).map((o) => o.id)];
        parts.push(this.keyed(`stickies:${id}`, JSON.stringify([lang, c.id, c.action, c.pains, opps, errs(ids)]), col,
          () => this.stickies(c, col, st)));
        parts.push(this.keyed(`friction:${id}`, JSON.stringify([lang, c.friction]), col, () => this.friction(c, col)));
        parts.push(this.keyed(`backstage:${id}`, JSON.stringify(c.backstage), col, () =>
          h("ul", { class: "jm-backstage", style: { gridRow: "6", gridColumn: col } },
            ...c.backstage.map((b) => h("li", { text: b })))));
      });
      cols.push("var(--jm-slot-w)");
      xEm += GEOM.slot + GEOM.gap;
      const slot = String(cols.length);
      parts.push(this.keyed(`slot:${stage.id}`, JSON.stringify([lang, stage.name]), slot, () => {
        const node = h("div", { class: "jm-slot", style: { gridRow: "2", gridColumn: slot } },
          this.button("+", () => { this.expectNew = true; this.send("add_touchpoint", stage.id, { stage: stage.id, after: null, action: L("canvas_new_touchpoint") }); },
            { class: "jm-btn jm-add", "aria-label": `${L("canvas_add_end")} ${stage.name}`, "data-focus": `add-end:${stage.id}` }));
        this.dropTarget(node, stage.id, null);
        return node;
      }));
      const span = `${start} / ${cols.length + 1}`;
      parts.push(this.keyed(`stage:${stage.id}`, JSON.stringify([lang, stage.name, errs([stage.id])]), span, () =>
        h("div", { class: "jm-stage", style: { gridRow: "1", gridColumn: span } },
          this.editable("h3", "jm-stage-name", stage.name, `stage:${stage.id}`, L("stage"),
                        (v) => this.send("set_stage", stage.id, { name: v })))));
    }
    if (!this.emoSvg) {
      this.emoSvg = s("svg", { class: "jm-emotion", role: "group" });
      this.emoSvg.style.gridRow = "3";
    }
    const svg = this.emoSvg;
    svg.setAttribute("aria-label", L("lane_emotion"));
    svg.style.gridColumn = `2 / ${cols.length + 1}`;
    parts.push(svg);
    if (!this.flowSvg) {
      this.flowSvg = s("svg", { class: "jm-flow", role: "group" });
      this.flowSvg.style.gridRow = "2";
    }
    this.flowSvg.setAttribute("aria-label", L("canvas_links"));
    this.flowSvg.style.gridColumn = `2 / ${cols.length + 1}`;
    parts.push(this.flowSvg);
    if (!this.grid) {
      this.grid = h("div", { class: "jm-grid" });
      this.board.replaceChildren(this.grid);
    }
    const grid = this.grid;
    const template = cols.join(" ");
    if (grid.style.gridTemplateColumns !== template) grid.style.gridTemplateColumns = template;
    const want = new Set(parts);
    for (const child of [...grid.children]) if (!want.has(child)) child.remove();
    parts.forEach((node, i) => { const cur = grid.children[i]; if (cur !== node) grid.insertBefore(node, cur || null); });
    this.cache = this.nextCache;
    const em = 16 * (this.model.get("zoom") || 1);
    const width = Math.max(0, xEm - GEOM.gap) * em;
    const px = {};
    for (const id of order) px[id] = cx[id] * em;
    this.drawEmotion(svg, px, width, em, order, cards);
    this.drawFlow(this.flowSvg, st, px, width, em, order);
  }

  card(c, col, next) {
    const L = (k) => this.L(k);
    const sel = this.selected === c.id;
    const node = h("div", { class: `jm-card${sel ? " jm-selected" : ""}`, tabindex: 0, role: "group",
                            "data-id": c.id, "data-focus": `card:${c.id}`, draggable: "true",
                            "aria-label": `${L("touchpoint")}: ${c.action}`, style: { gridRow: "2", gridColumn: col } });
    node.addEventListener("click", () => this.select(c.id));
    node.addEventListener("focusin", () => { if (this.selected !== c.id) this.select(c.id); });
    node.addEventListener("keydown", (e) => {
      if (e.target !== node) return;
      if (e.key === "Enter") { e.preventDefault(); node.querySelector(".jm-action").dispatchEvent(new MouseEvent("dblclick")); }
      else if (e.key === "Delete") { e.preventDefault(); this.send("delete_touchpoint", c.id); }
    });
    node.addEventListener("dragstart", (e) => {
      if (this.connecting || this.editing) { e.preventDefault(); return; }
      e.dataTransfer.setData("text/x-jm-card", c.id);
      e.dataTransfer.effectAllowed = "move";
    });
    this.dropTarget(node, c.stage, c.id);
    put(node, false,
      h("div", { class: "jm-card-top" },
        h("span", { class: "jm-chip", style: { background: c.channel.colour }, text: c.channel.name }),
        this.button("×", () => this.send("delete_touchpoint", c.id),
                    { class: "jm-btn jm-del", "aria-label": `${L("canvas_delete")}: ${c.action}`, "data-focus": `del:${c.id}` })),
      c.conversion ? h("p", { class: "jm-conv", text: "✓ " + L("canvas_conversion") }) : null,
      this.editable("p", "jm-action", c.action, `action:${c.id}`, L("lane_actions"),
                    (v) => this.send("set_touchpoint", c.id, { action: v })),
      this.editable("p", "jm-thoughts", c.thoughts, `thoughts:${c.id}`, L("lane_thoughts"),
                    (v) => this.send("set_touchpoint", c.id, { thoughts: v })),
      this.errors[c.id] ? h("p", { class: "jm-error", role: "alert", text: this.errors[c.id] }) : null,
      this.button("+", () => { this.expectNew = true; this.send("add_touchpoint", c.stage, { stage: c.stage, after: c.id, action: L("canvas_new_touchpoint") }); },
                  { class: "jm-btn jm-add jm-between", "aria-label": `${L("canvas_add_here")} ${c.action}`, "data-focus": `add:${c.id}` }),
      this.connector(c),
    );
    return node;
  }

  dropTarget(node, stage, before) {
    node.addEventListener("dragover", (e) => { if (e.dataTransfer.types.includes("text/x-jm-card")) e.preventDefault(); });
    node.addEventListener("drop", (e) => {
      const id = e.dataTransfer.getData("text/x-jm-card");
      if (!id || id === before) return;
      e.preventDefault();
      this.send("move_touchpoint", id, { stage, before });
    });
  }

  select(id) {
    this.selected = id;
    if (this.selectedLink) {
      this.selectedLink = null;
      this.flowSig = null;
      for (const g of this.board.querySelectorAll(".jm-link-g.jm-selected")) g.classList.remove("jm-selected");
    }
    for (const n of this.board.querySelectorAll(".jm-card")) n.classList.toggle("jm-selected", n.dataset.id === id);
    this.renderInspector(this.state());
  }

  stickies(c, col, st) {
    const L = (k) => this.L(k);
    const box = h("div", { class: "jm-stickies", style: { gridRow: "4", gridColumn: col } });
    for (const p of c.pains) {
      box.append(this.pain(p, L));
      for (const oid of p.opportunities) {
        const o = st.opportunities[oid];
        if (!o) continue;
        box.append(h("div", { class: "jm-sticky jm-opp" },
          this.editable("span", "jm-sticky-text", o.text, `opp:${o.id}`, L("lane_opportunities"),
                        (v) => this.send("set_opportunity", o.id, { text: v })),
          this.button("×", () => this.send("remove_opportunity", o.id), { class: "jm-btn jm-del", "aria-label": `${L("canvas_remove")}: ${o.text}`, "data-focus": `opp-del:${o.id}` }),
          this.errors[o.id] ? h("p", { class: "jm-error", role: "alert", text: this.errors[o.id] }) : null));
      }
    }
    box.append(this.button(`+ ${L("canvas_add_pain")}`, () => this.send("add_pain", c.id, { text: L("canvas_new_pain") }),
      { class: "jm-btn jm-small", "data-focus": `pain-add:${c.id}`, "aria-label": `${L("canvas_add_pain")}: ${c.action}` }));
    return box;
  }

  pain(p, L) {
    return h("div", { class: "jm-sticky jm-pain" },
      this.editable("span", "jm-sticky-text", p.text, `pain:${p.id}`, L("lane_pain_points"),
                    (v) => this.send("set_pain", p.id, { text: v })),
      h("span", { class: "jm-meta", text: `${L("severity_short")} ${p.severity}/5` }),
      h("span", { class: "jm-sticky-actions" },
        this.button("+", () => this.send("add_opportunity", p.id, { text: L("canvas_new_opportunity") }),
                    { class: "jm-btn jm-small", "aria-label": `${L("canvas_add_opportunity")}: ${p.text}`, "data-focus": `opp-add:${p.id}` }),
        this.button("×", () => this.send("remove_pain", p.id), { class: "jm-btn jm-del", "aria-label": `${L("canvas_remove")}: ${p.text}`, "data-focus": `pain-del:${p.id}` })),
      this.errors[p.id] ? h("p", { class: "jm-error", role: "alert", text: this.errors[p.id] }) : null);
  }

  friction(c, col) {
    const f = c.friction;
    const text = f === null ? "—" : f.toFixed(0);
    return h("div", { class: "jm-friction", style: { gridRow: "5", gridColumn: col } },
      h("span", { class: "jm-friction-text", text: `${this.L("friction")} ${text}` }),
      h("span", { class: "jm-track", "aria-hidden": "true" },
        h("span", { class: "jm-fill", style: { width: `${clamp(f || 0, 0, 100)}%`, background: frictionColour(f || 0) } })));
  }

  drawEmotion(svg, xs, width, em, order, cards) {
    const height = 7.5 * em;
    const pad = 1.2 * em;
    const y = (v) => pad + ((2 - v) / 4) * (height - 2 * pad);
    const value = (id) => this.emotionPending[id] ?? (this.state().cards || {})[id]?.emotion ?? 0;
    // Same cards in the same places: move only the dots whose value changed (no SVG rebuilt).
    const sig = JSON.stringify([order, width, em, this.state().lang, order.map((id) => cards[id].action)]);
    if (sig === this.emoSig && this.emoDots) {
      order.forEach((id) => { const d = this.emoDots[id]; if (d.v !== value(id)) d.show(value(id)); });
      return;
    }
    this.emoSig = sig;
    this.emoDots = {};
    svg.replaceChildren();
    svg.setAttribute("height", String(height));
    svg.setAttribute("width", String(width));
    svg.setAttribute("viewBox", `0 0 ${width} ${height}`);
    svg.append(s("line", { x1: 0, x2: width, y1: y(0), y2: y(0), class: "jm-neutral" }));
    const line = s("polyline", { class: "jm-curve", points: order.map((id) => `${xs[id]},${y(value(id))}`).join(" ") });
    svg.append(line);
    const L = (k) => this.L(k);
    order.forEach((id, i) => {
      const c = cards[id];
      const v = value(id);
      const g = s("g", {});
      const label = s("text", { x: xs[id], y: y(v) - 0.75 * em, class: "jm-emo-label", "text-anchor": "middle", text: fmtEmotion(v) });
      const dot = s("circle", { cx: xs[id], cy: y(v), r: 0.6 * em, class: "jm-dot", tabindex: 0, role: "slider",
        "aria-label": `${L("emotion")}: ${c.action}`, "aria-valuemin": -2, "aria-valuemax": 2, "aria-valuenow": v,
        "aria-valuetext": fmtEmotion(v), "aria-orientation": "vertical", "data-focus": `emo:${id}`, "data-id": id });
      const show = (nv) => {
        this.emoDots[id].v = nv;
        dot.setAttribute("cy", y(nv)); label.setAttribute("y", y(nv) - 0.75 * em); label.textContent = fmtEmotion(nv);
        dot.setAttribute("aria-valuenow", nv);
        dot.setAttribute("aria-valuetext", fmtEmotion(nv));
        const pts = line.getAttribute("points").split(" ");
        pts[i] = `${xs[id]},${y(nv)}`;
        line.setAttribute("points", pts.join(" "));
      };
      this.emoDots[id] = { v, show };
      dot.addEventListener("keydown", (e) => {
        const step = { ArrowUp: 0.5, ArrowRight: 0.5, PageUp: 0.5, ArrowDown: -0.5, ArrowLeft: -0.5, PageDown: -0.5 }[e.key];
        if (step === undefined) return;
        e.preventDefault();
        const base = value(id);
        const nv = clamp(base + step, -2, 2);
        if (nv === base) return;
        this.emotionPending[id] = nv;
        show(nv);
        this.send("set_touchpoint", id, { emotion: nv });
      });
      let dragging = null;
      dot.addEventListener("pointerdown", (e) => { dragging = value(id); dot.setPointerCapture(e.pointerId); this.select(id); e.preventDefault(); });
      dot.addEventListener("pointermove", (e) => {
        if (dragging === null) return;
        const top = svg.getBoundingClientRect().top;
        dragging = clamp(snap(2 - ((e.clientY - top - pad) / (height - 2 * pad)) * 4), -2, 2);
        show(dragging);
      });
      dot.addEventListener("pointerup", () => {
        if (dragging === null) return;
        const nv = dragging;
        dragging = null;
        if (nv !== value(id)) { this.emotionPending[id] = nv; this.send("set_touchpoint", id, { emotion: nv }); }
      });
      g.append(label, dot);
      svg.append(g);
    });
  }

  // The flow: one arrow per transition above the cards. A move to the next card is a straight arrow
  // in the gap; a longer forward move is an arc over the cards; a move back (a loop) is a higher,
  // dashed arc in another colour. Each arrow carries its share and a warning mark when it has pain
  // points; click (or Enter) selects it for the inspector.
  drawFlow(svg, st, xs, width, em, order) {
    const L = (k) => this.L(k);
    const cards = st.cards || {};
    const top = GEOM.top * em;
    const half = (GEOM.card / 2) * em;
    const yA = top + 1.6 * em;
    const height = top + 2.2 * em;
    const sig = JSON.stringify([order, width, em, st.lang, st.transitions, this.selectedLink,
                                order.map((id) => cards[id].action)]);
    if (sig === this.flowSig) return;
    this.flowSig = sig;
    svg.replaceChildren();
    svg.setAttribute("width", String(width));
    svg.setAttribute("height", String(height));
    svg.setAttribute("viewBox", `0 0 ${width} ${height}`);
    const defs = s("defs", {});
    for (const kind of ["fwd", "back", "sel"]) {
      const m = s("marker", { id: `${this.id}-head-${kind}`, viewBox: "0 0 10 10", refX: 9, refY: 5, markerWidth: 0.55 * em,
                              markerHeight: 0.55 * em, markerUnits: "userSpaceOnUse", orient: "auto-start-reverse" });
      m.append(s("path", { d: "M0,0 L10,5 L0,10 z", class: `jm-head jm-head-${kind}` }));
      defs.append(m);
    }
    svg.append(defs);
    const rank = {};
    order.forEach((id, i) => { rank[id] = i; });
    // Arcs leave from and arrive at spread-out points on the top edge (forward: out on the right half,
    // in on the left half; loops the other way round), so arcs sharing a card do not overlap there.
    const ends = {};
    const end = (id, side, key, other) => ((ends[`${id}:${side}`] = ends[`${id}:${side}`] || []).push([rank[other], key]));
    for (const t of st.transitions || []) {
      if (!(t.from in xs) || !(t.to in xs) || rank[t.to] === rank[t.from] + 1) continue;
      const back = rank[t.to] <= rank[t.from];
      end(t.from, back ? "L" : "R", t.key, t.to);
      end(t.to, back ? "R" : "L", t.key, t.from);
    }
    const at = (id, side, key) => {
      const list = (ends[`${id}:${side}`] || []).sort((a, b) => a[0] - b[0]);
      const k = list.findIndex((e) => e[1] === key);
      const f = (k + 1) / (list.length + 1); // 0..1 across the half, in target order
      return xs[id] + (side === "R" ? 0.1 + 0.8 * f : -0.9 + 0.8 * f) * half;
    };
    const placed = []; // [x, y, width] of the labels drawn so far
    const flowOrder = [...(st.transitions || [])].sort((a, b) => (rank[a.to] === rank[a.from] + 1 ? 0 : 1) - (rank[b.to] === rank[b.from] + 1 ? 0 : 1));
    for (const t of flowOrder) {
      if (!(t.from in xs) || !(t.to in xs)) continue;
      const i = rank[t.from], j = rank[t.to];
      const back = j <= i;
      const text = pct(t.share) + (t.pains.length ? ` ⚠${t.pains.length}` : "");
      let d, lx, ly;
      if (j === i + 1) {
        const x1 = xs[t.from] + half, x2 = xs[t.to] - half;
        d = `M${x1},${yA} L${x2 - 1},${yA}`;
        lx = (x1 + x2) / 2; ly = yA - 0.45 * em;
      } else {
        const span = Math.abs(j - i);
        const rise = Math.min(back ? top - 0.15 * em : top - 0.9 * em, (back ? 1.6 : 1.0) * em + 0.3 * em * Math.log2(span));
        const x1 = at(t.from, back ? "L" : "R", t.key), x2 = at(t.to, back ? "R" : "L", t.key);
        const cy = top - 2 * rise;
        d = `M${x1},${top} Q${(x1 + x2) / 2},${cy} ${x2},${top - 1}`;
        // the label goes on the arc where it overlaps no label placed before (middle first)
        const w = text.length * 0.55 * 0.875 * em;
        const q = (u, a, b, c) => (1 - u) * (1 - u) * a + 2 * (1 - u) * u * b + u * u * c;
        const free = (x, yy) => !placed.some((p) => Math.abs(p[0] - x) < (p[2] + w) / 2 + 2 && Math.abs(p[1] - yy) < 0.95 * em);
        [lx, ly] = [0.5, 0.36, 0.64, 0.24, 0.76, 0.5].map((u) => [q(u, x1, (x1 + x2) / 2, x2), q(u, top, cy, top) - 0.3 * em])
          .find(([x, yy], k, all) => k === all.length - 1 || free(x, yy));
      }
      placed.push([lx, ly, text.length * 0.55 * 0.875 * em]);
      const sel = this.selectedLink === t.key;
      const from = cards[t.from], to = cards[t.to];
      const g = s("g", { class: `jm-link-g${back ? " jm-back" : ""}${t.pains.length ? " jm-has-pain" : ""}${sel ? " jm-selected" : ""}`,
                         "data-key": t.key });
      const line = s("path", { d, class: "jm-arrow", "marker-end": `url(#${this.id}-head-${sel ? "sel" : back ? "back" : "fwd"})` });
      const label = s("text", { x: lx, y: ly, class: "jm-flow-label", "text-anchor": "middle", text });
      const name = `${L("canvas_link")}: ${from ? from.action : t.from} → ${to ? to.action : t.to}, ${L("share")} ${pct(t.share)}` +
        (t.pains.length ? `; ${L("pain_points")}: ${t.pains.map((p) => p.text).join("; ")}` : "");
      const hit = s("path", { d, class: "jm-arrow-hit", tabindex: 0, role: "button", "aria-label": name,
                              "aria-pressed": String(sel), "data-focus": `link:${t.key}`, "data-key": t.key });
      const title = s("title", { text: name });
      const pick = (e) => { e.preventDefault(); e.stopPropagation(); this.selectLink(t.key); };
      hit.addEventListener("click", pick);
      label.addEventListener("click", pick);
      hit.addEventListener("keydown", (e) => { if (e.key === "Enter" || e.key === " ") pick(e); });
      g.append(title, line, label, hit);
      svg.append(g);
    }
  }

  selectLink(key) {
    this.selectedLink = key;
    this.flowSig = null;
    this.selected = null;
    for (const n of this.board.querySelectorAll(".jm-card.jm-selected")) n.classList.remove("jm-selected");
    for (const g of this.board.querySelectorAll(".jm-link-g")) {
      const on = g.dataset.key === key;
      g.classList.toggle("jm-selected", on);
      g.querySelector(".jm-arrow").setAttribute("marker-end",
        `url(#${this.id}-head-${on ? "sel" : g.classList.contains("jm-back") ? "back" : "fwd"})`);
      g.querySelector(".jm-arrow-hit").setAttribute("aria-pressed", String(on));
    }
    this.renderInspector(this.state());
  }

  // Drag from a card's connector handle to another card: a new move. Without a mouse, Enter on the
  // handle selects the card and focuses the inspector's "add a move to" choice.
  connector(c) {
    const handle = h("button", { type: "button", class: "jm-connect", "aria-label": `${this.L("canvas_connect")}: ${c.action}`,
                                 title: this.L("canvas_connect"), "data-focus": `connect:${c.id}`, text: "➜" });
    let drag = null;
    handle.addEventListener("pointerdown", (e) => {
      if (e.button !== 0) return;
      e.preventDefault();
      e.stopPropagation();
      handle.setPointerCapture(e.pointerId);
      const r = handle.getBoundingClientRect();
      const overlay = document.createElementNS(SVGNS, "svg");
      overlay.setAttribute("class", "jm-connect-overlay");
      const line = s("line", { x1: r.left + r.width / 2, y1: r.top + r.height / 2, x2: e.clientX, y2: e.clientY });
      overlay.append(line);
      document.body.append(overlay);
      drag = { overlay, line, x: e.clientX, y: e.clientY, moved: false };
      this.connecting = c.id;
    });
    handle.addEventListener("pointermove", (e) => {
      if (!drag) return;
      drag.line.setAttribute("x2", e.clientX);
      drag.line.setAttribute("y2", e.clientY);
      if (Math.abs(e.clientX - drag.x) + Math.abs(e.clientY - drag.y) > 6) drag.moved = true;
      const over = document.elementFromPoint(e.clientX, e.clientY);
      const card = over && over.closest(".jm-card");
      for (const n of this.board.querySelectorAll(".jm-drop-target")) if (n !== card) n.classList.remove("jm-drop-target");
      if (card && card.dataset.id !== c.id) card.classList.add("jm-drop-target");
    });
    const end = (e, cancel) => {
      if (!drag) return;
      const { overlay, moved } = drag;
      drag = null;
      this.connecting = null;
      overlay.remove();
      for (const n of this.board.querySelectorAll(".jm-drop-target")) n.classList.remove("jm-drop-target");
      if (!moved) return;
      this.suppressClick = true;
      if (cancel) return;
      const over = document.elementFromPoint(e.clientX, e.clientY);
      const card = over && over.closest(".jm-card");
      if (card && card.dataset.id !== c.id && this.root.contains(card)) this.send("add_transition", c.id, { to: card.dataset.id });
    };
    handle.addEventListener("pointerup", (e) => end(e, false));
    handle.addEventListener("pointercancel", (e) => end(e, true));
    handle.addEventListener("click", (e) => {
      e.stopPropagation();
      if (this.suppressClick) { this.suppressClick = false; return; }
      this.select(c.id);
      const pick = this.inspector.querySelector('[data-focus="insp:link-to"]');
      if (pick) pick.focus();
    });
    return handle;
  }

  renderInspector(st) {
    const L = (k) => this.L(k);
    const link = this.selectedLink ? (st.transitions || []).find((t) => t.key === this.selectedLink) : null;
    if (!link) this.selectedLink = null;
    const c = !link && this.selected ? (st.cards || {})[this.selected] : null;
    if (!c && !link) {
      this.inspector.replaceChildren(h("h3", { text: L("canvas_inspector") }), h("p", { text: L("canvas_select_hint") }));
      return;
    }
    const field = (key, label, control) => {
      control.id = `${this.id}-${key}`;
      control.dataset.focus = `insp:${key}`;
      return h("div", { class: "jm-field" }, h("label", { for: control.id, text: label }), control);
    };
    const select = (options, current, onchange) => {
      const sel = h("select", { onchange: (e) => onchange(e.target.value) });
      for (const [value, text] of options) sel.append(h("option", { value, selected: String(current) === value, text }));
      return sel;
    };
    const linkBox = (t) => {
      const to = st.cards[t.to];
      const k = t.key;
      return h("fieldset", { class: "jm-link" },
        h("legend", { text: `→ ${to ? to.action : t.to}` }),
        field(`share-${k}`, L("share"), h("input", { type: "number", min: 0, max: 1, step: 0.05, value: t.share,
          onchange: (e) => this.send("set_transition", k, { share: Number(e.target.value) }) })),
        field(`context-${k}`, L("context"), select(["none", "partial", "full"].map((v) => [v, L(`canvas_${v}`)]), t.context,
          (v) => this.send("set_transition", k, { context: v }))),
        field(`recognised-${k}`, L("recognised"), h("input", { type: "checkbox", checked: t.recognised,
          onchange: (e) => this.send("set_transition", k, { recognised: e.target.checked }) })),
        ...t.pains.map((p) => this.pain(p, L)),
        this.button(`+ ${L("canvas_add_pain")}`, () => this.send("add_pain", k, { text: L("canvas_new_pain") }),
          { class: "jm-btn jm-small", "data-focus": `tpain-add:${k}` }),
        this.button(L("canvas_remove_link"), () => this.send("remove_transition", k),
          { class: "jm-btn jm-small", "data-focus": `link-del:${k}` }),
        this.errors[k] ? h("p", { class: "jm-error", role: "alert", text: this.errors[k] }) : null);
    };
    if (link) {
      const from = st.cards[link.from];
      put(this.inspector, true, h("h3", { text: `${L("canvas_link_selected")}: ${from ? from.action : link.from}` }), linkBox(link));
      return;
    }
    const id = c.id;
    const effort = select([["", L("canvas_not_set")], ...[1, 2, 3, 4, 5, 6, 7].map((n) => [String(n), String(n)])],
      c.effort ?? "", (v) => this.send("set_touchpoint", id, { effort: v === "" ? null : Number(v) }));
    const wait = h("input", { type: "number", min: 0, step: 1, value: c.wait_min ?? "",
      onchange: (e) => this.send("set_touchpoint", id, { wait_min: e.target.value === "" ? null : Number(e.target.value) }) });
    const evidence = select(["observed", "assumed", "proposed"].map((v) => [v, L(`canvas_${v}`)]), c.evidence,
      (v) => this.send("set_touchpoint", id, { evidence: v }));
    const conv = h("input", { type: "checkbox", checked: c.conversion,
      onchange: (e) => this.send("set_touchpoint", id, { conversion: e.target.checked }) });
    const order = (st.stages || []).flatMap((sg) => sg.cards);
    const outs = (st.transitions || []).filter((t) => t.from === id);
    const links = h("div", { class: "jm-links" }, h("h4", { text: L("canvas_links_out") }));
    for (const t of outs) links.append(linkBox(t));
    const targets = order.filter((o) => o !== id && !outs.some((t) => t.to === o));
    const linkTo = select(targets.map((o) => [o, st.cards[o].action]), targets[0] || "", () => {});
    const idx = order.indexOf(id);
    const stageIdx = (st.stages || []).findIndex((sg) => sg.id === c.stage);
    const stageCards = st.stages[stageIdx].cards;
    const pos = stageCards.indexOf(id);
    const moveLeft = () => {
      if (pos > 0) this.send("move_touchpoint", id, { stage: c.stage, before: stageCards[pos - 1] });
      else if (stageIdx > 0) this.send("move_touchpoint", id, { stage: st.stages[stageIdx - 1].id, before: null });
    };
    const moveRight = () => {
      if (pos < stageCards.length - 1) this.send("move_touchpoint", id, { stage: c.stage, before: stageCards[pos + 2] ?? null });
      else if (stageIdx < st.stages.length - 1) {
        const nxt = st.stages[stageIdx + 1];
        this.send("move_touchpoint", id, { stage: nxt.id, before: nxt.cards[0] ?? null });
      }
    };
    put(this.inspector, true,
      h("h3", { text: `${L("canvas_inspector")}: ${c.action}` }),
      field("effort", L("effort"), effort),
      field("wait", L("canvas_wait_min"), wait),
      field("evidence", L("canvas_evidence"), evidence),
      field("conversion", L("canvas_conversion"), conv),
      h("div", { class: "jm-row" },
        this.button(L("canvas_move_left"), moveLeft, { disabled: idx <= 0 && stageIdx <= 0, "data-focus": "insp:left" }),
        this.button(L("canvas_move_right"), moveRight, { "data-focus": "insp:right" })),
      links,
      targets.length ? h("div", { class: "jm-row" }, field("link-to", L("canvas_add_link"), linkTo),
        this.button("+", () => this.send("add_transition", id, { to: linkTo.value }),
          { "aria-label": L("canvas_add_link"), "data-focus": "insp:link-add" })) : null,
    );
  }
}

export default {
  render({ model, el }) {
    const view = new CanvasView(model, el);
    return () => view.destroy();
  },
};
