//! The fast FIT decoder: one pass over the byte slice, driven by the file's
//! definition messages, reading only the fields runlens uses from the hot
//! messages (file id, record, event, lap, session, activity, sport, zones,
//! user profile) into a `FitFile`, with no allocation per field or message;
//! records are read a column at a time (`record`). Values are decoded
//! exactly as fitparser does (invalid values missing, the profile's scale
//! and offset, fitparser's names for enums), and a differential test holds
//! it to that. Anything it does not handle (a component-packed
//! speed/distance field, array-valued fields it reads, damage) declines the
//! file, and the reference decoder takes it.

mod definition;
mod message;
mod record;

use self::definition::{Definition, Mesg};
use self::message::Message;
use self::record::RawRecords;
use super::file::FitFile;
use super::{crc, has_fit_header};

/// Why the fast decoder left a file to the reference decoder.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Declined {
    /// A FIT feature this decoder does not implement.
    Unsupported(&'static str),
    /// Bad checksum, truncation or a malformed message: the reference
    /// decoder reports it in its own words.
    Damaged,
}

/// Decode a whole FIT file (chained files included), or decline it.
pub fn decode(bytes: &[u8]) -> Result<FitFile, Declined> {
    let mut d = Decoder::new(bytes.len());
    let mut rest = bytes;
    while !rest.is_empty() {
        rest = d.one_file(rest)?;
    }
    Ok(d.finish())
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
    while offset < bytes.len() && has_fit_header(&bytes[offset..]) {
        let (consumed, stop) = d.lenient_file(&bytes[offset..], &mut s.bad_checksum);
        if let Some(at) = stop {
            s.stopped_at = Some(offset + at);
            break;
        }
        offset += consumed;
    }
    s.file = d.finish();
    s
}

struct Decoder {
    file: FitFile,
    records: RawRecords,
    defs: [Option<Box<Definition>>; 16],
    /// Last full timestamp (FIT seconds), base for compressed timestamps.
    base_timestamp: i64,
}

impl Decoder {
    fn new(len: usize) -> Decoder {
        // Records are 20-35 bytes; reserving for 1 per 20 avoids regrowth.
        Decoder {
            file: FitFile::default(),
            records: RawRecords::with_capacity(len / 20),
            defs: Default::default(),
            base_timestamp: 0,
        }
    }

    fn finish(mut self) -> FitFile {
        let records = self.records.finish(self.file.checks_ranges());
        self.file.set_records(records);
        self.file
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
        let data = &bytes[..data_end];
        let mut pos = header_len;
        while pos < data_end {
            let Ok(next) = self.message(data, pos) else {
                self.decode_records(data);
                return (pos, Some(pos));
            };
            pos = next;
        }
        self.decode_records(data);
        if data_end < end { (data_end, Some(data_end)) } else { (end + 2, None) }
    }

    /// One FIT file of a chain: header, messages, CRC. Returns what follows.
    fn one_file<'a>(&mut self, bytes: &'a [u8]) -> Result<&'a [u8], Declined> {
        if !has_fit_header(bytes) {
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
        let data = &bytes[..end];
        let mut pos = header_len;
        while pos < end {
            pos = self.message(data, pos)?;
        }
        self.decode_records(data);
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
        let (def, next) = Definition::parse(data, pos, developer)?;
        if self.records.pending_local() == Some(local) {
            self.decode_records(data);
        }
        self.defs[local] = Some(Box::new(def));
        Ok(next)
    }

    fn data(&mut self, data: &[u8], pos: usize, local: usize, time_offset: Option<u8>) -> Result<usize, Declined> {
        let def = self.defs[local].as_deref().ok_or(Declined::Damaged)?;
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
        let time_s = stamp.or(compressed);
        if def.mesg == Mesg::Record {
            if self.records.pending_local().is_some_and(|l| l != local) {
                self.decode_records(data);
            }
            self.records.queue(local, pos, time_s);
        } else {
            message::absorb(&mut self.file, &m, time_s);
        }
        Ok(pos + body.len())
    }

    /// Decode the records queued so far, while their definition is current.
    fn decode_records(&mut self, data: &[u8]) {
        if let Some(def) = self.records.pending_local().and_then(|l| self.defs[l].as_deref()) {
            self.records.decode_pending(data, def);
        }
    }
}
