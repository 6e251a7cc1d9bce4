//! GPS fixes: the one decision of which fixes are jumps. The summary's
//! distance, the cleaned distance and the route signature all ask it, so a
//! bad fix counts the same way everywhere. The distance between two fixes
//! is measured once per activity and shared the same way.

use std::cell::OnceCell;

use super::Samples;
use crate::geo::haversine_m;

/// Faster than this between two fixes on foot is a GPS jump, not running.
pub const GPS_JUMP_SPEED_M_S: f64 = 12.0;
/// The track's start is the earliest fix most of this many first fixes
/// agree with: a phone's first fix is often kilometres off.
const ANCHOR_FIXES: usize = 10;
/// This many rejected fixes in a row that agree with each other are the
/// track, not jumps: the fix they were measured from was the bad one (or
/// the recording really resumed elsewhere).
const REANCHOR_FIXES: usize = 10;

/// What one sample's position is worth.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Fix {
    /// No position recorded.
    Missing,
    /// A fix no runner could have reached: left out, counted.
    Jump,
    /// A kept fix that starts a piece of track (the first, or the first
    /// after the track resumed out of reach of the last kept fix).
    Start,
    /// A kept fix reached from the previous kept fix: the step between them
    /// is distance.
    Step,
}

impl Fix {
    pub fn is_kept(self) -> bool {
        matches!(self, Fix::Start | Fix::Step)
    }
}

#[derive(Clone, Copy)]
struct Pos {
    i: usize,
    lat: f64,
    lon: f64,
    t_ms: i64,
}

/// The fixes of an activity with the distance between neighbours, measured
/// once: classifying asks for most of them two or three times.
struct Track<'a> {
    fixes: Vec<Pos>,
    steps_m: &'a [f64],
}

impl Track<'_> {
    /// Could a runner get from fix `a` to fix `b` in the time between them?
    /// Fixes sharing a timestamp get a second: a step of a few metres is noise.
    fn reachable(&self, a: usize, b: usize) -> bool {
        let (pa, pb) = (self.fixes[a], self.fixes[b]);
        let dt_s = ((pb.t_ms - pa.t_ms).abs() as f64 / 1000.0).max(1.0);
        let distance_m = if b == a + 1 { self.steps_m[pb.i] } else { haversine_m(pa.lat, pa.lon, pb.lat, pb.lon) };
        distance_m <= GPS_JUMP_SPEED_M_S * dt_s
    }
}

/// The distance from each sample's position to the position of the sample
/// before it that has one: 0 for the first position, NaN for a sample
/// without one.
pub fn steps_m(s: &Samples) -> Vec<f64> {
    let mut last: Option<(f64, f64)> = None;
    s.lat_deg
        .iter()
        .zip(&s.lon_deg)
        .map(|(&lat, &lon)| {
            if !(lat.is_finite() && lon.is_finite()) {
                return f64::NAN;
            }
            let step = last.map_or(0.0, |(a, b)| haversine_m(a, b, lat, lon));
            last = Some((lat, lon));
            step
        })
        .collect()
}

/// Classify every sample's position (samples in time order). No single fix
/// is trusted: the start is the fix most early fixes agree with, a lone fix
/// whose neighbours agree without it is a jump even after a pause, and a
/// run of fixes that agree among themselves is never thrown away because
/// of one bad fix before it.
pub fn classify_fixes(s: &Samples) -> Vec<Fix> {
    classify(s, &steps_m(s))
}

