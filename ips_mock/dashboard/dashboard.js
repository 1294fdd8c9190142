// ips-mock dashboard: polls the JSON admin API of this origin and renders it. No libraries, no other origin.
// Every value from the fake is put in the page as text (textContent), never as HTML: job names are the caller's.
"use strict";

const POLL_MS = 1000; // a new request after each reply: a slow server never gets a backlog
const TOKEN_KEY = "ips-mock-admin-token";
const UI_SUFFIX = "/__admin/ui/";

// The admin API this page belongs to: /__admin or /t/<name>/__admin, from the page's own address.
const pagePath = location.pathname;
const prefix = pagePath.slice(0, pagePath.lastIndexOf(UI_SUFFIX));
const api = prefix + "/__admin";
const tenant = (prefix.match(/\/t\/([^/]+)$/) || [])[1] || null;

// A token given once as ?token= is kept for this tab only, and taken out of the address bar and history.
(function takeTokenFromAddress() {
  const params = new URLSearchParams(location.search);
  if (params.has("token")) {
    sessionStorage.setItem(TOKEN_KEY, params.get("token"));
    params.delete("token");
    const query = params.toString();
    history.replaceState(null, "", location.pathname + (query ? "?" + query : "") + location.hash);
  }
})();

function headers(json) {
  // Marks the page's reads, which the request log of ips-mock serve then shows at debug level only.
  const result = json ? {} : { "X-Ips-Mock-Poll": "dashboard" };
  const token = sessionStorage.getItem(TOKEN_KEY);
  if (token) result.Authorization = "Bearer " + token;
  if (json) result["Content-Type"] = "application/json";
  return result;
}

class NeedsToken extends Error {}

async function call(method, path, body) {
  const response = await fetch(api + path, {
    method,
    headers: headers(body !== undefined),
    body: body === undefined ? undefined : JSON.stringify(body),
    cache: "no-store",
  });
  if (response.status === 401) throw new NeedsToken();
  const data = await response.json();
  if (!response.ok) throw new Error(data.error || response.statusText);
  return data;
}

// ------------------------------------------------------------------------------------------------ helpers

