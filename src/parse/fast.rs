//! The fast path of `parse`: a hand-written recursive-descent reader of
//! grammar/kaohe.pest for text that parses.
//!
//! It follows the grammar rule by rule, as pest runs it (ordered choice,
//! white space and comments skipped between the elements of a rule and kept
//! by one that ends in an empty optional part, so that every span is pest's),
//! and builds the AST that the pest path's builders build from the pairs.
//! It never reports anything: on whatever it is not sure of — a syntax
//! error, a diagnostic that the builders would raise (a duplicate entry,
//! a full-width letter in a name, a number out of range, a date that is no
//! date, two keyword sets), or a date without a year before the header's
//! year — it gives up (`None`) and the pest path runs, so that every error,
//! recovery and span is still pest's. The tests of `tests/parse_fast.rs`
//! show both paths give the same tree on every spec of the repository, on
//! generated specs and on mutated ones, and that this path gives up
//! whenever pest fails.
//!
//! Each rule's function returns `Err(Stop::Fail)` exactly where pest's rule
//! fails (a choice then tries its next alternative), and `Err(Stop::Decline)`
//! to give up the whole parse.

use super::fullwidth;
use super::keywords::KeywordSet;
use super::literals::{points, unescape};
use crate::parse::ast::*;
use crate::source::Span;
use rust_decimal::Decimal;

#[derive(Debug)]
enum Stop {
    /// The rule does not match here (pest's would not either).
    Fail,
    /// Give up: the pest path decides.
    Decline,
}
use Stop::{Decline, Fail};

type R<T> = std::result::Result<T, Stop>;

/// The tree of `text`, when this path is sure it is the pest path's; `None`
/// when the pest path must decide.
pub fn parse(text: &str) -> Option<Spec> {
    let mut p = Fast {
        t: text,
        b: text.as_bytes(),
        pos: 0,
        set: None,
        mixed: false,
        year: None,
        header_seen: false,
    };
    let spec = p.spec().ok()?;
    if p.mixed {
        return None;
    }
    Some(spec)
}

struct Fast<'a> {
    t: &'a str,
    b: &'a [u8],
    pos: usize,
    /// The keyword set of the first keyword read, and whether another was.
    set: Option<KeywordSet>,
    mixed: bool,
    /// The year of the table header, once read (for `5月31日`).
    year: Option<u32>,
    header_seen: bool,
}

/// A keyword: its English words (separated by spaces, tabs or ideographic
/// spaces) and its Chinese spelling.
struct Kw(&'static [&'static str], &'static str);

const K_TABLE: Kw = Kw(&["table"], "考核表");
const K_YEAR: Kw = Kw(&["year"], "年度");
const K_LANGUAGE: Kw = Kw(&["language"], "语言");
const K_TOTAL: Kw = Kw(&["total"], "总分");
const K_PASS: Kw = Kw(&["pass"], "合格等次");
const K_FAIL: Kw = Kw(&["fail"], "不合格等次");
const K_GRADES: Kw = Kw(&["grades"], "等次");
const K_ENUM: Kw = Kw(&["enum"], "枚举");
const K_INPUT: Kw = Kw(&["input"], "数据");
const K_OPTIONAL: Kw = Kw(&["optional"], "可缺");
const K_NOT_APPLICABLE: Kw = Kw(&["not", "applicable"], "不适用");
const K_NOT_CLAIMED: Kw = Kw(&["not", "claimed"], "未申报");
const K_FULL_MARKS: Kw = Kw(&["full", "marks"], "满分");
const K_NO_POINTS: Kw = Kw(&["no", "points"], "不计分");
const K_DEFAULT: Kw = Kw(&["default"], "缺省为");
const K_SECTION: Kw = Kw(&["section"], "一级指标");
const K_INDICATOR: Kw = Kw(&["indicator"], "二级指标");
const K_ITEM: Kw = Kw(&["item"], "考核事项");
const K_SCORE: Kw = Kw(&["score"], "分值");
const K_FROM: Kw = Kw(&["from"], "起评");
const K_DEDUCTION: Kw = Kw(&["deduction"], "扣分项");
const K_BONUS: Kw = Kw(&["bonus"], "加分项");
const K_VETO: Kw = Kw(&["veto"], "否决");
const K_PART: Kw = Kw(&["part"], "分项");
const K_RULE: Kw = Kw(&["rule"], "评分标准");
const K_EVIDENCE: Kw = Kw(&["evidence"], "材料要求");
const K_RESPONSIBLE: Kw = Kw(&["responsible"], "责任单位");
const K_AUTHORITY: Kw = Kw(&["authority"], "认定单位");
const K_DEDUCT: Kw = Kw(&["deduct"], "扣");
const K_ADD: Kw = Kw(&["add"], "加");
const K_EXEMPT: Kw = Kw(&["exempt"], "免考核");
const K_PER: Kw = Kw(&["per"], "每");
const K_WHOLE: Kw = Kw(&["whole"], "按整");
const K_CONTINUOUS: Kw = Kw(&["continuous"], "连续");
const K_OF: Kw = Kw(&["of"], "计");
const K_ABOVE: Kw = Kw(&["above"], "高于");
const K_BELOW: Kw = Kw(&["below"], "低于");
const K_EACH: Kw = Kw(&["each"], "逐个");
const K_IN: Kw = Kw(&["in"], "属于");
const K_WHERE: Kw = Kw(&["where"], "其中");
const K_ONCE: Kw = Kw(&["once"], "仅一次");
const K_HIGHEST: Kw = Kw(&["highest"], "最高者");
const K_AT_MOST: Kw = Kw(&["at", "most"], "最高");
const K_AT: Kw = Kw(&["at"], "取");
const K_IF: Kw = Kw(&["if"], "若");
const K_UNLESS: Kw = Kw(&["unless"], "除非");
const K_THEN: Kw = Kw(&["then"], "则");
const K_ELSE: Kw = Kw(&["else"], "否则");
const K_MATCH: Kw = Kw(&["match"], "按");
const K_BANDS: Kw = Kw(&["bands"], "分档");
const K_LINEAR: Kw = Kw(&["linear"], "线性");
const K_ATTRIBUTION: Kw = Kw(&["attribution"], "失分归属");
const K_LEAD: Kw = Kw(&["lead"], "牵头单位");
const K_SUPPORTING: Kw = Kw(&["supporting"], "配合单位");
const K_SHARED: Kw = Kw(&["shared"], "平均分担");
const K_TO: Kw = Kw(&["to"], "至");
const K_AND: Kw = Kw(&["and"], "且");
const K_OR: Kw = Kw(&["or"], "或");
const K_NOT: Kw = Kw(&["not"], "非");
const K_TRUE: Kw = Kw(&["true"], "是");
const K_FALSE: Kw = Kw(&["false"], "否");
const K_CHILDREN_SUM: Kw = Kw(&["children", "sum"], "下级合计");
const K_JUDGED: Kw = Kw(&["judged"], "酌情评分");
const K_EXTRA: Kw = Kw(&["extra"], "超额加分");
const K_WITHIN_CEILING: Kw = Kw(&["within", "bonus", "ceiling"], "计入加分上限");
const K_OUTSIDE_CEILING: Kw = Kw(&["outside", "bonus", "ceiling"], "不计入加分上限");
const K_WAIVED: Kw = Kw(&["waived"], "免予扣分");
const K_RESULT: Kw = Kw(&["result"], "结果");
const K_PASS_MARK: Kw = Kw(&["pass", "mark"], "合格线");
const K_PAYOUT: Kw = Kw(&["payout"], "按比例");
const K_TOP: Kw = Kw(&["top"], "前");
const K_STANDARD: Kw = Kw(&["standard"], "标准");
const CTX_BY: Kw = Kw(&["by"], "按");
const K_ANY_YEAR: Kw = Kw(&["any", "year"], "不限年度");
const K_PENDING: Kw = Kw(&["rule", "pending"], "待写规则");
const K_LEVEL3: Kw = Kw(&["level3"], "三级指标");
const K_LEVEL4: Kw = Kw(&["level4"], "四级指标");
const K_SHORT_NAME: Kw = Kw(&["short", "name"], "简称");
// Type words: not reserved, read only where a type is.
const T_BOOL: Kw = Kw(&["bool"], "是否");
const T_COUNT: Kw = Kw(&["count"], "计数");
const T_NUMBER: Kw = Kw(&["number"], "数值");
const T_RATE: Kw = Kw(&["rate"], "比率");
const T_DATE: Kw = Kw(&["date"], "日期");
const T_TEXT: Kw = Kw(&["text"], "文本");
const T_ENUM: Kw = Kw(&["enum"], "枚举");
const T_LIST: Kw = Kw(&["list"], "列表");
const T_MONTH: Kw = Kw(&["month"], "月份");
const T_QUARTER: Kw = Kw(&["quarter"], "季度");
const T_ITEM_REF: Kw = Kw(&["item", "ref"], "指标编号");

// ---------------------------------------------------------------- characters

fn is_han(c: char) -> bool {
    !c.is_ascii() && pest::unicode::HAN(c)
}

fn xid_start(c: char) -> bool {
    if c.is_ascii() {
        c.is_ascii_alphabetic()
    } else {
        pest::unicode::XID_START(c)
    }
}

fn xid_continue(c: char) -> bool {
    if c.is_ascii() {
        c.is_ascii_alphanumeric() || c == '_'
    } else {
        pest::unicode::XID_CONTINUE(c)
    }
}

/// `ident_char`: XID_CONTINUE or `_`.
fn ident_char(c: char) -> bool {
    xid_continue(c) || c == '_'
}

fn is_digit(c: char) -> bool {
    c.is_ascii_digit() || ('０'..='９').contains(&c)
}

