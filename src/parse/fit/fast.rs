//! The fast FIT decoder: one pass over the byte slice, driven by the file's
//! definition messages, reading only the fields runlens uses from the hot
//! messages (file id, record, event, lap, session, activity, sport, zones,
//! user profile) straight into a `FitFile`, with no allocation per field or
//! message. Values are decoded exactly as fitparser does (invalid values
//! missing, the profile's scale and offset, fitparser's names for enums), and
//! a differential test holds it to that. Anything it does not handle (a
//! component-packed speed/distance field, array-valued fields it reads,
//! damage) declines the file, and the reference decoder takes it.

use fitparser::profile::{FieldDataType, get_field_variant_as_string};

use super::file::FitFile;
use super::{Event, FIT_EPOCH_UNIX_S, Record, Session, crc};

/// Why the fast decoder left a file to the reference decoder.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Declined {
    /// A FIT feature this decoder does not implement.
    Unsupported(&'static str),
    /// Bad checksum, truncation or a malformed message: the reference
    /// decoder reports it in its own words.
    Damaged,
}

/// Global message numbers (FIT profile `mesg_num`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Mesg {
    FileId,
    UserProfile,
    ZonesTarget,
    Sport,
    Session,
    Lap,
    Record,
    Event,
    Activity,
    Other,
}

impl Mesg {
    fn from_global(n: u16) -> Mesg {
        match n {
            0 => Mesg::FileId,
            3 => Mesg::UserProfile,
            7 => Mesg::ZonesTarget,
            12 => Mesg::Sport,
            18 => Mesg::Session,
            19 => Mesg::Lap,
            20 => Mesg::Record,
            21 => Mesg::Event,
            34 => Mesg::Activity,
            _ => Mesg::Other,
        }
    }

    /// Field numbers read from this message (253, the timestamp, always).
    fn reads(self, field: u8) -> bool {
        field == TIMESTAMP
            || match self {
                Mesg::FileId => matches!(field, 0 | 1 | 2 | 8),
                Mesg::UserProfile => matches!(field, 8 | 11),
                Mesg::ZonesTarget => matches!(field, 1 | 2),
                Mesg::Sport => matches!(field, 0 | 1 | 3),
                Mesg::Session => matches!(field, 2 | 5 | 6 | 7 | 8 | 9 | 22),
                Mesg::Lap => field == 2,
                Mesg::Record => matches!(field, 0..=7 | 8 | 13 | 53 | 73 | 78),
                Mesg::Event => matches!(field, 0 | 1),
                Mesg::Activity => field == 5,
                Mesg::Other => false,
            }
    }
}

const TIMESTAMP: u8 = 253;
/// Record field 8 packs speed and an accumulating distance into 3 bytes
/// (old devices); fitparser expands it, so such files go to it.
const COMPRESSED_SPEED_DISTANCE: u8 = 8;
const MAX_FIELDS: usize = 24;

#[derive(Debug, Clone, Copy, Default)]
struct Field {
    num: u8,
    offset: u16,
    size: u8,
    base: u8,
}

#[derive(Debug, Clone)]
struct Definition {
    mesg: Mesg,
    big_endian: bool,
    /// Bytes of one data message, developer fields included.
    size: usize,
    fields: [Field; MAX_FIELDS],
    len: usize,
    /// Field number -> position in `fields` + 1 (0: not read), so each
    /// lookup is one load.
    index: [u8; 256],
    /// Record messages (the hot loop): the fields present, with their slot
    /// in `RECORD_FIELDS`, so absent fields cost nothing.
    record_plan: Vec<(usize, Field)>,
}

