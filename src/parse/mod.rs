//! The activity model every parser fills (metadata here, the columnar
//! samples in `samples.rs`), and the dispatch from raw bytes to the right
//! parser.

pub mod fit;
pub mod fixes;
pub mod gpx;
pub mod samples;
pub mod sport;
pub mod summary;
pub mod tcx;

pub use crate::discover::Format;
pub use samples::{Channel, Point, Samples};
pub use sport::Sport;
pub use summary::Summary;

use crate::error::ParseError;

/// Heart-rate thresholds a watch wrote into its files (user profile, zones).
/// Kept per activity so the metrics stage can prefer them over estimates.
#[derive(Debug, Clone, Copy, Default, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct WatchThresholds {
    pub max_hr_bpm: Option<f64>,
    pub resting_hr_bpm: Option<f64>,
    pub lthr_bpm: Option<f64>,
}

/// Everything about an activity that is not a per-second sample.
#[derive(Debug, Clone, Default, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct ActivityMeta {
    /// Input path, with `!member` for archive members.
    pub source: String,
    pub format: Option<Format>,
    pub sport: Sport,
    /// The sport as the file (or Strava) named it, before normalization.
    pub sport_raw: String,
    /// Unix epoch milliseconds, UTC.
    pub start_ms: i64,
    /// Local time minus UTC: the file's own (FIT activity message), or the
    /// one the time-zone stage (`features::timezone`) found; `utc_offset_source` says which.
    pub utc_offset_s: Option<i32>,
    pub utc_offset_source: OffsetSource,
    pub elapsed_s: Option<f64>,
    pub timer_s: Option<f64>,
    /// The file's own total distance, preferred over a recount: the FIT
    /// session's total, or a GPX's segments measured in file order.
    pub total_distance_m: Option<f64>,
    pub total_ascent_m: Option<f64>,
    pub device: Option<String>,
    pub name: Option<String>,
    /// Timer stop..start intervals (epoch ms), from FIT events.
    pub pauses: Vec<(i64, i64)>,
    /// Laps the device recorded (FIT lap messages, TCX `<Lap>`s).
    pub laps: usize,
    pub thresholds: WatchThresholds,
    /// The recovery heart rate the watch wrote (FIT `recovery_hr` event),
    /// as written: Garmin describes it as the drop in the two minutes after
    /// the stop.
    pub recovery_hr_bpm: Option<f64>,
    /// Records dropped while parsing (no usable timestamp, or one far outside
    /// the activity), so nothing is lost silently.
    pub dropped_points: usize,
    /// Samples that came earlier in time than the one before them in the file
    /// (put back in time order by [`Activity::into_time_order`]).
    pub out_of_order_points: usize,
    /// Set when the activity was salvaged from a damaged file: "partial: ..."
    /// or "unverified: ...", saying what was wrong and what was kept.
    pub integrity: Option<String>,
}

/// Where an activity's UTC offset came from, best evidence first.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, PartialOrd, Ord, Hash, serde::Serialize, serde::Deserialize)]
pub enum OffsetSource {
    /// The file records it (the watch's own clock: FIT activity message).
    Device,
    /// The IANA zone at the first position, with its rules for that instant.
    Position,
    /// `--utc-offset` or `[analysis] utc_offset`, for files with neither.
    Setting,
    /// Another activity of the athlete's, close in time, that has one.
    Nearby,
    /// Nothing to go by: the activity's local time is UTC.
    #[default]
    Unknown,
}

impl OffsetSource {
    /// The value of `activities.csv`'s `utc_offset_source` column.
    pub fn as_str(self) -> &'static str {
        match self {
            OffsetSource::Device => "device",
            OffsetSource::Position => "position",
            OffsetSource::Setting => "setting",
            OffsetSource::Nearby => "nearby",
            OffsetSource::Unknown => "none",
        }
    }
}

/// One activity: metadata plus columnar samples.
#[derive(Debug, Clone, Default, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct Activity {
    pub meta: ActivityMeta,
    pub samples: Samples,
}

impl Activity {
    /// The activity with its samples in time order, the order every later
    /// stage relies on. Parsers keep file order so conformance with other
    /// parsers can be checked on what the file says.
    #[must_use]
    pub fn into_time_order(mut self) -> Activity {
        self.meta.out_of_order_points = self.samples.sort_by_time();
        self
    }
}

/// A FIT file is one device's recording: records further than this from its
/// median time are clock glitches.
pub const FIT_CLOCK_GLITCH_MS: i64 = 14 * 24 * 3600 * 1000;
/// A GPX or TCX file may gather tracks from years apart (OpenStreetMap
/// traces do, and other parsers report their whole span); only a time
/// decades away from the rest is a broken clock.
pub const XML_CLOCK_GLITCH_MS: i64 = 10 * 365 * 24 * 3600 * 1000;

/// No GPS watch recorded a run before this (2000-01-01T00:00:00Z): earlier
/// dates are unset clocks (a 1970 epoch, .NET's year 1).
pub const EARLIEST_START_MS: i64 = 946_684_800_000;
const DAY_MS: i64 = 24 * 3600 * 1000;

