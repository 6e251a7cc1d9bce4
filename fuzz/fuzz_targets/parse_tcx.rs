//! TCX bytes through the streaming parser alone, raw and after encoding
//! detection (`parse_bytes` transcodes, sniffs and parses; no analysis).
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let _ = runlens::parse::tcx::parse(data);
    let _ = runlens::parse::parse_bytes("fuzz.tcx", data);
});
