//! Where the cache lives and its housekeeping: the default folder, one
//! subfolder per build (entries of other code are never read, and are
//! pruned when a new build first writes), `runlens cache info` and
//! `runlens cache clear`, which only ever remove runlens's own subfolders.

use std::ffi::OsString;
use std::fs;
use std::io;
use std::path::{Path, PathBuf};

use super::key::{BUILD_ID, ENTRY_FORMAT};

/// Marks the folder as a cache for backup tools (<https://bford.info/cachedir/>).
const TAG_FILE: &str = "CACHEDIR.TAG";
const TAG: &str = "Signature: 8a477f597d28d172789f06886806bc55\n\
# This file marks runlens's cache of analyzed activity files (runlens cache clear empties it).\n";
const BUILD_PREFIX: &str = "build-";
pub const ENTRY_SUFFIX: &str = ".entry";

#[derive(Debug, thiserror::Error)]
pub enum CacheError {
    #[error("cannot write to the cache folder {path}: {source}")]
    Write { path: PathBuf, source: io::Error },
    #[error("cannot remove {path} from the cache: {source}")]
    Remove { path: PathBuf, source: io::Error },
    #[error("cannot list the cache folder {path}: {source}")]
    List { path: PathBuf, source: io::Error },
}

impl CacheError {
    pub fn path(&self) -> &Path {
        match self {
            CacheError::Write { path, .. } | CacheError::Remove { path, .. } | CacheError::List { path, .. } => path,
        }
    }
}

/// The default cache folder: `$XDG_CACHE_HOME/runlens`; else the platform's
/// cache folder under the home (`~/Library/Caches/runlens` on macOS,
/// `%LOCALAPPDATA%\runlens` on Windows, `~/.cache/runlens` elsewhere).
/// `None` when the environment names no home: then nothing is cached.
pub fn default_dir(env: impl Fn(&str) -> Option<OsString>) -> Option<PathBuf> {
    let absolute = |name: &str| env(name).map(PathBuf::from).filter(|p| p.is_absolute());
    if let Some(xdg) = absolute("XDG_CACHE_HOME") {
        return Some(xdg.join("runlens"));
    }
    if cfg!(windows) {
        return absolute("LOCALAPPDATA").map(|dir| dir.join("runlens"));
    }
    let home = absolute("HOME")?;
    let base = if cfg!(target_os = "macos") { home.join("Library/Caches") } else { home.join(".cache") };
    Some(base.join("runlens"))
}

/// This build's subfolder of `root`.
pub fn build_dir(root: &Path) -> PathBuf {
    root.join(format!("{BUILD_PREFIX}{ENTRY_FORMAT}-{BUILD_ID}"))
}

/// Create this build's subfolder (and the tag); when it is new, remove the
/// subfolders older builds left, which this build never reads.
pub fn prepare(root: &Path) -> Result<PathBuf, CacheError> {
    let dir = build_dir(root);
    if dir.is_dir() {
        return Ok(dir);
    }
    fs::create_dir_all(&dir).map_err(|source| CacheError::Write { path: dir.clone(), source })?;
    let tag = root.join(TAG_FILE);
    if !tag.exists() {
        fs::write(&tag, TAG).map_err(|source| CacheError::Write { path: tag, source })?;
    }
    // Best effort: another runlens may be using them, or they may be gone.
    for (old, _) in builds(root).unwrap_or_default().into_iter().filter(|(path, _)| *path != dir) {
        let _ = fs::remove_dir_all(old);
    }
    Ok(dir)
}

/// Entries and bytes held.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Usage {
    pub entries: usize,
    pub bytes: u64,
}

impl Usage {
    fn add(&mut self, other: Usage) {
        self.entries += other.entries;
        self.bytes += other.bytes;
    }
}

/// What `runlens cache info` shows.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Info {
    /// Entries this build reads.
    pub current: Usage,
    /// Entries of other builds, never read again.
    pub stale: Usage,
}

pub fn info(root: &Path) -> Result<Info, CacheError> {
    let mut info = Info::default();
    let current = build_dir(root);
    for (dir, usage) in builds(root)? {
        if dir == current { info.current.add(usage) } else { info.stale.add(usage) }
    }
    Ok(info)
}

/// Remove every build's subfolder and the tag (and `root` when that leaves
/// it empty); anything else in `root` is left alone.
pub fn clear(root: &Path) -> Result<Usage, CacheError> {
    let mut removed = Usage::default();
    for (dir, usage) in builds(root)? {
        fs::remove_dir_all(&dir).map_err(|source| CacheError::Remove { path: dir, source })?;
        removed.add(usage);
    }
    let tag = root.join(TAG_FILE);
    match fs::remove_file(&tag) {
        Err(e) if e.kind() != io::ErrorKind::NotFound => return Err(CacheError::Remove { path: tag, source: e }),
        _ => {}
    }
    // Only succeeds when empty: a folder the user shares with other files stays.
    let _ = fs::remove_dir(root);
    Ok(removed)
}

