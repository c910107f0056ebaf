// The nbaq dashboard: reads /api/status every refresh_ms, draws one chart
// per metric from /api/history. No library, nothing from elsewhere; every
// text from the server goes in through textContent.
"use strict";
(function () {
  const SVG = "http://www.w3.org/2000/svg";
  const EAGER_CHARTS = 12; // drawn at once; the others when scrolled to
  const CHART_REFRESH_MS = 60000;
  const TOKEN_KEY = "nbaq-token";
  const state = {
    token: null, range: "24h", refreshMs: 10000, history: false,
    charts: new Map(), // key -> {fig, check, metric, unit, lastRun, loadedAt, visible, busy}
    timer: null, observer: null,
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

  // ---- token -------------------------------------------------------------
  function initToken() {
    const m = /(?:^#|&)token=([^&]+)/.exec(location.hash);
    if (m) {
      sessionStorage.setItem(TOKEN_KEY, decodeURIComponent(m[1]));
      history.replaceState(null, "", location.pathname); // off the address bar
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

  async function api(path) {
    const headers = {};
    if (state.token) headers.Authorization = "Bearer " + state.token;
    const response = await fetch(path, { headers, cache: "no-store" });
    if (response.status === 401) throw new Unauthorized("token needed");
    const body = await response.json();
    if (!response.ok) throw new Error(body.error || "HTTP " + response.status);
    return body;
  }

  // ---- formatting --------------------------------------------------------
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

  // "21:52:19" within a day, "11-28 21:52" beyond (UTC, as every time here).
  function shortTime(ms, span) {
    const text = new Date(ms).toISOString();
    return span <= 86400000 ? text.slice(11, 19) + "Z"
                            : text.slice(5, 10) + " " + text.slice(11, 16) + "Z";
  }

  function number(v) {
    if (typeof v === "string") return v; // NaN, +Inf, -Inf
    if (v === null || v === undefined) return "—";
    if (Number.isInteger(v)) return v.toLocaleString("en");
    return Math.abs(v) >= 1e6 || Math.abs(v) < 1e-3 ? v.toExponential(3)
                                                      : v.toPrecision(4);
  }

  function badge(status, cls) {
    const text = status || "PENDING";
    return el("span", { class: "badge " + (cls || "status-" + (status || "none")) }, text);
  }

  function cell(label, content, cls) {
    const td = el("td", { "data-label": label });
    if (cls) td.className = cls;
    if (content instanceof Node) td.appendChild(content);
    else td.textContent = content;
    return td;
  }

  // ---- status ------------------------------------------------------------
  function renderSummary(st) {
    $("monitor").textContent = st.monitor;
    document.title = st.monitor + " · nbaq";
    const overall = $("overall");
    overall.textContent = st.status || "PENDING";
    overall.className = "badge status-" + (st.status || "none");
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
      iso(d.started_ms) + " · " + d.rounds + " rounds · config " + d.config;
  }

  function renderAlerts(st) {
    const list = $("alert-counts");
    list.replaceChildren();
    for (const [sev, n] of Object.entries(st.alerts.counts)) {
      const li = el("li");
      li.appendChild(badge(sev, "sev-" + sev));
      li.appendChild(el("span", null, n));
      list.appendChild(li);
    }
    const body = $("alerts").tBodies[0];
    body.replaceChildren();
    const order = ["CRITICAL", "HIGH", "MEDIUM", "LOW", "INFO"];
    const active = [...st.alerts.active].sort((a, b) =>
      order.indexOf(a.severity) - order.indexOf(b.severity) || b.started_ms - a.started_ms);
    for (const a of active) {
      const tr = el("tr");
      tr.appendChild(cell("Severity", badge(a.severity, "sev-" + a.severity)));
      tr.appendChild(cell("Check", a.check + (a.metric ? " / " + a.metric : ""), "name"));
      tr.appendChild(cell("Summary", a.summary, "message"));
      const since = cell("Since", ago(a.started_ms, st.generated_ms));
      since.title = iso(a.started_ms);
      tr.appendChild(since);
      tr.appendChild(cell("State", a.state));
      body.appendChild(tr);
    }
    $("alerts").hidden = active.length === 0;
    $("no-alerts").hidden = active.length !== 0;
  }

  function renderChecks(st) {
    const body = $("checks").tBodies[0];
    body.replaceChildren();
    for (const c of st.checks) {
      const tr = el("tr", { "data-check": c.name });
      tr.appendChild(cell("Status", badge(c.status)));
      const name = cell("Check", c.name, "name");
      if (c.description) name.title = c.description;
      tr.appendChild(name);
      tr.appendChild(cell("Message", c.message, "message"));
      const last = cell("Last run", c.last_run_ms
        ? ago(c.last_run_ms, st.generated_ms) + " (" + c.duration_ms + " ms)" : "not yet");
      last.title = iso(c.last_run_ms);
      tr.appendChild(last);
      const next = c.running ? el("span", { class: "running" }, "running")
                             : ago(c.next_run_ms, st.generated_ms);
      tr.appendChild(cell("Next run", next));
      body.appendChild(tr);
    }
    $("no-checks").hidden = st.checks.length !== 0;
  }

  // ---- charts ------------------------------------------------------------
  function chartKey(check, metric) {
    return JSON.stringify([check, metric]);
  }

  function renderCharts(st) {
    $("no-history").hidden = st.daemon.history;
    const wanted = new Set();
    const container = $("charts");
    let index = 0;
    for (const c of st.checks) {
      for (const m of c.metrics) {
        const key = chartKey(c.name, m.name);
        wanted.add(key);
        let chart = state.charts.get(key);
        if (!chart) {
          const fig = el("figure", { "data-check": c.name, "data-metric": m.name });
          const caption = el("figcaption");
          caption.appendChild(el("span", { class: "title" }, c.name + " / " + m.name));
          caption.appendChild(el("span", { class: "latest muted" }));
          fig.appendChild(caption);
          fig.appendChild(svgEl("svg", { class: "chart", viewBox: "0 0 360 150",
            role: "img", "aria-label": c.name + " / " + m.name }));
          container.appendChild(fig);
          chart = { fig, check: c.name, metric: m.name, lastRun: null, loadedAt: 0,
                    visible: index < EAGER_CHARTS, busy: false };
          state.charts.set(key, chart);
          if (state.observer && index >= EAGER_CHARTS) state.observer.observe(fig);
        }
        chart.unit = m.unit;
        chart.fig.querySelector(".latest").textContent =
          number(m.value) + (m.unit ? " " + m.unit : "") + " · " + m.status;
        const changed = chart.lastRun !== c.last_run_ms;
        chart.lastRun = c.last_run_ms;
        if (st.daemon.history && chart.visible &&
            (changed || Date.now() - chart.loadedAt > CHART_REFRESH_MS)) loadChart(chart);
        index++;
      }
    }
    for (const [key, chart] of state.charts) {
      if (wanted.has(key)) continue;
      if (state.observer) state.observer.unobserve(chart.fig);
      chart.fig.remove();
      state.charts.delete(key);
    }
  }

  async function loadChart(chart) {
    if (chart.busy) return;
    chart.busy = true;
    const range = state.range;
    try {
      const q = new URLSearchParams({ check: chart.check, metric: chart.metric, since: range });
      const h = await api("/api/history?" + q.toString());
      if (range === state.range) drawChart(chart, h);
      chart.loadedAt = Date.now();
    } catch (e) {
      handleError(e);
    } finally {
      chart.busy = false;
    }
  }

  function drawChart(chart, h) {
    const svg = chart.fig.querySelector("svg");
    svg.replaceChildren();
    const W = 360, H = 150, L = 4, R = 4, T = 16, B = 18;
    const finite = h.points.filter((p) => typeof p[1] === "number");
    svg.appendChild(svgEl("line", { class: "axis", x1: L, y1: H - B, x2: W - R, y2: H - B }));
    if (finite.length === 0) {
      svg.appendChild(svgEl("text", { x: W / 2, y: H / 2, "text-anchor": "middle" },
        "no values in the last " + state.range));
      return;
    }
    let lo = Math.min(...finite.map((p) => p[1]));
    let hi = Math.max(...finite.map((p) => p[1]));
    if (lo === hi) { lo -= 1; hi += 1; }
    // From the first value when the history is shorter than the range.
    const start = Math.max(h.since_ms, h.points[0][0]);
    const x = (t) => L + (t - start) / Math.max(1, h.until_ms - start) * (W - L - R);
    const y = (v) => T + (hi - v) / (hi - lo) * (H - T - B);
    let run = [];
    const flush = () => {
      if (run.length === 1) svg.appendChild(svgEl("circle", { cx: run[0][0], cy: run[0][1], r: 2.5 }));
      else if (run.length > 1) svg.appendChild(svgEl("polyline",
        { points: run.map((p) => p[0].toFixed(1) + "," + p[1].toFixed(1)).join(" ") }));
      run = [];
    };
    for (const p of h.points) {
      if (typeof p[1] === "number") run.push([x(p[0]), y(p[1])]);
      else flush(); // a gap where the value was not a number
    }
    flush();
    const unit = chart.unit ? " " + chart.unit : "";
    svg.appendChild(svgEl("text", { x: L, y: 12 }, "max " + number(hi) + unit));
    svg.appendChild(svgEl("text", { x: W - R, y: 12, "text-anchor": "end" },
      "min " + number(lo) + unit + " · " + h.count + " values"));
    const span = h.until_ms - start;
    svg.appendChild(svgEl("text", { x: L, y: H - 5 }, shortTime(start, span)));
    svg.appendChild(svgEl("text", { x: W - R, y: H - 5, "text-anchor": "end" },
      shortTime(h.until_ms, span)));
  }

  function initRanges() {
    for (const button of document.querySelectorAll(".ranges button")) {
      button.addEventListener("click", () => {
        state.range = button.dataset.range;
        for (const b of document.querySelectorAll(".ranges button"))
          b.setAttribute("aria-pressed", String(b === button));
        if (!state.history) return;
        for (const chart of state.charts.values()) if (chart.visible) loadChart(chart);
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
          if (state.history) loadChart(chart);
        }
      }, { rootMargin: "200px" });
    }
  }

  // ---- the loop ----------------------------------------------------------
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
      state.refreshMs = st.daemon.refresh_ms || state.refreshMs;
      state.history = st.daemon.history;
      renderSummary(st);
      renderAlerts(st);
      renderChecks(st);
      renderCharts(st);
      document.body.dataset.loaded = "true";
    } catch (e) {
      handleError(e);
    }
    state.timer = setTimeout(refresh, state.refreshMs);
  }

  document.addEventListener("DOMContentLoaded", () => {
    initToken();
    initRanges();
    refresh();
  });
})();
