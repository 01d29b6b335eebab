//! The checks about an item and the table as a whole: veto items, parts
//! adding up, ids, the base total, unused inputs, bonus ceilings and
//! clauses that never move a score.

use super::Checker;
use super::items::{Guards, ItemCx, Structure, too_many_points};
use crate::diagnostic::Text;
use crate::diagnostic::{Code, Diagnostic};
use crate::ir::{self, Block, ItemKind, Limit, Node, Role, Sign};
use crate::parse::ast::{self, Entry};
use crate::source::Span;
use crate::t;
use rust_decimal::Decimal;
use std::collections::HashMap;

impl Checker {
    pub(super) fn item_checks(
        &mut self,
        it: &ast::Item,
        cx: &ItemCx,
        nodes: &[Node],
        guards: &Guards,
    ) {
        let head = it.label.span.to(it.title.span);
        if cx.broken {
            return;
        }
        if cx.kind == ItemKind::Veto {
            if guards.vetoes.is_empty() {
                self.report(
                    Diagnostic::new(
                        Code::MisplacedVeto,
                        t!(
                            "veto item {} has no `veto if …` clause",
                            "否决项 {} 没有 `否决 若 …` 子句",
                            cx.id
                        ),
                    )
                    .at(head, t!("never vetoes", "永远不会否决"))
                    .with_help(t!(
                        "write `veto if CONDITION \"reason\"`",
                        "请写作 `否决 若 条件 \"理由\"`"
                    )),
                );
            }
            if let Some(first) = first_scoring(&it.body) {
                self.report(
                    Diagnostic::new(
                        Code::MisplacedVeto,
                        t!(
                            "veto item {} also scores points",
                            "否决项 {} 还计了分",
                            cx.id
                        ),
                    )
                    .at(first, t!("a veto item only vetoes", "否决项只作否决"))
                    .with_label(head, t!("a veto item", "否决项"))
                    .with_help(t!(
                        "put the scoring clauses in an item of their own",
                        "请把计分子句放到单独的考核事项中"
                    )),
                );
            }
            return;
        }
        if let ItemKind::Base(max) = cx.kind {
            self.parts_add_up(it, cx, max);
            let scored_parts = it.body.iter().any(|e| matches!(e, Entry::Part(p) if matches!(p.kind, Some(ast::ItemKind::Score { .. }))));
            if let Some(ast::ItemKind::Score {
                start: Some(s),
                span,
                ..
            }) = &it.kind
                && s.is_zero()
                && scored_parts
            {
                self.report(
                    Diagnostic::new(
                        Code::BadStart,
                        t!(
                            "item {} has scored parts, so it starts from them, not from 0",
                            "考核事项 {} 由带分值的分项组成，按各分项起评，不能从 0 起评",
                            cx.id
                        ),
                    )
                    .at(*span, t!("remove `from 0` here", "请删去此处的“起评 0”"))
                    .with_help(t!(
                        "put `from 0` on the parts that earn up from zero",
                        "请把“起评 0”写在从零起累计得分的分项上"
                    )),
                );
            }
            if nodes.is_empty() && guards.exempt.is_empty() && guards.vetoes.is_empty() {
                self.report(
                    Diagnostic::new(Code::EmptyItem, t!("item {} has no scoring clauses (deduct, add), so every unit scores it in full", "考核事项 {} 没有计分子句（扣、加），所有被考核单位都将得满分", cx.id))
                        .at(head, t!("no clauses", "没有子句"))
                        .with_help(t!("add the deductions the table states, such as `deduct 1 unless done`", "请按考核表补上扣分规则，如 `扣 1 除非 done`")),
                );
            }
        }
    }

