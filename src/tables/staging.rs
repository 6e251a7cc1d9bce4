//! The output folder is built beside its final place and swapped in whole
//! once every file is written: an interrupted or failed run leaves the
//! previous result as it was, and nobody ever reads a mix of two runs.

use std::ffi::OsString;
use std::fs;
use std::path::{Path, PathBuf};
use std::sync::mpsc;

use super::SUMMARY_JSON;
use super::squad::SQUAD_CSV;
use crate::error::Error;

const STAGING: &str = "runlens-staging";
const OLD: &str = "runlens-old";

/// A folder being filled, to become `target` on `commit`.
#[derive(Debug)]
pub struct Staging {
    target: PathBuf,
    dir: PathBuf,
    /// Puts files on disk in the background as they are finished, from
    /// [`Staging::sync_written_so_far`] on.
    early: Option<Syncer>,
}

/// A thread that syncs each file it is sent, in order, and returns the
/// files it synced.
#[derive(Debug)]
struct Syncer {
    files: mpsc::Sender<PathBuf>,
    thread: std::thread::JoinHandle<std::io::Result<Vec<PathBuf>>>,
}

impl Syncer {
    fn start() -> Option<Syncer> {
        let (files, received) = mpsc::channel::<PathBuf>();
        let sync = move || {
            let mut synced = Vec::new();
            for path in received {
                match fs::File::open(&path).and_then(|f| f.sync_data()) {
                    Ok(()) => synced.push(path),
                    // Renamed since it was listed (a file still being
                    // written): `commit` syncs it under its final name.
                    Err(e) if e.kind() == std::io::ErrorKind::NotFound => {}
                    // A failed sync fails the run: a second try on a new
                    // handle may report success for data that never reached
                    // the disk.
                    Err(e) => return Err(std::io::Error::new(e.kind(), format!("{}: {e}", path.display()))),
                }
            }
            Ok(synced)
        };
        let thread = std::thread::Builder::new().name("runlens-sync".into()).spawn(sync).ok()?;
        Some(Syncer { files, thread })
    }

    /// The files synced, once every file sent is; a thread that panicked
    /// leaves every file to `commit`.
    fn finish(self) -> std::io::Result<Vec<PathBuf>> {
        drop(self.files);
        self.thread.join().unwrap_or(Ok(Vec::new()))
    }
}

impl Staging {
    /// Start a new output for `target`, refusing to replace a folder that is
    /// not a runlens output (so `--out ~/Documents` cannot wipe documents).
    pub fn new(target: &Path) -> Result<Staging, Error> {
        Staging::marked(target, SUMMARY_JSON)
    }

    /// As `new`, for an output recognised by `marker` (`squad.csv` for a
    /// squad output, `summary.json` for one athlete's).
    pub fn marked(target: &Path, marker: &str) -> Result<Staging, Error> {
        check_output(target, marker)?;
        let parent = parent_of(target);
        let write = |source| Error::Write { path: parent.clone(), source };
        fs::create_dir_all(&parent).map_err(write)?;
        clean_leftovers(target);
        let dir = tempfile::Builder::new().prefix(&hidden(target, STAGING)).tempdir_in(&parent).map_err(write)?.keep();
        #[cfg(unix)]
        fs::set_permissions(&dir, std::os::unix::fs::PermissionsExt::from_mode(0o755))
            .map_err(|source| Error::Write { path: dir.clone(), source })?;
        Ok(Staging { target: target.to_path_buf(), dir, early: None })
    }

    /// Where to write this run's files.
    pub fn path(&self) -> &Path {
        &self.dir
    }

    /// When an earlier result is to be replaced, start putting the files
    /// written so far on disk in the background, so the disk writes them
    /// while the rest is drawn and `commit` waits only for the rest (once:
    /// later calls do nothing). From then on, a file written is either
    /// passed to [`Staging::sync_later`] once finished or has a new name: a
    /// path synced here is not synced again by `commit`.
    pub fn sync_written_so_far(&mut self) {
        if self.early.is_some() || !self.target.exists() {
            return;
        }
        self.early = Syncer::start();
        let mut files = Vec::new();
        // A folder it cannot list is left whole to `commit`.
        if list_files(&self.dir, &mut files).is_ok() {
            for path in &files {
                self.sync_later(path);
            }
        }
    }

    /// Put a finished file on disk in the background, when
    /// [`Staging::sync_written_so_far`] started doing so.
    pub fn sync_later(&self, path: &Path) {
        if let Some(early) = &self.early {
            // A thread that stopped has either failed the run (`commit`
            // returns its error) or left every file to `commit`.
            let _ = early.files.send(path.to_path_buf());
        }
    }

