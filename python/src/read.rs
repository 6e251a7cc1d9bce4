//! One activity file as frames: its samples in time order and one summary
//! row per activity, for `pyrunlens.read`/`read_many`. The file is found
//! the way the CLI finds it (loose, `.gz`, or `archive.zip!member`).

use std::path::{Path, PathBuf};

use polars::prelude::*;
use runlens::discover::{self, Source};
use runlens::features::timezone;
use runlens::parse::{self, Activity, Samples, Summary};

/// Column names of the samples frame: the sample channels, SI units.
pub mod sample_col {
    /// Which activity of the file (a multisport FIT or a TCX may hold several).
    pub const ACTIVITY: &str = "activity";
    pub const TIME_UTC: &str = "time_utc";
    pub const LAT_DEG: &str = "lat_deg";
    pub const LON_DEG: &str = "lon_deg";
    pub const ALTITUDE_M: &str = "altitude_m";
    pub const DISTANCE_M: &str = "distance_m";
    pub const SPEED_M_S: &str = "speed_m_s";
    pub const HR_BPM: &str = "hr_bpm";
    pub const CADENCE_RPM: &str = "cadence_rpm";
    pub const POWER_W: &str = "power_w";
    pub const TEMPERATURE_C: &str = "temperature_c";
    /// The value columns in the order of `Samples::value_columns`.
    pub const VALUES: [&str; 9] =
        [LAT_DEG, LON_DEG, ALTITUDE_M, DISTANCE_M, SPEED_M_S, HR_BPM, CADENCE_RPM, POWER_W, TEMPERATURE_C];
}

/// Column names of the summary frame (as `runlens inspect` shows them).
pub mod summary_col {
    pub const ACTIVITY: &str = "activity";
    pub const SOURCE: &str = "source";
    pub const FORMAT: &str = "format";
    pub const SPORT: &str = "sport";
    pub const SPORT_RAW: &str = "sport_raw";
    pub const START_TIME_UTC: &str = "start_time_utc";
    pub const UTC_OFFSET_S: &str = "utc_offset_s";
    pub const UTC_OFFSET_SOURCE: &str = "utc_offset_source";
    pub const DURATION_S: &str = "duration_s";
    pub const MOVING_TIME_S: &str = "moving_time_s";
    pub const DISTANCE_M: &str = "distance_m";
    pub const ELEVATION_GAIN_M: &str = "elevation_gain_m";
    pub const AVG_HR_BPM: &str = "avg_hr_bpm";
    pub const MAX_HR_BPM: &str = "max_hr_bpm";
    pub const AVG_PACE_S_PER_KM: &str = "avg_pace_s_per_km";
    pub const SAMPLES: &str = "samples";
    pub const LAPS: &str = "laps";
    pub const DEVICE: &str = "device";
    pub const NAME: &str = "name";
    pub const INTEGRITY: &str = "integrity";
}

/// What one file gave.
pub struct Read {
    pub samples: DataFrame,
    pub summary: DataFrame,
}

/// Read and parse one file; the error message names it and says why.
pub fn read(path: &str) -> Result<Read, String> {
    let source = source(path)?;
    let fail = |e: &dyn std::fmt::Display| format!("{}: {e}", source.label);
    let bytes = source.read().map_err(|e| fail(&e))?;
    let activities: Vec<Activity> = parse::parse_bytes(&source.label, &bytes)
        .map_err(|e| fail(&e))?
        .into_iter()
        .map(Activity::into_time_order)
        .collect();
    let samples = samples_frame(&activities).map_err(|e| fail(&e))?;
    let summary = summary_frame(&activities).map_err(|e| fail(&e))?;
    Ok(Read { samples, summary })
}

/// The one activity file `path` names: a file, or `archive.zip!member`
/// (nested zips as `a.zip!b.zip!c.fit`, as the CLI labels them).
fn source(path: &str) -> Result<Source, String> {
    let archive = archive_of(path);
    let found = discover::discover(&[PathBuf::from(archive.unwrap_or(path))]);
    let mut sources: Vec<Source> = match archive {
        Some(_) => found.sources.into_iter().filter(|s| s.label == path).collect(),
        None => found.sources,
    };
    match (sources.len(), found.skipped.first()) {
        (1, _) => Ok(sources.remove(0)),
        (0, Some(skipped)) => Err(format!("{}: {}", skipped.source, skipped.reason)),
        (0, None) if archive.is_some() => {
            Err(format!("{path}: no such activity file in the archive (members are named as in skipped.csv)"))
        }
        (0, None) => Err(format!("{path}: not an activity file (FIT, GPX, TCX, or one of them gzipped)")),
        (n, _) => {
            Err(format!("{path}: holds {n} activity files: read one as {} or all with read_many", sources[0].label))
        }
    }
}

