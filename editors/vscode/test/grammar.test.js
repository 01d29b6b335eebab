// Tokenizes sample lines with the extension's TextMate grammar, through the
// same engine as VS Code (vscode-textmate on vscode-oniguruma), and checks
// the scope of each word. Run with `npm test` (not part of `cargo test`).

const test = require("node:test");
const assert = require("node:assert");
const fs = require("node:fs");
const path = require("node:path");
const oniguruma = require("vscode-oniguruma");
const vsctm = require("vscode-textmate");

const root = path.join(__dirname, "..");

async function loadGrammar() {
  const wasm = fs.readFileSync(
    path.join(root, "node_modules/vscode-oniguruma/release/onig.wasm"),
  );
  await oniguruma.loadWASM(wasm.buffer.slice(wasm.byteOffset, wasm.byteOffset + wasm.byteLength));
  const registry = new vsctm.Registry({
    onigLib: Promise.resolve({
      createOnigScanner: (sources) => new oniguruma.OnigScanner(sources),
      createOnigString: (s) => new oniguruma.OnigString(s),
    }),
    loadGrammar: async (scopeName) => {
      if (scopeName !== "source.kaohe") return null;
      const file = path.join(root, "syntaxes/kaohe.tmLanguage.json");
      return vsctm.parseRawGrammar(fs.readFileSync(file, "utf8"), file);
    },
  });
  return registry.loadGrammar("source.kaohe");
}

// Each line's tokens as [text, most specific scope] pairs, white space left out.
function tokenize(grammar, text) {
  let state = vsctm.INITIAL;
  const out = [];
  for (const line of text.split("\n")) {
    const r = grammar.tokenizeLine(line, state);
    for (const t of r.tokens) {
      const word = line.slice(t.startIndex, t.endIndex);
      if (word.trim() === "") continue;
      out.push([word.trim(), t.scopes[t.scopes.length - 1]]);
    }
    state = r.ruleStack;
  }
  return out;
}

function scopeOf(tokens, word) {
  return tokens.filter(([w]) => w === word).map(([, s]) => s);
}

let grammar;
test.before(async () => {
  grammar = await loadGrammar();
});

test("a Chinese spec", () => {
  const t = tokenize(
    grammar,
    [
      "考核表 “测试” {",
      "  年度 2024",
      "}",
      "枚举 镇类 { \"城区\", \"乡镇\" }",
      "数据 会议次数: 计数 次 \"会议\" // 全年",
      "数据 加班次数: 计数 \"加班\"",
      "标准 目标 按 类别 { \"城区\" => 98%, 否则 => 95% }",
      "一级指标 一、 \"党建\" {",
      "  二级指标 (一) \"组织\" {",
      "    考核事项 ① \"会议\" 分值 3分 {",
      "      扣 0.5 每 会议次数 低于 4 次, 最高 2",
      "      扣分项 扣1 若 加班次数 >= 2024年5月31日",
    ].join("\n"),
  );
  assert.deepStrictEqual(scopeOf(t, "考核表"), ["storage.type.kaohe"]);
  assert.deepStrictEqual(scopeOf(t, "2024"), ["constant.numeric.kaohe"]);
  assert.deepStrictEqual(scopeOf(t, "镇类"), ["entity.name.type.kaohe"]);
  assert.deepStrictEqual(scopeOf(t, "会议次数"), [
    "variable.other.definition.kaohe",
    "source.kaohe",
  ]);
  assert.deepStrictEqual(scopeOf(t, "计数"), [
    "support.type.kaohe",
    "support.type.kaohe",
  ]);
  assert.deepStrictEqual(scopeOf(t, "次"), [
    "keyword.other.unit.kaohe",
    "keyword.other.unit.kaohe",
  ]);
  assert.deepStrictEqual(scopeOf(t, "// 全年"), [
    "comment.line.double-slash.kaohe",
  ]);
  assert.deepStrictEqual(scopeOf(t, "目标"), [
    "variable.other.constant.definition.kaohe",
  ]);
  assert.deepStrictEqual(scopeOf(t, "%"), [
    "keyword.other.unit.kaohe",
    "keyword.other.unit.kaohe",
  ]);
  assert.deepStrictEqual(scopeOf(t, "一、"), ["entity.name.section.kaohe"]);
  assert.deepStrictEqual(scopeOf(t, "(一)"), ["entity.name.section.kaohe"]);
  assert.deepStrictEqual(scopeOf(t, "①"), ["entity.name.section.kaohe"]);
  assert.deepStrictEqual(scopeOf(t, "分"), ["keyword.other.unit.kaohe"]);
  assert.deepStrictEqual(scopeOf(t, "扣"), [
    "keyword.control.kaohe",
    "keyword.control.kaohe",
  ]);
  assert.deepStrictEqual(scopeOf(t, "最高"), ["keyword.control.kaohe"]);
  assert.deepStrictEqual(scopeOf(t, "扣分项"), ["keyword.other.kaohe"]);
  assert.deepStrictEqual(scopeOf(t, "=>"), [
    "keyword.operator.arrow.kaohe",
    "keyword.operator.arrow.kaohe",
  ]);
  assert.deepStrictEqual(scopeOf(t, "2024年5月31日"), [
    "constant.numeric.date.kaohe",
  ]);
  // A name that begins with a keyword's characters is no keyword.
  assert.deepStrictEqual(scopeOf(t, "加"), []);
  // Texts in both kinds of quotes.
  assert.ok(
    t.some(([w, s]) => w === "测试" && s === "string.quoted.other.chinese.kaohe"),
  );
  assert.ok(t.some(([w, s]) => w === "城区" && s === "string.quoted.double.kaohe"));
});

