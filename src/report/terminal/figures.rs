//! The key-figures table of the terminal summary: the few numbers a runner
//! checks after every run of runlens, each on one line.

use super::Paint;
use crate::tables::load_summary::Latest;
use crate::tables::readback::Readback;
use crate::tables::readback::Week;
use crate::units::{Units, hours_minutes};

const RECENT_WEEKS: usize = 4;

/// (name, value) rows, values already coloured by `p`.
pub fn key_figures(input: &Readback, units: Units, p: Paint) -> Vec<(String, String)> {
    let mut rows = Vec::new();
    let s = &input.summary;
    if let Some(target) = s.target_hr_bpm {
        let value = match (&s.pace_at_hr.first_4_weeks, &s.pace_at_hr.last_4_weeks, s.pace_at_hr.change_pct) {
            (Some(first), Some(last), Some(change)) => {
                let word = format!("{:.1} % {}", change.abs(), if change >= 0.0 { "faster" } else { "slower" });
                let word = if change >= 0.0 { p.green(&word) } else { p.red(&word) };
                let give = s.pace_at_hr.change_uncertainty_pct.map_or(String::new(), |u| format!(" (\u{b1} {u:.1} %)"));
                format!("{} \u{2192} {}, {word}{give}", units.pace(first.pace_s_per_km), units.pace(last.pace_s_per_km))
            }
            _ => p.dim(&format!(
                "no comparison: {}",
                s.pace_at_hr.no_comparison.as_deref().unwrap_or("not enough steady runs over 8+ weeks yet")
            )),
        };
        rows.push((format!("pace at {target:.0} bpm"), value));
    }
    let recent = &input.weeks[input.weeks.len().saturating_sub(RECENT_WEEKS)..];
    if !recent.is_empty() {
        rows.push(("last 4 weeks".into(), per_week(recent, units)));
        let (gray, easy) = recent.iter().fold((0, 0), |(g, e), w| (g + w.gray_easy_runs, e + w.easy_runs));
        if easy > 0 {
            let text =
                format!("{gray} of {easy} in the last 4 weeks ({:.0} %)", 100.0 * f64::from(gray) / f64::from(easy));
            rows.push(("gray easy runs".into(), if gray == 0 { p.green(&text) } else { p.yellow(&text) }));
        }
    }
    if let Some(last) = input.weeks.last() {
        if let (Some(routes), Some(top3)) = (last.distinct_routes, last.top3_share) {
            let rut = if last.rut { p.red(" (a rut)") } else { String::new() };
            rows.push((
                "routes".into(),
                format!("{routes} in the last 6 weeks, top 3 carry {:.0} % of runs{rut}", 100.0 * top3),
            ));
        }
        let longest = input.weeks.iter().map(|w| w.streak_weeks).max().unwrap_or(0);
        rows.push((
            "streak".into(),
            format!(
                "{} {} of {}+ runs (longest {longest})",
                last.streak_weeks,
                if last.streak_weeks == 1 { "week" } else { "weeks" },
                s.weekly_target
            ),
        ));
    }
    if let Some(latest) = s.load.as_ref().and_then(|l| l.latest.as_ref()) {
        rows.extend(load_rows(latest, p));
    }
    rows.extend(super::yoy_figures::rows(input, units, p));
    rows.extend(super::race::rows(input, p));
    if let Some(t) = &s.thresholds {
        rows.push((
            "thresholds".into(),
            format!(
                "max HR {:.0} ({}) \u{b7} LTHR {:.0} ({}) \u{b7} LT1 {:.0} ({})",
                t.max_hr.bpm, t.max_hr.source, t.lthr.bpm, t.lthr.source, t.lt1.bpm, t.lt1.source
            ),
        ));
    }
    if let Some(l) = s.layoffs.last() {
        let days = (l.end - l.start).num_days() + 1;
        rows.push(("layoffs".into(), format!("{} (latest: {days} days from {})", s.layoffs.len(), l.start)));
    }
    rows
}

/// Fitness and form on the last day, and the ramp of its last 7 days.
fn load_rows(l: &Latest, p: Paint) -> Vec<(String, String)> {
    let form = format!("{:+.1}", l.form);
    let form = if l.form < 0.0 { p.yellow(&form) } else { p.green(&form) };
    let mut rows =
        vec![("fitness / form".into(), format!("{:.1} / {form} (load per day; 100 = an hour at LTHR)", l.fitness))];
    if let Some(ramp) = l.ramp {
        let acwr = l.acwr.map_or(String::new(), |a| format!(", last 7 days {a:.2} x the 28-day average"));
        let text = format!("{ramp:+.1} fitness in 7 days{acwr}");
        let both = l.acwr.zip(l.acwr_ewma).map(|(a, e)| a.min(e));
        let fast = both.is_some_and(|a| a >= crate::report::load_findings::FAST_ACWR);
        rows.push(("ramp".into(), if fast { p.red(&text) } else { text }));
    }
    rows
}

/// "3.5 runs, 32.1 km, 3 h 05 min per week"
fn per_week(weeks: &[Week], units: Units) -> String {
    let n = weeks.len() as f64;
    let runs = weeks.iter().map(|w| f64::from(w.runs)).sum::<f64>() / n;
    let distance = weeks.iter().map(|w| w.distance_m).sum::<f64>() / n;
    let time = weeks.iter().map(|w| w.moving_time_s).sum::<f64>() / n;
    format!(
        "{runs:.1} runs, {:.1} {}, {} per week",
        units.distance(distance),
        units.distance_unit(),
        hours_minutes(time)
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::charts::testing;

    #[test]
    fn figures_read_as_sentences_without_colour() {
        let rows = key_figures(&testing::input(), Units::Metric, Paint(false));
        let text: Vec<String> = rows.iter().map(|(k, v)| format!("{k}: {v}")).collect();
        insta::assert_snapshot!(text.join("\n"));
        assert!(!text.concat().contains('\x1b'));
    }

    #[test]
    fn colour_marks_good_and_bad_news() {
        let rows = key_figures(&testing::input(), Units::Imperial, Paint(true));
        let pace = &rows.iter().find(|(k, _)| k.starts_with("pace at")).unwrap().1;
        assert!(pace.contains("\x1b[32m4.5 % faster\x1b[0m"), "{pace}");
        assert!(pace.contains("/mi"));
        let routes = &rows.iter().find(|(k, _)| k == "routes").unwrap().1;
        assert!(routes.contains("\x1b[31m (a rut)"), "{routes}");
    }
}
