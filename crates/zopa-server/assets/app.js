// zopa serve: the pages' script (embedded in the binary; no network beyond this server).
"use strict";

function el(tag, attrs, ...children) {
  const e = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs || {})) {
    if (k === "class") e.className = v; else e.setAttribute(k, v);
  }
  for (const c of children) e.append(c instanceof Node ? c : document.createTextNode(String(c)));
  return e;
}

function socket(path) {
  const proto = location.protocol === "https:" ? "wss:" : "ws:";
  return new WebSocket(proto + "//" + location.host + path);
}

const fmt = (x) => (x === null || x === undefined ? "–" : Number(x).toFixed(3));
const outcomeText = (o) => (o ? Object.entries(o).map(([k, v]) => k + " = " + v).join("; ") : "");

// A scatter of utilities: the frontier (grey), offers (coloured by actor), the Nash point.
function plot(canvas, frontier, offers, nash, names) {
  const ctx = canvas.getContext("2d");
  const w = canvas.width, h = canvas.height, pad = 36;
  ctx.clearRect(0, 0, w, h);
  ctx.strokeStyle = "#999"; ctx.strokeRect(pad, pad / 2, w - 1.5 * pad, h - 1.5 * pad);
  const X = (u) => pad + u * (w - 1.5 * pad), Y = (v) => h - pad + -v * (h - 1.5 * pad);
  ctx.fillStyle = "#333"; ctx.font = "12px sans-serif";
  ctx.fillText(names[0] || "", w / 2, h - 6);
  ctx.save(); ctx.translate(12, h / 2); ctx.rotate(-Math.PI / 2); ctx.fillText(names[1] || "", 0, 0); ctx.restore();
  ctx.fillStyle = "#bbb";
  for (const p of frontier) { ctx.beginPath(); ctx.arc(X(p[0]), Y(p[1]), 2.5, 0, 7); ctx.fill(); }
  const colours = ["#1f77b4", "#d62728", "#2ca02c", "#9467bd", "#ff7f0e"];
  for (const o of offers) {
    ctx.fillStyle = colours[o.seat % colours.length];
    ctx.beginPath(); ctx.arc(X(o.u[0]), Y(o.u[1]), 3.5, 0, 7); ctx.fill();
  }
  if (nash) { ctx.strokeStyle = "#000"; ctx.strokeRect(X(nash[0]) - 5, Y(nash[1]) - 5, 10, 10); }
  // Ticks (utilities 0, 0.5, 1) and what the marks are.
  ctx.fillStyle = "#555"; ctx.font = "11px sans-serif";
  for (const u of [0, 0.5, 1]) {
    ctx.fillText(String(u), X(u) - 6, h - pad + 14);
    ctx.fillText(String(u), pad - 22, Y(u) + 4);
  }
  ctx.fillStyle = "#bbb"; ctx.beginPath(); ctx.arc(pad + 10, pad / 2 + 12, 2.5, 0, 7); ctx.fill();
  ctx.fillStyle = "#555"; ctx.fillText("Pareto frontier", pad + 18, pad / 2 + 16);
  ctx.strokeStyle = "#000"; ctx.strokeRect(pad + 6, pad / 2 + 22, 8, 8);
  ctx.fillText("Nash deal", pad + 18, pad / 2 + 30);
  if (offers.length) { ctx.fillText("coloured: offers and texts, by who made them", pad + 6, pad / 2 + 44); }
}

// The new-negotiation form: each seat lists the strategies of the chosen protocol; single-text
// protocols choose a mediator too.
function seatChoices() {
  const protocol = document.getElementById("protocol");
  const update = () => {
    const p = protocol.value;
    for (const select of document.querySelectorAll("select[data-party], #mediator")) {
      for (const o of select.options) {
        if (o.dataset.protocols) o.hidden = !o.dataset.protocols.split(" ").includes(p);
      }
      if (select.selectedOptions[0] && select.selectedOptions[0].hidden) {
        const first = [...select.options].find((o) => !o.hidden);
        if (first) select.value = first.value;
      }
    }
    document.getElementById("mediator-label").hidden = !(p === "mediated" || p === "shuttle");
  };
  protocol.onchange = update;
  update();
}

