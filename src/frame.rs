//! The polars frames later stages compute on, and the one place column names
//! are spelled: users script against them (see DESIGN.md, output contract).

use chrono::DateTime;
use polars::prelude::*;

use crate::ingest::Analyzed;

/// Column names of `activities.csv` / `activities.parquet`.
pub mod col {
    pub const ACTIVITY_ID: &str = "activity_id";
    pub const SOURCE: &str = "source";
    pub const FORMAT: &str = "format";
    pub const SPORT: &str = "sport";
    pub const START_TIME_UTC: &str = "start_time_utc";
    pub const DURATION_S: &str = "duration_s";
    pub const MOVING_TIME_S: &str = "moving_time_s";
    pub const SAMPLES: &str = "samples";
    pub const DISTANCE_M: &str = "distance_m";
    pub const ELEVATION_GAIN_M: &str = "elevation_gain_m";
    pub const AVG_HR_BPM: &str = "avg_hr_bpm";
    pub const MAX_HR_BPM: &str = "max_hr_bpm";
    pub const AVG_PACE_S_PER_KM: &str = "avg_pace_s_per_km";
    pub const DUPLICATE_OF: &str = "duplicate_of";
    pub const NAME: &str = "name";
    pub const DEVICE: &str = "device";
    pub const UTC_OFFSET_S: &str = "utc_offset_s";
    /// Derived in summaries, not written to the table.
    pub const COUNT: &str = "activities";
}

/// Stable, readable ids: start time and sport, with a suffix when two kept
/// activities share both. `items` must be sorted (as `dedupe` returns them).
pub fn activity_ids(items: &[Analyzed]) -> Vec<String> {
    let mut ids: Vec<String> = Vec::with_capacity(items.len());
    for item in items {
        let meta = &item.activity.meta;
        let start = DateTime::from_timestamp_millis(meta.start_ms).unwrap_or_default();
        let base = format!("{}-{}", start.format("%Y%m%d-%H%M%S"), meta.sport);
        let taken = ids.iter().filter(|id| **id == base || id.starts_with(&format!("{base}~"))).count();
        ids.push(if taken == 0 { base } else { format!("{base}~{}", taken + 1) });
    }
    ids
}

fn round(v: f64, decimals: i32) -> f64 {
    let scale = 10f64.powi(decimals);
    (v * scale).round() / scale
}

fn round_opt(v: Option<f64>, decimals: i32) -> Option<f64> {
    v.filter(|x| x.is_finite()).map(|x| round(x, decimals))
}

/// One row per kept activity, in the contract's column order.
pub fn activities_frame(items: &[Analyzed]) -> PolarsResult<DataFrame> {
    let ids = activity_ids(items);
    let meta = |f: &dyn Fn(&Analyzed) -> Option<String>| items.iter().map(f).collect::<Vec<_>>();
    let num =
        |f: &dyn Fn(&Analyzed) -> Option<f64>, d: i32| items.iter().map(|a| round_opt(f(a), d)).collect::<Vec<_>>();
    let start_ms: Vec<i64> = items.iter().map(|a| a.activity.meta.start_ms).collect();
    let start = Int64Chunked::from_vec(col::START_TIME_UTC.into(), start_ms)
        .into_datetime(TimeUnit::Milliseconds, Some(TimeZone::UTC))
        .into_column();
    let samples: Vec<u32> = items.iter().map(|a| u32::try_from(a.summary.samples).unwrap_or(u32::MAX)).collect();
    DataFrame::new_infer_height(vec![
        Column::new(col::ACTIVITY_ID.into(), ids),
        Column::new(col::SOURCE.into(), meta(&|a| Some(a.activity.meta.source.clone()))),
        Column::new(col::FORMAT.into(), meta(&|a| a.activity.meta.format.map(|f| f.as_str().to_owned()))),
        Column::new(col::SPORT.into(), meta(&|a| Some(a.activity.meta.sport.as_str().to_owned()))),
        start,
        Column::new(col::DURATION_S.into(), num(&|a| Some(a.summary.duration_s), 3)),
        Column::new(col::MOVING_TIME_S.into(), num(&|a| Some(a.summary.moving_time_s), 3)),
        Column::new(col::SAMPLES.into(), samples),
        Column::new(col::DISTANCE_M.into(), num(&|a| a.summary.distance_m, 2)),
        Column::new(col::ELEVATION_GAIN_M.into(), num(&|a| a.summary.elevation_gain_m, 1)),
        Column::new(col::AVG_HR_BPM.into(), num(&|a| a.summary.avg_hr_bpm, 2)),
        Column::new(col::MAX_HR_BPM.into(), num(&|a| a.summary.max_hr_bpm, 0)),
        Column::new(col::AVG_PACE_S_PER_KM.into(), num(&|a| a.summary.avg_pace_s_per_km, 2)),
        Column::new(col::DUPLICATE_OF.into(), meta(&|a| (!a.duplicates.is_empty()).then(|| a.duplicates.join(";")))),
        Column::new(col::NAME.into(), meta(&|a| a.activity.meta.name.clone())),
        Column::new(col::DEVICE.into(), meta(&|a| a.activity.meta.device.clone())),
        Column::new(col::UTC_OFFSET_S.into(), items.iter().map(|a| a.activity.meta.utc_offset_s).collect::<Vec<_>>()),
    ])
}

/// Activities and distance per value of `key` (sport or format), most first.
pub fn counts_by(frame: &DataFrame, key: &str) -> PolarsResult<DataFrame> {
    frame
        .clone()
        .lazy()
        .group_by([col(key)])
        .agg([len().alias(col::COUNT), col(col::DISTANCE_M).sum()])
        .sort_by_exprs(
            [col(col::COUNT), col(key)],
            SortMultipleOptions::default().with_order_descending_multi([true, false]),
        )
        .collect()
}