/// The record fields read, in slot order: number, scale, offset (FIT profile).
const RECORD_FIELDS: [(u8, f64, f64); 12] = [
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

/// Decode a whole FIT file (chained files included), or decline it.
pub fn decode(bytes: &[u8]) -> Result<FitFile, Declined> {
    let mut d = Decoder::new(bytes.len());
    let mut rest = bytes;
    while !rest.is_empty() {
        rest = d.one_file(rest)?;
    }
    Ok(d.file)
}

/// What a salvage pass over a damaged file kept, and what it found wrong.
pub struct Salvaged {
    pub file: FitFile,
    /// A checksum did not match.
    pub bad_checksum: bool,
    /// Where decoding had to stop (a malformed message, or the end of a cut
    /// file), as a byte offset; `None` when every message decoded.
    pub stopped_at: Option<usize>,
}

/// Decode what can be decoded, as fitdecode does for damaged files: a bad
/// checksum is noted, not fatal; decoding stops at the first malformed or
/// cut-off message and keeps everything before it; records whose values lie
/// outside plausible ranges (a flipped bit) are dropped.
pub fn salvage(bytes: &[u8]) -> Salvaged {
    let mut d = Decoder::new(bytes.len());
    d.file.check_ranges();
    let mut s = Salvaged { file: FitFile::default(), bad_checksum: false, stopped_at: None };
    let mut offset = 0;
    while offset < bytes.len() && super::has_fit_header(&bytes[offset..]) {
        let (consumed, stop) = d.lenient_file(&bytes[offset..], &mut s.bad_checksum);
        if let Some(at) = stop {
            s.stopped_at = Some(offset + at);
            break;
        }
        offset += consumed;
    }
    s.file = d.file;
    s
}

struct Decoder {
    file: FitFile,
    defs: [Option<Box<Definition>>; 16],
    /// Last full timestamp (FIT seconds), base for compressed timestamps.
    base_timestamp: i64,
}

impl Decoder {
    fn new(len: usize) -> Decoder {
        // ~30 bytes per record is typical; reserving avoids regrowth.
        Decoder { file: FitFile::with_capacity(len / 30), defs: Default::default(), base_timestamp: 0 }
    }

    /// One file of a chain, tolerating a bad checksum and stopping at the
    /// first message that does not decode. Returns the bytes consumed and
    /// where it stopped, if it did.
    fn lenient_file(&mut self, bytes: &[u8], bad_checksum: &mut bool) -> (usize, Option<usize>) {
        let header_len = usize::from(bytes[0]);
        let data_len = u32::from_le_bytes([bytes[4], bytes[5], bytes[6], bytes[7]]) as usize;
        let end = header_len.saturating_add(data_len);
        let data_end = end.min(bytes.len());
        match bytes.get(end..end + 2) {
            Some(stored) => {
                let header_crc = if header_len >= 14 { u16::from_le_bytes([bytes[12], bytes[13]]) } else { 0 };
                let covered = if header_crc == 0 { &bytes[..end] } else { &bytes[header_len..end] };
                *bad_checksum |= crc::crc16(covered) != u16::from_le_bytes([stored[0], stored[1]]);
            }
            None => *bad_checksum = true,
        }
        self.defs = Default::default();
        self.base_timestamp = 0;
        let mut pos = header_len;
        while pos < data_end {
            match self.message(&bytes[..data_end], pos) {
                Ok(next) => pos = next,
                Err(_) => return (pos, Some(pos)),
            }
        }
        if data_end < end { (data_end, Some(data_end)) } else { (end + 2, None) }
    }

    /// One FIT file of a chain: header, messages, CRC. Returns what follows.
    fn one_file<'a>(&mut self, bytes: &'a [u8]) -> Result<&'a [u8], Declined> {
        if !super::has_fit_header(bytes) {
            return Err(Declined::Damaged);
        }
        let header_len = usize::from(bytes[0]);
        let data_len = u32::from_le_bytes([bytes[4], bytes[5], bytes[6], bytes[7]]) as usize;
        let end = header_len.checked_add(data_len).ok_or(Declined::Damaged)?;
        if bytes.len() < end + 2 || header_len < 12 {
            return Err(Declined::Damaged);
        }
        let header_crc = if header_len >= 14 { u16::from_le_bytes([bytes[12], bytes[13]]) } else { 0 };
        let covered = if header_crc == 0 { &bytes[..end] } else { &bytes[header_len..end] };
        if header_crc != 0 && crc::crc16(&bytes[..header_len - 2]) != header_crc {
            return Err(Declined::Damaged);
        }
        if crc::crc16(covered) != u16::from_le_bytes([bytes[end], bytes[end + 1]]) {
            return Err(Declined::Damaged);
        }
        self.defs = Default::default();
        self.base_timestamp = 0;
        let mut pos = header_len;
        while pos < end {
            pos = self.message(&bytes[..end], pos)?;
        }
        Ok(&bytes[end + 2..])
    }

    fn message(&mut self, data: &[u8], pos: usize) -> Result<usize, Declined> {
        let header = data[pos];
        if header & 0x80 != 0 {
            // Compressed timestamp header: a data message with a 5-bit offset.
            let local = usize::from((header >> 5) & 0x03);
            return self.data(data, pos + 1, local, Some(header & 0x1F));
        }
        let local = usize::from(header & 0x0F);
        if header & 0x40 != 0 {
            self.definition(data, pos + 1, local, header & 0x20 != 0)
        } else {
            self.data(data, pos + 1, local, None)
        }
    }

    fn definition(&mut self, data: &[u8], pos: usize, local: usize, developer: bool) -> Result<usize, Declined> {
        let fixed = data.get(pos..pos + 5).ok_or(Declined::Damaged)?;
        let big_endian = match fixed[1] {
            0 => false,
            1 => true,
            _ => return Err(Declined::Damaged),
        };
        let global = if big_endian {
            u16::from_be_bytes([fixed[2], fixed[3]])
        } else {
            u16::from_le_bytes([fixed[2], fixed[3]])
        };
        let mesg = Mesg::from_global(global);
        let count = usize::from(fixed[4]);
        let mut at = pos + 5;
        let specs = data.get(at..at + 3 * count).ok_or(Declined::Damaged)?;
        at += 3 * count;
        let mut def = Definition {
            mesg,
            big_endian,
            size: 0,
            fields: [Field::default(); MAX_FIELDS],
            len: 0,
            index: [0; 256],
            record_plan: Vec::new(),
        };
        for spec in specs.chunks_exact(3) {
            let field = Field {
                num: spec[0],
                offset: u16::try_from(def.size).map_err(|_| Declined::Damaged)?,
                size: spec[1],
                base: spec[2],
            };
            def.size += usize::from(field.size);
            if mesg == Mesg::Record && field.num == COMPRESSED_SPEED_DISTANCE {
                return Err(Declined::Unsupported("compressed speed and distance"));
            }
            if mesg.reads(field.num) {
                check_field(field)?;
                *def.fields.get_mut(def.len).ok_or(Declined::Unsupported("too many fields"))? = field;
                def.len += 1;
                // A field listed twice: the later one, as fitparser's map keeps.
                def.index[usize::from(field.num)] = u8::try_from(def.len).unwrap_or(0);
                if mesg == Mesg::Record
                    && let Some(slot) = RECORD_FIELDS.iter().position(|&(num, ..)| num == field.num)
                {
                    def.record_plan.push((slot, field));
                }
            }
        }
        if developer {
            let n = usize::from(*data.get(at).ok_or(Declined::Damaged)?);
            let dev = data.get(at + 1..at + 1 + 3 * n).ok_or(Declined::Damaged)?;
            def.size += dev.chunks_exact(3).map(|s| usize::from(s[1])).sum::<usize>();
            at += 1 + 3 * n;
        }
        self.defs[local] = Some(Box::new(def));
        Ok(at)
    }

    fn data(&mut self, data: &[u8], pos: usize, local: usize, time_offset: Option<u8>) -> Result<usize, Declined> {
        let def = self.defs[local].as_ref().ok_or(Declined::Damaged)?;
        let body = data.get(pos..pos + def.size).ok_or(Declined::Damaged)?;
        let m = Message { body, def };
        let stamp = m.timestamp();
        if let Some(t) = stamp {
            self.base_timestamp = t;
        }
        let compressed = time_offset.map(|offset| {
            let offset = i64::from(offset);
            let mut t = offset + (self.base_timestamp & !31);
            if offset < (self.base_timestamp & 31) {
                t += 32;
            }
            self.base_timestamp = t;
            t
        });
        // A real timestamp field wins over the compressed one, as in fitparser.
        absorb(&mut self.file, &m, stamp.or(compressed));
        Ok(pos + def.size)
    }
}