// The organiser's live view: the trace as a table, offers on the frontier, the end.
function watch(id, key, frontier, nash) {
  const rows = document.getElementById("trace");
  const status = document.getElementById("status");
  const canvas = document.getElementById("plot");
  let parties = [], offers = [];
  const add = (e) => {
    rows.append(el("tr", {}, el("td", {}, e.round), el("td", {}, fmt(e.time)), el("td", {}, e.actor),
      el("td", {}, e.action), el("td", {}, outcomeText(e.outcome)),
      el("td", {}, e.utilities ? e.utilities.map(fmt).join(" / ") : ""), el("td", {}, e.note || "")));
    if ((e.action === "offer" || e.action === "propose") && e.utilities) {
      // A mediator's texts take the colour after the parties'.
      const seat = parties.indexOf(e.actor);
      offers.push({ seat: seat < 0 ? parties.length : seat, u: e.utilities });
      plot(canvas, frontier, offers, nash, parties);
    }
  };
  const ws = socket("/ws/watch/" + id + "?key=" + encodeURIComponent(key));
  ws.onmessage = (m) => {
    const msg = JSON.parse(m.data);
    if (msg.type === "snapshot") {
      parties = msg.parties;
      rows.replaceChildren();
      msg.trace.forEach(add);
      plot(canvas, frontier, offers, nash, parties);
      if (msg.result) finished(msg.result);
    } else if (msg.type === "event") add(msg.event);
    else if (msg.type === "end") finished(msg.result);
  };
  const finished = (r) => {
    status.textContent = "ended: " + r.end + (r.agreement ? " — " + outcomeText(r.agreement) : "") +
      " — utilities " + r.parties.map((p, i) => p + " " + fmt(r.utilities[i])).join(", ") +
      (r.metrics ? " — distance to Pareto " + fmt(r.metrics.pareto_distance) + ", to Nash " + fmt(r.metrics.nash_distance) : "") +
      (r.error ? " — " + r.error : "");
    status.setAttribute("data-end", r.end);
  };
}

