//! GPX bytes through the streaming parser (encoding detection included),
//! then the per-activity analysis: nothing may panic, whatever the bytes.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let _ = runlens::parse::gpx::parse(data);
    if let Ok(activities) = runlens::parse::parse_bytes("fuzz.gpx", data) {
        for a in activities {
            let _ = runlens::features::analyze(a, &runlens::features::kernel::Settings::default());
        }
    }
});
