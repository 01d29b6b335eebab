// kaohe workbench: the page's only script (the Content-Security-Policy
// allows no inline script). Every text that comes from a spec or data is
// put in the page with textContent, never as markup.
"use strict";

const T = {
  zh: {
    title: "kaohe 考核工作台", files: "工作区文件", save: "保存", format: "整理格式",
    history: "历史版本", problems: "问题", tabTable: "评分标准表", tabScore: "计分",
    template: "数据模板：", drop: "把数据文件（xlsx、csv、json）拖到这里，或点此选择；CSV 数据连同其列表文件可一次选择多个",
    report: "下载报告：", filter: "筛选被考核单位", rank: "名次", unit: "被考核单位",
    total: "总分", result: "结果", item: "考核事项", score: "得分", max: "分值", lines: "说明",
    conflict: "此文件在您打开后已在磁盘上被修改，您的文本尚未保存。磁盘上的文本如下：",
    keepMine: "以我的文本覆盖（磁盘文本存入历史）", takeDisk: "改用磁盘上的文本",
    saved: "已保存", unsaved: "未保存", saving: "正在保存…", noProblems: "没有问题",
    checking: "正在检查…", scoring: "正在计分…", restore: "恢复此版本",
    draft: "发现此文件未保存的草稿，已恢复；保存前请核对。", scoredSaved: "按已保存的规则文件计分",
    scoredAsSaved: "计分所用规则：已保存的 {path}（版本 {v}，{time}）",
    scoredAsDraft: "计分所用规则：{path} 未保存的草稿（版本 {v}，{time}）；磁盘上的文件未改变",
    fixFirst: "规则文本有错误，未计分：请先改正下列错误（编辑器中已标出），再重新计分。",
    stale: "规则文本在计分后已修改：下面的得分按修改前的文本计算。", rescore: "按当前文本重新计分",
    openSpec: "请先在左侧打开一个规则文件（.kh）", noHistory: "暂无历史版本",
    dataOk: "数据全部有效", other: "English",
    named: "评定", page: "第 {p} / {n} 页，共 {count} 个被考核单位", prev: "上一页", next: "下一页", loadingUnit: "正在载入…",
    // The editor (editor.js).
    renameTitle: "重命名", renameOk: "重命名", cancel: "取消",
    conflictTab: "另一个标签页刚保存了此文件，而您在这里的修改尚未保存。另一个标签页保存的文本如下；请选择保留哪一份，或把两者合并：",
    renamePrompt: "新名称：", noFixes: "此处没有可用的快速修复", fix: "快速修复", fixLabel: "快速修复：",
    merge: "合并两者（另一标签页的修改并入我的文本，请核对后保存）",
    otherTab: "另一个标签页保存了此文件，这里已换成它保存的文本。",
    otherTabConflict: "另一个标签页保存了此文件，您的修改尚未保存：请在下方选择。",
    merged: "已合并，尚未保存：请核对后保存。",
  },
  en: {
    title: "kaohe workbench", files: "Workspace files", save: "Save", format: "Format",
    history: "History", problems: "Problems", tabTable: "Official table", tabScore: "Scores",
    template: "Data template:", drop: "Drop a data file (xlsx, csv, json) here, or click to choose; a CSV dataset with its list files can be chosen together",
    report: "Download report:", filter: "Filter assessed units", rank: "Rank", unit: "Assessed unit",
    total: "Total", result: "Result", item: "Item", score: "Score", max: "Points", lines: "Explanation",
    conflict: "This file was changed on disk after you opened it; your text is not saved. The text on disk:",
    keepMine: "Overwrite with my text (the disk's text goes to history)", takeDisk: "Take the text on disk",
    saved: "Saved", unsaved: "Unsaved", saving: "Saving…", noProblems: "No problems",
    checking: "Checking…", scoring: "Scoring…", restore: "Restore this version",
    draft: "An unsaved draft of this file was found and restored; check it before saving.",
    scoredSaved: "Scored by the saved spec", openSpec: "Open a spec (.kh) on the left first",
    scoredAsSaved: "Scored by: {path} as saved (version {v}, {time})",
    scoredAsDraft: "Scored by: the unsaved draft of {path} (version {v}, {time}); the file on disk is unchanged",
    fixFirst: "The spec's text has errors, so nothing was scored: fix the errors below (marked in the editor) first, then score again.",
    stale: "The spec's text has changed since these scores: they are of the text before.", rescore: "Score again with the current text",
    noHistory: "No earlier versions yet", dataOk: "All data valid", other: "中文",
    named: "Named results", page: "Page {p} of {n}, {count} assessed units", prev: "Previous", next: "Next", loadingUnit: "Loading…",
    // The editor (editor.js).
    renameTitle: "Rename", renameOk: "Rename", cancel: "Cancel",
    conflictTab: "Another tab has just saved this file, and your changes here are not saved. The text the other tab saved is below; choose which to keep, or merge both:",
    renamePrompt: "New name:", noFixes: "No quick fix here", fix: "Quick fix", fixLabel: "Quick fix: ",
    merge: "Merge both (the other tab's changes into my text; check it, then save)",
    otherTab: "Another tab saved this file; its saved text is now shown here.",
    otherTabConflict: "Another tab saved this file while you have unsaved changes: choose below.",
    merged: "Merged, not saved: check it, then save.",
  },
};

