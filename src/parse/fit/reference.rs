//! The reference FIT decoder: the `fitparser` crate, field by name. It reads
//! everything the profile defines, so it is the oracle the fast decoder is
//! tested against and the fallback for files the fast decoder declines.

use std::cell::Cell;
use std::collections::HashSet;
use std::panic::{self, AssertUnwindSafe};
use std::sync::Once;

use chrono::{DateTime, Local, NaiveDate, TimeZone};
use fitparser::de::DecodeOption;
use fitparser::profile::MesgNum;
use fitparser::{ErrorKind, FitDataRecord, Value};

use super::file::FitFile;
use super::{Event, FIT_EPOCH_UNIX_S, Record, Session};
use crate::error::ParseError;

/// Decode `bytes` with fitparser into a `FitFile`, optionally reading past
/// bad checksums (then records with implausible values are dropped).
pub fn decode(bytes: &[u8], skip_crc: bool) -> Result<FitFile, ParseError> {
    let records = decode_contained(bytes, skip_crc)?;
    let mut file = FitFile::with_capacity(records.len());
    if skip_crc {
        file.check_ranges();
    }
    for record in &records {
        absorb(&mut file, record);
    }
    Ok(file)
}

thread_local! {
    static DECODING: Cell<bool> = const { Cell::new(false) };
}

/// fitparser can panic on damaged input; a panic must cost one file, not the
/// batch, and must not spray a backtrace over the user's terminal. The hook
/// stays quiet only while this thread is inside the decoder.
fn decode_contained(bytes: &[u8], skip_crc: bool) -> Result<Vec<FitDataRecord>, ParseError> {
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
    let options: HashSet<DecodeOption> = if skip_crc {
        [DecodeOption::SkipHeaderCrcValidation, DecodeOption::SkipDataCrcValidation].into()
    } else {
        HashSet::new()
    };
    let result = panic::catch_unwind(AssertUnwindSafe(|| fitparser::de::from_bytes_with_options(bytes, &options)));
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

fn absorb(file: &mut FitFile, record: &FitDataRecord) {
    let f = Fields(record);
    match record.kind() {
        MesgNum::FileId => file.file_id(f.text("type"), || {
            let maker = f.text("manufacturer");
            let product = f.text("garmin_product").or_else(|| f.text("product_name")).or_else(|| f.text("product"));
            match (maker, product) {
                (Some(m), Some(p)) => Some(format!("{m} {p}")),
                (m, p) => m.or(p),
            }
        }),
        MesgNum::Record => file.record(&Record {
            time_ms: f.time_ms("timestamp"),
            lat_semicircles: f.num("position_lat"),
            lon_semicircles: f.num("position_long"),
            altitude_m: f.num("altitude"),
            enhanced_altitude_m: f.num("enhanced_altitude"),
            distance_m: f.num("distance"),
            speed_m_s: f.num("speed"),
            enhanced_speed_m_s: f.num("enhanced_speed"),
            hr_bpm: f.num("heart_rate"),
            cadence_rpm: f.num("cadence"),
            fractional_cadence_rpm: f.num("fractional_cadence"),
            power_w: f.num("power"),
            temperature_c: f.num("temperature"),
        }),
        MesgNum::Session => file.session(Session {
            start_ms: f.time_ms("start_time"),
            sport: f.text("sport").unwrap_or_default(),
            sub_sport: f.text("sub_sport"),
            elapsed_s: f.num("total_elapsed_time"),
            timer_s: f.num("total_timer_time"),
            distance_m: f.num("total_distance"),
            ascent_m: f.num("total_ascent"),
        }),
        MesgNum::Event => {
            let event = match (f.text("event").as_deref(), f.text("event_type").as_deref()) {
                (Some("timer"), Some("start")) => Event::TimerStart,
                (Some("timer"), Some("stop" | "stop_all" | "stop_disable" | "stop_disable_all")) => Event::TimerStop,
                (Some("recovery_hr"), _) => recovery_hr(f.num("data")),
                _ => Event::Other,
            };
            file.event(event, f.time_ms("timestamp"));
        }
        MesgNum::Lap => file.lap(f.time_ms("start_time").or_else(|| f.time_ms("timestamp"))),
        MesgNum::Activity => {
            if let (Some(Value::Timestamp(utc)), Some(Value::Timestamp(local))) =
                (f.get("timestamp"), f.get("local_timestamp"))
                && let Some(local_s) = raw_local_seconds(local)
            {
                file.activity(local_s - (utc.timestamp() - FIT_EPOCH_UNIX_S));
            }
        }
        MesgNum::Sport => file.sport(f.text("sport").unwrap_or_default(), f.text("sub_sport"), f.text("name")),
        MesgNum::ZonesTarget => file.zones_target(f.num("max_heart_rate"), f.num("threshold_heart_rate")),
        MesgNum::UserProfile => file.user_profile(f.num("resting_heart_rate"), f.num("default_max_heart_rate")),
        _ => {}
    }
}

/// A recovery-HR event's `data`, when it holds a whole number.
#[allow(clippy::cast_possible_truncation, clippy::cast_sign_loss)] // checked: a whole number within u32
fn recovery_hr(data: Option<f64>) -> Event {
    match data {
        Some(v) if v.fract() == 0.0 && (0.0..=f64::from(u32::MAX)).contains(&v) => Event::RecoveryHr { bpm: v as u32 },
        _ => Event::Other,
    }
}

/// The raw seconds of a FIT `local_date_time` (the watch's wall clock since
/// the FIT epoch). fitparser makes an instant of them by reading the epoch
/// as a wall clock in the machine's time zone, at that zone's 1989 offset,
/// and adding the seconds. Reading the result as a wall clock again
/// (`naive_local`) would use the offset at the activity's instant instead,
/// off by the machine's daylight saving time; undoing exactly what fitparser
/// did gives the file's value whatever `TZ` is.
fn raw_local_seconds(local: &DateTime<Local>) -> Option<i64> {
    let epoch = NaiveDate::from_ymd_opt(1989, 12, 31)?.and_hms_opt(0, 0, 0)?;
    let epoch_as_fitparser_reads_it = Local.from_local_datetime(&epoch).single()?;
    Some(local.timestamp() - epoch_as_fitparser_reads_it.timestamp())
}

/// Field lookup by name on one decoded message.
struct Fields<'a>(&'a FitDataRecord);

impl Fields<'_> {
    /// The field called `name`. fitparser lists a record's fields in hash
    /// order, and a record can hold two of one name: this watch's
    /// `enhanced_altitude` both as recorded and as an array expanded from
    /// its `altitude`. The choice must not follow hash order: the highest
    /// field number wins, then a single value over an array.
    fn get(&self, name: &str) -> Option<&Value> {
        self.0
            .fields()
            .iter()
            .filter(|f| f.name() == name)
            .max_by_key(|f| (f.number(), !matches!(f.value(), Value::Array(_))))
            .map(fitparser::FitDataField::value)
    }

    /// The number called `name`: among fields of that name, those with a
    /// number, the highest field number then the highest value, so the
    /// same one whatever order fitparser listed them in.
    fn num(&self, name: &str) -> Option<f64> {
        self.0
            .fields()
            .iter()
            .filter(|f| f.name() == name)
            .filter_map(|f| Some((f.number(), number(f.value())?)))
            .max_by(|a, b| a.0.cmp(&b.0).then(a.1.total_cmp(&b.1)))
            .map(|(_, v)| v)
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
