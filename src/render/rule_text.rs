//! The 评分标准 of an item, written in Chinese from its formal rule.
//!
//! Everything here is generated from the checked IR — the same clauses that
//! `eval` computes with — so the published text cannot drift from the score.
//! One function per IR construct: a block, a clause, an amount, a band, an
//! expression. Inputs are named by their descriptions; literals are written
//! in the unit of what they are compared with (0.9 beside a rate is 90%).

use crate::ir::BinOp;
use crate::ir::{
    AbsentRule, Amount, Band, BandValue, Block, Clause, Each, Expr, Func, Gap, Guard, Item, Limit,
    Node, Program, Role, Sign, Ty, Unit, Value,
};
use rust_decimal::Decimal;
use std::collections::BTreeSet;

/// The whole 评分标准 of an item: its blocks, exemptions and vetoes.
pub fn item_text(program: &Program, item: &Item) -> String {
    let cx = Cx::new(program);
    let mut parts: Vec<String> = Vec::new();
    for g in &item.exempt {
        parts.push(guard_text(&cx, g, "本项不予考核"));
    }
    let body = block_text(&cx, &item.body, true);
    if !body.is_empty() {
        parts.push(body);
    }
    parts.extend(item.extra.iter().map(|e| extra_text(&cx, e)));
    let veto = veto_text(program);
    for g in &item.vetoes {
        parts.push(guard_text(&cx, g, &veto));
    }
    parts.extend(absence_text(&cx, item));
    let mut text = parts.join("；");
    if !text.is_empty() && !text.ends_with('。') {
        text.push('。');
    }
    text
}

/// What a fired veto makes of the unit, in the table's own words: its fail
/// text where the table has a result (what `eval` prints), else 否决 — a
/// table without a pass concept never says 不合格.
fn veto_text(program: &Program) -> String {
    let h = &program.header;
    if !h.has_result {
        "实行一票否决，考核结果为否决".to_string()
    } else if h.lang == crate::ir::Lang::Zh {
        format!("实行一票否决，考核结果为{}", h.fail)
    } else {
        // The text is Chinese; an English table's fail word stays out of it.
        "实行一票否决，考核结果为不合格".to_string()
    }
}

/// What absent facts do, one sentence per word and rule, naming every
/// input it applies to: "超标排放次数或超标天数不适用的，本项按满分计" (any one
/// of them absent gives full marks), "获命名数、获表彰数未申报的，相应条款不计分".
fn absence_text(cx: &Cx, item: &Item) -> Vec<String> {
    // (word, rule) in the order first met, with the inputs it applies to.
    let mut groups: Vec<((crate::ir::Absent, AbsentRule), Vec<String>)> = Vec::new();
    for &slot in &item.absent {
        let Some(input) = cx.program.inputs.get(slot) else {
            continue;
        };
        for &(word, rule) in &input.absence {
            let desc = cx.input_desc(slot);
            match groups.iter_mut().find(|(k, _)| *k == (word, rule)) {
                Some((_, inputs)) => inputs.push(desc),
                None => groups.push(((word, rule), vec![desc])),
            }
        }
    }
    (groups.into_iter())
        .map(|((word, rule), inputs)| {
            let (what, join) = match rule {
                AbsentRule::FullMarks => ("本项按满分计", "或"),
                AbsentRule::NoPoints => ("相应条款不计分", "、"),
            };
            let said = word.word(crate::ir::Lang::Zh);
            format!("{}{said}的，{what}", inputs.join(join))
        })
        .collect()
}

/// The names an expression is read against: the list bound at each depth.
struct Cx<'p> {
    program: &'p Program,
    bound: Vec<usize>,
}

impl<'p> Cx<'p> {
    fn new(program: &'p Program) -> Self {
        Cx {
            program,
            bound: Vec::new(),
        }
    }

    fn with(&self, list: usize) -> Cx<'p> {
        let mut bound = self.bound.clone();
        bound.push(list);
        Cx {
            program: self.program,
            bound,
        }
    }

    fn input_desc(&self, slot: usize) -> String {
        self.program
            .inputs
            .get(slot)
            .map(|i| describe(&i.description, &i.name))
            .unwrap_or_default()
    }

    fn field(&self, depth: usize, index: usize) -> Option<(&'p str, &'p str, &'p Ty)> {
        let slot = *self.bound.get(depth)?;
        match &self.program.inputs.get(slot)?.ty {
            Ty::List(fields) => fields
                .get(index)
                .map(|f| (f.description.as_str(), f.name.as_str(), &f.ty)),
            _ => None,
        }
    }

    /// The type of what an expression yields, where it can be told.
    fn ty(&self, e: &Expr) -> Option<&'p Ty> {
        match e {
            Expr::Input(s) => self.program.inputs.get(*s).map(|i| &i.ty),
            Expr::Field(d, i) => self.field(*d, *i).map(|f| f.2),
            Expr::Arith(_, a, b) => self.ty(a).or_else(|| self.ty(b)),
            Expr::Neg(a) => self.ty(a),
            Expr::Standard(i) => self.program.standards.get(*i).map(|s| &s.ty),
            Expr::Call(Func::Min | Func::Max | Func::Abs, args) => {
                args.iter().find_map(|a| self.ty(a))
            }
            _ => None,
        }
    }
}

