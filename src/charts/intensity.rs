//! `intensity.png`: how each week's heart-rate time splits between easy (Z1),
//! the gray zone (Z2) and hard (Z3), stacked, with the week's gray easy runs
//! marked above its bar.

use chrono::{Datelike, NaiveDate};
use plotters::prelude::*;
use serde::Serialize;

use super::style::{self, Area, Drawn};
use crate::tables::readback::Readback;

#[derive(Debug, Clone, Serialize)]
pub struct Series {
    pub weeks: Vec<Bar>,
    /// Zone bounds for the legend, when known.
    pub lt1_bpm: Option<f64>,
    pub lthr_bpm: Option<f64>,
}

/// Beyond three years, weekly bars are thinner than a pixel: show months.
const MONTHLY_AFTER_WEEKS: usize = 156;

#[derive(Debug, Clone, Copy, Serialize)]
pub struct Bar {
    pub start: NaiveDate,
    /// Days the bar spans: 7 for a week, the month's length for a month.
    pub days: i64,
    /// Hours per week in each zone (a month's bar: its weekly average).
    pub z1_h: f64,
    pub z2_h: f64,
    pub z3_h: f64,
    pub gray_easy_runs: u32,
}

pub fn series(input: &Readback) -> Result<Series, String> {
    let weekly = input.weeks.iter().map(|w| Bar {
        start: w.start,
        days: 7,
        z1_h: w.z1_s / 3600.0,
        z2_h: w.z2_s / 3600.0,
        z3_h: w.z3_s / 3600.0,
        gray_easy_runs: w.gray_easy_runs,
    });
    let weeks: Vec<Bar> = if input.weeks.len() > MONTHLY_AFTER_WEEKS { by_month(weekly) } else { weekly.collect() };
    if weeks.iter().all(|b| b.z1_h + b.z2_h + b.z3_h <= 0.0) {
        return Err("No time in heart-rate zones: the runs have no heart rate, or no thresholds are known".into());
    }
    let t = input.summary.thresholds.as_ref();
    Ok(Series { weeks, lt1_bpm: t.map(|t| t.lt1.bpm), lthr_bpm: t.map(|t| t.lthr.bpm) })
}

/// Weekly bars folded into calendar months (by the week's Monday): hours
/// per week averaged, gray runs summed.
fn by_month(weeks: impl Iterator<Item = Bar>) -> Vec<Bar> {
    let mut months: Vec<(Bar, f64)> = Vec::new();
    for w in weeks {
        let first = w.start.with_day(1).unwrap_or(w.start);
        match months.last_mut() {
            Some((m, n)) if m.start == first => {
                (m.z1_h, m.z2_h, m.z3_h) = (m.z1_h + w.z1_h, m.z2_h + w.z2_h, m.z3_h + w.z3_h);
                m.gray_easy_runs += w.gray_easy_runs;
                *n += 1.0;
            }
            _ => {
                let next = first.checked_add_months(chrono::Months::new(1)).unwrap_or(first);
                months.push((Bar { start: first, days: (next - first).num_days(), ..w }, 1.0));
            }
        }
    }
    months.into_iter().map(|(m, n)| Bar { z1_h: m.z1_h / n, z2_h: m.z2_h / n, z3_h: m.z3_h / n, ..m }).collect()
}