    /// The shares of an item's scored parts must add up to its score.
    fn parts_add_up(&mut self, it: &ast::Item, cx: &ItemCx, max: Decimal) {
        let shares: Vec<(Decimal, Span)> = it
            .body
            .iter()
            .filter_map(|e| match e {
                Entry::Part(ast::Part {
                    kind: Some(ast::ItemKind::Score { max, span, .. }),
                    ..
                }) => Some((*max, *span)),
                _ => None,
            })
            .collect();
        let Some(sum) = shares
            .iter()
            .try_fold(Decimal::ZERO, |s, (m, _)| s.checked_add(*m))
        else {
            self.report(too_many_points(
                &it.label,
                t!("the parts' scores", "各分项分值"),
            ));
            return;
        };
        if shares.is_empty() || sum == max {
            return;
        }
        let listed = shares
            .iter()
            .map(|(m, _)| m.to_string())
            .collect::<Vec<_>>()
            .join(" + ");
        let at = match &it.kind {
            Some(ast::ItemKind::Score { span, .. }) => *span,
            _ => it.label.span,
        };
        let mut d = Diagnostic::new(
            Code::PartsDoNotAddUp,
            t!(
                "the parts of item {} add up to {sum}, but the item is worth {max}",
                "考核事项 {} 各分项合计 {sum} 分，而本项分值为 {max} 分",
                cx.id
            ),
        )
        .at(at, t!("worth {max}", "分值 {max} 分"))
        .with_note(t!(
            "the parts: {listed} = {sum}",
            "各分项：{listed} = {sum}"
        ))
        .with_help(t!(
            "make the parts' scores add up to the item's, as the table splits it",
            "请按考核表的分解，使各分项分值之和等于本项分值"
        ));
        for (m, span) in shares {
            d = d.with_label(span, t!("a part worth {m}", "分项 {m} 分"));
        }
        self.report(d);
    }

    pub(super) fn table_checks(&mut self, spec: &ast::Spec, s: &Structure) {
        let mut seen: HashMap<(&str, String), Span> = HashMap::new();
        let mut dup = |c: &mut Checker, what: &'static str, name: &ast::Name| {
            if let Some(first) = seen.get(&(what, name.text.clone())) {
                let what_zh = match what {
                    "section" => "一级指标",
                    "indicator" => "二级指标",
                    _ => "考核事项",
                };
                c.report(
                    Diagnostic::new(
                        Code::DuplicateId,
                        t!(
                            "two {}s have the id {}",
                            "有两个{}的编号都是 {}",
                            Text::new(what.to_string(), what_zh.to_string()),
                            name.text
                        ),
                    )
                    .at(name.span, t!("used again here", "此处重复使用"))
                    .with_label(*first, t!("first used here", "首次使用在此处"))
                    .with_help(t!(
                        "ids follow the table's numbering and are unique",
                        "编号应与考核表的序号一致，且不能重复"
                    )),
                );
            } else {
                seen.insert((what, name.text.clone()), name.span);
            }
        };
        for sec in &spec.sections {
            dup(self, "section", &sec.label);
            for ind in &sec.indicators {
                dup(self, "indicator", &ind.label);
                for it in &ind.items {
                    dup(self, "item", &it.label);
                }
            }
        }
        if s.items.is_empty() {
            self.report(
                Diagnostic::new(Code::NoItems, t!("the spec has no items, so it scores nothing", "规则文件中没有考核事项，无法计分"))
                    .with_help(t!("write the table's sections, indicators and items: `section 一 \"…\" {{ indicator 1 \"…\" {{ item 1.1 \"…\" score 3 {{ … }} }} }}`", "请写出考核表的一级指标、二级指标和考核事项：`一级指标 一 \"…\" {{ 二级指标 1 \"…\" {{ 考核事项 1.1 \"…\" 分值 3 {{ … }} }} }}`")),
            );
        }
        if let Some((declared, span)) = spec.header.as_ref().and_then(|h| h.total)
            && declared != s.base_total
            && !self.kind_missing
        {
            self.report(
                Diagnostic::new(
                    Code::TotalMismatch,
                    t!(
                        "the base items add up to {}, but the table's total is {declared}",
                        "基本项合计 {} 分，而考核表总分为 {declared} 分",
                        s.base_total
                    ),
                )
                .at(span, t!("declared {declared}", "写明的总分 {declared}"))
                .with_note(t!(
                    "the spec's base items ({}) are worth {} together",
                    "规则文件中的基本项（共 {} 项）合计 {} 分",
                    s.items
                        .iter()
                        .filter(|i| matches!(i.kind, ItemKind::Base(_)))
                        .count(),
                    s.base_total
                ))
                .with_help(t!(
                    "check each item's `score` against the table, or correct the `total`",
                    "请对照考核表核对各项“分值”，或更正“总分”"
                )),
            );
        }
        if self.errors() == 0 {
            self.bonus_ceiling(spec, s);
        }
        let unused: Vec<usize> = self
            .used
            .iter()
            .enumerate()
            .filter(|(_, u)| !**u)
            .map(|(i, _)| i)
            .filter(|&i| {
                self.inputs
                    .get(i)
                    .is_none_or(|input| !self.suggested.contains(&input.name))
            })
            .collect();
        for slot in unused {
            let Some(input) = self.inputs.get(slot) else {
                continue;
            };
            let d = Diagnostic::new(
                Code::UnusedInput,
                t!(
                    "input `{}` is declared but no rule uses it",
                    "数据项“{}”已声明，但没有任何规则用到它",
                    input.name
                ),
            )
            .at(input.span, t!("never used", "从未使用"))
            .with_help(t!(
                "use it in a clause, or remove it so that data clerks are not asked for it",
                "请在子句中用到它，或将其删去，免得填报人员白白填报"
            ));
            self.report(d);
        }
    }
}