fn describe(description: &str, name: &str) -> String {
    if description.is_empty() {
        name.to_string()
    } else {
        description.to_string()
    }
}

/// An extra award beyond the item's points, with its rule for the bonus
/// ceiling: "超额加分：建成口袋公园个数超过3个的部分，每个加0.5分，最高加2分
/// （计入加分上限）".
fn extra_text(cx: &Cx, e: &crate::ir::Extra) -> String {
    let rule = match e.ceiling {
        crate::ir::ExtraCeiling::Within => "计入加分上限",
        crate::ir::ExtraCeiling::Outside => "不计入加分上限",
    };
    let text = clause_text(cx, &e.clause, Role::Bonus, &Limit::None);
    format!("超额加分：{text}（{rule}）")
}

/// "全年隐患整改率达到95%的，以上扣分免予扣除" for a waiver of a block's
/// deductions.
fn waiver_text(cx: &Cx, g: &Guard) -> String {
    guard_text(cx, g, "以上扣分免予扣除")
}

/// "满足条件的，本项不予考核" for an exemption or veto.
fn guard_text(cx: &Cx, g: &Guard, then: &str) -> String {
    format!("{}的，{then}", cond_text(cx, &g.condition))
}

// ---------------------------------------------------------------- blocks

/// A block's clauses joined; a named part is introduced by its name and
/// score; a score kept at or above zero says 扣完为止.
fn block_text(cx: &Cx, block: &Block, top: bool) -> String {
    let inner: Vec<String> = block
        .nodes
        .iter()
        .map(|n| match n {
            Node::Clause(c) => clause_text(cx, c, block.role, &block.limit),
            Node::Block(b) => block_text(cx, b, false),
        })
        .filter(|s| !s.is_empty())
        .collect();
    let mut text = inner.join("；");
    let deducts = has_deduction(block);
    match block.limit {
        // A judged block's score is the assessor's, within its bounds already said.
        Limit::Score { .. } if judged_here(block) => {}
        Limit::Score { max, start } => {
            let suffix = if start == max && deducts {
                "，扣完为止".to_string()
            } else if start < max && !top {
                format!("，最高得{}分", num(max))
            } else {
                String::new()
            };
            if !text.ends_with(&suffix) {
                text.push_str(&suffix);
            }
        }
        Limit::AtMost(cap) => {
            let verb = if block.role == Role::Bonus || !deducts {
                "加"
            } else {
                "扣"
            };
            text.push_str(&format!("，合计最高{verb}{}分", num(cap)));
        }
        Limit::None => {}
    }
    for g in &block.waivers {
        text.push('；');
        text.push_str(&waiver_text(cx, g));
    }
    match (&block.name, top) {
        (Some(name), false) => match block.limit {
            Limit::Score { max, .. } => format!("{name}（{}分）：{text}", num(max)),
            _ => format!("{name}：{text}"),
        },
        _ => text,
    }
}

/// Whether the block deducts points not already bounded by a part's own score.
fn has_deduction(block: &Block) -> bool {
    block.nodes.iter().any(|n| match n {
        Node::Clause(c) => c.sign == Sign::Deduct,
        Node::Block(b) => !matches!(b.limit, Limit::Score { .. }) && has_deduction(b),
    })
}

// ---------------------------------------------------------------- clauses

/// The verb of a clause: 扣 for a deduction, 加 for a bonus, 得 for points
/// earned up from zero in a base item.
fn verb(sign: Sign, role: Role, limit: &Limit) -> &'static str {
    match sign {
        Sign::Deduct => "扣",
        Sign::Add if role == Role::Bonus => "加",
        Sign::Add => match limit {
            Limit::Score { .. } => "得",
            _ => "加",
        },
    }
}