    /// Swap the finished folder in: two renames, the old result deleted
    /// only once the new one is in place. Files are written without a sync
    /// each (a first result a power cut loses is made again by running
    /// again); when an earlier result is to be replaced, the new files are
    /// synced first, so a power cut leaves one of the two whole.
    pub fn commit(mut self) -> Result<(), Error> {
        let fail = |source| Error::Write { path: self.target.clone(), source };
        let synced = self.early.take().map_or(Ok(Vec::new()), Syncer::finish);
        let old = self
            .target
            .exists()
            .then(|| parent_of(&self.target).join(format!("{}-{}", hidden(&self.target, OLD), std::process::id())));
        if let Some(old) = &old {
            sync_tree(&self.dir, &synced.map_err(fail)?).map_err(fail)?;
            fs::rename(&self.target, old).map_err(fail)?;
        }
        if let Err(e) = fs::rename(&self.dir, &self.target) {
            if let Some(old) = &old {
                let _ = fs::rename(old, &self.target);
            }
            return Err(fail(e));
        }
        if let Some(old) = old {
            let _ = fs::remove_dir_all(old);
        }
        Ok(())
    }
}

impl Drop for Staging {
    /// A run that fails before `commit` leaves nothing behind.
    fn drop(&mut self) {
        if let Some(early) = self.early.take() {
            let _ = early.finish();
        }
        let _ = fs::remove_dir_all(&self.dir);
    }
}

/// Every file under `dir` on disk. All at once: the file system commits
/// their metadata together, where one sync after another waits for a
/// journal commit each (22 files took 12-19 ms one by one).
fn sync_tree(dir: &Path, synced: &[PathBuf]) -> std::io::Result<()> {
    use rayon::prelude::*;
    let mut files = Vec::new();
    list_files(dir, &mut files)?;
    files.retain(|path| !synced.contains(path));
    files.par_iter().try_for_each(|path| fs::File::open(path)?.sync_data())
}

fn list_files(dir: &Path, out: &mut Vec<PathBuf>) -> std::io::Result<()> {
    for entry in fs::read_dir(dir)? {
        let entry = entry?;
        if entry.file_type()?.is_dir() {
            list_files(&entry.path(), out)?;
        } else {
            out.push(entry.path());
        }
    }
    Ok(())
}

fn parent_of(path: &Path) -> PathBuf {
    match path.parent() {
        Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
        _ => PathBuf::from("."),
    }
}

/// ".runlens-out.runlens-staging-": hidden, and named after the output.
fn hidden(target: &Path, what: &str) -> String {
    let name = target.file_name().map_or_else(|| OsString::from("out"), ToOwned::to_owned);
    format!(".{}.{what}-", name.to_string_lossy())
}

/// Folders left by a run that was killed (Ctrl-C, power loss): staging
/// folders are removed; an old result whose replacement never arrived is
/// put back.
fn clean_leftovers(target: &Path) {
    let parent = parent_of(target);
    let Ok(entries) = fs::read_dir(&parent) else { return };
    let (staging, old) = (hidden(target, STAGING), hidden(target, OLD));
    for entry in entries.flatten() {
        let name = entry.file_name().to_string_lossy().into_owned();
        if name.starts_with(&staging) {
            let _ = fs::remove_dir_all(entry.path());
        } else if name.starts_with(&old) {
            if target.exists() {
                let _ = fs::remove_dir_all(entry.path());
            } else {
                let _ = fs::rename(entry.path(), target);
            }
        }
    }
}

/// Whether `target` may become (or be replaced by) a runlens output: checked
/// before a run does its work, and again when the staging folder is made.
pub fn check_replaceable(target: &Path) -> Result<(), Error> {
    check_output(target, SUMMARY_JSON)
}