/// The gap between the words of a keyword: `(" " | "\t" | "\u{3000}")+`.
fn gap_len(s: &str) -> usize {
    let mut n = 0;
    for c in s.chars() {
        match c {
            ' ' | '\t' | '\u{3000}' => n += c.len_utf8(),
            _ => break,
        }
    }
    n
}

/// The length of `words` (an English keyword) at the start of `s`, its
/// words separated by gaps, with no identifier character after it.
fn en_match(s: &str, words: &[&str]) -> Option<usize> {
    let mut n = 0;
    for (i, w) in words.iter().enumerate() {
        if i > 0 {
            let g = gap_len(s.get(n..)?);
            if g == 0 {
                return None;
            }
            n += g;
        }
        if !s.get(n..)?.starts_with(w) {
            return None;
        }
        n += w.len();
    }
    if s.get(n..)?.chars().next().is_some_and(ident_char) {
        return None;
    }
    Some(n)
}

/// The keyword guard (`keyword` in the grammar): whether a keyword begins
/// `s`. The spellings of the keywords that begin with its first character,
/// in the grammar's order; the first that matches is the one whose end is
/// tested.
fn keyword_at(s: &str) -> bool {
    let Some(c) = s.chars().next() else {
        return false;
    };
    if c.is_ascii_alphabetic() {
        for words in en_group(c) {
            // Each spelling of several words tests its own end; a single
            // word is tested after the choice (the same test).
            let matched = match words {
                [w] => s.starts_with(w).then_some(w.len()),
                _ => en_match(s, words),
            };
            if let Some(n) = matched {
                return !s
                    .get(n..)
                    .and_then(|r| r.chars().next())
                    .is_some_and(ident_char);
            }
        }
        false
    } else if is_han(c) {
        for w in zh_group(c) {
            if s.starts_with(w) {
                return !s
                    .get(w.len()..)
                    .and_then(|r| r.chars().next())
                    .is_some_and(is_han);
            }
        }
        false
    } else {
        false
    }
}

/// The grammar's `en_keyword`, by first letter, in its order.
fn en_group(c: char) -> &'static [&'static [&'static str]] {
    match c {
        'a' => &[
            &["above"],
            &["add"],
            &["and"],
            &["any", "year"],
            &["attribution"],
            &["at", "most"],
            &["at"],
            &["authority"],
        ],
        'b' => &[&["bands"], &["below"], &["bonus"]],
        'c' => &[&["continuous"], &["children", "sum"]],
        'd' => &[&["deduction"], &["deduct"], &["default"]],
        'e' => &[
            &["each"],
            &["else"],
            &["enum"],
            &["evidence"],
            &["exempt"],
            &["extra"],
        ],
        'f' => &[&["fail"], &["false"], &["from"]],
        'g' => &[&["grades"]],
        'h' => &[&["highest"]],
        'i' => &[&["if"], &["indicator"], &["input"], &["in"], &["item"]],
        'j' => &[&["judged"]],
        'l' => &[
            &["language"],
            &["lead"],
            &["level3"],
            &["level4"],
            &["linear"],
        ],
        'm' => &[&["match"]],
        'n' => &[
            &["not", "applicable"],
            &["not", "claimed"],
            &["no", "points"],
            &["not"],
        ],
        'o' => &[
            &["of"],
            &["once"],
            &["optional"],
            &["or"],
            &["outside", "bonus", "ceiling"],
        ],
        'p' => &[
            &["part"],
            &["pass", "mark"],
            &["pass"],
            &["payout"],
            &["per"],
        ],
        'r' => &[
            &["responsible"],
            &["result"],
            &["rule", "pending"],
            &["rule"],
        ],
        's' => &[
            &["score"],
            &["section"],
            &["shared"],
            &["short", "name"],
            &["standard"],
            &["supporting"],
        ],
        't' => &[
            &["table"],
            &["then"],
            &["top"],
            &["total"],
            &["to"],
            &["true"],
        ],
        'u' => &[&["unless"]],
        'v' => &[&["veto"]],
        'w' => &[
            &["where"],
            &["whole"],
            &["within", "bonus", "ceiling"],
            &["waived"],
        ],
        'y' => &[&["year"]],
        _ => &[],
    }
}

/// The grammar's `zh_keyword`, by first character, in its order.
fn zh_group(c: char) -> &'static [&'static str] {
    match c {
        '一' => &["一级指标"],
        '三' => &["三级指标"],
        '下' => &["下级合计"],
        '不' => &[
            "不合格等次",
            "不适用",
            "不计分",
            "不计入加分上限",
            "不限年度",
        ],
        '且' => &["且"],
        '二' => &["二级指标"],
        '仅' => &["仅一次"],
        '低' => &["低于"],
        '免' => &["免考核", "免予扣分"],
        '其' => &["其中"],
        '分' => &["分档", "分项", "分值"],
        '前' => &["前"],
        '则' => &["则"],
        '加' => &["加分项", "加"],
        '取' => &["取"],
        '可' => &["可缺"],
        '合' => &["合格等次", "合格线"],
        '否' => &["否则", "否决", "否"],
        '四' => &["四级指标"],
        '失' => &["失分归属"],
        '属' => &["属于"],
        '平' => &["平均分担"],
        '年' => &["年度"],
        '待' => &["待写规则"],
        '总' => &["总分"],
        '或' => &["或"],
        '扣' => &["扣分项", "扣"],
        '按' => &["按整", "按比例", "按"],
        '数' => &["数据"],
        '是' => &["是"],
        '未' => &["未申报"],
        '最' => &["最高者", "最高"],
        '材' => &["材料要求"],
        '标' => &["标准"],
        '枚' => &["枚举"],
        '每' => &["每"],
        '牵' => &["牵头单位"],
        '满' => &["满分"],
        '等' => &["等次"],
        '简' => &["简称"],
        '线' => &["线性"],
        '结' => &["结果"],
        '缺' => &["缺省为"],
        '考' => &["考核事项", "考核表"],
        '至' => &["至"],
        '若' => &["若"],
        '计' => &["计入加分上限", "计"],
        '认' => &["认定单位"],
        '评' => &["评分标准"],
        '语' => &["语言"],
        '责' => &["责任单位"],
        '起' => &["起评"],
        '超' => &["超额加分"],
        '连' => &["连续"],
        '逐' => &["逐个"],
        '酌' => &["酌情评分"],
        '配' => &["配合单位"],
        '除' => &["除非"],
        '非' => &["非"],
        '高' => &["高于"],
        _ => &[],
    }
}

/// Whether a keyword begins `s` (the grammar's keyword guard), for tests.
#[cfg(test)]
pub fn is_keyword_start(s: &str) -> bool {
    keyword_at(s)
}

// ---------------------------------------------------------------- the reader

/// One piece of an expression as pest's pairs give it to the Pratt parser.
enum Tok {
    Prefix(UnOp, Span),
    Infix(BinOp),
    Primary(Expr),
}

impl Tok {
    /// The precedence pest's Pratt parser gives the operator (parse::expr).
    fn prec(&self) -> u32 {
        match self {
            Tok::Infix(BinOp::Or) => 20,
            Tok::Infix(BinOp::And) => 30,
            Tok::Prefix(UnOp::Not, _) => 40,
            Tok::Infix(BinOp::Eq | BinOp::Ne | BinOp::Lt | BinOp::Le | BinOp::Gt | BinOp::Ge) => 50,
            Tok::Infix(BinOp::Add | BinOp::Sub) => 60,
            Tok::Infix(BinOp::Mul | BinOp::Div) => 70,
            Tok::Prefix(UnOp::Neg, _) => 80,
            Tok::Primary(_) => 0,
        }
    }
}

/// pest's Pratt parser (pest::pratt_parser), over the pieces in order.
struct Pratt<I: Iterator<Item = Tok>>(std::iter::Peekable<I>);

impl<I: Iterator<Item = Tok>> Pratt<I> {
    fn expr(&mut self, rbp: u32) -> R<Expr> {
        let mut lhs = self.nud()?;
        while rbp < self.lbp()? {
            lhs = self.led(lhs)?;
        }
        Ok(lhs)
    }

    fn nud(&mut self) -> R<Expr> {
        match self.0.next() {
            Some(op @ Tok::Prefix(un, at)) => {
                let rhs = self.expr(op.prec() - 1)?;
                let span = at.to(rhs.span);
                Ok(Expr {
                    kind: ExprKind::Unary(un, Box::new(rhs)),
                    span,
                })
            }
            Some(Tok::Primary(e)) => Ok(e),
            _ => Err(Decline),
        }
    }

    fn led(&mut self, lhs: Expr) -> R<Expr> {
        match self.0.next() {
            Some(op @ Tok::Infix(bin)) => {
                let rhs = self.expr(op.prec())?;
                let span = lhs.span.to(rhs.span);
                Ok(Expr {
                    kind: ExprKind::Binary(bin, Box::new(lhs), Box::new(rhs)),
                    span,
                })
            }
            _ => Err(Decline),
        }
    }

    fn lbp(&mut self) -> R<u32> {
        match self.0.peek() {
            None => Ok(0),
            Some(t @ Tok::Infix(_)) => Ok(t.prec()),
            // pest panics here; the grammar never gives it.
            Some(_) => Err(Decline),
        }
    }
}

/// The meta entries of a heading or item, each at most once.
#[derive(Default)]
struct MetaB {
    rule: Option<Text>,
    evidence: Option<Text>,
    authority: Option<Text>,
    responsible: Option<Vec<Text>>,
    lead: Option<(Text, Span)>,
    supporting: Option<(Vec<Text>, Span)>,
}