/// One clause: its condition, its amount and its cap.
fn clause_text(cx: &Cx, c: &Clause, role: Role, limit: &Limit) -> String {
    let v = verb(c.sign, role, limit);
    let mut text = amount_text(cx, &c.amount, v);
    if let Some(cond) = &c.condition {
        text = format!("{}的，{text}", cond_text(cx, cond));
    }
    if let Some(cap) = c.cap {
        text.push_str(&format!("，最高{v}{}分", num(cap)));
    }
    text
}

fn amount_text(cx: &Cx, amount: &Amount, v: &str) -> String {
    match amount {
        Amount::Fixed(Expr::Bands(x, bands)) => bands_text(cx, x, bands, v),
        Amount::Fixed(Expr::Match(x, arms)) if arms.iter().all(is_number) => {
            grade_table_text(cx, x, arms, v)
        }
        Amount::Fixed(e) => format!("{v}{}分", value_text(cx, e, None)),
        Amount::Per {
            rate,
            step,
            whole,
            quantity,
            gap,
        } => per_text(cx, rate, *step, *whole, quantity, gap.as_ref(), v),
        Amount::Each(each) => each_text(cx, each, v),
        Amount::Judged { slot, max, start } => judged_text(cx, *slot, *max, start.is_zero()),
    }
}

/// Whether the block's own clause is an assessor's score.
fn judged_here(block: &Block) -> bool {
    block
        .nodes
        .iter()
        .any(|n| matches!(n, Node::Clause(c) if matches!(c.amount, Amount::Judged { .. })))
}

/// `judged q "按实际情况评分"` → "由评审组按实际情况评分，最高4分", as tables
/// say it: how it is judged, after 由 who judges (评审组 when it names no
/// one), and the most it gives (or takes, when it is judged by deducting);
/// a score earned from 0 gives its range, "得0至2分".
fn judged_text(cx: &Cx, slot: usize, max: Decimal, from_zero: bool) -> String {
    let how = cx
        .program
        .inputs
        .get(slot)
        .map(|i| i.description.trim())
        .unwrap_or_default();
    // A manner alone (按…, 视…, 酌情…) names no one who judges.
    let manner = ["按", "视", "酌情", "根据", "依据", "结合"];
    let who = if how.is_empty() {
        "由评审组酌情评分".to_string()
    } else if how.starts_with('由') {
        how.to_string()
    } else if manner.iter().any(|m| how.starts_with(m)) {
        format!("由评审组{how}")
    } else {
        format!("由{how}")
    };
    if from_zero {
        format!("{who}，得0至{}分", num(max))
    } else if how.contains('扣') {
        format!("{who}，最多扣{}分", num(max))
    } else {
        format!("{who}，最高{}分", num(max))
    }
}

/// `deduct 0.5 per q below 2` → "q少于2的，每少1次扣0.5分".
fn per_text(
    cx: &Cx,
    rate: &Expr,
    step: Decimal,
    whole: bool,
    quantity: &Expr,
    gap: Option<&(Gap, Expr)>,
    v: &str,
) -> String {
    let ty = cx.ty(quantity);
    let q = expr_text(cx, quantity);
    let counted = matches!(ty, Some(Ty::Count(_)));
    let amount = format!("{v}{}分", value_text(cx, rate, None));
    let every = if whole && !counted { "每满" } else { "每" };
    let step_s = quantity_text(step, ty, true);
    match gap {
        None => {
            let unit = match ty {
                Some(Ty::Count(Some(u))) => u.clone(),
                Some(Ty::Count(None)) => "个".to_string(),
                _ => String::new(),
            };
            if counted && step == Decimal::ONE {
                format!("{q}每1{unit}{amount}")
            } else {
                format!(
                    "{q}{every}{step_s}{}{amount}",
                    if counted { unit } else { String::new() }
                )
            }
        }
        Some((g, t)) => {
            let said = Said {
                q: &q,
                every,
                step: &step_s,
                amount: &amount,
            };
            gap_text(cx, &said, (*g, t), ty, whole)
        }
    }
}

/// The words a `per` clause has made before its gap: the quantity, "每"
/// or "每满", the step and the amount.
struct Said<'a> {
    q: &'a str,
    every: &'a str,
    step: &'a str,
    amount: &'a str,
}

/// `per q below t` → "q低于t的，每低step扣v分".
fn gap_text(cx: &Cx, said: &Said, (g, t): (Gap, &Expr), ty: Option<&Ty>, whole: bool) -> String {
    let counted = matches!(ty, Some(Ty::Count(_)));
    let (cmp, by) = match (g, counted) {
        (Gap::Below, true) => ("少于", "少"),
        (Gap::Below, false) => ("低于", "低"),
        (Gap::Above, true) => ("多于", "多"),
        (Gap::Above, false) => ("高于", "高"),
    };
    let unit = match ty {
        Some(Ty::Count(Some(u))) => u.as_str(),
        _ => "",
    };
    let partial = if whole || counted {
        ""
    } else {
        "（不足的按比例计）"
    };
    let Said {
        q,
        every,
        step,
        amount,
    } = said;
    format!(
        "{q}{cmp}{}的，{every}{by}{step}{unit}{amount}{partial}",
        value_text(cx, t, ty)
    )
}

