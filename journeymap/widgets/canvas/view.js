// The canvas view: protocol (send/ack), the render loop, toolbar, in-place text editing and keyed
// rendering. Its drawing methods live in board.js, emotion.js, flow.js and inspector.js (main.js joins them).

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
    // Jupyter's command-mode shortcuts (↑/↓ select a cell, Enter, Z, D D…; Notebook 7 reads keys before the page
    // does) skip any element on the key's path that carries this attribute: the root and every focused element.
    this.root = h("div", { class: "jm-canvas", role: "region", "data-lm-suppress-shortcuts": "true" });
    this.root.addEventListener("focusin", (e) => e.target.setAttribute("data-lm-suppress-shortcuts", "true"));
    this.toolbar = h("div", { class: "jm-toolbar" });
    this.board = h("div", { class: "jm-board" });
    this.inspector = h("aside", { class: "jm-inspector" });
    this.checksBox = h("section", { class: "jm-checks", hidden: true });
    this.root.append(this.toolbar, this.checksBox, h("div", { class: "jm-main" }, this.board, this.inspector));
    el.append(this.root);
    this.root.addEventListener("keydown", (e) => this.shortcut(e));
    this.onState = () => this.stateChanged();
    this.onMsg = (msg) => this.ack(msg);
    this.onZoom = () => this.render();
    this.onChecks = () => this.renderChecks();
    model.on("change:checks", this.onChecks);
    model.on("change:state", this.onState);
    model.on("change:zoom", this.onZoom);
    model.on("msg:custom", this.onMsg);
    this.previousIds = new Set(Object.keys(this.state().cards || {}));
    this.previousStages = new Set((this.state().stages || []).map((sg) => sg.id));
    this.render();
  }

  destroy() {
    this.model.off("change:state", this.onState);
    this.model.off("change:zoom", this.onZoom);
    this.model.off("change:checks", this.onChecks);
    this.model.off("msg:custom", this.onMsg);
  }

  state() { return this.model.get("state") || {}; }
  // A read-only canvas (the viewer's map) draws the same board with no editing control and sends no edit.
  get readonly() { return !!this.state().readonly; }
  L(key) { return (this.state().labels || {})[key] || key; }

  // ---- protocol -------------------------------------------------------------------------
  send(op, target, fields) {
    if (this.readonly) return null;
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
    // A refusal is shown where the edit was made: a backstage item's in its lane, anything else at its target.
    const key = /_backstage$/.test(msg.op || "") ? `backstage:${msg.target}` : msg.target || "_";
    const hadError = key in this.errors;
    if (msg.ok) delete this.errors[key];
    else this.errors[key] = msg.error;
    if (msg.op === "set_touchpoint") delete this.emotionPending[msg.target];
    if (msg.op === "delete_stage") this.fallbackFocus = null;
    if (msg.op === "add_backstage") this.pendingFocus = null;
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
    const stageIds = (this.state().stages || []).map((sg) => sg.id);
    const newStages = stageIds.filter((id) => !this.previousStages.has(id));
    this.previousStages = new Set(stageIds);
    if (this.expectStage && newStages.length === 1) { // a stage just added: its name has the focus, Enter renames it
      this.expectStage = false;
      this.focusKey = `stage:${newStages[0]}`;
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
    this.root.classList.toggle("jm-readonly", this.readonly);
    this.inspector.hidden = this.readonly;
    if (this.selected && !(st.cards || {})[this.selected]) this.selected = null;
    const t = [performance.now()];
    this.renderToolbar(st, zoom);
    t.push(performance.now());
    this.renderBoard(st);
    t.push(performance.now());
    this.renderInspector(st);
    this.renderChecks();
    t.push(performance.now());
    (this.log.phases = this.log.phases || []).push(t.slice(1).map((v, i) => v - t[i]));
    this.root.dataset.rev = String(st.rev);
    const find = (key) => (key ? this.root.querySelector(`[data-focus="${CSS.escape(key)}"]`) : null);
    // Focus stays where it was (or goes where an action asked): a control that became disabled (a stage moved to
    // the end) hands it to its enabled neighbour, a removed one (a deleted stage) to the place its action named.
    let target = find(this.pendingFocus) || find(focusKey);
    if (find(this.pendingFocus)) this.pendingFocus = null;
    if (target && target.disabled) target = target.parentElement.querySelector("button:not(:disabled)") || target;
    if (!target && focusKey && !this.root.contains(document.activeElement)) target = find(this.fallbackFocus);
    // Re-focusing the same control after a redraw must not scroll; focus sent somewhere new brings it into view.
    if (target) target.focus({ preventScroll: !!active && target.dataset.focus === active.dataset.focus });
  }

  button(label, onclick, attrs) {
    if (this.readonly && !(attrs && attrs["data-view"])) return document.createComment(label);
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
        this.button("A−", () => this.setZoom(zoom - 0.1), { "data-view": "1", "aria-label": `A− ${L("canvas_zoom_out")}`, title: L("canvas_zoom_out"), "data-focus": "zoom-", disabled: zoom <= 1 }),
        h("span", { class: "jm-zoom", text: `${Math.round(zoom * 100)} %` }),
        this.button("A+", () => this.setZoom(zoom + 0.1), { "data-view": "1", "aria-label": `A+ ${L("canvas_zoom_in")}`, title: L("canvas_zoom_in"), "data-focus": "zoom+", disabled: zoom >= 2 }),
        this.button(L("canvas_presentation"), () => this.setZoom(zoom >= PRESENTATION ? 1 : PRESENTATION),
                    { "data-view": "1", "aria-pressed": String(zoom >= PRESENTATION), "data-focus": "present" }),
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
    if (this.readonly) this.status.textContent = "";
    else if (this.pending.size && performance.now() - oldest > 300) this.status.textContent = this.L("canvas_busy");
    else this.status.textContent = st.dirty ? this.L("canvas_unsaved") : this.L("canvas_saved");
    this.root.dataset.pending = String(this.pending.size);
  }

  setZoom(z) {
    this.model.set("zoom", Math.round(clamp(z, 1, 2) * 10) / 10);
    this.model.save_changes();
  }

  editable(tag, cls, text, focus, label, commit) {
    if (this.readonly) return h(tag, { class: `jm-text ${cls}`, text: text || "…" });
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

  // ---- workshop room: dots of the latest voting round and comments (state.room, built in state.py) ---------
  room() { return this.state().room || { round: null, dots: {}, comments: {} }; }
  // What a keyed node shows of the room for these ids (part of its signature: new dots or comments redraw it).
  roomSig(ids) {
    const r = this.room();
    return ids.map((id) => [r.dots[id] || 0, (r.comments[id] || []).map((c) => [c.id, c.resolved])]);
  }

  // Dots as dots and a number (never colour alone), and the number of open comments, on a note or card.
  roomBadges(id) {
    const r = this.room();
    const n = r.dots[id] || 0;
    const open = (r.comments[id] || []).filter((c) => !c.resolved).length;
    const all = (r.comments[id] || []).length;
    if (!n && !all) return null;
    const box = h("span", { class: "jm-room", "data-room": id });
    if (n) {
      const count = n === 1 ? this.L("rv_dot_one") : this.L("rv_dots_n").replace("{}", String(n));
      const label = this.L("rv_dots_label").replace("{}", count).replace("{}", r.round ? r.round.label : "");
      box.append(h("span", { class: "jm-dots", "data-dots": n, title: label },
        h("span", { "aria-hidden": "true", text: "●".repeat(Math.min(n, 10)) + (n > 10 ? "…" : "") }),
        h("span", { class: "jm-dots-n", text: ` ${count}` })));
    }
    if (all) {
      box.append(h("span", { class: "jm-ccount", "data-comments": open, title: this.L("rv_comments"),
        text: this.L("rv_comments_n").replace("{}", String(open)) }));
    }
    return box;
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
}
