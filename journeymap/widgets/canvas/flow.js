// The flow: one arrow per transition above the cards. A move to the next card is a straight arrow
// in the gap; a longer forward move is an arc over the cards; a move back (a loop) is a higher,
// dashed arc in another colour. Each arrow carries its share and a warning mark when it has pain
// points; click (or Enter) selects it for the inspector.
const FlowPart = {
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
    this.renderInspector(this.state());
  },

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
  },
};
