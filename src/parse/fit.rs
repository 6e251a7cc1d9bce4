//! FIT activities through the `fitparser` crate: records, sessions (one
//! activity each, so a triathlon's run leg is a run), timer events (pauses),
//! the activity message (UTC offset), file ids (only activity files are
//! activities) and the HR thresholds the watch knows.

use std::cell::Cell;
use std::panic::{self, AssertUnwindSafe};
use std::sync::Once;

use fitparser::profile::MesgNum;
use fitparser::{ErrorKind, FitDataRecord, Value};

use super::{Activity, ActivityMeta, Point, Sport, WatchThresholds};
use crate::error::ParseError;

/// FIT times below this many seconds since the FIT epoch count from device
/// power-on, not from 1989-12-31 (FIT profile, `date_time` type).
const FIT_RELATIVE_LIMIT_S: i64 = 0x1000_0000;
/// 1989-12-31T00:00:00Z as a Unix time.
const FIT_EPOCH_UNIX_S: i64 = 631_065_600;
const SEMICIRCLE_TO_DEG: f64 = 180.0 / 2_147_483_648.0;
/// Records further than this from the file's median record time are clock
/// glitches (seen in real files: a run of records two years ahead in the
/// middle of a run). Sessions' own times cannot decide it: summary-first
/// files write them early and some understate the span.
const GLITCH_DISTANCE_MS: i64 = 14 * 24 * 3600 * 1000;

/// True when the bytes start with a FIT file header.
pub fn has_fit_header(bytes: &[u8]) -> bool {
    bytes.len() >= 12 && matches!(bytes[0], 12 | 14) && &bytes[8..12] == b".FIT"
}

pub fn parse(bytes: &[u8]) -> Result<Vec<Activity>, ParseError> {
    if !has_fit_header(bytes) {
        return Err(ParseError::NotFit);
    }
    check_length(bytes)?;
    let records = decode(bytes)?;
    let mut file = FitFile::default();
    for record in &records {
        file.absorb(record);
    }
    file.into_activities()
}

/// A header states the data size: say so plainly when the file is shorter.
fn check_length(bytes: &[u8]) -> Result<(), ParseError> {
    let header_len = usize::from(bytes[0]);
    let data_len = u32::from_le_bytes([bytes[4], bytes[5], bytes[6], bytes[7]]) as usize;
    let expected = header_len + data_len + 2;
    if bytes.len() < expected {
        return Err(ParseError::Truncated { detail: format!("it ends after {} of {} bytes", bytes.len(), expected) });
    }
    Ok(())
}

thread_local! {
    static DECODING: Cell<bool> = const { Cell::new(false) };
}

/// fitparser can panic on damaged input; a panic must cost one file, not the
/// batch, and must not spray a backtrace over the user's terminal. The hook
/// stays quiet only while this thread is inside the decoder.
fn decode(bytes: &[u8]) -> Result<Vec<FitDataRecord>, ParseError> {
    static QUIET_HOOK: Once = Once::new();
    QUIET_HOOK.call_once(|| {
        let default_hook = panic::take_hook();
        panic::set_hook(Box::new(move |info| {
            if !DECODING.with(Cell::get) {
                default_hook(info);
            }
        }));
    });
    DECODING.with(|d| d.set(true));
    let result = panic::catch_unwind(AssertUnwindSafe(|| fitparser::from_bytes(bytes)));
    DECODING.with(|d| d.set(false));
    match result {
        Ok(Ok(records)) => Ok(records),
        Ok(Err(err)) => Err(describe(&err)),
        Err(payload) => Err(ParseError::DecoderPanic {
            detail: payload
                .downcast_ref::<&str>()
                .map(ToString::to_string)
                .or_else(|| payload.downcast_ref::<String>().cloned())
                .unwrap_or_else(|| "unknown panic".into()),
        }),
    }
}

fn describe(err: &ErrorKind) -> ParseError {
    match err {
        ErrorKind::InvalidCrc(..) => ParseError::BadChecksum,
        ErrorKind::UnexpectedEof(_) => ParseError::Truncated { detail: "a message is cut off at the end".into() },
        ErrorKind::ParseError(position, _) => ParseError::Fit {
            detail: format!("the data is damaged at byte {position} (not a valid FIT message there)"),
        },
        ErrorKind::MissingDefinitionMessage(local, position) => ParseError::Fit {
            detail: format!(
                "the data is damaged at byte {position}: it uses message type {local}, which was never defined"
            ),
        },
        other => ParseError::Fit { detail: other.to_string() },
    }
}

