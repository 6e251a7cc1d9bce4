//! Definition messages: which fields a local message type carries, where each
//! sits in its data messages, and the plan that reads a record's fields.

use super::Declined;
use super::record::{self, Op};

/// Global message numbers (FIT profile `mesg_num`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Mesg {
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
                Mesg::Record => record::slot(field).is_some(),
                Mesg::Event => matches!(field, 0 | 1 | 3),
                Mesg::Activity => field == 5,
                Mesg::Other => false,
            }
    }
}

pub(super) const TIMESTAMP: u8 = 253;
/// Event field 3, `data` (the recovery heart rate of a `recovery_hr` event).
const EVENT_DATA: u8 = 3;
/// Record field 8 packs speed and an accumulating distance into 3 bytes
/// (old devices); fitparser expands it, so such files go to it.
const COMPRESSED_SPEED_DISTANCE: u8 = 8;
const MAX_FIELDS: usize = 24;

#[derive(Debug, Clone, Copy, Default)]
pub(super) struct Field {
    pub num: u8,
    pub offset: u16,
    pub size: u8,
    pub base: u8,
}

#[derive(Debug, Clone)]
pub(super) struct Definition {
    pub mesg: Mesg,
    pub big_endian: bool,
    /// Bytes of one data message, developer fields included.
    pub size: usize,
    fields: [Field; MAX_FIELDS],
    len: usize,
    /// Field number -> position in `fields` + 1 (0: not read), so each
    /// lookup is one load.
    index: [u8; 256],
    /// Record messages (the hot loop): the fields present and their
    /// columns, so absent fields cost nothing.
    pub record_plan: Vec<Op>,
    /// The timestamp field, read from every message.
    pub timestamp: Option<Field>,
}

impl Definition {
    /// Parse the definition message whose fixed part starts at `pos` (after
    /// the header byte). Returns it and where the next message starts.
    pub fn parse(data: &[u8], pos: usize, developer: bool) -> Result<(Definition, usize), Declined> {
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
        let count = usize::from(fixed[4]);
        let mut at = pos + 5;
        let specs = data.get(at..at + 3 * count).ok_or(Declined::Damaged)?;
        at += 3 * count;
        let mut def = Definition {
            mesg: Mesg::from_global(global),
            big_endian,
            size: 0,
            fields: [Field::default(); MAX_FIELDS],
            len: 0,
            index: [0; 256],
            record_plan: Vec::new(),
            timestamp: None,
        };
        for spec in specs.chunks_exact(3) {
            let offset = u16::try_from(def.size).map_err(|_| Declined::Damaged)?;
            def.add(Field { num: spec[0], offset, size: spec[1], base: spec[2] })?;
        }
        record::order_plan(&mut def.record_plan);
        def.timestamp = def.field(TIMESTAMP).copied();
        if developer {
            let n = usize::from(*data.get(at).ok_or(Declined::Damaged)?);
            let dev = data.get(at + 1..at + 1 + 3 * n).ok_or(Declined::Damaged)?;
            def.size += dev.chunks_exact(3).map(|s| usize::from(s[1])).sum::<usize>();
            at += 1 + 3 * n;
        }
        Ok((def, at))
    }

    fn add(&mut self, field: Field) -> Result<(), Declined> {
        self.size += usize::from(field.size);
        if self.mesg == Mesg::Record && field.num == COMPRESSED_SPEED_DISTANCE {
            return Err(Declined::Unsupported("compressed speed and distance"));
        }
        if !self.mesg.reads(field.num) {
            return Ok(());
        }
        // An event's data is read for the recovery heart rate only: a file
        // that writes it as an array or an odd type keeps the fast path
        // without it, as it had before that was read.
        if self.mesg == Mesg::Event && field.num == EVENT_DATA && check_field(field).is_err() {
            return Ok(());
        }
        check_field(field)?;
        *self.fields.get_mut(self.len).ok_or(Declined::Unsupported("too many fields"))? = field;
        self.len += 1;
        // A field listed twice: the later one, as fitparser's map keeps.
        self.index[usize::from(field.num)] = u8::try_from(self.len).unwrap_or(0);
        if self.mesg == Mesg::Record
            && let Some(op) = Op::new(field)
        {
            self.record_plan.push(op);
        }
        Ok(())
    }

    #[inline]
    pub fn field(&self, num: u8) -> Option<&Field> {
        let at = usize::from(self.index[usize::from(num)]);
        if at == 0 { None } else { self.fields.get(at - 1) }
    }
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