/// `deduct each r in list where f: v` → "list中f的，每条扣v分".
fn each_text(cx: &Cx, each: &Each, v: &str) -> String {
    let inner = cx.with(each.list);
    let list = cx.input_desc(each.list);
    let mut text = list;
    if let Some(f) = &each.filter {
        text.push_str(&format!("中{}的", cond_text(&inner, f)));
    }
    match &each.value {
        // Points by a record's class: "每条按事故等级扣分：一般5分，重大10分".
        Expr::Match(x, arms) if arms.iter().all(is_number) => {
            text.push_str(&format!("，每条{}", grade_table_text(&inner, x, arms, v)));
        }
        value => text.push_str(&format!("，每条{v}{}分", value_text(&inner, value, None))),
    }
    if let Some(key) = &each.once_per {
        text.push_str(&format!("，同一{}只按最高一次计", expr_text(&inner, key)));
    }
    for (cap, key) in &each.group_caps {
        text.push_str(&format!(
            "，每个{}最高{v}{}分",
            expr_text(&inner, key),
            num(*cap)
        ));
    }
    text
}

// ---------------------------------------------------------------- bands

/// `deduct bands x { < 90% => 4 … }` → "x低于90%的，扣4分；…".
fn bands_text(cx: &Cx, x: &Expr, bands: &[Band], v: &str) -> String {
    let ty = cx.ty(x);
    let subject = expr_text(cx, x);
    bands
        .iter()
        .enumerate()
        .map(|(i, b)| {
            let s = if i == 0 { subject.as_str() } else { "" };
            format!("{s}{}的，{}", band_range(b, ty), band_action(cx, b, v))
        })
        .collect::<Vec<_>>()
        .join("；")
}

/// Where a band lies: "低于90%", "达到100%及以上", "在90%（含）至100%之间".
fn band_range(b: &Band, ty: Option<&Ty>) -> String {
    let n = |d: Decimal| quantity_text(d, ty, false);
    match (b.lower, b.upper) {
        (None, None) => "为任何值".to_string(),
        (None, Some((hi, true))) => format!("不高于{}", n(hi)),
        (None, Some((hi, false))) => format!("低于{}", n(hi)),
        (Some((lo, true)), None) => format!("不低于{}", n(lo)),
        (Some((lo, false)), None) => format!("高于{}", n(lo)),
        (Some((lo, li)), Some((hi, hi_in))) => format!(
            "在{}{}至{}{}之间",
            n(lo),
            if li { "（含）" } else { "（不含）" },
            n(hi),
            if hi_in { "（含）" } else { "（不含）" }
        ),
    }
}

/// What a band gives: "扣4分", "不扣分", "按比例扣4至0分".
fn band_action(cx: &Cx, b: &Band, v: &str) -> String {
    match &b.value {
        BandValue::Value(Expr::Const(Value::Num(d))) if d.is_zero() => format!("不{v}分"),
        BandValue::Value(e) => format!("{v}{}分", value_text(cx, e, None)),
        BandValue::Linear(a, z) => format!(
            "按比例{v}{}至{}分",
            value_text(cx, a, None),
            value_text(cx, z, None)
        ),
    }
}

// ---------------------------------------------------------------- expressions

/// A condition, with a yes-or-no input read as a statement: "县政府向县人大做
/// 年度工作报告"; negated, "县政府未向县人大做年度工作报告".
fn cond_text(cx: &Cx, e: &Expr) -> String {
    match e {
        Expr::Not(inner) => match inner.as_ref() {
            Expr::Input(s) if is_bool(cx.program, *s) => negate(&cx.input_desc(*s)),
            Expr::Field(d, i) if is_bool_field(cx, *d, *i) => negate(&describe_field(cx, *d, *i)),
            other => format!("未满足“{}”", cond_text(cx, other)),
        },
        Expr::Input(s) if is_bool(cx.program, *s) => affirm(&cx.input_desc(*s)),
        Expr::Field(d, i) if is_bool_field(cx, *d, *i) => affirm(&describe_field(cx, *d, *i)),
        Expr::And(a, b) => format!("{}且{}", cond_text(cx, a), cond_text(cx, b)),
        Expr::Or(a, b) => format!("{}或{}", cond_text(cx, a), cond_text(cx, b)),
        other => expr_text(cx, other),
    }
}