impl Checker {
    pub(super) fn errors(&self) -> usize {
        self.diags.iter().filter(|d| d.is_error()).count()
    }

    /// K0416: bonus items with no ceiling over them (header, section or
    /// indicator), reported once at the first.
    fn bonus_ceiling(&mut self, spec: &ast::Spec, s: &Structure) {
        if spec.header.as_ref().and_then(|h| h.bonus_cap).is_some() {
            return;
        }
        let uncapped: Vec<&ir::Item> = s
            .items
            .iter()
            .filter(|i| gives_bonus(&i.body, i.kind == ItemKind::Bonus))
            .filter(|i| {
                let ind = s.indicators.get(i.indicator);
                let sec = ind.and_then(|h| s.sections.get(h.parent));
                ind.is_none_or(|h| h.bonus_cap.is_none())
                    && sec.is_none_or(|h| h.bonus_cap.is_none())
            })
            .collect();
        let Some(first) = uncapped.first() else {
            return;
        };
        let ids = uncapped
            .iter()
            .map(|i| i.id.as_str())
            .collect::<Vec<_>>()
            .join(", ");
        let zh_ids = ids.replace(", ", "、");
        let n = uncapped.len();
        self.report(
            Diagnostic::new(
                Code::NoBonusCeiling,
                t!(
                    "{n} {} bonus points ({ids}) and no ceiling caps them",
                    "有 {n} 个{}加分（{zh_ids}），却没有加分上限",
                    if n == 1 {
                        t!("item gives", "考核事项")
                    } else {
                        t!("items give", "考核事项")
                    }
                ),
            )
            .at(first.span, t!("bonus without a ceiling", "加分没有上限"))
            .with_note(t!(
                "without a ceiling, bonuses are added to the total in full",
                "没有上限时，加分全额计入总分"
            ))
            .with_help(t!(
                "write the table's ceiling: `bonus at most 10` in the header for all bonuses, or in the section or indicator whose bonuses it caps; if the table really sets none, this warning can be left",
                "请写明考核表规定的上限：在表头写 `加分项 最高 10` 限定全部加分，或写在它所限定的一级指标、二级指标中；如考核表确实没有上限，可不理会此警告"
            )),
        );
    }