const state = {
  lang: localStorage.getItem("kaohe.lang") || "zh",
  path: null, base: null, dirty: false, disk: null,
  baseText: null, // the text of version `base`, for a merge
  eval: null, data: null, sort: { key: "rank", dir: 1 }, page: 0, shown: null,
  files: null, // the data files last scored, for “score again”
  scoredText: null, // the editor's text those files were scored by
};
const $ = (id) => document.getElementById(id);
const t = (key) => T[state.lang][key] || key;

function el(tag, text, cls) {
  const e = document.createElement(tag);
  if (text !== undefined && text !== null) e.textContent = String(text);
  if (cls) e.className = cls;
  return e;
}

async function api(method, path, body, raw) {
  const headers = { "X-Kaohe": "1" };
  let payload = body;
  if (body !== undefined && !raw) {
    headers["Content-Type"] = "application/json";
    payload = JSON.stringify(body);
  }
  const r = await fetch(path, { method, headers, body: payload, credentials: "same-origin" });
  return r;
}

async function refusal(r) {
  try {
    const j = await r.json();
    const e = state.lang === "en" ? j.error_en : j.error;
    return { json: j, text: e ? told(e, state.lang) : String(r.status) };
  } catch (_) {
    return { json: null, text: String(r.status) };
  }
}

// A refusal in one line: its code and message, its notes (what was found,
// e.g. the encoding a file reads as), and what to do.
function told(e, lang) {
  const sep = lang === "en" ? "; " : "；";
  const notes = (e.notes || []).map((n) => sep + n).join("");
  return `${e.code} ${e.message}${notes}${e.help ? " — " + e.help : ""}`;
}

function status(text) { $("status").textContent = text; }

function translate() {
  document.documentElement.lang = state.lang === "zh" ? "zh-CN" : "en";
  document.querySelectorAll("[data-t]").forEach((e) => { e.textContent = t(e.dataset.t); });
  document.querySelectorAll("[data-t-placeholder]").forEach((e) => { e.placeholder = t(e.dataset.tPlaceholder); });
  $("lang").textContent = t("other");
  document.title = t("title");
}

// ---------------------------------------------------------------- files

async function loadFiles() {
  const r = await api("GET", "/api/files");
  if (!r.ok) { status((await refusal(r)).text); return; }
  const { files } = await r.json();
  const ul = $("files");
  ul.replaceChildren();
  for (const f of files) {
    const li = el("li", f.path, "kind-" + f.kind);
    li.dataset.path = f.path;
    if (f.kind === "spec") li.addEventListener("click", () => openFile(f.path));
    ul.append(li);
  }
  const first = files.find((f) => f.kind === "spec");
  if (first && !state.path) openFile(first.path);
}

