// The emotion curve: one dot per card, moved with the arrow keys or dragged (snaps to 0.5).
const EmotionPart = {
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
        if (step === undefined || this.readonly) return;
        e.preventDefault();
        const base = value(id);
        const nv = clamp(base + step, -2, 2);
        if (nv === base) return;
        this.emotionPending[id] = nv;
        show(nv);
        this.send("set_touchpoint", id, { emotion: nv });
      });
      let dragging = null;
      dot.addEventListener("pointerdown", (e) => { if (this.readonly) return; dragging = value(id); dot.setPointerCapture(e.pointerId); this.select(id); e.preventDefault(); });
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
  },
};