/// Whether `target` may become (or replace) the output that holds `marker`.
pub fn check_output(target: &Path, marker: &str) -> Result<(), Error> {
    let Ok(mut entries) = fs::read_dir(target) else {
        return if target.exists() {
            Err(Error::Config(format!("--out {} exists and is not a folder", target.display())))
        } else {
            Ok(())
        };
    };
    if entries.next().is_none() || target.join(marker).exists() {
        return Ok(());
    }
    // One athlete's output and a squad's never replace each other.
    let (other, what) = if marker == SQUAD_CSV {
        (SUMMARY_JSON, "one athlete's runlens output (from `runlens analyze` without --athletes/--roster)")
    } else {
        (SQUAD_CSV, "a squad output (from `runlens analyze --athletes/--roster`)")
    };
    if target.join(other).exists() {
        return Err(Error::Config(format!(
            "--out {} holds {what}: pick another folder, or delete it first",
            target.display()
        )));
    }
    Err(Error::Config(format!(
        "--out {} is a folder with other files in it, not a runlens output: pick a new or empty folder",
        target.display()
    )))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A staging folder for `out` whose summary says `text`.
    fn staged(out: &Path, text: &str) -> Staging {
        let s = Staging::new(out).unwrap();
        fs::write(s.path().join(SUMMARY_JSON), text).unwrap();
        s
    }

    #[test]
    fn commit_swaps_the_whole_folder_and_failure_keeps_the_old_one() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("out");
        let first = staged(&out, "1");
        fs::write(first.path().join("only-in-first.csv"), "x").unwrap();
        first.commit().unwrap();
        let second = staged(&out, "2");
        drop(second); // a failed run
        assert_eq!(fs::read_to_string(out.join(SUMMARY_JSON)).unwrap(), "1");
        let third = staged(&out, "3");
        third.commit().unwrap();
        assert_eq!(fs::read_to_string(out.join(SUMMARY_JSON)).unwrap(), "3");
        assert!(!out.join("only-in-first.csv").exists(), "nothing of the previous run mixed in");
        let names: Vec<_> = fs::read_dir(dir.path()).unwrap().map(|e| e.unwrap().file_name()).collect();
        assert_eq!(names, ["out"], "no staging or old folders left");
    }

    #[test]
    fn files_synced_early_and_files_written_after_both_make_the_result() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("out");
        let first = staged(&out, "1");
        first.commit().unwrap();
        let mut second = staged(&out, "2");
        second.sync_written_so_far();
        fs::create_dir_all(second.path().join("charts")).unwrap();
        let chart = second.path().join("charts").join("volume.png");
        fs::write(&chart, "png").unwrap();
        second.sync_later(&chart);
        fs::write(second.path().join("report.html"), "html").unwrap();
        second.commit().unwrap();
        assert_eq!(fs::read_to_string(out.join(SUMMARY_JSON)).unwrap(), "2");
        assert_eq!(fs::read_to_string(out.join("charts").join("volume.png")).unwrap(), "png");
        assert_eq!(fs::read_to_string(out.join("report.html")).unwrap(), "html");
        // A failed run that had started syncing leaves nothing behind.
        let mut third = staged(&out, "3");
        third.sync_written_so_far();
        drop(third);
        assert_eq!(fs::read_to_string(out.join(SUMMARY_JSON)).unwrap(), "2");
        assert_eq!(fs::read_dir(dir.path()).unwrap().count(), 1);
    }

    #[test]
    fn the_sync_thread_syncs_what_it_is_sent_in_order_and_leaves_vanished_files_to_commit() {
        let dir = tempfile::tempdir().unwrap();
        let (a, gone, b) = (dir.path().join("a.csv"), dir.path().join("gone.tmp"), dir.path().join("b.png"));
        fs::write(&a, "a").unwrap();
        fs::write(&b, "b").unwrap();
        let syncer = Syncer::start().unwrap();
        for path in [&b, &gone, &a] {
            syncer.files.send(path.clone()).unwrap();
        }
        assert_eq!(syncer.finish().unwrap(), [b, a]);
    }

    #[test]
    fn a_first_result_starts_no_sync_thread() {
        let dir = tempfile::tempdir().unwrap();
        let mut first = staged(&dir.path().join("out"), "1");
        first.sync_written_so_far();
        assert!(first.early.is_none(), "nothing to replace, nothing to sync early");
        first.commit().unwrap();
    }

    #[test]
    fn a_killed_run_is_cleaned_up_and_a_folder_of_other_files_is_refused() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("out");
        // Killed between the two renames: the old result is put back.
        let old = dir.path().join(format!("{}123", hidden(&out, OLD)));
        fs::create_dir_all(&old).unwrap();
        fs::write(old.join(SUMMARY_JSON), "old").unwrap();
        fs::create_dir_all(dir.path().join(format!("{}abc", hidden(&out, STAGING)))).unwrap();
        let s = Staging::new(&out).unwrap();
        assert_eq!(fs::read_to_string(out.join(SUMMARY_JSON)).unwrap(), "old");
        drop(s);
        assert_eq!(fs::read_dir(dir.path()).unwrap().count(), 1);

        let docs = dir.path().join("docs");
        fs::create_dir_all(&docs).unwrap();
        fs::write(docs.join("thesis.txt"), "precious").unwrap();
        let err = Staging::new(&docs).unwrap_err().to_string();
        assert!(err.contains("not a runlens output"), "{err}");
    }
}