/// Hand one decoded message to the file.
fn absorb(f: &mut FitFile, m: &Message<'_>, time_s: Option<i64>) {
    let stamp_ms = time_s.map(to_unix_ms);
    match m.def.mesg {
        Mesg::Record => {
            let mut v = [None; RECORD_FIELDS.len()];
            for &(slot, field) in &m.def.record_plan {
                let (_, scale, offset) = RECORD_FIELDS[slot];
                let raw = value(m.body, field, m.def.big_endian);
                // Scale 1 and offset 0 leave a value unchanged, exactly: skip
                // the division (a quarter of the decoding time) for those.
                v[slot] = if slot_is_scaled(slot) {
                    raw.and_then(|raw| scaled(raw, scale, offset))
                } else {
                    raw.and_then(|raw| scaled(raw, 1.0, 0.0))
                };
            }
            f.record(&Record {
                time_ms: stamp_ms,
                lat_semicircles: v[0],
                lon_semicircles: v[1],
                altitude_m: v[2],
                enhanced_altitude_m: v[3],
                distance_m: v[4],
                speed_m_s: v[5],
                enhanced_speed_m_s: v[6],
                hr_bpm: v[7],
                cadence_rpm: v[8],
                fractional_cadence_rpm: v[9],
                power_w: v[10],
                temperature_c: v[11],
            });
        }
        Mesg::Event => {
            let event = match (m.int(0), m.int(1)) {
                (Some(0), Some(0)) => Event::TimerStart,
                (Some(0), Some(1 | 4 | 8 | 9)) => Event::TimerStop,
                _ => Event::Other,
            };
            f.event(event, stamp_ms);
        }
        Mesg::Lap => f.lap(m.int(2).map(to_unix_ms).or(stamp_ms)),
        Mesg::Session => f.session(Session {
            start_ms: m.int(2).map(to_unix_ms),
            sport: m.int(5).map(|v| enum_name(FieldDataType::Sport, v)).unwrap_or_default(),
            sub_sport: m.int(6).map(|v| enum_name(FieldDataType::SubSport, v)),
            elapsed_s: m.num(7, 1000.0, 0.0),
            timer_s: m.num(8, 1000.0, 0.0),
            distance_m: m.num(9, 100.0, 0.0),
            ascent_m: m.num(22, 1.0, 0.0),
        }),
        Mesg::Activity => {
            if let (Some(utc), Some(local)) = (time_s, m.int(5)) {
                f.activity(local - utc);
            }
        }
        Mesg::FileId => f.file_id(m.int(0).map(|v| enum_name(FieldDataType::File, v)), || device(m)),
        Mesg::Sport => f.sport(
            m.int(0).map(|v| enum_name(FieldDataType::Sport, v)).unwrap_or_default(),
            m.int(1).map(|v| enum_name(FieldDataType::SubSport, v)),
            m.text(3),
        ),
        Mesg::ZonesTarget => f.zones_target(m.num(1, 1.0, 0.0), m.num(2, 1.0, 0.0)),
        Mesg::UserProfile => f.user_profile(m.num(8, 1.0, 0.0), m.num(11, 1.0, 0.0)),
        Mesg::Other => {}
    }
}

