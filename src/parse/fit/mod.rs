//! FIT activities. The fast decoder reads the hot messages straight from the
//! bytes; files it declines (rare FIT features, damage) go to the reference
//! decoder, `fitparser`. Both feed one `FitFile`, which splits sessions into
//! activities, turns timer events into pauses, and keeps the UTC offset, the
//! device and the heart-rate thresholds the watch knows.

mod crc;
pub mod fast;
mod file;
pub mod reference;

pub use crate::discover::format::has_fit_header;
use crate::error::ParseError;
use crate::parse::Activity;

/// FIT times below this many seconds since the FIT epoch count from device
/// power-on, not from 1989-12-31 (FIT profile, `date_time` type).
const FIT_RELATIVE_LIMIT_S: i64 = 0x1000_0000;
/// 1989-12-31T00:00:00Z as a Unix time.
const FIT_EPOCH_UNIX_S: i64 = 631_065_600;
const SEMICIRCLE_TO_DEG: f64 = 180.0 / 2_147_483_648.0;

/// Which decoder read a file.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Decoder {
    Fast,
    /// fitparser, because the fast decoder declined the file.
    Reference,
}

/// The record fields runlens reads, decoded and scaled as the FIT profile
/// defines them; `None` where the message has no valid value.
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct Record {
    pub time_ms: Option<i64>,
    pub lat_semicircles: Option<f64>,
    pub lon_semicircles: Option<f64>,
    pub altitude_m: Option<f64>,
    pub enhanced_altitude_m: Option<f64>,
    pub distance_m: Option<f64>,
    pub speed_m_s: Option<f64>,
    pub enhanced_speed_m_s: Option<f64>,
    pub hr_bpm: Option<f64>,
    pub cadence_rpm: Option<f64>,
    pub fractional_cadence_rpm: Option<f64>,
    pub power_w: Option<f64>,
    pub temperature_c: Option<f64>,
}

#[derive(Debug, Clone, Default, PartialEq)]
pub struct Session {
    pub start_ms: Option<i64>,
    pub sport: String,
    pub sub_sport: Option<String>,
    pub elapsed_s: Option<f64>,
    pub timer_s: Option<f64>,
    pub distance_m: Option<f64>,
    pub ascent_m: Option<f64>,
}

/// The events that matter: the timer starting and stopping, and the
/// recovery heart rate some watches write after the athlete stops.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Event {
    TimerStart,
    TimerStop,
    /// `event` 21 (`recovery_hr`): its `data` field, as written (bpm).
    RecoveryHr {
        bpm: u32,
    },
    Other,
}

/// `event` 21 of the FIT profile.
const RECOVERY_HR_EVENT: i64 = 21;

pub fn parse(bytes: &[u8]) -> Result<Vec<Activity>, ParseError> {
    parse_with(bytes).map(|(activities, _)| activities)
}

/// Parse, and say which decoder did it. A damaged file is salvaged: what
/// still decodes is kept, and each activity says what was wrong in
/// `meta.integrity`.
pub fn parse_with(bytes: &[u8]) -> Result<(Vec<Activity>, Decoder), ParseError> {
    if !has_fit_header(bytes) {
        return Err(ParseError::NotFit);
    }
    let complete = check_length(bytes);
    if complete.is_ok() {
        match fast::decode(bytes) {
            Ok(file) => return Ok((file.into_activities()?, Decoder::Fast)),
            Err(fast::Declined::Unsupported(_)) => return reference_or_unverified(bytes),
            Err(fast::Declined::Damaged) => {}
        }
    }
    // Damaged: fitparser may still accept what the fast decoder refused.
    let damage = match complete.and_then(|()| reference::decode(bytes, false)) {
        Ok(file) => return Ok((file.into_activities()?, Decoder::Reference)),
        Err(e) => e,
    };
    salvage(bytes, damage).map(|activities| (activities, Decoder::Fast))
}

/// A file with a FIT feature the fast decoder lacks: fitparser reads it, and
/// reads past a bad checksum when that is all that is wrong.
fn reference_or_unverified(bytes: &[u8]) -> Result<(Vec<Activity>, Decoder), ParseError> {
    match reference::decode(bytes, false) {
        Ok(file) => Ok((file.into_activities()?, Decoder::Reference)),
        Err(ParseError::BadChecksum) => {
            let mut activities = reference::decode(bytes, true)?.into_activities()?;
            let note = unverified_note(activities.iter().map(|a| a.samples.len()).sum());
            mark(&mut activities, &note);
            Ok((activities, Decoder::Reference))
        }
        Err(e) => Err(e),
    }
}

/// Keep what a damaged file still holds, or fail with what is wrong with it.
fn salvage(bytes: &[u8], damage: ParseError) -> Result<Vec<Activity>, ParseError> {
    let s = fast::salvage(bytes);
    let kept = s.file.records();
    let note = match (&damage, s.stopped_at) {
        (ParseError::Truncated { detail }, _) => {
            format!("partial: {detail} (was the download complete?); kept the {kept} records before the cut")
        }
        (_, Some(at)) => format!("partial: damaged at byte {at} of {}; kept the {kept} records before it", bytes.len()),
        (_, None) if s.bad_checksum => unverified_note(kept),
        // Nothing the salvage pass could name: trust the reference's verdict.
        (_, None) => return Err(damage),
    };
    match s.file.into_activities() {
        Ok(mut activities) if kept > 0 => {
            mark(&mut activities, &note);
            Ok(activities)
        }
        _ => Err(damage),
    }
}

fn unverified_note(records: usize) -> String {
    format!(
        "unverified: the FIT checksum does not match, but the data decodes; kept {records} records with values in range"
    )
}

fn mark(activities: &mut [Activity], note: &str) {
    for a in activities {
        a.meta.integrity = Some(note.to_owned());
    }
}

/// Parse with fitparser only, no salvage: the oracle for tests and benchmarks.
pub fn parse_reference(bytes: &[u8]) -> Result<Vec<Activity>, ParseError> {
    if !has_fit_header(bytes) {
        return Err(ParseError::NotFit);
    }
    check_length(bytes)?;
    reference::decode(bytes, false)?.into_activities()
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
