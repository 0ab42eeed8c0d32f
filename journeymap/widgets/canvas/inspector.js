// The inspector beside the board: the selected card's fields and moves, or the selected move.
const InspectorPart = {
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
        ...t.pains.map((p) => this.pain(p, L, "insp-")),
        this.button(`+ ${L("canvas_add_pain")}`, () => this.send("add_pain", k, { text: L("canvas_new_pain") }),
          { class: "jm-btn jm-small", "data-focus": `tpain-add:${k}` }),
        this.button(L("canvas_remove_link"), () => this.send("remove_transition", k),
          { class: "jm-btn jm-small", "data-focus": `link-del:${k}` }),
        this.errors[k] ? h("p", { class: "jm-error", role: "alert", text: this.errors[k] }) : null);
    };
    if (link) {
      const from = st.cards[link.from];
      put(this.inspector, true, h("h3", { text: `${L("canvas_link_selected")}: ${from ? from.action : link.from}` }), linkBox(link),
        this.roomComments(link, st));
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
      this.roomComments(c, st),
    );
  },

  // The workshop comments on the card (or move), its pain points and their opportunities: author, time, text; open ones
  // first; each can be marked resolved (or reopened) — an edit like any other (undoable, saved with the file).
  roomComments(c, st) {
    const L = (k) => this.L(k);
    const room = this.room();
    const about = c.action === undefined ? [] : [[c.id, c.action]];
    for (const p of c.pains) {
      about.push([p.id, p.text]);
      for (const o of p.opportunities) if (st.opportunities[o]) about.push([o, st.opportunities[o].text]);
    }
    const items = about.flatMap(([tid, what]) => (room.comments[tid] || []).map((cm) => [cm, what]));
    if (!items.length) return null;
    items.sort((a, b) => Number(a[0].resolved) - Number(b[0].resolved));
    const list = h("ul", { class: "jm-comments" });
    for (const [cm, what] of items) {
      list.append(h("li", { class: `jm-comment${cm.resolved ? " jm-resolved" : ""}`, "data-comment": cm.id },
        h("p", { class: "jm-comment-who", text: `${cm.author} · ${cm.when} · ${L("rv_on")} ${what}` }),
        h("p", { class: "jm-comment-text", text: cm.text }),
        cm.resolved ? h("p", { class: "jm-comment-state", text: L("rv_resolved") }) : null,
        this.button(cm.resolved ? L("rv_reopen") : L("rv_resolve"),
          () => this.send("resolve_comment", cm.id, { resolved: !cm.resolved }),
          { class: "jm-btn jm-small", "data-focus": `comment:${cm.id}`,
            "aria-label": `${cm.resolved ? L("rv_reopen") : L("rv_resolve")}: ${cm.author}, ${cm.text.slice(0, 60)}` }),
        this.errors[cm.id] ? h("p", { class: "jm-error", role: "alert", text: this.errors[cm.id] }) : null));
    }
    return h("section", { class: "jm-room-comments" }, h("h4", { text: L("rv_comments") }), list);
  },
};
