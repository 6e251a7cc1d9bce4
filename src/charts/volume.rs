//! `volume.png`: weekly distance (top), time and training load (below);
//! weeks that kept the streak going (the weekly run target met) in full
//! colour, the current and longest streaks in the title. The load panel is
//! left out for folders written before weekly load existed.

use chrono::{Duration, NaiveDate};
use plotters::prelude::*;
use serde::Serialize;

use super::style::{self, Area, Drawn};
use crate::tables::readback::Readback;
use crate::units::Units;

#[derive(Debug, Clone, Serialize)]
pub struct Series {
    pub unit: String,
    pub weeks: Vec<Bar>,
    pub weekly_target: u32,
    pub current_streak: u32,
    /// Longest streak: weeks, and the week it ended.
    pub longest_streak: (u32, Option<NaiveDate>),
}

#[derive(Debug, Clone, Copy, Serialize)]
pub struct Bar {
    pub start: NaiveDate,
    /// In the displayed unit (km or mi).
    pub distance: f64,
    pub hours: f64,
    /// Training load of the week (100 = an hour at LTHR).
    pub load: Option<f64>,
    pub target_met: bool,
}

pub fn series(input: &Readback, units: Units) -> Result<Series, String> {
    if input.weeks.is_empty() {
        return Err("No runs to add up by week".into());
    }
    let target = input.summary.weekly_target.max(1);
    let weeks: Vec<Bar> = input
        .weeks
        .iter()
        .map(|w| Bar {
            start: w.start,
            distance: units.distance(w.distance_m),
            hours: w.moving_time_s / 3600.0,
            load: w.load,
            target_met: w.runs >= target,
        })
        .collect();
    let longest = input.weeks.iter().max_by_key(|w| (w.streak_weeks, std::cmp::Reverse(w.start)));
    Ok(Series {
        unit: units.distance_unit().to_owned(),
        weeks,
        weekly_target: target,
        current_streak: input.weeks.last().map_or(0, |w| w.streak_weeks),
        longest_streak: longest.map_or((0, None), |w| (w.streak_weeks, Some(w.start))),
    })
}

pub fn draw(s: &Series, area: &Area<'_>) -> Drawn {
    let plural = |n: u32| if n == 1 { "week" } else { "weeks" };
    let title = format!(
        "Weekly volume: streak {} {} of {}+ runs (longest {})",
        s.current_streak,
        plural(s.current_streak),
        s.weekly_target,
        s.longest_streak.0
    );
    let body = area.titled(&title, style::title())?;
    let with_load = s.weeks.iter().any(|b| b.load.is_some());
    let panels = body.split_evenly((if with_load { 3 } else { 2 }, 1));
    // Headroom in the upper panel for the legend.
    let top_d = s.weeks.iter().map(|b| b.distance).fold(1.0, f64::max) * 1.4;
    let top_h = s.weeks.iter().map(|b| b.hours).fold(0.5, f64::max) * 1.15;
    let d_label = format!("{} per week", s.unit);
    bars(s, &panels[0], top_d, &d_label, |b| b.distance, Panel::Top)?;
    if !with_load {
        return bars(s, &panels[1], top_h, "hours per week", |b| b.hours, Panel::Bottom);
    }
    bars(s, &panels[1], top_h, "hours per week", |b| b.hours, Panel::Middle)?;
    let top_load = s.weeks.iter().filter_map(|b| b.load).fold(10.0, f64::max) * 1.15;
    bars(s, &panels[2], top_load, "load per week", |b| b.load.unwrap_or(0.0), Panel::Bottom)
}

/// Where a panel sits: the top one carries the legend, the bottom one the dates.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Panel {
    Top,
    Middle,
    Bottom,
}

fn bars(s: &Series, area: &Area<'_>, top: f64, y_desc: &str, value: impl Fn(&Bar) -> f64, panel: Panel) -> Drawn {
    let x_labels = panel == Panel::Bottom;
    let (first, last) = (s.weeks[0].start, s.weeks[s.weeks.len() - 1].start + Duration::days(6));
    let span = style::day_x(last) - style::day_x(first);
    let mut chart = ChartBuilder::on(area)
        .margin(14)
        .x_label_area_size(if x_labels { 36 } else { 10 })
        .y_label_area_size(70)
        .build_cartesian_2d(style::date_axis(first, last), 0.0..top)?;
    let x_label = |x: &f64| if x_labels { style::date_label(*x, span) } else { String::new() };
    let y_label = |y: &f64| style::tick_label(*y);
    let mut mesh = style::mesh(&mut chart);
    mesh.x_label_formatter(&x_label).y_label_formatter(&y_label).y_desc(y_desc);
    mesh.draw()?;
    for met in [true, false] {
        let color: ShapeStyle = if met { style::RUN.filled() } else { style::RUN.mix(0.35).filled() };
        let drawn = chart.draw_series(s.weeks.iter().filter(|b| b.target_met == met).map(|b| {
            let x = style::day_x(b.start);
            Rectangle::new([(x + 0.6, 0.0), (x + 6.4, value(b))], color)
        }))?;
        if panel == Panel::Top {
            let label = if met {
                format!("{}+ runs: streak week", s.weekly_target)
            } else {
                format!("fewer than {} runs", s.weekly_target)
            };
            drawn.label(label).legend(move |(x, y)| Rectangle::new([(x, y - 6), (x + 16, y + 6)], color));
        }
    }
    if panel == Panel::Top {
        style::legend(&mut chart, SeriesLabelPosition::UpperLeft)?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::charts::{Kind, render, testing};

    #[test]
    fn weeks_in_display_units_with_streaks() {
        let s = series(&testing::input(), Units::Imperial).unwrap();
        assert_eq!(s.unit, "mi");
        assert!((s.weeks[0].distance - 42.0 / 1.609_344).abs() < 1e-9);
        assert_eq!((s.current_streak, s.longest_streak.0), (12, 12));
        insta::assert_json_snapshot!(series(&testing::input(), Units::Metric).unwrap());
    }

    #[test]
    fn bars_fill_every_panel() {
        let png = render(Kind::Volume, &testing::input(), Units::Metric).unwrap();
        assert!(testing::count_color(&png.bytes, (0.1, 0.1, 0.95, 0.36), (31, 119, 180), 0) > 2000, "distance");
        assert!(testing::count_color(&png.bytes, (0.1, 0.4, 0.95, 0.64), (31, 119, 180), 0) > 2000, "time");
        assert!(testing::count_color(&png.bytes, (0.1, 0.7, 0.95, 0.95), (31, 119, 180), 0) > 2000, "load");
    }

    /// Issue 13 asked the weekly charts to gain the load; folders written
    /// before weekly load existed still draw distance and time only.
    #[test]
    fn the_load_panel_appears_only_with_weekly_load() {
        let mut input = testing::input();
        let with = series(&input, Units::Metric).unwrap();
        assert!(with.weeks.iter().all(|b| b.load.is_some()));
        for w in &mut input.weeks {
            w.load = None;
        }
        let png = render(Kind::Volume, &input, Units::Metric).unwrap();
        assert!(testing::count_color(&png.bytes, (0.1, 0.55, 0.95, 0.95), (31, 119, 180), 0) > 2000, "time below");
    }
}
