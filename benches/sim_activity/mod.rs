//! What the stage benches (metrics, load, efforts) share: a simulated run
//! as the parsed `Activity` the parallel stage takes, without writing and
//! parsing a file, so only the stage under test is timed.

use runlens::parse::{Activity, Point, Sport};
use runlens_sim::SimActivity;

pub fn to_activity(s: &SimActivity) -> Activity {
    let mut a = Activity::default();
    a.meta.sport = Sport::Running;
    a.meta.start_ms = s.start_unix_s * 1000;
    a.meta.utc_offset_s = Some(s.utc_offset_s);
    for p in &s.samples {
        a.samples.push(&Point {
            time_ms: p.unix_s * 1000,
            lat_deg: p.lat_deg,
            lon_deg: p.lon_deg,
            altitude_m: Some(p.altitude_m),
            distance_m: Some(p.distance_m),
            speed_m_s: Some(p.speed_m_s),
            hr_bpm: p.hr_bpm,
            cadence_rpm: Some(p.cadence_rpm),
            ..Point::default()
        });
    }
    a
}
