//! The small files in runlens's `fixtures/`: one short valid run and the
//! broken files its error paths are tested on. Generated, so each is exactly
//! what its name says; `fixtures/README.md` explains them.

use crate::athlete::{Plan, simulate};
use crate::fit::{Base, FitWriter, mesg};
use crate::write::{fit_bytes, gpx_string};

/// A 6-minute easy run at 1 Hz (the base of the broken variants).
pub fn short_run() -> crate::SimActivity {
    let plan = Plan { utc_offset_s: 3600, routes: 1, fixed_minutes: Some(6.0), ..Plan::new(3, 1) };
    simulate(&plan).swap_remove(0)
}

/// `(file name, bytes)` of every fixture.
pub fn all() -> Vec<(&'static str, Vec<u8>)> {
    let run = short_run();
    let fit = fit_bytes(&run);
    let gpx = gpx_string(&run);
    let mut bad_crc = fit.clone();
    let mid = bad_crc.len() / 2;
    bad_crc[mid] ^= 0x01;
    let route = r#"<?xml version="1.0"?>
<gpx version="1.1" creator="planner" xmlns="http://www.topografix.com/GPX/1/1">
 <rte><name>Planned loop</name><rtept lat="46.51" lon="6.63"/><rtept lat="46.52" lon="6.64"/></rte>
</gpx>
"#;
    vec![
        ("short-run.fit", fit.clone()),
        ("short-run.gpx", gpx.clone().into_bytes()),
        ("broken/truncated.fit", fit[..fit.len() * 3 / 5].to_vec()),
        ("broken/bad-crc.fit", bad_crc),
        ("broken/cut-mid-tag.gpx", gpx.as_bytes()[..gpx.len() / 2].to_vec()),
        ("broken/empty.tcx", Vec::new()),
        ("broken/not-a-zip.zip", b"This was supposed to be a zip.\n".to_vec()),
        ("broken/settings.fit", settings_fit()),
        ("broken/planned-route.gpx", route.as_bytes().to_vec()),
    ]
}

/// A FIT file whose `file_id` says "settings": not an activity.
fn settings_fit() -> Vec<u8> {
    let mut w = FitWriter::new();
    w.define(0, mesg::FILE_ID, &[(0, Base::Enum), (1, Base::UInt16), (2, Base::UInt16)]);
    w.data(0, &[Some(2), Some(1), Some(1)]);
    w.finish()
}
