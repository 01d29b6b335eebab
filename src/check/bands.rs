//! Bands: lowering their bounds, and proving they neither leave gaps nor
//! overlap over the values the banded quantity can take.

use super::Checker;
use super::expr::Cx;
use super::messages;
use super::types::{T, U, unify};
use crate::diagnostic::Text;
use crate::ir::{self, Expr, Ty, Unit, Value};
use crate::parse::ast::{self, BinOp};
use crate::source::Span;
use crate::t;
use rust_decimal::Decimal;

/// The values a banded quantity can take.
#[derive(Clone, Copy, Debug)]
pub struct Domain {
    pub min: Option<Decimal>,
    pub max: Option<Decimal>,
    pub integral: bool,
}

impl Domain {
    pub const ALL: Domain = Domain {
        min: None,
        max: None,
        integral: false,
    };
}

type End = Option<(Decimal, bool)>;

impl Checker {
    pub fn bands(&mut self, s: &ast::Expr, bands: &[ast::Band], cx: &mut Cx) -> (Expr, T) {
        let (scrutinee, unit) = self.number_expr(
            s,
            cx,
            t!("the value that bands are read from", "分档所依据的值"),
        );
        let Some((unit, integral)) = unit else {
            return (Expr::Const(Value::Missing), T::Error);
        };
        let domain = self.domain_of(&scrutinee, integral);
        let (lowered, t) = self.lower_bands(bands, &unit, domain, cx);
        (Expr::Bands(Box::new(scrutinee), lowered), t)
    }

    fn domain_of(&self, e: &Expr, integral: bool) -> Domain {
        let ty = match e {
            Expr::Input(slot) => self.inputs.get(*slot).map(|i| &i.ty),
            _ => None,
        };
        match ty {
            Some(Ty::Rate) => Domain {
                min: Some(Decimal::ZERO),
                max: Some(Decimal::ONE),
                integral: false,
            },
            Some(Ty::Count(_)) => Domain {
                min: Some(Decimal::ZERO),
                max: None,
                integral: true,
            },
            _ => Domain {
                integral,
                ..Domain::ALL
            },
        }
    }

    /// Lower bands over a quantity of `unit`; returns them and the type of their values.
    pub fn lower_bands(
        &mut self,
        bands: &[ast::Band],
        unit: &U,
        domain: Domain,
        cx: &mut Cx,
    ) -> (Vec<ir::Band>, T) {
        let mut out = Vec::new();
        let mut spans = Vec::new();
        let mut t = T::Error;
        // A band whose ends were refused (told already) leaves the others'
        // gaps and overlaps unknowable: they are not told.
        let mut all_ends = true;
        for band in bands {
            let Some((lower, upper)) = self.band_ends(band, unit) else {
                all_ends = false;
                continue;
            };
            let value = match &band.value {
                ast::BandValue::Value(v) => {
                    let (ir, vt) = self.expr(v, cx);
                    t = self.band_value_type(t, vt, v.span);
                    ir::BandValue::Value(ir)
                }
                ast::BandValue::Linear(a, b) => {
                    if lower.is_none() || upper.is_none() {
                        self.report(messages::unbounded_linear(band.span));
                    }
                    let (ai, at) = self.expr(a, cx);
                    let (bi, bt) = self.expr(b, cx);
                    t = self.band_value_type(t, at, a.span);
                    t = self.band_value_type(t, bt, b.span);
                    ir::BandValue::Linear(ai, bi)
                }
            };
            out.push(ir::Band {
                lower,
                upper,
                value,
            });
            spans.push(band.span);
        }
        if all_ends {
            self.check_coverage(&out, &spans, unit, domain);
            self.check_reachable(&out, &spans, unit, domain);
        }
        (out, t)
    }

