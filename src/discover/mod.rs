//! Discovery: turn the user's paths (files, folders, `.gz`, zips with nested
//! zips, Strava and Garmin exports) into a sorted list of sources to parse,
//! and account for every input that cannot be one.

mod archive;
pub mod format;
mod same_file;
mod strava;

use std::collections::{HashMap, HashSet};
use std::fs;
use std::io::Read;
use std::path::{Path, PathBuf};

use flate2::read::MultiGzDecoder;

pub use archive::MAX_MEMBER_BYTES;
use archive::{ArchiveReader, Zip};
pub use format::Format;
pub use strava::StravaMeta;

use crate::error::ParseError;

/// Zips nest in real exports (Garmin: export > `UploadedFiles` > FIT); deeper
/// than this is an archive built to hurt, not an export.
const MAX_ZIP_DEPTH: usize = 4;
/// Enough of a file to recognize FIT, gzip or an XML root element.
const SNIFF_BYTES: u64 = 4096;
const GZIP_MAGIC: &[u8] = &[0x1f, 0x8b];
const STRAVA_INDEX: &str = "activities.csv";

/// Where a source's bytes live.
#[derive(Clone, Debug)]
pub enum Origin {
    File(PathBuf),
    Member { zip: Zip, index: usize },
}

/// One candidate activity file.
#[derive(Clone, Debug)]
pub struct Source {
    /// The input path; archive members as `archive.zip!inner/path.fit`.
    pub label: String,
    pub origin: Origin,
    pub strava: Option<StravaMeta>,
}

/// An input that was not analyzed, and why.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct Skipped {
    pub source: String,
    pub reason: String,
}

/// Reasons quote decoders, which sometimes quote the file: keep each to one
/// readable line of the CSV and the terminal.
const MAX_REASON_CHARS: usize = 300;

impl Skipped {
    pub fn new(source: impl Into<String>, reason: impl AsRef<str>) -> Skipped {
        let mut reason = reason.as_ref().split_whitespace().collect::<Vec<_>>().join(" ");
        if let Some((cut, _)) = reason.char_indices().nth(MAX_REASON_CHARS) {
            reason.truncate(cut);
            reason.push_str("...");
        }
        Skipped { source: source.into(), reason }
    }
}

/// Everything discovery found, sorted by label.
#[derive(Debug, Default)]
pub struct Discovered {
    pub sources: Vec<Source>,
    pub skipped: Vec<Skipped>,
    /// Files that are neither activities nor archives (photos, JSON, ...).
    pub ignored: usize,
    /// Files reached a second time under another name (a link, an
    /// overlapping folder): read once, under the first name in sort order.
    pub duplicates: Vec<Skipped>,
}

impl Source {
    /// The file's bytes, gunzipped when they are gzip data.
    pub fn read(&self) -> Result<Vec<u8>, ParseError> {
        gunzip_whole(self.read_raw()?)
    }

    /// The bytes as stored, still gzipped when they are (what the cache
    /// keys a loose file by); [`gunzip_whole`] finishes [`Source::read`].
    pub fn read_raw(&self) -> Result<Vec<u8>, ParseError> {
        match &self.origin {
            Origin::File(path) => read_file(path, None),
            Origin::Member { zip, index } => archive::read_member(zip, *index, None),
        }
    }

    /// The file on disk of a loose file; `None` for an archive member.
    pub fn path(&self) -> Option<&Path> {
        match &self.origin {
            Origin::File(path) => Some(path),
            Origin::Member { .. } => None,
        }
    }

    /// An archive member's CRC-32 and unpacked size as the zip's central
    /// directory lists them: what it holds, known without inflating it
    /// (reading the member checks its bytes against that CRC). `None` for a
    /// loose file.
    pub fn listed_crc32(&self) -> Option<(u32, u64)> {
        let Origin::Member { zip, index } = &self.origin else { return None };
        zip.by_index_data(*index).ok().map(|entry| (entry.crc32(), entry.size()))
    }
}

/// Gunzip a whole file's bytes when they are gzip data; others pass through.
pub fn gunzip_whole(raw: Vec<u8>) -> Result<Vec<u8>, ParseError> {
    gunzip(raw, None)
}