// A person's seat: the party protocol over a WebSocket, drawn as a form.
function play(id, token) {
  const status = document.getElementById("status");
  const builder = document.getElementById("builder");
  const mine = document.getElementById("mine");
  const standingBox = document.getElementById("standing");
  const log = document.getElementById("log");
  const buttons = { offer: document.getElementById("offer"), accept: document.getElementById("accept"), end: document.getElementById("end") };
  let settings = null, standing = null, myTurn = false;
  const utility = (o) => {
    const t = settings.utility && settings.utility.tables;
    if (!t) return null;
    let s = 0;
    for (const i of settings.issues) s += t[i.name][String(o[i.name])];
    return settings.utility.capped ? Math.min(1, s) : s;
  };
  const current = () => {
    const o = {};
    for (const i of settings.issues) {
      const input = document.getElementById("issue-" + i.name);
      o[i.name] = i.values ? input.value : Number(input.value);
    }
    return o;
  };
  const refresh = () => {
    if (!settings) return;
    mine.textContent = "your utility of this offer: " + fmt(utility(current()));
    for (const b of Object.values(buttons)) b.disabled = !myTurn;
    buttons.accept.disabled = !myTurn || !standing || standing.seat === settings.seat;
  };
  const ws = socket("/ws/play/" + id + "/" + token);
  let over = false, told = null;
  const send = (m) => {
    ws.send(JSON.stringify(m)); myTurn = false; refresh(); status.textContent = "waiting for the others…";
    if (settings.protocol === "shuttle") {
      log.append(el("li", {}, "you " + (m.type === "accept" ? "accepted the draft as it is" : m.type === "end" ? "vetoed the draft" : "asked for " + outcomeText(m.outcome))));
    }
  };
  buttons.offer.onclick = () => send({ type: "offer", outcome: current() });
  buttons.accept.onclick = () => send({ type: "accept" });
  buttons.end.onclick = () => send({ type: "end" });
  // A text put to this seat (mediated, shuttle): yes / no, or better / same / worse.
  const ballot = document.getElementById("ballot");
  const ballotText = document.getElementById("ballot-text");
  let asked = null;
  const answer = (m) => {
    ballot.hidden = true; ws.send(JSON.stringify(m)); status.textContent = "waiting for the others…";
    log.append(el("li", {}, "round " + asked.round + ": " + (asked.question === "ratify" ? "the final text " : "the mediator proposed ") +
      outcomeText(asked.text) + "; you answered " + (m.type === "vote" ? (m.accept ? "yes" : "no") : m.answer)));
  };
  document.getElementById("vote-yes").onclick = () => answer({ type: "vote", accept: true });
  document.getElementById("vote-no").onclick = () => answer({ type: "vote", accept: false });
  for (const a of ["better", "same", "worse"]) document.getElementById("feedback-" + a).onclick = () => answer({ type: "feedback", answer: a });
  const ask = (msg) => {
    asked = msg; myTurn = false; refresh(); standingBox.textContent = "";
    const feedback = msg.question === "feedback";
    for (const id of ["vote-yes", "vote-no"]) document.getElementById(id).hidden = feedback;
    for (const a of ["better", "same", "worse"]) document.getElementById("feedback-" + a).hidden = !feedback;
    const lead = msg.question === "ratify" ? "The final vote — sign this text? "
      : feedback && !msg.previous ? "The mediator's first text — answer better to keep it, worse to have it changed: "
      : feedback ? "The mediator proposes — better, the same or worse than the last text? "
      : "The mediator proposes — carry this text? ";
    ballotText.textContent = lead + outcomeText(msg.text) + " — worth " + fmt(utility(msg.text)) + " to you" +
      (msg.standing && msg.question !== "ratify" ? "; the standing text is worth " + fmt(utility(msg.standing)) : "") +
      (feedback && msg.previous ? "; the last text was worth " + fmt(utility(msg.previous)) : "") +
      "; walking away is worth " + fmt(msg.reservation) + ".";
    ballot.hidden = false;
    status.textContent = "Your vote (round " + msg.round + ", time " + fmt(msg.time) + ").";
  };
  ws.onmessage = (m) => {
    const msg = JSON.parse(m.data);
    if (msg.type === "settings") {
      settings = msg;
      document.getElementById("who").textContent = "You are " + msg.party + " (seat " + msg.seat + "); walking away is worth " + fmt(msg.reservation) + " to you; the deadline is " + (msg.deadline.rounds ? msg.deadline.rounds + " rounds" : msg.deadline.seconds + " s") + ".";
      // At a single-text table the party only votes: no offers to build.
      const voting = msg.protocol === "mediated";
      for (const e of [builder, mine, ...Object.values(buttons)]) e.hidden = voting;
      if (msg.protocol === "shuttle") {
        buttons.offer.textContent = "ask for this text";
        buttons.accept.textContent = "accept the draft as it is";
        buttons.end.textContent = "veto the draft";
      }
      builder.replaceChildren();
      for (const i of msg.issues) {
        let input;
        if (i.values) {
          input = el("select", { id: "issue-" + i.name });
          for (const v of i.values) input.append(el("option", { value: v }, v + (utility ? "" : "")));
        } else {
          const [lo, hi] = i.integer || i.real;
          input = el("input", { id: "issue-" + i.name, type: "number", min: lo, max: hi, step: i.integer ? 1 : "any", value: lo });
        }
        input.onchange = refresh;
        builder.append(el("label", {}, i.name + " ", input));
      }
      refresh();
    } else if (msg.type === "turn") {
      myTurn = true;
      standing = msg.standing;
      const who = (mv) => settings.protocol === "shuttle" ? "the mediator's draft:" : "seat " + mv.seat + " " + mv.action;
      for (const mv of msg.moves) log.append(el("li", {}, "round " + mv.round + ": " + who(mv) + (mv.outcome ? " " + outcomeText(mv.outcome) : "")));
      const shuttle = settings.protocol === "shuttle";
      standingBox.textContent = standing && standing.seat !== settings.seat
        ? (shuttle ? "The mediator's draft: " : "On the table: ") + outcomeText(standing.outcome) + " — worth " + fmt(utility(standing.outcome)) + " to you" +
          (shuttle ? ". Accept it as it is, offer the text you want (the mediator hears the changes you ask for), or walk away (a veto)." : "")
        : "No offer of the others on the table.";
      if (shuttle && standing) {
        // Start from the draft: a change to one issue asks for that change only.
        for (const i of settings.issues) document.getElementById("issue-" + i.name).value = String(standing.outcome[i.name]);
      }
      status.textContent = "Your move (round " + msg.round + ", time " + fmt(msg.time) + "; walking away is worth " + fmt(msg.reservation) + ").";
      refresh();
    } else if (msg.type === "vote") {
      ask(msg);
    } else if (msg.type === "end") {
      myTurn = false; over = true; told = msg; refresh(); ballot.hidden = true; standingBox.textContent = "";
      for (const e of [builder, mine, ...Object.values(buttons)]) e.hidden = true;
      status.textContent = "The negotiation is over" + (msg.end ? ": " + msg.end : "") + ".";
    } else if (msg.type === "result") {
      over = true;
      const r = msg.result;
      const mineNow = told && told.utility !== null && told.utility !== undefined ? told.utility : r.agreement ? utility(r.agreement) : null;
      status.textContent = "Over: " + r.end + (r.agreement ? " — " + outcomeText(r.agreement) + " — worth " + fmt(mineNow) + " to you"
        : " — no agreement: you keep your outside option" + (settings ? " (" + fmt(settings.reservation) + " at the start)" : "")) +
        (r.error ? " — " + r.error : "");
      status.setAttribute("data-end", r.end);
    } else if (msg.type === "problem" || msg.type === "error") {
      status.textContent = msg.message;
    }
  };
  ws.onclose = () => {
    myTurn = false; refresh();
    if (!over) {
      ballot.hidden = true;
      status.textContent = settings
        ? "The connection is lost. Reload this page to take your seat again: the negotiation waits for your move (up to 10 minutes)."
        : "This seat could not be joined: it is open in another window, or its negotiation is over.";
    }
  };
}