    /// K0419: a band wholly outside the values the banded quantity can
    /// take (a rate runs from 0% to 100%, a count from 0 up).
    fn check_reachable(&mut self, bands: &[ir::Band], spans: &[Span], unit: &U, d: Domain) {
        for (b, span) in bands.iter().zip(spans) {
            let above = match (b.lower, d.max) {
                (Some((lo, incl)), Some(max)) => lo > max || (lo == max && !incl),
                _ => false,
            };
            let below = match (b.upper, d.min) {
                (Some((hi, incl)), Some(min)) => hi < min || (hi == min && !incl),
                _ => false,
            };
            if !(above || below) {
                continue;
            }
            let show = |v| show_value(v, unit);
            let range = match (d.min, d.max) {
                (Some(lo), Some(hi)) => {
                    let (lo, hi) = (show(lo), show(hi));
                    t!("from {lo} to {hi}", "{lo} 至 {hi} 之间")
                }
                (Some(lo), None) => {
                    let lo = show(lo);
                    t!("from {lo} up", "不小于 {lo}")
                }
                (None, Some(hi)) => {
                    let hi = show(hi);
                    t!("up to {hi}", "不大于 {hi}")
                }
                (None, None) => t!("over every number", "任意数值"),
            };
            self.report(messages::band_unreachable(range, *span));
        }
    }

    /// The type of the bands' values so far, joined with one more.
    fn band_value_type(&mut self, so_far: T, t: T, span: Span) -> T {
        self.join(&so_far, &t, span, span, false)
    }

    /// The lower and upper end of a band, each with whether it is included.
    fn band_ends(&mut self, band: &ast::Band, unit: &U) -> Option<(End, End)> {
        let bounds: Vec<&ast::Bound> = band.lower.iter().chain(band.upper.iter()).collect();
        let mut ends = Vec::new();
        for b in &bounds {
            let value = self.bound_value(b, unit)?;
            ends.push((b.op, value, b.span));
        }
        match ends.as_slice() {
            [(BinOp::Eq, v, _)] => Some((Some((*v, true)), Some((*v, true)))),
            [(op, v, _)] if matches!(op, BinOp::Gt | BinOp::Ge) => {
                Some((Some((*v, *op == BinOp::Ge)), None))
            }
            [(op, v, _)] if matches!(op, BinOp::Lt | BinOp::Le) => {
                Some((None, Some((*v, *op == BinOp::Le))))
            }
            [(lo, a, _), (hi, b, _)]
                if matches!(lo, BinOp::Gt | BinOp::Ge) && matches!(hi, BinOp::Lt | BinOp::Le) =>
            {
                Some((Some((*a, *lo == BinOp::Ge)), Some((*b, *hi == BinOp::Le))))
            }
            _ => {
                self.report(messages::not_a_band(band.span));
                None
            }
        }
    }

    fn bound_value(&mut self, b: &ast::Bound, unit: &U) -> Option<Decimal> {
        let (bu, scale) = self.unit(b.unit.as_ref())?;
        if let Err(c) = unify(unit, &bu, b.value.is_zero()) {
            self.report(messages::bound_unit_clash(c, b.span));
            return None;
        }
        Some(b.value * scale)
    }

    fn check_coverage(&mut self, bands: &[ir::Band], spans: &[Span], unit: &U, d: Domain) {
        let order = in_order(bands, spans);
        let (Some(&first), Some(&last)) = (order.first(), order.last()) else {
            return;
        };
        self.low_end(first, unit, d);
        for pair in order.windows(2) {
            if let [a, b] = pair {
                self.neighbours(*a, *b, unit, d.integral);
            }
        }
        self.high_end(last, unit, d);
    }

    /// A gap between the domain's low end and the first band.
    fn low_end(&mut self, (first, first_span): (&ir::Band, Span), unit: &U, d: Domain) {
        let show = |v: Decimal| show_value(v, unit);
        match (first.lower, d.min) {
            (Some((lo, incl)), Some(min)) => {
                let covered = if d.integral {
                    (if incl {
                        lo.ceil()
                    } else {
                        lo.floor() + Decimal::ONE
                    }) <= min
                } else {
                    lo < min || (lo == min && incl)
                };
                if !covered {
                    self.gap(
                        first_span,
                        t!(
                            "values from {} up to {}",
                            "从 {} 到 {} 之间的值",
                            show(min),
                            show(lo)
                        ),
                    );
                }
            }
            (Some((lo, _)), None) => {
                self.gap(first_span, t!("values below {}", "低于 {} 的值", show(lo)))
            }
            (None, _) => {}
        }
    }