impl MetaB {
    fn build(self) -> Meta {
        Meta {
            rule: self.rule,
            evidence: self.evidence,
            authority: self.authority,
            responsible: self.responsible.unwrap_or_default(),
            lead: self.lead,
            supporting: self.supporting,
        }
    }
}

/// A slot set once; a second entry is the builders' K-duplicate: decline.
fn once<T>(slot: &mut Option<T>, value: T) -> R<()> {
    if slot.is_some() {
        return Err(Decline);
    }
    *slot = Some(value);
    Ok(())
}

impl<'a> Fast<'a> {
    // ------------------------------------------------------------ basics

    fn rest(&self) -> &'a str {
        self.t.get(self.pos..).unwrap_or("")
    }

    fn peek(&self) -> Option<char> {
        self.rest().chars().next()
    }

    /// pest's implicit white space between two elements of a rule: blanks,
    /// ideographic spaces, byte-order marks and `//` comments.
    fn ws(&mut self) {
        loop {
            match self.b.get(self.pos) {
                Some(b' ' | b'\t' | b'\n' | b'\r') => self.pos += 1,
                Some(b'/') if self.b.get(self.pos + 1) == Some(&b'/') => {
                    let rest = self.b.get(self.pos..).unwrap_or(&[]);
                    self.pos = memchr::memchr(b'\n', rest).map_or(self.b.len(), |p| self.pos + p);
                }
                Some(0xE3) if self.rest().starts_with('\u{3000}') => self.pos += 3,
                Some(0xEF) if self.rest().starts_with('\u{FEFF}') => self.pos += 3,
                _ => return,
            }
        }
    }

    /// The span of the rule that began at `start` and ends here, as
    /// `parse::span` gives it (trailing white space trimmed; a trailing
    /// comment kept).
    fn span(&self, start: usize) -> Span {
        let raw = self.t.get(start..self.pos).unwrap_or("");
        Span::new(start, start + raw.trim_end().len())
    }

    /// Try `f`; on `Fail`, go back to where it began.
    fn opt<T>(&mut self, f: impl FnOnce(&mut Self) -> R<T>) -> R<Option<T>> {
        let save = self.pos;
        match f(self) {
            Ok(v) => Ok(Some(v)),
            Err(Fail) => {
                self.pos = save;
                Ok(None)
            }
            Err(Decline) => Err(Decline),
        }
    }

    /// `f*` in a rule: the first try here, each next after white space.
    fn rep<T>(&mut self, mut f: impl FnMut(&mut Self) -> R<T>) -> R<Vec<T>> {
        let mut out = Vec::new();
        let mut first = true;
        loop {
            let save = self.pos;
            if !first {
                self.ws();
            }
            first = false;
            match f(self) {
                Ok(v) => out.push(v),
                Err(Fail) => {
                    self.pos = save;
                    return Ok(out);
                }
                Err(Decline) => return Err(Decline),
            }
        }
    }

    /// A literal string (a punctuation mark or an operator).
    fn lit(&mut self, s: &str) -> bool {
        if self.rest().starts_with(s) {
            self.pos += s.len();
            true
        } else {
            false
        }
    }

    /// One of several literals, as a rule of alternatives: its span.
    fn punct(&mut self, alts: &[&str]) -> R<Span> {
        let start = self.pos;
        for a in alts {
            if self.lit(a) {
                return Ok(Span::new(start, self.pos));
            }
        }
        Err(Fail)
    }

    fn open(&mut self) -> R<Span> {
        self.punct(&["{"])
    }
    fn close(&mut self) -> R<Span> {
        self.punct(&["}"])
    }
    fn colon(&mut self) -> R<Span> {
        self.punct(&[":", "："])
    }
    fn comma(&mut self) -> R<Span> {
        self.punct(&[",", "，", "、"])
    }
    fn arrow(&mut self) -> R<Span> {
        self.punct(&["=>"])
    }
    fn lparen(&mut self) -> R<Span> {
        self.punct(&["(", "（"])
    }
    fn rparen(&mut self) -> R<Span> {
        self.punct(&[")", "）"])
    }
    fn dot(&mut self) -> R<Span> {
        self.punct(&[".", "．"])
    }

    /// A keyword (`kw_…`, `ty_…`, `ctx_…`): its span; the set it is
    /// written in is noted.
    fn kw(&mut self, k: &Kw) -> R<Span> {
        let start = self.pos;
        let rest = self.rest();
        let (len, set) = if let Some(n) = en_match(rest, k.0) {
            (n, KeywordSet::En)
        } else if rest.starts_with(k.1)
            && !rest
                .get(k.1.len()..)
                .and_then(|r| r.chars().next())
                .is_some_and(is_han)
        {
            (k.1.len(), KeywordSet::Zh)
        } else {
            return Err(Fail);
        };
        self.pos += len;
        match self.set {
            None => self.set = Some(set),
            Some(s) if s != set => self.mixed = true,
            Some(_) => {}
        }
        Ok(Span::new(start, self.pos))
    }

    /// `punct_fen`: 分 not followed by an identifier character.
    fn fen(&mut self) -> R<()> {
        let rest = self.rest();
        if rest.starts_with('分')
            && !rest
                .get(3..)
                .and_then(|r| r.chars().next())
                .is_some_and(ident_char)
        {
            self.pos += 3;
            Ok(())
        } else {
            Err(Fail)
        }
    }

    // ------------------------------------------------------------ leaves

    /// `ident`: no keyword, XID_START or `_`, then XID_CONTINUE or `_`.
    fn ident(&mut self) -> R<Name> {
        let start = self.pos;
        let rest = self.rest();
        if keyword_at(rest) {
            return Err(Fail);
        }
        let mut chars = rest.chars();
        match chars.next() {
            Some(c) if xid_start(c) || c == '_' => self.pos += c.len_utf8(),
            _ => return Err(Fail),
        }
        for c in chars {
            if !ident_char(c) {
                break;
            }
            self.pos += c.len_utf8();
        }
        let text = self.t.get(start..self.pos).unwrap_or("");
        let span = Span::new(start, self.pos);
        if !text.is_ascii() && fullwidth::in_name(text, span).is_some() {
            return Err(Decline);
        }
        Ok(Name {
            text: text.to_string(),
            span,
        })
    }

    /// `label`: an id as tables write it.
    fn label(&mut self) -> R<Name> {
        let start = self.pos;
        for c in self.rest().chars() {
            let ok = c.is_ascii_alphanumeric()
                || matches!(
                    c,
                    '.' | '-' | '_' | '．' | '。' | '－' | '、' | '(' | ')' | '（' | '）'
                )
                || ('①'..='⑳').contains(&c)
                || xid_continue(c);
            if !ok {
                break;
            }
            self.pos += c.len_utf8();
        }
        if self.pos == start {
            return Err(Fail);
        }
        let text = self.t.get(start..self.pos).unwrap_or("");
        Ok(Name {
            text: fullwidth::label_ascii(text).into_owned(),
            span: Span::new(start, self.pos),
        })
    }

    /// Digits, ASCII or full-width: how many bytes.
    fn digits(&mut self) -> usize {
        let start = self.pos;
        for c in self.rest().chars() {
            if !is_digit(c) {
                break;
            }
            self.pos += c.len_utf8();
        }
        self.pos - start
    }

    /// `number`: its value and span.
    fn number(&mut self) -> R<(Decimal, Span)> {
        let start = self.pos;
        if self.digits() == 0 {
            return Err(Fail);
        }
        let save = self.pos;
        if (self.lit(".") || self.lit("．") || self.lit("。")) && self.digits() == 0 {
            self.pos = save;
        }
        let text = self.t.get(start..self.pos).unwrap_or("");
        let value = Decimal::from_str_exact(&fullwidth::to_ascii(text)).map_err(|_| Decline)?;
        Ok((value, Span::new(start, self.pos)))
    }

    /// `unit`: `%`, `％`, or a word that is no keyword.
    fn unit(&mut self) -> R<Name> {
        let start = self.pos;
        if !(self.lit("%") || self.lit("％")) {
            let rest = self.rest();
            if keyword_at(rest) {
                return Err(Fail);
            }
            let mut chars = rest.chars();
            match chars.next() {
                Some(c) if xid_start(c) || c == 'μ' || c == 'µ' => self.pos += c.len_utf8(),
                _ => return Err(Fail),
            }
            for c in chars {
                if !(xid_continue(c) || matches!(c, '/' | '³' | '²' | '·' | 'μ' | 'µ')) {
                    break;
                }
                self.pos += c.len_utf8();
            }
        }
        let text = self.t.get(start..self.pos).unwrap_or("");
        let span = Span::new(start, self.pos);
        if fullwidth::in_name(text, span).is_some() {
            return Err(Decline);
        }
        Ok(Name {
            text: fullwidth::label_ascii(text).into_owned(),
            span,
        })
    }

    /// `quantity`: a number with a unit right after it (one space at most).
    fn quantity(&mut self) -> R<(Decimal, Option<Name>, Span)> {
        let start = self.pos;
        let (value, _) = self.number()?;
        let unit = self.opt(|p| {
            let _ = p.lit(" ") || p.lit("\u{3000}");
            p.unit()
        })?;
        Ok((value, unit, Span::new(start, self.pos)))
    }

    /// `string`: a text in "…" (with escapes), “…” or ‘…’.
    fn string(&mut self) -> R<Text> {
        let start = self.pos;
        let rest = self.rest();
        let value = if rest.starts_with('"') {
            // Runs of plain characters found by one search each (memchr).
            let body = rest.get(1..).unwrap_or("").as_bytes();
            let mut i = 0;
            let mut escaped = false;
            let end = loop {
                let at = i + memchr::memchr3(b'"', b'\\', b'\n', body.get(i..).unwrap_or(&[]))
                    .ok_or(Fail)?;
                match body.get(at) {
                    Some(b'"') => break at,
                    Some(b'\\') if matches!(body.get(at + 1), Some(b'"' | b'\\' | b'n')) => {
                        escaped = true;
                        i = at + 2;
                    }
                    _ => return Err(Fail),
                }
            };
            let raw = rest.get(1..1 + end).unwrap_or("");
            self.pos += 1 + end + 1;
            if escaped {
                unescape(raw)
            } else {
                raw.to_string()
            }
        } else {
            let close = if rest.starts_with('“') {
                '”'
            } else if rest.starts_with('‘') {
                '’'
            } else {
                return Err(Fail);
            };
            let body = rest.get(3..).unwrap_or("");
            let end = body.find([close, '\n']).ok_or(Fail)?;
            if !body.get(end..).is_some_and(|r| r.starts_with(close)) {
                return Err(Fail);
            }
            self.pos += 3 + end + 3;
            body.get(..end).unwrap_or("").to_string()
        };
        Ok(Text {
            value,
            span: Span::new(start, self.pos),
        })
    }

    /// `date`: 2024-05-31, 2024年5月31日, 2024/5/31 or 5月31日, as its day.
    fn date(&mut self) -> R<Expr> {
        let start = self.pos;
        let (len, y, m, d) = date_text(self.rest()).ok_or(Fail)?;
        self.pos = start + len;
        let y = match y {
            Some(y) => y,
            // The header's year, when it has been read; else pest decides.
            None => self.year.ok_or(Decline)?,
        };
        let iso = format!("{y:04}-{m:02}-{d:02}");
        let day = crate::date::parse(&iso).ok_or(Decline)?;
        Ok(Expr {
            kind: ExprKind::Date(day),
            span: Span::new(start, self.pos),
        })
    }
}

