// The workshop room's page (participant and facilitator). User text is only ever set with textContent.
"use strict";

const WORDS = {
  en: {
    name: "Your name", join: "Join", you: "You are {}", addNote: "Add note", comment: "Comment",
    notePain: "Pain point", noteIdea: "Idea", kind: "Kind", text: "Text", add: "Add", cancel: "Cancel",
    noteOn: "Note on: {}", commentOn: "Comment on: {}", vote: "Vote", unvote: "Take back a dot",
    voteFor: "Vote for: {}", unvoteFor: "Take back a dot from: {}", dots: "{} dots",
    dotsLeft: "{label}: {left} of {dots} dots left", ideas: "Ideas not yet linked", resolve: "Resolve",
    reopen: "Reopen", resolved: "resolved", close: "Close", openRound: "Open round", save: "Save the journey",
    saved: "Saved", round: "Round", on: "On", dotsLabel: "Dots", facilitator: "Facilitator",
    ranking: "The room's view and the model's view", kindCol: "Kind", noteCol: "Note", dotsCol: "Dots",
    roomRank: "Room rank", modelRank: "Model rank", pain: "pain point", idea: "idea", offline: "Reconnecting…",
    open: "open", closed: "closed", pains: "pain points", opps: "opportunities", both: "both",
    commentsOn: "Comments on {}", sending: "{} change(s) waiting to be sent", addIdea: "Add idea",
    topPains: "Pain points: the room's top 10 by dots, with the model's rank (impact)",
    topIdeas: "Ideas: the room's top 10 by dots, with the model's rank (friction removed per effort)",
    agenda: "Agenda", stepOf: "Step {} of {}", start: "Start", pause: "Pause", nextStep: "Next step",
    previousStep: "Previous step", plusMinute: "+1 min", addMinute: "+1 min: add one minute", paused: "Paused",
    lastMinute: "⚠ Last minute", timeUp: "⏰ Time is up", minutes: "{} min", nowStep: "Step {} of {}: {}",
    sayStep: "Step {} of {}: {}, {} minutes", sayLast: "One minute left", sayUp: "Time is up",
  },
  es: {
    name: "Tu nombre", join: "Entrar", you: "Eres {}", addNote: "Añadir nota", comment: "Comentar",
    notePain: "Punto de dolor", noteIdea: "Idea", kind: "Tipo", text: "Texto", add: "Añadir", cancel: "Cancelar",
    noteOn: "Nota en: {}", commentOn: "Comentario en: {}", vote: "Votar", unvote: "Retirar un punto",
    voteFor: "Votar por: {}", unvoteFor: "Retirar un punto de: {}", dots: "{} puntos",
    dotsLeft: "{label}: te quedan {left} de {dots} puntos", ideas: "Ideas aún sin vincular", resolve: "Resolver",
    reopen: "Reabrir", resolved: "resuelto", close: "Cerrar", openRound: "Abrir ronda", save: "Guardar el recorrido",
    saved: "Guardado", round: "Ronda", on: "Sobre", dotsLabel: "Puntos", facilitator: "Facilitador",
    ranking: "La visión de la sala y la del modelo", kindCol: "Tipo", noteCol: "Nota", dotsCol: "Puntos",
    roomRank: "Puesto en la sala", modelRank: "Puesto en el modelo", pain: "punto de dolor", idea: "idea",
    offline: "Reconectando…", open: "abierta", closed: "cerrada", pains: "puntos de dolor",
    opps: "oportunidades", both: "ambos", commentsOn: "Comentarios sobre {}",
    sending: "{} cambio(s) pendientes de enviar", addIdea: "Añadir idea",
    topPains: "Puntos de dolor: los 10 más votados por la sala, con su puesto en el modelo (impacto)",
    topIdeas: "Ideas: las 10 más votadas por la sala, con su puesto en el modelo (fricción eliminada por esfuerzo)",
    agenda: "Agenda", stepOf: "Paso {} de {}", start: "Iniciar", pause: "Pausar", nextStep: "Paso siguiente",
    previousStep: "Paso anterior", plusMinute: "+1 min", addMinute: "+1 min: añadir un minuto", paused: "En pausa",
    lastMinute: "⚠ Último minuto", timeUp: "⏰ Se acabó el tiempo", minutes: "{} min", nowStep: "Paso {} de {}: {}",
    sayStep: "Paso {} de {}: {}, {} minutos", sayLast: "Queda un minuto", sayUp: "Se acabó el tiempo",
  },
};