fn is_bool(p: &Program, slot: usize) -> bool {
    matches!(p.inputs.get(slot).map(|i| &i.ty), Some(Ty::Bool))
}

fn is_bool_field(cx: &Cx, d: usize, i: usize) -> bool {
    matches!(cx.field(d, i), Some((_, _, Ty::Bool)))
}

fn describe_field(cx: &Cx, d: usize, i: usize) -> String {
    cx.field(d, i)
        .map(|(desc, name, _)| describe(desc, name))
        .unwrap_or_default()
}

/// "县政府是否向县人大做报告" → "县政府向县人大做报告".
fn affirm(desc: &str) -> String {
    if desc.contains("是否") {
        desc.replacen("是否", "", 1)
    } else {
        desc.to_string()
    }
}

/// "县政府是否向县人大做报告" → "县政府未向县人大做报告".
fn negate(desc: &str) -> String {
    if desc.contains("是否") {
        desc.replacen("是否", "未", 1)
    } else {
        format!("{desc}为否")
    }
}

/// A value, written in the unit of `like` when it is a literal.
fn value_text(cx: &Cx, e: &Expr, like: Option<&Ty>) -> String {
    match e {
        Expr::Const(Value::Num(d)) => quantity_text(*d, like, false),
        Expr::Const(Value::Enum(i)) => match like {
            Some(Ty::Enum(e)) => cx
                .program
                .enums
                .get(*e)
                .and_then(|en| en.variants.get(*i as usize))
                .cloned()
                .unwrap_or_default(),
            _ => expr_text(cx, e),
        },
        _ => {
            let s = expr_text(cx, e);
            if matches!(e, Expr::Arith(..) | Expr::If(..) | Expr::Match(..)) {
                format!("（{s}）")
            } else {
                s
            }
        }
    }
}

/// Any expression, in words.
fn expr_text(cx: &Cx, e: &Expr) -> String {
    match e {
        Expr::Const(v) => const_text(cx, v),
        Expr::Input(s) => cx.input_desc(*s),
        Expr::Field(d, i) => describe_field(cx, *d, *i),
        Expr::Not(_) | Expr::And(..) | Expr::Or(..) => cond_text(cx, e),
        Expr::Neg(a) => format!("-{}", value_text(cx, a, None)),
        Expr::Arith(op, a, b) => arith_text(cx, *op, a, b),
        Expr::Compare(op, a, b) => compare_text(cx, *op, a, b),
        Expr::If(c, a, b) => format!(
            "{}的{}，否则{}",
            cond_text(cx, c),
            value_text(cx, a, None),
            value_text(cx, b, None)
        ),
        Expr::Match(x, arms) => match_text(cx, x, arms),
        Expr::MatchText(x, arms, default) => {
            let subject = expr_text(cx, x);
            let mut parts: Vec<String> = arms
                .iter()
                .map(|(t, v)| format!("{subject}为“{t}”的{}", value_text(cx, v, None)))
                .collect();
            parts.push(format!("其他{}", value_text(cx, default, None)));
            parts.join("，")
        }
        Expr::Bands(x, bands) => bands_text(cx, x, bands, "得"),
        Expr::Call(f, args) => call_text(cx, *f, args),
        Expr::Count { list, filter } => {
            let inner = cx.with(*list);
            match filter {
                Some(f) => format!("{}中{}的条数", cx.input_desc(*list), cond_text(&inner, f)),
                None => format!("{}的条数", cx.input_desc(*list)),
            }
        }
        Expr::Sum {
            list,
            filter,
            value,
        } => {
            let inner = cx.with(*list);
            let of = match filter {
                Some(f) => format!("{}中{}的", cx.input_desc(*list), cond_text(&inner, f)),
                None => format!("{}的", cx.input_desc(*list)),
            };
            format!("{of}{}之和", expr_text(&inner, value))
        }
        Expr::Standard(i) => standard_text(cx, *i),
    }
}

/// A standard by the unit's class, with its rows: "目标达标率（按街道类别：
/// 城区98%，其他95%）".
fn standard_text(cx: &Cx, index: usize) -> String {
    let Some(s) = cx.program.standards.get(index) else {
        return String::new();
    };
    format!(
        "{}（{}）",
        describe(&s.description, &s.name),
        standard_rows(cx.program, s)
    )
}

