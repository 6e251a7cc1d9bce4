//! What the watch makes of the truth: an optical or chest heart-rate sensor
//! with its artifacts (cadence lock, high readings at the start, a dry
//! strap, dropouts, spikes), GPS with correlated noise and a bad first fix,
//! a drifting barometer, and the sampling (every second or smart).

use std::f64::consts::PI;

use super::terrain::M_PER_DEG_LAT;
use super::{Athlete, Recording, Sensor};
use crate::athlete::Rng;

/// A run's heart-rate artifacts, drawn before it starts (seconds from the start).
#[derive(Clone, Debug, Default)]
pub struct HrArtifacts {
    /// Reads `level` instead of the heart for the first `len` seconds.
    pub start_spike: Option<(u32, f64)>,
    /// Reads low (a dry chest strap) for the first this many seconds.
    pub dry_strap_s: u32,
    /// Locked onto the step rate: (from, len).
    pub cadence_lock: Option<(u32, u32)>,
    /// No reading: (from, len).
    pub dropouts: Vec<(u32, u32)>,
    pub spike_share: f64,
}

impl HrArtifacts {
    pub fn draw(rng: &mut Rng, a: &Athlete, temperature_c: f64, planned_s: f64) -> HrArtifacts {
        let mut out = HrArtifacts::default();
        match a.sensor {
            Sensor::Wrist => {
                if rng.unit() < 0.3 {
                    let level = rng.range(145.0, a.physiology.max_hr_bpm + 4.0);
                    out.start_spike = Some((rng.range(30.0, 150.0) as u32, level));
                }
                // Cold skin makes the optical sensor lock onto the arm swing.
                let lock_p = if temperature_c < 8.0 { 0.35 } else { 0.18 };
                if rng.unit() < lock_p {
                    out.cadence_lock = Some((rng.range(60.0, 600.0) as u32, rng.range(60.0, 240.0) as u32));
                }
                out.spike_share = 0.003;
            }
            Sensor::Chest => {
                if temperature_c < 12.0 && rng.unit() < 0.4 {
                    out.dry_strap_s = rng.range(40.0, 180.0) as u32;
                }
                out.spike_share = 0.0005;
            }
        }
        let dropouts = if rng.unit() < 0.12 { 1 + (rng.next_u64() % 2) as usize } else { 0 };
        for _ in 0..dropouts {
            out.dropouts.push((rng.range(120.0, planned_s.max(300.0)) as u32, rng.range(15.0, 120.0) as u32));
        }
        out
    }

    /// The recorded value at `t` s for a true (smoothed) heart rate and the
    /// current step rate; `None` when the sensor has nothing.
    pub fn reading(&self, rng: &mut Rng, t: u32, hr_bpm: f64, step_rate_spm: f64, sensor: Sensor) -> Option<f64> {
        if self.dropouts.iter().any(|&(from, len)| (from..from + len).contains(&t)) {
            return None;
        }
        let noise = if sensor == Sensor::Wrist { 1.5 } else { 0.8 };
        let mut v = hr_bpm + rng.noise(noise);
        if let Some((len, level)) = self.start_spike
            && t < len
        {
            // Eases back onto the heart over the last 20 seconds.
            let w = (f64::from(len - t) / 20.0).min(1.0);
            v = v * (1.0 - w) + (level + rng.noise(3.0)) * w;
        }
        if t < self.dry_strap_s {
            v = 0.55 * v + rng.noise(6.0);
        }
        if let Some((from, len)) = self.cadence_lock
            && (from..from + len).contains(&t)
            && step_rate_spm > 0.0
        {
            v = step_rate_spm + rng.noise(1.0);
        }
        if rng.unit() < self.spike_share {
            v += if rng.unit() < 0.7 { rng.range(30.0, 60.0) } else { -rng.range(30.0, 50.0) };
        }
        Some(v.round().clamp(30.0, 240.0))
    }