// Replay: a stored trace (`zopa run --trace FILE.jsonl`, or the document of `zopa run --json`),
// read in the browser and stepped through event by event.
function replay() {
  const input = document.getElementById("file");
  const rows = document.getElementById("trace");
  const status = document.getElementById("status");
  const canvas = document.getElementById("plot");
  let events = [], parties = [], step = 0;
  const show = () => {
    rows.replaceChildren();
    const offers = [];
    for (const e of events.slice(0, step)) {
      rows.append(el("tr", {}, el("td", {}, e.round), el("td", {}, fmt(e.time)), el("td", {}, e.actor),
        el("td", {}, e.action), el("td", {}, outcomeText(e.outcome)),
        el("td", {}, e.utilities ? e.utilities.map(fmt).join(" / ") : ""), el("td", {}, e.note || "")));
      if (e.action === "offer" && e.utilities) {
        if (!parties.includes(e.actor) && parties.length < 8) parties.push(e.actor);
        offers.push({ seat: parties.indexOf(e.actor), u: e.utilities });
      }
    }
    plot(canvas, [], offers, null, parties.slice(0, 2));
    status.textContent = "step " + step + " of " + events.length;
    status.setAttribute("data-step", String(step));
  };
  input.onchange = async () => {
    const text = await input.files[0].text();
    try {
      const doc = JSON.parse(text);
      events = doc.trace || [];
      parties = doc.parties ? doc.parties.slice() : [];
    } catch (_) {
      events = text.split("\n").filter((l) => l.trim()).map((l) => JSON.parse(l));
      parties = [];
    }
    step = 0;
    show();
  };
  const q = new URLSearchParams(location.search);
  if (q.get("tournament") !== null) {
    fetch("/api/tournaments/" + q.get("tournament") + "/negotiations/" + q.get("job")).then((r) => r.json()).then((j) => {
      if (j.error) { status.textContent = j.error; return; }
      events = j.trace; parties = j.parties.slice(); step = 0; show();
    });
  }
  document.getElementById("next").onclick = () => { step = Math.min(events.length, step + 1); show(); };
  document.getElementById("previous").onclick = () => { step = Math.max(0, step - 1); show(); };
  document.getElementById("last").onclick = () => { step = events.length; show(); };
}

