//! Training phases: each ISO week labelled from its load against the weeks
//! before and its intensity distribution, then runs of equal labels joined
//! into blocks. In order of precedence:
//! - break: under a quarter of the athlete's typical week;
//! - taper: load falling (under 0.85 x the 3 weeks before) with a race this
//!   week or in the next two;
//! - recovery: a week well down (under 0.7 x the 3 weeks before);
//! - build: 10 % or more of heart-rate time in Z3 over the 3 weeks ending
//!   with this one (one race does not make a build);
//! - base: the rest (steady or rising volume, mostly Z1).
//!
//! A single base or build week between two blocks of the other is joined
//! to them: one hard or one easy week does not change a phase.

use chrono::{Duration, NaiveDate};

use crate::stats::median;

const BREAK_SHARE: f64 = 0.25;
const TAPER_SHARE: f64 = 0.85;
const RECOVERY_SHARE: f64 = 0.7;
const BUILD_Z3_SHARE: f64 = 0.10;
const PRIOR_WEEKS: usize = 3;
const RACE_AHEAD_DAYS: i64 = 21;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PhaseKind {
    Base,
    Build,
    Taper,
    Recovery,
    Break,
}

impl PhaseKind {
    pub fn as_str(self) -> &'static str {
        match self {
            PhaseKind::Base => "base",
            PhaseKind::Build => "build",
            PhaseKind::Taper => "taper",
            PhaseKind::Recovery => "recovery",
            PhaseKind::Break => "break",
        }
    }
}

/// What a week is judged on.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct WeekLoad {
    pub start: NaiveDate,
    pub load: f64,
    /// Share of heart-rate time in Z3, when there was heart rate.
    pub z3_share: Option<f64>,
}

/// A block of consecutive weeks with one label; `end` is its last Sunday.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Phase {
    pub kind: PhaseKind,
    pub start: NaiveDate,
    pub end: NaiveDate,
    pub weeks: u32,
}

/// Blocks over `weeks` (consecutive, in order); `races` are race days.
pub fn phases(weeks: &[WeekLoad], races: &[NaiveDate]) -> Vec<Phase> {
    let mut typical: Vec<f64> = weeks.iter().map(|w| w.load).filter(|l| *l > 0.0).collect();
    let Some(typical) = median(&mut typical) else { return Vec::new() };
    let mut kinds: Vec<PhaseKind> = weeks
        .iter()
        .enumerate()
        .map(|(i, w)| {
            let z3_share = rolling_z3_share(&weeks[i.saturating_sub(PRIOR_WEEKS - 1)..=i]);
            label(w, z3_share, &weeks[i.saturating_sub(PRIOR_WEEKS)..i], typical, races)
        })
        .collect();
    for i in 1..kinds.len().saturating_sub(1) {
        let (before, here, after) = (kinds[i - 1], kinds[i], kinds[i + 1]);
        let steady = |k: PhaseKind| matches!(k, PhaseKind::Base | PhaseKind::Build);
        if before == after && here != before && steady(here) && steady(before) {
            kinds[i] = before;
        }
    }
    let mut out: Vec<Phase> = Vec::new();
    for (w, kind) in weeks.iter().zip(kinds) {
        match out.last_mut() {
            Some(p) if p.kind == kind => {
                p.end = w.start + Duration::days(6);
                p.weeks += 1;
            }
            _ => out.push(Phase { kind, start: w.start, end: w.start + Duration::days(6), weeks: 1 }),
        }
    }
    out
}

/// Z3 share of the weeks' heart-rate time, weighting each week by its load
/// (the weekly shares are all that is kept).
fn rolling_z3_share(weeks: &[WeekLoad]) -> Option<f64> {
    let with: Vec<(f64, f64)> = weeks.iter().filter_map(|w| Some((w.z3_share?, w.load.max(1e-9)))).collect();
    let total: f64 = with.iter().map(|w| w.1).sum();
    (!with.is_empty()).then(|| with.iter().map(|(z, l)| z * l).sum::<f64>() / total)
}

fn label(w: &WeekLoad, z3_share: Option<f64>, prior: &[WeekLoad], typical: f64, races: &[NaiveDate]) -> PhaseKind {
    let prior_mean = (!prior.is_empty()).then(|| prior.iter().map(|p| p.load).sum::<f64>() / prior.len() as f64);
    let below = |share: f64| prior_mean.is_some_and(|p| w.load < share * p);
    let race_ahead = races.iter().any(|r| (w.start..w.start + Duration::days(RACE_AHEAD_DAYS)).contains(r));
    if w.load < BREAK_SHARE * typical {
        PhaseKind::Break
    } else if race_ahead && below(TAPER_SHARE) {
        PhaseKind::Taper
    } else if below(RECOVERY_SHARE) {
        PhaseKind::Recovery
    } else if z3_share.is_some_and(|z| z >= BUILD_Z3_SHARE) {
        PhaseKind::Build
    } else {
        PhaseKind::Base
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn weeks(loads: &[(f64, f64)]) -> Vec<WeekLoad> {
        let monday = NaiveDate::from_ymd_opt(2026, 1, 5).unwrap();
        loads
            .iter()
            .zip(0i64..)
            .map(|(&(load, z3), i)| WeekLoad { start: monday + Duration::weeks(i), load, z3_share: Some(z3) })
            .collect()
    }

    #[test]
    fn a_season_reads_base_build_taper_break() {
        let w = weeks(&[
            (200.0, 0.02),
            (220.0, 0.03),
            (240.0, 0.02),
            (260.0, 0.25),
            (280.0, 0.18),
            (160.0, 0.12),
            (100.0, 0.2),
            (0.0, 0.0),
            (20.0, 0.0),
            (180.0, 0.02),
        ]);
        // Race on the Sunday of week 6 (0-based).
        let race = w[6].start + Duration::days(6);
        let p = phases(&w, &[race]);
        let kinds: Vec<(&str, u32)> = p.iter().map(|p| (p.kind.as_str(), p.weeks)).collect();
        assert_eq!(kinds, vec![("base", 3), ("build", 2), ("taper", 2), ("break", 2), ("base", 1)]);
        assert_eq!(p[2].start, w[5].start);
        assert_eq!(p[2].end, race);
    }

    #[test]
    fn one_hard_week_in_a_base_block_is_no_build() {
        let w = weeks(&[(200.0, 0.02), (210.0, 0.02), (220.0, 0.16), (220.0, 0.02), (230.0, 0.02)]);
        let kinds: Vec<&str> = phases(&w, &[]).iter().map(|p| p.kind.as_str()).collect();
        assert_eq!(kinds, vec!["base"]);
    }

    #[test]
    fn one_build_week_inside_base_joins_it() {
        // Only week 3's 3-week Z3 share reaches 10 % ((0.13 + 0.13 + 0.05) / 3).
        let w = weeks(&[(200.0, 0.0), (200.0, 0.13), (200.0, 0.13), (200.0, 0.05), (200.0, 0.0), (200.0, 0.0)]);
        let kinds: Vec<&str> = phases(&w, &[]).iter().map(|p| p.kind.as_str()).collect();
        assert_eq!(kinds, vec!["base"], "{:?}", phases(&w, &[]));
    }

    #[test]
    fn a_down_week_without_a_race_is_recovery() {
        let w = weeks(&[(200.0, 0.02), (210.0, 0.02), (220.0, 0.02), (120.0, 0.02), (210.0, 0.02)]);
        let kinds: Vec<&str> = phases(&w, &[]).iter().map(|p| p.kind.as_str()).collect();
        assert_eq!(kinds, vec!["base", "recovery", "base"]);
    }
}
