//! The parallel stage: read and parse every source on rayon, reduce each
//! activity to its summary while its samples are hot, and return results in
//! source order so output never depends on scheduling.

use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};
use rayon::prelude::*;

use crate::clean::{self, Clean};
use crate::discover::{Skipped, Source};
use crate::metrics::pace_at_hr::{self, RunKernel};
use crate::metrics::routes::{self, Signature};
use crate::parse::{self, Activity, Samples, Sport, Summary};

/// One parsed activity and its per-activity figures. The raw samples are
/// released once reduced (see [`analyze`]): every later stage works on the
/// 1 Hz clean series, the kernels and the summary.
#[derive(Debug, Clone)]
pub struct Analyzed {
    pub activity: Activity,
    pub summary: Summary,
    /// Moving seconds at 1 Hz, artifacts out (for zones and the samples frame).
    pub clean: Clean,
    /// Threshold-free per-run figures (steady windows, best efforts).
    pub kernel: RunKernel,
    /// The course, for activities outdoors with GPS.
    pub route: Option<Signature>,
    /// Whether the metrics treat it as a run (the configured sports).
    pub counts_as_run: bool,
    /// Sample channels the file recorded (to keep the richest duplicate).
    pub channels: usize,
    /// Sources of other recordings of this activity that were merged into it.
    pub duplicates: Vec<String>,
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
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
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
pub fn ingest(sources: &[Source], progress: &ProgressBar, pace: &pace_at_hr::Settings) -> Ingested {
    let results: Vec<Result<(Fingerprint, Vec<Analyzed>), Skipped>> = sources
        .par_iter()
        .map(|source| {
            let result = ingest_one(source, pace);
            progress.inc(1);
            result
        })
        .collect();
    progress.finish_and_clear();
    let mut out = Ingested::default();
    for (source, result) in results.into_iter().enumerate() {
        match result {
            Ok((fingerprint, mut analyzed)) => {
                let label = sources[source].label.clone();
                out.files.push(Parsed { source, label, fingerprint, activities: analyzed.len() });
                out.analyzed.append(&mut analyzed);
            }
            Err(skipped) => out.skipped.push(skipped),
        }
    }
    out
}

fn ingest_one(source: &Source, pace: &pace_at_hr::Settings) -> Result<(Fingerprint, Vec<Analyzed>), Skipped> {
    let skipped = |e: crate::error::ParseError| Skipped::new(source.label.clone(), e.to_string());
    let bytes = source.read().map_err(skipped)?;
    let fingerprint = Fingerprint::of(&bytes);
    let activities = parse::parse_bytes(&source.label, &bytes).map_err(skipped)?;
    drop(bytes);
    let analyzed = activities
        .into_iter()
        .map(|activity| {
            let mut activity = activity.into_time_order();
            apply_strava(&mut activity, source);
            analyze(activity, pace)
        })
        .collect();
    Ok((fingerprint, analyzed))
}

/// The per-activity work of the parallel stage, on a time-ordered activity:
/// summary, cleaning, threshold-free run figures and the route signature.
/// The raw samples are dropped afterwards, so memory holds one activity's
/// samples per thread, not the whole export's.
pub fn analyze(mut activity: Activity, pace: &pace_at_hr::Settings) -> Analyzed {
    let mut summary = Summary::of(&activity);
    let clean = clean::clean(&activity);
    // Heart rate as the metrics see it: moving seconds, spikes out.
    if clean.has_hr() {
        let hr: Vec<f64> = clean.hr_bpm.iter().map(|&v| f64::from(v)).collect();
        (summary.avg_hr_bpm, summary.max_hr_bpm) = parse::summary::mean_and_max(&hr, parse::summary::PLAUSIBLE_HR_BPM);
    }
    let kernel = pace_at_hr::kernel(&clean, pace);
    let sport = activity.meta.sport;
    // A treadmill run counts for everything but routes.
    let route = (sport != Sport::Treadmill).then(|| routes::signature(&activity.samples)).flatten();
    let channels = activity.samples.channels().len();
    activity.samples = Samples::default();
    Analyzed {
        activity,
        summary,
        clean,
        kernel,
        route,
        counts_as_run: sport.is_run(),
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
