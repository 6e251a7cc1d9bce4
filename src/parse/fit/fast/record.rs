//! Record messages, nearly all of a FIT file, decoded a column at a time:
//! the message walk only notes where each record's body starts and its time;
//! then, for each run of records sharing a definition, every field is read
//! for all of them in one loop specialized to its type and byte order, into
//! its sample column (raw integers where the profile scales a field), and
//! the scaled columns are divided in one pass at the end. Per record and
//! field, a loop that dispatched on the field's type and divided in place
//! was most of the decoding time. Values come out bit for bit as
//! fitparser's `raw / scale - offset`.

use super::super::file::{DecodedRecords, plausible};
use super::super::{FIT_RELATIVE_LIMIT_S, SEMICIRCLE_TO_DEG};
use super::definition::{Definition, Field};
use super::message::{Raw, to_unix_ms, value};
use crate::parse::Samples;

/// Column slots of the record fields read, in `RECORD_FIELDS` order.
const LAT: usize = 0;
const LON: usize = 1;
const ALTITUDE: usize = 2;
const ENHANCED_ALTITUDE: usize = 3;
const DISTANCE: usize = 4;
const SPEED: usize = 5;
const ENHANCED_SPEED: usize = 6;
const HR: usize = 7;
const CADENCE: usize = 8;
const FRACTIONAL_CADENCE: usize = 9;
const POWER: usize = 10;
const TEMPERATURE: usize = 11;
const SLOTS: usize = 12;

/// The record fields read, by slot: number, scale, offset (FIT profile).
const RECORD_FIELDS: [(u8, f64, f64); SLOTS] = [
    (0, 1.0, 0.0),     // position_lat, semicircles
    (1, 1.0, 0.0),     // position_long
    (2, 5.0, 500.0),   // altitude, m
    (78, 5.0, 500.0),  // enhanced_altitude
    (5, 100.0, 0.0),   // distance, m
    (6, 1000.0, 0.0),  // speed, m/s
    (73, 1000.0, 0.0), // enhanced_speed
    (3, 1.0, 0.0),     // heart_rate, bpm
    (4, 1.0, 0.0),     // cadence, rpm
    (53, 128.0, 0.0),  // fractional_cadence
    (7, 1.0, 0.0),     // power, W
    (13, 1.0, 0.0),    // temperature, C
];

/// The slot of a record field number, if runlens reads it.
pub(super) fn slot(field: u8) -> Option<usize> {
    RECORD_FIELDS.iter().position(|&(num, ..)| num == field)
}

/// How to read one record field: where it is, its base type, its slot.
#[derive(Debug, Clone, Copy)]
pub(super) struct Op {
    offset: usize,
    base: u8,
    slot: usize,
}

impl Op {
    pub fn new(f: Field) -> Option<Op> {
        Some(Op { offset: usize::from(f.offset), base: f.base, slot: slot(f.num)? })
    }
}

/// Order a definition's record plan for column-wise decoding: by slot, so a
/// plain field is written before its enhanced twin overrides it and cadence
/// before its fraction is added; a field listed twice reads the later one,
/// as fitparser's map keeps.
pub(super) fn order_plan(plan: &mut Vec<Op>) {
    plan.reverse();
    plan.sort_by_key(|op| op.slot);
    plan.dedup_by_key(|op| op.slot);
}

/// Records decoded so far: columns in raw units until `finish`.
#[derive(Debug, Default)]
pub(super) struct RawRecords {
    samples: Samples,
    /// Records waiting to be decoded, all of local message type
    /// `pending_local`: where their bodies start in the file's bytes.
    starts: Vec<usize>,
    pending_local: Option<usize>,
    scratch: Vec<f64>,
    /// Records without a timestamp, and with one counted from power-on.
    untimed: usize,
    relative: usize,
}

impl RawRecords {
    /// Room for `records` times; the value columns are sized exactly when
    /// the first records are decoded (reserving them by guess meant copying
    /// every column when the guess fell short).
    pub fn with_capacity(records: usize) -> RawRecords {
        let mut samples = Samples::default();
        samples.time_ms.reserve(records);
        RawRecords { samples, starts: Vec::with_capacity(records), ..RawRecords::default() }
    }

    /// The local message type whose records wait to be decoded.
    pub fn pending_local(&self) -> Option<usize> {
        self.pending_local
    }

    /// Note a record of local type `local` whose body starts at `start`;
    /// the caller decodes the pending ones first if their type differs.
    #[inline]
    pub fn queue(&mut self, local: usize, start: usize, time_s: Option<i64>) {
        debug_assert!(self.pending_local.is_none_or(|l| l == local));
        let Some(time_s) = time_s else {
            self.untimed += 1;
            return;
        };
        if time_s < FIT_RELATIVE_LIMIT_S {
            self.relative += 1;
            return;
        }
        self.pending_local = Some(local);
        self.samples.time_ms.push(to_unix_ms(time_s));
        self.starts.push(start);
    }

