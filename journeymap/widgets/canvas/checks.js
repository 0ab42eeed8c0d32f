// The checks panel above the board: the journey's health-check findings (the "checks" model value, recomputed by
// Python once edits pause), a count badge, and per finding its severity (icon and word, never colour alone), where,
// what, why it matters and how to fix it. A finding that names a touchpoint, stage or move has a button selecting it.
const ChecksPart = {
  renderChecks(force) {
    const ck = this.model.get("checks") || {};
    const st = this.state();
    const sig = `${st.lang}|${this.checksOpen !== false}`;
    if (!force && ck === this.checksShown && sig === this.checksSig) return;
    if (ck !== this.checksShown) (this.log.checks = this.log.checks || []).push([performance.now(), ck.count]);
    this.checksShown = ck;
    this.checksSig = sig;
    const L = (k) => this.L(k);
    const box = this.checksBox;
    // An update never throws the reader out: the list keeps its scroll and the focused control its focus.
    const active = document.activeElement;
    const focusKey = active && box.contains(active) ? active.dataset.focus : null;
    const old = box.querySelector(".jm-checks-list");
    const refocus = () => {
      if (!focusKey) return;
      const find = (key) => box.querySelector(`[data-focus="${CSS.escape(key)}"]`);
      const again = find(focusKey) || find("checks:list") || find("checks:toggle"); // a fixed finding is gone
      if (again) again.focus({ preventScroll: true });
    };
    box.hidden = this.readonly || ck.count === undefined;
    if (box.hidden) { box.replaceChildren(); return; }
    const open = this.checksOpen !== false;
    const listId = `${this.id}-checks-list`;
    const count = L("canvas_checks_count").replace("{n}", String(ck.count));
    const toggle = h("button", { type: "button", class: "jm-btn jm-checks-toggle", "aria-expanded": String(open),
      "aria-controls": open ? listId : null, "aria-label": `${L("canvas_checks")}: ${count}`, "data-focus": "checks:toggle",
      onclick: () => { this.checksOpen = !open; this.renderChecks(true); } },
      document.createTextNode(`${open ? "▾" : "▸"} ${L("canvas_checks")} `),
      h("span", { class: `jm-badge${ck.errors ? " jm-badge-error" : ck.count ? " jm-badge-warning" : ""}`,
                  "data-count": String(ck.count), text: String(ck.count) }));
    const summary = h("span", { class: "jm-checks-summary", role: "status", "aria-live": "polite", text: ck.summary });
    const head = h("div", { class: "jm-checks-head" }, toggle, summary);
    if (!open) { box.replaceChildren(head); refocus(); return; }
    const list = h("ul", { class: "jm-checks-list", id: listId, "aria-label": L("canvas_checks"), tabindex: 0,
                           "data-focus": "checks:list" });
    for (const f of ck.items || []) list.append(this.findingItem(f, L));
    if (ck.more) list.append(h("li", { class: "jm-finding jm-more", text: L("canvas_checks_more").replace("{n}", String(ck.more)) }));
    if (!ck.count) list.append(h("li", { class: "jm-finding jm-clean", text: `✓ ${ck.summary}` }));
    box.replaceChildren(head, list);
    if (old) list.scrollTop = old.scrollTop;
    refocus();
  },

  findingItem(f, L) {
    const sev = h("span", { class: "jm-sev" }, h("span", { "aria-hidden": "true", text: `${f.icon} ` }),
      document.createTextNode(f.label));
    const where = f.target
      ? h("button", { type: "button", class: "jm-btn jm-finding-go", "data-focus": `finding:${f.code}:${f.where}`,
          "data-kind": f.target.kind, "data-target": f.target.id,
          "aria-label": `${L("canvas_checks_show")}: ${f.where}`, onclick: () => this.goTo(f.target) },
        document.createTextNode(f.where))
      : h("span", { class: "jm-finding-where", text: f.where });
    return h("li", { class: `jm-finding jm-sev-${f.severity}`, "data-code": f.code, "data-where": f.where },
      h("div", { class: "jm-finding-top" }, sev, where, h("span", { class: "jm-finding-msg", text: f.message })),
      h("p", { class: "jm-finding-why" }, h("strong", { text: `${L("canvas_checks_why")}: ` }), document.createTextNode(f.why)),
      h("p", { class: "jm-finding-fix" }, h("strong", { text: `${L("canvas_checks_fix")}: ` }), document.createTextNode(f.fix)));
  },

  // Select (and bring into view) what a finding names: a card, a move, or a stage header (highlighted).
  goTo(target) {
    const flash = (node) => {
      if (!node) return;
      node.scrollIntoView({ block: "nearest", inline: "center" });
      node.classList.remove("jm-flash");
      void node.offsetWidth; // restart the highlight
      node.classList.add("jm-flash");
    };
    if (target.kind === "touchpoint") {
      this.select(target.id);
      const card = this.board.querySelector(`.jm-card[data-id="${CSS.escape(target.id)}"]`);
      flash(card);
      if (card) card.focus({ preventScroll: true });
    } else if (target.kind === "transition") {
      this.selectLink(target.id);
      const node = this.board.querySelector(`.jm-link-g[data-key="${CSS.escape(target.id)}"] .jm-arrow-hit`)
        || this.board.querySelector(`.jm-handoff[data-key="${CSS.escape(target.id)}"]`);
      if (node) { node.scrollIntoView({ block: "nearest", inline: "center" }); node.focus({ preventScroll: true }); }
    } else if (target.kind === "stage") {
      const stage = this.board.querySelector(`.jm-stage[data-stage="${CSS.escape(target.id)}"]`);
      flash(stage);
      const name = stage && stage.querySelector(`[data-focus="stage:${CSS.escape(target.id)}"]`);
      if (name) name.focus({ preventScroll: true });
    }
    this.root.dataset.goto = `${target.kind}:${target.id}`;
  },
};