const TOKEN = new URLSearchParams(location.search).get("t") || "";
const QUEUE_KEY = "jm-room-queue:" + location.pathname;
let state = null;
let lang = "en";
let composer = null; // {mode: "note"|"comment", target, label}
let sending = false;

function w(key, ...args) {
  let s = (WORDS[lang] || WORDS.en)[key] || WORDS.en[key] || key;
  for (const a of args) s = s.replace("{}", String(a));
  return s;
}

function el(tag, attrs, ...children) {
  const node = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs || {})) {
    if (k === "on") for (const [ev, fn] of Object.entries(v)) node.addEventListener(ev, fn);
    else if (k === "text") node.textContent = v;
    else node.setAttribute(k, v);
  }
  for (const c of children) if (c) node.append(c instanceof Node ? c : document.createTextNode(String(c)));
  return node;
}

function uuid() { // crypto.randomUUID needs a secure context; a room on the LAN is plain http
  const b = crypto.getRandomValues(new Uint8Array(16));
  b[6] = (b[6] & 0x0f) | 0x40; b[8] = (b[8] & 0x3f) | 0x80;
  const h = [...b].map((x) => x.toString(16).padStart(2, "0")).join("");
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
}

function me() { return localStorage.getItem("jm-room-name") || ""; }

async function api(method, path, body) {
  const ctrl = new AbortController(); // a request lost on a flaky network must not hold the queue forever
  const timer = setTimeout(() => ctrl.abort(), 10000);
  try {
    const res = await fetch(path, {
      method, cache: "no-store", signal: ctrl.signal,
      headers: {"X-Room-Token": TOKEN, ...(body ? {"Content-Type": "application/json"} : {})},
      body: body ? JSON.stringify(body) : undefined,
    });
    const data = await res.json().catch(() => ({}));
    return {status: res.status, data};
  } finally { clearTimeout(timer); }
}

// -- sending: every action gets its id once; it is kept until the server answered, and resent after a reload
function queue() { try { return JSON.parse(localStorage.getItem(QUEUE_KEY) || "[]"); } catch { return []; } }
function setQueue(q) { localStorage.setItem(QUEUE_KEY, JSON.stringify(q)); }

function send(kind, payload) {
  if (!me()) { document.getElementById("join").hidden = false; document.getElementById("name").focus(); return; }
  setQueue([...queue(), {id: uuid(), participant: me(), kind, payload}]);
  flush();
}

async function flush() {
  if (sending) return;
  sending = true;
  try {
    for (;;) {
      const q = queue();
      if (!q.length) break;
      let res;
      try { res = await api("POST", "/api/op", q[0]); } catch { status(w("offline")); break; }
      if (res.status >= 500) { status(w("offline")); break; }
      setQueue(queue().filter((op) => op.id !== q[0].id));
      status(res.status === 200 ? "" : res.data.error || String(res.status));
    }
  } finally { sending = false; }
  const left = queue().length;
  if (left) { status(w("sending", left)); setTimeout(flush, 1000); }
  poll(true);
}

function status(text) { document.getElementById("status").textContent = text; }

// -- reading: poll at most every second
async function poll(force) {
  try {
    const since = state && !force ? `&since=${state.version}` : "";
    const res = await api("GET", `/api/state?me=${encodeURIComponent(me())}${since}`);
    if (res.status === 200 && !res.data.unchanged) { state = res.data; render(); }
  } catch { status(w("offline")); }
}

function openRounds() { return state ? state.votes.filter((r) => r.open) : []; }

function roundFor(kind) {
  return openRounds().find((r) => r.on === "both" || r.on === (kind === "pain" ? "pain_points" : "opportunities"));
}

function voteButtons(kind, id, text) {
  const r = roundFor(kind);
  const total = state.votes.reduce((n, v) => n + (v.counts[id] || 0), 0);
  const box = el("div", {class: "row dots"});
  if (total) box.append(el("span", {class: "dot-count", "aria-label": w("dots", total)}, "●".repeat(Math.min(total, 12)) + ` ${total}`));
  if (!r) return box;
  const used = r.voters[me()] || 0;
  const mine = ((state.mine || {})[r.id] || []).filter((t) => t === id).length;
  box.append(el("button", {type: "button", class: "vote", "aria-label": w("voteFor", text),
    ...(used >= r.dots ? {disabled: ""} : {}), on: {click: () => send("vote", {round: r.id, target: id})}}, w("vote")));
  if (mine) {
    box.append(el("button", {type: "button", class: "secondary", "aria-label": w("unvoteFor", text),
      on: {click: () => send("unvote", {round: r.id, target: id})}}, "−"));
  }
  return box;
}

