//! The 2024 table with arbitrary bytes as its data file: reading the data
//! and scoring every entity that reads never panic, and every score keeps
//! total = base − deductions + bonus.
#![no_main]

use kaohe::api::{Options, Spec};
use libfuzzer_sys::fuzz_target;
use std::sync::LazyLock;

static SPEC: LazyLock<Option<Spec>> =
    LazyLock::new(|| Spec::check(include_str!("../../specs/liucheng-2024.kh")).ok());

fuzz_target!(|data: &[u8]| {
    let (Some(spec), Ok(text)) = (SPEC.as_ref(), std::str::from_utf8(data)) else {
        return;
    };
    let (entities, _) = spec.read_json(text, "data.json");
    for e in &entities {
        if let Ok(o) = spec.evaluate(e, Options::default()) {
            assert_eq!(o.total, o.base - o.deductions + o.bonus);
        }
    }
});