/// A whole file (or its first `limit` bytes); files larger than any
/// activity are refused before they are read, so memory stays bounded.
fn read_file(path: &Path, limit: Option<u64>) -> Result<Vec<u8>, ParseError> {
    let file = fs::File::open(path).map_err(ParseError::Read)?;
    let cap = limit.unwrap_or(MAX_MEMBER_BYTES + 1);
    // Sized from the file's length (one byte more, so the read ends without
    // growing): growing from empty copied every file several times.
    let len = file.metadata().map_or(0, |m| m.len());
    let mut out = Vec::with_capacity(usize::try_from(len.min(cap).saturating_add(1)).unwrap_or(0));
    file.take(cap).read_to_end(&mut out).map_err(ParseError::Read)?;
    if limit.is_none() && out.len() as u64 > MAX_MEMBER_BYTES {
        return Err(ParseError::TooLarge { limit_mib: MAX_MEMBER_BYTES >> 20 });
    }
    Ok(out)
}

/// Decompress gzip data (a prefix of it when `limit` is set); other bytes pass through.
fn gunzip(bytes: Vec<u8>, limit: Option<u64>) -> Result<Vec<u8>, ParseError> {
    if !bytes.starts_with(GZIP_MAGIC) {
        return Ok(bytes);
    }
    let (cap, by_ratio) = archive::inflate_cap(bytes.len() as u64, MAX_MEMBER_BYTES);
    let cap = limit.unwrap_or(cap);
    let mut out = Vec::with_capacity(usize::try_from(gzip_size_hint(&bytes).min(cap).saturating_add(1)).unwrap_or(0));
    // One byte past the cap tells an oversized stream from one that fits.
    let result = MultiGzDecoder::new(bytes.as_slice()).take(cap + u64::from(limit.is_none())).read_to_end(&mut out);
    match result {
        // A sniffed prefix of a gzip stream ends early by design.
        Err(_) if limit.is_some() => Ok(out),
        Err(e) => Err(ParseError::Gzip(e)),
        Ok(_) if limit.is_none() && out.len() as u64 > cap => Err(archive::too_large(by_ratio, MAX_MEMBER_BYTES)),
        Ok(_) => Ok(out),
    }
}

/// The uncompressed size a gzip stream's trailer states (modulo 4 GiB; of
/// the last member only, when several are chained): a capacity hint, never
/// trusted as a limit.
fn gzip_size_hint(bytes: &[u8]) -> u64 {
    bytes.last_chunk::<4>().map_or(0, |&t| u64::from(u32::from_le_bytes(t)))
}

/// What a file name or its first bytes say it is.
#[derive(Debug, PartialEq, Eq)]
enum Kind {
    Activity,
    Zip,
    StravaIndex,
    Other,
}

fn kind_by_name(name: &str) -> Option<Kind> {
    let lower = name.to_ascii_lowercase();
    let base = lower.rsplit(['/', '\\']).next().unwrap_or(&lower);
    if base == STRAVA_INDEX {
        return Some(Kind::StravaIndex);
    }
    if Path::new(&lower).extension().is_some_and(|e| e == "zip") {
        return Some(Kind::Zip);
    }
    Format::from_extension(&lower).map(|_| Kind::Activity)
}

fn kind_by_content(prefix: Vec<u8>) -> Kind {
    if prefix.starts_with(b"PK\x03\x04") {
        return Kind::Zip;
    }
    match gunzip(prefix, Some(SNIFF_BYTES)) {
        Ok(bytes) if Format::sniff(&bytes).is_some() => Kind::Activity,
        _ => Kind::Other,
    }
}

/// Walks inputs and collects sources; the Strava index is applied at the end.
#[derive(Default)]
struct Walker {
    found: Discovered,
    /// Strava metadata keyed by the label the activity file will have.
    strava: HashMap<String, StravaMeta>,
    /// Real folders walked for the current input (symlink loops end here).
    visited_dirs: HashSet<PathBuf>,
    /// Per source, in step with `found.sources`: what it is on disk (real
    /// path, then member names), so one file reached twice is read once.
    identities: Vec<String>,
    /// Real paths of the files counted as ignored.
    ignored: HashSet<PathBuf>,
}

