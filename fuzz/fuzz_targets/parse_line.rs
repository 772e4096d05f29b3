//! Any bytes through every preset's line parser: no panic, and a parsed
//! record's fields lie within the line.
#![no_main]

use libfuzzer_sys::fuzz_target;
use logstat::format::presets::{NAMES, preset};
use logstat::parse::parse_line;

fuzz_target!(|data: &[u8]| {
    for name in NAMES {
        let f = preset(name).unwrap();
        if let Ok(r) = parse_line(&f, data) {
            let range = data.as_ptr_range();
            for field in [r.client, r.ident, r.user, r.request, r.target, r.referrer, r.user_agent, r.rest] {
                assert!(field.is_empty() || field == b"-" || range.contains(&field.as_ptr()));
            }
            let mut route = Vec::new();
            logstat::parse::route::normalize(r.target, &mut route);
            let _ = logstat::text::escape(&route);
        }
    }
});
