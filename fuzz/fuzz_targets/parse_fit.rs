//! FIT bytes through the fast decoder and its salvage pass alone (no
//! fitparser, no analysis), so a run reaches millions of executions: the
//! decoder must decline or decode, never panic, whatever the bytes.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let _ = runlens::parse::fit::fast::decode(data).map(|file| file.into_activities());
    let _ = runlens::parse::fit::fast::salvage(data).file.into_activities();
});
