//! `load.png`: "Am I ramping too fast?" Fitness and fatigue per day (top)
//! and form (bottom), training phases as bands behind both, layoffs shaded
//! and steep comebacks marked where they started. The legend sits in its
//! own strip above the plots, so it never covers data.

use chrono::{Duration, NaiveDate};
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};
use serde::Serialize;

use super::style::{self, Area, Drawn};
use crate::tables::readback::Readback;

const FITNESS: RGBColor = style::TREND;
const FATIGUE: RGBColor = RGBColor(214, 39, 40);
const FORM: RGBColor = RGBColor(44, 160, 44);
const STEEP: RGBColor = RGBColor(200, 30, 30);
const LEGEND_H: u32 = 34;
/// `style::LAYOFF` at 35 % over white, as the bands show it.
const LAYOFF_ON_WHITE: RGBColor = RGBColor(250, 211, 211);

#[derive(Debug, Clone, Serialize)]
pub struct Series {
    /// (day, fitness, fatigue, form).
    pub days: Vec<(NaiveDate, f64, f64, f64)>,
    pub layoffs: Vec<(NaiveDate, NaiveDate)>,
    /// First day back after a layoff whose comeback was steep.
    pub steep_comebacks: Vec<NaiveDate>,
    /// (kind, first day, last day).
    pub phases: Vec<(String, NaiveDate, NaiveDate)>,
}

pub fn series(input: &Readback) -> Result<Series, String> {
    if input.days.is_empty() {
        return Err("No activity with a training load (heart rate, or pace for runs)".into());
    }
    let load = input.summary.load.clone().unwrap_or_default();
    Ok(Series {
        days: input.days.iter().map(|d| (d.date, d.fitness, d.fatigue, d.form)).collect(),
        layoffs: input.summary.layoffs.iter().map(|l| (l.start, l.end)).collect(),
        steep_comebacks: load
            .comebacks
            .iter()
            .filter(|c| c.steep)
            .filter_map(|c| c.layoff_end.map(|e| e + Duration::days(1)))
            .collect(),
        phases: load.phases.iter().map(|p| (p.kind.clone(), p.start, p.end)).collect(),
    })
}

/// Light band colours per phase; base is left white.
fn phase_color(kind: &str) -> Option<RGBColor> {
    match kind {
        "build" => Some(RGBColor(255, 236, 204)),
        "taper" => Some(RGBColor(220, 235, 250)),
        "recovery" => Some(RGBColor(225, 245, 225)),
        "break" => Some(RGBColor(236, 236, 236)),
        _ => None,
    }
}

pub fn draw(s: &Series, area: &Area<'_>) -> Drawn {
    let body = area.titled("Training load: fitness, fatigue and form", style::title())?;
    let (legend_row, plots) = body.split_vertically(LEGEND_H);
    legend(&legend_row)?;
    let (upper, lower) = plots.split_vertically(plots.dim_in_pixel().1 * 3 / 5);
    let first = s.days[0].0;
    let last = s.days[s.days.len() - 1].0;
    let top = s.days.iter().map(|d| d.1.max(d.2)).fold(10.0, f64::max) * 1.08;
    let (lo, hi) = s.days.iter().fold((-5.0f64, 5.0f64), |(lo, hi), d| (lo.min(d.3), hi.max(d.3)));
    let (lo, hi) = style::padded(lo, hi, 0.08);
    panel(s, &upper, (first, last), (0.0, top), "load per day", false, |chart| {
        chart.draw_series(LineSeries::new(s.days.iter().map(|d| (style::day_x(d.0), d.2)), FATIGUE.stroke_width(1)))?;
        chart.draw_series(LineSeries::new(s.days.iter().map(|d| (style::day_x(d.0), d.1)), FITNESS.stroke_width(3)))?;
        for &day in &s.steep_comebacks {
            let x = style::day_x(day);
            chart.draw_series(LineSeries::new([(x, 0.0), (x, top)], STEEP.stroke_width(2)))?;
            chart.draw_series(std::iter::once(TriangleMarker::new((x, top * 0.97), 8, STEEP.filled())))?;
        }
        Ok(())
    })?;
    panel(s, &lower, (first, last), (lo, hi), "form", true, |chart| {
        let (x0, x1) = (style::day_x(first), style::day_x(last));
        chart.draw_series(LineSeries::new([(x0, 0.0), (x1, 0.0)], style::MUTED.stroke_width(1)))?;
        chart.draw_series(LineSeries::new(s.days.iter().map(|d| (style::day_x(d.0), d.3)), FORM.stroke_width(2)))?;
        Ok(())
    })
}