function commentList(target, label) {
  const items = state.comments.filter((c) => c.target === target);
  if (!items.length) return null;
  const list = el("ul", {class: "comments", "aria-label": w("commentsOn", label)});
  for (const c of items) {
    const li = el("li", {class: c.resolved ? "comment resolved" : "comment"},
      el("span", {class: "author", text: c.author + ": "}), el("span", {text: c.text}));
    if (c.resolved) li.append(el("span", {class: "tag", text: ` (${w("resolved")})`}));
    if (state.role === "facilitator") {
      li.append(el("button", {type: "button", class: "secondary small",
        on: {click: () => send("resolve", {comment: c.id, resolved: !c.resolved})}}, c.resolved ? w("reopen") : w("resolve")));
    }
    list.append(li);
  }
  return list;
}

function actions(target, label, noteOk) {
  const row = el("div", {class: "row"});
  if (noteOk) {
    row.append(el("button", {type: "button", "aria-label": `${w("addNote")}: ${label}`,
      on: {click: () => compose("note", target, label)}}, w("addNote")));
  }
  row.append(el("button", {type: "button", class: "secondary", "aria-label": `${w("comment")}: ${label}`,
    on: {click: () => compose("comment", target, label)}}, w("comment")));
  return row;
}

function sticky(kind, item) {
  const row = voteButtons(kind, item.id, item.text);
  if (kind === "pain") {
    row.append(el("button", {type: "button", class: "secondary", "aria-label": `${w("addIdea")}: ${item.text}`,
      on: {click: () => compose("note", item.id, item.text)}}, w("addIdea")));
  }
  row.append(el("button", {type: "button", class: "secondary", "aria-label": `${w("comment")}: ${item.text}`,
    on: {click: () => compose("comment", item.id, item.text)}}, w("comment")));
  return el("li", {class: `sticky ${kind}`, "data-id": item.id},
    el("span", {class: "kind", text: kind === "pain" ? w("pain") : w("idea")}),
    el("p", {class: "note-text", text: item.text}), row, commentList(item.id, item.text));
}

function render() {
  lang = state.lang === "es" ? "es" : "en";
  document.documentElement.lang = lang;
  document.getElementById("title").textContent = state.title;
  document.getElementById("who").textContent = me() ? w("you", me()) : "";
  const board = document.getElementById("board");
  const ideasByPain = {};
  const loose = [];
  for (const o of state.opportunities) {
    if (!o.addresses.length) loose.push(o);
    for (const p of o.addresses) (ideasByPain[p] = ideasByPain[p] || []).push(o);
  }
  const stages = [];
  for (const s of state.stages) {
    const cards = el("ul", {class: "cards"});
    for (const c of state.cards.filter((x) => x.stage === s.id)) {
      const notes = el("ul", {class: "stickies"});
      for (const p of c.pains) {
        notes.append(sticky("pain", p));
        for (const o of ideasByPain[p.id] || []) notes.append(sticky("idea", o));
      }
      cards.append(el("li", {class: "card", "data-id": c.id},
        el("h3", {text: c.action}), el("p", {class: "channel", text: c.channel}),
        notes, actions(c.id, c.action, true), commentList(c.id, c.action)));
    }
    stages.push(el("section", {class: "stage", "aria-label": s.name}, el("h2", {text: s.name}), cards));
  }
  if (loose.length) {
    const notes = el("ul", {class: "stickies"});
    for (const o of loose) notes.append(sticky("idea", o));
    stages.push(el("section", {class: "stage"}, el("h2", {text: w("ideas")}), notes));
  }
  board.replaceChildren(...stages);
  const voting = openRounds().map((r) => w("dotsLeft").replace("{label}", r.label || r.id)
    .replace("{left}", r.dots - (r.voters[me()] || 0)).replace("{dots}", r.dots));
  document.getElementById("voting").textContent = voting.join(" · ");
  if (state.role === "facilitator") renderFacilitator();
}

