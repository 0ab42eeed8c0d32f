// The journey canvas (one anywidget ES module; no build step, no imports). widget.py joins its parts in order:
// dom.js (this: DOM/SVG helpers, geometry), view.js, board.js, emotion.js, arcs.js, flow.js, inspector.js, main.js.
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

// Column geometry in em, as in canvas.css (--jm-card-w, --jm-slot-w, .jm-grid column-gap):
// x positions are computed, never read back from the layout (no forced reflow on the edit path).
const GEOM = { card: 14, slot: 3, gap: 2.5 };
const pct = (v) => `${Math.round(v * 100)}%`;
const clamp = (v, lo, hi) => Math.min(hi, Math.max(lo, v));
const snap = (v) => Math.round(v * 2) / 2;
const fmtEmotion = (v) => (v > 0 ? "+" : "") + v.toFixed(1);
const frictionColour = (f) => (f >= 50 ? "#b91c1c" : f >= 25 ? "#b45309" : "#15803d");