async function openFile(path) {
  const r = await api("GET", "/api/file?path=" + encodeURIComponent(path));
  if (!r.ok) { status((await refusal(r)).text); return; }
  const f = await r.json();
  state.path = f.path; state.base = f.version; state.baseText = f.text; state.dirty = false;
  document.querySelectorAll("#files li").forEach((li) => li.classList.toggle("on", li.dataset.path === path));
  $("path").textContent = f.path;
  const draft = localStorage.getItem("kaohe.draft." + f.path);
  const d = draft ? JSON.parse(draft) : null;
  // A draft of a tab still open on the file is that tab's, not this one's.
  if (d && d.base === f.version && d.text !== f.text && !tabAlive(d.tab)) {
    setText(d.text); state.dirty = true; status(t("draft"));
  } else {
    setText(f.text); status(t("saved"));
  }
  $("conflict").hidden = true; $("history").hidden = true;
  changed(true);
}

function setText(text) { KaoheEditor.setText(text); }

// The conflict panel says why it is shown: a change on disk (a save
// refused) or another tab's save; the key stays for the language switch.
function conflictWhy(key) {
  const p = $("conflict-why");
  p.dataset.t = key;
  p.textContent = t(key);
}

async function save(base) {
  if (!state.path) return;
  status(t("saving"));
  const text = KaoheEditor.text();
  const r = await api("PUT", "/api/file?path=" + encodeURIComponent(state.path), { text, base });
  if (r.ok) {
    const j = await r.json();
    state.base = j.version; state.baseText = text; state.dirty = false;
    localStorage.removeItem("kaohe.draft." + state.path);
    $("conflict").hidden = true;
    status(t("saved"));
    tellOtherTabs(state.path, j.version);
    return;
  }
  const why = await refusal(r);
  status(why.text);
  if (r.status === 409 && why.json && why.json.conflict) {
    state.disk = why.json.conflict.disk;
    $("conflict-disk").textContent = state.disk ? state.disk.text : "";
    conflictWhy("conflict");
    $("conflict").hidden = false;
  }
}

async function showHistory() {
  const box = $("history");
  if (!box.hidden) { box.hidden = true; return; }
  const r = await api("GET", "/api/history?path=" + encodeURIComponent(state.path));
  if (!r.ok) { status((await refusal(r)).text); return; }
  const { versions } = await r.json();
  const ul = $("history-list");
  ul.replaceChildren();
  if (!versions.length) ul.append(el("li", t("noHistory")));
  for (const v of versions) {
    const li = el("li", new Date(v.saved_ms).toLocaleString(state.lang === "zh" ? "zh-CN" : "en") + " · " + v.size + " B ");
    const b = el("button", t("restore"));
    b.type = "button";
    b.addEventListener("click", async () => {
      const r2 = await api("POST", "/api/history/restore", { path: state.path, id: v.id, base: state.base });
      if (!r2.ok) { status((await refusal(r2)).text); return; }
      const j = await r2.json();
      state.base = j.version; state.baseText = j.text; setText(j.text); state.dirty = false; box.hidden = true;
      tellOtherTabs(state.path, j.version);
      status(t("saved")); changed(true);
    });
    li.append(b);
    ul.append(li);
  }
  box.hidden = false;
}

// ---------------------------------------------------------------- editor

let checkTimer = null, renderTimer = null, checkSeq = 0, renderSeq = 0;

function changed(now) {
  const text = KaoheEditor.text();
  if (!now) {
    state.dirty = true;
    status(t("unsaved"));
    if (state.path) localStorage.setItem("kaohe.draft." + state.path, JSON.stringify({ base: state.base, text, tab: tabId }));
  }
  clearTimeout(checkTimer); clearTimeout(renderTimer);
  if (state.eval) scoredSpec();
  checkTimer = setTimeout(check, now ? 0 : 250);
  renderTimer = setTimeout(render, now ? 0 : 700);
}