/// "garmin fr945", as the reference decoder names it: Garmin-family makers'
/// products by the profile's names, others by their product name or number.
fn device(m: &Message<'_>) -> Option<String> {
    const GARMIN_FAMILY: [i64; 4] = [1, 13, 15, 89];
    const FAVERO: i64 = 263;
    let maker_id = m.int(1);
    let maker = maker_id.map(|v| enum_name(FieldDataType::Manufacturer, v));
    let product = match maker_id {
        Some(id) if GARMIN_FAMILY.contains(&id) => {
            m.int(2).map(|v| enum_name(FieldDataType::GarminProduct, v)).or_else(|| m.text(8))
        }
        Some(FAVERO) => m.text(8),
        _ => m.text(8).or_else(|| m.int(2).map(|v| v.to_string())),
    };
    match (maker, product) {
        (Some(m), Some(p)) => Some(format!("{m} {p}")),
        (m, p) => m.or(p),
    }
}

fn enum_name(kind: FieldDataType, v: i64) -> String {
    if kind.is_named_variant(v) { get_field_variant_as_string(kind, v) } else { v.to_string() }
}

fn to_unix_ms(fit_s: i64) -> i64 {
    (fit_s + FIT_EPOCH_UNIX_S) * 1000
}

/// Size of one value of a FIT base type; `None` for types not read here.
fn base_size(base: u8) -> Option<u8> {
    match base {
        0x00 | 0x01 | 0x02 | 0x0A | 0x0D => Some(1),
        0x83 | 0x84 | 0x8B => Some(2),
        0x85 | 0x86 | 0x8C => Some(4),
        0x8E..=0x90 => Some(8),
        _ => None,
    }
}

