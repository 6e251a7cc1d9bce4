//! A realistic athlete's history on disk, the way their devices and apps
//! leave it: a Strava export folder (FIT.gz and GPX named in
//! `activities.csv`), loose FIT files as a watch writes them (timer events
//! at auto-pauses, no name), Garmin Connect GPX with `<name>`, TCX with
//! `<Notes>`.

use std::fmt::Write as _;
use std::io;
use std::path::Path;

use chrono::DateTime;

use super::FileFormat;
use crate::athlete::{SimActivity, SimSport};
use crate::export::gzip;
use crate::fit::{Base, FitWriter, fit_time, mesg};
use crate::write::{DEG_TO_SEMICIRCLE, Gpx, fit_sport, gpx_as, scaled, tcx_string, xml_escape};

/// Write `runs` into `dir` (created) as the mix of files their truth says.
pub fn write_history(runs: &[SimActivity], dir: &Path) -> io::Result<()> {
    std::fs::create_dir_all(dir)?;
    let mut csv = String::from(
        "Activity ID,Activity Date,Activity Name,Activity Type,Activity Description,Elapsed Time,Distance,Max Heart Rate,Relative Effort,Commute,Activity Private Note,Activity Gear,Filename\n",
    );
    let mut strava_rows = 0;
    for (i, a) in runs.iter().enumerate() {
        let (format, id) = a.realistic.as_ref().map_or((FileFormat::Fit, i as u64), |t| (t.format, t.id));
        let date = DateTime::from_timestamp(a.start_unix_s, 0).unwrap_or_default();
        let stem = format!("{}-{id}", date.format("%Y-%m-%d"));
        let (path, bytes) = match format {
            FileFormat::StravaFitGz | FileFormat::StravaGpx => {
                let gpx = format == FileFormat::StravaGpx;
                let file = format!("activities/{id}.{}", if gpx { "gpx" } else { "fit.gz" });
                csv_row(&mut csv, id, a, &file);
                strava_rows += 1;
                let bytes = if gpx { gpx_string(a).into_bytes() } else { gzip(&fit_bytes(a)) };
                (dir.join("strava").join(file), bytes)
            }
            FileFormat::Fit => (dir.join(format!("{stem}.fit")), fit_bytes(a)),
            FileFormat::FitGz => (dir.join(format!("{stem}.fit.gz")), gzip(&fit_bytes(a))),
            FileFormat::Gpx => (dir.join(format!("{stem}.gpx")), gpx_string(a).into_bytes()),
            FileFormat::Tcx => (dir.join(format!("{stem}.tcx")), tcx_named(a).into_bytes()),
            FileFormat::TcxGz => (dir.join(format!("{stem}.tcx.gz")), gzip(tcx_named(a).as_bytes())),
        };
        if let Some(parent) = path.parent() {
            std::fs::create_dir_all(parent)?;
        }
        std::fs::write(path, bytes)?;
    }
    if strava_rows > 0 {
        std::fs::write(dir.join("strava").join("activities.csv"), csv)?;
    }
    Ok(())
}

fn csv_quote(s: &str) -> String {
    format!("\"{}\"", s.replace('"', "\"\""))
}

fn csv_row(csv: &mut String, id: u64, a: &SimActivity, file: &str) {
    let date = DateTime::from_timestamp(a.start_unix_s, 0).unwrap_or_default().format("%b %-d, %Y, %-I:%M:%S %p");
    let kind = match a.sport {
        SimSport::TrailRun => "Trail Run",
        SimSport::Ride => "Ride",
        SimSport::Run | SimSport::Treadmill => "Run",
    };
    let max_hr = a.samples.iter().filter_map(|s| s.hr_bpm).fold(0.0, f64::max);
    let _ = writeln!(
        csv,
        "{id},\"{date}\",{},{kind},,{},{:.2},{max_hr:.0},,false,,,{file}",
        csv_quote(&a.name),
        a.end_unix_s() - a.start_unix_s,
        a.distance_m() / 1000.0,
    );
}

/// GPX as Garmin Connect exports it: the activity's name, its type, and
/// heart rate and cadence where recorded.
fn gpx_string(a: &SimActivity) -> String {
    let kind = if a.sport == SimSport::TrailRun { "trail_running" } else { "running" };
    gpx_as(a, Gpx { creator: "Garmin Connect", ns: "ns3", kind })
}