async function check() {
  const seq = ++checkSeq;
  const text = KaoheEditor.text();
  const r = await api("POST", "/api/check", { text, path: state.path, lang: state.lang });
  if (seq !== checkSeq) return;
  if (!r.ok) { status((await refusal(r)).text); return; }
  const j = await r.json();
  // An answer for a text typed over since is dropped: its own check follows.
  if (text !== KaoheEditor.text()) return;
  KaoheEditor.setProblems(j.problems);
  const ul = $("diagnostics");
  ul.replaceChildren();
  $("fix-menu").hidden = true;
  $("count").textContent = j.problems.length ? "(" + j.problems.length + ")" : "";
  if (!j.problems.length) ul.append(el("li", t("noProblems")));
  for (const p of j.problems) {
    const li = el("li", null, "sev-" + p.severity);
    li.append(el("span", p.code, "code"));
    li.append(el("span", `${p.range.start.line + 1}:${p.range.start.character + 1} ${p.message}`));
    if (p.fix) {
      const b = el("button", t("fixLabel") + p.fix.title, "fix");
      b.type = "button"; b.title = t("fix");
      b.addEventListener("click", (ev) => { ev.stopPropagation(); KaoheEditor.applyEdits(p.fix.edits); });
      li.append(b);
    }
    if (p.help) li.append(el("span", p.help, "help"));
    li.addEventListener("click", () => jump(p.range));
    ul.append(li);
  }
}

// Select a range given as lines and UTF-16 columns.
function jump(range) { KaoheEditor.jump(range); }

// ---------------------------------------------------------------- other tabs
// A save in one tab is told to the other tabs of this workbench on the same
// file: one without edits takes the saved text; one with edits shows the
// conflict panel (both versions; keep mine, take the other, or merge). The
// server's 409 on a stale save stays the last guard.

const tabs = typeof BroadcastChannel === "function" ? new BroadcastChannel("kaohe-workbench") : null;

// Each open tab says it is alive every 2 s, so that a tab opening a file
// does not take another open tab's draft as its own.
const tabId = Math.random().toString(36).slice(2);
function beat() { localStorage.setItem("kaohe.tab." + tabId, String(Date.now())); }
function tabAlive(id) {
  if (!id || id === tabId) return false;
  return Date.now() - Number(localStorage.getItem("kaohe.tab." + id) || 0) < 5000;
}

function tellOtherTabs(path, version) {
  if (tabs) tabs.postMessage({ type: "saved", path, version });
}

async function otherTabSaved(msg) {
  if (!msg || msg.type !== "saved" || msg.path !== state.path || msg.version === state.base) return;
  const r = await api("GET", "/api/file?path=" + encodeURIComponent(state.path));
  if (!r.ok) return;
  const f = await r.json();
  if (f.version === state.base) return;
  if (!state.dirty) {
    state.base = f.version; state.baseText = f.text;
    KaoheEditor.replaceText(f.text);
    state.dirty = false;
    localStorage.removeItem("kaohe.draft." + state.path);
    status(t("otherTab"));
    return;
  }
  state.disk = { text: f.text, version: f.version };
  $("conflict-disk").textContent = f.text;
  conflictWhy("conflictTab");
  $("conflict").hidden = false;
  status(t("otherTabConflict"));
}

async function render() {
  const seq = ++renderSeq;
  const r = await api("POST", "/api/render", { text: KaoheEditor.text(), path: state.path });
  if (seq !== renderSeq || !r.ok) return; // a spec with errors keeps the last table
  // A sandboxed frame without scripts shows kaohe's own escaped HTML.
  $("rendered").srcdoc = await r.text();
}

function format() { KaoheEditor.format(); }

// ---------------------------------------------------------------- data

async function download(url, body, raw, name) {
  const r = await api("POST", url, body, raw);
  if (!r.ok) { status((await refusal(r)).text); return; }
  const blob = await r.blob();
  const a = document.createElement("a");
  a.href = URL.createObjectURL(blob);
  a.download = name;
  document.body.append(a); a.click(); a.remove();
  setTimeout(() => URL.revokeObjectURL(a.href), 10000);
}

// The editor's text, sent to be scored (POST /api/draft): the server
// compiles it and keeps it under an id that the scoring calls name, so
// that what is scored is what is shown, saved or not. A text with errors
// is refused (K0939) with its diagnostics in both languages.
async function postDraft() {
  const text = KaoheEditor.text();
  const r = await api("POST", "/api/draft", { path: state.path, text, lang: state.lang });
  if (!r.ok) return { refused: await refusal(r), text };
  const j = await r.json();
  return { id: j.draft, spec: j.spec, text };
}