/// [`classify_fixes`], with the samples' [`steps_m`].
fn classify(s: &Samples, steps_m: &[f64]) -> Vec<Fix> {
    let fixes: Vec<Pos> = (0..s.len())
        .filter(|&i| s.lat_deg[i].is_finite() && s.lon_deg[i].is_finite())
        .map(|i| Pos { i, lat: s.lat_deg[i], lon: s.lon_deg[i], t_ms: s.time_ms[i] })
        .collect();
    let track = Track { fixes, steps_m };
    let fixes = &track.fixes;
    let reachable = |a: usize, b: usize| track.reachable(a, b);
    let mut out = vec![Fix::Missing; s.len()];
    let Some(anchor) = anchor(&track) else { return out };
    for f in &fixes[..anchor] {
        out[f.i] = Fix::Jump;
    }
    out[fixes[anchor].i] = Fix::Start;
    // The last kept fix, how many the current piece holds, and whether it
    // is the first piece (the one the start was guessed for).
    let (mut last, mut kept, mut first_piece) = (anchor, 1usize, true);
    // The fixes rejected since the last kept one, while they agree in turn.
    let mut streak: Vec<usize> = Vec::new();
    for k in anchor + 1..fixes.len() {
        let here = fixes[k];
        let next = (k + 1 < fixes.len()).then_some(k + 1);
        let lone = next.is_some_and(|n| !reachable(k, n) && reachable(last, n));
        if reachable(last, k) && !lone {
            out[here.i] = Fix::Step;
            (last, kept) = (k, kept + 1);
            streak.clear();
            continue;
        }
        out[here.i] = Fix::Jump;
        if !streak.last().is_some_and(|&j| reachable(j, k)) {
            streak.clear();
        }
        streak.push(k);
        if streak.len() >= REANCHOR_FIXES {
            // A start that held a bad position for a while: the track that
            // disagrees with it runs on for longer than it lasted.
            if first_piece && chain_len(&track, streak[0], kept + 1) > kept {
                for f in &fixes[..streak[0]] {
                    out[f.i] = Fix::Jump;
                }
            }
            out[fixes[streak[0]].i] = Fix::Start;
            for &j in &streak[1..] {
                out[fixes[j].i] = Fix::Step;
            }
            (last, kept, first_piece) = (k, streak.len(), false);
            streak.clear();
        }
    }
    out
}

/// How many fixes from `from` on each reach the next (at most `limit`).
fn chain_len(track: &Track<'_>, from: usize, limit: usize) -> usize {
    let mut n = 1;
    while n < limit && from + n < track.fixes.len() && track.reachable(from + n - 1, from + n) {
        n += 1;
    }
    n
}

/// The earliest of the first fixes that most of the others could reach.
fn anchor(track: &Track<'_>) -> Option<usize> {
    let first = track.fixes.len().min(ANCHOR_FIXES);
    let others = first.checked_sub(1)?;
    let agreed = (0..first).find(|&c| {
        let support = (0..first).filter(|&k| k != c && track.reachable(c, k)).count();
        support * 2 > others
    });
    Some(agreed.unwrap_or(0))
}

/// One activity's fixes, classified when a stage first asks and then
/// shared, with the distances between them: the summary's distance, the
/// cleaned distance, the route signature and the recovery all ask, and
/// classifying took 5 % of analysing a GPX run each time, the distances
/// (sines and cosines) as much again.
pub struct SharedFixes<'s> {
    samples: &'s Samples,
    steps_m: OnceCell<Vec<f64>>,
    fixes: OnceCell<Vec<Fix>>,
    kept_steps_m: OnceCell<Vec<f64>>,
}

