// kaohe workbench: the results beyond the ranking — the roll-up by
// responsible unit, the charts (SVG drawn by the server, shown as images),
// the spec's tests, and the comparison of two versions with the effect on
// the uploaded data — and the room the official table gets (a resizable
// split and a full-width view). app.js calls window.kaoheResults.scored()
// after an upload is scored and .entity() when a unit's page is shown.
// Every text from a spec or data goes into the page with textContent.
"use strict";

(function () {
  const W = {
    zh: {
      tabUnits: "责任单位汇总", tabCharts: "图表", tabTests: "测试", tabDiff: "版本对比",
      wide: "全宽显示", narrow: "恢复分栏", unitsNone: "请先在“计分”中上传数据。",
      unit: "责任单位", atStake: "分值合计", lost: "失分合计", losing: "失分的被考核单位数", vetoes: "否决次数",
      unitsOf: "共 {n} 个被考核单位，按规则文件中责任单位首次出现的顺序。",
      results: "结果", byUnit: "按责任单位", shared: "共同负责", lead: "牵头", supporting: "配合",
      runTests: "运行测试", testsOf: "按编辑器中的规则文本（含未保存的修改）运行 {file} 中的用例", passed: "通过", failed: "失败",
      expected: "预期", actual: "实际", case: "用例", noTests: "尚未运行",
      compareWith: "与此比较：", history: "历史版本", otherFile: "其他规则文件", compare: "比较",
      withData: "（编辑器中的文本与所选版本比较，使用已上传的数据（{files}）计算各单位得分变化）", noData: "（编辑器中的文本与所选版本比较；未上传数据：只列出规则的变化）",
      changes: "规则的变化", noChanges: "两个版本的考核事项没有变化", entity: "被考核单位",
      oldTotal: "原总分", newTotal: "新总分", change: "变化", itemChanges: "事项得分变化", noDataYet: "暂无数据",
      working: "正在计算…", chartAlt: "图表", veto: "否决",
    },
    en: {
      tabUnits: "By responsible unit", tabCharts: "Charts", tabTests: "Tests", tabDiff: "Compare versions",
      wide: "Full width", narrow: "Split view", unitsNone: "Upload data under Scores first.",
      unit: "Responsible unit", atStake: "Points at stake", lost: "Points lost", losing: "Units losing points", vetoes: "Vetoes",
      unitsOf: "Over {n} assessed units, in the order the spec first names the responsible units.",
      results: "Results", byUnit: "By responsible unit", shared: "shared", lead: "lead", supporting: "supporting",
      runTests: "Run the tests", testsOf: "Runs the cases of {file} on the text in the editor (unsaved changes included)", passed: "passed", failed: "failed",
      expected: "Expected", actual: "Actual", case: "Case", noTests: "Not run yet",
      compareWith: "Compare with:", history: "Earlier versions", otherFile: "Other specs", compare: "Compare",
      withData: "(the text in the editor against the version chosen; the uploaded data ({files}) shows each unit's change in points)", noData: "(the text in the editor against the version chosen; no data uploaded: the spec's changes only)",
      changes: "Changes to the spec", noChanges: "The two versions' items are the same", entity: "Assessed unit",
      oldTotal: "Old total", newTotal: "New total", change: "Change", itemChanges: "Items whose score changed", noDataYet: "no data yet",
      working: "Working…", chartAlt: "chart", veto: "veto",
    },
  };
  const st = { spec: null, file: null, files: [], parts: null, lang: "zh", urls: [], split: null, eval: null, drawn: null };
  const $ = (id) => document.getElementById(id);
  const lang = () => localStorage.getItem("kaohe.lang") || "zh";
  const w = (key, args) => {
    let s = W[lang()][key] || key;
    for (const [k, v] of Object.entries(args || {})) s = s.replace("{" + k + "}", String(v));
    return s;
  };
  function el(tag, text, cls) {
    const e = document.createElement(tag);
    if (text !== undefined && text !== null) e.textContent = String(text);
    if (cls) e.className = cls;
    return e;
  }
  function row(cells, head) {
    const tr = el("tr");
    for (const c of cells) {
      const td = el(head ? "th" : "td", c && c.text !== undefined ? c.text : c, c && c.cls ? c.cls : undefined);
      tr.append(td);
    }
    return tr;
  }
  async function post(url, body, json) {
    const headers = { "X-Kaohe": "1" };
    let payload = body;
    if (json) { headers["Content-Type"] = "application/json"; payload = JSON.stringify(body); }
    return fetch(url, { method: "POST", headers, body: payload, credentials: "same-origin" });
  }
  async function refusal(r) {
    try {
      const j = await r.json();
      const e = lang() === "en" ? j.error_en : j.error;
      const lines = [e ? window.kaoheApp.told(e, lang()) : String(r.status)];
      for (const d of j.diagnostics || []) lines.push(`${d.code} ${d.file ? d.file + ": " : ""}${d.message}`);
      return lines;
    } catch (_) {
      return [String(r.status)];
    }
  }
  function say(box, lines, cls) {
    box.replaceChildren();
    for (const l of lines) box.append(el("p", l, cls || "sev-error"));
  }
  function translate() {
    document.querySelectorAll("[data-rt]").forEach((e) => { e.textContent = w(e.dataset.rt); });
    const b = $("wide-btn");
    if (b) b.textContent = document.body.classList.contains("wide") ? w("narrow") : w("wide");
  }

  // ------------------------------------------------ room for the table
  // A handle between the editor and the side pane sets their widths (kept
  // in the browser); "Full width" gives the side pane the whole page.
  function split() {
    const main = document.querySelector("main");
    const side = $("side-pane");
    if (!main || !side) return;
    const handle = $("split");
    if (!handle) return;
    const apply = (px) => {
      st.split = px;
      main.style.gridTemplateColumns = px
        ? `14em minmax(16em, 1fr) 6px minmax(20em, ${px}px)`
        : "";
    };
    const saved = Number(localStorage.getItem("kaohe.split") || 0);
    if (saved > 0) apply(saved);
    let dragging = false;
    handle.addEventListener("pointerdown", (ev) => { dragging = true; handle.setPointerCapture(ev.pointerId); });
    handle.addEventListener("pointermove", (ev) => {
      if (!dragging) return;
      const px = Math.max(320, Math.min(window.innerWidth - 420, window.innerWidth - ev.clientX));
      apply(Math.round(px));
    });
    handle.addEventListener("pointerup", () => {
      dragging = false;
      if (st.split) localStorage.setItem("kaohe.split", String(st.split));
    });
    handle.addEventListener("keydown", (ev) => {
      const now = st.split || side.getBoundingClientRect().width;
      if (ev.key === "ArrowLeft") apply(Math.round(now + 40));
      else if (ev.key === "ArrowRight") apply(Math.max(320, Math.round(now - 40)));
      else return;
      ev.preventDefault();
      localStorage.setItem("kaohe.split", String(st.split));
    });
    $("wide-btn").addEventListener("click", () => {
      document.body.classList.toggle("wide");
      translate();
    });
  }

  // ------------------------------------------------ tabs
  const mine = ["units", "charts", "tests", "diff"];
  function tabs() {
    document.querySelectorAll("[data-tab]").forEach((b) => b.addEventListener("click", () => {
      for (const m of mine) $("tab-" + m).hidden = b.dataset.tab !== m;
      if (mine.includes(b.dataset.tab)) {
        // app.js shows its own tabs; this hides them for ours.
        document.querySelectorAll("[data-tab]").forEach((x) => x.classList.toggle("on", x === b));
        for (const other of ["table", "score"]) { const t = $("tab-" + other); if (t) t.hidden = true; }
      }
      if (b.dataset.tab === "diff") diffChoices();
      if (b.dataset.tab === "units" || b.dataset.tab === "charts") draw();
    }));
  }

  // ------------------------------------------------ roll-up and charts
  // An upload scored: the roll-up and charts are asked of the result the
  // server keeps (no second upload) when their tab is first opened.
  function scored(ask) {
    st.spec = ask.spec; st.file = ask.file; st.files = ask.files || []; st.parts = ask.parts; st.eval = ask.eval; st.drawn = null;
    say($("units-body"), [w("working")], "muted"); say($("charts-body"), [w("working")], "muted");
    const open = document.querySelector("[data-tab].on");
    if (open && (open.dataset.tab === "units" || open.dataset.tab === "charts")) draw();
  }

  async function draw() {
    const ev = st.eval;
    if (!ev || st.drawn === ev) return;
    st.drawn = ev;
    const box = $("units-body"), charts = $("charts-body");
    const r = await post("/api/results?result=" + encodeURIComponent(ev.result) + "&lang=" + lang(), new Blob([]), false);
    if (st.eval !== ev) return;
    if (!r.ok) { const lines = await refusal(r); say(box, lines); say(charts, lines); st.drawn = null; return; }
    const j = await r.json();
    units(j);
    pictures(j.charts);
  }

  function units(j) {
    const box = $("units-body");
    box.replaceChildren();
    box.append(el("p", w("unitsOf", { n: j.entities }), "muted"));
    const t = el("table");
    t.id = "units-table";
    const head = el("thead");
    head.append(row([w("unit"), w("atStake"), w("lost"), w("losing"), w("vetoes")], true));
    const body = el("tbody");
    for (const u of j.units) {
      body.append(row([u.unit, { text: u.at_stake, cls: "num" }, { text: u.lost, cls: "num" + (u.lost !== "0.00" ? " lost" : "") },
        { text: u.entities_losing, cls: "num" }, { text: u.vetoes, cls: "num" }]));
    }
    t.append(head, body);
    box.append(t);
  }

  function pictures(charts) {
    const box = $("charts-body");
    box.replaceChildren();
    for (const u of st.urls) URL.revokeObjectURL(u);
    st.urls = [];
    for (const kind of ["totals", "sections", "units"]) {
      const svg = charts[kind];
      if (!svg) continue;
      // An <img> of an SVG runs no script and loads nothing.
      const url = URL.createObjectURL(new Blob([svg], { type: "image/svg+xml" }));
      st.urls.push(url);
      const fig = el("figure");
      const img = el("img", null, "chart");
      img.id = "chart-" + kind;
      img.src = url;
      const title = new DOMParser().parseFromString(svg, "image/svg+xml").querySelector("title");
      img.alt = title ? title.textContent : w("chartAlt");
      fig.append(img);
      box.append(fig);
    }
  }

  // A unit's page: its named results and its roll-up, from the report's JSON.
  function entity(e) {
    const box = $("entity-extra");
    if (!box) return;
    box.replaceChildren();
    if (e.results && e.results.length) {
      box.append(el("h4", w("results")));
      const t = el("table");
      t.id = "entity-results";
      for (const r of e.results) t.append(row([r.name, r.value || "—", { text: r.reason, cls: "muted" }]));
      box.append(t);
    }
    if (e.units && e.units.length) {
      box.append(el("h4", w("byUnit")));
      const t = el("table");
      t.id = "entity-units";
      t.append(row([w("unit"), w("atStake"), w("lost"), ""], true));
      for (const u of e.units) {
        const items = u.items.filter((i) => i.lost !== "0.00" || i.vetoed).map((i) => {
          const role = i.role ? w(i.role) : i.shared ? w("shared") : "";
          return i.id + " " + i.lost + (role ? "（" + role + "）" : "");
        });
        if (u.vetoed && u.vetoed.length) items.unshift(w("veto") + " " + u.vetoed.join(", "));
        t.append(row([u.unit, { text: u.at_stake, cls: "num" }, { text: u.lost, cls: "num" + (u.lost !== "0.00" ? " lost" : "") }, items.join("；")]));
      }
      box.append(t);
    }
  }

  // ------------------------------------------------ tests
  async function runTests() {
    const box = $("tests-body");
    const spec = currentSpec();
    if (!spec) return;
    say(box, [w("working")], "muted");
    // The text in the editor, as scoring takes it (unsaved changes too).
    const text = typeof KaoheEditor !== "undefined" ? KaoheEditor.text() : undefined;
    const r = await post("/api/tests", { path: spec, lang: lang(), text }, true);
    if (!r.ok) { say(box, await refusal(r)); return; }
    const j = await r.json();
    box.replaceChildren();
    box.append(el("p", w("testsOf", { file: j.file }), "muted"));
    const sum = el("p", `${w("passed")} ${j.passed} · ${w("failed")} ${j.failed}`, j.failed ? "sev-error" : "ok");
    sum.id = "tests-summary";
    box.append(sum);
    const t = el("table");
    t.id = "tests-table";
    t.append(row(["", w("case"), w("expected"), w("actual")], true));
    for (const c of j.cases) {
      const tr = el("tr", null, c.ok ? "pass" : "fail");
      tr.append(el("td", c.ok ? "✓ " + w("passed") : "✗ " + w("failed"), c.ok ? "ok" : "sev-error"));
      const name = el("td", c.name);
      for (const f of c.failures) name.append(el("div", f, "help"));
      tr.append(name);
      tr.append(el("td", brief(c.expected), "mono"), el("td", brief(c.actual, c.expected), "mono"));
      t.append(tr);
    }
    box.append(t);
  }
  // An expectation or an actual result in a few lines: the keys expected
  // (for the actual, only those the case expects).
  function brief(v, like) {
    if (v === null || v === undefined) return "—";
    const keys = Object.keys(like || v);
    const out = [];
    for (const k of keys) {
      if (!(k in v)) continue;
      const x = v[k];
      if (x && typeof x === "object") {
        const inner = Object.keys((like && like[k]) || x).filter((i) => i in x).map((i) => `${i}: ${x[i]}`);
        out.push(`${k}: {${inner.join(", ")}}`);
      } else out.push(`${k}: ${x}`);
    }
    return out.join("\n");
  }

  // ------------------------------------------------ compare versions
  function currentSpec() {
    const on = document.querySelector("#files li.on");
    return on ? on.dataset.path : null;
  }
  async function diffChoices() {
    const spec = currentSpec();
    const sel = $("diff-old");
    if (!spec || !sel) return;
    sel.replaceChildren();
    const hist = el("optgroup"); hist.label = w("history");
    const r = await fetch("/api/history?path=" + encodeURIComponent(spec), { credentials: "same-origin" });
    if (r.ok) {
      for (const v of (await r.json()).versions) {
        const o = el("option", new Date(v.saved_ms).toLocaleString(lang() === "zh" ? "zh-CN" : "en"));
        o.value = JSON.stringify({ old: spec, id: v.id });
        hist.append(o);
      }
    }
    const files = el("optgroup"); files.label = w("otherFile");
    const f = await fetch("/api/files", { credentials: "same-origin" });
    if (f.ok) {
      for (const x of (await f.json()).files) {
        if (x.kind !== "spec" || x.path === spec) continue;
        const o = el("option", x.path);
        o.value = JSON.stringify({ old: x.path });
        files.append(o);
      }
    }
    if (hist.children.length) sel.append(hist);
    if (files.children.length) sel.append(files);
    $("diff-note").textContent = st.files.length ? w("withData", { files: st.files.map((f) => f.name).join(", ") }) : w("noData");
  }

  async function compare() {
    const spec = currentSpec();
    const box = $("diff-body");
    const sel = $("diff-old");
    if (!spec || !sel.value) return;
    const pick = JSON.parse(sel.value);
    let q = "?old=" + encodeURIComponent(pick.old) + "&new=" + encodeURIComponent(spec) + "&lang=" + lang();
    if (pick.id) q += "&old_id=" + encodeURIComponent(pick.id);
    say(box, [w("working")], "muted");
    // The new version is the text in the editor (a draft, as scoring
    // sends it); the data every file uploaded, as /api/eval took them.
    const draft = window.kaoheApp ? await window.kaoheApp.draft() : null;
    if (draft && draft.refused) {
      const j = draft.refused.json || {};
      const listed = (lang() === "en" ? j.diagnostics_en : j.diagnostics_zh) || j.diagnostics || [];
      say(box, [draft.refused.text].concat(listed.map((x) => `${x.code} ${x.message}`)));
      return;
    }
    if (draft) q += "&draft=" + encodeURIComponent(draft.id);
    const files = st.files || [];
    if (files.length) q += "&name=" + encodeURIComponent(files[0].name);
    if (files.length > 1) q += "&parts=" + encodeURIComponent(st.parts);
    const body = files.length > 1 ? new Blob(files) : files.length ? files[0] : new Blob([]);
    const r = await post("/api/diff" + q, body, false);
    if (!r.ok) { say(box, await refusal(r)); return; }
    const j = await r.json();
    const d = j.diff;
    box.replaceChildren();
    box.append(el("h4", w("changes")));
    if (!d.changes.length) box.append(el("p", w("noChanges"), "muted"));
    const ch = el("table");
    ch.id = "diff-changes";
    for (const c of d.changes) ch.append(row([c.id, c.title, c.change, c.old, c.new]));
    if (d.changes.length) box.append(ch);
    for (const p of j.diagnostics || []) box.append(el("p", `${p.code} ${p.message}`, "sev-" + p.severity));
    if (!d.entities) return;
    const t = el("table");
    t.id = "diff-entities";
    t.append(row([w("entity"), w("oldTotal"), w("newTotal"), w("change"), w("itemChanges")], true));
    for (const e of d.entities) {
      const items = e.items.map((i) => `${i.id} ${i.old ?? "—"} → ${i.new ?? "—"} (${i.change})`)
        .concat(e.no_data_yet.map((i) => `${i.id} ${w("noDataYet")}`));
      const cls = "num" + (String(e.total.change).startsWith("-") ? " lost" : "");
      t.append(row([e.id, { text: e.total.old ?? "—", cls: "num" }, { text: e.total.new ?? "—", cls: "num" },
        { text: e.total.change, cls }, items.join("；")]));
    }
    box.append(t);
  }

  function init() {
    translate();
    split();
    tabs();
    $("tests-run").addEventListener("click", runTests);
    $("diff-run").addEventListener("click", compare);
    $("lang").addEventListener("click", () => setTimeout(translate, 0));
  }

  window.kaoheResults = { scored, entity };
  document.addEventListener("DOMContentLoaded", init);
})();