/// An activity dated before 2000 or after tomorrow (UTC days, `now_ms`
/// being the real clock) is a broken clock: analyzing it would stretch the
/// weekly table and the calendar over centuries.
pub fn check_calendar(start_ms: i64, now_ms: i64) -> Result<(), ParseError> {
    let day_after_tomorrow_ms = (now_ms.div_euclid(DAY_MS) + 2) * DAY_MS;
    let why = if start_ms < EARLIEST_START_MS {
        "before 2000"
    } else if start_ms >= day_after_tomorrow_ms {
        "after tomorrow"
    } else {
        return Ok(());
    };
    let date = chrono::DateTime::from_timestamp_millis(start_ms)
        .map_or_else(|| format!("{start_ms} ms from 1970"), |t| t.format("%Y-%m-%d").to_string());
    Err(ParseError::OffCalendar { date, why })
}

/// Parse one decompressed file into its activities (a multisport FIT file
/// gives one per session; a TCX file one per `<Activity>`), samples in file
/// order.
pub fn parse_bytes(source: &str, bytes: &[u8]) -> Result<Vec<Activity>, ParseError> {
    if bytes.is_empty() {
        return Err(ParseError::Empty);
    }
    let transcoded;
    let bytes = if fit::has_fit_header(bytes) {
        bytes
    } else {
        transcoded = crate::xml::to_utf8(bytes);
        &transcoded[..]
    };
    let format = Format::sniff(bytes).ok_or_else(|| unknown_format(source, bytes))?;
    let mut activities = match format {
        Format::Fit => fit::parse(bytes)?,
        Format::Gpx => vec![gpx::parse(bytes)?],
        Format::Tcx => tcx::parse(bytes)?,
    };
    for activity in &mut activities {
        source.clone_into(&mut activity.meta.source);
        activity.meta.format = Some(format);
        // FIT files were cleaned of glitches before their sessions were split.
        if format != Format::Fit {
            let dropped = activity.samples.drop_clock_glitches(XML_CLOCK_GLITCH_MS);
            if dropped > 0 {
                activity.meta.dropped_points += dropped;
                activity.meta.start_ms = activity.samples.time_range().map_or(0, |(first, _)| first);
            }
        }
    }
    Ok(activities)
}

/// Explain what the bytes look like instead, so the user knows what to do.
fn unknown_format(source: &str, bytes: &[u8]) -> ParseError {
    let hinted = Format::from_extension(source);
    if hinted == Some(Format::Fit) && bytes.len() < 12 {
        return ParseError::Truncated { detail: format!("only {} bytes, shorter than a FIT header", bytes.len()) };
    }
    if hinted == Some(Format::Fit) {
        return ParseError::NotFit;
    }
    let looks_xml = bytes.iter().find(|b| !b.is_ascii_whitespace()).is_some_and(|&b| b == b'<' || b == 0xEF);
    if looks_xml {
        return match crate::xml::root_element(bytes) {
            Some(root) => ParseError::UnknownXml { root },
            None => ParseError::BrokenXml { detail: "no root element could be read".into() },
        };
    }
    ParseError::UnknownFormat
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_latin1_gpx_keeps_its_accents() {
        let gpx = b"<?xml version=\"1.0\" encoding=\"ISO-8859-1\"?><gpx><trk><name>Course \xE0 pied</name><trkseg>\
            <trkpt lat=\"46.5\" lon=\"6.6\"><time>2024-03-01T07:00:00Z</time></trkpt></trkseg></trk></gpx>";
        let a = parse_bytes("run.gpx", gpx).unwrap();
        assert_eq!(a[0].meta.name.as_deref(), Some("Course à pied"));
        assert_eq!(a[0].meta.format, Some(Format::Gpx));
    }

    #[test]
    fn dates_before_2000_or_after_tomorrow_are_off_the_calendar() {
        let now = 1_780_272_000_000; // 2026-06-01T00:00:00Z
        let err = |start: i64| check_calendar(start, now).unwrap_err().to_string();
        assert!(err(0).starts_with("dated 1970-01-01, before 2000:"), "{}", err(0));
        assert!(err(-62_135_596_800_000).starts_with("dated 0001-01-01, before 2000"));
        assert!(err(now + 2 * DAY_MS).starts_with("dated 2026-06-03, after tomorrow"));
        assert!(check_calendar(EARLIEST_START_MS, now).is_ok());
        assert!(check_calendar(now + 2 * DAY_MS - 1, now).is_ok(), "late tomorrow (UTC) is still tomorrow somewhere");
        assert!(err(i64::MIN).contains("before 2000"));
    }

    #[test]
    fn unknown_content_is_explained() {
        assert!(matches!(parse_bytes("a.fit", b"hello"), Err(ParseError::Truncated { .. })));
        assert!(matches!(parse_bytes("a.txt", b"<kml></kml>"), Err(ParseError::UnknownXml { .. })));
        assert!(matches!(parse_bytes("a.bin", b"\x00\x01binary stuff"), Err(ParseError::UnknownFormat)));
    }
}
