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
    this.root.style.setProperty("--jm-zoom", String(zoom));
    this.root.setAttribute("aria-label", st.title || "journey");
    this.root.lang = st.lang || "en";
    if (this.selected && !(st.cards || {})[this.selected]) this.selected = null;
    this.renderToolbar(st, zoom);
    this.renderBoard(st);
    this.renderInspector(st);
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
        this.button("A−", () => this.setZoom(zoom - 0.1), { "aria-label": L("canvas_zoom_out"), "data-focus": "zoom-", disabled: zoom <= 1 }),
        h("span", { class: "jm-zoom", text: `${Math.round(zoom * 100)} %` }),
        this.button("A+", () => this.setZoom(zoom + 0.1), { "aria-label": L("canvas_zoom_in"), "data-focus": "zoom+", disabled: zoom >= 2 }),
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
    node.replaceWith(input);
    input.focus();
    input.select();
  }

  renderBoard(st) {
    const L = (k) => this.L(k);
    const stages = st.stages || [];
    const cards = st.cards || {};
    const cols = ["var(--jm-lane-w)"];
    const parts = [];
    const lane = (row, key) => parts.push(h("div", { class: "jm-lane-label", style: { gridRow: String(row), gridColumn: "1" }, text: L(key) }));
    lane(2, "lane_actions"); lane(3, "lane_emotion"); lane(4, "lane_pain_points"); lane(5, "lane_friction"); lane(6, "lane_backstage");
    const order = [];
    for (const stage of stages) {
      const start = cols.length + 1;
      stage.cards.forEach((id, i) => {
        cols.push("var(--jm-card-w)");
        order.push(id);
        const col = String(cols.length);
        parts.push(this.card(cards[id], col, stage.cards[i + 1] ? cards[stage.cards[i + 1]] : null));
        parts.push(this.stickies(cards[id], col, st));
        parts.push(this.friction(cards[id], col));
        parts.push(h("ul", { class: "jm-backstage", style: { gridRow: "6", gridColumn: col } },
          ...cards[id].backstage.map((b) => h("li", { text: b }))));
      });
      cols.push("var(--jm-slot-w)");
      const slot = String(cols.length);
      parts.push(h("div", { class: "jm-slot", style: { gridRow: "2", gridColumn: slot } },
        this.button("+", () => { this.expectNew = true; this.send("add_touchpoint", stage.id, { stage: stage.id, after: null, action: L("canvas_new_touchpoint") }); },
          { class: "jm-btn jm-add", "aria-label": `${L("canvas_add_end")} ${stage.name}`, "data-focus": `add-end:${stage.id}` })));
      this.dropTarget(parts[parts.length - 1], stage.id, null);
      const head = h("div", { class: "jm-stage", style: { gridRow: "1", gridColumn: `${start} / ${cols.length + 1}` } },
        this.editable("h3", "jm-stage-name", stage.name, `stage:${stage.id}`, L("stage"),
                      (v) => this.send("set_stage", stage.id, { name: v })));
      parts.push(head);
    }
    const svg = s("svg", { class: "jm-emotion", role: "group", "aria-label": L("lane_emotion") });
    svg.style.gridRow = "3";
    svg.style.gridColumn = `2 / ${cols.length + 1}`;
    parts.push(svg);
    const grid = h("div", { class: "jm-grid", style: { gridTemplateColumns: cols.join(" ") } }, ...parts);
    const left = this.board.scrollLeft;
    this.board.replaceChildren(grid);
    this.board.scrollLeft = left;
    this.drawEmotion(svg, grid, order, cards);
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
    node.addEventListener("dragstart", (e) => { e.dataTransfer.setData("text/x-jm-card", c.id); });
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

  drawEmotion(svg, grid, order, cards) {
    const em = parseFloat(getComputedStyle(this.root).fontSize) || 16;
    const height = 7.5 * em;
    const pad = 1.2 * em;
    svg.setAttribute("height", String(height));
    const width = svg.getBoundingClientRect().width || grid.scrollWidth;
    svg.setAttribute("width", String(width));
    svg.setAttribute("viewBox", `0 0 ${width} ${height}`);
    const y = (v) => pad + ((2 - v) / 4) * (height - 2 * pad);
    const x0 = svg.getBoundingClientRect().left;
    const xs = {};
    for (const n of grid.querySelectorAll(".jm-card")) {
      const r = n.getBoundingClientRect();
      xs[n.dataset.id] = r.left + r.width / 2 - x0;
    }
    svg.append(s("line", { x1: 0, x2: width, y1: y(0), y2: y(0), class: "jm-neutral" }));
    const value = (id) => this.emotionPending[id] ?? cards[id].emotion;
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
        dot.setAttribute("cy", y(nv)); label.setAttribute("y", y(nv) - 0.75 * em); label.textContent = fmtEmotion(nv);
        const pts = line.getAttribute("points").split(" ");
        pts[i] = `${xs[id]},${y(nv)}`;
        line.setAttribute("points", pts.join(" "));
      };
      dot.addEventListener("keydown", (e) => {
        const step = { ArrowUp: 0.5, ArrowRight: 0.5, PageUp: 0.5, ArrowDown: -0.5, ArrowLeft: -0.5, PageDown: -0.5 }[e.key];
        if (step === undefined) return;
        e.preventDefault();
        const base = this.emotionPending[id] ?? cards[id].emotion;
        const nv = clamp(base + step, -2, 2);
        if (nv === base) return;
        this.emotionPending[id] = nv;
        show(nv);
        dot.setAttribute("aria-valuenow", nv);
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

  renderInspector(st) {
    const L = (k) => this.L(k);
    const c = this.selected ? (st.cards || {})[this.selected] : null;
    if (!c) {
      this.inspector.replaceChildren(h("h3", { text: L("canvas_inspector") }), h("p", { text: L("canvas_select_hint") }));
      return;
    }
    const id = c.id;
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
    for (const t of outs) {
      const to = st.cards[t.to];
      const k = t.key;
      links.append(h("fieldset", { class: "jm-link" },
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
        this.errors[k] ? h("p", { class: "jm-error", role: "alert", text: this.errors[k] }) : null));
    }
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
