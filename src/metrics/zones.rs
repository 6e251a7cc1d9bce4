//! Time in Seiler's three zones per activity (Z1 < LT1 <= Z2 < LTHR <= Z3),
//! and the share of Z2 after the warm-up, counted over each activity's
//! cleaned 1 Hz samples (the seconds per heart rate the parallel stage kept).

use crate::features::hr_seconds::HrSeconds;

/// Seconds per zone of one activity with heart rate.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct ZoneSeconds {
    pub z1_s: f64,
    pub z2_s: f64,
    pub z3_s: f64,
    /// Z2 seconds after the warm-up over seconds with heart rate after it;
    /// `None` when nothing was recorded after the warm-up.
    pub z2_share_after_warmup: Option<f64>,
}

/// `None` for an activity without heart rate. Missing readings (NaN) count
/// in no zone. Thresholds are compared in `f32`, the samples' own precision.
#[allow(clippy::cast_possible_truncation)] // thresholds in bpm fit f32 exactly
pub fn zone_seconds(hr: &HrSeconds, lt1_bpm: f64, lthr_bpm: f64) -> Option<ZoneSeconds> {
    if !hr.has_hr() {
        return None;
    }
    let (lt1, lthr) = (lt1_bpm as f32, lthr_bpm as f32);
    let (mut z, mut z2_after, mut hr_after) = ([0u32; 3], 0u32, 0u32);
    for at in &hr.by_hr {
        let zone = if at.hr_bpm < lt1 {
            0
        } else if at.hr_bpm < lthr {
            1
        } else {
            2
        };
        z[zone] += at.seconds;
        hr_after += at.after_warmup_s;
        if zone == 1 {
            z2_after += at.after_warmup_s;
        }
    }
    Some(ZoneSeconds {
        z1_s: f64::from(z[0]),
        z2_s: f64::from(z[1]),
        z3_s: f64::from(z[2]),
        z2_share_after_warmup: (hr_after > 0).then(|| f64::from(z2_after) / f64::from(hr_after)),
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::clean::Clean;

    #[test]
    fn counts_seconds_per_zone_and_ignores_missing_hr() {
        let clean = Clean {
            elapsed_s: vec![0, 1, 700, 701, 702],
            hr_bpm: vec![120.0, 150.0, 160.0, f32::NAN, 175.0],
            gap_speed_m_s: vec![3.0; 5],
            ..Clean::default()
        };
        let z = zone_seconds(&HrSeconds::of(&clean, 600), 155.0, 170.0).unwrap();
        assert_eq!((z.z1_s, z.z2_s, z.z3_s), (2.0, 1.0, 1.0));
        assert_eq!(z.z2_share_after_warmup, Some(0.5));
    }

    #[test]
    fn no_heart_rate_no_zones() {
        let clean = Clean { elapsed_s: vec![0, 1], hr_bpm: vec![f32::NAN; 2], ..Clean::default() };
        assert_eq!(zone_seconds(&HrSeconds::of(&clean, 600), 155.0, 170.0), None);
    }
}