pub fn draw(s: &Series, area: &Area<'_>) -> Drawn {
    let end = s.weeks[s.weeks.len() - 1];
    let (first, last) = (s.weeks[0].start, end.start + chrono::Duration::days(end.days - 1));
    let top = s.weeks.iter().map(|b| b.z1_h + b.z2_h + b.z3_h).fold(0.0, f64::max);
    let span = style::day_x(last) - style::day_x(first);
    let mut chart = ChartBuilder::on(area)
        .caption(
            if s.weeks.first().is_some_and(|b| b.days > 7) {
                "Time in heart-rate zones (monthly bars, hours per week)"
            } else {
                "Weekly time in heart-rate zones"
            },
            style::title(),
        )
        .margin(20)
        .x_label_area_size(40)
        .y_label_area_size(70)
        // Headroom above the tallest bar for the gray-run marks and the legend.
        .build_cartesian_2d(style::date_axis(first, last), 0.0..top * 1.55)?;
    style::mesh(&mut chart)
        .x_label_formatter(&|x| style::date_label(*x, span))
        .y_label_formatter(&|y| style::hours_label(*y))
        .y_desc("hours per week")
        .draw()?;
    let bpm = |v: Option<f64>| v.map_or(String::new(), |b| format!("{b:.0}"));
    let zones = [
        (format!("Z1 easy (below LT1 {})", bpm(s.lt1_bpm)), style::Z1),
        (format!("Z2 gray zone (LT1 to LTHR {})", bpm(s.lthr_bpm)), style::Z2),
        ("Z3 hard (above LTHR)".to_owned(), style::Z3),
    ];
    for (zone, (label, color)) in zones.into_iter().enumerate() {
        let bars = s.weeks.iter().map(move |b| {
            let stack = [b.z1_h, b.z2_h, b.z3_h];
            let below: f64 = stack[..zone].iter().sum();
            let (x, w) = (style::day_x(b.start), b.days as f64);
            Rectangle::new([(x + 0.08 * w, below), (x + 0.92 * w, below + stack[zone])], color.filled())
        });
        chart
            .draw_series(bars)?
            .label(label)
            .legend(move |(x, y)| Rectangle::new([(x, y - 6), (x + 16, y + 6)], color.filled()));
    }
    let marks = s.weeks.iter().filter(|b| b.gray_easy_runs > 0).flat_map(|b| {
        let x = style::day_x(b.start) + b.days as f64 / 2.0;
        let total = b.z1_h + b.z2_h + b.z3_h;
        (0..b.gray_easy_runs.min(5)).map(move |i| {
            let y = total + top * (0.04 + 0.045 * f64::from(i));
            EmptyElement::at((x, y))
                + Circle::new((0, 0), 5, style::GRAY_RUN.filled())
                + Circle::new((0, 0), 5, style::INK)
        })
    });
    chart
        .draw_series(marks)?
        .label("one gray easy run (easy day run too hard)")
        .legend(|(x, y)| Circle::new((x + 8, y), 5, style::GRAY_RUN.filled()));
    style::legend(&mut chart, SeriesLabelPosition::UpperLeft)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::charts::{Kind, render, testing};
    use crate::units::Units;

    #[test]
    fn bars_are_hours_per_zone() {
        let s = series(&testing::input()).unwrap();
        insta::assert_json_snapshot!(s);
    }

    #[test]
    fn long_histories_fold_into_months() {
        let mut input = testing::input();
        let template = input.weeks.clone();
        input.weeks = (0..200)
            .map(|i| {
                let mut w = template[i % template.len()].clone();
                w.start = template[0].start + chrono::Duration::weeks(i64::try_from(i).unwrap());
                w
            })
            .collect();
        let s = series(&input).unwrap();
        assert!((45..=47).contains(&s.weeks.len()), "{}", s.weeks.len());
        assert!(s.weeks.iter().all(|b| (28..=31).contains(&b.days) && b.start.day() == 1));
        let gray: u32 = s.weeks.iter().map(|b| b.gray_easy_runs).sum();
        assert_eq!(gray, input.weeks.iter().map(|w| w.gray_easy_runs).sum::<u32>());
        // Hours per week stay hours per week: an average, not a sum.
        let max_week = input.weeks.iter().map(|w| (w.z1_s + w.z2_s + w.z3_s) / 3600.0).fold(0.0, f64::max);
        assert!(s.weeks.iter().all(|b| b.z1_h + b.z2_h + b.z3_h <= max_week + 1e-9));
    }

    #[test]
    fn stacked_zones_use_the_palette() {
        let png = render(Kind::Intensity, &testing::input(), Units::Metric).unwrap();
        let plot = (0.1, 0.1, 0.95, 0.9);
        assert!(testing::count_color(&png.bytes, plot, (46, 139, 87), 0) > 1000, "Z1 green");
        assert!(testing::count_color(&png.bytes, plot, (150, 150, 150), 0) > 300, "Z2 gray");
        assert!(testing::count_color(&png.bytes, plot, (200, 55, 70), 0) > 300, "Z3 red");
    }
}