    /// A gap or an overlap between two bands next to each other.
    fn neighbours(
        &mut self,
        (a, a_span): (&ir::Band, Span),
        (b, b_span): (&ir::Band, Span),
        unit: &U,
        integral: bool,
    ) {
        let show = |v: Decimal| show_value(v, unit);
        let (Some((hi, hi_in)), Some((lo, lo_in))) = (a.upper, b.lower) else {
            self.overlap(
                a_span,
                b_span,
                t!(
                    "both bands are open towards each other",
                    "两个分档在相向的一端都没有界限"
                ),
            );
            return;
        };
        if integral {
            self.whole_neighbours((hi, hi_in), (lo, lo_in), (a_span, b_span), unit);
        } else if hi < lo {
            self.gap(
                b_span,
                t!(
                    "values between {} and {}",
                    "介于 {} 与 {} 之间的值",
                    show(hi),
                    show(lo)
                ),
            );
        } else if hi > lo || (hi_in && lo_in) {
            self.overlap(a_span, b_span, t!("both cover {}", "都包含 {}", show(lo)));
        } else if !hi_in && !lo_in {
            self.gap(b_span, t!("the value {} itself", "取值 {} 本身", show(hi)));
        }
    }

    /// A gap or an overlap between two bands over whole numbers.
    fn whole_neighbours(
        &mut self,
        (hi, hi_in): (Decimal, bool),
        (lo, lo_in): (Decimal, bool),
        (a_span, b_span): (Span, Span),
        unit: &U,
    ) {
        let show = |v: Decimal| show_value(v, unit);
        let hi_i = if hi_in {
            hi.floor()
        } else {
            hi.ceil() - Decimal::ONE
        };
        let lo_i = if lo_in {
            lo.ceil()
        } else {
            lo.floor() + Decimal::ONE
        };
        if lo_i > hi_i + Decimal::ONE {
            self.gap(
                b_span,
                t!(
                    "whole numbers from {} to {}",
                    "从 {} 到 {} 的整数",
                    show(hi_i + Decimal::ONE),
                    show(lo_i - Decimal::ONE)
                ),
            );
        } else if lo_i <= hi_i {
            self.overlap(a_span, b_span, t!("both cover {}", "都包含 {}", show(lo_i)));
        }
    }

    /// A gap between the last band and the domain's high end.
    fn high_end(&mut self, (last, last_span): (&ir::Band, Span), unit: &U, d: Domain) {
        let show = |v: Decimal| show_value(v, unit);
        match (last.upper, d.max) {
            (Some((hi, incl)), Some(max)) if hi < max || (hi == max && !incl) => {
                self.gap(
                    last_span,
                    t!(
                        "values above {} up to {}",
                        "高于 {} 直至 {} 的值",
                        show(hi),
                        show(max)
                    ),
                );
            }
            (Some((hi, _)), None) => {
                self.gap(last_span, t!("values above {}", "高于 {} 的值", show(hi)))
            }
            _ => {}
        }
    }

    fn gap(&mut self, at: Span, what: Text) {
        self.report(messages::band_gap(what, at));
    }

    fn overlap(&mut self, first: Span, second: Span, what: Text) {
        self.report(messages::bands_overlap(what, first, second));
    }
}

/// The bands with their spans, by their lower ends (those open below first).
fn in_order<'a>(bands: &'a [ir::Band], spans: &[Span]) -> Vec<(&'a ir::Band, Span)> {
    let mut order: Vec<(&ir::Band, Span)> = bands.iter().zip(spans.iter().copied()).collect();
    let key = |b: &ir::Band| b.lower.map(|(v, incl)| (v, !incl));
    order.sort_by(|(a, _), (b, _)| match (key(a), key(b)) {
        (None, None) => std::cmp::Ordering::Equal,
        (None, _) => std::cmp::Ordering::Less,
        (_, None) => std::cmp::Ordering::Greater,
        (Some(x), Some(y)) => x.cmp(&y),
    });
    order
}

/// A number as the spec's author wrote it: 0.9 in % is "90%".
pub fn show_value(v: Decimal, unit: &U) -> String {
    let hundred = Decimal::ONE_HUNDRED;
    match unit {
        U::Known(Unit::Percent) => format!("{}%", (v * hundred).normalize()),
        U::Known(Unit::Points) => format!("{}pp", (v * hundred).normalize()),
        U::Known(Unit::Named(n)) => format!("{}{n}", v.normalize()),
        U::Known(Unit::Days) => format!("{} days", v.normalize()),
        _ => v.normalize().to_string(),
    }
}
