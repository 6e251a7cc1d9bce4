//! The parallel stage: read and parse every source on rayon, clean each
//! activity and compute its per-activity kernels (summary, steady windows,
//! intervals, heart-rate recovery, route signature, the UTC offset where it was recorded) while
//! its samples are hot, and return results in source order so output never
//! depends on scheduling.

pub mod efforts;
pub mod hr_artifacts;
pub mod hr_seconds;
pub mod intervals;
pub mod kernel;
pub mod load;
pub mod recovery;
pub mod settle;
pub mod signature;
pub mod timezone;

use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};
use rayon::prelude::*;

use crate::clean::{self, Quality};
use crate::discover::{Skipped, Source};
use crate::parse::{self, Activity, Samples, Sport, Summary};
use hr_seconds::HrSeconds;
use kernel::{RunKernel, Settings as KernelSettings};
use signature::Signature;

/// One parsed activity and its per-activity figures. The raw samples and
/// the clean 1 Hz series are released once reduced (see [`analyze`]):
/// every later stage works on the kernels, the summary and the seconds per
/// heart rate, so a history (and each cache entry) holds no series.
#[derive(Debug, Clone, serde::Serialize, serde::Deserialize)]
pub struct Analyzed {
    pub activity: Activity,
    pub summary: Summary,
    /// Seconds per heart rate of the moving 1 Hz series, artifacts out (the
    /// zones, once thresholds are known).
    pub hr_seconds: HrSeconds,
    /// What cleaning left out.
    pub quality: Quality,
    /// Threshold-free per-run figures (steady windows, best efforts).
    pub kernel: RunKernel,
    /// Per-second sums the training load finishes once thresholds are known.
    pub load: load::LoadInputs,
    /// Heart-rate recovery after the hardest eligible effort, from the raw
    /// samples (`recovery`).
    pub recovery: Option<recovery::Recovery>,
    /// The course, for activities outdoors with GPS.
    pub route: Option<Signature>,
    /// Whether the metrics treat it as a run: the configured sports, set by
    /// `select` (false until then).
    pub counts_as_run: bool,
    /// Sample channels the file recorded (to keep the richest duplicate).
    pub channels: usize,
    /// Sources of other recordings of this activity that were merged into it.
    pub duplicates: Vec<String>,
}

impl Analyzed {
    /// Start in the local time the `timezone` step found for it (UTC when
    /// nothing told).
    pub fn local_start(&self) -> chrono::NaiveDateTime {
        let meta = &self.activity.meta;
        crate::dates::local_time(meta.start_ms, meta.utc_offset_s)
    }

    /// The day the activity started, in local time where the file says it.
    pub fn local_day(&self) -> chrono::NaiveDate {
        self.local_start().date()
    }
}

#[derive(Debug, Default)]
pub struct Ingested {
    pub analyzed: Vec<Analyzed>,
    /// Per source that parsed, in order: its activities are the next
    /// `activities` of `analyzed`.
    pub files: Vec<Parsed>,
    pub skipped: Vec<Skipped>,
}

/// A file's bytes (after gunzip) in brief, to find identical copies under
/// two names without keeping the bytes.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
pub struct Fingerprint {
    pub len: u64,
    pub crc64: u64,
}

impl Fingerprint {
    pub fn of(bytes: &[u8]) -> Fingerprint {
        Fingerprint { len: bytes.len() as u64, crc64: crc_fast::checksum(crc_fast::CrcAlgorithm::Crc64Nvme, bytes) }
    }
}

/// One source that gave activities.
#[derive(Debug, Clone)]
pub struct Parsed {
    /// Index into the sources ingested.
    pub source: usize,
    pub label: String,
    pub fingerprint: Fingerprint,
    pub activities: usize,
}

/// Whether two sources hold the same bytes, compared in full: a shared
/// fingerprint is only a hint.
pub fn same_bytes(sources: &[Source], a: &Parsed, b: &Parsed) -> bool {
    a.fingerprint == b.fingerprint
        && matches!((sources[a.source].read(), sources[b.source].read()), (Ok(x), Ok(y)) if x == y)
}

/// Parse all sources in parallel. `sources` must be sorted; the result keeps
/// that order (a file's activities in file order).
pub fn ingest(sources: &[Source], progress: &ProgressBar, pace: &KernelSettings) -> Ingested {
    let now_ms = now_ms();
    ingest_with(sources, progress, |source| ingest_one(source, pace, now_ms))
}

/// The clock every file of a run is checked against: "tomorrow" is the same
/// for all of them.
pub fn now_ms() -> i64 {
    chrono::Utc::now().timestamp_millis()
}