#[derive(Debug, Default)]
struct Session {
    start_ms: Option<i64>,
    sport: String,
    sub_sport: Option<String>,
    elapsed_s: Option<f64>,
    timer_s: Option<f64>,
    distance_m: Option<f64>,
    ascent_m: Option<f64>,
}

/// Everything gathered from one FIT file (chained files included) before it
/// is split into activities.
#[derive(Debug, Default)]
struct FitFile {
    file_types: Vec<String>,
    points: Vec<Point>,
    relative_points: usize,
    untimed_points: usize,
    glitched_points: usize,
    sessions: Vec<Session>,
    /// Lap start times, to count each session's laps.
    lap_starts: Vec<i64>,
    pauses: Vec<(i64, i64)>,
    pause_started: Option<i64>,
    utc_offset_s: Option<i32>,
    device: Option<String>,
    thresholds: WatchThresholds,
    sport_message: Option<(String, Option<String>, Option<String>)>,
}

impl FitFile {
    fn absorb(&mut self, record: &FitDataRecord) {
        let fields = Fields(record);
        match record.kind() {
            MesgNum::FileId => self.file_id(&fields),
            MesgNum::Record => self.record(&fields),
            MesgNum::Session => self.sessions.push(Session {
                start_ms: fields.time_ms("start_time"),
                sport: fields.text("sport").unwrap_or_default(),
                sub_sport: fields.text("sub_sport"),
                elapsed_s: fields.num("total_elapsed_time"),
                timer_s: fields.num("total_timer_time"),
                distance_m: fields.num("total_distance"),
                ascent_m: fields.num("total_ascent"),
            }),
            MesgNum::Event => self.event(&fields),
            MesgNum::Lap => {
                if let Some(t) = fields.time_ms("start_time").or_else(|| fields.time_ms("timestamp")) {
                    self.lap_starts.push(t);
                }
            }
            MesgNum::Activity => self.activity(&fields),
            MesgNum::Sport => {
                self.sport_message =
                    Some((fields.text("sport").unwrap_or_default(), fields.text("sub_sport"), fields.text("name")));
            }
            MesgNum::ZonesTarget => {
                let t = &mut self.thresholds;
                t.max_hr_bpm = fields.positive("max_heart_rate").or(t.max_hr_bpm);
                t.lthr_bpm = fields.positive("threshold_heart_rate").or(t.lthr_bpm);
            }
            MesgNum::UserProfile => {
                let t = &mut self.thresholds;
                t.resting_hr_bpm = fields.positive("resting_heart_rate").or(t.resting_hr_bpm);
                t.max_hr_bpm = t.max_hr_bpm.or(fields.positive("default_max_heart_rate"));
            }
            _ => {}
        }
    }

    fn file_id(&mut self, f: &Fields<'_>) {
        if let Some(kind) = f.text("type") {
            self.file_types.push(kind);
        }
        if self.device.is_none() {
            let maker = f.text("manufacturer");
            let product = f.text("garmin_product").or_else(|| f.text("product_name")).or_else(|| f.text("product"));
            self.device = match (maker, product) {
                (Some(m), Some(p)) => Some(format!("{m} {p}")),
                (m, p) => m.or(p),
            };
        }
    }