// One data file, or several at once (a CSV file of the units with its list
// files, as kaohe eval reads them; or several data files): several are sent
// one after another in one body, `parts` naming each one and its size. They
// are scored by the text in the editor (a draft), not the file on disk.
async function upload(list) {
  if (!state.path) { status(t("openSpec")); return; }
  const files = [...list];
  const file = files[0];
  state.data = files.length === 1 ? file : null;
  state.files = files;
  status(t("scoring"));
  const probs = $("data-problems");
  const draft = await postDraft();
  if (draft.refused) {
    // Nothing scored: the spec's own errors, to fix first.
    probs.replaceChildren(el("li", t("fixFirst"), "sev-error fix-first"));
    const j = draft.refused.json || {};
    const listed = (state.lang === "en" ? j.diagnostics_en : j.diagnostics_zh) || j.diagnostics || [];
    for (const d of listed) probs.append(specProblem(d));
    status(draft.refused.text);
    return;
  }
  let q = "?spec=" + encodeURIComponent(state.path) + "&draft=" + encodeURIComponent(draft.id) +
    "&name=" + encodeURIComponent(file.name) + "&lang=" + state.lang;
  const parts = files.length > 1 ? JSON.stringify(files.map((f) => ({ name: f.name, size: f.size }))) : null;
  if (parts) q += "&parts=" + encodeURIComponent(parts);
  const r = await api("POST", "/api/eval" + q, files.length > 1 ? new Blob(files) : file, true);
  probs.replaceChildren();
  if (!r.ok) {
    const why = await refusal(r);
    probs.append(el("li", why.text, "sev-error"));
    for (const d of (why.json && why.json.diagnostics) || []) probs.append(problem(d));
    status(why.text);
    return;
  }
  const j = await r.json();
  state.eval = j; state.page = 0; state.shown = null; state.scoredText = draft.text;
  scoredSpec();
  problemsByFile(probs, j.diagnostics);
  if (!j.diagnostics.length) probs.append(el("li", t("dataOk")));
  status(files.map((f) => f.name).join(", "));
  $("downloads").hidden = !j.ok;
  $("entity").hidden = true;
  ranking();
  // results.js: the roll-up and charts of the result kept; the comparison
  // of versions sends the same files again (all of them, as `parts`).
  if (window.kaoheResults) window.kaoheResults.scored({ spec: state.path, file: state.data, files, parts, eval: j });
}

// Which version of the spec the scores shown are of (saved or an unsaved
// draft, its short version and time), and whether the text has been
// edited since: then the scores are of the text before, and one click
// scores the same files again by the text now.
function scoredSpec() {
  const box = $("scored-spec");
  const s = state.eval && state.eval.spec;
  if (!s) { box.hidden = true; $("scored-stale").hidden = true; return; }
  const time = new Date(s.at_ms).toLocaleTimeString(state.lang === "zh" ? "zh-CN" : "en");
  box.textContent = t(s.saved ? "scoredAsSaved" : "scoredAsDraft")
    .replace("{path}", s.path).replace("{v}", s.version.slice(0, 8)).replace("{time}", time);
  box.classList.toggle("draft", !s.saved);
  box.hidden = false;
  $("scored-stale").hidden = state.path !== s.path || KaoheEditor.text() === state.scoredText;
}

// The data's problems under the file each is of (the message names the
// sheet, row and column), files in the order their problems came.
function problemsByFile(ul, list) {
  const files = new Map();
  for (const d of list) {
    const f = d.file || "";
    if (!files.has(f)) files.set(f, []);
    files.get(f).push(d);
  }
  for (const [f, ds] of files) {
    if (files.size > 1 && f) {
      const head = el("li", f, "file-head");
      head.dataset.file = f;
      ul.append(head);
    }
    for (const d of ds) ul.append(problem(d));
  }
}

// A problem of the spec's text (a draft refused): its line and column,
// and a click selects the place in the editor, as in the editor's list.
function specProblem(d) {
  const li = problem(d);
  const at = (d.labels || []).find((l) => l.primary) || (d.labels || [])[0];
  if (at && at.line > 0) {
    li.querySelector(".code").after(el("span", `${at.line}:${at.column} `));
    li.addEventListener("click", () => jump({
      start: { line: at.line - 1, character: at.column - 1 },
      end: { line: at.end_line - 1, character: at.end_column - 1 },
    }));
  }
  return li;
}

