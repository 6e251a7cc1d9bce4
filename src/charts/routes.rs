//! `routes.png`: the rut, over time. Distinct routes in each trailing 6-week
//! window (top) and the share of runs on the three most-run routes (bottom),
//! with rut windows shaded.

use chrono::{Duration, NaiveDate};
use plotters::prelude::*;
use serde::Serialize;

use super::style::{self, Area, Drawn};
use crate::metrics::routes::RUT_TOP3_SHARE;
use crate::tables::readback::{Readback, Span};

#[derive(Debug, Clone, Serialize)]
pub struct Series {
    pub weeks: Vec<Window>,
    pub ruts: Vec<(NaiveDate, NaiveDate)>,
}

#[derive(Debug, Clone, Copy, Serialize)]
pub struct Window {
    /// The week the 6-week window ends with.
    pub week: NaiveDate,
    pub distinct_routes: u32,
    pub top3_pct: f64,
}

pub fn series(input: &Readback) -> Result<Series, String> {
    let weeks: Vec<Window> = input
        .weeks
        .iter()
        .filter_map(|w| {
            Some(Window { week: w.start, distinct_routes: w.distinct_routes?, top3_pct: 100.0 * w.top3_share? })
        })
        .collect();
    if weeks.is_empty() {
        return Err("Not enough runs with GPS tracks to measure route variety (it needs 8 in 6 weeks)".into());
    }
    let ruts = input.summary.rut_windows.iter().map(|&Span { start, end }| (start, end)).collect();
    Ok(Series { weeks, ruts })
}

pub fn draw(s: &Series, area: &Area<'_>) -> Drawn {
    let body = area.titled("Route variety: distinct routes and top-3 share per 6 weeks", style::title())?;
    let (upper, lower) = body.split_vertically(body.dim_in_pixel().1 / 2);
    let (first, last) = (s.weeks[0].week, s.weeks[s.weeks.len() - 1].week + Duration::days(6));
    let most = s.weeks.iter().map(|w| w.distinct_routes).max().unwrap_or(1).max(4);
    panel(s, &upper, (first, last), f64::from(most) * 1.15, Panel::Distinct)?;
    panel(s, &lower, (first, last), 105.0, Panel::Top3)
}

#[derive(Clone, Copy, PartialEq)]
enum Panel {
    Distinct,
    Top3,
}

fn panel(s: &Series, area: &Area<'_>, (first, last): (NaiveDate, NaiveDate), top: f64, which: Panel) -> Drawn {
    let span = style::day_x(last) - style::day_x(first);
    let mut chart = ChartBuilder::on(area)
        .margin(14)
        .x_label_area_size(if which == Panel::Top3 { 36 } else { 10 })
        .y_label_area_size(70)
        .build_cartesian_2d(style::date_axis(first, last), 0.0..top)?;
    let x_label = |x: &f64| if which == Panel::Top3 { style::date_label(*x, span) } else { String::new() };
    let y_count = |y: &f64| format!("{y:.0}");
    let y_pct = |y: &f64| format!("{y:.0} %");
    let mut mesh = style::mesh(&mut chart);
    mesh.x_label_formatter(&x_label);
    match which {
        Panel::Distinct => mesh.y_desc("distinct routes").y_label_formatter(&y_count),
        Panel::Top3 => mesh.y_desc("runs on top 3 routes").y_label_formatter(&y_pct),
    };
    mesh.draw()?;
    let shade = s.ruts.iter().map(|&(a, b)| {
        Rectangle::new([(style::day_x(a), 0.0), (style::day_x(b) + 1.0, top)], style::WARN_FILL.mix(0.7).filled())
    });
    let shaded = chart.draw_series(shade)?;
    if which == Panel::Distinct && !s.ruts.is_empty() {
        shaded
            .label("rut: most runs on the same few routes")
            .legend(|(x, y)| Rectangle::new([(x, y - 6), (x + 16, y + 6)], style::WARN_FILL.filled()));
    }
    let value = |w: &Window| match which {
        Panel::Distinct => f64::from(w.distinct_routes),
        Panel::Top3 => w.top3_pct,
    };
    let color = if which == Panel::Distinct { style::RUN } else { style::TREND };
    chart.draw_series(LineSeries::new(
        s.weeks.iter().map(|w| (style::day_x(w.week) + 3.5, value(w))),
        color.stroke_width(3),
    ))?;
    // Markers only where they can be told apart (under two years of weeks).
    if s.weeks.len() <= 100 {
        chart.draw_series(
            s.weeks.iter().map(|w| Circle::new((style::day_x(w.week) + 3.5, value(w)), 3, color.filled())),
        )?;
    }
    if which == Panel::Top3 {
        let (x0, x1) = (chart.x_range().start, chart.x_range().end);
        let limit = 100.0 * RUT_TOP3_SHARE;
        chart
            .draw_series(DashedLineSeries::new([(x0, limit), (x1, limit)], 10, 6, style::Z3.stroke_width(2)))?
            .label(format!("{limit:.0} %: with 4 or fewer routes in use, a rut"))
            .legend(|(x, y)| PathElement::new(vec![(x, y), (x + 20, y)], style::Z3.stroke_width(2)));
    }
    if which == Panel::Distinct && s.ruts.is_empty() {
        return Ok(());
    }
    style::legend(&mut chart, SeriesLabelPosition::LowerLeft)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::charts::{Kind, render, testing};
    use crate::units::Units;

    #[test]
    fn windows_and_ruts_follow_the_weekly_table() {
        let s = series(&testing::input()).unwrap();
        insta::assert_json_snapshot!(s);
    }

    #[test]
    fn rut_windows_are_shaded() {
        let png = render(Kind::Routes, &testing::input(), Units::Metric).unwrap();
        // The rut is the last third of the time axis.
        assert!(testing::count_color(&png.bytes, (0.7, 0.15, 0.95, 0.9), (254, 228, 194), 12) > 2000);
        assert_eq!(testing::count_color(&png.bytes, (0.1, 0.15, 0.5, 0.9), (254, 228, 194), 12), 0);
    }
}