/// The grammar's `date` at the start of `s`: its length, year (none in
/// `5月31日`), month and day.
fn date_text(s: &str) -> Option<(usize, Option<u32>, u32, u32)> {
    // Up to `max` digits (at least `min`) from byte `at`: (end, value).
    let digits = |at: usize, min: usize, max: usize| -> Option<(usize, u32)> {
        let mut end = at;
        let mut n = 0;
        let mut value: u32 = 0;
        for c in s.get(at..)?.chars() {
            if n == max || !is_digit(c) {
                break;
            }
            let half = fullwidth::half_width(c).unwrap_or(c);
            value = value * 10 + half.to_digit(10)?;
            end += c.len_utf8();
            n += 1;
        }
        (n >= min).then_some((end, value))
    };
    let lit = |at: usize, alts: &[&str]| -> Option<usize> {
        let r = s.get(at..)?;
        alts.iter()
            .find(|a| r.starts_with(**a))
            .map(|a| at + a.len())
    };
    let long = || -> Option<(usize, Option<u32>, u32, u32)> {
        let (at, y) = digits(0, 4, 4)?;
        let dashed = || {
            let at = lit(at, &["-", "－"])?;
            let (at, m) = digits(at, 2, 2)?;
            let at = lit(at, &["-", "－"])?;
            let (at, d) = digits(at, 2, 2)?;
            Some((at, Some(y), m, d))
        };
        let chinese = || {
            let at = lit(at, &["年"])?;
            let (at, m) = digits(at, 1, 2)?;
            let at = lit(at, &["月"])?;
            let (at, d) = digits(at, 1, 2)?;
            let at = lit(at, &["日"])?;
            Some((at, Some(y), m, d))
        };
        let slashed = || {
            let at = lit(at, &["/"])?;
            let (at, m) = digits(at, 1, 2)?;
            let at = lit(at, &["/"])?;
            let (at, d) = digits(at, 1, 2)?;
            Some((at, Some(y), m, d))
        };
        dashed().or_else(chinese).or_else(slashed)
    };
    let short = || {
        let (at, m) = digits(0, 1, 2)?;
        let at = lit(at, &["月"])?;
        let (at, d) = digits(at, 1, 2)?;
        let at = lit(at, &["日"])?;
        Some((at, None, m, d))
    };
    if !s.chars().next().is_some_and(is_digit) {
        return None;
    }
    long().or_else(short)
}

// ---------------------------------------------------------------- expressions

