//! Zip archives read in place: a positional, cloneable reader lets every
//! rayon task read its own member while all share one parsed central
//! directory, so an export is never loaded whole into memory. Nested zips
//! (Garmin keeps FIT files in part zips inside its export zip, up to
//! gigabytes each) are unpacked to unnamed temporary files, not memory.
//! Members that inflate far beyond any real data are zip bombs, refused
//! before they fill memory or disk.

use std::fs::File;
use std::io::{self, Cursor, Read, Seek, SeekFrom};
use std::path::Path;
use std::sync::Arc;

use zip::ZipArchive;

use crate::error::ParseError;

/// Refuse activity files that unpack to more than this: a 24-hour 1 Hz
/// recording with every extension is well under 100 MiB. With one file per
/// parsing thread in memory, this bounds raw bytes at jobs x 256 MiB.
pub const MAX_MEMBER_BYTES: u64 = 256 << 20;
/// Refuse nested zips that unpack to more than this (on disk).
pub const MAX_NESTED_ZIP_BYTES: u64 = 32 << 30;
/// Activity files and zips of them compress 3-20 times; deflate reaches
/// ~1,000 times only on constant bytes, which is what zip bombs are made of.
pub const MAX_RATIO: u64 = 200;
/// Small members may legitimately exceed the ratio (a few KiB of repeated
/// text): the ratio applies beyond this size.
const RATIO_FLOOR_BYTES: u64 = 4 << 20;

pub type Zip = ZipArchive<ArchiveReader>;

/// A `Read + Seek` over a file or an in-memory nested zip, cheap to clone:
/// clones share the bytes and keep their own position.
#[derive(Clone, Debug)]
pub enum ArchiveReader {
    File { file: Arc<File>, pos: u64, len: u64 },
    Memory(Cursor<Arc<[u8]>>),
}

impl ArchiveReader {
    pub fn open(path: &Path) -> io::Result<ArchiveReader> {
        let file = File::open(path)?;
        let len = file.metadata()?.len();
        Ok(ArchiveReader::File { file: Arc::new(file), pos: 0, len })
    }

    pub fn memory(bytes: impl Into<Arc<[u8]>>) -> ArchiveReader {
        ArchiveReader::Memory(Cursor::new(bytes.into()))
    }
}

#[cfg(unix)]
fn read_at(file: &File, buf: &mut [u8], offset: u64) -> io::Result<usize> {
    std::os::unix::fs::FileExt::read_at(file, buf, offset)
}

#[cfg(windows)]
fn read_at(file: &File, buf: &mut [u8], offset: u64) -> io::Result<usize> {
    std::os::windows::fs::FileExt::seek_read(file, buf, offset)
}

impl Read for ArchiveReader {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        match self {
            ArchiveReader::File { file, pos, .. } => {
                let n = read_at(file, buf, *pos)?;
                *pos += n as u64;
                Ok(n)
            }
            ArchiveReader::Memory(cursor) => cursor.read(buf),
        }
    }
}

impl Seek for ArchiveReader {
    fn seek(&mut self, to: SeekFrom) -> io::Result<u64> {
        match self {
            ArchiveReader::File { pos, len, .. } => {
                let target = match to {
                    SeekFrom::Start(n) => Some(n),
                    SeekFrom::End(d) => len.checked_add_signed(d),
                    SeekFrom::Current(d) => pos.checked_add_signed(d),
                };
                *pos = target.ok_or_else(|| io::Error::new(io::ErrorKind::InvalidInput, "seek before the start"))?;
                Ok(*pos)
            }
            ArchiveReader::Memory(cursor) => cursor.seek(to),
        }
    }
}

/// Open a zip with a message that says what to do about a bad one.
pub fn open(reader: ArchiveReader) -> Result<Zip, String> {
    ZipArchive::new(reader).map_err(|e| format!("not a readable zip archive ({e}): was the download complete?"))
}

/// Member indices with their names, or with why the name could not be read.
pub type Members = Vec<(usize, String)>;

/// Member names in archive order, directories left out; then the members
/// whose names could not be decoded, with the error.
pub fn file_members(zip: &Zip) -> (Members, Members) {
    let (mut members, mut undecodable) = (Vec::new(), Vec::new());
    for i in 0..zip.len() {
        match zip.name_for_index(i) {
            Some(Ok(name)) if name.ends_with('/') => {}
            Some(Ok(name)) => members.push((i, name.into_owned())),
            Some(Err(e)) => undecodable.push((i, e.to_string())),
            None => undecodable.push((i, "no such member".into())),
        }
    }
    (members, undecodable)
}