/// Discover sources under the given paths. Never fails: a missing or
/// unreadable input becomes a skipped entry with the reason.
pub fn discover(inputs: &[PathBuf]) -> Discovered {
    let mut w = Walker::default();
    for input in inputs {
        // Every input is walked whole, even a folder inside another one, so
        // which name a file keeps does not depend on the order of the inputs.
        w.visited_dirs.clear();
        w.input(input);
    }
    w.finish()
}

/// Discover the sources of an in-memory zip (the embedded demo export).
pub fn discover_zip_bytes(label: &str, bytes: &'static [u8]) -> Discovered {
    let mut w = Walker::default();
    w.zip(label, label, ArchiveReader::memory(bytes), 1);
    w.finish()
}

impl Walker {
    fn finish(mut self) -> Discovered {
        let sources = std::mem::take(&mut self.found.sources).into_iter().zip(self.identities);
        let (mut sources, duplicates) = same_file::one_per_file(sources.collect());
        for source in &mut sources {
            source.strava = self.strava.get(&source.label).cloned();
        }
        self.found.sources = sources;
        self.found.duplicates = duplicates;
        self.found.ignored += self.ignored.len();
        // A missing input named twice is one problem.
        self.found.skipped.sort();
        self.found.skipped.dedup();
        self.found
    }

    fn push(&mut self, source: Source, identity: String) {
        self.found.sources.push(source);
        self.identities.push(identity);
    }

    fn skip(&mut self, source: String, reason: impl Into<String>) {
        self.found.skipped.push(Skipped::new(source, reason.into()));
    }

    fn input(&mut self, path: &Path) {
        let label = path.display().to_string();
        match fs::metadata(path) {
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => self.skip(label, "no such file or folder"),
            Err(e) => self.skip(label, format!("cannot read: {e}")),
            Ok(m) if m.is_dir() => self.dir(path),
            // Named explicitly: always a candidate; parsing says what it is.
            Ok(_) => {
                let real = fs::canonicalize(path).unwrap_or_else(|_| path.to_path_buf());
                match kind_by_name(&label) {
                    Some(Kind::Zip) => self.zip_file(path, &real),
                    Some(Kind::StravaIndex) => self.strava_index_file(path),
                    _ if sniff_file(path) == Kind::Zip => self.zip_file(path, &real),
                    _ => self.file_source(path, &real),
                }
            }
        }
    }

    fn dir(&mut self, dir: &Path) {
        let label = dir.display().to_string();
        // Symlink loops: each real folder is walked once.
        let real_dir = match fs::canonicalize(dir) {
            Ok(real) => real,
            Err(e) => return self.skip(label, format!("cannot read folder: {e}")),
        };
        if !self.visited_dirs.insert(real_dir.clone()) {
            return;
        }
        let mut entries = Vec::new();
        match fs::read_dir(dir) {
            Ok(rd) => {
                for entry in rd {
                    match entry {
                        Ok(e) => entries.push((e.path(), e.file_type().is_ok_and(|t| t.is_symlink()))),
                        Err(e) => self.skip(label.clone(), format!("cannot read an entry of this folder: {e}")),
                    }
                }
            }
            Err(e) => return self.skip(label, format!("cannot read folder: {e}")),
        }
        entries.sort();
        for (path, link) in entries {
            let name = path.display().to_string();
            // Only a link needs resolving: anything else is where it is listed.
            let real = match path.file_name() {
                Some(base) if !link => real_dir.join(base),
                _ => fs::canonicalize(&path).unwrap_or_else(|_| path.clone()),
            };
            match fs::metadata(&path) {
                Ok(m) if m.is_dir() => self.dir(&path),
                Ok(_) => match kind_by_name(&name).unwrap_or_else(|| sniff_file(&path)) {
                    Kind::Activity => self.file_source(&path, &real),
                    Kind::Zip => self.zip_file(&path, &real),
                    Kind::StravaIndex => self.strava_index_file(&path),
                    Kind::Other => {
                        self.ignored.insert(real);
                    }
                },
                // A dangling symlink or a file we may not read.
                Err(e) => self.skip(name, format!("cannot read: {e}")),
            }
        }
    }