    pub fn locked_s(&self) -> u32 {
        self.cadence_lock.map_or(0, |l| l.1)
    }
}

/// GPS error: a correlated wander plus, on some runs, a first fix far off
/// that snaps onto the track after a while.
#[derive(Clone, Debug)]
pub struct Gps {
    east_m: f64,
    north_m: f64,
    sd_m: f64,
    first_fix: Option<(f64, f64, u32)>,
}

impl Gps {
    pub fn new(rng: &mut Rng, sd_m: f64, bad_first_fix_share: f64) -> Gps {
        let first_fix = (rng.unit() < bad_first_fix_share).then(|| {
            let (angle, far) = (rng.range(0.0, 2.0 * PI), rng.range(150.0, 700.0));
            (far * angle.cos(), far * angle.sin(), rng.range(5.0, 40.0) as u32)
        });
        Gps { east_m: rng.noise(sd_m), north_m: rng.noise(sd_m), sd_m, first_fix }
    }

    pub fn first_fix_error_m(&self) -> f64 {
        self.first_fix.map_or(0.0, |(e, n, _)| e.hypot(n))
    }

    /// Advance the wander by `dt_s` seconds (correlation time ~30 s).
    pub fn step(&mut self, rng: &mut Rng, dt_s: f64) {
        let rho = (-dt_s / 30.0).exp();
        let fresh = (1.0 - rho * rho).sqrt();
        self.east_m = rho * self.east_m + fresh * rng.noise(self.sd_m);
        self.north_m = rho * self.north_m + fresh * rng.noise(self.sd_m);
    }

    /// The recorded position at `t` s for a true position.
    pub fn fix(&self, t: u32, lat: f64, lon: f64) -> (f64, f64) {
        let (mut east, mut north) = (self.east_m, self.north_m);
        if let Some((e, n, hold_s)) = self.first_fix {
            // Off by hundreds of metres, then converging within seconds.
            let w = if t <= hold_s { 1.0 } else { (-f64::from(t - hold_s) / 4.0).exp() };
            east += e * w;
            north += n * w;
        }
        (lat + north / M_PER_DEG_LAT, lon + east / (M_PER_DEG_LAT * lat.to_radians().cos()))
    }
}

/// Seconds to the next recorded sample.
pub fn next_interval_s(rng: &mut Rng, recording: Recording) -> u32 {
    match recording {
        Recording::EverySecond => 1,
        // Smart recording: short gaps in turns and changes, up to 8 s.
        Recording::Smart => {
            const WEIGHTS: [f64; 8] = [0.14, 0.14, 0.18, 0.16, 0.13, 0.11, 0.08, 0.06];
            let mut x = rng.unit();
            for (i, w) in WEIGHTS.iter().enumerate() {
                if x < *w {
                    return i as u32 + 1;
                }
                x -= w;
            }
            8
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn smart_recording_spans_one_to_eight_seconds() {
        let mut rng = Rng::new(3);
        let v: Vec<u32> = (0..2000).map(|_| next_interval_s(&mut rng, Recording::Smart)).collect();
        assert_eq!(v.iter().min(), Some(&1));
        assert_eq!(v.iter().max(), Some(&8));
        let mean = f64::from(v.iter().sum::<u32>()) / 2000.0;
        assert!((3.0..4.5).contains(&mean), "{mean}");
    }

    #[test]
    fn a_bad_first_fix_is_far_then_on_track() {
        let mut rng = Rng::new(5);
        let gps = Gps::new(&mut rng, 4.0, 1.0);
        let (lat, lon) = (46.5, 6.6);
        let first = gps.fix(0, lat, lon);
        let later = gps.fix(120, lat, lon);
        assert!((first.0 - lat).hypot(first.1 - lon) * M_PER_DEG_LAT > 100.0);
        assert!((later.0 - lat).hypot(later.1 - lon) * M_PER_DEG_LAT < 30.0);
    }
}
