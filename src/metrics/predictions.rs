//! Race predictions for 5 km to the marathon, three ways side by side, each
//! saying what it rests on, because each fails differently: Riegel's power
//! law with the athlete's own exponent, Daniels and Gilbert's VDOT, and the
//! athlete's race efforts carried forward by their pace at a fixed heart
//! rate (the fitness signal runlens trusts most).

use chrono::NaiveDate;

use crate::units::clock;

/// The race distances predicted.
pub const TARGETS_M: [f64; 4] = [5000.0, 10_000.0, 21_097.5, 42_195.0];
/// Shorter efforts say little about race pace (Daniels' tables start at 1500 m).
pub const MIN_BASIS_M: f64 = 1500.0;
/// Riegel's own exponent, used when the athlete's is not believable.
pub const RIEGEL_DEFAULT: f64 = 1.06;
const RIEGEL_ACCEPTED: std::ops::RangeInclusive<f64> = 1.0..=2.0;
/// Two efforts this far apart in distance (ratio) can fit an exponent.
const MIN_EXPONENT_SPAN: f64 = 1.5;
/// The pace-at-HR method reads the middle of this many hardest efforts.
const HARDEST: usize = 3;
/// Predicting further than this factor from the efforts is out of range.
const RANGE_FACTOR: f64 = 4.0;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Method {
    Riegel,
    Vdot,
    PaceAtHr,
}

impl Method {
    pub const ALL: [Method; 3] = [Method::Riegel, Method::Vdot, Method::PaceAtHr];

    pub fn as_str(self) -> &'static str {
        match self {
            Method::Riegel => "riegel",
            Method::Vdot => "vdot",
            Method::PaceAtHr => "pace_at_hr",
        }
    }
}

/// A best effort with its day, as the predictions read it.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Basis {
    pub distance_m: f64,
    pub time_s: f64,
    pub day: NaiveDate,
}

impl Basis {
    fn vdot(&self) -> f64 {
        vdot(self.distance_m, self.time_s)
    }

