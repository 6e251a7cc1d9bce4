//! Simulated activities written as real files: FIT (through [`FitWriter`]),
//! GPX 1.1 with Garmin's `TrackPointExtension`, and TCX.

use std::fmt::Write as _;

use chrono::DateTime;

use crate::athlete::{SimActivity, SimSport};
use crate::fit::{Base, FitWriter, fit_time, mesg};

pub(crate) const DEG_TO_SEMICIRCLE: f64 = 2_147_483_648.0 / 180.0;

#[allow(clippy::cast_possible_truncation)]
pub(crate) fn scaled(v: f64, scale: f64, offset: f64) -> i64 {
    ((v + offset) * scale).round() as i64
}

pub(crate) fn fit_sport(sport: SimSport) -> (i64, i64) {
    match sport {
        SimSport::Run => (1, 0),
        SimSport::Treadmill => (1, 1),
        SimSport::TrailRun => (1, 3),
        SimSport::Ride => (2, 0),
    }
}

/// A FIT activity file as a Garmin watch writes one (file id, HR zones,
/// timer events, records, the recovery heart rate when it has one,
/// session, activity with local time).
pub fn fit_bytes(a: &SimActivity) -> Vec<u8> {
    let mut w = FitWriter::new();
    let start = fit_time(a.start_unix_s);
    let end = fit_time(a.end_unix_s());
    w.define(0, mesg::FILE_ID, &[(0, Base::Enum), (1, Base::UInt16), (2, Base::UInt16), (4, Base::UInt32)]);
    w.data(0, &[Some(4), Some(255), Some(1), Some(start)]);
    if a.watch_zones {
        let body = a.physiology;
        w.define(1, mesg::ZONES_TARGET, &[(1, Base::UInt8), (2, Base::UInt8)]);
        w.data(1, &[Some(scaled(body.max_hr_bpm, 1.0, 0.0)), Some(scaled(body.lthr_bpm, 1.0, 0.0))]);
    }
    w.define(2, mesg::EVENT, &[(253, Base::UInt32), (0, Base::Enum), (1, Base::Enum)]);
    w.data(2, &[Some(start), Some(0), Some(0)]);
    w.define(
        3,
        mesg::RECORD,
        &[
            (253, Base::UInt32),
            (0, Base::SInt32),
            (1, Base::SInt32),
            (2, Base::UInt16),
            (3, Base::UInt8),
            (4, Base::UInt8),
            (5, Base::UInt32),
            (6, Base::UInt16),
        ],
    );
    for s in &a.samples {
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
            ],
        );
    }
    w.data(2, &[Some(end), Some(0), Some(4)]);
    if let Some(bpm) = a.recovery_hr_event_bpm {
        // Written two minutes after the stop, as a marker (event 21,
        // `recovery_hr`, type 3) with the value in `data`.
        w.define(6, mesg::EVENT, &[(253, Base::UInt32), (0, Base::Enum), (1, Base::Enum), (3, Base::UInt32)]);
        w.data(6, &[Some(end + 120), Some(21), Some(3), Some(scaled(bpm, 1.0, 0.0))]);
    }
    let elapsed_ms = (a.end_unix_s() - a.start_unix_s) * 1000;
    let (sport, sub_sport) = fit_sport(a.sport);
    w.define(
        4,
        mesg::SESSION,
        &[
            (253, Base::UInt32),
            (2, Base::UInt32),
            (7, Base::UInt32),
            (8, Base::UInt32),
            (9, Base::UInt32),
            (5, Base::Enum),
            (6, Base::Enum),
        ],
    );
    w.data(
        4,
        &[
            Some(end),
            Some(start),
            Some(elapsed_ms),
            Some(elapsed_ms),
            Some(scaled(a.distance_m(), 100.0, 0.0)),
            Some(sport),
            Some(sub_sport),
        ],
    );
    w.define(
        5,
        mesg::ACTIVITY,
        &[(253, Base::UInt32), (1, Base::UInt16), (2, Base::Enum), (3, Base::Enum), (4, Base::Enum), (5, Base::UInt32)],
    );
    w.data(5, &[Some(end), Some(1), Some(0), Some(26), Some(1), Some(end + i64::from(a.utc_offset_s))]);
    w.finish()
}

fn rfc3339(unix_s: i64) -> String {
    DateTime::from_timestamp(unix_s, 0).unwrap_or_default().format("%Y-%m-%dT%H:%M:%SZ").to_string()
}

fn gpx_type(sport: SimSport) -> &'static str {
    match sport {
        SimSport::Run | SimSport::Treadmill => "running",
        SimSport::TrailRun => "trail_running",
        SimSport::Ride => "cycling",
    }
}

/// GPX 1.1 as Garmin Connect and Strava export it.
pub fn gpx_string(a: &SimActivity) -> String {
    gpx_as(a, Gpx { creator: "runlens-sim", ns: "gpxtpx", kind: gpx_type(a.sport) })
}