    fn record(&mut self, f: &Fields<'_>) {
        let Some(time_ms) = f.time_ms("timestamp") else {
            self.untimed_points += 1;
            return;
        };
        if time_ms < (FIT_EPOCH_UNIX_S + FIT_RELATIVE_LIMIT_S) * 1000 {
            self.relative_points += 1;
            return;
        }
        let (lat, lon) = (f.num("position_lat"), f.num("position_long"));
        let position = lat.zip(lon).map(|(la, lo)| (la * SEMICIRCLE_TO_DEG, lo * SEMICIRCLE_TO_DEG));
        let cadence = f.num("cadence").map(|c| c + f.num("fractional_cadence").unwrap_or(0.0));
        self.points.push(Point {
            time_ms,
            lat_deg: position.map(|p| p.0),
            lon_deg: position.map(|p| p.1),
            altitude_m: f.num("enhanced_altitude").or_else(|| f.num("altitude")),
            distance_m: f.num("distance"),
            speed_m_s: f.num("enhanced_speed").or_else(|| f.num("speed")),
            // 0 bpm (a dropout) stays in: cleaning counts it as an artifact.
            hr_bpm: f.num("heart_rate"),
            cadence_rpm: cadence,
            power_w: f.num("power"),
            temperature_c: f.num("temperature"),
        });
    }

    /// Timer stop..start pairs become pauses.
    fn event(&mut self, f: &Fields<'_>) {
        if f.text("event").as_deref() != Some("timer") {
            return;
        }
        let (Some(kind), Some(t)) = (f.text("event_type"), f.time_ms("timestamp")) else {
            return;
        };
        match kind.as_str() {
            "stop" | "stop_all" | "stop_disable" | "stop_disable_all" => {
                self.pause_started.get_or_insert(t);
            }
            "start" => {
                if let Some(from) = self.pause_started.take() {
                    self.pauses.push((from, t));
                }
            }
            _ => {}
        }
    }

    /// `local_timestamp` is the watch's wall clock; fitparser decodes it in the
    /// machine's time zone, so its naive local reading is the wall clock.
    fn activity(&mut self, f: &Fields<'_>) {
        let (Some(Value::Timestamp(utc)), Some(Value::Timestamp(local))) =
            (f.get("timestamp"), f.get("local_timestamp"))
        else {
            return;
        };
        let offset_s = (local.naive_local() - utc.naive_utc()).num_seconds();
        // Real offsets are whole quarter hours within +-14 h; the two stamps
        // may be written a second apart, so round to the quarter hour.
        if offset_s.abs() <= 14 * 3600 {
            let quarter_hours = (offset_s + offset_s.signum() * 450) / 900;
            self.utc_offset_s = i32::try_from(quarter_hours * 900).ok();
        }
    }

    fn into_activities(mut self) -> Result<Vec<Activity>, ParseError> {
        if !self.file_types.is_empty() && !self.file_types.iter().any(|t| t == "activity") {
            return Err(ParseError::NotAnActivity { kind: self.file_types.swap_remove(0) });
        }
        if self.points.is_empty() {
            return Err(if self.relative_points > 0 {
                ParseError::RelativeTimestamps
            } else {
                ParseError::NoPoints { what: "this FIT file" }
            });
        }
        self.sessions.sort_by_key(|s| s.start_ms);
        let groups = self.split_points_by_session();
        if groups.iter().all(Vec::is_empty) {
            return Err(ParseError::NoPoints { what: "this FIT file" });
        }
        let dropped = self.relative_points + self.untimed_points + self.glitched_points;
        let mut activities = Vec::new();
        for (i, points) in groups.into_iter().enumerate() {
            if points.is_empty() {
                continue;
            }
            let session = self.sessions.get(i);
            let mut activity = Activity { meta: self.meta_for(session, &points), ..Activity::default() };
            for p in &points {
                activity.samples.push(p);
            }
            if activities.is_empty() {
                activity.meta.dropped_points = dropped;
            }
            activities.push(activity);
        }
        Ok(activities)
    }

    /// One group of points per session: each point goes to the last session
    /// that started at or before it (earlier points to the first session).
    fn split_points_by_session(&mut self) -> Vec<Vec<Point>> {
        self.drop_clock_glitches();
        let starts: Vec<i64> = self.sessions.iter().map(|s| s.start_ms.unwrap_or(i64::MIN)).collect();
        let mut groups: Vec<Vec<Point>> = vec![Vec::new(); starts.len().max(1)];
        for p in self.points.drain(..) {
            let i = starts.partition_point(|&s| s <= p.time_ms).saturating_sub(1);
            groups[i].push(p);
        }
        groups
    }

