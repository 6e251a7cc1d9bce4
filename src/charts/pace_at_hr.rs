//! `pace_at_hr.png`: the fitness signal. Each run's pace at the target heart
//! rate (hollow when the run drifted), the rolling trend with its band, and
//! the first and last four weeks side by side. Faster is up. The trend is
//! weekly.csv's robust level, broken where the table has none and at every
//! gap of more than three weeks between confident runs.

use chrono::{Duration, NaiveDate};
use plotters::prelude::*;
use serde::Serialize;

use super::style::{self, Area, Drawn};
use crate::metrics::level;
use crate::tables::readback::Readback;
use crate::units::{Units, clock};

#[derive(Debug, Clone, Serialize)]
pub struct Series {
    pub title: String,
    /// "min/km" or "min/mi".
    pub unit: String,
    pub runs: Vec<Point>,
    /// The weekly trend level at each week's Thursday, in unbroken stretches.
    pub trend: Vec<Vec<Level>>,
    pub first: Option<Band>,
    pub last: Option<Band>,
    pub change_pct: Option<f64>,
}

#[derive(Debug, Clone, Copy, Serialize)]
pub struct Point {
    pub day: NaiveDate,
    /// Seconds per displayed distance unit.
    pub pace_s: f64,
    pub low_confidence: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct Level {
    pub day: NaiveDate,
    /// Seconds per displayed distance unit, and the band's half-width.
    pub pace_s: f64,
    pub band_s: Option<f64>,
}

#[derive(Debug, Clone, Copy, Serialize)]
pub struct Band {
    pub from: NaiveDate,
    pub to: NaiveDate,
    pub pace_s: f64,
}

pub fn series(input: &Readback, units: Units) -> Result<Series, String> {
    let Some(target) = input.summary.target_hr_bpm else {
        return Err("No heart rate in the runs and no thresholds given: pass --max-hr, --lthr or --target-hr".into());
    };
    let runs: Vec<Point> = input
        .runs()
        .filter_map(|a| {
            Some(Point { day: a.day(), pace_s: units.pace_s(a.pace_at_hr_s_per_km?), low_confidence: a.low_confidence })
        })
        .collect();
    if runs.is_empty() {
        return Err(format!(
            "No run has steady stretches near {target:.0} bpm yet (see pace_at_hr_note in activities.csv)"
        ));
    }
    let trend = stretches(input, units);
    let band =
        |p: &crate::tables::readback::Period| Band { from: p.from, to: p.to, pace_s: units.pace_s(p.pace_s_per_km) };
    let pace = &input.summary.pace_at_hr;
    Ok(Series {
        title: format!("Pace at {target:.0} bpm"),
        unit: format!("min/{}", units.distance_unit()),
        runs,
        trend,
        first: pace.first_4_weeks.as_ref().map(band),
        last: pace.last_4_weeks.as_ref().map(band),
        change_pct: pace.change_pct,
    })
}

/// The weekly levels in unbroken stretches: a week without a level ends a
/// stretch, and so does the first confident run after a gap.
fn stretches(input: &Readback, units: Units) -> Vec<Vec<Level>> {
    let confident: Vec<level::Pace> =
        input.runs().filter(|a| !a.low_confidence).filter_map(|a| Some((a.day(), a.pace_at_hr_s_per_km?))).collect();
    let gap_ends = level::gap_ends(&confident);
    let mut out: Vec<Vec<Level>> = Vec::new();
    let mut open = false;
    for w in &input.weeks {
        let Some(pace) = w.pace_at_hr_s_per_km else {
            open = false;
            continue;
        };
        let after_gap = gap_ends.iter().any(|&d| (w.start..w.start + Duration::days(7)).contains(&d));
        if !open || after_gap {
            out.push(Vec::new());
        }
        open = true;
        let level = Level {
            day: w.start + Duration::days(3),
            pace_s: units.pace_s(pace),
            band_s: w.pace_at_hr_band_s_per_km.map(|b| units.pace_s(b)),
        };
        out.last_mut().expect("a stretch was opened").push(level);
    }
    out
}

pub fn draw(s: &Series, area: &Area<'_>) -> Drawn {
    let days = s.runs.iter().map(|p| p.day);
    let (first, last) = (days.clone().min().unwrap_or_default(), days.max().unwrap_or_default());
    let levels = s.trend.iter().flatten();
    let paces = s.runs.iter().map(|p| p.pace_s).chain(levels.flat_map(|l| {
        let band = l.band_s.unwrap_or(0.0);
        [l.pace_s - band, l.pace_s + band]
    }));
    let (lo, hi) = paces.fold((f64::MAX, f64::MIN), |(lo, hi), v| (lo.min(v), hi.max(v)));
    let (lo, hi) = style::padded(lo, hi, 0.12);
    let span = style::day_x(last) - style::day_x(first);
    let mut chart = ChartBuilder::on(area)
        .caption(&s.title, style::title())
        .margin(20)
        .x_label_area_size(40)
        .y_label_area_size(80)
        // Negative pace on y: faster (smaller) values plot higher.
        .build_cartesian_2d(style::date_axis(first, last), -hi..-lo)?;
    style::mesh(&mut chart)
        .x_label_formatter(&|x| style::date_label(*x, span))
        .y_label_formatter(&|y| clock(-y))
        .y_desc(format!("pace ({}), faster is up", s.unit))
        .draw()?;
    for band in [s.first, s.last].into_iter().flatten() {
        let (x0, x1) = (style::day_x(band.from), style::day_x(band.to));
        chart.draw_series(std::iter::once(PathElement::new(
            vec![(x0, -band.pace_s), (x1, -band.pace_s)],
            style::Z3.stroke_width(4),
        )))?;
        chart.draw_series(std::iter::once(Text::new(
            clock(band.pace_s),
            (x0, -band.pace_s - (hi - lo) * 0.03),
            style::bold(15).color(&style::Z3),
        )))?;
    }
    chart
        .draw_series(
            s.runs
                .iter()
                .filter(|p| !p.low_confidence)
                .map(|p| Circle::new((style::day_x(p.day), -p.pace_s), 4, style::RUN.mix(0.8).filled())),
        )?
        .label("run")
        .legend(|(x, y)| Circle::new((x + 10, y), 4, style::RUN.filled()));
    if s.runs.iter().any(|p| p.low_confidence) {
        chart
            .draw_series(
                s.runs
                    .iter()
                    .filter(|p| p.low_confidence)
                    .map(|p| Circle::new((style::day_x(p.day), -p.pace_s), 4, style::RUN.stroke_width(2))),
            )?
            .label("run with drifting heart rate (low confidence)")
            .legend(|(x, y)| Circle::new((x + 10, y), 4, style::RUN.stroke_width(2)));
    }
    draw_trend(&mut chart, &s.trend)?;
    if let (Some(first), Some(last)) = (s.first, s.last) {
        let change = s
            .change_pct
            .map_or(String::new(), |c| format!(": {:.1} % {}", c.abs(), if c >= 0.0 { "faster" } else { "slower" }));
        chart
            .draw_series(std::iter::empty::<Circle<(f64, f64), i32>>())?
            .label(format!("first vs last 4 weeks {} \u{2192} {}{change}", clock(first.pace_s), clock(last.pace_s)))
            .legend(|(x, y)| PathElement::new(vec![(x, y), (x + 20, y)], style::Z3.stroke_width(4)));
    }
    style::legend(&mut chart, SeriesLabelPosition::LowerRight)
}

type Chart<'a, 'b> = ChartContext<
    'a,
    super::text::TextBackend<'b>,
    Cartesian2d<style::DateAxis, plotters::coord::types::RangedCoordf64>,
>;

/// The band (light) under the level (dark), stretch by stretch; a stretch of
/// one week is a dot with an error bar.
fn draw_trend(chart: &mut Chart<'_, '_>, trend: &[Vec<Level>]) -> Drawn {
    let band_style = style::TREND.mix(0.18).filled();
    for stretch in trend {
        let x = |l: &Level| style::day_x(l.day);
        let upper = stretch.iter().map(|l| (x(l), -(l.pace_s - l.band_s.unwrap_or(0.0))));
        let lower = stretch.iter().rev().map(|l| (x(l), -(l.pace_s + l.band_s.unwrap_or(0.0))));
        if stretch.len() > 1 {
            chart.draw_series(std::iter::once(Polygon::new(upper.chain(lower).collect::<Vec<_>>(), band_style)))?;
        } else if let Some(l) = stretch.first() {
            let (lo, hi) = (-(l.pace_s + l.band_s.unwrap_or(0.0)), -(l.pace_s - l.band_s.unwrap_or(0.0)));
            chart.draw_series(std::iter::once(PathElement::new(
                vec![(x(l), lo), (x(l), hi)],
                style::TREND.stroke_width(2),
            )))?;
            chart.draw_series(std::iter::once(Circle::new((x(l), -l.pace_s), 4, style::TREND.filled())))?;
        }
        chart.draw_series(LineSeries::new(stretch.iter().map(|l| (x(l), -l.pace_s)), style::TREND.stroke_width(3)))?;
    }
    chart
        .draw_series(std::iter::empty::<Circle<(f64, f64), i32>>())?
        .label("trend: 4-week level, band \u{2248} 95 %")
        .legend(|(x, y)| PathElement::new(vec![(x, y), (x + 20, y)], style::TREND.stroke_width(3)));
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::charts::{Kind, render, testing};

    #[test]
    fn series_converts_units_and_keeps_confidence() {
        let input = testing::input();
        let metric = series(&input, Units::Metric).unwrap();
        let imperial = series(&input, Units::Imperial).unwrap();
        assert_eq!(metric.runs.len(), imperial.runs.len());
        assert!((imperial.runs[0].pace_s / metric.runs[0].pace_s - 1.609_344).abs() < 1e-9);
        insta::assert_json_snapshot!(metric);
    }

    #[test]
    fn without_a_target_the_chart_says_why() {
        let mut input = testing::input();
        input.summary.target_hr_bpm = None;
        assert!(series(&input, Units::Metric).unwrap_err().contains("--target-hr"));
    }

    #[test]
    fn the_trend_line_is_broken_across_a_gap_of_more_than_three_weeks() {
        // The bug: the line was drawn straight across three months without runs.
        let mut input = testing::input();
        let gap = Duration::weeks(13);
        for a in input.activities.iter_mut().filter(|a| a.day() >= NaiveDate::from_ymd_opt(2026, 2, 16).unwrap()) {
            a.local_start += gap;
        }
        let weeks = input.weeks.clone();
        let (before, after) = weeks.split_at(6);
        input.weeks = before.to_vec();
        let empty = crate::tables::readback::Week {
            pace_at_hr_s_per_km: None,
            pace_at_hr_band_s_per_km: None,
            ..before[5].clone()
        };
        input.weeks.extend(
            (1..=13).map(|k| crate::tables::readback::Week {
                start: before[5].start + Duration::weeks(k),
                ..empty.clone()
            }),
        );
        input.weeks.extend(after.iter().map(|w| crate::tables::readback::Week { start: w.start + gap, ..w.clone() }));
        let s = series(&input, Units::Metric).unwrap();
        assert_eq!(s.trend.len(), 2, "{:?}", s.trend);
        // Only a gap between confident runs breaks it: here the first week
        // back already has a level, and still starts a new stretch.
        input.weeks.retain(|w| w.pace_at_hr_s_per_km.is_some());
        let s = series(&input, Units::Metric).unwrap();
        assert_eq!(s.trend.len(), 2, "{:?}", s.trend);
        assert!(s.trend.iter().all(|t| t.iter().all(|l| l.band_s == Some(4.0))));
    }

    #[test]
    fn dots_and_trend_are_drawn_in_the_plot() {
        let png = render(Kind::PaceAtHr, &testing::input(), Units::Metric).unwrap();
        assert_eq!((png.width, png.height), (1200, 600));
        assert!(png.no_data.is_none());
        let plot = (0.1, 0.1, 0.95, 0.9);
        assert!(testing::count_color(&png.bytes, plot, (31, 119, 180), 40) > 200, "run dots");
        assert!(testing::count_color(&png.bytes, plot, (13, 59, 102), 20) > 100, "trend line");
        // The band: the trend colour at 18 % on white.
        assert!(testing::count_color(&png.bytes, plot, (211, 219, 226), 6) > 1000, "trend band");
    }
}