    fn file_source(&mut self, path: &Path, real: &Path) {
        let source =
            Source { label: path.display().to_string(), origin: Origin::File(path.to_path_buf()), strava: None };
        self.push(source, real.display().to_string());
    }

    fn strava_index_file(&mut self, path: &Path) {
        let label = path.display().to_string();
        match fs::read(path) {
            Ok(bytes) => {
                let base = path.parent().map(|p| p.display().to_string()).unwrap_or_default();
                self.add_strava_index(&bytes, &base, std::path::MAIN_SEPARATOR, &label);
            }
            Err(e) => self.skip(label, strava_unreadable(&e)),
        }
    }

    /// Index keys are activity labels: the CSV's folder joined with the
    /// `activities/…` path it lists. Rows that cannot be read are reported
    /// against the CSV (`label`): their activities keep the file's own name.
    fn add_strava_index(&mut self, bytes: &[u8], base: &str, sep: char, label: &str) {
        let index = strava::parse_activities_csv(bytes);
        if let Some(bad) = index.malformed() {
            self.skip(label.to_owned(), bad);
        }
        for (file, meta) in index.rows {
            let file = file.replace('/', &sep.to_string());
            let key = if base.is_empty() || base.ends_with('!') {
                format!("{base}{file}")
            } else {
                format!("{base}{sep}{file}")
            };
            self.strava.insert(key, meta);
        }
    }

    fn zip_file(&mut self, path: &Path, real: &Path) {
        let label = path.display().to_string();
        match ArchiveReader::open(path) {
            Ok(reader) => self.zip(&label, &real.display().to_string(), reader, 1),
            Err(e) => self.skip(label, format!("cannot read: {e}")),
        }
    }

    /// `identity` names the zip on disk (its real path, then member names).
    fn zip(&mut self, label: &str, identity: &str, reader: ArchiveReader, depth: usize) {
        let zip = match archive::open(reader) {
            Ok(zip) => zip,
            Err(reason) => return self.skip(label.to_owned(), reason),
        };
        let (mut members, undecodable) = archive::file_members(&zip);
        for (index, e) in undecodable {
            self.skip(format!("{label}!#{index}"), format!("a member whose name cannot be read ({e}): skipped"));
        }
        members.sort_by(|a, b| a.1.cmp(&b.1));
        for (index, name) in members {
            let member_label = format!("{label}!{name}");
            let member_identity = format!("{identity}!{name}");
            let kind = kind_by_name(&name).unwrap_or_else(|| {
                archive::read_member(&zip, index, Some(SNIFF_BYTES)).map_or(Kind::Other, kind_by_content)
            });
            match kind {
                Kind::Activity => {
                    let origin = Origin::Member { zip: zip.clone(), index };
                    self.push(Source { label: member_label, origin, strava: None }, member_identity);
                }
                Kind::Zip => self.nested_zip(&zip, index, member_label, &member_identity, depth),
                Kind::StravaIndex => match archive::read_member(&zip, index, None) {
                    Ok(bytes) => {
                        let dir = name.rsplit_once('/').map_or(String::new(), |(d, _)| format!("{d}/"));
                        self.add_strava_index(&bytes, &format!("{label}!{dir}"), '/', &member_label);
                    }
                    Err(e) => self.skip(member_label, strava_unreadable(&e)),
                },
                Kind::Other => {
                    self.ignored.insert(PathBuf::from(member_identity));
                }
            }
        }
    }

    fn nested_zip(&mut self, zip: &Zip, index: usize, label: String, identity: &str, depth: usize) {
        if depth >= MAX_ZIP_DEPTH {
            return self
                .skip(label, format!("zip nested more than {MAX_ZIP_DEPTH} levels deep: refusing to unpack it"));
        }
        match archive::spool_member(zip, index) {
            Ok(reader) => self.zip(&label, identity, reader, depth + 1),
            Err(e) => self.skip(label, e.to_string()),
        }
    }
}

fn strava_unreadable(e: &dyn std::fmt::Display) -> String {
    format!("cannot read Strava's activity index ({e}): activities keep the names and sports in their files")
}

fn sniff_file(path: &Path) -> Kind {
    read_file(path, Some(SNIFF_BYTES)).map_or(Kind::Other, kind_by_content)
}

#[cfg(test)]
mod tests;