impl Fast<'_> {
    /// `expr`: prefixes, a postfix expression, then operator and operand
    /// pairs; built by pest's Pratt parser's rules.
    fn expr(&mut self) -> R<Expr> {
        let mut toks = Vec::new();
        self.prefixes(&mut toks)?;
        self.ws();
        toks.push(Tok::Primary(self.postfix_expr()?));
        self.ws();
        let mut first = true;
        loop {
            let save = self.pos;
            let len = toks.len();
            if !first {
                self.ws();
            }
            first = false;
            let step = (|| -> R<()> {
                toks.push(self.infix()?);
                self.ws();
                self.prefixes(&mut toks)?;
                self.ws();
                toks.push(Tok::Primary(self.postfix_expr()?));
                Ok(())
            })();
            match step {
                Ok(()) => {}
                Err(Fail) => {
                    self.pos = save;
                    toks.truncate(len);
                    break;
                }
                Err(Decline) => return Err(Decline),
            }
        }
        Pratt(toks.into_iter().peekable()).expr(0)
    }

    /// `prefix*`: `not` and `-`.
    fn prefixes(&mut self, toks: &mut Vec<Tok>) -> R<()> {
        let ops = self.rep(|p| {
            if let Some(at) = p.opt(|p| p.kw(&K_NOT))? {
                return Ok(Tok::Prefix(UnOp::Not, at));
            }
            let at = p.punct(&["-", "－"])?;
            Ok(Tok::Prefix(UnOp::Neg, at))
        })?;
        toks.extend(ops);
        Ok(())
    }

    /// `infix`, in the grammar's order.
    fn infix(&mut self) -> R<Tok> {
        if self.opt(|p| p.kw(&K_OR))?.is_some() {
            return Ok(Tok::Infix(BinOp::Or));
        }
        if self.opt(|p| p.kw(&K_AND))?.is_some() {
            return Ok(Tok::Infix(BinOp::And));
        }
        let ops: [(&[&str], BinOp); 10] = [
            (&["<=", "≤"], BinOp::Le),
            (&[">=", "≥"], BinOp::Ge),
            (&["!=", "≠"], BinOp::Ne),
            (&["<"], BinOp::Lt),
            (&[">"], BinOp::Gt),
            (&["="], BinOp::Eq),
            (&["+"], BinOp::Add),
            (&["-", "－"], BinOp::Sub),
            (&["*", "×"], BinOp::Mul),
            (&["/", "÷"], BinOp::Div),
        ];
        for (alts, op) in ops {
            if self.punct(alts).is_ok() {
                return Ok(Tok::Infix(op));
            }
        }
        Err(Fail)
    }

    /// `cmp_op` of a band's bound.
    fn cmp_op(&mut self) -> R<BinOp> {
        let ops: [(&[&str], BinOp); 6] = [
            (&["<=", "≤"], BinOp::Le),
            (&[">=", "≥"], BinOp::Ge),
            (&["!=", "≠"], BinOp::Ne),
            (&["<"], BinOp::Lt),
            (&[">"], BinOp::Gt),
            (&["="], BinOp::Eq),
        ];
        for (alts, op) in ops {
            if self.punct(alts).is_ok() {
                return Ok(op);
            }
        }
        Err(Fail)
    }

    /// `postfix_expr`: a primary and its field accesses.
    fn postfix_expr(&mut self) -> R<Expr> {
        let mut e = self.primary()?;
        self.ws();
        let fields = self.rep(|p| {
            p.dot()?;
            p.ws();
            p.ident()
        })?;
        for field in fields {
            let at = e.span.to(field.span);
            e = Expr {
                kind: ExprKind::Field(Box::new(e), field),
                span: at,
            };
        }
        Ok(e)
    }

    /// `primary`, its alternatives in the grammar's order.
    fn primary(&mut self) -> R<Expr> {
        let start = self.pos;
        let first = self.peek().ok_or(Fail)?;
        if is_digit(first) {
            if let Some(e) = self.opt(|p| p.date())? {
                return Ok(e);
            }
            if let Some((value, unit, span)) = self.opt(|p| p.quantity())? {
                return Ok(Expr {
                    kind: ExprKind::Number(value, unit),
                    span,
                });
            }
        }
        // `name`: an identifier with no `(` after it (white space between).
        if let Some(n) = self.opt(|p| {
            let n = p.ident()?;
            p.ws();
            if p.rest().starts_with('(') || p.rest().starts_with('（') {
                return Err(Fail);
            }
            Ok(n)
        })? {
            let span = n.span;
            return Ok(Expr {
                kind: ExprKind::Name(n),
                span,
            });
        }
        if let Some(kind) = self.opt(|p| p.call())? {
            return Ok(Expr {
                kind,
                span: self.span(start),
            });
        }
        if let Some(t) = self.opt(|p| p.string())? {
            return Ok(Expr {
                kind: ExprKind::Str(t.value),
                span: t.span,
            });
        }
        if let Some(e) = self.opt(|p| {
            p.lparen()?;
            p.ws();
            let e = p.expr()?;
            p.ws();
            p.rparen()?;
            Ok(e)
        })? {
            return Ok(e);
        }
        if let Some(kind) = self.opt(|p| {
            p.kw(&K_IF)?;
            p.ws();
            let c = p.expr()?;
            p.ws();
            p.kw(&K_THEN)?;
            p.ws();
            let t = p.expr()?;
            p.ws();
            p.kw(&K_ELSE)?;
            p.ws();
            let f = p.expr()?;
            Ok(ExprKind::If(Box::new(c), Box::new(t), Box::new(f)))
        })? {
            return Ok(Expr {
                kind,
                span: self.span(start),
            });
        }
        if let Some(kind) = self.opt(|p| {
            p.kw(&K_MATCH)?;
            p.ws();
            let scrutinee = p.expr()?;
            p.ws();
            p.open()?;
            p.ws();
            let arms = p.arms()?;
            Ok(ExprKind::Match(Box::new(scrutinee), arms))
        })? {
            return Ok(Expr {
                kind,
                span: self.span(start),
            });
        }
        if let Some(kind) = self.opt(|p| {
            p.kw(&K_BANDS)?;
            p.ws();
            let scrutinee = p.expr()?;
            p.ws();
            p.open()?;
            p.ws();
            let bands = p.bands()?;
            p.ws();
            p.close()?;
            Ok(ExprKind::Bands(Box::new(scrutinee), bands))
        })? {
            return Ok(Expr {
                kind,
                span: self.span(start),
            });
        }
        if let Some(b) = self.opt(|p| {
            if p.opt(|p| p.kw(&K_TRUE))?.is_some() {
                return Ok(true);
            }
            p.kw(&K_FALSE)?;
            Ok(false)
        })? {
            return Ok(Expr {
                kind: ExprKind::Bool(b),
                span: self.span(start),
            });
        }
        Err(Fail)
    }

    /// `match_arm ~ (punct_comma? ~ match_arm)* ~ punct_comma? ~ punct_close`
    /// (the opening brace read).
    fn arms(&mut self) -> R<Vec<MatchArm>> {
        let mut arms = vec![self.match_arm()?];
        self.ws();
        arms.extend(self.rep(|p| {
            p.opt(|p| p.comma())?;
            p.ws();
            p.match_arm()
        })?);
        self.ws();
        self.opt(|p| p.comma())?;
        self.ws();
        self.close()?;
        Ok(arms)
    }

    /// `match_arm`: `"text" => expr` or `else => expr`.
    fn match_arm(&mut self) -> R<MatchArm> {
        let start = self.pos;
        let pattern = match self.opt(|p| p.string())? {
            Some(t) => Some(t),
            None => {
                self.kw(&K_ELSE)?;
                None
            }
        };
        self.ws();
        self.arrow()?;
        self.ws();
        let value = self.expr()?;
        Ok(MatchArm {
            pattern,
            value,
            span: self.span(start),
        })
    }

    /// `band+`.
    fn bands(&mut self) -> R<Vec<Band>> {
        let mut bands = vec![self.band()?];
        self.ws();
        bands.extend(self.rep(|p| p.band())?);
        Ok(bands)
    }

    /// `band`: bounds, `=>`, a value, an optional comma.
    fn band(&mut self) -> R<Band> {
        let start = self.pos;
        let lower = self.bound()?;
        self.ws();
        let upper = self.opt(|p| {
            p.kw(&K_AND)?;
            p.ws();
            p.bound()
        })?;
        self.ws();
        self.arrow()?;
        self.ws();
        let value = match self.opt(|p| {
            p.kw(&K_LINEAR)?;
            p.ws();
            let from = p.postfix_expr()?;
            p.ws();
            p.kw(&K_TO)?;
            p.ws();
            let to = p.postfix_expr()?;
            Ok(BandValue::Linear(from, to))
        })? {
            Some(v) => v,
            None => BandValue::Value(self.postfix_expr()?),
        };
        self.ws();
        self.opt(|p| p.comma())?;
        Ok(Band {
            lower: Some(lower),
            upper,
            value,
            span: self.span(start),
        })
    }

    /// `bound`: a comparison and a signed quantity.
    fn bound(&mut self) -> R<Bound> {
        let start = self.pos;
        let op = self.cmp_op()?;
        self.ws();
        let negative = self.punct(&["-", "－"]).is_ok();
        let (value, unit, _) = self.quantity()?;
        Ok(Bound {
            op,
            value: if negative { -value } else { value },
            unit,
            span: self.span(start),
        })
    }

    /// `call`: a function's name and its arguments, or a binding.
    fn call(&mut self) -> R<ExprKind> {
        let func = self.ident()?;
        self.ws();
        self.lparen()?;
        self.ws();
        let binding = self.opt(|p| {
            let var = p.ident()?;
            p.ws();
            p.kw(&K_IN)?;
            p.ws();
            let list = p.expr()?;
            p.ws();
            let filter = p.opt(|p| {
                p.kw(&K_WHERE)?;
                p.ws();
                p.expr()
            })?;
            p.ws();
            let value = p.opt(|p| {
                p.colon()?;
                p.ws();
                p.expr()
            })?;
            Ok(Binding {
                var,
                list,
                filter,
                value,
            })
        })?;
        if let Some(b) = binding {
            self.ws();
            self.rparen()?;
            return Ok(ExprKind::Aggregate(func, Box::new(b)));
        }
        // Each argument with its raw extent (start, end), for K0115.
        let args = self.opt(|p| {
            let s = p.pos;
            let first = p.expr()?;
            let mut args = vec![(first, s, p.pos)];
            p.ws();
            args.extend(p.rep(|p| {
                p.comma()?;
                p.ws();
                let s = p.pos;
                let e = p.expr()?;
                Ok((e, s, p.pos))
            })?);
            Ok(args)
        })?;
        self.ws();
        self.rparen()?;
        let args = args.unwrap_or_default();
        for pair in args.windows(2) {
            if let [(_, a0, a1), (_, b0, b1)] = pair
                && self.thousands(*a0, *a1, *b0, *b1)
            {
                return Err(Decline);
            }
        }
        Ok(ExprKind::Call(
            func,
            args.into_iter().map(|(e, _, _)| e).collect(),
        ))
    }

    /// Whether two arguments read as a number with a thousands separator
    /// (`max(1,000)`, K0115 in parse::expr).
    fn thousands(&self, a0: usize, a1: usize, b0: usize, b1: usize) -> bool {
        let a = self.t.get(a0..a1).unwrap_or("");
        let group = self.t.get(b0..b1).unwrap_or("");
        let digits = |s: &str| s.chars().all(is_digit);
        let glued = a1 + 1 == b0 || a1 + "，".len() == b0;
        let number = |s: &str| s.chars().all(|c| is_digit(c) || c == '.' || c == '．');
        glued && group.chars().count() == 3 && digits(group) && number(a)
    }
}

// ---------------------------------------------------------------- clauses

