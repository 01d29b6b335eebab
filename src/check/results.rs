//! Results derived from the total (`result "等次" "优秀" >= 90, …`, `pass mark`,
//! `payout`, `top`): named, ordered, within the totals a unit can reach.

use super::{Checker, messages};
use crate::ir::{self, ItemKind, NamedResult, ResultRule};
use crate::parse::ast;
use rust_decimal::Decimal;

impl Checker {
    /// The header's named results, checked; `pass` and `fail` are the
    /// header's texts (for a pass mark).
    pub(super) fn named_results(
        &mut self,
        header: &ast::TableHeader,
        items: &[ir::Item],
        base_total: Decimal,
        texts: (&str, &str),
    ) -> Vec<NamedResult> {
        let highest = highest_total(header, items, base_total);
        let mut out = Vec::new();
        for (i, r) in header.results.iter().enumerate() {
            if let Some(first) = header
                .results
                .iter()
                .take(i)
                .find(|f| f.name.value == r.name.value)
            {
                self.report(messages::result_named_twice(
                    &r.name.value,
                    r.name.span,
                    first.name.span,
                ));
                continue;
            }
            let name = &r.name.value;
            let beyond = |c: &mut Checker, mark: Decimal, at| {
                if let Some(h) = highest
                    && mark > h
                {
                    c.report(messages::mark_beyond_total(name, mark, h, at));
                }
            };
            let rule = match &r.rule {
                ast::ResultRule::Grade { steps, otherwise } => {
                    for (k, (text, mark, at)) in steps.iter().enumerate() {
                        if let Some((before, before_mark, first)) =
                            k.checked_sub(1).and_then(|p| steps.get(p))
                            && mark >= before_mark
                        {
                            self.report(messages::grade_order(
                                &text.value,
                                *mark,
                                &before.value,
                                *before_mark,
                                *at,
                                *first,
                            ));
                        }
                        beyond(self, *mark, *at);
                    }
                    let Some(otherwise) = otherwise else {
                        if let Some((_, lowest, at)) = steps.last() {
                            self.report(messages::grade_without_else(name, *lowest, *at));
                        }
                        continue;
                    };
                    ResultRule::Grade {
                        steps: steps
                            .iter()
                            .map(|(t, m, _)| (t.value.clone(), *m))
                            .collect(),
                        otherwise: otherwise.value.clone(),
                    }
                }
                ast::ResultRule::PassMark(mark, at) => {
                    beyond(self, *mark, *at);
                    ResultRule::PassMark {
                        mark: *mark,
                        pass: texts.0.to_string(),
                        fail: texts.1.to_string(),
                    }
                }
                ast::ResultRule::Payout { low, high } => {
                    let percent = |e: &ast::PayoutEnd| e.unit.as_ref().map(|u| u.text == "%");
                    let (lp, hp) = (percent(low), percent(high));
                    let odd = [(lp, low), (hp, high)]
                        .into_iter()
                        .find(|(p, _)| *p == Some(false))
                        .map(|(_, e)| e)
                        .or((lp != hp).then_some(high));
                    if let Some(e) = odd {
                        self.report(messages::payout_unit(name, e.span));
                        continue;
                    }
                    if low.mark >= high.mark {
                        self.report(messages::payout_marks(
                            name,
                            low.mark,
                            high.mark,
                            low.span.to(high.span),
                        ));
                        continue;
                    }
                    beyond(self, high.mark, high.span);
                    let scale = if lp == Some(true) {
                        Decimal::ONE_HUNDRED
                    } else {
                        Decimal::ONE
                    };
                    ResultRule::Payout {
                        low: low.mark,
                        low_value: low.value / scale,
                        high: high.mark,
                        high_value: high.value / scale,
                        percent: lp == Some(true),
                    }
                }
                ast::ResultRule::Top {
                    n,
                    unit,
                    span,
                    label,
                } => {
                    let percent = unit.as_ref().map(|u| u.text == "%");
                    let fine = match percent {
                        None => n.fract().is_zero() && *n >= Decimal::ONE,
                        Some(true) => *n > Decimal::ZERO && *n <= Decimal::ONE_HUNDRED,
                        Some(false) => false,
                    };
                    if !fine {
                        let written = self.written(*span);
                        self.report(messages::top_count(name, &written, *span));
                        continue;
                    }
                    ResultRule::Top {
                        n: if percent == Some(true) {
                            n / Decimal::ONE_HUNDRED
                        } else {
                            *n
                        },
                        percent: percent == Some(true),
                        label: label.value.clone(),
                    }
                }
            };
            out.push(NamedResult {
                name: name.clone(),
                rule,
            });
        }
        out
    }
}

/// The highest total a unit can reach: the base items' points, plus the
/// header's bonus ceiling; `None` when bonus items have no ceiling there.
fn highest_total(
    header: &ast::TableHeader,
    items: &[ir::Item],
    base_total: Decimal,
) -> Option<Decimal> {
    let bonus = items
        .iter()
        .any(|i| matches!(i.kind, ItemKind::Bonus | ItemKind::Mixed));
    match header.bonus_cap {
        Some((cap, _)) => base_total.checked_add(cap),
        None if bonus => None,
        None => Some(base_total),
    }
}
