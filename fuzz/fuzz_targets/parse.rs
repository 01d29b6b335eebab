//! Arbitrary bytes as a spec: parsing and checking never panic.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    if let Ok(text) = std::str::from_utf8(data) {
        let _ = kaohe::api::compile(text);
    }
});