type Chart<'a, 'b> = ChartContext<
    'a,
    super::text::TextBackend<'b>,
    plotters::coord::cartesian::Cartesian2d<style::DateAxis, plotters::coord::types::RangedCoordf64>,
>;

/// One panel: phase bands and layoffs behind, then `lines`.
fn panel<'b>(
    s: &Series,
    area: &Area<'b>,
    (first, last): (NaiveDate, NaiveDate),
    (lo, hi): (f64, f64),
    y_desc: &str,
    x_labels: bool,
    lines: impl FnOnce(&mut Chart<'_, 'b>) -> Drawn,
) -> Drawn {
    let span = style::day_x(last) - style::day_x(first);
    let mut chart = ChartBuilder::on(area)
        .margin(12)
        .x_label_area_size(if x_labels { 36 } else { 8 })
        .y_label_area_size(70)
        .build_cartesian_2d(style::date_axis(first, last), lo..hi)?;
    let x_label = |x: &f64| if x_labels { style::date_label(*x, span) } else { String::new() };
    let y_label = |y: &f64| style::tick_label(*y);
    let mut mesh = style::mesh(&mut chart);
    mesh.x_label_formatter(&x_label).y_label_formatter(&y_label).y_desc(y_desc);
    mesh.draw()?;
    let band = |a: NaiveDate, b: NaiveDate| [(style::day_x(a), lo), (style::day_x(b) + 1.0, hi)];
    chart.draw_series(
        s.phases.iter().filter_map(|(kind, a, b)| Some(Rectangle::new(band(*a, *b), phase_color(kind)?.filled()))),
    )?;
    chart.draw_series(s.layoffs.iter().map(|(a, b)| Rectangle::new(band(*a, *b), style::LAYOFF.mix(0.35).filled())))?;
    lines(&mut chart)
}

/// The key, drawn in a strip of its own.
fn legend(area: &Area<'_>) -> Drawn {
    // The whole strip is the legend's box: the no-hidden-data check covers it.
    let (xs, ys) = area.get_pixel_range();
    if !super::ink::legend_at([xs.start, ys.start, xs.end - 1, ys.end - 1]) {
        return Ok(());
    }
    let entries: [(&str, RGBColor, bool); 9] = [
        ("fitness (42-day)", FITNESS, false),
        ("fatigue (7-day)", FATIGUE, false),
        ("form", FORM, false),
        ("layoff", LAYOFF_ON_WHITE, true),
        ("steep comeback", STEEP, false),
        ("build", RGBColor(255, 236, 204), true),
        ("taper", RGBColor(220, 235, 250), true),
        ("recovery", RGBColor(225, 245, 225), true),
        ("break", RGBColor(236, 236, 236), true),
    ];
    let mut x = 80;
    let y = i32::try_from(LEGEND_H / 2).unwrap_or(16);
    for (label, color, filled) in entries {
        if filled {
            area.draw(&Rectangle::new([(x, y - 7), (x + 18, y + 7)], color.filled()))?;
            area.draw(&Rectangle::new([(x, y - 7), (x + 18, y + 7)], style::GRID))?;
        } else {
            area.draw(&PathElement::new(vec![(x, y), (x + 18, y)], color.stroke_width(3)))?;
        }
        area.draw(&Text::new(label.to_owned(), (x + 24, y), style::text(14).pos(Pos::new(HPos::Left, VPos::Center))))?;
        x += 34 + i32::try_from(label.len()).unwrap_or(10) * 7;
    }
    Ok(())
}

