//! The columnar activity model every parser fills, and the dispatch from raw
//! bytes to the right parser.
//!
//! Samples are stored as one `Vec` per channel (NaN = not recorded) rather than
//! a `Vec` of structs: later stages scan one channel at a time, the frame stage
//! hands whole columns to polars, and a faster decoder can fill it directly.

pub mod fit;
pub mod fixes;
pub mod gpx;
pub mod sport;
pub mod summary;
pub mod tcx;

pub use crate::discover::Format;
pub use sport::Sport;
pub use summary::Summary;

use crate::error::ParseError;

/// Heart-rate thresholds a watch wrote into its files (user profile, zones).
/// Kept per activity so the metrics stage can prefer them over estimates.
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct WatchThresholds {
    pub max_hr_bpm: Option<f64>,
    pub resting_hr_bpm: Option<f64>,
    pub lthr_bpm: Option<f64>,
}

/// Everything about an activity that is not a per-second sample.
#[derive(Debug, Clone, Default, PartialEq)]
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
    /// one the time-zone stage (`tz`) found; `utc_offset_source` says which.
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
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, PartialOrd, Ord, Hash)]
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
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Activity {
    pub meta: ActivityMeta,
    pub samples: Samples,
}

/// One point as a parser sees it; pushed into [`Samples`] column by column.
#[derive(Debug, Clone, Copy, Default)]
pub struct Point {
    pub time_ms: i64,
    pub lat_deg: Option<f64>,
    pub lon_deg: Option<f64>,
    pub altitude_m: Option<f64>,
    pub distance_m: Option<f64>,
    pub speed_m_s: Option<f64>,
    pub hr_bpm: Option<f64>,
    pub cadence_rpm: Option<f64>,
    pub power_w: Option<f64>,
    pub temperature_c: Option<f64>,
}

/// Per-channel columns, all the same length; NaN marks a missing value.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Samples {
    pub time_ms: Vec<i64>,
    pub lat_deg: Vec<f64>,
    pub lon_deg: Vec<f64>,
    pub altitude_m: Vec<f64>,
    pub distance_m: Vec<f64>,
    pub speed_m_s: Vec<f64>,
    pub hr_bpm: Vec<f64>,
    pub cadence_rpm: Vec<f64>,
    pub power_w: Vec<f64>,
    pub temperature_c: Vec<f64>,
}

/// The sample channels, for coverage reports and duplicate ranking.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Channel {
    Position,
    Altitude,
    Distance,
    Speed,
    HeartRate,
    Cadence,
    Power,
    Temperature,
}

impl Channel {
    pub const ALL: [Channel; 8] = [
        Channel::Position,
        Channel::Altitude,
        Channel::Distance,
        Channel::Speed,
        Channel::HeartRate,
        Channel::Cadence,
        Channel::Power,
        Channel::Temperature,
    ];

    pub fn name(self) -> &'static str {
        match self {
            Channel::Position => "position",
            Channel::Altitude => "altitude",
            Channel::Distance => "distance",
            Channel::Speed => "speed",
            Channel::HeartRate => "heart rate",
            Channel::Cadence => "cadence",
            Channel::Power => "power",
            Channel::Temperature => "temperature",
        }
    }
}

impl Samples {
    pub fn len(&self) -> usize {
        self.time_ms.len()
    }

    pub fn is_empty(&self) -> bool {
        self.time_ms.is_empty()
    }

    pub fn reserve(&mut self, n: usize) {
        self.time_ms.reserve(n);
        for c in self.value_columns_mut() {
            c.reserve(n);
        }
    }

    /// Every column but time, in declaration order (latitude first,
    /// temperature last), for work done on each alike.
    pub fn value_columns_mut(&mut self) -> [&mut Vec<f64>; 9] {
        [
            &mut self.lat_deg,
            &mut self.lon_deg,
            &mut self.altitude_m,
            &mut self.distance_m,
            &mut self.speed_m_s,
            &mut self.hr_bpm,
            &mut self.cadence_rpm,
            &mut self.power_w,
            &mut self.temperature_c,
        ]
    }

    /// The same columns, read-only, in the same order.
    pub fn value_columns(&self) -> [&[f64]; 9] {
        [
            &self.lat_deg,
            &self.lon_deg,
            &self.altitude_m,
            &self.distance_m,
            &self.speed_m_s,
            &self.hr_bpm,
            &self.cadence_rpm,
            &self.power_w,
            &self.temperature_c,
        ]
    }

    /// Sample `i` as a point, missing values as `None`: `push` undone.
    pub fn point(&self, i: usize) -> Point {
        let v = |c: &[f64]| Some(c[i]).filter(|v| !v.is_nan());
        Point {
            time_ms: self.time_ms[i],
            lat_deg: v(&self.lat_deg),
            lon_deg: v(&self.lon_deg),
            altitude_m: v(&self.altitude_m),
            distance_m: v(&self.distance_m),
            speed_m_s: v(&self.speed_m_s),
            hr_bpm: v(&self.hr_bpm),
            cadence_rpm: v(&self.cadence_rpm),
            power_w: v(&self.power_w),
            temperature_c: v(&self.temperature_c),
        }
    }