/// Run `one` over all sources in parallel and gather the results in source
/// order: the one place that fixes the order, with or without the cache.
pub fn ingest_with(
    sources: &[Source],
    progress: &ProgressBar,
    one: impl Fn(&Source) -> Result<Read, Skipped> + Sync,
) -> Ingested {
    let results: Vec<Result<Read, Skipped>> = sources
        .par_iter()
        // One file a task: rayon otherwise hands each thread runs of files
        // that it works through alone while the other, done, waits (the
        // realdata folder, whose files differ in size, runs in 0.93-0.95x
        // the time with one file a task).
        .with_max_len(1)
        .map(|source| {
            let result = one(source);
            progress.inc(1);
            result
        })
        .collect();
    progress.finish_and_clear();
    let mut out = Ingested::default();
    for (source, result) in results.into_iter().enumerate() {
        match result {
            Ok(Read { fingerprint, mut analyzed, mut off_calendar }) => {
                let label = sources[source].label.clone();
                out.files.push(Parsed { source, label, fingerprint, activities: analyzed.len() });
                out.analyzed.append(&mut analyzed);
                out.skipped.append(&mut off_calendar);
            }
            Err(skipped) => out.skipped.push(skipped),
        }
    }
    out
}

/// What one source gave this run: its fingerprint, its activities, and
/// those of its activities that were left out because their date is off
/// the calendar.
#[derive(Debug, Default)]
pub struct Read {
    pub fingerprint: Fingerprint,
    pub analyzed: Vec<Analyzed>,
    pub off_calendar: Vec<Skipped>,
}

/// What a file's bytes give whatever the day: its fingerprint and its
/// activities in file order. It depends only on the bytes, the source's
/// Strava metadata, the name's format hint and the pace settings: what the
/// cache keys it by.
#[derive(Debug, Clone, serde::Serialize, serde::Deserialize)]
pub struct FileOutcome {
    pub fingerprint: Fingerprint,
    pub activities: Vec<Dated>,
}

/// One activity of a file with the start its date was checked by. Those off
/// the calendar on the day the file was read are not analyzed.
#[derive(Debug, Clone, serde::Serialize, serde::Deserialize)]
pub struct Dated {
    pub start_ms: i64,
    pub analyzed: Option<Analyzed>,
}

impl FileOutcome {
    /// The file's activities on the calendar of `now_ms`, under `label`;
    /// `None` when an activity left out on the day the file was read is on
    /// the calendar now (it was never analyzed: read the file again).
    pub fn on_calendar(self, label: &str, now_ms: i64) -> Option<Read> {
        let mut read = Read { fingerprint: self.fingerprint, ..Read::default() };
        for dated in self.activities {
            match (parse::check_calendar(dated.start_ms, now_ms), dated.analyzed) {
                (Err(e), _) => read.off_calendar.push(Skipped::new(label, e.to_string())),
                (Ok(()), Some(mut analyzed)) => {
                    label.clone_into(&mut analyzed.activity.meta.source);
                    read.analyzed.push(analyzed);
                }
                (Ok(()), None) => return None,
            }
        }
        Some(read)
    }
}

/// One source's activities; the whole file is skipped when it cannot be
/// read, an activity when its date is off the calendar.
fn ingest_one(source: &Source, pace: &KernelSettings, now_ms: i64) -> Result<Read, Skipped> {
    let skipped = |e: crate::error::ParseError| Skipped::new(source.label.clone(), e.to_string());
    let bytes = source.read().map_err(skipped)?;
    let outcome = analyze_file(source, bytes, pace, now_ms).map_err(skipped)?;
    // Checked against the clock it was analyzed by: nothing left out is due.
    Ok(outcome.on_calendar(&source.label, now_ms).unwrap_or_default())
}

/// Parse one source's (gunzipped) bytes and analyze each activity dated on
/// the calendar of `now_ms`. The bytes are dropped once parsed.
pub fn analyze_file(
    source: &Source,
    bytes: Vec<u8>,
    pace: &KernelSettings,
    now_ms: i64,
) -> Result<FileOutcome, crate::error::ParseError> {
    let fingerprint = Fingerprint::of(&bytes);
    let activities = parse::parse_bytes(&source.label, &bytes)?;
    drop(bytes);
    let mut outcome = FileOutcome { fingerprint, activities: Vec::with_capacity(activities.len()) };
    for activity in activities {
        let start_ms = activity.meta.start_ms;
        let analyzed = parse::check_calendar(start_ms, now_ms).is_ok().then(|| {
            let mut activity = activity.into_time_order();
            apply_strava(&mut activity, source);
            analyze(activity, pace)
        });
        outcome.activities.push(Dated { start_ms, analyzed });
    }
    Ok(outcome)
}

