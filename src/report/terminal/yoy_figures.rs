//! Key-figure rows for year over year and heart-rate recovery: this year's
//! distance against last year's at the same date, and the recovery after
//! hard efforts when it has a level, flagged when it falls clearly.

use super::Paint;
use crate::tables::readback::Readback;
use crate::units::Units;

pub fn rows(input: &Readback, units: Units, p: Paint) -> Vec<(String, String)> {
    let mut rows = Vec::new();
    let km = |m: f64| format!("{:.0} {}", units.distance(m), units.distance_unit());
    if let Some(y) = &input.summary.year_over_year
        && let (Some(as_of), Some(this)) = (y.as_of, &y.this_year)
    {
        let versus = match y.ahead_distance_m {
            Some(m) if m >= 0.0 => p.green(&format!(", {} ahead of last year", km(m))),
            Some(m) => p.yellow(&format!(", {} behind last year", km(-m))),
            None => String::new(),
        };
        rows.push(("this year".into(), format!("{} by {}{versus}", km(this.distance_m), as_of.format("%-d %b"))));
    }
    if let Some(r) = &input.summary.hr_recovery
        && let (Some(recent), Some(before), Some(change)) = (&r.recent, &r.before, r.change_bpm)
    {
        let text = format!(
            "falls {:.0} bpm in 60 s after hard efforts ({} runs), {:.0} before ({change:+.0})",
            recent.drop_60s_bpm, recent.readings, before.drop_60s_bpm
        );
        let slower = r.falling == Some(true);
        rows.push(("HR recovery".into(), if slower { p.red(&format!("{text}: slower, a fatigue cue")) } else { text }));
    }
    rows
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::charts::testing;
    use crate::tables::progression::{YearOverYear, YearToDate};

    #[test]
    fn this_year_against_last_in_display_units() {
        let mut input = testing::input();
        assert!(rows(&input, Units::Metric, Paint(false)).is_empty(), "nothing without the sections");
        let day = |m, d| chrono::NaiveDate::from_ymd_opt(2026, m, d).unwrap();
        let this = YearToDate {
            from: day(1, 1),
            to: day(3, 1),
            complete: true,
            runs: 30,
            distance_m: 321_868.8,
            moving_time_s: 0.0,
            load: 0.0,
        };
        input.summary.year_over_year = Some(YearOverYear {
            as_of: Some(day(3, 1)),
            this_year: Some(this),
            ahead_distance_m: Some(-16_093.44),
            ..YearOverYear::default()
        });
        let text: Vec<String> =
            rows(&input, Units::Imperial, Paint(false)).iter().map(|(k, v)| format!("{k}: {v}")).collect();
        assert_eq!(text, vec!["this year: 200 mi by 1 Mar, 10 mi behind last year"]);
    }
}