    fn describe(&self) -> String {
        format!("{} in {} on {}", distance_name(self.distance_m), clock(self.time_s), self.day)
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct Prediction {
    pub distance_m: f64,
    pub method: Method,
    pub time_s: f64,
    /// The efforts (and figures) it rests on, in words.
    pub rests_on: String,
    /// Why it is an extrapolation beyond the data, when it is.
    pub out_of_range: Option<String>,
    /// Pace at HR only: seconds gained (negative) or lost since `since`, the
    /// day of the effort it rests on.
    pub change_s: Option<f64>,
    pub since: Option<NaiveDate>,
}

#[derive(Debug, Clone, Default, PartialEq)]
pub struct Predictions {
    pub predictions: Vec<Prediction>,
    /// Methods with no prediction, and why.
    pub unavailable: Vec<(Method, String)>,
    /// The Riegel exponent used and where it came from.
    pub riegel_exponent: Option<(f64, String)>,
}

/// What the predictions read: the best effort per distance of the last 12
/// weeks, every run's best efforts, and the athlete's pace at the target HR
/// around a day (`None` where no runs say).
pub struct Inputs<'a> {
    pub recent: &'a [Basis],
    pub history: &'a [Basis],
    pub pace_at_hr_s_per_km: &'a dyn Fn(NaiveDate) -> Option<f64>,
    pub today: NaiveDate,
}

/// "5 km", "half marathon", "1 mile", "3 km".
pub fn distance_name(distance_m: f64) -> String {
    match distance_m {
        d if (d - 21_097.5).abs() < 1.0 => "half marathon".into(),
        d if (d - 42_195.0).abs() < 1.0 => "marathon".into(),
        d if (d - 1609.344).abs() < 1.0 => "1 mile".into(),
        d if d < 1000.0 => format!("{d:.0} m"),
        d => format!("{} km", crate::stats::round(d / 1000.0, 2)),
    }
}

/// Daniels and Gilbert's oxygen cost of running at `v_m_min` (ml/kg/min).
fn oxygen_cost(v_m_min: f64) -> f64 {
    -4.60 + 0.182_258 * v_m_min + 0.000_104 * v_m_min * v_m_min
}

/// The share of `VO2max` that can be held for `t_min` minutes.
fn sustainable_share(t_min: f64) -> f64 {
    0.8 + 0.189_439_3 * (-0.012_778 * t_min).exp() + 0.298_955_8 * (-0.193_260_5 * t_min).exp()
}

/// Daniels and Gilbert's VDOT of a race: its oxygen cost over the share
/// of `VO2max` held that long.
pub fn vdot(distance_m: f64, time_s: f64) -> f64 {
    let t_min = time_s / 60.0;
    oxygen_cost(distance_m / t_min) / sustainable_share(t_min)
}

/// The time at which a race over `distance_m` scores `vdot` (VDOT falls as
/// the time grows, so bisection finds it).
pub fn vdot_time_s(vdot_score: f64, distance_m: f64) -> f64 {
    let (mut lo, mut hi) = (distance_m / 12.0, distance_m * 2.0);
    for _ in 0..100 {
        let mid = f64::midpoint(lo, hi);
        if vdot(distance_m, mid) > vdot_score {
            lo = mid;
        } else {
            hi = mid;
        }
    }
    f64::midpoint(lo, hi)
}

/// Riegel: the time over `distance_m` of an athlete who ran `from`.
pub fn riegel_time_s(from: &Basis, distance_m: f64, exponent: f64) -> f64 {
    from.time_s * (distance_m / from.distance_m).powf(exponent)
}

/// All three predictions for every target distance.
pub fn predict(inputs: &Inputs<'_>) -> Predictions {
    let mut out = Predictions::default();
    let recent: Vec<&Basis> = inputs.recent.iter().filter(|b| b.distance_m >= MIN_BASIS_M).collect();
    let Some(best) = recent.iter().copied().max_by(|a, b| a.vdot().total_cmp(&b.vdot())) else {
        let why = format!("no effort of {} or more in the last 12 weeks", distance_name(MIN_BASIS_M));
        out.unavailable = Method::ALL.iter().map(|&m| (m, why.clone())).collect();
        return out;
    };
    let (exponent, second, why) = riegel_exponent(best, &recent);
    out.riegel_exponent = Some((exponent, why.clone()));
    let score = best.vdot();
    for &target in &TARGETS_M {
        let from = match second {
            Some(s) if log_gap(s.distance_m, target) < log_gap(best.distance_m, target) => s,
            _ => best,
        };
        let used: Vec<f64> = [Some(best.distance_m), second.map(|s| s.distance_m)].into_iter().flatten().collect();
        out.predictions.push(Prediction {
            distance_m: target,
            method: Method::Riegel,
            time_s: riegel_time_s(from, target, exponent),
            rests_on: format!("{} ({why})", from.describe()),
            out_of_range: out_of_range(target, &used),
            change_s: None,
            since: None,
        });
        out.predictions.push(Prediction {
            distance_m: target,
            method: Method::Vdot,
            time_s: vdot_time_s(score, target),
            rests_on: format!("VDOT {score:.1} from {}", best.describe()),
            out_of_range: out_of_range(target, &[best.distance_m]),
            change_s: None,
            since: None,
        });
    }
    match by_pace_at_hr(inputs, exponent) {
        Ok(mut p) => out.predictions.append(&mut p),
        Err(why) => out.unavailable.push((Method::PaceAtHr, why)),
    }
    // Side by side: per distance, the three methods in order.
    let rank = |m: Method| Method::ALL.iter().position(|&x| x == m);
    out.predictions.sort_by(|a, b| a.distance_m.total_cmp(&b.distance_m).then(rank(a.method).cmp(&rank(b.method))));
    out
}

/// The athlete's own exponent from the best recent effort and the best one
/// at a distance far enough from it; Riegel's 1.06 when there is none or
/// it is not believable.
fn riegel_exponent<'a>(best: &'a Basis, recent: &[&'a Basis]) -> (f64, Option<&'a Basis>, String) {
    let far = |b: &&Basis| b.distance_m.max(best.distance_m) / b.distance_m.min(best.distance_m) >= MIN_EXPONENT_SPAN;
    let Some(second) = recent.iter().copied().filter(far).max_by(|a, b| a.vdot().total_cmp(&b.vdot())) else {
        return (RIEGEL_DEFAULT, None, format!("exponent {RIEGEL_DEFAULT}: no second recent effort to fit one"));
    };
    let fitted = (second.time_s / best.time_s).ln() / (second.distance_m / best.distance_m).ln();
    if RIEGEL_ACCEPTED.contains(&fitted) {
        let why = format!("your exponent {fitted:.3} from {} and {}", best.describe(), second.describe());
        (fitted, Some(second), why)
    } else {
        let why = format!(
            "exponent {RIEGEL_DEFAULT}: yours from {} and {} was {fitted:.2}, outside 1.0-2.0",
            best.describe(),
            second.describe()
        );
        (RIEGEL_DEFAULT, None, why)
    }
}

fn log_gap(a_m: f64, b_m: f64) -> f64 {
    (a_m / b_m).ln().abs()
}

/// Why predicting `target_m` from efforts over `used_m` is an extrapolation.
fn out_of_range(target_m: f64, used_m: &[f64]) -> Option<String> {
    let longest = used_m.iter().copied().fold(0.0, f64::max);
    let shortest = used_m.iter().copied().fold(f64::INFINITY, f64::min);
    if target_m > RANGE_FACTOR * longest {
        Some(format!("{:.1}x the longest effort it rests on ({})", target_m / longest, distance_name(longest)))
    } else if target_m * RANGE_FACTOR < shortest {
        Some(format!("far shorter than the shortest effort it rests on ({})", distance_name(shortest)))
    } else {
        None
    }
}

/// The hardest effort relative to the athlete's pace at HR at the time
/// (its pace over that pace at HR), at the effort distance nearest each
/// target, carried to today's pace at HR and to the target distance by
/// the Riegel exponent.
fn by_pace_at_hr(inputs: &Inputs<'_>, exponent: f64) -> Result<Vec<Prediction>, String> {
    let now = (inputs.pace_at_hr_s_per_km)(inputs.today)
        .ok_or_else(|| "no pace at the target heart rate in the last weeks".to_owned())?;
    let related: Vec<(&Basis, f64)> = inputs
        .history
        .iter()
        .filter(|b| b.distance_m >= MIN_BASIS_M)
        .filter_map(|b| (inputs.pace_at_hr_s_per_km)(b.day).map(|then| (b, then)))
        .collect();
    if related.is_empty() {
        return Err("no effort of 1500 m or more with pace at the target heart rate around its day".into());
    }
    let mut out = Vec::new();
    for &target in &TARGETS_M {
        // The hardest efforts within range of the target (the fastest times
        // they carry to), else those at the nearest distance; the middle of
        // the best three, so one day's odd pace at HR cannot set it.
        let nearest = related.iter().map(|(b, _)| log_gap(b.distance_m, target)).fold(f64::INFINITY, f64::min);
        let reach = RANGE_FACTOR.ln().max(nearest + 1e-9);
        let carried = |&(b, then): &(&Basis, f64)| riegel_time_s(b, target, exponent) * now / then;
        let mut hardest: Vec<&(&Basis, f64)> =
            related.iter().filter(|(b, _)| log_gap(b.distance_m, target) <= reach).collect();
        hardest.sort_by(|a, b| carried(a).total_cmp(&carried(b)));
        hardest.truncate(HARDEST);
        let Some(&&(effort, then)) = hardest.get(hardest.len().saturating_sub(1) / 2) else {
            continue;
        };
        let then_s = riegel_time_s(effort, target, exponent);
        let time_s = then_s * now / then;
        let change_pct = 100.0 * (then / now - 1.0);
        let direction = if change_pct >= 0.0 { "faster" } else { "slower" };
        out.push(Prediction {
            distance_m: target,
            method: Method::PaceAtHr,
            time_s,
            rests_on: format!(
                "{}, carried forward by pace at HR ({:.1} % {direction} since)",
                effort.describe(),
                change_pct.abs()
            ),
            out_of_range: out_of_range(target, &[effort.distance_m]),
            change_s: Some(time_s - then_s),
            since: Some(effort.day),
        });
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, 3, d).unwrap()
    }