test("an English spec", () => {
  const t = tokenize(
    grammar,
    [
      "input fires: list { sensed: bool \"sensed\" } \"fires\"",
      "input pm25: number μg/m³ \"PM2.5\"",
      "item 1.1.1 \"PM\" score 4 {",
      "  deduct 0.5 per whole 1μg/m³ of pm25 above 35 μg/m³, at most 2",
      "  deduct 1 unless report \"open",
      "  add 1 if count(f in fires) >= 3 and not done",
    ].join("\n"),
  );
  assert.deepStrictEqual(scopeOf(t, "list"), ["support.type.kaohe"]);
  assert.deepStrictEqual(scopeOf(t, "bool"), ["support.type.kaohe"]);
  assert.deepStrictEqual(scopeOf(t, "number"), ["support.type.kaohe"]);
  assert.deepStrictEqual(scopeOf(t, "1.1.1"), ["entity.name.section.kaohe"]);
  assert.deepStrictEqual(scopeOf(t, "μg/m³"), [
    "keyword.other.unit.kaohe",
    "keyword.other.unit.kaohe",
    "keyword.other.unit.kaohe",
  ]);
  assert.deepStrictEqual(scopeOf(t, "at most"), ["keyword.control.kaohe"]);
  assert.deepStrictEqual(scopeOf(t, "unless"), ["keyword.control.kaohe"]);
  assert.deepStrictEqual(scopeOf(t, "and"), ["keyword.operator.word.kaohe"]);
  assert.deepStrictEqual(scopeOf(t, "count"), ["support.function.kaohe"]);
  assert.deepStrictEqual(scopeOf(t, "pm25"), [
    "variable.other.definition.kaohe",
    "source.kaohe",
  ]);
  // `1 unless`: the keyword after a number is no unit.
  assert.deepStrictEqual(scopeOf(t, "1"), [
    "constant.numeric.kaohe",
    "constant.numeric.kaohe",
    "constant.numeric.kaohe",
  ]);
  // A text left open colours its line only.
  assert.deepStrictEqual(scopeOf(t, "add"), ["keyword.control.kaohe"]);
});

test("every keyword of the keyword table is coloured as a keyword", () => {
  // The table as the Rust test wrote the grammar from it.
  const g = JSON.parse(
    fs.readFileSync(path.join(root, "syntaxes/kaohe.tmLanguage.json"), "utf8"),
  );
  const keywordRules = g.repository.keyword.patterns;
  assert.ok(keywordRules.length >= 4);
  for (const word of ["扣", "最高者", "不计入加分上限", "deduct", "at most", "within bonus ceiling"]) {
    const t = tokenize(grammar, word);
    assert.strictEqual(t.length, 1, `${word}: ${JSON.stringify(t)}`);
    assert.match(t[0][1], /^(keyword|storage|constant)\./, word);
  }
});

// Words that begin many lines of a spec, in both sets.
const LINE_KEYWORDS = [
  "考核表", "一级指标", "二级指标", "考核事项", "数据", "枚举", "扣", "加", "否决",
  "评分标准", "责任单位", "材料要求", "分项", "免考核",
  "table", "section", "indicator", "item", "input", "enum", "deduct", "add",
  "veto", "rule", "responsible", "evidence", "part", "exempt",
];

test("the repository's specs: comments, and the first word of each line", () => {
  const specs = path.join(root, "../../specs");
  const table = JSON.parse(
    fs.readFileSync(path.join(root, "syntaxes/kaohe.tmLanguage.json"), "utf8"),
  );
  assert.ok(table.patterns.length > 5);
  for (const file of fs.readdirSync(specs).filter((f) => f.endsWith(".kh"))) {
    const text = fs.readFileSync(path.join(specs, file), "utf8");
    const started = Date.now();
    let state = vsctm.INITIAL;
    let checked = 0;
    for (const line of text.split("\n")) {
      const r = grammar.tokenizeLine(line, state);
      state = r.ruleStack;
      const first = r.tokens.find((t) => line.slice(t.startIndex, t.endIndex).trim() !== "");
      if (!first) continue;
      const scope = first.scopes[first.scopes.length - 1];
      const word = line.slice(first.startIndex, first.endIndex).trim();
      if (line.trim().startsWith("//")) {
        assert.strictEqual(scope, "comment.line.double-slash.kaohe", `${file}: ${line}`);
      } else if (LINE_KEYWORDS.includes(line.trim().split(/[ \t]/)[0])) {
        assert.match(scope, /^(storage|keyword)\./, `${file}: ${line}`);
        checked += 1;
      }
    }
    assert.ok(checked > 20, `${file}: ${checked} lines checked`);
    // No line may hang the editor: a spec of 100 kB in well under a second.
    assert.ok(Date.now() - started < 3000, `${file} took ${Date.now() - started} ms`);
  }
});