/// What differs between the apps that write GPX: who wrote it, the prefix of
/// Garmin's extension namespace, the activity type.
#[derive(Clone, Copy)]
pub(crate) struct Gpx<'a> {
    pub creator: &'a str,
    pub ns: &'a str,
    pub kind: &'a str,
}

/// GPX 1.1 with the name, the type, and heart rate and cadence where recorded.
pub(crate) fn gpx_as(a: &SimActivity, g: Gpx<'_>) -> String {
    let Gpx { creator, ns, kind } = g;
    let mut s = String::with_capacity(a.samples.len() * 220);
    let _ = writeln!(s, r#"<?xml version="1.0" encoding="UTF-8"?>"#);
    let _ = writeln!(
        s,
        r#"<gpx creator="{creator}" version="1.1" xmlns="http://www.topografix.com/GPX/1/1" xmlns:{ns}="http://www.garmin.com/xmlschemas/TrackPointExtension/v1">"#
    );
    let _ = writeln!(s, " <metadata><time>{}</time></metadata>", rfc3339(a.start_unix_s));
    let _ = writeln!(s, " <trk>\n  <name>{}</name>\n  <type>{kind}</type>\n  <trkseg>", xml_escape(&a.name));
    // A realistic athlete's watch also reads the air (Garmin's `atemp`).
    let atemp = a.realistic.as_ref().map(|t| format!("<{ns}:atemp>{:.0}</{ns}:atemp>", t.temperature_c.round() + 0.0));
    for p in &a.samples {
        let (Some(lat), Some(lon)) = (p.lat_deg, p.lon_deg) else { continue };
        let _ = write!(
            s,
            "   <trkpt lat=\"{lat:.7}\" lon=\"{lon:.7}\"><ele>{:.1}</ele><time>{}</time>",
            p.altitude_m,
            rfc3339(p.unix_s)
        );
        if let Some(hr) = p.hr_bpm {
            let _ = write!(
                s,
                "<extensions><{ns}:TrackPointExtension>{}<{ns}:hr>{hr:.0}</{ns}:hr><{ns}:cad>{:.0}</{ns}:cad></{ns}:TrackPointExtension></extensions>",
                atemp.as_deref().unwrap_or_default(),
                p.cadence_rpm
            );
        }
        s.push_str("</trkpt>\n");
    }
    s.push_str("  </trkseg>\n </trk>\n</gpx>\n");
    s
}

pub(crate) fn xml_escape(s: &str) -> String {
    s.replace('&', "&amp;").replace('<', "&lt;").replace('>', "&gt;").replace('"', "&quot;")
}

/// TCX as Garmin Connect exports it: one lap, one track.
pub fn tcx_string(a: &SimActivity) -> String {
    let sport = if a.sport == SimSport::Ride { "Biking" } else { "Running" };
    let mut s = String::with_capacity(a.samples.len() * 400);
    s.push_str(r#"<?xml version="1.0" encoding="UTF-8"?>
<TrainingCenterDatabase xmlns="http://www.garmin.com/xmlschemas/TrainingCenterDatabase/v2" xmlns:ns3="http://www.garmin.com/xmlschemas/ActivityExtension/v2">
 <Activities>
"#);
    let start = rfc3339(a.start_unix_s);
    let _ = writeln!(s, "  <Activity Sport=\"{sport}\">\n   <Id>{start}</Id>\n   <Lap StartTime=\"{start}\">");
    let _ = writeln!(
        s,
        "    <TotalTimeSeconds>{}</TotalTimeSeconds>\n    <DistanceMeters>{:.1}</DistanceMeters>\n    <Track>",
        a.end_unix_s() - a.start_unix_s,
        a.distance_m()
    );
    for p in &a.samples {
        let _ = write!(s, "     <Trackpoint><Time>{}</Time>", rfc3339(p.unix_s));
        if let (Some(lat), Some(lon)) = (p.lat_deg, p.lon_deg) {
            let _ = write!(
                s,
                "<Position><LatitudeDegrees>{lat:.7}</LatitudeDegrees><LongitudeDegrees>{lon:.7}</LongitudeDegrees></Position>"
            );
        }
        let _ = write!(
            s,
            "<AltitudeMeters>{:.1}</AltitudeMeters><DistanceMeters>{:.2}</DistanceMeters>",
            p.altitude_m, p.distance_m
        );
        if let Some(hr) = p.hr_bpm {
            let _ = write!(s, "<HeartRateBpm><Value>{hr:.0}</Value></HeartRateBpm>");
        }
        let _ = writeln!(
            s,
            "<Extensions><ns3:TPX><ns3:Speed>{:.3}</ns3:Speed><ns3:RunCadence>{:.0}</ns3:RunCadence></ns3:TPX></Extensions></Trackpoint>",
            p.speed_m_s, p.cadence_rpm
        );
    }
    s.push_str("    </Track>\n   </Lap>\n  </Activity>\n </Activities>\n</TrainingCenterDatabase>\n");
    s
}