    /// Daniels' Running Formula, VDOT table: VDOT 50 runs 5 km in 19:57,
    /// 10 km in 41:21, the half in 1:31:35, the marathon in 3:10:49; VDOT 40
    /// runs 5 km in 24:08.
    #[test]
    fn vdot_matches_daniels_published_tables() {
        for (score, distance_m, table_s) in [
            (50.0, 5000.0, 1197.0),
            (50.0, 10_000.0, 2481.0),
            (50.0, 21_097.5, 5495.0),
            (50.0, 42_195.0, 11_449.0),
            (40.0, 5000.0, 1448.0),
        ] {
            let t = vdot_time_s(score, distance_m);
            assert!((t - table_s).abs() < 0.004 * table_s, "VDOT {score} {distance_m} m: {t} s vs {table_s}");
        }
        assert!((vdot(5000.0, 1197.0) - 50.0).abs() < 0.1);
    }

    /// By hand: 20:00 for 5 km with exponent 1.06 is 20 x 2^1.06 = 41:41.9
    /// for 10 km; two efforts on Riegel's own curve give back 1.06.
    #[test]
    fn riegel_by_hand_and_the_athletes_own_exponent() {
        let five = Basis { distance_m: 5000.0, time_s: 1200.0, day: day(1) };
        assert!((riegel_time_s(&five, 10_000.0, 1.06) - 2501.9).abs() < 0.1);
        let ten = Basis { distance_m: 10_000.0, time_s: 1200.0 * 2f64.powf(1.10), day: day(8) };
        let (k, second, why) = riegel_exponent(&five, &[&five, &ten]);
        assert!((k - 1.10).abs() < 1e-9 && second.is_some() && why.contains("your exponent 1.100"), "{k} {why}");
        // Faster over 10 km than twice the 5 km pace: not believable.
        let odd = Basis { distance_m: 10_000.0, time_s: 2300.0, day: day(8) };
        let (k, second, why) = riegel_exponent(&five, &[&five, &odd]);
        assert!((k - 1.06).abs() < 1e-12 && second.is_none() && why.contains("outside 1.0-2.0"), "{why}");
    }

