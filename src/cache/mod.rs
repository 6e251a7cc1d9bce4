//! The per-file cache: what the parallel stage gives for a file (its
//! activities with their summaries, seconds per heart rate, kernels, load inputs
//! and route signatures, or why it could not be parsed) kept on disk, so a
//! re-run reads and analyzes only the files it has not seen. Entries are
//! keyed by the file's content, the build and the settings the values depend
//! on (see `key`); everything history-level (time zones, duplicates, the
//! period, metrics, tables, charts, report) is computed afresh every run, so
//! the cache never changes a result. One entry file per source, written to a
//! temporary file and renamed: concurrent runs sharing a folder never see a
//! half-written entry, and a damaged entry is a miss (see `entry`).

pub mod dir;
pub mod entry;
pub mod key;
pub mod seen;

use std::fs;
use std::path::{Path, PathBuf};
use std::sync::OnceLock;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};

use indicatif::ProgressBar;

use crate::discover::{self, Skipped, Source};
use crate::error::ParseError;
use crate::features::{self, FileOutcome, Ingested, Read, kernel::Settings as KernelSettings};
pub use dir::CacheError;
use entry::{Stored, StoredRef};
use key::Content;
use seen::{Lookup, Seen};

/// A cache folder as one run uses it.
#[derive(Debug)]
pub struct Store {
    root: PathBuf,
    /// This build's subfolder, created on the first write (`None`: it
    /// could not be, and nothing is written this run).
    dir: OnceLock<Option<PathBuf>>,
    /// The loose files as the last run saw them (see `seen`).
    seen: Seen,
    quiet: bool,
    warned: AtomicBool,
    hits: AtomicUsize,
    misses: AtomicUsize,
}

/// How a run used the cache.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Stats {
    /// Sources whose result was read from the cache.
    pub hits: usize,
    /// Sources read and analyzed (and stored, when the folder is writable).
    pub misses: usize,
}

impl Store {
    /// The cache in `root` (created when first written) for a run over
    /// `inputs`. `quiet` silences the warning that it cannot be written.
    pub fn open(root: &Path, inputs: &[PathBuf], quiet: bool) -> Store {
        Store {
            root: root.to_path_buf(),
            dir: OnceLock::new(),
            seen: Seen::load(&dir::build_dir(root), inputs),
            quiet,
            warned: AtomicBool::new(false),
            hits: AtomicUsize::new(0),
            misses: AtomicUsize::new(0),
        }
    }

    pub fn stats(&self) -> Stats {
        Stats { hits: self.hits.load(Ordering::Relaxed), misses: self.misses.load(Ordering::Relaxed) }
    }

    /// One source's result: from its entry when there is a good one, else
    /// read, analyzed and stored. Errors and messages are those of
    /// `features::ingest`, word for word.
    fn ingest_one(&self, source: &Source, pace: &KernelSettings, now_ms: i64) -> Result<Read, Skipped> {
        let skipped = |e: ParseError| Skipped::new(source.label.clone(), e.to_string());
        let (content, raw) = self.content(source).map_err(skipped)?;
        let mut key = key::key_bytes(content, source, pace);
        let mut name = key::file_name(&key);
        if let Some(found) = self.recall(&key, &name, &source.label, now_ms) {
            self.hits.fetch_add(1, Ordering::Relaxed);
            return found;
        }
        self.misses.fetch_add(1, Ordering::Relaxed);
        let bytes = match (raw, source.path()) {
            (Some(raw), _) => discover::gunzip_whole(raw),
            // Known from the index but read now: the result is stored under
            // the bytes analyzed, never under what the index said (the file
            // may have been rewritten since its stat was taken).
            (None, Some(_)) => source.read_raw().and_then(|raw| {
                let read = Content::of_bytes(&raw);
                if read != content {
                    key = key::key_bytes(read, source, pace);
                    name = key::file_name(&key);
                }
                discover::gunzip_whole(raw)
            }),
            (None, None) => source.read(),
        }
        .map_err(skipped)?;
        let outcome = features::analyze_file(source, bytes, pace, now_ms);
        let stored = match &outcome {
            Ok(outcome) => StoredRef::Outcome(outcome),
            Err(e) => StoredRef::Failed { reason: e.to_string() },
        };
        self.remember(&key, &name, &stored);
        let outcome: FileOutcome = outcome.map_err(skipped)?;
        // Checked against the clock it was analyzed by: nothing left out is due.
        Ok(outcome.on_calendar(&source.label, now_ms).unwrap_or_default())
    }

    /// What `source` holds, known cheaply: an archive member's from the
    /// zip's index, a loose file's from what the last run saw of it (see
    /// `seen`), else read and hashed (the bytes then serve a miss).
    fn content(&self, source: &Source) -> Result<(Content, Option<Vec<u8>>), ParseError> {
        if let Some((crc32, len)) = source.listed_crc32() {
            return Ok((Content::Member { crc32, len }, None));
        }
        let stat = match source.path().map(|path| (path, self.seen.lookup(path))) {
            Some((_, Lookup::Known(content))) => return Ok((content, None)),
            Some((path, Lookup::Unknown(Some(stat)))) => Some((path, stat)),
            _ => None,
        };
        let raw = source.read_raw()?;
        let content = Content::of_bytes(&raw);
        if let Some((path, stat)) = stat {
            self.seen.learn(path, stat, content);
        }
        Ok((content, Some(raw)))
    }

    /// The result kept for `key`, when its entry is intact and still holds
    /// for today's calendar.
    fn recall(&self, key: &[u8], name: &str, label: &str, now_ms: i64) -> Option<Result<Read, Skipped>> {
        let bytes = fs::read(dir::build_dir(&self.root).join(name)).ok()?;
        match entry::decode(key, &bytes)? {
            Stored::Failed { reason } => Some(Err(Skipped::new(label, reason))),
            Stored::Outcome(outcome) => outcome.on_calendar(label, now_ms).map(Ok),
        }
    }

    /// Write the entry for `key` (temporary file, then rename); a folder
    /// that cannot be written is said once, and the run goes on.
    fn remember(&self, key: &[u8], name: &str, stored: &StoredRef<'_>) {
        let Some(dir) = self.dir.get_or_init(|| dir::prepare(&self.root).map_err(|e| self.warn(&e)).ok()) else {
            return;
        };
        let Some(bytes) = entry::encode(key, stored) else { return };
        if let Err(source) = dir::write_file(&dir.join(name), &bytes) {
            let e = CacheError::Write { path: dir.clone(), source };
            self.warn(&e);
        }
    }

    fn warn(&self, e: &CacheError) {
        if !self.quiet && !self.warned.swap(true, Ordering::Relaxed) {
            eprintln!(
                "warning: {e}; this run's results are not kept for the next (pass --cache DIR to use another folder, or --no-cache)"
            );
        }
    }
}

/// `features::ingest` through the cache: files with a good entry are not
/// parsed again. Without a store, exactly `features::ingest`.
pub fn ingest(sources: &[Source], progress: &ProgressBar, pace: &KernelSettings, store: Option<&Store>) -> Ingested {
    let Some(store) = store else { return features::ingest(sources, progress, pace) };
    let now_ms = features::now_ms();
    features::ingest_with(sources, progress, |source| store.ingest_one(source, pace, now_ms))
}

impl Store {
    /// Keep what this run saw of the loose files for the next run.
    pub fn finish(self) {
        if self.dir.get_or_init(|| dir::prepare(&self.root).map_err(|e| self.warn(&e)).ok()).is_some() {
            self.seen.save();
        }
    }
}

#[cfg(test)]
mod tests;