/// TCX with the activity's name in `<Notes>`, as Garmin Connect writes it.
fn tcx_named(a: &SimActivity) -> String {
    let s = tcx_string(a);
    if a.name.is_empty() {
        return s;
    }
    s.replacen("   </Lap>\n", &format!("   </Lap>\n   <Notes>{}</Notes>\n", xml_escape(&a.name)), 1)
}

/// A FIT activity as a Garmin watch writes one: timer start, records at the
/// watch's sampling, a timer stop and start around every auto-pause, the
/// session (timer time without the pauses) and the activity.
fn fit_bytes(a: &SimActivity) -> Vec<u8> {
    let mut w = FitWriter::new();
    let (start, end) = (fit_time(a.start_unix_s), fit_time(a.end_unix_s()));
    w.define(0, mesg::FILE_ID, &[(0, Base::Enum), (1, Base::UInt16), (2, Base::UInt16), (4, Base::UInt32)]);
    w.data(0, &[Some(4), Some(1), Some(3990), Some(start)]);
    w.define(2, mesg::EVENT, &[(253, Base::UInt32), (0, Base::Enum), (1, Base::Enum)]);
    w.data(2, &[Some(start), Some(0), Some(0)]);
    // The watch's thermometer: the day's air temperature, whole degrees.
    let temperature_c = a.realistic.as_ref().map(|t| scaled(t.temperature_c, 1.0, 0.0));
    let record: [(u8, Base); 9] = [
        (253, Base::UInt32),
        (0, Base::SInt32),
        (1, Base::SInt32),
        (2, Base::UInt16),
        (3, Base::UInt8),
        (4, Base::UInt8),
        (5, Base::UInt32),
        (6, Base::UInt16),
        (13, Base::SInt8),
    ];
    w.define(3, mesg::RECORD, &record);
    let pauses = a.realistic.as_ref().map_or(&[][..], |t| t.pauses.as_slice());
    let mut next_pause = 0;
    let mut paused_s = 0;
    for s in &a.samples {
        while let Some(&(from, to)) = pauses.get(next_pause).filter(|p| p.0 <= s.unix_s) {
            w.data(2, &[Some(fit_time(from)), Some(0), Some(4)]);
            w.data(2, &[Some(fit_time(to)), Some(0), Some(0)]);
            paused_s += to - from;
            next_pause += 1;
        }
        w.data(
            3,
            &[
                Some(fit_time(s.unix_s)),
                s.lat_deg.map(|v| scaled(v, DEG_TO_SEMICIRCLE, 0.0)),
                s.lon_deg.map(|v| scaled(v, DEG_TO_SEMICIRCLE, 0.0)),
                Some(scaled(s.altitude_m, 5.0, 500.0)),
                s.hr_bpm.map(|v| scaled(v, 1.0, 0.0)),
                Some(scaled(s.cadence_rpm, 1.0, 0.0)),
                Some(scaled(s.distance_m, 100.0, 0.0)),
                Some(scaled(s.speed_m_s, 1000.0, 0.0)),
                temperature_c,
            ],
        );
    }
    w.data(2, &[Some(end), Some(0), Some(4)]);
    let elapsed_ms = (a.end_unix_s() - a.start_unix_s) * 1000;
    let (sport, sub_sport) = fit_sport(a.sport);
    let session: [(u8, Base); 7] = [
        (253, Base::UInt32),
        (2, Base::UInt32),
        (7, Base::UInt32),
        (8, Base::UInt32),
        (9, Base::UInt32),
        (5, Base::Enum),
        (6, Base::Enum),
    ];
    w.define(4, mesg::SESSION, &session);
    let timer_ms = elapsed_ms - paused_s * 1000;
    let distance = scaled(a.distance_m(), 100.0, 0.0);
    w.data(
        4,
        &[Some(end), Some(start), Some(elapsed_ms), Some(timer_ms), Some(distance), Some(sport), Some(sub_sport)],
    );
    let activity: [(u8, Base); 6] =
        [(253, Base::UInt32), (1, Base::UInt16), (2, Base::Enum), (3, Base::Enum), (4, Base::Enum), (5, Base::UInt32)];
    w.define(5, mesg::ACTIVITY, &activity);
    w.data(5, &[Some(end), Some(1), Some(0), Some(26), Some(1), Some(end + i64::from(a.utc_offset_s))]);
    w.finish()
}
