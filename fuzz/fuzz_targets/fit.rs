//! FIT bytes through both decoders and the salvage pass (`parse_bytes`
//! picks the format by content), then the per-activity analysis: nothing
//! may panic, whatever the bytes.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let _ = runlens::parse::fit::fast::decode(data);
    let _ = runlens::parse::fit::fast::salvage(data).file.into_activities();
    if let Ok(activities) = runlens::parse::parse_bytes("fuzz.fit", data) {
        for a in activities {
            let _ = runlens::features::analyze(a, &runlens::features::kernel::Settings::default());
        }
    }
});
