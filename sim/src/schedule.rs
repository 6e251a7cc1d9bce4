//! Training written day by day, for the training-load checks: the weekly
//! plan of `athlete` cannot stop for three weeks and come back at 120 %,
//! taper into a race or run the same run every day. Each scenario is a list
//! of sessions; [`simulate_schedule`] turns them into activities with the
//! same physiology, heart-rate model and loops as `athlete::simulate`.

use crate::athlete::{Plan, Rng, RunKind, SimActivity, fitness_in_week, simulate_one};

/// One session, `day` days after the plan's first Monday.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Session {
    pub day: i64,
    pub kind: RunKind,
    pub minutes: f64,
}

/// The steady week: easy Monday, intervals Wednesday, easy Friday, long
/// Sunday, each scaled by `scale`.
pub fn steady_week(week: i64, scale: f64) -> Vec<Session> {
    [(0, RunKind::Easy, 40.0), (2, RunKind::Intervals, 50.0), (4, RunKind::Easy, 45.0), (6, RunKind::Long, 85.0)]
        .into_iter()
        .map(|(d, kind, minutes)| Session { day: week * 7 + d, kind, minutes: minutes * scale })
        .collect()
}

/// `weeks` steady weeks from `from`.
pub fn steady(from: i64, weeks: i64) -> Vec<Session> {
    (from..from + weeks).flat_map(|w| steady_week(w, 1.0)).collect()
}

/// 20 steady weeks: nothing about load should be flagged.
pub fn steady_season() -> Vec<Session> {
    steady(0, 20)
}

/// 8 steady weeks, 3 weeks off (weeks 8-10), then straight back at
/// `scales` of the steady week, then steady again.
pub fn comeback(scales: &[f64]) -> Vec<Session> {
    let mut s = steady(0, 8);
    let back = 11;
    for (i, &scale) in scales.iter().enumerate() {
        s.extend(steady_week(back + i as i64, scale));
    }
    s.extend(steady(back + scales.len() as i64, 4));
    s
}

/// The too-steep comeback: 125 % of the usual week from the first week back.
pub fn steep_comeback() -> Vec<Session> {
    comeback(&[1.25, 1.25])
}

/// The sensible comeback: half the usual week, then a tenth more each week.
pub fn sensible_comeback() -> Vec<Session> {
    comeback(&[0.45, 0.55, 0.65, 0.75, 0.85])
}

/// 10 steady weeks, then two weeks tapering (70 %, then 45 % and a race on
/// the Saturday of week 11), then 2 easy weeks.
pub fn taper() -> Vec<Session> {
    let mut s = steady(0, 10);
    s.extend(steady_week(10, 0.7));
    s.extend(steady_week(11, 0.45).into_iter().filter(|x| x.day % 7 < 4));
    s.push(Session { day: 11 * 7 + 5, kind: RunKind::Race, minutes: 40.0 });
    s.extend((12..14).flat_map(|w| steady_week(w, 0.8)));
    s
}

/// 8 steady weeks, then 4 weeks of the same 45-minute easy run every day,
/// then 2 steady weeks.
pub fn identical_days() -> Vec<Session> {
    let mut s = steady(0, 8);
    s.extend((56..84).map(|day| Session { day, kind: RunKind::Easy, minutes: 45.0 }));
    s.extend(steady(12, 2));
    s
}

/// The sessions as activities, in order (`plan` gives physiology, start,
/// time zone, recording interval and seed; its weekly plan is not used).
pub fn simulate_schedule(plan: &Plan, sessions: &[Session]) -> Vec<SimActivity> {
    let mut rng = Rng::new(plan.seed);
    let weeks = sessions.iter().map(|s| s.day / 7 + 1).max().unwrap_or(1);
    sessions
        .iter()
        .enumerate()
        .map(|(i, s)| {
            let local_start_s = (6.5 * 3600.0 + rng.range(0.0, 5400.0)) as i64;
            let start = plan.first_monday_unix_s + s.day * 86_400 + local_start_s - i64::from(plan.utc_offset_s);
            let duration_s = (s.minutes * 60.0 * rng.range(0.97, 1.03)) as i64;
            let week = (s.day / 7) as usize;
            let progress = week as f64 / (weeks - 1).max(1) as f64;
            let fitness = fitness_in_week(plan, week, progress);
            simulate_one(
                &mut rng,
                plan,
                start,
                (duration_s, 0, plan.hr_recovery_tau_s.0),
                s.kind,
                i % plan.routes.max(1),
                fitness,
            )
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn scenarios_hold_what_they_say() {
        let steep = steep_comeback();
        assert!(steep.iter().all(|s| !(56..77).contains(&s.day)), "three weeks off");
        let plan = Plan { step_s: 10, ..Plan::new(3, 1) };
        let runs = simulate_schedule(&plan, &identical_days()[..3]);
        assert_eq!(runs.len(), 3);
        assert!(runs.windows(2).all(|w| w[0].start_unix_s < w[1].start_unix_s));
        assert_eq!(taper().iter().filter(|s| s.kind == RunKind::Race).count(), 1);
    }
}