/// A field the decoder reads must hold one integer of a known type (or be a
/// string); arrays, floats (no profile field runlens reads is one) and odd
/// sizes go to the reference decoder.
fn check_field(f: Field) -> Result<(), Declined> {
    if f.base == 0x07 {
        return Ok(());
    }
    match base_size(f.base) {
        Some(size) if size == f.size => Ok(()),
        _ => Err(Declined::Unsupported("an array or unusual field type")),
    }
}

/// One data message and its definition.
struct Message<'a> {
    body: &'a [u8],
    def: &'a Definition,
}

/// A decoded value: integers kept exact (enums, times), others as f64.
#[derive(Clone, Copy)]
enum Raw {
    Int(i64),
    Float(f64),
}

impl Message<'_> {
    #[inline]
    fn field(&self, num: u8) -> Option<&Field> {
        let at = usize::from(self.def.index[usize::from(num)]);
        if at == 0 { None } else { self.def.fields.get(at - 1) }
    }

    /// The field's value, `None` when absent or invalid (fitparser's rules).
    /// The field's value, `None` when absent or invalid.
    fn raw(&self, num: u8) -> Option<Raw> {
        value(self.body, *self.field(num)?, self.def.big_endian)
    }

    /// A numeric field scaled as the profile defines: raw / scale - offset.
    fn num(&self, num: u8, scale: f64, offset: f64) -> Option<f64> {
        scaled(self.raw(num)?, scale, offset)
    }

    /// An integer field (enum, time, id).
    fn int(&self, num: u8) -> Option<i64> {
        match self.raw(num)? {
            Raw::Int(v) => Some(v),
            Raw::Float(_) => None,
        }
    }

    fn timestamp(&self) -> Option<i64> {
        self.int(TIMESTAMP)
    }

    /// A string field: bytes up to the first NUL, if they are UTF-8.
    fn text(&self, num: u8) -> Option<String> {
        let f = self.field(num).filter(|f| f.base == 0x07)?;
        let at = usize::from(f.offset);
        let b = &self.body[at..at + usize::from(f.size)];
        let b = &b[..b.iter().position(|&c| c == 0).unwrap_or(b.len())];
        std::str::from_utf8(b).ok().map(str::to_owned)
    }
}

/// Record slots whose profile scale or offset is not the identity.
const fn slot_is_scaled(slot: usize) -> bool {
    matches!(slot, 2..=6 | 9)
}

