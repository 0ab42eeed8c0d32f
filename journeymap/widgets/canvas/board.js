// The board: lanes, stage headers (rename, move, delete, add a stage), cards, sticky notes on cards and on moves
// (a strip under the cards' notes), friction bars, backstage items edited in place; card drag and drop.
const BoardPart = {
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
    const lane = (row, key) => parts.push(this.keyed(`lane:${key}`, `${lang} ${row}`, null, () =>
      h("div", { class: "jm-lane-label", style: { gridRow: String(row), gridColumn: "1" }, text: L(key) })));
    // Rows: 1 stages, 2 cards (arrows above them), 3 emotion, 4 notes on cards, 5 notes on moves, 6 friction, 7 backstage.
    const outs = {}; // card id -> its moves with pain points
    for (const t of st.transitions || []) if (t.pains.length && cards[t.from]) (outs[t.from] = outs[t.from] || []).push(t);
    lane(2, "lane_actions"); lane(3, "lane_emotion"); lane(Object.keys(outs).length ? "4 / 6" : "4", "lane_pain_points");
    lane(6, "lane_friction"); lane(7, "lane_backstage");
    // Row 1 has no label, but its frozen cell hides the stage headers (and their buttons) scrolling past, as below.
    parts.push(this.keyed("lane:head", "", null, () =>
      h("div", { class: "jm-lane-label", "aria-hidden": "true", style: { gridRow: "1", gridColumn: "1" } })));
    const order = [];
    const cx = {};
    let xEm = 0;
    stages.forEach((stage, si) => {
      const start = cols.length + 1;
      stage.cards.forEach((id) => {
        cols.push("var(--jm-card-w)");
        order.push(id);
        cx[id] = xEm + GEOM.card / 2;
        xEm += GEOM.card + GEOM.gap;
        const col = String(cols.length);
        const c = cards[id];
        const sel = this.selected === id;
        parts.push(this.keyed(`card:${id}`, JSON.stringify([lang, c, sel, errs([id]), this.roomSig([id])]), col, () => this.card(c, col)));
        const opps = c.pains.flatMap((p) => p.opportunities.map((o) => st.opportunities[o] || null));
        const ids = [...c.pains.map((p) => p.id), ...opps.filter(Boolean).map((o) => o.id)];
        parts.push(this.keyed(`stickies:${id}`, JSON.stringify([lang, c.id, c.action, c.pains, opps, errs(ids), this.roomSig(ids)]), col,
          () => this.stickies(c, col, st)));
        if (outs[id]) {
          const moves = outs[id].map((t) => [t, cards[t.to] ? cards[t.to].action : t.to,
            t.pains.flatMap((p) => p.opportunities.map((o) => st.opportunities[o] || null))]);
          const hids = moves.flatMap(([t, , o]) => [t.key, ...t.pains.map((p) => p.id), ...o.filter(Boolean).map((x) => x.id)]);
          const sel = outs[id].some((t) => t.key === this.selectedLink) ? this.selectedLink : null;
          parts.push(this.keyed(`handoffs:${id}`, JSON.stringify([lang, c.action, moves, sel, errs(hids), this.roomSig(hids)]), col,
            () => this.handoffs(c, outs[id], col, st)));
        }
        parts.push(this.keyed(`friction:${id}`, JSON.stringify([lang, c.friction]), col, () => this.friction(c, col)));
        parts.push(this.keyed(`backstage:${id}`, JSON.stringify([lang, c.action, c.backstage, this.errors[`backstage:${id}`] ?? null]),
          col, () => this.backstage(c, col)));
      });
      const empty = !stage.cards.length; // an empty stage is a card wide: room for its header and its "+"
      cols.push(empty ? "var(--jm-card-w)" : "var(--jm-slot-w)");
      xEm += (empty ? GEOM.card : GEOM.slot) + GEOM.gap;
      const slot = String(cols.length);
      parts.push(this.keyed(`slot:${stage.id}`, JSON.stringify([lang, stage.name]), slot, () => {
        const node = h("div", { class: "jm-slot", style: { gridRow: "2", gridColumn: slot } },
          this.button("+", () => { this.expectNew = true; this.send("add_touchpoint", stage.id, { stage: stage.id, after: null, action: L("canvas_new_touchpoint") }); },
            { class: "jm-btn jm-add", "aria-label": `${L("canvas_add_end")} ${stage.name}`, "data-focus": `add-end:${stage.id}` }));
        this.dropTarget(node, stage.id, null);
        return node;
      }));
      const span = `${start} / ${cols.length + 1}`;
      const near = [stages[si - 1], stages[si + 2]].map((n) => (n ? n.id : null));
      parts.push(this.keyed(`stage:${stage.id}`, JSON.stringify([lang, stage.name, errs([stage.id]), si, stages.length, near]),
        span, () => this.stageHeader(stage, si, stages, span)));
    });
    const flowCols = `2 / ${cols.length + 1}`; // the emotion and flow drawings span the stages, not the "+ stage" column
    if (!this.readonly) {
      cols.push("auto");
      const end = String(cols.length);
      parts.push(this.keyed("stage-add-end", lang, end, () =>
        h("div", { class: "jm-stage-end", style: { gridRow: "1", gridColumn: end } },
          this.button(`+ ${L("canvas_add_stage")}`, () => this.addStage(null), { class: "jm-btn jm-add", "data-focus": "stage-add-end" }))));
    }
    if (!this.emoSvg) {
      this.emoSvg = s("svg", { class: "jm-emotion", role: "group" });
      this.emoSvg.style.gridRow = "3";
    }
    const svg = this.emoSvg;
    svg.setAttribute("aria-label", L("lane_emotion"));
    svg.style.gridColumn = flowCols;
    parts.push(svg);
    if (!this.flowSvg) {
      this.flowSvg = s("svg", { class: "jm-flow", role: "group" });
      this.flowSvg.style.gridRow = "2";
    }
    this.flowSvg.setAttribute("aria-label", L("canvas_links"));
    this.flowSvg.style.gridColumn = flowCols;
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
  },

  card(c, col, next) {
    const L = (k) => this.L(k);
    const sel = this.selected === c.id;
    const node = h("div", { class: `jm-card${sel ? " jm-selected" : ""}`, tabindex: 0, role: "group",
                            "data-id": c.id, "data-focus": `card:${c.id}`, draggable: this.readonly ? "false" : "true",
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
      this.roomBadges(c.id),
      c.detail ? h("p", { class: "jm-detail", text: L("drill_down"), title: c.detail }) : null,
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
  },

  dropTarget(node, stage, before) {
    node.addEventListener("dragover", (e) => { if (e.dataTransfer.types.includes("text/x-jm-card")) e.preventDefault(); });
    node.addEventListener("drop", (e) => {
      const id = e.dataTransfer.getData("text/x-jm-card");
      if (!id || id === before) return;
      e.preventDefault();
      this.send("move_touchpoint", id, { stage, before });
    });
  },

  select(id) {
    this.selected = id;
    if (this.selectedLink) {
      this.selectedLink = null;
      this.flowSig = null;
      for (const g of this.board.querySelectorAll(".jm-link-g.jm-selected, .jm-handoff.jm-selected")) g.classList.remove("jm-selected");
    }
    for (const n of this.board.querySelectorAll(".jm-card")) n.classList.toggle("jm-selected", n.dataset.id === id);
    this.renderInspector(this.state());
  },

  stickies(c, col, st) {
    const L = (k) => this.L(k);
    const box = h("div", { class: "jm-stickies", style: { gridRow: "4", gridColumn: col } });
    put(box, false, ...this.notes(c.pains, st, L));
    box.append(this.button(`+ ${L("canvas_add_pain")}`, () => this.send("add_pain", c.id, { text: L("canvas_new_pain") }),
      { class: "jm-btn jm-small", "data-focus": `pain-add:${c.id}`, "aria-label": `${L("canvas_add_pain")}: ${c.action}` }));
    return box;
  },

  // Pain-point notes, each followed by the opportunities that address it.
  notes(pains, st, L) {
    const out = [];
    for (const p of pains) {
      out.push(this.pain(p, L));
      for (const oid of p.opportunities) {
        const o = st.opportunities[oid];
        if (!o) continue;
        out.push(h("div", { class: "jm-sticky jm-opp" },
          this.editable("span", "jm-sticky-text", o.text, `opp:${o.id}`, L("lane_opportunities"),
                        (v) => this.send("set_opportunity", o.id, { text: v })),
          this.button("×", () => this.send("remove_opportunity", o.id), { class: "jm-btn jm-del", "aria-label": `${L("canvas_remove")}: ${o.text}`, "data-focus": `opp-del:${o.id}` }),
          this.roomBadges(o.id),
          this.errors[o.id] ? h("p", { class: "jm-error", role: "alert", text: this.errors[o.id] }) : null));
      }
    }
    return out;
  },

  // The pain points of a card's outgoing moves, as notes in a strip under the cards' notes, one group per move
  // ("→ next card"): edited in place like a card's notes; the group's head selects the move.
  handoffs(c, moves, col, st) {
    const L = (k) => this.L(k);
    const box = h("div", { class: "jm-handoffs", style: { gridRow: "5", gridColumn: col } });
    for (const t of moves) {
      const to = st.cards[t.to];
      const name = `${c.action} → ${to ? to.action : t.to}`;
      box.append(h("div", { class: `jm-handoff${this.selectedLink === t.key ? " jm-selected" : ""}`, role: "group",
                            "data-key": t.key, "aria-label": `${L("lane_pain_points")}, ${L("canvas_link")}: ${name}` },
        h("button", { type: "button", class: "jm-handoff-to", "data-focus": `handoff:${t.key}`, title: name,
                      "aria-label": `${L("canvas_link")}: ${name}`, onclick: () => this.selectLink(t.key) },
          h("span", { "aria-hidden": "true", text: "→ " }), h("span", { class: "jm-handoff-name", text: to ? to.action : t.to })),
        ...this.notes(t.pains, st, L),
        this.button(`+ ${L("canvas_add_pain")}`, () => this.send("add_pain", t.key, { text: L("canvas_new_pain") }),
          { class: "jm-btn jm-small", "data-focus": `hpain-add:${t.key}`, "aria-label": `${L("canvas_add_pain")}: ${name}` }),
        this.errors[t.key] ? h("p", { class: "jm-error", role: "alert", text: this.errors[t.key] }) : null));
    }
    return box;
  },

  pain(p, L, scope = "") {
    return h("div", { class: "jm-sticky jm-pain" },
      this.editable("span", "jm-sticky-text", p.text, `${scope}pain:${p.id}`, L("lane_pain_points"),
                    (v) => this.send("set_pain", p.id, { text: v })),
      h("span", { class: "jm-meta", text: `${L("severity_short")} ${p.severity}/5` }),
      this.roomBadges(p.id),
      h("span", { class: "jm-sticky-actions" },
        this.button("+", () => this.send("add_opportunity", p.id, { text: L("canvas_new_opportunity") }),
                    { class: "jm-btn jm-small", "aria-label": `${L("canvas_add_opportunity")}: ${p.text}`, "data-focus": `${scope}opp-add:${p.id}` }),
        this.button("×", () => this.send("remove_pain", p.id), { class: "jm-btn jm-del", "aria-label": `${L("canvas_remove")}: ${p.text}`, "data-focus": `${scope}pain-del:${p.id}` })),
      this.errors[p.id] ? h("p", { class: "jm-error", role: "alert", text: this.errors[p.id] }) : null);
  },

  // A stage header: its name edited in place; move ←/→, delete ×; a "+" in the gap after it adds a stage there.
  stageHeader(stage, si, stages, span) {
    const L = (k) => this.L(k);
    const name = stage.name;
    const last = si === stages.length - 1;
    const move = (before) => this.send("move_stage", stage.id, { before });
    const tool = (text, key, onclick, disabled, focus) => this.button(text, onclick,
      { class: "jm-btn jm-icon", "aria-label": `${L(key)}: ${name}`, title: L(key), disabled, "data-focus": `${focus}:${stage.id}` });
    return h("div", { class: "jm-stage", role: "group", "aria-label": `${L("stage")}: ${name}`, "data-stage": stage.id,
                      style: { gridRow: "1", gridColumn: span } },
      h("div", { class: "jm-stage-head" },
        this.editable("h3", "jm-stage-name", name, `stage:${stage.id}`, L("stage"),
                      (v) => this.send("set_stage", stage.id, { name: v })),
        h("span", { class: "jm-stage-tools" },
          tool("←", "canvas_stage_left", () => move(stages[si - 1].id), si === 0, "stage-left"),
          tool("→", "canvas_stage_right", () => move(stages[si + 2] ? stages[si + 2].id : null), last, "stage-right"),
          tool("×", "canvas_delete_stage", () => {
            const other = stages[si - 1] || stages[si + 1];
            this.fallbackFocus = other ? `stage:${other.id}` : null;
            this.send("delete_stage", stage.id);
          }, false, "stage-del"))),
      this.errors[stage.id] ? h("p", { class: "jm-error", role: "alert", text: this.errors[stage.id] }) : null,
      last ? null : this.button("+", () => this.addStage(stage.id), { class: "jm-btn jm-add jm-stage-add",
        "aria-label": `${L("canvas_add_stage_after")} ${name}`, title: `${L("canvas_add_stage_after")} ${name}`,
        "data-focus": `stage-add:${stage.id}` }));
  },

  addStage(after) {
    this.expectStage = true;
    this.send("add_stage", after, { name: this.L("canvas_new_stage"), after });
  },

  // What the company does unseen, below the line of visibility: each item edited in place, removed with ×, added
  // with "+". An edit names the card, the item's position and the text shown there, so a stale one is refused.
  backstage(c, col) {
    const L = (k) => this.L(k);
    const error = this.errors[`backstage:${c.id}`];
    return h("div", { class: "jm-backstage", style: { gridRow: "7", gridColumn: col } },
      h("ul", { class: "jm-bs-list", "aria-label": `${L("lane_backstage")}: ${c.action}` },
        ...c.backstage.map((b, i) => h("li", { class: "jm-bs" },
          this.editable("span", "jm-bs-text", b, `bs:${c.id}:${i}`, L("backstage"),
                        (v) => this.send("set_backstage", c.id, { index: i, old: b, text: v })),
          this.button("×", () => this.send("remove_backstage", c.id, { index: i, old: b }),
            { class: "jm-btn jm-del", "aria-label": `${L("canvas_remove")}: ${b}`, "data-focus": `bs-del:${c.id}:${i}` })))),
      this.button(`+ ${L("canvas_add_backstage")}`, () => {
        this.pendingFocus = `bs:${c.id}:${c.backstage.length}`;
        this.send("add_backstage", c.id, { text: L("canvas_new_backstage") });
      }, { class: "jm-btn jm-small", "data-focus": `bs-add:${c.id}`, "aria-label": `${L("canvas_add_backstage")}: ${c.action}` }),
      error ? h("p", { class: "jm-error", role: "alert", text: error }) : null);
  },

  friction(c, col) {
    const f = c.friction;
    const text = f === null ? "—" : f.toFixed(0);
    return h("div", { class: "jm-friction", style: { gridRow: "6", gridColumn: col } },
      h("span", { class: "jm-friction-text", text: `${this.L("friction")} ${text}` }),
      h("span", { class: "jm-track", "aria-hidden": "true" },
        h("span", { class: "jm-fill", style: { width: `${clamp(f || 0, 0, 100)}%`, background: frictionColour(f || 0) } })));
  },
};