impl Fast<'_> {
    /// `clause`: deduct, add, veto, exempt or extra.
    fn clause(&mut self) -> R<Clause> {
        let start = self.pos;
        let mut reason = None;
        let (kind, keyword) = if let Some(keyword) = self.opt(|p| p.kw(&K_DEDUCT))? {
            let s = self.scoring(&mut reason)?;
            (ClauseKind::Deduct(s), keyword)
        } else if let Some(keyword) = self.opt(|p| p.kw(&K_ADD))? {
            let s = self.scoring(&mut reason)?;
            (ClauseKind::Add(s), keyword)
        } else if let Some(keyword) = self.opt(|p| p.kw(&K_VETO))? {
            self.ws();
            let c = self.condition()?;
            self.ws();
            reason = self.opt(|p| p.string())?;
            (ClauseKind::Veto(c), keyword)
        } else if let Some(keyword) = self.opt(|p| p.kw(&K_EXEMPT))? {
            self.ws();
            let c = self.condition()?;
            self.ws();
            reason = self.opt(|p| p.string())?;
            (ClauseKind::Exempt(c), keyword)
        } else {
            let keyword = self.kw(&K_EXTRA)?;
            self.ws();
            let amount = self.amount()?;
            self.ws();
            let caps = self.rep(|p| p.cap())?;
            self.ws();
            let condition = self.opt(|p| p.condition())?;
            self.ws();
            self.comma()?;
            self.ws();
            let ceiling = if self.opt(|p| p.kw(&K_WITHIN_CEILING))?.is_some() {
                ExtraCeiling::Within
            } else {
                self.kw(&K_OUTSIDE_CEILING)?;
                ExtraCeiling::Outside
            };
            self.ws();
            reason = self.opt(|p| p.string())?;
            let s = Scoring {
                amount,
                caps,
                condition,
            };
            (ClauseKind::Extra(s, ceiling), keyword)
        };
        Ok(Clause {
            kind,
            span: self.span(start),
            keyword,
            reason,
        })
    }

    /// The rest of a deduct or add clause: `amount ~ cap* ~ condition? ~ string?`.
    fn scoring(&mut self, reason: &mut Option<Text>) -> R<Scoring> {
        self.ws();
        let amount = self.amount()?;
        self.ws();
        let caps = self.rep(|p| p.cap())?;
        self.ws();
        let condition = self.opt(|p| p.condition())?;
        self.ws();
        *reason = self.opt(|p| p.string())?;
        Ok(Scoring {
            amount,
            caps,
            condition,
        })
    }

    /// `condition`: `if EXPR` or `unless EXPR`.
    fn condition(&mut self) -> R<Condition> {
        let negated = if self.opt(|p| p.kw(&K_IF))?.is_some() {
            false
        } else {
            self.kw(&K_UNLESS)?;
            true
        };
        self.ws();
        Ok(Condition {
            negated,
            expr: self.expr()?,
        })
    }

    /// `cap`: `, at most EXPR` with an optional `per EXPR`.
    fn cap(&mut self) -> R<Cap> {
        let start = self.pos;
        self.comma()?;
        self.ws();
        self.kw(&K_AT_MOST)?;
        self.ws();
        let limit = points(self.expr()?);
        self.ws();
        let per = self.opt(|p| {
            p.kw(&K_PER)?;
            p.ws();
            p.expr()
        })?;
        Ok(Cap {
            limit,
            per,
            span: self.span(start),
        })
    }

    /// `amount`: `each …`, or an expression with an optional `per …`.
    fn amount(&mut self) -> R<Amount> {
        if let Some(each) = self.opt(|p| p.each_amount())? {
            return Ok(Amount::Each(each));
        }
        let rate_start = self.pos;
        let rate = self.expr()?;
        let rate_end = self.span(rate_start).end;
        self.ws();
        let per = self.opt(|p| {
            p.kw(&K_PER)?;
            p.ws();
            let rounding = p.opt(|p| {
                let s = p.pos;
                let r = if p.opt(|p| p.kw(&K_WHOLE))?.is_some() {
                    Rounding::Whole
                } else {
                    p.kw(&K_CONTINUOUS)?;
                    Rounding::Continuous
                };
                Ok((r, p.span(s)))
            })?;
            p.ws();
            let step = p.opt(|p| {
                let (value, unit, span) = p.quantity()?;
                p.ws();
                p.kw(&K_OF)?;
                Ok(Expr {
                    kind: ExprKind::Number(value, unit),
                    span,
                })
            })?;
            p.ws();
            let quantity = p.expr()?;
            p.ws();
            let gap = p.opt(|p| {
                let dir = if p.opt(|p| p.kw(&K_ABOVE))?.is_some() {
                    GapDir::Above
                } else {
                    p.kw(&K_BELOW)?;
                    GapDir::Below
                };
                p.ws();
                Ok((dir, p.expr()?))
            })?;
            Ok((rounding, step, quantity, gap))
        })?;
        let _ = rate_end;
        Ok(match per {
            None => Amount::Fixed(points(rate)),
            Some((rounding, step, quantity, gap)) => Amount::Per(PerAmount {
                rate: points(rate),
                rounding,
                step,
                quantity,
                gap,
                span: self.span(rate_start),
            }),
        })
    }

    /// `each_amount`: `each VAR in LIST where … , once per … at highest: VALUE`.
    fn each_amount(&mut self) -> R<EachAmount> {
        self.kw(&K_EACH)?;
        self.ws();
        let var = self.ident()?;
        self.ws();
        self.kw(&K_IN)?;
        self.ws();
        let list = self.expr()?;
        self.ws();
        let filter = self.opt(|p| {
            p.kw(&K_WHERE)?;
            p.ws();
            p.expr()
        })?;
        self.ws();
        let once_per = self.opt(|p| {
            p.comma()?;
            p.ws();
            p.kw(&K_ONCE)?;
            p.ws();
            p.kw(&K_PER)?;
            p.ws();
            let e = p.expr()?;
            p.ws();
            p.kw(&K_AT)?;
            p.ws();
            p.kw(&K_HIGHEST)?;
            Ok(e)
        })?;
        self.ws();
        self.colon()?;
        self.ws();
        let value = self.expr()?;
        Ok(EachAmount {
            var,
            list,
            filter,
            once_per,
            value,
        })
    }

    /// `waiver_decl`: `waived if COND "reason"`.
    fn waiver(&mut self) -> R<Waiver> {
        let start = self.pos;
        let keyword = self.kw(&K_WAIVED)?;
        self.ws();
        let condition = self.condition()?;
        self.ws();
        let reason = self.opt(|p| p.string())?;
        Ok(Waiver {
            condition,
            reason,
            span: self.span(start),
            keyword,
        })
    }

    /// `judged_decl`, with the input it declares.
    fn judged(&mut self, inputs: &mut Vec<InputDecl>, body: &mut Vec<Entry>) -> R<()> {
        let start = self.pos;
        self.kw(&K_JUDGED)?;
        self.ws();
        let name = self.ident()?;
        self.ws();
        let how = self.opt(|p| p.string())?;
        self.ws();
        let default = self.opt(|p| {
            p.kw(&K_DEFAULT)?;
            p.ws();
            let n = p.number()?;
            p.ws();
            p.opt(|p| p.fen())?;
            Ok(n)
        })?;
        let sp = self.span(start);
        super::judged::declare(name, how, default, sp, inputs, body);
        Ok(())
    }

    /// `pending_decl`: `rule pending "…"`.
    fn pending(&mut self) -> R<Pending> {
        let start = self.pos;
        self.kw(&K_PENDING)?;
        self.ws();
        let sentence = self.string()?;
        Ok(Pending {
            sentence,
            span: self.span(start),
        })
    }
}

// ---------------------------------------------------------------- inputs

impl Fast<'_> {
    /// `enum_body`: `{ "a", "b", }`.
    fn enum_body(&mut self) -> R<Vec<Text>> {
        self.open()?;
        self.ws();
        let mut out = vec![self.string()?];
        self.ws();
        out.extend(self.rep(|p| {
            p.comma()?;
            p.ws();
            p.string()
        })?);
        self.ws();
        self.opt(|p| p.comma())?;
        self.ws();
        self.close()?;
        Ok(out)
    }

    /// `enum_decl`.
    fn enum_decl(&mut self) -> R<EnumDecl> {
        self.kw(&K_ENUM)?;
        self.ws();
        let name = self.ident()?;
        self.ws();
        let variants = self.enum_body()?;
        Ok(EnumDecl { name, variants })
    }

    /// `input_decl`: `input NAME: TYPE options "description" options`.
    fn input_decl(&mut self) -> R<InputDecl> {
        let start = self.pos;
        self.kw(&K_INPUT)?;
        self.ws();
        let name = self.ident()?;
        self.ws();
        self.colon()?;
        self.ws();
        let ty = self.type_expr()?;
        let mut decl = InputDecl::new(name, ty, Span::default());
        self.ws();
        let before = self.rep(|p| p.input_opt())?;
        self.ws();
        let description = self.opt(|p| p.string())?;
        self.ws();
        let after = self.rep(|p| p.input_opt())?;
        let apply = |decl: &mut InputDecl, o: InputOpt| match o {
            InputOpt::ShortName(t) => decl.short_name = t,
            InputOpt::Absence(rules) => decl.absence.extend(rules),
            InputOpt::Optional => decl.optional = true,
            InputOpt::Default(e) => decl.default = Some(e),
        };
        for o in before {
            apply(&mut decl, o);
        }
        if description.is_some() {
            decl.description = description;
        }
        for o in after {
            apply(&mut decl, o);
        }
        decl.span = self.span(start);
        Ok(decl)
    }

    /// `input_opt`: absence rules, `optional`, `default EXPR`, `short name`.
    fn input_opt(&mut self) -> R<InputOpt> {
        if let Some(rules) = self.opt(|p| {
            p.kw(&K_OPTIONAL)?;
            p.ws();
            p.colon()?;
            p.ws();
            let mut rules = vec![p.absence_rule()?];
            p.ws();
            rules.extend(p.rep(|p| {
                p.comma()?;
                p.ws();
                p.absence_rule()
            })?);
            Ok(rules)
        })? {
            return Ok(InputOpt::Absence(rules));
        }
        if self.opt(|p| p.kw(&K_OPTIONAL))?.is_some() {
            return Ok(InputOpt::Optional);
        }
        if let Some(e) = self.opt(|p| {
            p.kw(&K_DEFAULT)?;
            p.ws();
            p.expr()
        })? {
            return Ok(InputOpt::Default(e));
        }
        self.kw(&K_SHORT_NAME)?;
        self.ws();
        Ok(InputOpt::ShortName(Some(self.string()?)))
    }

    /// `absence_rule`: `not applicable => full marks`.
    fn absence_rule(&mut self) -> R<AbsenceRule> {
        let start = self.pos;
        let word = if self.opt(|p| p.kw(&K_NOT_APPLICABLE))?.is_some() {
            AbsenceWord::NotApplicable
        } else {
            self.kw(&K_NOT_CLAIMED)?;
            AbsenceWord::NotClaimed
        };
        self.ws();
        self.arrow()?;
        self.ws();
        let outcome = if self.opt(|p| p.kw(&K_FULL_MARKS))?.is_some() {
            AbsenceOutcome::FullMarks
        } else {
            self.kw(&K_NO_POINTS)?;
            AbsenceOutcome::NoPoints
        };
        Ok(AbsenceRule {
            word,
            outcome,
            span: self.span(start),
        })
    }

    /// `type_expr`: a list of fields or a scalar type.
    fn type_expr(&mut self) -> R<TypeExpr> {
        if let Some(list) = self.opt(|p| {
            let start = p.pos;
            p.kw(&T_LIST)?;
            p.ws();
            p.open()?;
            p.ws();
            let mut fields = vec![p.field_decl()?];
            p.ws();
            fields.extend(p.rep(|p| {
                p.comma()?;
                p.ws();
                p.field_decl()
            })?);
            p.ws();
            p.opt(|p| p.comma())?;
            p.ws();
            p.close()?;
            Ok(TypeExpr::List(fields, p.span(start)))
        })? {
            return Ok(list);
        }
        Ok(TypeExpr::Scalar(self.scalar_type()?))
    }

    /// `field_decl`: `NAME: TYPE any year "description"`.
    fn field_decl(&mut self) -> R<FieldDecl> {
        let name = self.ident()?;
        self.ws();
        self.colon()?;
        self.ws();
        let ty = self.scalar_type()?;
        self.ws();
        let any_year = self.opt(|p| p.kw(&K_ANY_YEAR))?;
        self.ws();
        let description = self.opt(|p| p.string())?;
        Ok(FieldDecl {
            name,
            ty,
            description,
            any_year,
        })
    }

    /// `scalar_type`, its alternatives in the grammar's order.
    fn scalar_type(&mut self) -> R<ScalarType> {
        let start = self.pos;
        if self.opt(|p| p.kw(&T_BOOL))?.is_some() {
            return Ok(ScalarType::Bool(self.span(start)));
        }
        if self.opt(|p| p.kw(&T_COUNT))?.is_some() {
            self.ws();
            let unit = self.opt(|p| p.unit())?;
            return Ok(ScalarType::Count(unit, self.span(start)));
        }
        if self.opt(|p| p.kw(&T_NUMBER))?.is_some() {
            self.ws();
            let unit = self.opt(|p| p.unit())?;
            return Ok(ScalarType::Number(unit, self.span(start)));
        }
        if self.opt(|p| p.kw(&T_RATE))?.is_some() {
            return Ok(ScalarType::Rate(self.span(start)));
        }
        if self.opt(|p| p.kw(&T_DATE))?.is_some() {
            return Ok(ScalarType::Date(self.span(start)));
        }
        if self.opt(|p| p.kw(&T_TEXT))?.is_some() {
            return Ok(ScalarType::Text(self.span(start)));
        }
        if let Some(body) = self.opt(|p| {
            p.kw(&T_ENUM)?;
            p.ws();
            p.enum_body()
        })? {
            return Ok(ScalarType::Enum(body, self.span(start)));
        }
        if self.opt(|p| p.kw(&T_MONTH))?.is_some() {
            return Ok(ScalarType::Month(self.span(start)));
        }
        if self.opt(|p| p.kw(&T_QUARTER))?.is_some() {
            return Ok(ScalarType::Quarter(self.span(start)));
        }
        if self.opt(|p| p.kw(&T_ITEM_REF))?.is_some() {
            return Ok(ScalarType::ItemRef(self.span(start)));
        }
        Ok(ScalarType::Named(self.ident()?))
    }
}