/// The build subfolders of `root` with what each holds (none when `root`
/// does not exist).
fn builds(root: &Path) -> Result<Vec<(PathBuf, Usage)>, CacheError> {
    let list = |path: &Path, source| CacheError::List { path: path.to_path_buf(), source };
    let entries = match fs::read_dir(root) {
        Err(e) if e.kind() == io::ErrorKind::NotFound => return Ok(Vec::new()),
        other => other.map_err(|e| list(root, e))?,
    };
    let mut out = Vec::new();
    for entry in entries {
        let entry = entry.map_err(|e| list(root, e))?;
        let is_build = entry.file_name().to_string_lossy().starts_with(BUILD_PREFIX);
        if is_build && entry.file_type().is_ok_and(|t| t.is_dir()) {
            let path = entry.path();
            let usage = usage(&path).map_err(|e| list(&path, e))?;
            out.push((path, usage));
        }
    }
    out.sort_by(|a, b| a.0.cmp(&b.0));
    Ok(out)
}

fn usage(dir: &Path) -> io::Result<Usage> {
    let mut usage = Usage::default();
    for entry in fs::read_dir(dir)? {
        let entry = entry?;
        if entry.file_name().to_string_lossy().ends_with(ENTRY_SUFFIX) {
            usage.entries += 1;
        }
        usage.bytes += entry.metadata()?.len();
    }
    Ok(usage)
}

/// `1234567` -> `1.2 MB`, for `runlens cache info` and `clear`.
pub fn human_bytes(bytes: u64) -> String {
    let mb = bytes as f64 / 1e6;
    if mb < 0.1 && bytes > 0 { format!("{} kB", bytes.div_ceil(1000)) } else { format!("{mb:.1} MB") }
}

/// `bytes` as the file `path`, through a temporary file beside it and a
/// rename: a reader (another runlens sharing the folder) sees the old file
/// or the new one, never part of one.
pub fn write_file(path: &Path, bytes: &[u8]) -> io::Result<()> {
    use std::io::Write;
    let dir = path.parent().ok_or_else(|| io::Error::from(io::ErrorKind::InvalidInput))?;
    let mut tmp = tempfile::Builder::new().prefix(".tmp-").tempfile_in(dir)?;
    tmp.write_all(bytes)?;
    tmp.persist(path).map_err(|e| e.error)?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn env(vars: &'static [(&'static str, &'static str)]) -> impl Fn(&str) -> Option<OsString> {
        move |name| vars.iter().find(|(k, _)| *k == name).map(|(_, v)| OsString::from(v))
    }

    #[test]
    #[cfg(all(unix, not(target_os = "macos")))]
    fn the_default_follows_xdg_then_home_and_is_none_without_either() {
        let dir = |vars| default_dir(env(vars));
        assert_eq!(dir(&[("XDG_CACHE_HOME", "/x"), ("HOME", "/h")]), Some(PathBuf::from("/x/runlens")));
        assert_eq!(dir(&[("HOME", "/h")]), Some(PathBuf::from("/h/.cache/runlens")));
        assert_eq!(dir(&[("XDG_CACHE_HOME", "relative"), ("HOME", "/h")]), Some(PathBuf::from("/h/.cache/runlens")));
        assert_eq!(dir(&[]), None);
    }

    #[test]
    fn clear_removes_builds_and_the_tag_but_nothing_else() {
        let root = tempfile::tempdir().unwrap();
        let dir = prepare(root.path()).unwrap();
        fs::write(dir.join(format!("a{ENTRY_SUFFIX}")), b"12345").unwrap();
        let old = root.path().join(format!("{BUILD_PREFIX}0-old"));
        fs::create_dir(&old).unwrap();
        fs::write(old.join(format!("b{ENTRY_SUFFIX}")), b"123").unwrap();
        fs::write(root.path().join("mine.txt"), b"keep").unwrap();
        let seen = info(root.path()).unwrap();
        assert_eq!(seen.current, Usage { entries: 1, bytes: 5 });
        assert_eq!(seen.stale, Usage { entries: 1, bytes: 3 });
        assert_eq!(clear(root.path()).unwrap(), Usage { entries: 2, bytes: 8 });
        let left: Vec<_> = fs::read_dir(root.path()).unwrap().map(|e| e.unwrap().file_name()).collect();
        assert_eq!(left, ["mine.txt"]);
        assert_eq!(clear(&root.path().join("missing")).unwrap(), Usage::default());
    }

    #[test]
    fn a_new_build_prunes_the_folders_of_older_ones() {
        let root = tempfile::tempdir().unwrap();
        let old = root.path().join(format!("{BUILD_PREFIX}0-old"));
        fs::create_dir(&old).unwrap();
        let dir = prepare(root.path()).unwrap();
        assert!(dir.is_dir() && !old.exists());
        assert!(root.path().join(TAG_FILE).is_file());
    }
}