    /// Drop samples further than `max_ms` from the median time (seen in
    /// real files: records two years ahead in the middle of a run; a fuzzer
    /// finds a century); returns how many.
    pub fn drop_clock_glitches(&mut self, max_ms: i64) -> usize {
        let times = &self.time_ms;
        // Every sample within the distance of every other: none can be far
        // from the median (the usual case, found without sorting).
        if self.time_range().is_none_or(|(lo, hi)| hi.saturating_sub(lo) <= max_ms) {
            return 0;
        }
        let mut sorted = times.clone();
        let mid = sorted.len() / 2;
        let (_, &mut median, _) = sorted.select_nth_unstable(mid);
        let near = |t: i64| t.abs_diff(median) <= max_ms.unsigned_abs();
        let kept = self.filter(|i| near(times[i]));
        let dropped = self.len() - kept.len();
        *self = kept;
        dropped
    }

    /// The earliest and the latest sample time.
    pub fn time_range(&self) -> Option<(i64, i64)> {
        // Four independent lanes: one running min and max through every
        // sample was a chain as long as the run (a few % of parsing a FIT).
        let (mut lo, mut hi) = ([i64::MAX; 4], [i64::MIN; 4]);
        let mut chunks = self.time_ms.chunks_exact(4);
        for c in &mut chunks {
            for k in 0..4 {
                lo[k] = lo[k].min(c[k]);
                hi[k] = hi[k].max(c[k]);
            }
        }
        for &t in chunks.remainder() {
            (lo[0], hi[0]) = (lo[0].min(t), hi[0].max(t));
        }
        let range = (lo.into_iter().min()?, hi.into_iter().max()?);
        (!self.is_empty()).then_some(range)
    }

    /// The samples at the indices `keep` accepts, in order.
    #[must_use]
    pub fn filter(&self, keep: impl Fn(usize) -> bool) -> Samples {
        let idx: Vec<usize> = (0..self.len()).filter(|&i| keep(i)).collect();
        self.select(&idx)
    }

    /// The samples at `idx`, in that order.
    fn select(&self, idx: &[usize]) -> Samples {
        let mut out = Samples { time_ms: idx.iter().map(|&i| self.time_ms[i]).collect(), ..Samples::default() };
        for (to, from) in out.value_columns_mut().into_iter().zip(self.value_columns()) {
            *to = idx.iter().map(|&i| from[i]).collect();
        }
        out
    }

    /// Append a point. Infinite values and positions off the globe (a
    /// latitude of 100 degrees) are stored as missing, whatever the format.
    #[inline]
    pub fn push(&mut self, p: &Point) {
        let v = |x: Option<f64>| x.filter(|x| x.is_finite()).unwrap_or(f64::NAN);
        let on_globe = matches!((p.lat_deg, p.lon_deg), (Some(la), Some(lo)) if la.abs() <= 90.0 && lo.abs() <= 180.0);
        self.time_ms.push(p.time_ms);
        self.lat_deg.push(if on_globe { v(p.lat_deg) } else { f64::NAN });
        self.lon_deg.push(if on_globe { v(p.lon_deg) } else { f64::NAN });
        self.altitude_m.push(v(p.altitude_m));
        self.distance_m.push(v(p.distance_m));
        self.speed_m_s.push(v(p.speed_m_s));
        self.hr_bpm.push(v(p.hr_bpm));
        self.cadence_rpm.push(v(p.cadence_rpm));
        self.power_w.push(v(p.power_w));
        self.temperature_c.push(v(p.temperature_c));
    }

    fn column(&self, channel: Channel) -> &[f64] {
        match channel {
            Channel::Position => &self.lat_deg,
            Channel::Altitude => &self.altitude_m,
            Channel::Distance => &self.distance_m,
            Channel::Speed => &self.speed_m_s,
            Channel::HeartRate => &self.hr_bpm,
            Channel::Cadence => &self.cadence_rpm,
            Channel::Power => &self.power_w,
            Channel::Temperature => &self.temperature_c,
        }
    }

    /// How many samples carry a value on this channel.
    pub fn count(&self, channel: Channel) -> usize {
        self.column(channel).iter().filter(|v| v.is_finite()).count()
    }

    /// Channels with at least one value.
    pub fn channels(&self) -> Vec<Channel> {
        Channel::ALL.into_iter().filter(|&c| self.column(c).iter().any(|v| v.is_finite())).collect()
    }

    /// Sort by time (stable) so files written out of order still make sense;
    /// returns how many samples were out of order.
    pub fn sort_by_time(&mut self) -> usize {
        let out_of_order = self.time_ms.windows(2).filter(|w| w[1] < w[0]).count();
        if out_of_order == 0 {
            return 0;
        }
        let mut order: Vec<usize> = (0..self.len()).collect();
        order.sort_by_key(|&i| self.time_ms[i]);
        *self = self.select(&order);
        out_of_order
    }
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