/// One `input_opt`, as the builder reads it.
enum InputOpt {
    ShortName(Option<Text>),
    Absence(Vec<AbsenceRule>),
    Optional,
    Default(Expr),
}

// ---------------------------------------------------------------- structure

/// What may stand in a heading's body.
#[derive(Clone, Copy, PartialEq)]
enum Child {
    Indicator,
    Level3,
    Level4,
    Items,
}

impl Fast<'_> {
    /// `meta`: rule, evidence, responsible, authority, lead, supporting.
    fn meta(&mut self, m: &mut MetaB) -> R<()> {
        let start = self.pos;
        if self.opt(|p| p.kw(&K_RULE))?.is_some() {
            self.ws();
            return once(&mut m.rule, self.string()?);
        }
        if self.opt(|p| p.kw(&K_EVIDENCE))?.is_some() {
            self.ws();
            return once(&mut m.evidence, self.string()?);
        }
        if self.opt(|p| p.kw(&K_RESPONSIBLE))?.is_some() {
            self.ws();
            let list = self.string_list()?;
            return once(&mut m.responsible, list);
        }
        if self.opt(|p| p.kw(&K_AUTHORITY))?.is_some() {
            self.ws();
            return once(&mut m.authority, self.string()?);
        }
        if self.opt(|p| p.kw(&K_LEAD))?.is_some() {
            self.ws();
            let t = self.string()?;
            let at = self.span(start);
            return once(&mut m.lead, (t, at));
        }
        self.kw(&K_SUPPORTING)?;
        self.ws();
        let list = self.string_list()?;
        let at = self.span(start);
        once(&mut m.supporting, (list, at))
    }

    /// `string ~ (punct_comma ~ string)*`.
    fn string_list(&mut self) -> R<Vec<Text>> {
        let mut out = vec![self.string()?];
        self.ws();
        out.extend(self.rep(|p| {
            p.comma()?;
            p.ws();
            p.string()
        })?);
        Ok(out)
    }

    /// `kw_… ~ kw_at_most ~ number ~ punct_fen?` (bonus_cap, deduction_cap).
    fn cap_decl(&mut self, k: &Kw) -> R<(Decimal, Span)> {
        let start = self.pos;
        self.kw(k)?;
        self.ws();
        self.kw(&K_AT_MOST)?;
        self.ws();
        let (n, _) = self.number()?;
        self.ws();
        self.opt(|p| p.fen())?;
        Ok((n, self.span(start)))
    }

    /// `score_kind`: `score N 分? (from N 分?)?`.
    fn score_kind(&mut self) -> R<ItemKind> {
        let start = self.pos;
        self.kw(&K_SCORE)?;
        self.ws();
        let (max, _) = self.number()?;
        self.ws();
        self.opt(|p| p.fen())?;
        self.ws();
        let from = self.opt(|p| {
            p.kw(&K_FROM)?;
            p.ws();
            let (n, _) = p.number()?;
            p.ws();
            p.opt(|p| p.fen())?;
            Ok(n)
        })?;
        Ok(ItemKind::Score {
            max,
            start: from,
            span: self.span(start),
        })
    }

    /// `heading_points`: `score N (children sum N)?`.
    fn heading_points(&mut self) -> R<HeadingPoints> {
        let start = self.pos;
        self.kw(&K_SCORE)?;
        self.ws();
        let (points, _) = self.number()?;
        self.ws();
        self.opt(|p| p.fen())?;
        self.ws();
        let children = self.opt(|p| {
            p.kw(&K_CHILDREN_SUM)?;
            p.ws();
            let n = p.number()?;
            p.ws();
            p.opt(|p| p.fen())?;
            Ok(n)
        })?;
        Ok(HeadingPoints {
            points,
            children,
            span: self.span(start),
        })
    }

    /// A section, indicator, level3 or level4 of `level` (1–4), its
    /// keyword `k`, its children of kind `child`.
    fn heading(&mut self, k: &Kw, level: u8, child: Child) -> R<Heading> {
        self.kw(k)?;
        self.ws();
        let label = self.label()?;
        self.ws();
        let title = self.string()?;
        self.ws();
        let points = self.opt(|p| p.heading_points())?;
        self.ws();
        self.open()?;
        self.ws();
        let mut meta = MetaB::default();
        let mut bonus_cap = None;
        let mut deduction_cap = None;
        let mut inputs = Vec::new();
        let mut headings = Vec::new();
        let mut items = Vec::new();
        self.rep(|p| {
            if p.opt(|p| p.meta(&mut meta))?.is_some() {
                return Ok(());
            }
            if let Some(c) = p.opt(|p| p.cap_decl(&K_BONUS))? {
                return once(&mut bonus_cap, c);
            }
            if let Some(c) = p.opt(|p| p.cap_decl(&K_DEDUCTION))? {
                return once(&mut deduction_cap, c);
            }
            if let Some(i) = p.opt(|p| p.input_decl())? {
                inputs.push(i);
                return Ok(());
            }
            let sub = match child {
                Child::Indicator => Some((&K_INDICATOR, Child::Level3)),
                Child::Level3 => Some((&K_LEVEL3, Child::Level4)),
                Child::Level4 => Some((&K_LEVEL4, Child::Items)),
                Child::Items => None,
            };
            if let Some((k, next)) = sub
                && let Some(h) = p.opt(|p| p.heading(k, level.saturating_add(1), next))?
            {
                headings.push(h);
                return Ok(());
            }
            items.push(p.item()?);
            Ok(())
        })?;
        self.ws();
        self.close()?;
        Ok(Heading {
            level,
            label,
            title,
            points,
            meta: meta.build(),
            bonus_cap,
            deduction_cap,
            inputs,
            headings,
            items,
        })
    }

    /// `item`.
    fn item(&mut self) -> R<Item> {
        let start = self.pos;
        self.kw(&K_ITEM)?;
        self.ws();
        let label = self.label()?;
        self.ws();
        let title = self.string()?;
        self.ws();
        let kind = self.opt(|p| {
            let s = p.pos;
            if let Some(k) = p.opt(|p| p.score_kind())? {
                return Ok(k);
            }
            if p.opt(|p| p.kw(&K_DEDUCTION))?.is_some() {
                return Ok(ItemKind::Deduction(p.span(s)));
            }
            if p.opt(|p| p.kw(&K_BONUS))?.is_some() {
                return Ok(ItemKind::Bonus(p.span(s)));
            }
            p.kw(&K_VETO)?;
            Ok(ItemKind::Veto(p.span(s)))
        })?;
        self.ws();
        self.open()?;
        self.ws();
        let mut meta = MetaB::default();
        let mut inputs = Vec::new();
        let mut body = Vec::new();
        self.rep(|p| {
            if let Some(x) = p.opt(|p| p.pending())? {
                body.push(Entry::Pending(x));
                return Ok(());
            }
            if p.opt(|p| p.meta(&mut meta))?.is_some() {
                return Ok(());
            }
            p.body_entry(&mut inputs, &mut body)
        })?;
        self.ws();
        self.close()?;
        Ok(Item {
            label,
            title,
            kind,
            meta: meta.build(),
            inputs,
            body,
            span: self.span(start),
        })
    }

    /// What items and parts share after `pending_decl` (and `meta`):
    /// `input_decl | part | clause | judged_decl | waiver_decl`.
    fn body_entry(&mut self, inputs: &mut Vec<InputDecl>, body: &mut Vec<Entry>) -> R<()> {
        if let Some(i) = self.opt(|p| p.input_decl())? {
            inputs.push(i);
            return Ok(());
        }
        if let Some(x) = self.opt(|p| p.part())? {
            body.push(Entry::Part(x));
            return Ok(());
        }
        if let Some(x) = self.opt(|p| p.clause())? {
            body.push(Entry::Clause(x));
            return Ok(());
        }
        let (il, bl) = (inputs.len(), body.len());
        match self.opt(|p| p.judged(inputs, body))? {
            Some(()) => return Ok(()),
            None => {
                inputs.truncate(il);
                body.truncate(bl);
            }
        }
        body.push(Entry::Waiver(self.waiver()?));
        Ok(())
    }

    /// `part`.
    fn part(&mut self) -> R<Part> {
        let start = self.pos;
        self.kw(&K_PART)?;
        self.ws();
        let mut kind = self.opt(|p| {
            let s = p.pos;
            if p.opt(|p| p.kw(&K_DEDUCTION))?.is_some() {
                return Ok(ItemKind::Deduction(p.span(s)));
            }
            p.kw(&K_BONUS)?;
            Ok(ItemKind::Bonus(p.span(s)))
        })?;
        self.ws();
        let name = self.opt(|p| p.string())?;
        self.ws();
        let mut at_most = None;
        if let Some(k) = self.opt(|p| p.score_kind())? {
            kind = Some(k);
        } else if let Some(e) = self.opt(|p| {
            p.kw(&K_AT_MOST)?;
            p.ws();
            p.expr()
        })? {
            at_most = Some(e);
        }
        self.ws();
        self.open()?;
        self.ws();
        let mut inputs = Vec::new();
        let mut body = Vec::new();
        self.rep(|p| {
            if let Some(x) = p.opt(|p| p.pending())? {
                body.push(Entry::Pending(x));
                return Ok(());
            }
            p.body_entry(&mut inputs, &mut body)
        })?;
        self.ws();
        self.close()?;
        Ok(Part {
            kind,
            name,
            at_most,
            inputs,
            body,
            span: self.span(start),
        })
    }
}

