// Where the flow arrows and their labels go (pure geometry: no DOM, no layout reads).
// A move to the next card is a straight arrow in the gap between the cards, labelled just above it.
// Every other move is an arc over the cards: up from the source card's top edge, level, down onto the
// target's. Arcs whose spans overlap get different levels (shorter arcs lower, so nested arcs nest);
// the band above the cards is exactly as high as the levels need, so no arc or label reaches the
// stage headers. A label sits on its own arc's level with a white tag behind it, at a place on that
// level no other arc's upright crosses and no other label covers.

// In em: the lowest level's height over the cards, the step between levels, the room above the top level
// (half a tag and a margin), the band's height when there is no arc; a label tag's height.
const FLOW = { base: 0.95, step: 1.2, room: 0.85, min: 1.6, tag: 1.1 };

// Estimated width of a flow label in px (text is 0.875 em; "⚠" is wider than a digit): never measured,
// so drawing forces no layout.
function tagWidth(text, em) {
  let units = 0;
  for (const ch of text) units += ch === "⚠" ? 1.05 : ch === " " ? 0.32 : ch === "%" ? 0.9 : 0.62;
  return (units * 0.875 + 0.7) * em;
}

// transitions: [{key, from, to, share, pains}], xs: card id -> centre x (px), rank: card id -> column index,
// em: px. Returns {top, arcs}: top is the band height above the cards (px); each arc has
// {t, back, straight, level, d, lx, ly, w, legs}.
function layoutFlow(transitions, xs, rank, em, cardEm) {
  const half = (cardEm / 2) * em;
  const shown = transitions.filter((t) => t.from in xs && t.to in xs);
  const straight = (t) => rank[t.to] === rank[t.from] + 1;
  // Arcs leave from and arrive at spread-out points on the top edge (forward: out on the right half,
  // in on the left half; loops the other way round), so arcs sharing a card do not meet there.
  const ends = {};
  const end = (id, side, key, other) => ((ends[`${id}:${side}`] = ends[`${id}:${side}`] || []).push([rank[other], key]));
  for (const t of shown) {
    if (straight(t)) continue;
    const back = rank[t.to] <= rank[t.from];
    end(t.from, back ? "L" : "R", t.key, t.to);
    end(t.to, back ? "R" : "L", t.key, t.from);
  }
  const at = (id, side, key) => {
    const list = (ends[`${id}:${side}`] || []).sort((a, b) => a[0] - b[0]);
    const f = (list.findIndex((e) => e[1] === key) + 1) / (list.length + 1);
    return xs[id] + (side === "R" ? 0.1 + 0.8 * f : -0.9 + 0.8 * f) * half;
  };
  const text = (t) => `${Math.round(t.share * 100)}%` + (t.pains.length ? ` ⚠${t.pains.length}` : "");
  const arcs = shown.filter((t) => !straight(t)).map((t) => {
    const back = rank[t.to] <= rank[t.from];
    const x1 = at(t.from, back ? "L" : "R", t.key), x2 = at(t.to, back ? "R" : "L", t.key);
    const lo = Math.min(x1, x2), hi = Math.max(x1, x2), w = tagWidth(text(t), em);
    // [from, to]: the room the arc takes on its level, its label included (wider than a short arc)
    const from = Math.min(lo, (lo + hi) / 2 - w / 2), to = Math.max(hi, (lo + hi) / 2 + w / 2);
    return { t, back, straight: false, x1, x2, lo, hi, from, to, w, span: Math.abs(rank[t.to] - rank[t.from]), text: text(t) };
  }).sort((a, b) => a.span - b.span || a.lo - b.lo || (a.t.key < b.t.key ? -1 : 1));
  const levels = [];
  const clear = 0.5 * em;
  for (const a of arcs) {
    let k = 0;
    while (levels[k] && levels[k].some((b) => a.from < b.to + clear && b.from < a.to + clear)) k++;
    (levels[k] = levels[k] || []).push(a);
    a.level = k;
  }
  const top = (levels.length ? FLOW.base + (levels.length - 1) * FLOW.step + FLOW.room : FLOW.min) * em;
  const placed = []; // label tags: [x, y, w]
  const tagH = FLOW.tag * em;
  const overlaps = (x, y, w) => placed.some(([px, py, pw]) => Math.abs(px - x) < (pw + w) / 2 + 2 && Math.abs(py - y) < tagH + 2);
  // Labels of higher arcs first: a lower label then avoids them too.
  for (const a of [...arcs].sort((p, q) => q.level - p.level || p.lo - q.lo)) {
    const y = top - (FLOW.base + a.level * FLOW.step) * em;
    const r = Math.min(0.8 * em, (top - y) / 2, (a.hi - a.lo) / 2);
    const dir = a.x2 >= a.x1 ? 1 : -1;
    a.d = `M${a.x1},${top} L${a.x1},${y + r} Q${a.x1},${y} ${a.x1 + dir * r},${y} ` +
          `L${a.x2 - dir * r},${y} Q${a.x2},${y} ${a.x2},${y + r} L${a.x2},${top - 1}`;
    // the uprights of higher arcs cross this level
    const legs = arcs.filter((b) => b.level > a.level).flatMap((b) => [b.x1, b.x2]).filter((x) => x > a.lo && x < a.hi);
    const lo = a.lo + r + a.w / 2, hi = a.hi - r - a.w / 2;
    const spots = hi <= lo ? [(a.lo + a.hi) / 2]
      : [0.5, 0.35, 0.65, 0.2, 0.8, 0.42, 0.58, 0.27, 0.73, 0.1, 0.9, 0, 1].map((u) => lo + u * (hi - lo));
    const cost = (x) => legs.filter((l) => Math.abs(l - x) < a.w / 2 + 0.25 * em).length * 10 + (overlaps(x, y, a.w) ? 100 : 0);
    let best = spots[0];
    for (const x of spots) {
      if (cost(x) === 0) { best = x; break; }
      if (cost(x) < cost(best)) best = x;
    }
    a.lx = best;
    a.ly = y;
    placed.push([a.lx, a.ly, a.w]);
  }
  const yA = top + 1.6 * em;
  const lines = shown.filter(straight).map((t) => {
    const x1 = xs[t.from] + half, x2 = xs[t.to] - half;
    return { t, back: false, straight: true, level: -1, d: `M${x1},${yA} L${x2 - 1},${yA}`, lx: (x1 + x2) / 2,
             ly: yA - 0.45 * em, w: tagWidth(text(t), em), text: text(t) };
  });
  // Drawn in this order: straight arrows, then arcs from the highest level down, so a label is painted
  // over any upright that still passes behind it.
  return { top, height: top + 2.2 * em, arcs: [...lines, ...arcs.sort((p, q) => q.level - p.level || p.lo - q.lo)] };
}