// What-if on a scenario page: every slider change reanalyses the scenario exactly (on the
// server) and redraws the frontier; "save" downloads the changed scenario as TOML.
function whatIf(id, base) {
  const result = document.getElementById("what-if-result");
  const canvas = document.getElementById("plot");
  const changes = () => {
    const body = { reservation: {}, weights: {} };
    for (const input of document.querySelectorAll("#what-if input")) {
      const p = input.dataset.party;
      if (input.dataset.kind === "reservation") body.reservation[p] = Number(input.value);
      else (body.weights[p] = body.weights[p] || {})[input.dataset.issue] = Number(input.value);
    }
    return body;
  };
  const ask = async (extra) => {
    const r = await fetch("/api/scenarios/" + id + "/what-if", {
      method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(Object.assign(changes(), extra || {})),
    });
    return [r.ok, await r.json()];
  };
  let pending = null;
  const update = async () => {
    const [ok, j] = await ask();
    if (!ok) { result.textContent = j.error; return; }
    if (base.names && base.names.length === 2) plot(canvas, j.frontier, [], j.nash ? j.nash.utilities : null, base.names);
    result.textContent = "ZOPA: " + (j.zopa ? "yes" : "no") + "; Nash deal: " + (j.nash ? outcomeText(j.nash.outcome) + " (" + j.nash.utilities.map(fmt).join(" / ") + ")" : "none") +
      " — recomputed in " + j.milliseconds.toFixed(1) + " ms";
    result.setAttribute("data-zopa", String(j.zopa));
  };
  for (const input of document.querySelectorAll("#what-if input")) {
    input.oninput = () => { clearTimeout(pending); pending = setTimeout(update, 120); };
  }
  document.getElementById("save").onclick = async () => {
    const [ok, j] = await ask({ toml: true });
    if (!ok) { result.textContent = j.error; return; }
    const a = el("a", { href: URL.createObjectURL(new Blob([j.toml], { type: "application/toml" })), download: "what-if.toml" });
    document.body.append(a); a.click(); a.remove();
  };
}

// A tournament: started from a file, polled until it ends, then its leaderboard.
function tournament() {
  const status = document.getElementById("status");
  const bar = document.getElementById("tprogress");
  const board = document.getElementById("board");
  document.getElementById("tstart").onclick = async () => {
    const r = await fetch("/api/tournaments", { method: "POST", headers: { "content-type": "application/json" },
      body: JSON.stringify({ file: document.getElementById("tfile").value }) });
    const j = await r.json();
    if (!r.ok) { status.textContent = j.error; return; }
    const poll = async () => {
      const t = await (await fetch("/api/tournaments/" + j.id)).json();
      bar.max = Math.max(1, t.total); bar.value = t.done;
      status.textContent = t.done + " of " + t.total + " negotiations" + (t.finished ? " — done (" + t.db + ")" : "");
      if (!t.finished) { setTimeout(poll, 300); return; }
      if (t.error) { status.textContent = t.error; status.setAttribute("data-done", "error"); return; }
      board.replaceChildren(el("tr", {}, ...["strategy", "n", "utility", "± 95 %", "advantage", "agreements"].map((h) => el("th", {}, h))));
      for (const s of t.leaderboard) board.append(el("tr", {}, el("td", {}, s.strategy), el("td", {}, s.n), el("td", {}, fmt(s.mean_utility)),
        el("td", {}, fmt(s.ci95)), el("td", {}, fmt(s.advantage)), el("td", {}, Math.round(100 * s.agreement_rate) + " %")));
      status.setAttribute("data-done", "yes");
      listNegotiations(j.id);
    };
    poll();
  };
}

// The tournament page lists its negotiations once it has ended; a stored trace opens in replay.
async function listNegotiations(id) {
  const r = await fetch("/api/tournaments/" + id + "/negotiations");
  const j = await r.json();
  const list = document.getElementById("negotiations");
  if (!r.ok) { list.textContent = j.error; return; }
  list.replaceChildren(el("tr", {}, ...["#", "scenario", "first", "second", "end", "utilities", ""].map((h) => el("th", {}, h))));
  for (const n of j.negotiations) {
    list.append(el("tr", {}, el("td", {}, n.job), el("td", {}, n.scenario), el("td", {}, n.first), el("td", {}, n.second),
      el("td", {}, n.end), el("td", {}, n.utilities.map(fmt).join(" / ")),
      el("td", {}, n.trace ? el("a", { href: "/replay?tournament=" + id + "&job=" + n.job, class: "replay-link" }, "replay") : "")));
  }
}