function problem(d) {
  const li = el("li", null, "sev-" + d.severity);
  li.append(el("span", d.code, "code"));
  li.append(el("span", (d.file ? d.file + ": " : "") + d.message));
  if (d.help) li.append(el("span", d.help, "help"));
  return li;
}

// The ranking: one row per entity from /api/eval (rank given by the
// server), sorted and filtered here, shown a page of PAGE rows at a time so
// that 10,000 units cost no more to show than 100.
const PAGE = 100;

function ranking() {
  const j = state.eval;
  if (!j) return;
  const f = $("filter").value.trim();
  const { key, dir } = state.sort;
  const val = (r) => key === "rank" ? r.rank : key === "total" ? Number(r.total) : String(r[key] === undefined ? "" : r[key]);
  const rows = j.ranking.filter((r) => !f || String(r.id).includes(f));
  rows.sort((a, b) => (val(a) < val(b) ? -1 : val(a) > val(b) ? 1 : 0) * dir || a.index - b.index);
  const pages = Math.max(1, Math.ceil(rows.length / PAGE));
  state.page = Math.min(state.page, pages - 1);
  const body = $("ranking").tBodies[0];
  body.replaceChildren();
  for (const r of rows.slice(state.page * PAGE, (state.page + 1) * PAGE)) {
    const tr = el("tr");
    tr.dataset.index = r.index;
    const named = (r.results || []).filter((x) => x.value).map((x) => x.name + "：" + x.value).join("；");
    tr.append(el("td", r.rank, "num"), el("td", r.id), el("td", r.total, "num"), el("td", r.result || ""), el("td", named, "named"));
    tr.addEventListener("click", () => openUnit(r.index));
    body.append(tr);
  }
  $("ranking").hidden = false; $("filter").hidden = false;
  // The named results' column only for a table that has them.
  $("ranking").classList.toggle("no-named", !j.ranking.some((r) => r.results && r.results.length));
  const pager = $("pager");
  pager.hidden = rows.length <= PAGE;
  $("page-of").textContent = t("page").replace("{p}", state.page + 1).replace("{n}", pages).replace("{count}", rows.length);
  $("page-prev").disabled = state.page === 0;
  $("page-next").disabled = state.page >= pages - 1;
  if (j.ranking.length === 1 && state.shown === null) openUnit(j.ranking[0].index);
}

// A unit's page: its items and every explanation line, asked of the server
// when opened (GET /api/unit), as kaohe eval --rank --format json writes it.
async function openUnit(index) {
  const j = state.eval;
  if (!j) return;
  state.shown = index;
  $("entity-name").textContent = t("loadingUnit");
  $("entity").hidden = false;
  const r = await api("GET", "/api/unit?result=" + encodeURIComponent(j.result) + "&index=" + index);
  if (state.eval !== j || state.shown !== index) return; // another unit asked since
  if (!r.ok) { const why = await refusal(r); $("entity-name").textContent = why.text; status(why.text); return; }
  entity((await r.json()).entity);
}

function entity(e) {
  const titles = Object.fromEntries(state.eval.items.map((i) => [i.id, i.title]));
  $("entity-name").textContent = `${e.id} · ${e.total} · ${e.result}`;
  const body = $("entity-items").tBodies[0];
  body.replaceChildren();
  for (const it of e.items) {
    const tr = el("tr");
    tr.append(el("td", it.id + " " + (titles[it.id] || "")));
    const score = el("td", it.score !== undefined ? it.score : (it.state || ""), "num");
    if (it.max !== undefined && it.score !== undefined && Number(it.score) < Number(it.max)) score.classList.add("lost");
    tr.append(score, el("td", it.max !== undefined ? it.max : "", "num"));
    const lines = el("td");
    for (const l of it.lines || []) {
      const facts = (l.facts || []).map((f) => `${f.input} = ${f.value}`).join("；");
      lines.append(el("div", `${l.amount} ${l.reason}${facts ? "（" + facts + "）" : ""}`));
    }
    tr.append(lines);
    body.append(tr);
  }
  $("entity").hidden = false;
  if (window.kaoheResults) window.kaoheResults.entity(e); // results.js
}

