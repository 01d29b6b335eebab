//! A spec as arbitrary bytes (mutations of the repo's specs, from the
//! parse corpus): formatting never panics, a spec that parses formats, the
//! result is a fixed point, checks to the same program (spans aside) with
//! the same diagnostic codes, and zh → en → zh gives back the same text.
#![no_main]

use kaohe::api::{KeywordSet, format};
use kaohe::testkit::meaning;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let Ok(once) = format(text, None) else {
        return;
    };
    assert_eq!(format(&once, None).ok().as_ref(), Some(&once), "not idempotent");
    assert_eq!(meaning(&once), meaning(text), "meaning changed");
    let zh = format(text, Some(KeywordSet::Zh)).expect("a spec that formats converts to zh");
    let en = format(&zh, Some(KeywordSet::En)).expect("its zh form converts to en");
    assert_eq!(format(&en, Some(KeywordSet::Zh)).ok(), Some(zh), "zh → en → zh differs");
});