// ---------------------------------------------------------------- the header and the spec

impl Fast<'_> {
    /// `spec`: declarations to the end of the text.
    fn spec(&mut self) -> R<Spec> {
        let mut spec = Spec::default();
        self.ws();
        self.rep(|p| p.top_decl(&mut spec))?;
        self.ws();
        if self.pos != self.b.len() {
            return Err(Fail);
        }
        Ok(spec)
    }

    /// `top_decl`.
    fn top_decl(&mut self, spec: &mut Spec) -> R<()> {
        if let Some(h) = self.opt(|p| p.table_decl())? {
            return once(&mut spec.header, h);
        }
        if let Some(e) = self.opt(|p| p.enum_decl())? {
            spec.enums.push(e);
            return Ok(());
        }
        if let Some(i) = self.opt(|p| p.input_decl())? {
            spec.inputs.push(i);
            return Ok(());
        }
        if let Some(s) = self.opt(|p| p.standard_decl())? {
            spec.standards.push(s);
            return Ok(());
        }
        if let Some(h) = self.opt(|p| p.heading(&K_SECTION, 1, Child::Indicator))? {
            spec.sections.push(h);
            return Ok(());
        }
        spec.items.push(self.item()?);
        Ok(())
    }

    /// `standard_decl`: `standard NAME by CLASS "description" { arms }`.
    fn standard_decl(&mut self) -> R<StandardDecl> {
        let start = self.pos;
        self.kw(&K_STANDARD)?;
        self.ws();
        let name = self.ident()?;
        self.ws();
        self.kw(&CTX_BY)?;
        self.ws();
        let class = self.ident()?;
        self.ws();
        let description = self.opt(|p| p.string())?;
        self.ws();
        self.open()?;
        self.ws();
        let rows = self.arms()?;
        Ok(StandardDecl {
            name,
            class,
            description,
            rows,
            span: self.span(start),
        })
    }

    /// `table_decl`: the header.
    fn table_decl(&mut self) -> R<TableHeader> {
        let start = self.pos;
        self.kw(&K_TABLE)?;
        self.ws();
        let title = self.string()?;
        self.ws();
        self.open()?;
        self.ws();
        // A second header is an error of the builders: pest decides.
        if self.header_seen {
            return Err(Decline);
        }
        self.header_seen = true;
        let mut h = TableHeader {
            title,
            span: Span::default(),
            year: None,
            language: None,
            total: None,
            pass: None,
            fail: None,
            grades: None,
            bonus_cap: None,
            inputs: Vec::new(),
            enums: Vec::new(),
            attribution: None,
            results: Vec::new(),
        };
        self.rep(|p| p.table_entry(&mut h))?;
        self.ws();
        self.close()?;
        h.span = self.span(start);
        Ok(h)
    }

    /// `table_entry`, its alternatives in the grammar's order.
    fn table_entry(&mut self, h: &mut TableHeader) -> R<()> {
        if let Some(y) = self.opt(|p| {
            let s = p.pos;
            p.kw(&K_YEAR)?;
            p.ws();
            let d = p.pos;
            if p.digits() == 0 {
                return Err(Fail);
            }
            let text = p.t.get(d..p.pos).unwrap_or("");
            let y: u32 = fullwidth::to_ascii(text).parse().map_err(|_| Decline)?;
            Ok((y, p.span(s)))
        })? {
            once(&mut h.year, y)?;
            self.year = Some(y.0);
            return Ok(());
        }
        if let Some(n) = self.opt(|p| {
            p.kw(&K_LANGUAGE)?;
            p.ws();
            p.ident()
        })? {
            return once(&mut h.language, n);
        }
        if let Some(t) = self.opt(|p| {
            let s = p.pos;
            p.kw(&K_TOTAL)?;
            p.ws();
            let (n, _) = p.number()?;
            p.ws();
            p.opt(|p| p.fen())?;
            Ok((n, p.span(s)))
        })? {
            return once(&mut h.total, t);
        }
        if let Some(t) = self.opt(|p| {
            p.kw(&K_PASS)?;
            p.ws();
            p.string()
        })? {
            return once(&mut h.pass, t);
        }
        if let Some(t) = self.opt(|p| {
            p.kw(&K_FAIL)?;
            p.ws();
            p.string()
        })? {
            return once(&mut h.fail, t);
        }
        if let Some(g) = self.opt(|p| {
            p.kw(&K_GRADES)?;
            p.ws();
            p.open()?;
            p.ws();
            let bands = p.bands()?;
            p.ws();
            p.close()?;
            Ok(bands)
        })? {
            return once(&mut h.grades, g);
        }
        if let Some(c) = self.opt(|p| p.cap_decl(&K_BONUS))? {
            return once(&mut h.bonus_cap, c);
        }
        if let Some(i) = self.opt(|p| p.input_decl())? {
            h.inputs.push(i);
            return Ok(());
        }
        if let Some(e) = self.opt(|p| p.enum_decl())? {
            h.enums.push(e);
            return Ok(());
        }
        if let Some(a) = self.opt(|p| {
            let s = p.pos;
            p.kw(&K_ATTRIBUTION)?;
            p.ws();
            let a = if p.opt(|p| p.kw(&K_LEAD))?.is_some() {
                crate::ir::Attribution::Lead
            } else {
                p.kw(&K_SHARED)?;
                crate::ir::Attribution::Shared
            };
            Ok((a, p.span(s)))
        })? {
            return once(&mut h.attribution, a);
        }
        let r = self.result_decl()?;
        h.results.push(r);
        Ok(())
    }

    /// `result_decl`: `result "NAME" RULE`.
    fn result_decl(&mut self) -> R<ResultDecl> {
        let start = self.pos;
        self.kw(&K_RESULT)?;
        self.ws();
        let name = self.string()?;
        self.ws();
        let rule = if let Some(g) = self.opt(|p| p.grade_rule())? {
            g
        } else if let Some(m) = self.opt(|p| {
            p.kw(&K_PASS_MARK)?;
            p.ws();
            let (n, at) = p.number()?;
            p.ws();
            p.opt(|p| p.fen())?;
            Ok(ResultRule::PassMark(n, at))
        })? {
            m
        } else if let Some(r) = self.opt(|p| {
            p.kw(&K_PAYOUT)?;
            p.ws();
            let low = p.payout_end()?;
            p.ws();
            p.kw(&K_TO)?;
            p.ws();
            let high = p.payout_end()?;
            Ok(ResultRule::Payout { low, high })
        })? {
            r
        } else {
            self.kw(&K_TOP)?;
            self.ws();
            let (n, unit, span) = self.quantity()?;
            self.ws();
            self.arrow()?;
            self.ws();
            let label = self.string()?;
            ResultRule::Top {
                n,
                unit,
                span,
                label,
            }
        };
        Ok(ResultDecl {
            name,
            rule,
            span: self.span(start),
        })
    }

    /// `grade_rule`: steps `"text" >= N`, then `else "text"`.
    fn grade_rule(&mut self) -> R<ResultRule> {
        let mut steps = vec![self.grade_step()?];
        self.ws();
        steps.extend(self.rep(|p| {
            p.comma()?;
            p.ws();
            p.grade_step()
        })?);
        self.ws();
        let otherwise = self.opt(|p| {
            p.comma()?;
            p.ws();
            p.kw(&K_ELSE)?;
            p.ws();
            p.string()
        })?;
        Ok(ResultRule::Grade { steps, otherwise })
    }

    fn grade_step(&mut self) -> R<(Text, Decimal, Span)> {
        let start = self.pos;
        let text = self.string()?;
        self.ws();
        self.punct(&[">=", "≥"])?;
        self.ws();
        let (mark, _) = self.number()?;
        self.ws();
        self.opt(|p| p.fen())?;
        Ok((text, mark, self.span(start)))
    }

    fn payout_end(&mut self) -> R<PayoutEnd> {
        let start = self.pos;
        let (mark, _) = self.number()?;
        self.ws();
        self.opt(|p| p.fen())?;
        self.ws();
        self.arrow()?;
        self.ws();
        let (value, unit, _) = self.quantity()?;
        Ok(PayoutEnd {
            mark,
            value,
            unit,
            span: self.span(start),
        })
    }
}
