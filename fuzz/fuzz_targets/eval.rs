//! The 2024 table with arbitrary bytes as its data file: reading the data
//! and scoring every entity that reads never panic, and every score keeps
//! total = base − deductions + bonus.
#![no_main]

use kaohe::ir::Program;
use libfuzzer_sys::fuzz_target;
use std::sync::LazyLock;

static PROGRAM: LazyLock<Option<Program>> = LazyLock::new(|| {
    kaohe::compile(include_str!("../../specs/liucheng-2024.kh")).program
});

fuzz_target!(|data: &[u8]| {
    let (Some(program), Ok(text)) = (PROGRAM.as_ref(), std::str::from_utf8(data)) else {
        return;
    };
    let (entities, _) = kaohe::data::from_json(program, text, "data.json");
    for e in &entities {
        if let Ok(o) = kaohe::eval::evaluate(program, e) {
            assert_eq!(o.total, o.base - o.deductions + o.bonus);
        }
    }
});