function renderFacilitator() {
  document.getElementById("facilitator").hidden = false;
  const rounds = el("ul", {class: "rounds"});
  for (const r of state.votes) {
    const n = Object.values(r.counts).reduce((a, b) => a + b, 0);
    rounds.append(el("li", {}, el("span", {text: `${r.label || r.id} (${w(r.open ? "open" : "closed")}, ${w("dots", n)}) `}),
      el("button", {type: "button", class: "secondary small",
        on: {click: () => send(r.open ? "close_round" : "open_round", {round: r.id})}}, r.open ? w("close") : w("reopen"))));
  }
  document.getElementById("rounds").replaceChildren(rounds);
  const tables = ["pain", "idea"].map((kind) => {
    const rows = (state.ranking || []).filter((x) => x.kind === kind).slice(0, 10);
    const head = el("tr", {}, ...["noteCol", "dotsCol", "roomRank", "modelRank"].map((k) => el("th", {scope: "col", text: w(k)})));
    const body = rows.map((x) => el("tr", {},
      el("td", {text: x.text}), el("td", {class: "num", text: x.dots ? `${"●".repeat(Math.min(x.dots, 10))} ${x.dots}` : "0"}),
      el("td", {class: "num", text: x.room_rank}), el("td", {class: "num", text: x.model_rank})));
    return el("table", {}, el("caption", {text: w(kind === "pain" ? "topPains" : "topIdeas")}),
      el("thead", {}, head), el("tbody", {}, ...body));
  });
  document.getElementById("ranking").replaceChildren(...tables);
}

// -- the agenda: the server keeps the timer; pages count down between polls and re-sync on each one
let timer = null;
let timerAt = 0;
let said = null; // {step, phase}: what the live region last announced

function clockText(sec) {
  const over = sec < 0;
  const s = Math.ceil(over ? -sec : sec);
  const mm = String(Math.floor(s / 60)).padStart(2, "0");
  return `${over ? "+" : ""}${mm}:${String(s % 60).padStart(2, "0")}`;
}

function timeLeft() {
  if (!timer) return 0;
  return timer.remaining - (timer.running ? (performance.now() - timerAt) / 1000 : 0);
}

function setText(id, text) {
  const node = document.getElementById(id);
  if (node.textContent !== text) node.textContent = text;
}

function tick() {
  if (!timer) return;
  const left = timeLeft();
  const phase = left <= 0 ? "over" : left <= 60 ? "last" : "normal";
  const flag = phase === "over" ? w("timeUp") : phase === "last" ? w("lastMinute") : timer.running ? "" : w("paused");
  for (const [clock, flagId] of [["agenda-clock", "agenda-flag"], ["agenda-now-clock", "agenda-now-flag"]]) {
    setText(clock, clockText(left));
    document.getElementById(clock).classList.toggle("last", phase === "last");
    document.getElementById(clock).classList.toggle("over", phase === "over");
    setText(flagId, flag);
  }
  // the live region speaks at a step change, when the last minute starts and when the time is up — never each second
  const minutes = String(Math.round(timer.minutes * 10) / 10);
  let say = "";
  if (said && said.step !== timer.step) say = w("sayStep", timer.step + 1, timer.count, timer.title, minutes);
  else if (said && said.phase !== phase && timer.running && phase !== "normal") say = w(phase === "last" ? "sayLast" : "sayUp");
  if (say) setText("agenda-live", say);
  said = {step: timer.step, phase};
}

function renderTimer() {
  const fac = timer.steps !== undefined;
  document.getElementById("agenda").hidden = !fac;
  document.getElementById("agenda-now").hidden = fac || !timer.used;
  setText("agenda-now-step", w("nowStep", timer.step + 1, timer.count, timer.title));
  if (fac) {
    setText("agenda-step", w("stepOf", timer.step + 1, timer.count));
    setText("agenda-title", timer.title);
    setText("agenda-do", timer.do);
    setText("agenda-toggle", timer.running ? w("pause") : w("start"));
    document.getElementById("agenda-previous").disabled = timer.step === 0;
    document.getElementById("agenda-next").disabled = timer.step === timer.count - 1;
    const key = JSON.stringify([timer.step, timer.steps.map((x) => [x.title, x.minutes])]);
    const list = document.getElementById("agenda-steps");
    if (list.dataset.key !== key) {
      list.dataset.key = key;
      list.replaceChildren(...timer.steps.map((x, i) => el("li", {
        class: i < timer.step ? "done" : "", ...(i === timer.step ? {"aria-current": "step"} : {}),
        text: `${x.title} · ${w("minutes", Math.round(x.minutes * 10) / 10)}`})));
    }
  }
  tick();
}