/// A standard's rows, by the class they are for: "按街道类别：城区98%，其他95%".
pub fn standard_rows(program: &Program, s: &crate::ir::Standard) -> String {
    let rows: Vec<String> = (s.rows.iter())
        .map(|(class, v)| {
            let v = quantity_text(*v, Some(&s.ty), false);
            match class {
                Some(c) => format!("{c}{v}"),
                None => format!("其他{v}"),
            }
        })
        .collect();
    format!(
        "按{}：{}",
        Cx::new(program).input_desc(s.class),
        rows.join("，")
    )
}

fn const_text(cx: &Cx, v: &Value) -> String {
    match v {
        Value::Num(d) => num(*d),
        Value::Bool(true) => "是".into(),
        Value::Bool(false) => "否".into(),
        Value::Date(d) => crate::date::format(*d),
        Value::Text(t) => format!("“{t}”"),
        Value::Missing => "未填写".into(),
        Value::Absent(a) => a.word(crate::ir::Lang::Zh).into(),
        Value::Enum(i) => cx
            .program
            .enums
            .iter()
            .find_map(|e| e.variants.get(*i as usize))
            .cloned()
            .unwrap_or_default(),
        Value::List(l) => format!("{}条记录", l.len()),
    }
}

fn arith_text(cx: &Cx, op: BinOp, a: &Expr, b: &Expr) -> String {
    let ta = cx.ty(a);
    if matches!(ta, Some(Ty::Date)) {
        let days = value_text(cx, b, None);
        return match op {
            BinOp::Add => format!("{}后{days}天", expr_text(cx, a)),
            _ => format!("{}前{days}天", expr_text(cx, a)),
        };
    }
    let like = ta.or_else(|| cx.ty(b));
    let sym = match op {
        BinOp::Add => "+",
        BinOp::Sub => "-",
        BinOp::Mul => "×",
        BinOp::Div => "÷",
        other => other.symbol(),
    };
    let ty_mul = matches!(op, BinOp::Mul | BinOp::Div);
    let side = |e: &Expr| {
        if ty_mul {
            value_text(cx, e, None)
        } else {
            value_text(cx, e, like)
        }
    };
    format!("{}{sym}{}", side(a), side(b))
}

fn compare_text(cx: &Cx, op: BinOp, a: &Expr, b: &Expr) -> String {
    if let Some(text) = quarter_is(cx, op, a, b).or_else(|| none_or_some(cx, op, a, b)) {
        return text;
    }
    let like = cx.ty(a).or_else(|| cx.ty(b));
    let date = matches!(like, Some(Ty::Date));
    let counted = matches!(like, Some(Ty::Count(_)));
    let word = match (op, date) {
        (BinOp::Lt, false) if counted => "少于",
        (BinOp::Le, false) if counted => "不多于",
        (BinOp::Gt, false) if counted => "多于",
        (BinOp::Ge, false) if counted => "不少于",
        (BinOp::Lt, false) => "低于",
        (BinOp::Le, false) => "不高于",
        (BinOp::Gt, false) => "高于",
        (BinOp::Ge, false) => "不低于",
        (BinOp::Lt, true) => "早于",
        (BinOp::Le, true) => "不晚于",
        (BinOp::Gt, true) => "晚于",
        (BinOp::Ge, true) => "不早于",
        (BinOp::Eq, _) => "为",
        (BinOp::Ne, _) => "不为",
        (other, _) => other.symbol(),
    };
    format!(
        "{}{word}{}",
        value_text(cx, a, like),
        value_text(cx, b, like)
    )
}

/// `quarter(x) = 1` → "x在第一季度" (x a date or a month).
fn quarter_is(cx: &Cx, op: BinOp, a: &Expr, b: &Expr) -> Option<String> {
    let (Expr::Call(Func::Quarter, args), Expr::Const(Value::Num(q)), BinOp::Eq) = (a, b, op)
    else {
        return None;
    };
    let ordinal = ["一", "二", "三", "四"];
    let q = (ordinal.iter().zip(1..))
        .find(|(_, n)| *q == Decimal::from(*n))
        .map(|(w, _)| *w)?;
    let x = match args.first()? {
        Expr::Call(Func::Month, inner) => inner.first()?,
        x => x,
    };
    Some(format!("{}在第{q}季度", expr_text(cx, x)))
}

