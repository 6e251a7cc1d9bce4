//! `activities.csv` / `activities.parquet`: one row per kept activity, in
//! the contract's column order, from the parallel stage's figures and the
//! metrics.

use chrono::DateTime;
use polars::prelude::*;

use super::columns::activity_col as col;
use super::routes::route_id;
use crate::features::Analyzed;
use crate::metrics::Metrics;
use crate::stats::round_opt;

/// Stable, readable ids: start time and sport, with a suffix when two kept
/// activities share both. `items` must be sorted (as `dedupe` returns them).
pub fn activity_ids(items: &[Analyzed]) -> Vec<String> {
    let mut seen: std::collections::HashMap<String, usize> = std::collections::HashMap::new();
    items
        .iter()
        .map(|item| {
            let meta = &item.activity.meta;
            let start = DateTime::from_timestamp_millis(meta.start_ms).unwrap_or_default();
            let base = format!("{}-{}", start.format("%Y%m%d-%H%M%S"), meta.sport);
            let n = seen.entry(base.clone()).or_default();
            *n += 1;
            if *n == 1 { base } else { format!("{base}~{n}") }
        })
        .collect()
}

/// One row per kept activity, in the contract's column order.
pub fn activities_frame(items: &[Analyzed], metrics: &Metrics) -> PolarsResult<DataFrame> {
    let ids = activity_ids(items);
    let meta = |f: &dyn Fn(&Analyzed) -> Option<String>| items.iter().map(f).collect::<Vec<_>>();
    let num =
        |f: &dyn Fn(&Analyzed) -> Option<f64>, d: i32| items.iter().map(|a| round_opt(f(a), d)).collect::<Vec<_>>();
    let start_ms: Vec<i64> = items.iter().map(|a| a.activity.meta.start_ms).collect();
    let start = Int64Chunked::from_vec(col::START_TIME_UTC.into(), start_ms)
        .into_datetime(TimeUnit::Milliseconds, Some(TimeZone::UTC))
        .into_column();
    let samples: Vec<u32> = items.iter().map(|a| u32::try_from(a.summary.samples).unwrap_or(u32::MAX)).collect();
    let run = |f: &dyn Fn(&crate::metrics::RunMetrics) -> Option<f64>, d: i32| {
        metrics.runs.iter().map(|r| round_opt(f(r), d)).collect::<Vec<_>>()
    };
    let target: Vec<Option<f64>> = items
        .iter()
        .map(|a| metrics.target_hr_bpm.filter(|_| a.counts_as_run && a.summary.avg_hr_bpm.is_some()))
        .collect();
    let quality = |f: &dyn Fn(&crate::clean::Quality) -> u32| items.iter().map(|a| f(&a.quality)).collect::<Vec<_>>();
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
        Column::new(col::PACE_AT_HR_S_PER_KM.into(), run(&|r| r.pace_at_hr_s_per_km, 1)),
        Column::new(col::PACE_AT_HR_TARGET_BPM.into(), target),
        Column::new(col::DECOUPLING_PCT.into(), run(&|r| r.decoupling_pct, 2)),
        Column::new(col::Z1_S.into(), run(&|r| r.z1_s, 0)),
        Column::new(col::Z2_S.into(), run(&|r| r.z2_s, 0)),
        Column::new(col::Z3_S.into(), run(&|r| r.z3_s, 0)),
        Column::new(
            col::SESSION_TYPE.into(),
            metrics
                .runs
                .iter()
                .map(|r| r.session_type.map(crate::metrics::sessions::SessionType::as_str))
                .collect::<Vec<_>>(),
        ),
        Column::new(
            col::GRAY_ZONE.into(),
            metrics
                .runs
                .iter()
                .map(|r| r.gray_zone.map(crate::metrics::gray_zone::Verdict::is_gray))
                .collect::<Vec<_>>(),
        ),
        Column::new(col::ROUTE_ID.into(), metrics.runs.iter().map(|r| r.route.map(route_id)).collect::<Vec<_>>()),
        Column::new(col::DUPLICATE_OF.into(), meta(&|a| (!a.duplicates.is_empty()).then(|| a.duplicates.join(";")))),
        Column::new(col::NAME.into(), meta(&|a| a.activity.meta.name.clone())),
        Column::new(col::DEVICE.into(), meta(&|a| a.activity.meta.device.clone())),
        Column::new(
            col::PACE_AT_HR_NOTE.into(),
            metrics
                .runs
                .iter()
                .map(|r| r.pace_at_hr_note.map(crate::metrics::pace_at_hr::NoValue::describe))
                .collect::<Vec<_>>(),
        ),
        Column::new(col::UTC_OFFSET_S.into(), items.iter().map(|a| a.activity.meta.utc_offset_s).collect::<Vec<_>>()),
        Column::new(col::HR_ARTIFACTS.into(), quality(&|q| q.hr_artifacts)),
        Column::new(col::GPS_JUMPS.into(), quality(&|q| q.gps_jumps)),
        Column::new(col::PAUSED_S.into(), quality(&|q| q.paused_s)),
        Column::new(
            col::LOW_CONFIDENCE.into(),
            metrics.runs.iter().map(|r| r.pace_at_hr_s_per_km.map(|_| r.low_confidence)).collect::<Vec<_>>(),
        ),
        Column::new(col::Z2_SHARE.into(), run(&|r| r.z2_share_after_warmup, 3)),
        Column::new(col::INTEGRITY.into(), meta(&|a| a.activity.meta.integrity.clone())),
        // New columns go at the end: scripts may read by position.
        Column::new(
            col::UTC_OFFSET_SOURCE.into(),
            items.iter().map(|a| a.activity.meta.utc_offset_source.as_str()).collect::<Vec<_>>(),
        ),
        Column::new(col::PACE_AT_HR_UNCERTAINTY.into(), run(&|r| r.pace_at_hr_uncertainty_s_per_km, 1)),
        Column::new(col::LOAD.into(), run(&|r| r.load.map(|l| l.load), 1)),
        Column::new(
            col::LOAD_SOURCE.into(),
            metrics.runs.iter().map(|r| r.load.map(|l| l.source.as_str())).collect::<Vec<_>>(),
        ),
        Column::new(col::HR_RECOVERY_END_BPM.into(), num(&|a| a.recovery.map(|r| r.end_hr_bpm), 1)),
        Column::new(col::HR_RECOVERY_60S_DROP_BPM.into(), num(&|a| a.recovery.map(|r| r.drop_60s_bpm), 1)),
        Column::new(col::HR_RECOVERY_120S_DROP_BPM.into(), num(&|a| a.recovery.and_then(|r| r.drop_120s_bpm), 1)),
        Column::new(col::WATCH_RECOVERY_HR_BPM.into(), num(&|a| a.activity.meta.recovery_hr_bpm, 0)),
        Column::new(col::TEMPERATURE_C.into(), num(&|a| a.summary.temperature_c, 1)),
    ])
}

/// Activities and distance per value of `key` (sport or format), most
/// first, ties by name.
pub fn counts_by(frame: &DataFrame, key: &str) -> PolarsResult<Vec<(String, usize, f64)>> {
    let keys = frame.column(key)?.str()?;
    let distances = frame.column(col::DISTANCE_M)?.f64()?;
    let mut by_key: std::collections::BTreeMap<&str, (usize, f64)> = std::collections::BTreeMap::new();
    for (k, d) in keys.iter().zip(distances.iter()) {
        let entry = by_key.entry(k.unwrap_or("?")).or_default();
        entry.0 += 1;
        entry.1 += d.unwrap_or(0.0);
    }
    let mut counts: Vec<(String, usize, f64)> = by_key.into_iter().map(|(k, (n, d))| (k.to_owned(), n, d)).collect();
    counts.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
    Ok(counts)
}