#[cfg(test)]
#[allow(clippy::missing_panics_doc)] // test support: a panic is a failed test
pub mod fixture {
    //! The load part of `charts::testing::input`.

    use chrono::{Duration, NaiveDate};

    use crate::tables::daily::DayRow;
    use crate::tables::load_summary::{ComebackRow, Latest, LoadSummary, PhaseRow};

    /// 84 days of a rising load with a lull in weeks 8 and 9, what fitness
    /// and fatigue would make of it.
    pub fn days(monday: NaiveDate) -> Vec<DayRow> {
        days_of(monday, 84, |i| {
            if (49..60).contains(&i) { 0.0 } else { 40.0 + f64::from(i) * 0.3 + f64::from(i % 3) * 20.0 }
        })
    }

    /// `n` days of `load(day index)` from `first`, with the fitness and
    /// fatigue it makes (decays e^(-1/42) and e^(-1/7)).
    pub fn days_of(first: NaiveDate, n: u32, load: impl Fn(u32) -> f64) -> Vec<DayRow> {
        let (mut fitness, mut fatigue) = (30.0, 30.0);
        (0..n)
            .map(|i| {
                let load = load(i);
                let form = fitness - fatigue;
                fitness += (load - fitness) * (1.0 - (-1.0f64 / 42.0).exp());
                fatigue += (load - fatigue) * (1.0 - (-1.0f64 / 7.0).exp());
                DayRow {
                    date: first + Duration::days(i64::from(i)),
                    load,
                    fitness,
                    fatigue,
                    form,
                    ramp: None,
                    acwr: None,
                }
            })
            .collect()
    }

    /// Phases and a steep comeback after the lull.
    pub fn load_summary(monday: NaiveDate) -> LoadSummary {
        let phase = |kind: &str, from: i64, weeks: i64| PhaseRow {
            kind: kind.into(),
            start: monday + Duration::weeks(from),
            end: monday + Duration::weeks(from + weeks) - Duration::days(1),
            weeks: u32::try_from(weeks).unwrap(),
        };
        LoadSummary {
            acwr_floor: 10.0,
            latest: Some(Latest {
                date: None,
                fitness: 52.3,
                fatigue: 60.1,
                form: -6.4,
                ramp: Some(4.2),
                acwr: Some(1.62),
                acwr_ewma: Some(1.55),
            }),
            comebacks: vec![ComebackRow {
                layoff_start: Some(monday + Duration::days(49)),
                layoff_end: Some(monday + Duration::days(59)),
                usual_week_load: 400.0,
                steep: true,
                steep_week: Some(1),
                ..ComebackRow::default()
            }],
            phases: vec![
                phase("base", 0, 4),
                phase("build", 4, 2),
                phase("taper", 6, 1),
                phase("break", 7, 2),
                phase("base", 9, 3),
            ],
            ..LoadSummary::default()
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::charts::{Kind, render, testing};
    use crate::units::Units;

    #[test]
    fn series_carries_phases_layoffs_and_steep_comebacks() {
        let s = series(&testing::input()).unwrap();
        assert_eq!(s.days.len(), 84);
        assert_eq!(s.steep_comebacks.len(), 1);
        assert!(s.phases.iter().any(|p| p.0 == "taper"));
    }

    #[test]
    fn legend_stays_out_of_the_plots() {
        let png = render(Kind::Load, &testing::input(), Units::Metric).unwrap();
        // The fitness line is drawn, and nothing of the legend's colours
        // but the legend itself lies in its strip; below it only the plots.
        assert!(testing::count_color(&png.bytes, (0.05, 0.2, 0.98, 0.6), (13, 59, 102), 0) > 300, "fitness line");
        let strip = (0.0, 0.07, 1.0, 0.12);
        assert!(testing::count_color(&png.bytes, strip, (13, 59, 102), 0) > 20, "legend drawn in its strip");
    }
}