/// `count(x in list where f) = 0` (or `< 1`) → "list中没有f"; `> 0` (or
/// `>= 1`) → "list中有f".
fn none_or_some(cx: &Cx, op: BinOp, a: &Expr, b: &Expr) -> Option<String> {
    let (
        Expr::Count {
            list,
            filter: Some(f),
        },
        Expr::Const(Value::Num(n)),
    ) = (a, b)
    else {
        return None;
    };
    let none = match op {
        BinOp::Eq | BinOp::Le if n.is_zero() => true,
        BinOp::Lt if *n == Decimal::ONE => true,
        BinOp::Gt | BinOp::Ne if n.is_zero() => false,
        BinOp::Ge if *n == Decimal::ONE => false,
        _ => return None,
    };
    let inner = cx.with(*list);
    let word = if none { "没有" } else { "有" };
    // The clause adds its own 的: "…中没有…的，扣1分".
    Some(format!(
        "{}中{word}{}",
        cx.input_desc(*list),
        cond_text(&inner, f)
    ))
}

fn is_number(e: &Expr) -> bool {
    matches!(e, Expr::Const(Value::Num(_)))
}

/// A grade-to-score table (`add match grade { "A" => 10, … }`, 按等次计分):
/// "按年度考评等次得分：优秀10分，良好8分，一般5分，差0分".
fn grade_table_text(cx: &Cx, x: &Expr, arms: &[Expr], v: &str) -> String {
    let variants = match cx.ty(x) {
        Some(Ty::Enum(e)) => cx.program.enums.get(*e).map(|e| e.variants.as_slice()),
        _ => None,
    }
    .unwrap_or(&[]);
    let rows: Vec<String> = (arms.iter().enumerate())
        .map(|(i, a)| {
            let name = variants.get(i).map_or_else(|| i.to_string(), Clone::clone);
            match a {
                Expr::Const(Value::Num(d)) if d.is_zero() => format!("{name}不{v}分"),
                _ => format!("{name}{}分", value_text(cx, a, None)),
            }
        })
        .collect();
    format!("按{}{v}分：{}", expr_text(cx, x), rows.join("，"))
}

fn match_text(cx: &Cx, x: &Expr, arms: &[Expr]) -> String {
    let subject = expr_text(cx, x);
    let variants = match cx.ty(x) {
        Some(Ty::Enum(e)) => cx.program.enums.get(*e).map(|e| e.variants.as_slice()),
        _ => None,
    }
    .unwrap_or(&[]);
    arms.iter()
        .enumerate()
        .map(|(i, v)| {
            let name = variants.get(i).map_or_else(|| i.to_string(), Clone::clone);
            format!("{subject}为{name}的{}", value_text(cx, v, None))
        })
        .collect::<Vec<_>>()
        .join("，")
}

fn call_text(cx: &Cx, f: Func, args: &[Expr]) -> String {
    let a = |i: usize| args.get(i).map(|e| expr_text(cx, e)).unwrap_or_default();
    match f {
        Func::Min => format!("{}与{}中的较小者", a(0), a(1)),
        Func::Max => format!("{}与{}中的较大者", a(0), a(1)),
        Func::Abs => format!("{}的绝对值", a(0)),
        // The quarter of a date's month is the date's quarter.
        Func::Quarter => match args.first() {
            Some(Expr::Call(Func::Month, inner)) => {
                let d = inner.first().map(|e| expr_text(cx, e)).unwrap_or_default();
                format!("{d}所在季度")
            }
            _ => format!("{}所在季度", a(0)),
        },
        Func::Month => format!("{}所在月份", a(0)),
        Func::DateAddDays => format!("{}后{}天", a(0), a(1)),
        Func::DaysBetween => format!("{}至{}的天数", a(0), a(1)),
        Func::Given => format!("已填报{}", a(0)),
    }
}

// ---------------------------------------------------------------- numbers

/// A number as the table writes it: no trailing zeros.
pub fn num(d: Decimal) -> String {
    d.normalize().to_string()
}

/// A number in the unit of `ty`: 0.9 of a rate is "90%"; as a step, "10个百分点".
fn quantity_text(d: Decimal, ty: Option<&Ty>, step: bool) -> String {
    // A number beyond a hundredth of exact decimals' range is written as
    // its hundredth's multiple rather than overflow.
    let pct = match d.checked_mul(Decimal::ONE_HUNDRED) {
        Some(p) => p.normalize().to_string(),
        None => format!("{}×100", d.normalize()),
    };
    match ty {
        Some(Ty::Rate | Ty::Number(Unit::Percent)) if step => format!("{pct}个百分点"),
        Some(Ty::Rate | Ty::Number(Unit::Percent)) => format!("{pct}%"),
        Some(Ty::Number(Unit::Points)) => format!("{pct}个百分点"),
        Some(Ty::Number(Unit::Days)) => format!("{}天", num(d)),
        Some(Ty::Number(Unit::Named(u))) => format!("{}{u}", num(d)),
        _ => num(d),
    }
}