    fn drop_clock_glitches(&mut self) {
        if self.points.is_empty() {
            return;
        }
        let mut times: Vec<i64> = self.points.iter().map(|p| p.time_ms).collect();
        let mid = times.len() / 2;
        let (_, &mut median, _) = times.select_nth_unstable(mid);
        let before = self.points.len();
        self.points.retain(|p| (p.time_ms - median).abs() <= GLITCH_DISTANCE_MS);
        self.glitched_points += before - self.points.len();
    }

    fn meta_for(&self, session: Option<&Session>, points: &[Point]) -> ActivityMeta {
        let first_ms = points.iter().map(|p| p.time_ms).min().unwrap_or_default();
        let last_ms = points.iter().map(|p| p.time_ms).max().unwrap_or_default();
        let (sport, sub_sport, name) = match (session, &self.sport_message) {
            (Some(s), _) if !s.sport.is_empty() => (s.sport.clone(), s.sub_sport.clone(), None),
            (_, Some((sport, sub, name))) => (sport.clone(), sub.clone(), name.clone()),
            _ => (String::new(), None, None),
        };
        let start_ms = session.and_then(|s| s.start_ms).filter(|&s| s <= last_ms).unwrap_or(first_ms);
        ActivityMeta {
            sport: Sport::normalize(&sport, sub_sport.as_deref()),
            sport_raw: match &sub_sport {
                Some(sub) if sub != "generic" => format!("{sport}/{sub}"),
                _ => sport,
            },
            start_ms,
            utc_offset_s: self.utc_offset_s,
            elapsed_s: session.and_then(|s| s.elapsed_s),
            timer_s: session.and_then(|s| s.timer_s),
            total_distance_m: session.and_then(|s| s.distance_m),
            total_ascent_m: session.and_then(|s| s.ascent_m),
            device: self.device.clone(),
            name,
            pauses: self.pauses.iter().copied().filter(|&(a, _)| a >= first_ms && a <= last_ms).collect(),
            laps: self.lap_starts.iter().filter(|&&t| t >= start_ms && t <= last_ms).count(),
            thresholds: self.thresholds,
            ..ActivityMeta::default()
        }
    }
}

/// Field lookup by name on one decoded message.
struct Fields<'a>(&'a FitDataRecord);

impl Fields<'_> {
    fn get(&self, name: &str) -> Option<&Value> {
        self.0.fields().iter().find(|f| f.name() == name).map(fitparser::FitDataField::value)
    }

    fn num(&self, name: &str) -> Option<f64> {
        number(self.get(name)?)
    }

    fn positive(&self, name: &str) -> Option<f64> {
        self.num(name).filter(|v| *v > 0.0)
    }

    fn text(&self, name: &str) -> Option<String> {
        match self.get(name)? {
            Value::String(s) => Some(s.clone()),
            Value::Invalid | Value::Array(_) => None,
            other => Some(other.to_string()),
        }
    }

    fn time_ms(&self, name: &str) -> Option<i64> {
        match self.get(name)? {
            Value::Timestamp(t) => Some(t.timestamp_millis()),
            _ => None,
        }
    }
}

fn number(value: &Value) -> Option<f64> {
    let v = match *value {
        Value::Byte(v) | Value::Enum(v) | Value::UInt8(v) | Value::UInt8z(v) => f64::from(v),
        Value::SInt8(v) => f64::from(v),
        Value::SInt16(v) => f64::from(v),
        Value::UInt16(v) | Value::UInt16z(v) => f64::from(v),
        Value::SInt32(v) => f64::from(v),
        Value::UInt32(v) | Value::UInt32z(v) => f64::from(v),
        Value::SInt64(v) => v as f64,
        Value::UInt64(v) | Value::UInt64z(v) => v as f64,
        Value::Float32(v) => f64::from(v),
        Value::Float64(v) => v,
        _ => return None,
    };
    v.is_finite().then_some(v)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn short_or_headerless_bytes_are_refused_not_indexed() {
        assert!(matches!(parse(b""), Err(ParseError::NotFit)));
        assert!(matches!(parse(b"\x0e\x10"), Err(ParseError::NotFit)));
        let mut header = vec![14, 0x20, 0, 0, 100, 0, 0, 0];
        header.extend_from_slice(b".FIT\0\0");
        assert!(matches!(parse(&header), Err(ParseError::Truncated { .. })));
    }
}