/// `raw / scale - offset`, as fitparser computes it.
#[inline]
fn scaled(raw: Raw, scale: f64, offset: f64) -> Option<f64> {
    let v = match raw {
        Raw::Int(v) => v as f64,
        Raw::Float(v) => v,
    };
    // fitparser skips the arithmetic for scale 1 and offset 0; x / 1 - 0
    // is x exactly, so computing it always gives the same values.
    let v = v / scale - offset;
    v.is_finite().then_some(v)
}

/// One field's value from a message body, `None` when invalid (fitparser's
/// rules: the base type's invalid value, or an all-invalid array).
#[inline]
fn value(body: &[u8], f: Field, big: bool) -> Option<Raw> {
    let at = usize::from(f.offset);
    let b = body.get(at..at + usize::from(f.size))?;
    macro_rules! int {
        ($t:ty, $n:literal) => {{
            let a: [u8; $n] = b.try_into().ok()?;
            if big { <$t>::from_be_bytes(a) } else { <$t>::from_le_bytes(a) }
        }};
    }
    match f.base {
        0x00 | 0x02 | 0x0D => Raw::Int(i64::from(b[0])).valid(b[0] != 0xFF),
        0x01 => Raw::Int(i64::from(b[0].cast_signed())).valid(b[0] != 0x7F),
        0x0A => Raw::Int(i64::from(b[0])).valid(b[0] != 0),
        0x83 => {
            let v = int!(i16, 2);
            Raw::Int(i64::from(v)).valid(v != 0x7FFF)
        }
        0x84 | 0x8B => {
            let v = int!(u16, 2);
            Raw::Int(i64::from(v)).valid(if f.base == 0x84 { v != 0xFFFF } else { v != 0 })
        }
        0x85 => {
            let v = int!(i32, 4);
            Raw::Int(i64::from(v)).valid(v != 0x7FFF_FFFF)
        }
        0x86 | 0x8C => {
            let v = int!(u32, 4);
            Raw::Int(i64::from(v)).valid(if f.base == 0x86 { v != 0xFFFF_FFFF } else { v != 0 })
        }
        0x8E => {
            let v = int!(i64, 8);
            Raw::Int(v).valid(v != 0x7FFF_FFFF_FFFF_FFFF)
        }
        // u64 values beyond i64 are read as f64, as fitparser's `as f64` does.
        0x8F | 0x90 => {
            let v = int!(u64, 8);
            let ok = if f.base == 0x8F { v != u64::MAX } else { v != 0 };
            i64::try_from(v).map_or(Raw::Float(v as f64), Raw::Int).valid(ok)
        }
        _ => None,
    }
}

impl Raw {
    fn valid(self, ok: bool) -> Option<Raw> {
        ok.then_some(self)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    #[allow(clippy::float_cmp)] // the profile's exact constants
    fn scaled_slots_match_the_profile_table() {
        for (slot, &(_, scale, offset)) in RECORD_FIELDS.iter().enumerate() {
            assert_eq!(slot_is_scaled(slot), scale != 1.0 || offset != 0.0, "slot {slot}");
        }
    }

    #[test]
    fn values_follow_fitparsers_invalid_rules() {
        let f = |base, size| Field { num: 0, offset: 0, size, base };
        assert!(value(&[0xFF], f(0x02, 1), false).is_none());
        assert!(value(&[0x00], f(0x0A, 1), false).is_none(), "uint8z zero is invalid");
        assert!(matches!(value(&[0x34, 0x12], f(0x84, 2), false), Some(Raw::Int(0x1234))));
        assert!(matches!(value(&[0x12, 0x34], f(0x84, 2), true), Some(Raw::Int(0x1234))));
        assert!(matches!(value(&[0xFF, 0xFF, 0xFF, 0xFF], f(0x85, 4), false), Some(Raw::Int(-1))));
        assert!(value(&[0xFF, 0xFF, 0xFF, 0x7F], f(0x85, 4), false).is_none());
        assert!(value(&[1, 2], f(0x84, 4), false).is_none(), "a field past the message end");
    }
}