function h(tag, attrs, ...children) {
  const node = document.createElement(tag);
  for (const [key, value] of Object.entries(attrs || {})) {
    if (value === null || value === undefined || value === false) continue;
    if (key === "class") node.className = value;
    else if (key.startsWith("data-") || key.startsWith("aria-") || key === "href" || key === "title") {
      node.setAttribute(key, value);
    } else node[key] = value;
  }
  for (const child of children.flat()) {
    if (child === null || child === undefined) continue;
    node.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
  return node;
}

function fill(id, nodes, emptyText, columns) {
  const target = document.getElementById(id);
  if (!nodes.length && emptyText) {
    nodes = columns ? [h("tr", {}, h("td", { colSpan: columns, class: "empty" }, emptyText))]
      : [h("div", { class: "empty" }, emptyText)];
  }
  target.replaceChildren(...nodes);
}

// "2026-01-05T09:00:30.000-08:00" → "2026-01-05 09:00:30": times are shown as the fake gives them, in its zone.
function show(iso) {
  return iso ? iso.slice(0, 19).replace("T", " ") : "–";
}

function ms(iso) {
  return iso ? Date.parse(iso) : NaN;
}

function span(seconds) {
  seconds = Math.round(Math.abs(seconds));
  const parts = [[86400, "d"], [3600, "h"], [60, "m"], [1, "s"]];
  const out = [];
  for (const [size, unit] of parts) {
    if (seconds >= size && out.length < 2) {
      out.push(Math.floor(seconds / size) + unit);
      seconds %= size;
    }
  }
  return out.join(" ") || "0s";
}

function badge(kind, text) {
  return h("span", { class: "badge " + kind }, text || kind);
}

function runKind(run) {
  if (run.outcome) return run.outcome;
  return run.state === "Running" || run.state === "Stopping" ? "running" : "queued";
}

function logOutcome(log) {
  if (!log.endDate) return "running";
  if (log.fatalError || log.fileErrorCount) return "error";
  return log.fileWarningCount ? "warning" : "success";
}

// ------------------------------------------------------------------------------------------------ panels

function renderClock(state, clock) {
  document.getElementById("clock-now").textContent = show(state.now);
  document.getElementById("clock-zone").textContent = state.zone + " (" + state.now.slice(23) + ")";
  document.getElementById("clock-source").textContent = clock.source + " clock";
  const move = document.getElementById("move-to");
  if (document.activeElement !== move && !move.dataset.edited) move.value = state.now;
}

function renderTenants(index) {
  const root = prefix.replace(/\/t\/[^/]+$/, "");
  const link = (name, href, current) =>
    h("li", {},
      h("a", { href, "aria-current": current ? "page" : null, "data-tenant": name ?? "" }, name ?? "default"));
  fill("tenants", [
    link(null, root + UI_SUFFIX, tenant === null),
    ...index.tenants.map((name) => link(name, root + "/t/" + encodeURIComponent(name) + UI_SUFFIX, name === tenant)),
  ]);
  const limits = index.limits;
  document.getElementById("limits").textContent =
    index.tenants.length + " of at most " + limits.maxTenants + " tenants; idle ones dropped after " +
    (limits.tenantIdleTimeout === null ? "never" : span(limits.tenantIdleTimeout));
}

function renderDefinitions(state) {
  const now = ms(state.now);
  fill("definitions", state.definitions.map((d) => {
    const next = d.nextFireTime ? show(d.nextFireTime) + " (in " + span((ms(d.nextFireTime) - now) / 1000) + ")"
      : "–";
    return h("tr", { "data-job": d.name },
      h("td", {}, d.name), h("td", {}, d.type), h("td", {}, d.company), h("td", {}, d.triggerState),
      h("td", {}, d.execSchedule || "once"), h("td", { class: "next-fire" }, next));
  }), "No job definitions yet: submit a job.", 6);
}

function renderTimeline(state) {
  const now = ms(state.now);
  const runs = state.runs.filter((r) => r.triggerTime);
  // Lanes: one per job, in the order jobs were defined, then jobs known only by their runs (follow-on jobs).
  const lanes = new Map();
  for (const d of state.definitions) lanes.set(d.name, { name: d.name, next: d.nextFireTime, runs: [] });
  for (const r of runs) {
    if (!lanes.has(r.jobName)) lanes.set(r.jobName, { name: r.jobName, next: null, runs: [] });
    lanes.get(r.jobName).runs.push(r);
  }
  if (!lanes.size) {
    fill("timeline", [], "No runs yet: runs appear here as the clock reaches their fire time.");
    return;
  }
  // The window: from the first fire to now (or the last end), never shorter than a minute, a little margin.
  let start = Math.min(now, ...runs.map((r) => ms(r.triggerTime)));
  let end = Math.max(now, ...runs.map((r) => ms(r.endedAt) || now));
  if (end - start < 60000) end = start + 60000;
  // A fire due soon (within half the window) is shown ahead of now; one further away is named in its lane.
  const soon = state.definitions.map((d) => ms(d.nextFireTime)).filter((t) => t > now && t - now <= (end - start) / 2);
  end = Math.max(end, ...soon);
  const margin = (end - start) * 0.03;
  start -= margin;
  end += margin;
  const x = (t) => ((t - start) / (end - start)) * 100;
  const zoneFormat = new Intl.DateTimeFormat("en-GB", {
    timeZone: state.zone, hour: "2-digit", minute: "2-digit", second: "2-digit", hourCycle: "h23",
    ...(end - start > 86400000 ? { month: "short", day: "numeric" } : {}),
  });

  const rows = [];
  for (const lane of lanes.values()) {
    const track = h("div", { class: "track" });
    for (const run of lane.runs) {
      const kind = runKind(run);
      const from = ms(run.triggerTime);
      const to = run.endedAt ? ms(run.endedAt) : now;
      const bar = h("div", {
        class: "run " + kind,
        "data-run": run.name,
        "data-outcome": kind,
        "data-progress": run.progress,
        title: run.name + "\n" + show(run.triggerTime) + " → " + (run.endedAt ? show(run.endedAt) : "now") +
          "\n" + (run.outcome || run.state + " " + run.progress + "%") +
          (run.progressMessage ? "\n" + run.progressMessage : ""),
      });
      bar.style.left = x(from) + "%";
      bar.style.width = Math.max(0, x(to) - x(from)) + "%";
      if (kind === "running") {
        const fillBar = h("div", { class: "fill" });
        fillBar.style.width = run.progress + "%";
        bar.append(fillBar);
      }
      const caption = { running: run.progress + "%", queued: run.state }[kind] ?? span((to - from) / 1000);
      bar.append(h("span", { class: "text" }, caption));
      track.append(bar);
    }
    if (lane.next && ms(lane.next) <= end) {
      const marker = h("div", { class: "marker", title: "next fire " + show(lane.next), "data-next": lane.next });
      marker.style.left = x(ms(lane.next)) + "%";
      track.append(marker);
    }
    const nowLine = h("div", { class: "nowline" });
    nowLine.style.left = x(now) + "%";
    track.append(nowLine);
    const label = h("div", { class: "lane-label", title: lane.name }, lane.name,
      h("span", { class: "meta" }, lane.runs.length + (lane.runs.length === 1 ? " run" : " runs") +
        (lane.next ? " · next " + show(lane.next).slice(5) : "")));
    rows.push(h("div", { class: "lane", "data-job": lane.name }, label, track));
  }
  const ticks = h("div", { class: "ticks" });
  for (const [i, t] of [start + margin, (start + end) / 2, end - margin].entries()) {
    const tick = h("span", { class: "tick" + (i === 0 ? " first" : i === 2 ? " last" : "") },
      zoneFormat.format(new Date(t)));
    tick.style.left = x(t) + "%";
    ticks.append(tick);
  }
  rows.push(h("div", { class: "axis" }, h("span", { class: "meta" }, "virtual time"), ticks));
  fill("timeline", rows);
}

function renderLogs(state) {
  const latest = state.logs.slice(-10).reverse();
  const open = new Set([...document.querySelectorAll("details.log[open]")].map((d) => d.dataset.log));
  fill("logs", latest.map((log) => {
    const kind = logOutcome(log);
    return h("details", { class: "log", "data-log": log.jobName, open: open.has(log.jobName) },
      h("summary", {},
        h("span", { class: "name" }, log.jobName), badge(kind),
        h("span", { class: "meta" }, log.logType + " · " + show(log.startDate) + " · ✓" + log.fileSuccessCount +
          " ⚠" + log.fileWarningCount + " ✗" + log.fileErrorCount + " · " + log.details + " details")),
      h("table", {}, h("tbody", {}, log.entries.map((e) =>
        h("tr", {}, h("td", { class: "time" }, show(e.date).slice(11)), h("td", {}, e.logType), h("td", {}, e.message),
          h("td", {}, e.assetName || ""))))));
  }), "No job logs yet.");
}

function renderOutbox(state) {
  fill("outbox", state.outbox.slice().reverse().map((n) =>
    h("tr", { "data-kind": n.kind },
      h("td", { class: "time" }, show(n.at)),
      h("td", { class: "nowrap" }, n.kind === "email" ? "e-mail" : "HTTP"),
      h("td", { class: "wrap" }, n.to),
      h("td", { class: "nowrap", title: n.runName }, n.jobName),
      h("td", {}, badge(n.outcome)),
      h("td", { class: "meta", title: n.kind === "email" ? "ips-mock records e-mails and never sends them"
        : "HTTP calls go to loopback (and allowed hosts) when the run ends" },
        n.kind === "email" ? "not sent" : (n.delivery || "pending")))),
  "Nothing to send yet.", 6);
}

function renderAssets(state) {
  const panel = document.getElementById("assets-panel");
  panel.hidden = !("assets" in state); // a state without a catalog (an older ips-mock) hides the panel
  if (panel.hidden) return;
  fill("assets", state.assets.map((a) =>
    h("tr", {}, h("td", {}, a.handle), h("td", {}, a.name), h("td", {}, a.type), h("td", {}, a.folder || ""))),
  "No assets.", 4);
}

// The journal may hold 20,000 requests: the page asks only for the newest rows it shows, of the chosen operation,
// and takes the counts from the state.
const JOURNAL_ROWS = 200;
const NO_OPERATION = "(none)"; // a request that named no operation (a 404, a bad envelope): "" in the API

function journalPath() {
  const chosen = document.getElementById("journal-filter").value;
  const params = new URLSearchParams({ last: JOURNAL_ROWS });
  if (chosen) params.set("operation", chosen === NO_OPERATION ? "" : chosen);
  return "/journal?" + params;
}

function renderJournal(state, entries) {
  const select = document.getElementById("journal-filter");
  const chosen = select.value;
  const counts = state.journal.operations;
  const options = Object.keys(counts).map((op) => [op || NO_OPERATION, counts[op]]).sort();
  const labels = options.map(([op, count]) => op + " (" + count + ")");
  if ([...select.options].slice(1).map((o) => o.textContent).join("\n") !== labels.join("\n")) {
    select.replaceChildren(h("option", { value: "" }, "all operations"),
      ...options.map(([op], i) => h("option", { value: op }, labels[i])));
    select.value = options.some(([op]) => op === chosen) ? chosen : "";
    if (select.value !== chosen) setTimeout(refresh, 0); // that operation is gone (a reset): ask for all
  }
  const total = state.journal.entries;
  const matching = chosen ? counts[chosen === NO_OPERATION ? "" : chosen] ?? 0 : total;
  document.getElementById("journal-count").textContent =
    matching + " of " + total + " requests" +
    (matching > entries.length ? " (newest " + entries.length + " shown)" : "") +
    (state.journal.dropped ? "; " + state.journal.dropped + " older ones let go" : "");
  fill("journal", entries.slice().reverse().map((e) =>
    h("tr", { "data-operation": e.operation || NO_OPERATION },
      h("td", { class: "num" }, e.seq),
      h("td", { class: "time" }, show(e.virtualTime)),
      h("td", {}, e.operation || NO_OPERATION),
      h("td", {}, e.caller || "–"), h("td", {}, badge(e.faultCode ? "fault" : "ok", String(e.status))),
      h("td", { title: e.faultReason || "" }, e.faultCode ? e.faultCode + (e.injected ? " (injected)" : "") : ""))),
  "No requests yet.", 6);
}

// ------------------------------------------------------------------------------------------------ loop

let lastText = "";
let timer = null;
let latestCall = 0; // a refresh started later (a filter change during a poll) wins over an earlier one

function setStatus(kind, text) {
  const status = document.getElementById("status");
  status.dataset.status = kind;
  status.textContent = text;
}

async function refresh() {
  clearTimeout(timer);
  const mine = ++latestCall;
  try {
    const [state, clock, index, entries] = await Promise.all([
      call("GET", "/state"), call("GET", "/clock"), call("GET", "/"), call("GET", journalPath()),
    ]);
    if (mine !== latestCall) return;
    document.getElementById("token-panel").hidden = true;
    const text = JSON.stringify([state, clock, index, entries]);
    if (text !== lastText) { // only a change re-renders: open log details and scroll positions stay
      lastText = text;
      renderClock(state, clock);
      renderTenants(index);
      renderTimeline(state);
      renderDefinitions(state);
      renderLogs(state);
      renderOutbox(state);
      renderAssets(state);
      renderJournal(state, entries);
    }
    setStatus("live", "live · " + new Date().toLocaleTimeString());
  } catch (error) {
    if (mine !== latestCall) return;
    if (error instanceof NeedsToken) {
      document.getElementById("token-panel").hidden = false;
      setStatus("error", "admin token needed");
      return; // no more polls until a token is given
    } else {
      setStatus("error", "cannot reach ips-mock: " + error.message);
    }
  }
  if (!document.hidden) timer = setTimeout(refresh, POLL_MS);
}

async function act(method, path, body) {
  const errorBox = document.getElementById("clock-error");
  try {
    await call(method, path, body);
    errorBox.hidden = true;
  } catch (error) {
    errorBox.textContent = error instanceof NeedsToken ? "admin token needed" : error.message;
    errorBox.hidden = false;
  }
  await refresh();
}

document.addEventListener("DOMContentLoaded", () => {
  document.getElementById("where").textContent = tenant === null ? "default fake" : "tenant " + tenant;
  document.title = "ips-mock · " + (tenant ?? "default");
  for (const button of document.querySelectorAll("button.advance")) {
    button.addEventListener("click", () => act("POST", "/clock/advance", { by: button.dataset.by }));
  }
  document.getElementById("advance-form").addEventListener("submit", (event) => {
    event.preventDefault();
    act("POST", "/clock/advance", { by: document.getElementById("advance-by").value.trim() });
  });
  const move = document.getElementById("move-to");
  move.addEventListener("input", () => { move.dataset.edited = "1"; });
  document.getElementById("move-form").addEventListener("submit", (event) => {
    event.preventDefault();
    delete move.dataset.edited;
    act("POST", "/clock/move_to", { to: move.value.trim() });
  });
  document.getElementById("journal-filter").addEventListener("change", () => refresh());
  document.getElementById("token-form").addEventListener("submit", (event) => {
    event.preventDefault();
    sessionStorage.setItem(TOKEN_KEY, document.getElementById("token-input").value);
    document.getElementById("token-input").value = "";
    refresh();
  });
  document.addEventListener("visibilitychange", () => { if (!document.hidden) refresh(); });
  refresh();
});