impl<'s> SharedFixes<'s> {
    pub fn new(samples: &'s Samples) -> SharedFixes<'s> {
        SharedFixes { samples, steps_m: OnceCell::new(), fixes: OnceCell::new(), kept_steps_m: OnceCell::new() }
    }

    /// [`classify_fixes`] of the samples.
    pub fn get(&self) -> &[Fix] {
        self.fixes.get_or_init(|| classify(self.samples, self.steps_m()))
    }

    /// [`steps_m`] of the samples: every fix's distance from the fix before.
    pub fn steps_m(&self) -> &[f64] {
        self.steps_m.get_or_init(|| steps_m(self.samples))
    }

    /// Each `Step` fix's distance from the kept fix before it, 0 for every
    /// other sample: the track's steps, never a jump nor the way to where
    /// a track resumed out of reach.
    pub fn kept_steps_m(&self) -> &[f64] {
        self.kept_steps_m.get_or_init(|| {
            let (s, steps) = (self.samples, self.steps_m());
            // The kept fix before, and whether no fix came between.
            let (mut prev, mut prev_is_last) = (None::<usize>, false);
            self.get()
                .iter()
                .enumerate()
                .map(|(i, fix)| {
                    let step = match (fix, prev) {
                        (Fix::Step, Some(_)) if prev_is_last => steps[i],
                        (Fix::Step, Some(p)) => haversine_m(s.lat_deg[p], s.lon_deg[p], s.lat_deg[i], s.lon_deg[i]),
                        _ => 0.0,
                    };
                    if fix.is_kept() {
                        (prev, prev_is_last) = (Some(i), true);
                    } else if *fix != Fix::Missing {
                        prev_is_last = false;
                    }
                    step
                })
                .collect()
        })
    }

    /// Length of the kept track (the sum of [`SharedFixes::kept_steps_m`]).
    pub fn track_length_m(&self) -> Option<f64> {
        let fixes = self.get();
        let steps = self.kept_steps_m();
        // Added in order, as the cleaned distance is.
        fixes
            .contains(&Fix::Step)
            .then(|| steps.iter().zip(fixes).filter(|(_, f)| **f == Fix::Step).fold(0.0, |total, (d, _)| total + d))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::parse::Point;

    use crate::geo::M_PER_DEG;

    /// A straight run north at 3 m/s, one fix a second; `off` moves fixes
    /// (index, metres north) somewhere else.
    fn track(n: usize, off: &[(usize, f64)]) -> Samples {
        let mut s = Samples::default();
        for i in 0..n {
            let north_m = off.iter().find(|(k, _)| *k == i).map_or(i as f64 * 3.0, |(_, m)| *m);
            s.push(&Point {
                time_ms: i64::try_from(i).unwrap() * 1000,
                lat_deg: Some(46.5 + north_m / M_PER_DEG),
                lon_deg: Some(6.6),
                ..Point::default()
            });
        }
        s
    }

    fn jumps(f: &[Fix]) -> Vec<usize> {
        (0..f.len()).filter(|&i| f[i] == Fix::Jump).collect()
    }

    #[test]
    fn a_first_fix_3_km_off_is_the_only_jump() {
        let s = track(400, &[(0, -3000.0)]);
        let f = classify_fixes(&s);
        assert_eq!(jumps(&f), [0]);
        assert_eq!(f[1], Fix::Start);
        let length = SharedFixes::new(&s).track_length_m().unwrap();
        assert!((length - 398.0 * 3.0).abs() < 0.5, "{length}");
    }

    #[test]
    fn a_bad_start_held_for_a_while_is_dropped_when_the_track_disagrees() {
        let off: Vec<(usize, f64)> = (0..15).map(|i| (i, -3000.0)).collect();
        let f = classify_fixes(&track(400, &off));
        assert_eq!(jumps(&f), (0..15).collect::<Vec<_>>());
    }

    #[test]
    fn a_lone_fix_after_a_pause_is_a_jump_when_its_neighbours_agree_without_it() {
        let mut s = track(100, &[]);
        // The watch stood still for 10 minutes, then its first fix is 2 km off.
        for t in &mut s.time_ms[50..] {
            *t += 600_000;
        }
        s.lat_deg[50] += 2000.0 / M_PER_DEG;
        let f = classify_fixes(&s);
        assert_eq!(jumps(&f), [50]);
    }

    #[test]
    fn a_track_resuming_far_away_is_kept_as_a_new_piece() {
        // Two 200-fix pieces 5 km apart with no time between them.
        let off: Vec<(usize, f64)> = (200..400).map(|i| (i, 5000.0 + i as f64 * 3.0)).collect();
        let s = track(400, &off);
        let f = classify_fixes(&s);
        assert_eq!(jumps(&f), [0usize; 0], "the new piece is kept once enough of it agrees");
        assert_eq!(f[200], Fix::Start);
        let length = SharedFixes::new(&s).track_length_m().unwrap();
        assert!(length < 1200.0, "no step to the new piece: {length}");
    }

    /// The bug it guards against: sharing the distances between neighbours
    /// would measure the step after a jump from the jump, not from the
    /// kept fix before it.
    #[test]
    fn a_step_over_a_jump_is_measured_from_the_kept_fix_before_it() {
        let s = track(100, &[(50, 5000.0)]);
        let shared = SharedFixes::new(&s);
        assert_eq!(jumps(shared.get()), [50]);
        let steps = shared.kept_steps_m();
        assert!((steps[51] - 6.0).abs() < 0.01, "two seconds at 3 m/s: {}", steps[51]);
        assert!(shared.steps_m()[51] > 4000.0, "the neighbour's step is from the jump");
        assert_eq!((steps[50], steps[0]), (0.0, 0.0), "a jump and the start add nothing");
        let length = shared.track_length_m().unwrap();
        assert!((length - 99.0 * 3.0).abs() < 0.5, "{length}");
    }
}
