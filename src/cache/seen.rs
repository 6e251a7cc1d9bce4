//! Knowing a loose file's content without reading it. A re-run of a
//! 10,000-run export read and hashed a gigabyte to learn that nothing had
//! changed; like git's index, this keeps what the last run saw of each
//! file (size, modification and change times, inode, device) with the
//! content it hashed, and a file that still looks exactly so is not opened.
//!
//! The change time (ctime) is what makes this safe: on local POSIX file
//! systems every write moves it and no tool can set it (unzip, `rsync -t`
//! and `touch -d` restore the modification time only), so a rewritten file
//! never matches. Where the ctime is faked (vfat and exFAT report another
//! time; some FUSE mounts copy the mtime) unstable inode numbers mostly
//! still tell; elsewhere than unix every file is read. A file
//! written within the clock tick it was seen in could, so files changed in
//! the last few seconds are never recorded ("racy" in git's words). A
//! damaged or foreign index is ignored: it can only cost a re-read.

use std::collections::HashMap;
use std::fs;
use std::path::{Path, PathBuf};
use std::sync::Mutex;
use std::sync::atomic::{AtomicBool, Ordering};

use serde::{Deserialize, Serialize};

use super::dir::write_file;
use super::entry::{seal, unseal};
use super::key::Content;

const MAGIC: &[u8; 8] = b"rlseen\x00\x01";
/// Files changed this recently are read every time: far more than any
/// file system's timestamp granularity.
const RACY_NS: i64 = 3_000_000_000;

/// What a `stat` says of a file.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Stat {
    len: u64,
    mtime_ns: i64,
    ctime_ns: i64,
    ino: u64,
    dev: u64,
}

impl Stat {
    #[cfg(unix)]
    pub fn of(path: &Path) -> Option<Stat> {
        use std::os::unix::fs::MetadataExt;
        let m = fs::metadata(path).ok()?;
        Some(Stat {
            len: m.len(),
            mtime_ns: m.mtime().checked_mul(1_000_000_000)?.checked_add(m.mtime_nsec())?,
            ctime_ns: m.ctime().checked_mul(1_000_000_000)?.checked_add(m.ctime_nsec())?,
            ino: m.ino(),
            dev: m.dev(),
        })
    }

    /// Without inodes and change times nothing is safe to trust: every
    /// file is read.
    #[cfg(not(unix))]
    pub fn of(_path: &Path) -> Option<Stat> {
        None
    }

    /// Whether the file was last changed long enough before `now_ns` that
    /// a later change must move its times.
    fn settled(&self, now_ns: i64) -> bool {
        self.mtime_ns.max(self.ctime_ns) < now_ns.saturating_sub(RACY_NS)
    }
}

/// One file as a run saw it.
#[derive(Debug, Clone, Serialize, Deserialize)]
struct Record {
    path: Vec<u8>,
    stat: Stat,
    content: Content,
}

/// The files of one set of inputs as the last run saw them, and as this
/// run sees them (saved for the next).
#[derive(Debug)]
pub struct Seen {
    file: PathBuf,
    before: HashMap<Vec<u8>, (Stat, Content)>,
    now: Mutex<Vec<Record>>,
    learned: AtomicBool,
}

/// A file's content from the index, or what is needed to record it once
/// it has been read.
pub enum Lookup {
    Known(Content),
    Unknown(Option<Stat>),
}

impl Seen {
    /// The index kept in `dir` for `inputs` (none yet: an empty one).
    pub fn load(dir: &Path, inputs: &[PathBuf]) -> Seen {
        let file = dir.join(index_name(inputs));
        let before = fs::read(&file).ok().and_then(|bytes| decode(&bytes)).unwrap_or_default();
        let before = before.into_iter().map(|r| (r.path, (r.stat, r.content))).collect();
        Seen { file, before, now: Mutex::new(Vec::new()), learned: AtomicBool::new(false) }
    }

    /// The content of the loose file at `path` when it looks as it did.
    pub fn lookup(&self, path: &Path) -> Lookup {
        let stat = Stat::of(path);
        let key = path.as_os_str().as_encoded_bytes();
        match (stat, self.before.get(key)) {
            (Some(stat), Some(&(was, content))) if stat == was => {
                self.keep(Record { path: key.to_vec(), stat, content });
                Lookup::Known(content)
            }
            _ => Lookup::Unknown(stat),
        }
    }

    /// `content` was read from `path` after `stat` was taken of it.
    pub fn learn(&self, path: &Path, stat: Stat, content: Content) {
        self.learn_at(path, stat, content, now_ns());
    }

    pub(super) fn learn_at(&self, path: &Path, stat: Stat, content: Content, now_ns: i64) {
        if stat.settled(now_ns) {
            self.keep(Record { path: path.as_os_str().as_encoded_bytes().to_vec(), stat, content });
            self.learned.store(true, Ordering::Relaxed);
        }
    }