// ---------------------------------------------------------------- wiring

function init() {
  translate();
  $("lang").addEventListener("click", () => {
    state.lang = state.lang === "zh" ? "en" : "zh";
    localStorage.setItem("kaohe.lang", state.lang);
    translate(); changed(true);
  });
  KaoheEditor.mount($("text"), {
    changed: () => changed(false), save: () => save(state.base), api, t, refusal, status,
    lang: () => state.lang,
  });
  KaoheEditor.start();
  if (tabs) tabs.onmessage = (ev) => otherTabSaved(ev.data);
  beat(); setInterval(beat, 2000);
  window.addEventListener("pagehide", () => localStorage.removeItem("kaohe.tab." + tabId));
  $("merge").addEventListener("click", () => {
    if (!state.disk || state.baseText === null) return;
    KaoheEditor.merge(state.baseText, state.disk.text);
    state.base = state.disk.version; state.baseText = state.disk.text;
    $("conflict").hidden = true; status(t("merged"));
  });
  $("save").addEventListener("click", () => save(state.base));
  $("format").addEventListener("click", format);
  $("history-btn").addEventListener("click", showHistory);
  $("keep-mine").addEventListener("click", () => save(state.disk ? state.disk.version : null));
  $("take-disk").addEventListener("click", () => {
    if (!state.disk) return;
    state.base = state.disk.version; state.baseText = state.disk.text; setText(state.disk.text); state.dirty = false;
    localStorage.removeItem("kaohe.draft." + state.path);
    $("conflict").hidden = true; status(t("saved")); changed(true);
  });
  document.querySelectorAll("[data-tab]").forEach((b) => b.addEventListener("click", () => {
    document.querySelectorAll("[data-tab]").forEach((x) => x.classList.toggle("on", x === b));
    $("tab-table").hidden = b.dataset.tab !== "table";
    $("tab-score").hidden = b.dataset.tab !== "score";
  }));
  document.querySelectorAll("[data-template]").forEach((b) => b.addEventListener("click", () => {
    const f = b.dataset.template;
    download("/api/template?format=" + f, { text: KaoheEditor.text(), path: state.path }, false, "template." + f);
  }));
  document.querySelectorAll("[data-report]").forEach((b) => b.addEventListener("click", () => {
    if (!state.eval) return;
    const f = b.dataset.report;
    // The upload kept by the server (no second upload); the same bytes.
    download("/api/report?result=" + encodeURIComponent(state.eval.result) + "&format=" + f, undefined, true, "report." + f);
  }));
  document.querySelectorAll("th[data-sort]").forEach((th) => th.addEventListener("click", () => {
    const key = th.dataset.sort;
    state.sort = { key, dir: state.sort.key === key ? -state.sort.dir : 1 };
    ranking();
  }));
  $("filter").addEventListener("input", () => { state.page = 0; ranking(); });
  $("page-prev").addEventListener("click", () => { state.page -= 1; ranking(); });
  $("page-next").addEventListener("click", () => { state.page += 1; ranking(); });
  const drop = $("drop");
  drop.addEventListener("dragover", (ev) => { ev.preventDefault(); drop.classList.add("over"); });
  drop.addEventListener("dragleave", () => drop.classList.remove("over"));
  drop.addEventListener("drop", (ev) => {
    ev.preventDefault(); drop.classList.remove("over");
    if (ev.dataTransfer.files.length) upload(ev.dataTransfer.files);
  });
  $("upload").addEventListener("change", (ev) => { if (ev.target.files.length) upload(ev.target.files); });
  $("rescore").addEventListener("click", () => { if (state.files) upload(state.files); });
  window.kaoheApp = { draft: postDraft, told };
  window.addEventListener("beforeunload", (ev) => { if (state.dirty) { ev.preventDefault(); ev.returnValue = ""; } });
  loadFiles();
}

document.addEventListener("DOMContentLoaded", init);