    /// A marathon from 5 km efforts only is said to be out of range; the
    /// pace-at-HR method carries the hardest effort by the change in pace
    /// at HR (3 % faster now: about 3 % off the time).
    #[test]
    fn three_ways_with_what_they_rest_on_and_the_range() {
        let five = Basis { distance_m: 5000.0, time_s: 1197.0, day: day(2) };
        let easy = Basis { distance_m: 5000.0, time_s: 1500.0, day: day(9) };
        let pace = |d: NaiveDate| Some(if d < day(20) { 300.0 } else { 291.0 });
        let inputs = Inputs { recent: &[five], history: &[five, easy], pace_at_hr_s_per_km: &pace, today: day(30) };
        let p = predict(&inputs);
        let get =
            |m: Method, d: f64| p.predictions.iter().find(|p| p.method == m && (p.distance_m - d).abs() < 0.5).unwrap();
        assert!((get(Method::Vdot, 10_000.0).time_s - 2481.0).abs() < 10.0);
        assert!(get(Method::Vdot, 42_195.0).out_of_range.as_deref().unwrap().contains("8.4x"));
        assert!(
            get(Method::Riegel, 21_097.5).out_of_range.is_some()
                && get(Method::Riegel, 10_000.0).out_of_range.is_none()
        );
        let by_hr = get(Method::PaceAtHr, 5000.0);
        assert!((by_hr.time_s - 1197.0 * 0.97).abs() < 0.5 && by_hr.since == Some(day(2)), "{by_hr:?}");
        assert!((by_hr.change_s.unwrap() + 1197.0 * 0.03).abs() < 0.5 && by_hr.rests_on.contains("5 km in 19:57"));
        assert!(p.riegel_exponent.unwrap().1.contains("no second recent effort"));
    }

    #[test]
    fn nothing_recent_says_so_for_every_method() {
        let none = |_: NaiveDate| None;
        let p = predict(&Inputs { recent: &[], history: &[], pace_at_hr_s_per_km: &none, today: day(1) });
        assert!(p.predictions.is_empty() && p.unavailable.len() == 3);
    }
}
