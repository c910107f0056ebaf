// The nbaq dashboard: reads /api/status every refresh_ms and shows the
// checks grouped, worst first; an open check draws its run timeline
// (/api/timeline) and a chart per charted metric (/api/history and
// /api/marks). No library, nothing from elsewhere; every text from the
// server goes in through textContent.
"use strict";
(function () {
  const SVG = "http://www.w3.org/2000/svg";
  const CHART_REFRESH_MS = 60000;
  const OPEN_ALL_BELOW = 12; // with fewer checks every group starts open
  const TOKEN_KEY = "nbaq-token";
  const RANK = { PASS: 0, WARNING: 1, FAIL: 2, UNKNOWN: 3, ERROR: 4 };
  const SEVERITY_RANK = { INFO: 0, LOW: 1, MEDIUM: 2, HIGH: 3, CRITICAL: 4 };
  const state = {
    token: null, range: "24h", refreshMs: 10000, history: false, st: null,
    groups: new Map(), // check name -> group (see makeGroup)
    charts: new Map(), // key -> chart (see makeChart)
    asked: new Set(), // keys of metrics without a rule charted on request
    timer: null, observer: null, hashDone: false, alertShown: null,
  };

  const $ = (id) => document.getElementById(id);

  function el(tag, props, text) {
    const node = document.createElement(tag);
    if (props) for (const [k, v] of Object.entries(props)) node.setAttribute(k, v);
    if (text !== undefined && text !== null) node.textContent = String(text);
    return node;
  }

  function svgEl(tag, attrs, text) {
    const node = document.createElementNS(SVG, tag);
    for (const [k, v] of Object.entries(attrs || {})) node.setAttribute(k, String(v));
    if (text !== undefined) node.textContent = text;
    return node;
  }

  // ---- token and requests ---------------------------------------------------
  function initToken() {
    const m = /(?:^#|&)token=([^&]+)/.exec(location.hash);
    if (m) {
      sessionStorage.setItem(TOKEN_KEY, decodeURIComponent(m[1]));
      const rest = location.hash.replace(/(?:^#|&)token=[^&]+/, "").replace(/^&/, "");
      history.replaceState(null, "", location.pathname + (rest ? "#" + rest : ""));
    }
    state.token = sessionStorage.getItem(TOKEN_KEY);
    $("token-use").addEventListener("click", () => {
      const value = $("token").value.trim();
      if (!value) return;
      sessionStorage.setItem(TOKEN_KEY, value);
      state.token = value;
      $("token").value = "";
      $("auth").hidden = true;
      refresh();
    });
  }

  class Unauthorized extends Error {}

  async function api(path, options) {
    const headers = Object.assign({}, (options && options.headers) || {});
    if (state.token) headers.Authorization = "Bearer " + state.token;
    const response = await fetch(path, Object.assign({ cache: "no-store" }, options, { headers }));
    if (response.status === 401) throw new Unauthorized("token needed");
    const body = await response.json();
    if (!response.ok) throw new Error(body.error || "HTTP " + response.status);
    return body;
  }

  // ---- formatting -------------------------------------------------------------
  function ago(ms, now) {
    if (!ms) return "—";
    let s = Math.round((now - ms) / 1000);
    const future = s < 0;
    s = Math.abs(s);
    let text;
    if (s < 90) text = s + " s";
    else if (s < 5400) text = Math.round(s / 60) + " min";
    else if (s < 172800) text = Math.round(s / 3600) + " h";
    else text = Math.round(s / 86400) + " d";
    return future ? "in " + text : text + " ago";
  }

  function iso(ms) {
    return ms ? new Date(ms).toISOString().replace(".000Z", "Z") : "";
  }

  // "21:52Z" within a day, "11-28 21:52Z" beyond (UTC, as every time here).
  function shortTime(ms, span) {
    const text = new Date(ms).toISOString();
    return span <= 86400000 ? text.slice(11, 16) + "Z"
                            : text.slice(5, 10) + " " + text.slice(11, 16) + "Z";
  }

  function number(v) {
    if (typeof v === "string") return v; // NaN, +Inf, -Inf
    if (v === null || v === undefined || Number.isNaN(v)) return "—";
    if (Number.isInteger(v)) return v.toLocaleString("en");
    const a = Math.abs(v);
    if (a >= 1e6 || a < 1e-3) return v.toExponential(2);
    return String(Number(v.toPrecision(4)));
  }

  // A status as shape, word and colour: never colour alone.
  const SHAPES = {
    PASS: ["circle", { cx: 6, cy: 6, r: 5 }],
    WARNING: ["path", { d: "M6 .8l5.4 10.2H.6z" }],
    FAIL: ["rect", { x: 1, y: 1, width: 10, height: 10 }],
    ERROR: ["path", { d: "M4 .8h4L11.2 4v4L8 11.2H4L.8 8V4z" }],
    UNKNOWN: ["path", { d: "M6 .6L11.4 6 6 11.4.6 6z" }],
  };
  function shape(status) {
    const svg = svgEl("svg", { class: "ic", viewBox: "0 0 12 12", "aria-hidden": "true",
                               focusable: "false" });
    const [tag, attrs] = SHAPES[status] || ["circle", { cx: 6, cy: 6, r: 4.5, fill: "none",
                                                        stroke: "currentColor", "stroke-width": 1.5 }];
    svg.appendChild(svgEl(tag, Object.assign({ fill: "currentColor" }, attrs)));
    return svg;
  }

  function badge(status, cls) {
    const span = el("span", { class: "badge " + (cls || "status-" + (status || "none")) });
    if (!cls) span.appendChild(shape(status));
    span.appendChild(document.createTextNode((cls ? "" : " ") + (status || "PENDING")));
    return span;
  }

  function cell(label, content, cls) {
    const td = el("td", { "data-label": label });
    if (cls) td.className = cls;
    if (content instanceof Node) td.appendChild(content);
    else td.textContent = content;
    return td;
  }

  function rank(status) {
    return status in RANK ? RANK[status] : -1;
  }

  // ---- summary and alerts -------------------------------------------------------
  function renderSummary(st) {
    $("monitor").textContent = st.monitor;
    document.title = st.monitor + " · nbaq";
    const overall = $("overall");
    overall.replaceWith(Object.assign(badge(st.status), { id: "overall" }));
    const d = st.daemon;
    const counts = Object.entries(st.status_counts).filter(([, n]) => n > 0)
      .map(([s, n]) => n + " " + s).join(", ");
    const parts = [st.checks.length + " checks" + (counts ? " (" + counts + ")" : "")];
    if (d.rounds_running) parts.push(d.rounds_running + " round(s) running");
    if (d.last_round_finished_ms) parts.push("last round " + ago(d.last_round_finished_ms, st.generated_ms));
    if (d.stopping) parts.push("stopping");
    $("summary").textContent = parts.join(" · ");
    const problem = $("problem");
    if (d.last_reload && !d.last_reload.ok) {
      problem.textContent = "The last reload was rejected (" + iso(d.last_reload.at_ms) +
        "); the previous configuration runs on: " + d.last_reload.error;
      problem.hidden = false;
    } else {
      problem.hidden = true;
    }
    $("footer").textContent = "nbaq-host " + d.version + " · pid " + d.pid + " · up since " +
      iso(d.started_ms) + " · " + d.rounds + " rounds · config " + d.config +
      (d.actions ? " · actions on" : " · read-only");
  }

  // The members of a fleet on one PostgreSQL (docs/daemon.md): shown only
  // when there is one.
  function renderFleet(st) {
    const f = st.fleet;
    const section = $("fleet-section");
    section.hidden = !f || !f.shared;
    if (section.hidden) return;
    const alive = f.members.filter((m) => m.alive).length;
    const stale = f.checks.filter((c) => c.stale).map((c) => c.check);
    $("fleet-note").textContent = alive + " of " + f.members.length + " members alive · " +
      f.config_versions + " config version(s)" +
      (stale.length ? " · not run for 2 intervals: " + stale.join(", ") : "") +
      (f.connected ? "" : " · this member cannot reach the store: " + f.last_error);
    const body = $("fleet").tBodies[0];
    body.replaceChildren();
    for (const m of f.members) {
      const tr = el("tr");
      tr.appendChild(cell("Member", m.member + (m.self ? " (this one)" : ""), "name"));
      tr.appendChild(cell("State", m.alive ? "alive" : m.stopped_ms ? "stopped" : "not heartbeating"));
      const beat = cell("Last heartbeat", ago(m.heartbeat_ms, f.as_of_ms));
      beat.title = iso(m.heartbeat_ms);
      tr.appendChild(beat);
      tr.appendChild(cell("Config", m.same_config ? "same" : "differs (" + m.config_hash + ")"));
      tr.appendChild(cell("Runs claimed", String(m.claims)));
      body.appendChild(tr);
    }
  }

  function renderAlerts(st) {
    const list = $("alert-counts");
    list.replaceChildren();
    for (const [sev, n] of Object.entries(st.alerts.counts)) {
      const li = el("li");
      li.appendChild(badge(sev, "sev-" + sev));
      li.firstChild.textContent = sev;
      li.appendChild(el("span", null, n));
      list.appendChild(li);
    }
    const body = $("alerts").tBodies[0];
    body.replaceChildren();
    const active = [...st.alerts.active].sort((a, b) =>
      (SEVERITY_RANK[b.severity] || 0) - (SEVERITY_RANK[a.severity] || 0) ||
      b.started_ms - a.started_ms);
    for (const a of active) {
      const tr = el("tr", { "data-fingerprint": a.fingerprint });
      const sev = badge(a.severity, "sev-" + a.severity);
      sev.textContent = a.severity;
      tr.appendChild(cell("Severity", sev));
      const where = el("a", { href: "#" + (a.metric ? "metric=" + encodeURIComponent(a.check + "/" + a.metric)
                                                  : "check=" + encodeURIComponent(a.check)) },
                       a.check + (a.metric ? " / " + a.metric : ""));
      tr.appendChild(cell("Check", where, "name"));
      tr.appendChild(cell("Summary", a.summary, "message"));
      const since = cell("Since", ago(a.started_ms, st.generated_ms));
      since.title = iso(a.started_ms);
      tr.appendChild(since);
      tr.appendChild(cell("State", a.state));
      const open = el("button", { type: "button", class: "link" }, "Details");
      open.setAttribute("aria-label", "Details of the alert on " + a.check + (a.metric ? " / " + a.metric : ""));
      open.addEventListener("click", () => showAlert(a.fingerprint, true));
      tr.appendChild(cell("", open));
      body.appendChild(tr);
    }
    $("alerts").hidden = active.length === 0;
    $("no-alerts").hidden = active.length !== 0;
  }

  // ---- alert detail (and actions) -------------------------------------------------
  function definition(dl, term, value) {
    dl.appendChild(el("dt", null, term));
    const dd = el("dd");
    if (value instanceof Node) dd.appendChild(value); else dd.textContent = value;
    dl.appendChild(dd);
  }

  function simpleTable(caption, headers, rows) {
    const table = el("table", { class: "cards" });
    table.appendChild(el("caption", null, caption));
    const head = el("tr");
    for (const h of headers) head.appendChild(el("th", { scope: "col" }, h));
    table.appendChild(el("thead")).appendChild(head);
    const body = table.appendChild(el("tbody"));
    for (const row of rows) {
      const tr = el("tr");
      row.forEach((v, i) => tr.appendChild(cell(headers[i], v)));
      body.appendChild(tr);
    }
    if (rows.length === 0)
      body.appendChild(el("tr")).appendChild(el("td", { colspan: String(headers.length), class: "muted" }, "None."));
    return table;
  }

  function actionForm(a) {
    const form = el("form", { class: "actions", "aria-label": "Silence or acknowledge" });
    const who = el("input", { id: "act-by", type: "text", required: "", maxlength: "64", autocomplete: "name" });
    const until = el("select", { id: "act-until" });
    for (const [v, t] of [["1h", "1 hour"], ["4h", "4 hours"], ["24h", "1 day"], ["7d", "7 days"]])
      until.appendChild(el("option", { value: v }, t));
    const note = el("input", { id: "act-comment", type: "text", maxlength: "200" });
    const row = (id, text, input) => {
      const p = el("p");
      p.appendChild(el("label", { for: id }, text));
      p.appendChild(input);
      form.appendChild(p);
    };
    row("act-by", "Your name", who);
    row("act-until", "For", until);
    row("act-comment", "Comment", note);
    const result = $("alert-detail-status");
    const buttons = el("p");
    for (const [action, label] of [["silence", "Silence"], ["ack", "Acknowledge"]]) {
      const b = el("button", { type: "button", "data-action": action }, label);
      b.addEventListener("click", async () => {
        if (!who.value.trim()) { who.focus(); result.textContent = "Say who you are first."; return; }
        const q = new URLSearchParams({ by: who.value.trim(), until: until.value });
        if (note.value.trim()) q.set("comment", note.value.trim());
        try {
          const r = await api("/api/alerts/" + a.fingerprint + "/" + action + "?" + q.toString(), {
            method: "POST", headers: { "X-Nbaq-Csrf": state.st.daemon.csrf } });
          result.textContent = (action === "ack" ? "Acknowledged" : "Silenced") + " until " + iso(r.until_ms) + ".";
          showAlert(a.fingerprint, false);
        } catch (e) {
          result.textContent = "Refused: " + e.message;
        }
      });
      buttons.appendChild(b);
    }
    form.appendChild(buttons);
    return form;
  }

  async function showAlert(fingerprint, focus) {
    const section = $("alert-detail");
    if (state.alertShown !== fingerprint) $("alert-detail-status").textContent = "";
    state.alertShown = fingerprint;
    let a;
    try {
      a = await api("/api/alerts/" + encodeURIComponent(fingerprint));
    } catch (e) {
      handleError(e);
      return;
    }
    const body = $("alert-detail-body");
    body.replaceChildren();
    $("alert-detail-title").textContent = "Alert: " + a.check + (a.metric ? " / " + a.metric : "");
    const dl = el("dl", { class: "facts" });
    definition(dl, "Summary", a.summary);
    const sev = badge(a.severity, "sev-" + a.severity);
    sev.textContent = a.severity;
    definition(dl, "Severity", sev);
    definition(dl, "State", a.state + (a.open ? " (open)" : " (closed)") + (a.flapping ? ", flapping" : ""));
    definition(dl, "Since", iso(a.started_ms) + (a.ended_ms ? " until " + iso(a.ended_ms) : ""));
    definition(dl, "Failing runs", String(a.failing_runs));
    definition(dl, "Fingerprint", a.fingerprint);
    body.appendChild(dl);
    body.appendChild(simpleTable("Transitions", ["When", "What", "Detail"],
      a.transitions.map((t) => [iso(t.at_ms) || "—", t.event, t.detail])));
    // Newest first: every row of the outbox for this alert (pending,
    // delivered, failed, superseded), then channels notified earlier.
    body.appendChild(simpleTable("Notifications per channel",
      ["Channel", "Delivery", "Sent as", "Queued", "Delivered", "Attempts", "Last error"],
      a.notifications.map((n) => [n.channel, n.delivery, n.state || "—", iso(n.queued_ms) || "—",
                                  iso(n.delivered_ms || (n.delivery === "sent" ? n.at_ms : 0)) || "—",
                                  String(n.attempts), n.last_error || "—"])));
    body.appendChild(simpleTable("Silences", ["Scope", "Until", "Active", "Made", "Comment"],
      a.silences.map((s) => [s.scope, iso(s.until_ms), s.active ? "yes" : "no", iso(s.created_ms), s.comment])));
    if (state.st && state.st.daemon.actions && a.open) body.appendChild(actionForm(a));
    else if (a.open) body.appendChild(el("p", { class: "muted" },
      "Read-only: silence with nbaq-host alerts silence " + a.fingerprint + " --until 2h, or turn on daemon.actions."));
    section.hidden = false;
    if (focus) section.focus();
  }

  function initAlertDetail() {
    $("alert-detail-close").addEventListener("click", () => {
      $("alert-detail").hidden = true;
      state.alertShown = null;
    });
  }

  // ---- check groups ------------------------------------------------------------
  function checkOrder(a, b) {
    return rank(b.status) - rank(a.status) ||
      (SEVERITY_RANK[b.severity] || 0) - (SEVERITY_RANK[a.severity] || 0) ||
      (a.name < b.name ? -1 : a.name > b.name ? 1 : 0);
  }

  function makeGroup(c, openAtStart) {
    const details = el("details", { class: "group", id: "check-" + c.name, "data-check": c.name });
    const summary = el("summary");
    details.appendChild(summary);
    const body = el("div", { class: "gbody" });
    details.appendChild(body);
    const g = { details, summary, body, name: c.name, built: false, check: c,
                timeline: null, loadedAt: 0, timelineRun: null };
    details.addEventListener("toggle", () => {
      if (details.open) buildBody(g);
      refreshVisible();
    });
    details.open = openAtStart;
    return g;
  }

  function renderSummaryLine(g, c, now) {
    const s = g.summary;
    s.replaceChildren();
    s.appendChild(badge(c.status));
    s.appendChild(el("span", { class: "gname" }, c.name));
    s.appendChild(el("span", { class: "gmsg" }, c.message || (c.status ? "" : "not run yet")));
    const meta = [c.severity];
    meta.push(c.last_run_ms ? "ran " + ago(c.last_run_ms, now) : "not run yet");
    if (c.member) meta.push("on " + c.member);
    meta.push(c.running ? "running" : "next " + ago(c.next_run_ms, now));
    meta.push(c.metrics_total + " metric" + (c.metrics_total === 1 ? "" : "s"));
    s.appendChild(el("span", { class: "gmeta muted" }, meta.join(" · ")));
    g.details.dataset.status = c.status || "none";
  }

  function buildBody(g) {
    if (g.built) return;
    g.built = true;
    const c = g.check;
    const b = g.body;
    const link = el("p", { class: "glink" });
    link.appendChild(el("a", { href: "#check=" + encodeURIComponent(c.name) }, "Link to this check"));
    if (c.description) link.appendChild(el("span", { class: "muted" }, " · " + c.description));
    b.appendChild(link);
    const tl = el("figure", { class: "timeline" });
    tl.appendChild(el("figcaption", null, "Runs"));
    tl.appendChild(svgEl("svg", { class: "strip", viewBox: "0 0 360 26", preserveAspectRatio: "none",
                                  role: "img", "aria-label": "status of each run of " + c.name }));
    tl.appendChild(el("p", { class: "tl-text muted" }, state.history ? "Loading…" : "No history store."));
    b.appendChild(tl);
    g.timeline = tl;
    b.appendChild(el("div", { class: "charts" }));
    const others = el("details", { class: "others" });
    others.addEventListener("toggle", () => { if (others.open) renderOthers(g); });
    others.appendChild(el("summary"));
    const table = el("table", { class: "cards" });
    const head = el("tr");
    for (const h of ["Metric", "Value", "Status", ""]) head.appendChild(el("th", { scope: "col" }, h));
    table.appendChild(el("thead")).appendChild(head);
    table.appendChild(el("tbody"));
    others.appendChild(table);
    b.appendChild(others);
    b.appendChild(el("p", { class: "omitted muted" }));
    renderBody(g, c);
  }

  function chartKey(check, metric) {
    return JSON.stringify([check, metric]);
  }

  // The charted metrics as figures; the others in the list under them.
  function renderBody(g, c) {
    const charts = g.body.querySelector(".charts");
    const wanted = new Set();
    for (const m of c.metrics) {
      const key = chartKey(c.name, m.name);
      if (!m.chart && !state.asked.has(key)) continue;
      wanted.add(key);
      let chart = state.charts.get(key);
      if (!chart) {
        chart = makeChart(c.name, m);
        state.charts.set(key, chart);
      }
      chart.metric = m;
      if (chart.fig.parentNode !== charts) charts.appendChild(chart.fig);
      updateCaption(chart);
      const changed = chart.lastRun !== c.last_run_ms;
      chart.lastRun = c.last_run_ms;
      if (changed && chart.visible) loadChart(chart);
    }
    for (const fig of [...charts.children]) {
      const key = chartKey(fig.dataset.check, fig.dataset.metric);
      if (!wanted.has(key)) { forgetChart(key); }
    }
    const rest = c.metrics.filter((m) => !wanted.has(chartKey(c.name, m.name)));
    const others = g.body.querySelector(".others");
    others.hidden = rest.length === 0;
    others.querySelector("summary").textContent = rest.length + " other metric" +
      (rest.length === 1 ? "" : "s") + " (no rule; not charted)";
    g.rest = rest;
    if (others.open) renderOthers(g);
    const omitted = c.metrics_total - c.metrics.length;
    const note = g.body.querySelector(".omitted");
    note.hidden = omitted <= 0;
    note.textContent = omitted > 0 ? omitted + " more passing metrics are not listed (daemon.dashboard.max_metrics is " +
      state.st.daemon.max_metrics + "); /metrics has them all." : "";
    applyFilterTo(g);
  }

  // The list of metrics that are not charted, built when opened.
  function renderOthers(g) {
    const body = g.body.querySelector(".others tbody");
    body.replaceChildren();
    for (const m of g.rest) {
      const tr = el("tr", { "data-metric": m.name });
      tr.appendChild(cell("Metric", m.name, "name"));
      tr.appendChild(cell("Value", number(m.value) + (m.unit ? " " + m.unit : "")));
      tr.appendChild(cell("Status", badge(m.status)));
      const draw = el("button", { type: "button", class: "link" }, "Chart");
      draw.setAttribute("aria-label", "Chart " + m.name);
      draw.addEventListener("click", () => askChart(g.name, m.name));
      tr.appendChild(cell("", draw));
      body.appendChild(tr);
    }
  }

  // A metric without a rule, charted because someone asked (a click, a
  // deep link); its chart stays until the page reloads.
  function askChart(check, metric) {
    const key = chartKey(check, metric);
    const g = state.groups.get(check);
    if (!g) return null;
    state.asked.add(key);
    g.details.open = true;
    buildBody(g);
    renderBody(g, g.check);
    const chart = state.charts.get(key);
    if (!chart) return null;
    chart.fig.scrollIntoView({ block: "center" });
    chart.visible = true;
    loadChart(chart);
    return chart;
  }

  function forgetChart(key) {
    const chart = state.charts.get(key);
    if (!chart) return;
    if (state.observer) state.observer.unobserve(chart.fig);
    chart.fig.remove();
    state.charts.delete(key);
  }

  function renderGroups(st) {
    const container = $("groups");
    const order = [...st.checks].sort(checkOrder);
    const seen = new Set();
    const openAll = st.checks.length < OPEN_ALL_BELOW;
    let position = 0;
    for (const c of order) {
      seen.add(c.name);
      let g = state.groups.get(c.name);
      if (!g) {
        g = makeGroup(c, openAll || rank(c.status) > 0);
        state.groups.set(c.name, g);
      }
      g.check = c;
      renderSummaryLine(g, c, st.generated_ms);
      // Into worst-first order, moving only what is out of place.
      if (container.children[position] !== g.details)
        container.insertBefore(g.details, container.children[position] || null);
      position++;
      if (g.details.open) { buildBody(g); renderBody(g, c); }
    }
    for (const [name, g] of state.groups) {
      if (seen.has(name)) continue;
      g.details.remove();
      state.groups.delete(name);
    }
    $("no-checks").hidden = st.checks.length !== 0;
    $("no-history").hidden = st.daemon.history;
    applyFilter();
    refreshVisible();
  }

  // ---- filter and deep links ---------------------------------------------------
  function filterState() {
    return { q: $("filter").value.trim().toLowerCase(), status: $("status-filter").value };
  }

  function applyFilterTo(g, f) {
    f = f || filterState();
    const c = g.check;
    const statusOk = !f.status || (f.status === "not-pass" ? c.status !== "PASS" : c.status === f.status);
    const byName = !f.q || c.name.toLowerCase().includes(f.q) ||
      (c.status || "pending").toLowerCase() === f.q;
    const metricHits = f.q ? c.metrics.filter((m) => m.name.toLowerCase().includes(f.q) ||
                                                    (m.status || "").toLowerCase() === f.q) : [];
    const shown = statusOk && (byName || metricHits.length > 0);
    g.details.hidden = !shown;
    // Searching a metric narrows the charts of the check to it.
    const narrow = shown && !byName;
    for (const fig of g.body.querySelectorAll(".charts figure"))
      fig.hidden = narrow && !metricHits.some((m) => m.name === fig.dataset.metric);
    if (narrow && !g.details.open) { g.details.open = true; buildBody(g); }
    return shown;
  }

  function applyFilter() {
    const f = filterState();
    let any = false;
    for (const g of state.groups.values()) any = applyFilterTo(g, f) || any;
    $("no-match").hidden = any || state.groups.size === 0;
  }

  function followHash() {
    const hash = location.hash.replace(/^#/, "");
    const params = new URLSearchParams(hash);
    if (params.has("alert")) showAlert(params.get("alert"), true);
    const metric = params.get("metric");
    const check = params.get("check") || (metric ? metric.split("/")[0] : null);
    if (!check) return;
    const g = state.groups.get(check);
    if (!g) return;
    g.details.hidden = false;
    g.details.open = true;
    buildBody(g);
    if (metric) {
      const name = metric.slice(check.length + 1);
      const chart = state.charts.get(chartKey(check, name)) || askChart(check, name);
      if (chart) { chart.fig.scrollIntoView({ block: "center" }); chart.fig.focus(); return; }
    }
    g.details.scrollIntoView({ block: "start" });
    g.summary.focus();
  }

  function initFilter() {
    $("filter").addEventListener("input", applyFilter);
    $("status-filter").addEventListener("change", applyFilter);
    window.addEventListener("hashchange", followHash);
  }

  // ---- timelines ------------------------------------------------------------------
  // Fetches for one timeline or chart at a time (item.busy), for the
  // range chosen now; draws only if the range is still the same.
  async function loadFor(item, paths, draw) {
    if (!state.history || item.busy) return;
    item.busy = true;
    const range = state.range;
    try {
      const answers = await Promise.all(paths(range).map((p) => api(p)));
      if (range === state.range) draw(...answers);
      item.loadedAt = Date.now();
    } catch (e) {
      handleError(e);
    } finally {
      item.busy = false;
    }
  }

  function loadTimeline(g) {
    return loadFor(g, (range) => ["/api/timeline?" + new URLSearchParams({ check: g.name, since: range })],
                   (t) => drawTimeline(g, t));
  }

  // One mark per run: its colour, and its height (PASS low, ERROR full)
  // so that the strip reads without colour too.
  function drawTimeline(g, t) {
    const svg = g.timeline.querySelector("svg.strip");
    svg.replaceChildren();
    const W = 360, H = 26;
    const runs = t.runs;
    const counts = {};
    const start = runs.length ? Math.max(t.since_ms, runs[0][0]) : t.since_ms;
    const span = Math.max(1, t.until_ms - start);
    const width = Math.max(1.5, Math.min(8, W / Math.max(1, runs.length) * 0.8));
    for (const [ts, status] of runs) {
      counts[status] = (counts[status] || 0) + 1;
      const h = 6 + rank(status) * 5;
      const x = Math.min(W - width, (ts - start) / span * W);
      const r = svgEl("rect", { class: "run st-" + status, x: x.toFixed(1), y: H - h, width: width.toFixed(1), height: h });
      r.appendChild(svgEl("title", {}, iso(ts) + " " + status));
      svg.appendChild(r);
    }
    const text = runs.length ? runs.length + " runs in the last " + state.range + ": " +
      Object.entries(counts).sort((a, b) => rank(b[0]) - rank(a[0])).map(([s, n]) => n + " " + s).join(", ")
      : "No run in the last " + state.range + ".";
    g.timeline.querySelector(".tl-text").textContent = text;
    svg.setAttribute("aria-label", text);
  }

  // ---- charts -----------------------------------------------------------------------
  function makeChart(check, m) {
    const fig = el("figure", { class: "chart", "data-check": check, "data-metric": m.name, tabindex: "-1" });
    const caption = el("figcaption");
    caption.appendChild(el("span", { class: "title" }, m.name));
    caption.appendChild(el("span", { class: "latest" }));
    fig.appendChild(caption);
    fig.appendChild(svgEl("svg", { class: "chart", viewBox: "0 0 360 170", role: "img",
                                   "aria-label": check + " / " + m.name }));
    fig.appendChild(el("p", { class: "stats muted" }, state.history ? "Loading…" : ""));
    const chart = { fig, check, metric: m, lastRun: null, loadedAt: 0, visible: false, busy: false };
    if (state.observer) state.observer.observe(fig);
    return chart;
  }

  function updateCaption(chart) {
    const m = chart.metric;
    const latest = chart.fig.querySelector(".latest");
    latest.replaceChildren(el("span", null, number(m.value) + (m.unit ? " " + m.unit : "") + " "), badge(m.status));
  }

  function loadChart(chart) {
    return loadFor(chart, (range) => {
      const q = new URLSearchParams({ check: chart.check, metric: chart.metric.name, since: range });
      return ["/api/history?" + q, "/api/marks?" + q];
    }, (h, marks) => drawChart(chart, h, marks));
  }

  // A range a chart can draw: room around a constant series, 0..1 for zeros.
  function axisRange(lo, hi) {
    if (hi > lo) return [lo, hi];
    const pad = lo === 0 ? 1 : Math.abs(lo) * 0.1;
    return [lo >= 0 && lo - pad < 0 ? 0 : lo - pad, lo + pad];
  }

  function median(values) {
    const v = [...values].sort((a, b) => a - b);
    const n = v.length;
    return n % 2 ? v[(n - 1) / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
  }

  const BOUNDS = [["fail_above", "fail"], ["warn_above", "warn"], ["warn_below", "warn"], ["fail_below", "fail"]];

  // A point [ts, value, {lower, upper, anomalous}] judged on both sides.
  function hasBand(p) {
    return p[2] && typeof p[2].lower === "number" && typeof p[2].upper === "number";
  }

  // One shaded polygon per stretch of judged points (upper edge forwards,
  // lower edge back), as the HTML report draws history_band; a lone point
  // gets a sliver 4 px wide so that it shows.
  function drawBands(svg, points, x, y) {
    let stretch = [];
    const flush = () => {
      if (stretch.length === 0) return;
      // A lone point: the same point twice, 2 px either side.
      const edge = stretch.length === 1 ? [[stretch[0], -2], [stretch[0], 2]] : stretch.map((p) => [p, 0]);
      const up = edge.map(([p, dx]) => [x(p[0]) + dx, y(p[2].upper)]);
      const down = edge.map(([p, dx]) => [x(p[0]) + dx, y(p[2].lower)]).reverse();
      const poly = svgEl("polygon", { class: "band",
        points: up.concat(down).map((q) => q[0].toFixed(1) + "," + q[1].toFixed(1)).join(" ") });
      const last = stretch[stretch.length - 1][2];
      poly.appendChild(svgEl("title", {}, "expected band, " + stretch.length + " value" +
        (stretch.length > 1 ? "s" : "") + "; the latest " + number(last.lower) + " to " + number(last.upper)));
      svg.appendChild(poly);
      stretch = [];
    };
    for (const p of points) {
      if (hasBand(p)) stretch.push(p);
      else flush();
    }
    flush();
  }

  function drawChart(chart, h, marks) {
    const m = chart.metric;
    const svg = chart.fig.querySelector("svg.chart");
    svg.replaceChildren();
    const W = 360, H = 170, L = 52, R = 6, T = 10, B = 20;
    const finite = h.points.filter((p) => typeof p[1] === "number");
    const stats = chart.fig.querySelector(".stats");
    svg.appendChild(svgEl("line", { class: "axis", x1: L, y1: H - B, x2: W - R, y2: H - B }));
    if (finite.length === 0) {
      svg.appendChild(svgEl("text", { x: (L + W) / 2, y: H / 2, "text-anchor": "middle" },
        "no values in the last " + state.range));
      stats.textContent = "trend " + (m.trend || "unknown");
      return;
    }
    const values = finite.map((p) => p[1]);
    let lo = Math.min(...values), hi = Math.max(...values);
    const span = Math.max(hi - lo, Math.abs(hi) * 0.1, 1e-9);
    // Thresholds near the values widen the range; far ones are named only.
    const bounds = [], off = [];
    for (const [key, level] of BOUNDS) {
      const v = m.thresholds ? m.thresholds[key] : undefined;
      if (typeof v !== "number") continue;
      if (v >= lo - span && v <= hi + span) { bounds.push([key, level, v]); lo = Math.min(lo, v); hi = Math.max(hi, v); }
      else off.push(key + " " + number(v));
    }
    // Each value's expected band, as the history rules judged it then.
    const judged = h.points.filter(hasBand);
    for (const p of judged) { lo = Math.min(lo, p[2].lower); hi = Math.max(hi, p[2].upper); }
    [lo, hi] = axisRange(lo, hi);
    // From the first value when the history is shorter than the range.
    const start = Math.max(h.since_ms, h.points[0][0]);
    const tspan = Math.max(1, h.until_ms - start);
    const x = (t) => L + (t - start) / tspan * (W - L - R);
    const y = (v) => T + (hi - v) / (hi - lo) * (H - T - B);
    for (const e of marks.episodes) {
      const x0 = Math.max(L, x(e.start_ms)), x1 = Math.min(W - R, x(e.end_ms || h.until_ms));
      if (x1 <= x0) continue;
      const r = svgEl("rect", { class: "episode", x: x0.toFixed(1), y: T, width: Math.max(2, x1 - x0).toFixed(1),
                                height: H - T - B });
      r.appendChild(svgEl("title", {}, "alert " + e.severity + " from " + iso(e.start_ms) +
                                       (e.end_ms ? " to " + iso(e.end_ms) : ", still open")));
      svg.appendChild(r);
    }
    drawBands(svg, h.points, x, y);
    for (const [key, level, v] of bounds) {
      svg.appendChild(svgEl("line", { class: "bound " + level, x1: L, x2: W - R, y1: y(v).toFixed(1), y2: y(v).toFixed(1) }));
      svg.appendChild(svgEl("text", { class: "bound-label", x: W - R - 2, y: (y(v) - 2).toFixed(1), "text-anchor": "end" },
                            key + " " + number(v)));
    }
    let run = [];
    const flush = () => {
      if (run.length === 1) svg.appendChild(svgEl("circle", { class: "dot", cx: run[0][0], cy: run[0][1], r: 2.5 }));
      else if (run.length > 1) svg.appendChild(svgEl("polyline",
        { points: run.map((p) => p[0].toFixed(1) + "," + p[1].toFixed(1)).join(" ") }));
      run = [];
    };
    for (const p of h.points) {
      if (typeof p[1] === "number") run.push([x(p[0]), y(p[1])]);
      else flush(); // a gap where the value was not a number
    }
    flush();
    for (const [ts, v] of marks.flagged) {
      const c = svgEl("circle", { class: "flag", cx: x(ts).toFixed(1), cy: y(v).toFixed(1), r: 4.5 });
      c.appendChild(svgEl("title", {}, "flagged " + iso(ts) + ": " + number(v)));
      svg.appendChild(c);
    }
    const unit = m.unit ? " " + m.unit : "";
    svg.appendChild(svgEl("text", { class: "ylab", x: L - 4, y: T + 8, "text-anchor": "end" }, number(hi)));
    svg.appendChild(svgEl("text", { class: "ylab", x: L - 4, y: H - B, "text-anchor": "end" }, number(lo)));
    svg.appendChild(svgEl("text", { x: L, y: H - 5 }, shortTime(start, tspan)));
    svg.appendChild(svgEl("text", { x: W - R, y: H - 5, "text-anchor": "end" }, shortTime(h.until_ms, tspan)));
    const mean = values.reduce((a, b) => a + b, 0) / values.length;
    const parts = ["trend " + (m.trend || "unknown"), "mean " + number(mean) + unit,
                   "median " + number(median(values)) + unit,
                   h.count + " values" + (h.bucket_ms ? " (averaged)" : "")];
    if (marks.flagged.length) parts.push(marks.flagged.length + " flagged");
    if (marks.episodes.length) parts.push(marks.episodes.length + " alert episode" + (marks.episodes.length > 1 ? "s" : ""));
    if (off.length) parts.push(off.join(", ") + " (off the chart)");
    stats.textContent = parts.join(" · ");
    svg.setAttribute("aria-label", chart.check + " / " + m.name + ": " + stats.textContent);
    chart.fig.dataset.drawn = "true";
  }

  function refreshVisible() {
    const now = Date.now();
    for (const chart of state.charts.values()) {
      if (!chart.visible || chart.fig.closest("details:not([open])")) continue;
      if (now - chart.loadedAt > CHART_REFRESH_MS) loadChart(chart);
    }
    for (const g of state.groups.values()) {
      if (!g.details.open || g.details.hidden || !g.built) continue;
      const c = g.check;
      if (g.timelineRun !== c.last_run_ms || now - g.loadedAt > CHART_REFRESH_MS) {
        g.timelineRun = c.last_run_ms;
        loadTimeline(g);
      }
    }
  }

  function initRanges() {
    for (const button of document.querySelectorAll(".ranges button")) {
      button.addEventListener("click", () => {
        state.range = button.dataset.range;
        for (const b of document.querySelectorAll(".ranges button"))
          b.setAttribute("aria-pressed", String(b === button));
        for (const chart of state.charts.values()) chart.loadedAt = 0;
        for (const g of state.groups.values()) g.loadedAt = 0;
        refreshVisible();
      });
    }
    if ("IntersectionObserver" in window) {
      state.observer = new IntersectionObserver((entries) => {
        for (const entry of entries) {
          if (!entry.isIntersecting) continue;
          const fig = entry.target;
          const chart = state.charts.get(chartKey(fig.dataset.check, fig.dataset.metric));
          if (!chart) continue;
          chart.visible = true;
          state.observer.unobserve(fig);
          loadChart(chart);
        }
      }, { rootMargin: "200px" });
    }
  }

  // ---- the loop -------------------------------------------------------------------
  function handleError(e) {
    if (e instanceof Unauthorized) {
      $("auth").hidden = false;
      $("summary").textContent = "Waiting for a token.";
      return;
    }
    const problem = $("problem");
    problem.textContent = "Cannot read the daemon: " + e.message;
    problem.hidden = false;
  }

  async function refresh() {
    clearTimeout(state.timer);
    try {
      const st = await api("/api/status");
      state.st = st;
      state.refreshMs = st.daemon.refresh_ms || state.refreshMs;
      state.history = st.daemon.history;
      renderSummary(st);
      renderFleet(st);
      renderAlerts(st);
      renderGroups(st);
      if (!state.hashDone) { state.hashDone = true; followHash(); }
      if (!document.body.dataset.renderedMs) // bench/dashboard reads it
        document.body.dataset.renderedMs = String(Math.round(performance.now()));
      document.body.dataset.loaded = "true";
    } catch (e) {
      handleError(e);
    }
    state.timer = setTimeout(refresh, state.refreshMs);
  }

  document.addEventListener("DOMContentLoaded", () => {
    initToken();
    initRanges();
    initFilter();
    initAlertDetail();
    refresh();
  });
})();