/// The quantities written in a text, each once, as the table's prose and
/// the generated text both have them: "少一次扣0.5分，低于90%" → {0.5, 1, 90}.
/// List numbering ("1." "（2）") and citations ("2023年第2号") are not
/// quantities.
pub fn numbers(text: &str) -> BTreeSet<Decimal> {
    let chars: Vec<char> = text.chars().collect();
    let mut found = BTreeSet::new();
    let mut i = 0;
    while let Some(&ch) = chars.get(i) {
        let next = chars.get(i + 1).copied();
        if let Some(d) = chinese_digit(ch, next) {
            found.insert(Decimal::from(d));
        }
        if !ch.is_ascii_digit() {
            i += 1;
            continue;
        }
        let end = (i..chars.len())
            .find(|&j| {
                chars
                    .get(j)
                    .is_none_or(|c| !c.is_ascii_digit() && *c != '.')
            })
            .unwrap_or(chars.len());
        let token: String = chars.get(i..end).unwrap_or_default().iter().collect();
        let before = i.checked_sub(1).and_then(|k| chars.get(k)).copied();
        if is_quantity(&token, before, chars.get(end).copied())
            && let Ok(d) = token.trim_end_matches('.').parse::<Decimal>()
        {
            found.insert(d.normalize());
        }
        i = end;
    }
    found
}

/// Whether a number written between `before` and `after` states a
/// quantity, rather than numbering a list or citing a document or a year.
fn is_quantity(token: &str, before: Option<char>, after: Option<char>) -> bool {
    let starts_clause = before.is_none_or(|c| "；;。：:，,、 \n（(".contains(c));
    let numbering =
        starts_clause && (token.ends_with('.') || after.is_some_and(|c| "、．)）".contains(c)));
    let citation = before == Some('第') && after == Some('号');
    let year = after == Some('年') && token.len() == 4;
    !(numbering || citation || year)
}

/// A single Chinese numeral before a measure word, as in 少一次, 两个: its value.
fn chinese_digit(ch: char, next: Option<char>) -> Option<u32> {
    const MEASURES: &str = "次个项家件位条天起处";
    let d = "零一二三四五六七八九十"
        .find(ch)
        .map(|b| (b / 3) as u32)
        .or(match ch {
            '两' => Some(2),
            _ => None,
        })?;
    next.filter(|n| MEASURES.contains(*n)).map(|_| d)
}

/// The quantities only one of two texts has, each side in order.
pub fn number_differences(original: &str, generated: &str) -> (Vec<Decimal>, Vec<Decimal>) {
    let a = numbers(original);
    let b = numbers(generated);
    (
        a.difference(&b).copied().collect(),
        b.difference(&a).copied().collect(),
    )
}

#[cfg(test)]
mod tests;

// ---------------------------------------------------------------- results derived from the total

/// A named result of the header (`result …`) as the 说明 under the
/// official table states it: "等次：总分90分及以上为优秀，80分及以上为良好，其余为不合格".
pub fn named_result(r: &crate::ir::NamedResult) -> String {
    use crate::ir::ResultRule;
    let body = match &r.rule {
        ResultRule::Grade { steps, otherwise } => {
            let mut parts: Vec<String> = steps
                .iter()
                .map(|(text, mark)| format!("{}分及以上为{text}", num(*mark)))
                .collect();
            if let Some(first) = parts.first_mut() {
                first.insert_str(0, "总分");
            }
            parts.push(format!("其余为{otherwise}"));
            parts.join("，")
        }
        ResultRule::PassMark { mark, pass, fail } => {
            format!(
                "总分{}分及以上为{pass}，低于{}分为{fail}",
                num(*mark),
                num(*mark)
            )
        }
        ResultRule::Payout {
            low,
            low_value,
            high,
            high_value,
            percent,
        } => {
            let v = |x: Decimal| {
                if *percent {
                    format!("{}%", num(x * Decimal::ONE_HUNDRED))
                } else {
                    num(x)
                }
            };
            format!(
                "总分{}分及以下为{}，{}分及以上为{}，其间按总分比例计算",
                num(*low),
                v(*low_value),
                num(*high),
                v(*high_value)
            )
        }
        ResultRule::Top { n, percent, label } => {
            let top = if *percent {
                format!(
                    "前{}%（按未被一票否决的单位数计，向下取整）",
                    num(*n * Decimal::ONE_HUNDRED)
                )
            } else {
                format!("前{}名", num(*n))
            };
            format!("总分排名{top}的单位为{label}（并列者均计入，被一票否决的单位不参与）")
        }
    };
    format!("{}：{body}", r.name)
}