    /// K0417: in a scored block that starts full and that nothing deducts
    /// from, an `add` never moves the score; in one that starts at 0 and
    /// that nothing adds to, a `deduct` never does.
    pub(super) fn never_moves(&mut self, b: &Block, id: &str) {
        if let (Role::Base, Limit::Score { max, start }) = (b.role, b.limit) {
            let mut moves = Moves::default();
            moves.collect(b);
            let (full, empty) = (start == max, start.is_zero());
            let dead = if full && !moves.deducts {
                moves.add_spans.clone()
            } else if empty && !moves.adds && !full {
                moves.deduct_spans.clone()
            } else {
                vec![]
            };
            for span in dead {
                let what = if full {
                    t!("starts at its maximum of {max}", "从满分 {max} 分起评")
                } else {
                    t!("starts at 0", "从 0 分起评")
                };
                let help = if full {
                    t!(
                        "if the item earns its points upward, write `score {max} from 0`; if this is a bonus, put it in a bonus item or a `part bonus {{…}}`",
                        "如本项是从零起累计得分，请写 `分值 {max} 起评 0`；如这是加分，请放到加分项或 `分项 加分项 {{…}}` 中"
                    )
                } else {
                    t!(
                        "if the item starts full, remove `from 0`; if this is a deduction from the total, put it in a deduction item or a `part deduction {{…}}`",
                        "如本项应从满分起评，请删去“起评 0”；如这是从总分中扣分，请放到扣分项或 `分项 扣分项 {{…}}` 中"
                    )
                };
                self.report(
                    Diagnostic::new(
                        Code::ClauseNeverMoves,
                        t!(
                            "this clause can never move item {id}'s score: the score {} and nothing in it moves the other way",
                            "此子句永远不会改变考核事项 {id} 的得分：该得分{}，且没有反方向的子句",
                            what
                        ),
                    )
                    .at(span, t!("never moves the score", "永远不起作用"))
                    .with_help(help),
                );
            }
        }
        for n in &b.nodes {
            if let Node::Block(child) = n {
                self.never_moves(child, id);
            }
        }
    }
}

/// What the clauses of a scored block can do to it (not looking into
/// nested scored blocks, whose own start counts as able to move it either
/// way, nor into blocks feeding another total).
#[derive(Default)]
struct Moves {
    adds: bool,
    deducts: bool,
    add_spans: Vec<Span>,
    deduct_spans: Vec<Span>,
}

impl Moves {
    fn collect(&mut self, b: &Block) {
        for n in &b.nodes {
            match n {
                Node::Clause(c) => match c.sign {
                    Sign::Add => {
                        self.adds = true;
                        self.add_spans.push(c.span);
                    }
                    Sign::Deduct => {
                        self.deducts = true;
                        self.deduct_spans.push(c.span);
                    }
                },
                Node::Block(child) if child.role != b.role => {}
                Node::Block(child) if matches!(child.limit, Limit::Score { .. }) => {
                    self.adds = true;
                    self.deducts = true;
                }
                Node::Block(child) => self.collect(child),
            }
        }
    }
}

/// Whether a block gives bonus points: a bonus item's, or a `part bonus`.
fn gives_bonus(b: &Block, bonus: bool) -> bool {
    let bonus = bonus || b.role == Role::Bonus;
    b.nodes.iter().any(|n| match n {
        Node::Clause(c) => bonus && c.sign == Sign::Add,
        Node::Block(child) => gives_bonus(child, bonus),
    })
}

/// The first deduct or add clause of a body, looking into parts.
fn first_scoring(body: &[Entry]) -> Option<Span> {
    body.iter().find_map(|e| match e {
        Entry::Clause(c)
            if matches!(c.kind, ast::ClauseKind::Deduct(_) | ast::ClauseKind::Add(_)) =>
        {
            Some(c.span)
        }
        Entry::Part(p) => first_scoring(&p.body),
        Entry::Clause(_) => None,
    })
}