/// How far a member may inflate: the size limit, or the bomb ratio.
pub(super) fn inflate_cap(compressed: u64, limit: u64) -> (u64, bool) {
    let by_ratio = compressed.saturating_mul(MAX_RATIO).max(RATIO_FLOOR_BYTES);
    if by_ratio < limit { (by_ratio, true) } else { (limit, false) }
}

pub(super) fn too_large(by_ratio: bool, limit: u64) -> ParseError {
    if by_ratio { ParseError::ZipBomb { ratio: MAX_RATIO } } else { ParseError::TooLarge { limit_mib: limit >> 20 } }
}

/// Read a whole member, or its first `limit` bytes, refusing oversized ones.
pub fn read_member(zip: &Zip, index: usize, limit: Option<u64>) -> Result<Vec<u8>, ParseError> {
    let mut zip = zip.clone();
    let member = zip.by_index(index).map_err(|e| ParseError::Zip(e.to_string()))?;
    let (cap, by_ratio) = inflate_cap(member.compressed_size(), MAX_MEMBER_BYTES);
    let cap = limit.map_or(cap, |l| l.min(cap));
    let mut out = Vec::with_capacity(usize::try_from(member.size().min(cap)).unwrap_or(0));
    member.take(cap + u64::from(limit.is_none())).read_to_end(&mut out).map_err(|e| ParseError::Zip(e.to_string()))?;
    if limit.is_none() && out.len() as u64 > cap {
        return Err(too_large(by_ratio, MAX_MEMBER_BYTES));
    }
    Ok(out)
}

/// Unpack a nested zip member to an unnamed temporary file (gone when the
/// last reader is dropped) and read it in place from there.
pub fn spool_member(zip: &Zip, index: usize) -> Result<ArchiveReader, ParseError> {
    let mut zip = zip.clone();
    let member = zip.by_index(index).map_err(|e| ParseError::Zip(e.to_string()))?;
    let (cap, by_ratio) = inflate_cap(member.compressed_size(), MAX_NESTED_ZIP_BYTES);
    let mut file = tempfile::tempfile().map_err(ParseError::Read)?;
    let len = io::copy(&mut member.take(cap + 1), &mut file).map_err(|e| ParseError::Zip(e.to_string()))?;
    if len > cap {
        return Err(too_large(by_ratio, MAX_NESTED_ZIP_BYTES));
    }
    Ok(ArchiveReader::File { file: Arc::new(file), pos: 0, len })
}

/// A zip of `members` in memory, for tests here and in discovery.
#[cfg(test)]
pub(crate) fn zip_bytes(members: &[(&str, &[u8])]) -> Vec<u8> {
    use std::io::Write;
    let mut w = zip::ZipWriter::new(Cursor::new(Vec::new()));
    for (name, body) in members {
        w.start_file(*name, zip::write::SimpleFileOptions::default()).unwrap();
        w.write_all(body).unwrap();
    }
    w.finish().unwrap().into_inner()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn clones_read_members_independently() {
        let bytes = zip_bytes(&[("a/one.gpx", b"first"), ("dir/", b""), ("two.fit", b"second")]);
        let zip = open(ArchiveReader::memory(bytes)).unwrap();
        let (members, undecodable) = file_members(&zip);
        assert!(undecodable.is_empty());
        assert_eq!(members.iter().map(|m| m.1.as_str()).collect::<Vec<_>>(), ["a/one.gpx", "two.fit"]);
        assert_eq!(read_member(&zip, members[1].0, None).unwrap(), b"second");
        assert_eq!(read_member(&zip, members[0].0, Some(3)).unwrap(), b"fir");
    }

    #[test]
    fn file_backed_reader_seeks_like_a_file() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("x.zip");
        std::fs::write(&path, zip_bytes(&[("m.tcx", b"body")])).unwrap();
        let zip = open(ArchiveReader::open(&path).unwrap()).unwrap();
        assert_eq!(read_member(&zip, 0, None).unwrap(), b"body");
    }

    #[test]
    fn garbage_is_not_a_zip() {
        let err = open(ArchiveReader::memory(b"PK\x03\x04 nope".to_vec())).unwrap_err();
        assert!(err.contains("download complete"), "{err}");
    }
}
