// kaohe workbench: the editor (CodeMirror 6, from vendor/codemirror.js,
// global `CM`). app.js drives it through the one global `KaoheEditor`.
// Highlighting uses the keyword table the server answers (GET
// /api/keywords); diagnostics, hover, completion, format, rename and quick
// fixes come from the language service (/api/...). Positions cross the
// wire as a line and a UTF-16 column from 0, as CodeMirror counts.
// Every text from a spec or the server is shown with textContent.
"use strict";

const KaoheEditor = (() => {
  let view = null;
  let hooks = null; // { changed(), save(), api(), t(key), lang(), status(text), refusal(r) }
  const language = new CM.Compartment();

  // ------------------------------------------------------------ positions

  function offsetOf(doc, pos) {
    const n = Math.min(Math.max(pos.line + 1, 1), doc.lines);
    const line = doc.line(n);
    return Math.min(line.from + Math.max(pos.character, 0), line.to);
  }

  function lineCol(doc, offset) {
    const line = doc.lineAt(offset);
    return { line: line.number - 1, character: offset - line.from };
  }

  function changesOf(doc, edits) {
    return edits.map((e) => ({
      from: offsetOf(doc, e.range.start),
      to: offsetOf(doc, e.range.end),
      insert: e.new_text,
    }));
  }

  // The server's edits, all at once (their ranges are in the text as it is).
  function applyEdits(edits) {
    if (!edits || !edits.length) return;
    view.dispatch({ changes: changesOf(view.state.doc, edits), userEvent: "input.kaohe" });
  }

  async function ask(path, extra) {
    const pos = lineCol(view.state.doc, view.state.selection.main.head);
    const body = Object.assign({ text: view.state.doc.toString(), lang: hooks.lang() }, pos, extra || {});
    const r = await hooks.api("POST", path, body);
    if (!r.ok) { hooks.status((await hooks.refusal(r)).text); return null; }
    return r.json();
  }

  // ------------------------------------------------------------ highlighting

  // A tokenizer built from the server's keyword list: both sets always.
  function kaoheLanguage(words) {
    const kinds = new Map();
    const labels = new Set();
    const esc = (s) => s.replace(/[.*+?^${}()|[\]\\]/g, "\\$&").replace(/ /g, "[ \\t\\u3000]+");
    const en = [], zh = [];
    for (const w of words || []) {
      for (const s of [w.en, w.zh]) {
        const key = s.replace(/[ \t\u3000]+/g, " ");
        kinds.set(key, w.kind);
        if (w.label) labels.add(key);
      }
      en.push(w.en); zh.push(w.zh);
    }
    const byLength = (a, b) => b.length - a.length;
    // An English keyword ends where no name character follows; a Chinese
    // one where no Han character follows (as the grammar reads them).
    const enRe = en.length ? new RegExp("^(?:" + en.sort(byLength).map(esc).join("|") + ")(?![\\p{L}\\p{N}_])", "u") : null;
    const zhRe = zh.length ? new RegExp("^(?:" + zh.sort(byLength).map(esc).join("|") + ")(?!\\p{Script=Han})", "u") : null;
    const date = /^(?:[0-9０-９]{4}(?:[-－][0-9０-９]{2}[-－][0-9０-９]{2}|年[0-9０-９]{1,2}月[0-9０-９]{1,2}日|\/[0-9]{1,2}\/[0-9]{1,2})|[0-9０-９]{1,2}月[0-9０-９]{1,2}日)/u;
    const number = /^[0-9０-９]+(?:[.．。][0-9０-９]+)?/u;
    const unit = /^(?:[ \u3000]?(?:[%％]|[\p{L}μµ][\p{L}\p{N}/³²·μµ_]*))/u;
    const label = /^(?:[\p{L}\p{N}.\-_．。－、()（）①-⑳])+/u;
    const name = /^[\p{L}_][\p{L}\p{N}_]*/u;
    const keywordAt = (stream) => {
      const m = (enRe && stream.match(enRe, false)) || (zhRe && stream.match(zhRe, false));
      return m ? m[0] : null;
    };
    return CM.StreamLanguage.define({
      name: "kaohe",
      startState: () => ({ afterNumber: false, label: false }),
      token(stream, st) {
        const wasNumber = st.afterNumber;
        st.afterNumber = false;
        if (stream.eatSpace()) { st.afterNumber = wasNumber && stream.current().length === 1; return null; }
        if (stream.match("//")) { stream.skipToEnd(); return "comment"; }
        const ch = stream.peek();
        if (ch === "\"") {
          stream.next();
          let c;
          while ((c = stream.next()) !== undefined) {
            if (c === "\\") stream.next(); else if (c === "\"") break;
          }
          return "string";
        }
        if (ch === "“" || ch === "‘") {
          const close = ch === "“" ? "”" : "’";
          stream.next();
          if (!stream.skipTo(close)) stream.skipToEnd(); else stream.next();
          return "string";
        }
        if (st.label) {
          st.label = false;
          if (stream.match(label)) return "labelName";
        }
        if (wasNumber) {
          const kw = keywordAt(stream);
          if (!kw && stream.match(unit)) return "unit";
        }
        if (stream.match(date)) return "number";
        if (stream.match(number)) { st.afterNumber = true; return "number"; }
        const kw = keywordAt(stream);
        if (kw) {
          stream.match(kw);
          const key = kw.replace(/[ \t\u3000]+/g, " ");
          if (labels.has(key)) st.label = true;
          const kind = kinds.get(key);
          return kind === "type" ? "typeName" : kind === "literal" ? "bool" : "keyword";
        }
        if (stream.match(name)) return "variableName";
        if (stream.match(/^(?:=>|>=|<=|==|!=|[-+*/<>=×÷－])/u)) return "operator";
        stream.next();
        return null;
      },
      languageData: { commentTokens: { line: "//" } },
    });
  }

  const style = CM.HighlightStyle.define([
    { tag: CM.tags.keyword, color: "#0b4fa0", fontWeight: "bold" },
    { tag: CM.tags.typeName, color: "#7b1fa2" },
    { tag: CM.tags.bool, color: "#7b1fa2" },
    { tag: CM.tags.string, color: "#2e7d32" },
    { tag: CM.tags.comment, color: "#777", fontStyle: "italic" },
    { tag: CM.tags.number, color: "#b35900" },
    { tag: CM.tags.unit, color: "#b35900", fontStyle: "italic" },
    { tag: CM.tags.labelName, color: "#c62828", fontWeight: "bold" },
    { tag: CM.tags.variableName, color: "#00695c" },
    { tag: CM.tags.operator, color: "#555" },
  ]);

  // ------------------------------------------------------------ diagnostics

  // The check's problems as marks (underline and gutter), each with its
  // quick fix as an action.
  function setProblems(problems) {
    const doc = view.state.doc;
    const diagnostics = problems.map((p) => {
      const from = offsetOf(doc, p.range.start);
      let to = offsetOf(doc, p.range.end);
      if (to < from) to = from;
      return {
        from, to,
        severity: p.severity === "error" ? "error" : p.severity === "warning" ? "warning" : "info",
        source: p.code,
        message: p.message + (p.help ? "\n" + p.help : ""),
        actions: p.fix ? [{ name: p.fix.title, apply: () => applyEdits(p.fix.edits) }] : [],
      };
    });
    view.dispatch(CM.setDiagnostics(view.state, diagnostics));
  }

  // ------------------------------------------------------------ hover

  // The service's markdown (paragraphs, lines, **bold**, `code`) as page
  // nodes. Every text goes in as a text node, never as markup: a spec's
  // title or description with `<img onerror=…>` shows as those characters.
  function markdownNodes(md) {
    const box = document.createElement("div");
    for (const para of String(md).split(/\n{2,}/)) {
      const p = document.createElement("p");
      para.split("\n").forEach((line, i) => {
        if (i) p.append(document.createElement("br"));
        inline(p, line);
      });
      box.append(p);
    }
    return box;
  }
  function inline(parent, text) {
    const re = /\*\*(.+?)\*\*|`([^`]+)`/g;
    let at = 0, m;
    while ((m = re.exec(text))) {
      if (m.index > at) parent.append(document.createTextNode(text.slice(at, m.index)));
      const bold = m[1] !== undefined;
      const e = document.createElement(bold ? "strong" : "code");
      e.textContent = bold ? m[1].replace(/`/g, "") : m[2];
      parent.append(e);
      at = re.lastIndex;
    }
    if (at < text.length) parent.append(document.createTextNode(text.slice(at)));
  }

  const hover = CM.hoverTooltip(async (v, pos) => {
    const j = await hooks.api("POST", "/api/hover",
      Object.assign({ text: v.state.doc.toString(), lang: hooks.lang() }, lineCol(v.state.doc, pos)));
    if (!j.ok) return null;
    const { hover: h } = await j.json();
    if (!h) return null;
    return {
      pos: offsetOf(v.state.doc, h.range.start),
      end: offsetOf(v.state.doc, h.range.end),
      above: true,
      create() {
        const dom = markdownNodes(h.markdown);
        dom.className = "kaohe-hover";
        return { dom };
      },
    };
  }, { hoverTime: 350 });

  // ------------------------------------------------------------ completion

  async function complete(ctx) {
    const word = ctx.matchBefore(/[\p{L}\p{N}_]*/u);
    if (!ctx.explicit && (!word || word.from === word.to)) return null;
    const doc = ctx.state.doc;
    const r = await hooks.api("POST", "/api/complete",
      Object.assign({ text: doc.toString(), lang: hooks.lang() }, lineCol(doc, ctx.pos)));
    if (!r.ok) return null;
    const j = await r.json();
    const kind = { keyword: "keyword", type: "type", input: "variable", item: "constant", enum_value: "enum" };
    return {
      from: offsetOf(doc, j.range.start),
      to: ctx.pos,
      options: j.items.map((i) => ({
        label: i.label, detail: i.detail || undefined, apply: i.insert_text,
        type: kind[i.kind] || "text",
      })),
    };
  }

  // ------------------------------------------------------------ commands

  async function format() {
    const r = await hooks.api("POST", "/api/format", { text: view.state.doc.toString(), lang: hooks.lang() });
    if (!r.ok) { hooks.status((await hooks.refusal(r)).text); return true; }
    const j = await r.json();
    applyEdits(j.edits);
    return true;
  }

  async function rename() {
    const j0 = await ask("/api/hover");
    const old = j0 && j0.hover ? view.state.sliceDoc(offsetOf(view.state.doc, j0.hover.range.start), offsetOf(view.state.doc, j0.hover.range.end)) : "";
    const name = await askName(old);
    if (!name || name === old) { view.focus(); return true; }
    const j = await ask("/api/rename", { new_name: name });
    if (!j) return true;
    if (j.refused) { hooks.status(j.refused.message); return true; }
    applyEdits(j.edits);
    return true;
  }

  // The new name, asked in the page's own dialog (not window.prompt):
  // Enter renames, Escape or Cancel leaves the text as it is. Null when
  // cancelled.
  function askName(old) {
    const d = document.getElementById("rename-dialog");
    const input = document.getElementById("rename-input");
    document.getElementById("rename-old").textContent = old;
    input.value = old;
    return new Promise((resolve) => {
      const done = (value) => {
        d.oncancel = null;
        if (d.open) d.close();
        resolve(value);
      };
      document.getElementById("rename-ok").onclick = () => done(input.value.trim());
      document.getElementById("rename-cancel").onclick = () => done(null);
      input.onkeydown = (ev) => {
        if (ev.key === "Enter" && !ev.isComposing) { ev.preventDefault(); done(input.value.trim()); }
      };
      // Escape: the dialog's own cancel.
      d.oncancel = (ev) => { ev.preventDefault(); done(null); };
      d.showModal();
      input.select();
    });
  }

  // Quick fixes at the cursor: a small menu under the editor.
  async function fixes() {
    const j = await ask("/api/fixes");
    const menu = document.getElementById("fix-menu");
    menu.replaceChildren();
    if (!j || !j.fixes.length) { hooks.status(hooks.t("noFixes")); menu.hidden = true; return true; }
    for (const f of j.fixes) {
      const b = document.createElement("button");
      b.type = "button";
      b.textContent = hooks.t("fixLabel") + f.code + " " + f.title;
      b.addEventListener("click", () => { applyEdits(f.edits); menu.hidden = true; view.focus(); });
      menu.append(b);
    }
    menu.hidden = false;
    menu.querySelector("button").focus();
    return true;
  }

  // ------------------------------------------------------------ the view

  function mount(parent, h) {
    hooks = h;
    view = new CM.EditorView({
      parent,
      state: CM.EditorState.create({ doc: "", extensions: extensions() }),
    });
    return view;
  }

  function extensions() {
    return [
      CM.lineNumbers(), CM.highlightActiveLineGutter(), CM.highlightSpecialChars(),
      CM.history(), CM.drawSelection(), CM.highlightActiveLine(), CM.bracketMatching(),
      CM.closeBrackets(), CM.highlightSelectionMatches(), CM.indentUnit.of("  "),
      language.of([]), CM.syntaxHighlighting(style),
      CM.lintGutter(), hover,
      CM.autocompletion({ override: [complete], activateOnTyping: true }),
      CM.keymap.of([
        { key: "Mod-s", run: () => { hooks.save(); return true; }, preventDefault: true },
        { key: "Shift-Alt-f", run: () => { format(); return true; }, preventDefault: true },
        { key: "F2", run: () => { rename(); return true; }, preventDefault: true },
        { key: "Mod-.", run: () => { fixes(); return true; }, preventDefault: true },
        ...CM.closeBracketsKeymap, ...CM.defaultKeymap, ...CM.searchKeymap,
        ...CM.historyKeymap, ...CM.completionKeymap, CM.indentWithTab,
      ]),
      CM.EditorView.updateListener.of((u) => { if (u.docChanged) hooks.changed(u); }),
      CM.EditorView.contentAttributes.of({ "aria-label": "spec", spellcheck: "false" }),
    ];
  }

  // A new text (a file opened, taken from disk): no undo back past it.
  function setText(text) {
    view.setState(CM.EditorState.create({ doc: text, extensions: extensions() }));
    loadKeywordsOnce.then((lang) => { if (lang) view.dispatch({ effects: language.reconfigure(lang) }); });
  }

  let loadKeywordsOnce = Promise.resolve(null);

  function start() {
    loadKeywordsOnce = (async () => {
      const r = await hooks.api("GET", "/api/keywords");
      if (!r.ok) return null;
      const { keywords } = await r.json();
      const lang = kaoheLanguage(keywords);
      view.dispatch({ effects: language.reconfigure(lang) });
      return lang;
    })();
  }

  // Replace the whole text as one undoable change, keeping the cursor near.
  function replaceText(text) {
    const cur = view.state.doc.toString();
    if (cur === text) return;
    const changes = CM.diff(cur, text).map((c) => ({ from: c.fromA, to: c.toA, insert: text.slice(c.fromB, c.toB) }));
    view.dispatch({ changes, userEvent: "input.kaohe" });
  }

  // Another tab saved `theirs` over `base` (the text this one started
  // from): their changes, rebased over this tab's own, applied here, so
  // that both are kept (the result is checked as any edit, and saved only
  // when the user saves).
  function merge(base, theirs) {
    const mine = view.state.doc.toString();
    const spec = (a, b) => CM.ChangeSet.of(
      CM.diff(a, b).map((c) => ({ from: c.fromA, to: c.toA, insert: b.slice(c.fromB, c.toB) })), a.length);
    const ours = spec(base, mine);
    const theirsOver = spec(base, theirs).map(ours, true);
    view.dispatch({ changes: theirsOver, userEvent: "input.kaohe" });
  }

  function jump(range) {
    const doc = view.state.doc;
    const from = offsetOf(doc, range.start);
    const to = Math.max(offsetOf(doc, range.end), from);
    view.dispatch({ selection: CM.EditorSelection.range(from, to), scrollIntoView: true });
    view.focus();
  }

  return {
    mount, start, setText, replaceText, setProblems, jump, format, fixes, rename, applyEdits, markdownNodes,
    text: () => view.state.doc.toString(),
    view: () => view,
    merge,
  };
})();
