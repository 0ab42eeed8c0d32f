// The flow: one arrow per transition above the cards (geometry in arcs.js). A move to the next card is a
// straight arrow in the gap; a longer forward move is an arc over the cards; a move back (a loop) is a
// dashed arc in another colour. Each arrow carries its share and a warning mark when it has pain points
// (drawn as notes in the strip under the cards); click (or Enter) selects it for the inspector.
const FlowPart = {
  drawFlow(svg, st, xs, width, em, order) {
    const L = (k) => this.L(k);
    const cards = st.cards || {};
    const sig = JSON.stringify([order, width, em, st.lang, st.transitions, this.selectedLink,
                                order.map((id) => cards[id].action)]);
    if (sig === this.flowSig) return;
    this.flowSig = sig;
    const rank = {};
    order.forEach((id, i) => { rank[id] = i; });
    const { top, height, arcs } = layoutFlow(st.transitions || [], xs, rank, em, GEOM.card);
    // The band above the cards is as high as the arcs need (cards and end slots use --jm-flow-h).
    const band = `${(top / em).toFixed(3)}em`;
    if (this.grid && this.grid.style.getPropertyValue("--jm-flow-h") !== band) this.grid.style.setProperty("--jm-flow-h", band);
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
    for (const a of arcs) {
      const t = a.t;
      const sel = this.selectedLink === t.key;
      const from = cards[t.from], to = cards[t.to];
      const g = s("g", { class: `jm-link-g${a.back ? " jm-back" : ""}${t.pains.length ? " jm-has-pain" : ""}${sel ? " jm-selected" : ""}`,
                         "data-key": t.key, "data-level": a.level });
      const line = s("path", { d: a.d, class: "jm-arrow", "marker-end": `url(#${this.id}-head-${sel ? "sel" : a.back ? "back" : "fwd"})` });
      const label = a.straight
        ? s("text", { x: a.lx, y: a.ly, class: "jm-flow-label", "text-anchor": "middle", text: a.text })
        : s("text", { x: a.lx, y: a.ly, class: "jm-flow-label", "text-anchor": "middle", "dominant-baseline": "central", text: a.text });
      const tag = a.straight ? null : s("rect", { x: a.lx - a.w / 2, y: a.ly - (FLOW.tag / 2) * em, width: a.w,
                                                  height: FLOW.tag * em, rx: 0.3 * em, class: "jm-flow-tag" });
      const name = `${L("canvas_link")}: ${from ? from.action : t.from} → ${to ? to.action : t.to}, ${L("share")} ${pct(t.share)}` +
        (t.pains.length ? `; ${L("pain_points")}: ${t.pains.map((p) => p.text).join("; ")}` : "");
      const hit = s("path", { d: a.d, class: "jm-arrow-hit", tabindex: 0, role: "button", "aria-label": name,
                              "aria-pressed": String(sel), "data-focus": `link:${t.key}`, "data-key": t.key });
      const title = s("title", { text: name });
      const pick = (e) => { e.preventDefault(); e.stopPropagation(); this.selectLink(t.key); };
      hit.addEventListener("click", pick);
      label.addEventListener("click", pick);
      if (tag) tag.addEventListener("click", pick);
      hit.addEventListener("keydown", (e) => { if (e.key === "Enter" || e.key === " ") pick(e); });
      put(g, false, title, line, hit, tag, label);
      svg.append(g);
    }
  },

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
    for (const n of this.board.querySelectorAll(".jm-handoff")) n.classList.toggle("jm-selected", n.dataset.key === key);
    this.renderInspector(this.state());
  },

  // Drag from a card's connector handle to another card: a new move. Without a mouse, Enter on the
  // handle selects the card and focuses the inspector's "add a move to" choice.
  connector(c) {
    if (this.readonly) return document.createComment("connect");
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
  },
};
