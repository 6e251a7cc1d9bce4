//! Time in Seiler's three zones per activity (Z1 < LT1 <= Z2 < LTHR <= Z3),
//! and the share of Z2 after the warm-up, as one polars group-by over the
//! 1 Hz samples of every activity.

use polars::prelude::*;

use crate::frame::sample_col;

pub mod col {
    pub const Z1_S: &str = "z1_s";
    pub const Z2_S: &str = "z2_s";
    pub const Z3_S: &str = "z3_s";
    pub const Z2_SHARE_AFTER_WARMUP: &str = "z2_share_after_warmup";
}

/// One row per activity index that has heart rate. Missing readings are
/// nulls, which comparisons keep null and sums skip.
#[allow(clippy::cast_possible_truncation)] // thresholds in bpm fit f32 exactly
pub fn zone_seconds(samples: &DataFrame, lt1_bpm: f64, lthr_bpm: f64, warmup_s: u32) -> PolarsResult<DataFrame> {
    let hr = || col(sample_col::HR_BPM);
    let (lt1, lthr) = (lit(lt1_bpm as f32), lit(lthr_bpm as f32));
    let after_warmup = col(sample_col::ELAPSED_S).gt_eq(lit(warmup_s));
    let in_z2 = hr().gt_eq(lt1.clone()).and(hr().lt(lthr.clone()));
    let seconds = |e: Expr| e.cast(DataType::UInt32).sum();
    samples
        .clone()
        .lazy()
        .group_by_stable([col(sample_col::ACTIVITY)])
        .agg([
            seconds(hr().lt(lt1)).alias(col::Z1_S),
            seconds(in_z2.clone()).alias(col::Z2_S),
            seconds(hr().gt_eq(lthr)).alias(col::Z3_S),
            (seconds(in_z2.and(after_warmup.clone())).cast(DataType::Float64)
                / seconds(after_warmup.and(hr().is_not_null())).cast(DataType::Float64))
            .alias(col::Z2_SHARE_AFTER_WARMUP),
        ])
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counts_seconds_per_zone_and_ignores_missing_hr() {
        let samples = df![
            sample_col::ACTIVITY => [0u32, 0, 0, 0, 0, 1],
            sample_col::ELAPSED_S => [0u32, 1, 700, 701, 702, 0],
            sample_col::HR_BPM => [Some(120.0f32), Some(150.0), Some(160.0), None, Some(175.0), Some(140.0)],
        ]
        .unwrap();
        let z = zone_seconds(&samples, 155.0, 170.0, 600).unwrap();
        let get = |name: &str| z.column(name).unwrap().cast(&DataType::Float64).unwrap().f64().unwrap().get(0).unwrap();
        assert_eq!((get(col::Z1_S), get(col::Z2_S), get(col::Z3_S)), (2.0, 1.0, 1.0));
        assert!((get(col::Z2_SHARE_AFTER_WARMUP) - 0.5).abs() < 1e-9);
        assert_eq!(z.height(), 2);
    }
}