    fn keep(&self, record: Record) {
        self.now.lock().unwrap_or_else(std::sync::PoisonError::into_inner).push(record);
    }

    /// Write what this run saw into `dir` (temporary file, then rename),
    /// when it differs from what was there; files no longer among the
    /// inputs are dropped. Best effort: a lost index costs a re-read.
    pub fn save(self) {
        let mut now = self.now.into_inner().unwrap_or_else(std::sync::PoisonError::into_inner);
        if !self.learned.into_inner() && now.len() == self.before.len() {
            return;
        }
        now.sort_by(|a, b| a.path.cmp(&b.path));
        if let Some(bytes) = encode(&now) {
            let _ = write_file(&self.file, &bytes);
        }
    }
}

/// One index per set of inputs (as absolute paths), so that athletes of a
/// squad, or two exports, never overwrite each other's.
fn index_name(inputs: &[PathBuf]) -> String {
    let mut names: Vec<Vec<u8>> = inputs
        .iter()
        .map(|p| std::path::absolute(p).unwrap_or_else(|_| p.clone()).into_os_string().into_encoded_bytes())
        .collect();
    names.sort();
    format!("seen-{:032x}.index", xxhash_rust::xxh3::xxh3_128(&names.join(&0u8)))
}

fn now_ns() -> i64 {
    let since = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).unwrap_or_default();
    i64::try_from(since.as_nanos()).unwrap_or(i64::MAX)
}

fn encode(records: &[Record]) -> Option<Vec<u8>> {
    Some(seal(postcard::to_extend(records, MAGIC.to_vec()).ok()?))
}

fn decode(bytes: &[u8]) -> Option<Vec<Record>> {
    postcard::from_bytes(unseal(bytes)?.strip_prefix(MAGIC)?).ok()
}

#[cfg(test)]
#[cfg(unix)]
mod tests {
    use super::*;

    fn content(b: &[u8]) -> Content {
        Content::of_bytes(b)
    }

    /// A minute from now: what was written in the test has settled by then
    /// (its change time cannot be set back).
    fn later() -> i64 {
        now_ns() + 60_000_000_000
    }

    /// A folder holding `run.fit` ("abc") and the index one run left of it,
    /// having recorded it as of `now`.
    struct Seen1 {
        dir: tempfile::TempDir,
        run: PathBuf,
        inputs: [PathBuf; 1],
        index: PathBuf,
    }

    fn seen_once(now: i64) -> Seen1 {
        let dir = tempfile::tempdir().unwrap();
        let run = dir.path().join("run.fit");
        fs::write(&run, b"abc").unwrap();
        let inputs = [dir.path().to_path_buf()];
        let seen = Seen::load(dir.path(), &inputs);
        let Lookup::Unknown(Some(stat)) = seen.lookup(&run) else { panic!("known before it was seen") };
        seen.learn_at(&run, stat, content(b"abc"), now);
        let index = seen.file.clone();
        seen.save();
        Seen1 { dir, run, inputs, index }
    }

    impl Seen1 {
        fn lookup(&self) -> Lookup {
            Seen::load(self.dir.path(), &self.inputs).lookup(&self.run)
        }
    }

    #[test]
    fn a_file_seen_before_is_known_without_reading_and_a_new_one_is_not() {
        let s = seen_once(later());
        assert!(matches!(s.lookup(), Lookup::Known(c) if c == content(b"abc")));
        // Another set of inputs has its own index.
        let other = Seen::load(s.dir.path(), &[s.dir.path().join("elsewhere")]);
        assert!(matches!(other.lookup(&s.run), Lookup::Unknown(_)));
    }

    #[test]
    fn a_file_rewritten_with_its_old_size_and_modification_time_is_read_again() {
        // The bug this guards against: trusting size and mtime alone, as
        // an export unzipped again (times restored) would defeat.
        let s = seen_once(later());
        let mtime = fs::metadata(&s.run).unwrap().modified().unwrap();
        // Past the file system's clock tick (a second on some), as any real
        // rewrite is.
        std::thread::sleep(std::time::Duration::from_millis(1100));
        fs::write(&s.run, b"xyz").unwrap();
        fs::File::options().write(true).open(&s.run).unwrap().set_modified(mtime).unwrap();
        assert!(matches!(s.lookup(), Lookup::Unknown(_)));
    }

    #[test]
    fn a_file_changed_seconds_ago_is_never_recorded() {
        assert!(matches!(seen_once(now_ns()).lookup(), Lookup::Unknown(_)));
    }

    #[test]
    fn a_damaged_index_is_ignored() {
        let s = seen_once(later());
        let mut bytes = fs::read(&s.index).unwrap();
        let last = bytes.len() - 20;
        bytes[last] ^= 1;
        fs::write(&s.index, bytes).unwrap();
        assert!(matches!(s.lookup(), Lookup::Unknown(_)));
    }
}