    /// Decode the pending records, whose definition is `def` and whose
    /// bodies are in `data`, a column at a time.
    pub fn decode_pending(&mut self, data: &[u8], def: &Definition) {
        self.pending_local = None;
        let n = self.starts.len();
        let s = &mut self.samples;
        let from = s.lat_deg.len();
        for column in s.value_columns_mut() {
            column.resize(from + n, f64::NAN);
        }
        for op in &def.record_plan {
            let column = &mut s.value_columns_mut()[column_of(op.slot)][from..];
            match op.slot {
                ENHANCED_ALTITUDE | ENHANCED_SPEED | FRACTIONAL_CADENCE => {
                    self.scratch.clear();
                    self.scratch.resize(n, f64::NAN);
                    fill(&mut self.scratch, data, &self.starts, *op, def.big_endian);
                    for (c, &v) in column.iter_mut().zip(&self.scratch) {
                        // Enhanced and plain share a scale, so preferring the
                        // enhanced value before scaling is preferring it after.
                        if !v.is_nan() {
                            *c = if op.slot == FRACTIONAL_CADENCE { *c + scale(v, op.slot) } else { v };
                        }
                    }
                }
                _ => fill(column, data, &self.starts, *op, def.big_endian),
            }
        }
        self.starts.clear();
    }

    /// Scale the raw columns and turn semicircles into degrees, as the
    /// reference path does value by value; when salvaging, drop records with
    /// values no sensor gives. Positions off the globe (only possible for
    /// latitude) are then missing, as `Samples::push` stores them.
    pub fn finish(mut self, check_ranges: bool) -> DecodedRecords {
        let s = &mut self.samples;
        // The decoder decodes every queued record before finishing; should
        // one slip through, drop its time rather than misalign the columns.
        debug_assert!(self.starts.is_empty(), "records queued but not decoded");
        s.time_ms.truncate(s.lat_deg.len());
        for (lat, lon) in s.lat_deg.iter_mut().zip(&mut s.lon_deg) {
            (*lat, *lon) = (*lat * SEMICIRCLE_TO_DEG, *lon * SEMICIRCLE_TO_DEG);
        }
        for (column, slot) in [(&mut s.altitude_m, ALTITUDE), (&mut s.distance_m, DISTANCE), (&mut s.speed_m_s, SPEED)]
        {
            for v in column.iter_mut() {
                *v = scale(*v, slot);
            }
        }
        let mut implausible = 0;
        if check_ranges {
            let kept = s.filter(|i| plausible(&s.point(i)));
            implausible = s.len() - kept.len();
            *s = kept;
        }
        for (lat, lon) in s.lat_deg.iter_mut().zip(&mut s.lon_deg) {
            if !(lat.abs() <= 90.0 && lon.abs() <= 180.0) {
                (*lat, *lon) = (f64::NAN, f64::NAN);
            }
        }
        DecodedRecords { samples: self.samples, untimed: self.untimed, relative: self.relative, implausible }
    }
}

/// Which of `Samples::value_columns_mut` a slot is read into.
const fn column_of(slot: usize) -> usize {
    match slot {
        LAT => 0,
        LON => 1,
        ALTITUDE | ENHANCED_ALTITUDE => 2,
        DISTANCE => 3,
        SPEED | ENHANCED_SPEED => 4,
        HR => 5,
        CADENCE | FRACTIONAL_CADENCE => 6,
        POWER => 7,
        TEMPERATURE => 8,
        _ => unreachable!(),
    }
}

/// Read field `op` of every record starting at `starts` into `out` (NaN
/// where invalid), in a loop specialized to the field's base type and byte
/// order. Base types no record field has (strings) leave `out` missing.
fn fill(out: &mut [f64], data: &[u8], starts: &[usize], op: Op, big_endian: bool) {
    macro_rules! typed {
        ($($base:literal => $size:literal),*) => {
            match (op.base, big_endian) {
                $(
                    ($base, false) => fill_as::<$base, $size, false>(out, data, starts, op.offset),
                    ($base, true) => fill_as::<$base, $size, true>(out, data, starts, op.offset),
                )*
                _ => {}
            }
        };
    }
    typed!(0x00 => 1, 0x01 => 1, 0x02 => 1, 0x0A => 1, 0x0D => 1, 0x83 => 2, 0x84 => 2, 0x8B => 2,
           0x85 => 4, 0x86 => 4, 0x8C => 4, 0x8E => 8, 0x8F => 8, 0x90 => 8);
}

fn fill_as<const BASE: u8, const SIZE: u8, const BIG: bool>(
    out: &mut [f64],
    data: &[u8],
    starts: &[usize],
    offset: usize,
) {
    for (v, &start) in out.iter_mut().zip(starts) {
        *v = value(data, start + offset, SIZE, BASE, BIG).map_or(f64::NAN, Raw::as_f64);
    }
}

/// `raw / scale - offset`, as fitparser computes it.
#[inline]
fn scale(raw: f64, slot: usize) -> f64 {
    let (_, scale, offset) = RECORD_FIELDS[slot];
    raw / scale - offset
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    #[allow(clippy::float_cmp)] // the profile's exact constants
    fn enhanced_fields_share_their_plain_twins_scale() {
        let scale = |slot: usize| (RECORD_FIELDS[slot].1, RECORD_FIELDS[slot].2);
        assert_eq!(scale(ALTITUDE), scale(ENHANCED_ALTITUDE));
        assert_eq!(scale(SPEED), scale(ENHANCED_SPEED));
    }

    #[test]
    #[allow(clippy::float_cmp)] // the profile's exact constants
    fn unscaled_columns_are_the_identity_fields() {
        let scaled = [ALTITUDE, ENHANCED_ALTITUDE, DISTANCE, SPEED, ENHANCED_SPEED, FRACTIONAL_CADENCE];
        for (slot, &(_, scale, offset)) in RECORD_FIELDS.iter().enumerate() {
            assert_eq!(scaled.contains(&slot), scale != 1.0 || offset != 0.0, "slot {slot}");
        }
    }
}
