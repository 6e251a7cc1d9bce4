//! A minimal FIT writer: definition and data messages with the profile's
//! base types, header and file CRCs. Enough to write exact test files.

/// FIT base types (FIT profile, `fit_base_type`).
#[derive(Clone, Copy, Debug)]
pub enum Base {
    Enum,
    SInt8,
    UInt8,
    UInt16,
    SInt32,
    UInt32,
    /// A byte array of this many bytes (at most 7), e.g. an old device's
    /// packed speed and distance.
    Bytes(u8),
}

impl Base {
    fn code(self) -> u8 {
        match self {
            Base::Enum => 0x00,
            Base::SInt8 => 0x01,
            Base::UInt8 => 0x02,
            Base::UInt16 => 0x84,
            Base::SInt32 => 0x85,
            Base::UInt32 => 0x86,
            Base::Bytes(_) => 0x0D,
        }
    }

    fn size(self) -> u8 {
        match self {
            Base::Enum | Base::SInt8 | Base::UInt8 => 1,
            Base::UInt16 => 2,
            Base::SInt32 | Base::UInt32 => 4,
            Base::Bytes(n) => n,
        }
    }

    /// The "invalid" value the profile reserves for a missing field.
    fn invalid(self) -> i64 {
        match self {
            Base::Enum | Base::UInt8 => 0xFF,
            Base::SInt8 => 0x7F,
            Base::UInt16 => 0xFFFF,
            Base::SInt32 => 0x7FFF_FFFF,
            Base::UInt32 => 0xFFFF_FFFF,
            Base::Bytes(n) => (1 << (8 * u32::from(n))) - 1,
        }
    }
}

/// Global message numbers used here.
pub mod mesg {
    pub const FILE_ID: u16 = 0;
    pub const ZONES_TARGET: u16 = 7;
    pub const SESSION: u16 = 18;
    pub const LAP: u16 = 19;
    pub const RECORD: u16 = 20;
    pub const EVENT: u16 = 21;
    pub const ACTIVITY: u16 = 34;
}

/// Seconds between the Unix epoch and the FIT epoch (1989-12-31T00:00:00Z).
pub const FIT_EPOCH_OFFSET_S: i64 = 631_065_600;

pub fn fit_time(unix_s: i64) -> i64 {
    unix_s - FIT_EPOCH_OFFSET_S
}

#[derive(Default)]
pub struct FitWriter {
    data: Vec<u8>,
    /// Field layout of each local message type defined so far.
    layouts: Vec<Option<Vec<Base>>>,
}

impl FitWriter {
    pub fn new() -> FitWriter {
        FitWriter { data: Vec::new(), layouts: vec![None; 16] }
    }

    /// Define local message `local` as `global` with `(field number, type)`s.
    pub fn define(&mut self, local: u8, global: u16, fields: &[(u8, Base)]) {
        self.data.extend_from_slice(&[0x40 | local, 0, 0]);
        self.data.extend_from_slice(&global.to_le_bytes());
        self.data.push(u8::try_from(fields.len()).expect("at most 255 fields"));
        for &(num, base) in fields {
            self.data.extend_from_slice(&[num, base.size(), base.code()]);
        }
        self.layouts[usize::from(local)] = Some(fields.iter().map(|f| f.1).collect());
    }

    /// Write one data message; `None` writes the field's invalid value.
    pub fn data(&mut self, local: u8, values: &[Option<i64>]) {
        let layout = self.layouts[usize::from(local)].clone().expect("define the message first");
        assert_eq!(layout.len(), values.len(), "one value per field");
        self.data.push(local);
        for (base, value) in layout.into_iter().zip(values) {
            let v = value.unwrap_or_else(|| base.invalid());
            let bytes = v.to_le_bytes();
            self.data.extend_from_slice(&bytes[..usize::from(base.size())]);
        }
    }

    /// The complete file: header, messages, CRC.
    pub fn finish(self) -> Vec<u8> {
        let mut out = Vec::with_capacity(self.data.len() + 16);
        out.extend_from_slice(&[14, 0x20]);
        out.extend_from_slice(&2132u16.to_le_bytes());
        out.extend_from_slice(&u32::try_from(self.data.len()).expect("under 4 GiB").to_le_bytes());
        out.extend_from_slice(b".FIT");
        let header_crc = crc16(&out);
        out.extend_from_slice(&header_crc.to_le_bytes());
        out.extend_from_slice(&self.data);
        let file_crc = crc16(&out);
        out.extend_from_slice(&file_crc.to_le_bytes());
        out
    }
}

/// The FIT CRC-16 (FIT protocol, "CRC").
pub fn crc16(bytes: &[u8]) -> u16 {
    const TABLE: [u16; 16] = [
        0x0000, 0xCC01, 0xD801, 0x1400, 0xF001, 0x3C00, 0x2800, 0xE401, 0xA001, 0x6C00, 0x7800, 0xB401, 0x5000, 0x9C01,
        0x8801, 0x4400,
    ];
    let mut crc = 0u16;
    for &byte in bytes {
        for nibble in [byte & 0x0F, byte >> 4] {
            let tmp = TABLE[usize::from(crc & 0x0F)];
            crc = ((crc >> 4) & 0x0FFF) ^ tmp ^ TABLE[usize::from(nibble)];
        }
    }
    crc
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn crc_of_whole_file_including_crc_is_zero() {
        let mut w = FitWriter::new();
        w.define(0, mesg::FILE_ID, &[(0, Base::Enum)]);
        w.data(0, &[Some(4)]);
        let bytes = w.finish();
        assert_eq!(crc16(&bytes), 0);
        assert_eq!(&bytes[8..12], b".FIT");
    }
}
