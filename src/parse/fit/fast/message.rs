//! Data messages other than records (file id, session, lap, event, ...): a
//! few per file, read field by field through their definition's index and
//! handed to the `FitFile` as fitparser would name and scale them.

use fitparser::profile::{FieldDataType, get_field_variant_as_string};

use super::super::file::FitFile;
use super::super::{Event, FIT_EPOCH_UNIX_S, Session};
use super::definition::{Definition, Mesg, TIMESTAMP};

/// One data message and its definition.
pub(super) struct Message<'a> {
    pub body: &'a [u8],
    pub def: &'a Definition,
}

/// A decoded value: integers kept exact (enums, times), others as f64.
#[derive(Clone, Copy)]
pub(super) enum Raw {
    Int(i64),
    Float(f64),
}

impl Raw {
    fn valid(self, ok: bool) -> Option<Raw> {
        ok.then_some(self)
    }

    #[inline]
    pub fn as_f64(self) -> f64 {
        match self {
            Raw::Int(v) => v as f64,
            Raw::Float(v) => v,
        }
    }
}

impl Message<'_> {
    /// The field's value, `None` when absent or invalid (fitparser's rules).
    fn raw(&self, num: u8) -> Option<Raw> {
        let f = self.def.field(num)?;
        value(self.body, usize::from(f.offset), f.size, f.base, self.def.big_endian)
    }

    /// A numeric field scaled as the profile defines: raw / scale - offset.
    fn num(&self, num: u8, scale: f64, offset: f64) -> Option<f64> {
        let v = self.raw(num)?.as_f64() / scale - offset;
        v.is_finite().then_some(v)
    }

    /// An integer field (enum, time, id).
    fn int(&self, num: u8) -> Option<i64> {
        match self.raw(num)? {
            Raw::Int(v) => Some(v),
            Raw::Float(_) => None,
        }
    }

    #[inline]
    pub fn timestamp(&self) -> Option<i64> {
        let f = self.def.timestamp?;
        // Always a uint32 in practice: read it without the general dispatch.
        if f.base == 0x86 && !self.def.big_endian {
            let at = usize::from(f.offset);
            let b: [u8; 4] = self.body.get(at..at + 4)?.try_into().ok()?;
            let t = u32::from_le_bytes(b);
            return (t != u32::MAX).then_some(i64::from(t));
        }
        self.int(TIMESTAMP)
    }

    /// A string field: bytes up to the first NUL, if they are UTF-8.
    fn text(&self, num: u8) -> Option<String> {
        let f = self.def.field(num).filter(|f| f.base == 0x07)?;
        let at = usize::from(f.offset);
        let b = &self.body[at..at + usize::from(f.size)];
        let b = &b[..b.iter().position(|&c| c == 0).unwrap_or(b.len())];
        std::str::from_utf8(b).ok().map(str::to_owned)
    }
}

/// Hand one decoded message (not a record: those go to the columns) to the
/// file.
pub(super) fn absorb(f: &mut FitFile, m: &Message<'_>, time_s: Option<i64>) {
    let stamp_ms = time_s.map(to_unix_ms);
    match m.def.mesg {
        Mesg::Event => {
            let event = match (m.int(0), m.int(1)) {
                (Some(0), Some(0)) => Event::TimerStart,
                (Some(0), Some(1 | 4 | 8 | 9)) => Event::TimerStop,
                (Some(super::super::RECOVERY_HR_EVENT), _) => {
                    m.int(3).and_then(|v| u32::try_from(v).ok()).map_or(Event::Other, |bpm| Event::RecoveryHr { bpm })
                }
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
        Mesg::Record | Mesg::Other => {}
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

pub(super) fn to_unix_ms(fit_s: i64) -> i64 {
    (fit_s + FIT_EPOCH_UNIX_S) * 1000
}

/// One value of base type `base` at `at` in a message body, `None` when
/// invalid (fitparser's rules: the base type's invalid value) or past the
/// body's end.
// Always inlined: in the record loops `size`, `base` and `big` are
// constants, and the match folds away to one load and one compare.
#[allow(clippy::inline_always)]
#[inline(always)]
pub(super) fn value(body: &[u8], at: usize, size: u8, base: u8, big: bool) -> Option<Raw> {
    let b = body.get(at..at + usize::from(size))?;
    macro_rules! int {
        ($t:ty, $n:literal) => {{
            let a: [u8; $n] = b.try_into().ok()?;
            if big { <$t>::from_be_bytes(a) } else { <$t>::from_le_bytes(a) }
        }};
    }
    match base {
        0x00 | 0x02 | 0x0D => Raw::Int(i64::from(b[0])).valid(b[0] != 0xFF),
        0x01 => Raw::Int(i64::from(b[0].cast_signed())).valid(b[0] != 0x7F),
        0x0A => Raw::Int(i64::from(b[0])).valid(b[0] != 0),
        0x83 => {
            let v = int!(i16, 2);
            Raw::Int(i64::from(v)).valid(v != 0x7FFF)
        }
        0x84 | 0x8B => {
            let v = int!(u16, 2);
            Raw::Int(i64::from(v)).valid(if base == 0x84 { v != 0xFFFF } else { v != 0 })
        }
        0x85 => {
            let v = int!(i32, 4);
            Raw::Int(i64::from(v)).valid(v != 0x7FFF_FFFF)
        }
        0x86 | 0x8C => {
            let v = int!(u32, 4);
            Raw::Int(i64::from(v)).valid(if base == 0x86 { v != 0xFFFF_FFFF } else { v != 0 })
        }
        0x8E => {
            let v = int!(i64, 8);
            Raw::Int(v).valid(v != 0x7FFF_FFFF_FFFF_FFFF)
        }
        // u64 values beyond i64 are read as f64, as fitparser's `as f64` does.
        0x8F | 0x90 => {
            let v = int!(u64, 8);
            let ok = if base == 0x8F { v != u64::MAX } else { v != 0 };
            i64::try_from(v).map_or(Raw::Float(v as f64), Raw::Int).valid(ok)
        }
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn values_follow_fitparsers_invalid_rules() {
        let v = |bytes: &[u8], base, size, big| value(bytes, 0, size, base, big);
        assert!(v(&[0xFF], 0x02, 1, false).is_none());
        assert!(v(&[0x00], 0x0A, 1, false).is_none(), "uint8z zero is invalid");
        assert!(matches!(v(&[0x34, 0x12], 0x84, 2, false), Some(Raw::Int(0x1234))));
        assert!(matches!(v(&[0x12, 0x34], 0x84, 2, true), Some(Raw::Int(0x1234))));
        assert!(matches!(v(&[0xFF, 0xFF, 0xFF, 0xFF], 0x85, 4, false), Some(Raw::Int(-1))));
        assert!(v(&[0xFF, 0xFF, 0xFF, 0x7F], 0x85, 4, false).is_none());
        assert!(v(&[1, 2], 0x84, 4, false).is_none(), "a field past the message end");
    }
}