async function pollTimer() {
  try {
    const res = await api("GET", "/api/timer");
    if (res.status === 200) { timer = res.data; timerAt = performance.now(); renderTimer(); }
  } catch { /* the state poll says when the room is unreachable */ }
}

async function timerAction(action) {
  const res = await api("POST", "/api/timer", {action});
  if (res.status === 200) { timer = res.data; timerAt = performance.now(); renderTimer(); }
  else status(res.data.error || String(res.status));
}

function compose(mode, target, label) {
  composer = {mode, target, label};
  const form = document.getElementById("composer");
  form.hidden = false;
  document.getElementById("note-kind").hidden = mode !== "note";
  const onPain = state.cards.every((c) => c.id !== target);
  for (const input of form.querySelectorAll("input[name=kind]")) {
    input.disabled = onPain && input.value === "pain";
    input.checked = onPain ? input.value === "idea" : input.value === "pain";
  }
  document.getElementById("composer-target").textContent = w(mode === "note" ? "noteOn" : "commentOn", label);
  document.getElementById("composer-text").focus();
}

function labels() {
  const set = (id, key) => { document.getElementById(id).textContent = w(key); };
  set("name-label", "name"); set("join-button", "join"); set("kind-legend", "kind"); set("kind-pain", "notePain");
  set("kind-idea", "noteIdea"); set("composer-label", "text"); set("composer-send", "add");
  set("composer-cancel", "cancel"); set("fac-title", "facilitator"); set("round-label-label", "round");
  set("round-on-label", "on"); set("round-dots-label", "dotsLabel"); set("open-round", "openRound");
  set("save", "save"); set("ranking-title", "ranking"); set("agenda-heading", "agenda");
  set("agenda-previous", "previousStep"); set("agenda-next", "nextStep"); set("agenda-plus", "plusMinute");
  document.getElementById("agenda-plus").setAttribute("aria-label", w("addMinute"));
}

function start() {
  const join = document.getElementById("join");
  join.addEventListener("submit", (e) => {
    e.preventDefault();
    const name = document.getElementById("name").value.trim();
    if (!name) return;
    localStorage.setItem("jm-room-name", name.slice(0, 60));
    join.hidden = true;
    poll(true);
  });
  const form = document.getElementById("composer");
  form.addEventListener("submit", (e) => {
    e.preventDefault();
    const text = document.getElementById("composer-text").value.trim();
    if (!text || !composer) return;
    if (composer.mode === "note") {
      const kind = form.querySelector("input[name=kind]:checked").value;
      send("note", {on: composer.target, kind, text});
    } else send("comment", {target: composer.target, text});
    document.getElementById("composer-text").value = "";
    form.hidden = true;
    composer = null;
  });
  document.getElementById("composer-cancel").addEventListener("click", () => { form.hidden = true; composer = null; });
  document.getElementById("round-form").addEventListener("submit", (e) => {
    e.preventDefault();
    const label = document.getElementById("round-label").value.trim();
    const id = "r" + Date.now().toString(36);
    send("open_round", {round: id, label, on: document.getElementById("round-on").value,
      dots: Number(document.getElementById("round-dots").value) || 3});
  });
  document.getElementById("save").addEventListener("click", async () => {
    const res = await api("POST", "/api/save", {});
    status(res.status === 200 ? w("saved") : res.data.error || String(res.status));
  });
  if (!me()) join.hidden = false;
  api("GET", "/api/state").then((res) => {
    if (res.status === 200) { state = res.data; lang = state.lang === "es" ? "es" : "en"; labels(); render(); }
  }).catch(() => status(w("offline")));
  for (const [id, action] of [["agenda-previous", "previous"], ["agenda-next", "next"], ["agenda-plus", "add_minute"]]) {
    document.getElementById(id).addEventListener("click", () => timerAction(action));
  }
  document.getElementById("agenda-toggle").addEventListener("click", () => timerAction(timer && timer.running ? "pause" : "start"));
  flush();
  setInterval(() => poll(false), 1000);
  pollTimer();
  setInterval(pollTimer, 1000);
  setInterval(tick, 250);
}

document.addEventListener("DOMContentLoaded", start);