/// The archive part of `archive.zip!member`: the longest prefix before a
/// `!` that is a file (a folder or file name may itself contain `!`).
fn archive_of(path: &str) -> Option<&str> {
    if Path::new(path).exists() {
        return None;
    }
    path.match_indices('!').map(|(i, _)| &path[..i]).rfind(|prefix| Path::new(prefix).is_file())
}

/// Missing values are NaN in [`Samples`]; null in the frame, as Arrow
/// readers expect.
fn nullable(values: &[f64]) -> Vec<Option<f64>> {
    values.iter().map(|&v| (!v.is_nan()).then_some(v)).collect()
}

fn samples_frame(activities: &[Activity]) -> PolarsResult<DataFrame> {
    let all =
        |f: &dyn Fn(&Samples) -> Vec<Option<f64>>| activities.iter().flat_map(|a| f(&a.samples)).collect::<Vec<_>>();
    let index: Vec<u32> = activities
        .iter()
        .enumerate()
        .flat_map(|(i, a)| std::iter::repeat_n(u32::try_from(i).unwrap_or(u32::MAX), a.samples.len()))
        .collect();
    let times: Vec<i64> = activities.iter().flat_map(|a| a.samples.time_ms.iter().copied()).collect();
    let time = Int64Chunked::from_vec(sample_col::TIME_UTC.into(), times)
        .into_datetime(TimeUnit::Milliseconds, Some(TimeZone::UTC))
        .into_column();
    let mut columns = vec![Column::new(sample_col::ACTIVITY.into(), index), time];
    for (i, name) in sample_col::VALUES.into_iter().enumerate() {
        columns.push(Column::new(name.into(), all(&|s| nullable(s.value_columns()[i]))));
    }
    DataFrame::new_infer_height(columns)
}

fn summary_frame(activities: &[Activity]) -> PolarsResult<DataFrame> {
    use summary_col as c;
    let summaries: Vec<Summary> = activities.iter().map(Summary::of).collect();
    // The offset the file alone gives: its own, or its first position's zone.
    let metas: Vec<parse::ActivityMeta> = activities
        .iter()
        .map(|a| {
            let mut meta = a.meta.clone();
            timezone::from_position(&mut meta, &a.samples);
            meta
        })
        .collect();
    let text = |f: &dyn Fn(&parse::ActivityMeta) -> Option<String>| metas.iter().map(f).collect::<Vec<_>>();
    let num = |f: &dyn Fn(&Summary) -> Option<f64>| summaries.iter().map(f).collect::<Vec<_>>();
    let count = |f: &dyn Fn(usize) -> u64| (0..activities.len()).map(f).collect::<Vec<_>>();
    let start = Int64Chunked::from_vec(c::START_TIME_UTC.into(), metas.iter().map(|m| m.start_ms).collect())
        .into_datetime(TimeUnit::Milliseconds, Some(TimeZone::UTC))
        .into_column();
    DataFrame::new_infer_height(vec![
        Column::new(c::ACTIVITY.into(), count(&|i| i as u64)),
        Column::new(c::SOURCE.into(), text(&|m| Some(m.source.clone()))),
        Column::new(c::FORMAT.into(), text(&|m| m.format.map(|f| f.as_str().to_owned()))),
        Column::new(c::SPORT.into(), text(&|m| Some(m.sport.as_str().to_owned()))),
        Column::new(c::SPORT_RAW.into(), text(&|m| Some(m.sport_raw.clone()))),
        start,
        Column::new(c::UTC_OFFSET_S.into(), metas.iter().map(|m| m.utc_offset_s).collect::<Vec<_>>()),
        Column::new(c::UTC_OFFSET_SOURCE.into(), text(&|m| Some(m.utc_offset_source.as_str().to_owned()))),
        Column::new(c::DURATION_S.into(), num(&|s| Some(s.duration_s))),
        Column::new(c::MOVING_TIME_S.into(), num(&|s| Some(s.moving_time_s))),
        Column::new(c::DISTANCE_M.into(), num(&|s| s.distance_m)),
        Column::new(c::ELEVATION_GAIN_M.into(), num(&|s| s.elevation_gain_m)),
        Column::new(c::AVG_HR_BPM.into(), num(&|s| s.avg_hr_bpm)),
        Column::new(c::MAX_HR_BPM.into(), num(&|s| s.max_hr_bpm)),
        Column::new(c::AVG_PACE_S_PER_KM.into(), num(&|s| s.avg_pace_s_per_km)),
        Column::new(c::SAMPLES.into(), count(&|i| summaries[i].samples as u64)),
        Column::new(c::LAPS.into(), count(&|i| metas[i].laps as u64)),
        Column::new(c::DEVICE.into(), text(&|m| m.device.clone())),
        Column::new(c::NAME.into(), text(&|m| m.name.clone())),
        Column::new(c::INTEGRITY.into(), text(&|m| m.integrity.clone())),
    ])
}