/// The per-activity work of the parallel stage, on a time-ordered activity:
/// summary, cleaning, threshold-free run figures, the route signature and
/// the UTC offset where the first position says it.
/// The raw samples and the clean series are dropped afterwards, so memory holds one activity's
/// samples per thread, not the whole export's.
pub fn analyze(mut activity: Activity, pace: &KernelSettings) -> Analyzed {
    let fixes = parse::fixes::SharedFixes::new(&activity.samples);
    let mut summary = Summary::with_fixes(&activity, &fixes);
    let clean = clean::clean_with_fixes(&activity, &fixes);
    // Heart rate as the metrics see it: moving seconds, spikes out.
    if clean.has_hr() {
        let hr: Vec<f64> = clean.hr_bpm.iter().map(|&v| f64::from(v)).collect();
        (summary.avg_hr_bpm, summary.max_hr_bpm) = parse::summary::mean_and_max(&hr, parse::summary::PLAUSIBLE_HR_BPM);
    }
    let kernel = kernel::kernel(&clean, pace);
    let load = load::load_inputs(&clean);
    let recovery = recovery::recovery_with(&activity.samples, &fixes);
    let sport = activity.meta.sport;
    // A treadmill run counts for everything but routes.
    let route =
        (sport != Sport::Treadmill).then(|| signature::signature_with_fixes(&activity.samples, &fixes)).flatten();
    drop(fixes);
    let channels = activity.samples.channels().len();
    timezone::from_position(&mut activity.meta, &activity.samples);
    activity.samples = Samples::default();
    Analyzed {
        activity,
        summary,
        hr_seconds: HrSeconds::of(&clean, pace.skip_start_s),
        quality: clean.quality,
        kernel,
        load,
        recovery,
        route,
        counts_as_run: false,
        channels,
        duplicates: Vec::new(),
    }
}

/// The athlete's own name and type from Strava's index win over the file's:
/// they are what the athlete chose (and fixed) on Strava.
fn apply_strava(activity: &mut Activity, source: &Source) {
    let Some(strava) = &source.strava else { return };
    let meta = &mut activity.meta;
    if let Some(name) = &strava.name {
        meta.name = Some(name.clone());
    }
    if let Some(kind) = &strava.activity_type {
        let sport = Sport::normalize(kind, None);
        // A treadmill or trail run in the file stays one when Strava just says "Run".
        if !(sport == Sport::Running && meta.sport.is_run()) && sport != Sport::Other {
            meta.sport = sport;
            meta.sport_raw.clone_from(kind);
        }
    }
}

/// A progress bar on stderr, hidden when stderr is not a terminal or the
/// user asked for quiet.
pub fn progress_bar(len: usize, visible: bool) -> ProgressBar {
    let bar = ProgressBar::with_draw_target(Some(len as u64), ProgressDrawTarget::stderr());
    if !visible {
        bar.set_draw_target(ProgressDrawTarget::hidden());
    }
    bar.set_style(
        ProgressStyle::with_template("{spinner} parsing {pos}/{len} files [{bar:30}] {elapsed}")
            .unwrap_or_else(|_| ProgressStyle::default_bar())
            .progress_chars("=> "),
    );
    bar
}

#[cfg(test)]
mod tests {
    use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
    use std::time::{Duration, Instant};

    use super::*;
    use crate::discover::Origin;

    /// The bug: rayon handed each of the two threads runs of five files to
    /// work through alone, so a thread done early waited while the other
    /// finished its run (on files of different sizes, as a real export's
    /// are). Here the first file waits for all the others: behind it in a
    /// run, they never come, and it gives up after 5 s.
    #[test]
    fn a_slow_file_holds_back_no_other_file() {
        let sources: Vec<Source> = (0..20)
            .map(|i| Source {
                label: format!("run{i:02}.gpx"),
                origin: Origin::File(format!("run{i:02}.gpx").into()),
                strava: None,
            })
            .collect();
        let (others_done, saw_all) = (AtomicUsize::new(0), AtomicBool::new(false));
        let done_when_given_up = AtomicUsize::new(0);
        let pool = rayon::ThreadPoolBuilder::new().num_threads(2).build().unwrap();
        let ingested = pool.install(|| {
            ingest_with(&sources, &ProgressBar::hidden(), |source| {
                if source.label == "run00.gpx" {
                    let start = Instant::now();
                    while others_done.load(Ordering::SeqCst) < sources.len() - 1 {
                        if start.elapsed() > Duration::from_secs(5) {
                            done_when_given_up.store(others_done.load(Ordering::SeqCst), Ordering::SeqCst);
                            return Err(Skipped::new(&source.label, "gave up waiting"));
                        }
                        std::thread::yield_now();
                    }
                    saw_all.store(true, Ordering::SeqCst);
                } else {
                    others_done.fetch_add(1, Ordering::SeqCst);
                }
                Err(Skipped::new(&source.label, "done"))
            })
        });
        let done = done_when_given_up.into_inner();
        assert!(saw_all.load(Ordering::SeqCst), "only {done} of the other 19 files were done after 5 s");
        // Still gathered in source order.
        let labels: Vec<&str> = ingested.skipped.iter().map(|s| s.source.as_str()).collect();
        let expected: Vec<String> = (0..20).map(|i| format!("run{i:02}.gpx")).collect();
        assert_eq!(labels, expected);
    }
}
